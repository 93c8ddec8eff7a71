"""Test set-up: Qt offscreen, no network, a fresh SQLite database per test."""

from __future__ import annotations

import os
import sys

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
if sys.platform == "win32":  # Qt's offscreen platform on Windows reads fonts from this folder only
    os.environ.setdefault("QT_QPA_FONTDIR", os.path.join(os.environ.get("WINDIR", r"C:\Windows"), "Fonts"))

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


class NetworkBlocked(RuntimeError):
    pass


def _refuse(*_args: object, **_kwargs: object) -> None:
    raise NetworkBlocked("network access is blocked in tests: the application never reaches out")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``posix_only`` tests (file modes, /proc, fontconfig, SIGKILL...) are skipped on Windows."""
    if sys.platform != "win32":
        return
    skip = pytest.mark.skip(reason="POSIX only")
    for item in items:
        if "posix_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """The application must work offline: any TCP/UDP connection attempt fails the test."""
    monkeypatch.setattr(socket.socket, "connect", _refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)


@pytest.fixture
def db_path(tmp_path: Path) -> Iterator[Path]:
    """A real, migrated SQLite database file in a temporary folder."""
    from lamha_desktop.storage import db

    path = tmp_path / "data" / db.DB_FILENAME
    db.open_database(path)
    yield path
    db.close_database()


@pytest.fixture
def qt_settings(tmp_path: Path, qapp: object) -> None:
    """Keep QSettings of tests away from the user's own."""
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("LamHaTest")
    QCoreApplication.setApplicationName("lamha_desktop_test")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database built once per session; tests copy it."""
    from lamha_desktop.operations import demo
    from lamha_desktop.storage import db

    path = tmp_path_factory.mktemp("demo") / db.DB_FILENAME
    db.open_database(path)
    demo.build_demo()
    db.close_database()
    return path


@pytest.fixture
def demo_db(demo_db_template: Path, tmp_path: Path) -> Iterator[Path]:
    import shutil

    from lamha_desktop.storage import db

    path = tmp_path / "data" / db.DB_FILENAME
    path.parent.mkdir(parents=True)
    shutil.copy(demo_db_template, path)
    db.open_database(path)
    yield path
    db.close_database()


def run_without_permission_override(code: str) -> str:
    """Run Python ``code`` in a child process that honours file modes, and return its stdout.

    Tests run as root on CI, and root ignores permission bits: the child drops the capabilities that let it
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) with util-linux's setpriv, so a read-only file is read-only.
    """
    import subprocess
    import sys

    cmd = [sys.executable, "-c", code]
    if os.geteuid() == 0:
        drop = "-dac_override,-dac_read_search"
        cmd = ["setpriv", "--bounding-set", drop, "--inh-caps", drop, *cmd]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _driver() -> object:
    from lamha_desktop.storage import db

    return db._sqlcipher


_SQLCIPHER: Any = _driver()  # taken now: some tests take the driver away from the application


def set_kdf_iterations(n: int) -> None:
    """SQLCipher's key derivation rounds for new connections, process-wide (the default is 256000): encryption
    tests lower it so each keyed connection is cheap, and put it back."""
    cipher = _SQLCIPHER
    assert cipher is not None, "sqlcipher3 is a dependency on this platform"
    con = cipher.connect(":memory:")
    try:
        con.execute(f"PRAGMA cipher_default_kdf_iter = {n}").fetchall()
    finally:
        con.close()


@pytest.fixture(autouse=True)
def _no_unexpected_message_box(monkeypatch: pytest.MonkeyPatch) -> None:
    """A refusal shown by ``ui.changes`` would block a test on a modal box: it fails the test instead (a test
    that expects a message patches ``changes.warn`` itself)."""
    from lamha_desktop.ui import changes

    def warn(_parent: object, title: str, message: str) -> None:
        raise AssertionError(f"unexpected message box «{title}»: {message}")

    monkeypatch.setattr(changes, "warn", warn)
