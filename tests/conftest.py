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


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``posix_only`` tests (file modes, /proc, fontconfig, SIGKILL...) are skipped on Windows; the tests that
    need a PostgreSQL server are marked ``postgresql``."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("engine") == "postgresql":
            item.add_marker(pytest.mark.postgresql)
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

    return db.sqlcipher_module() if db.encryption_available() else None


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


# ---------------------------------------------------------------- PostgreSQL
#
# The storage and operations tests run on both engines (fixture ``engine``). The PostgreSQL cluster is a
# throwaway one started for the session (tests/pgserver.py). Where it cannot be started the PostgreSQL tests
# are skipped, loudly (a banner at the end of the run), unless LAMHA_REQUIRE_POSTGRESQL=1 (set by the README's
# test command, so by CI): then they fail.

REQUIRE_PG = "LAMHA_REQUIRE_POSTGRESQL"
_pg_state: dict[str, Any] = {"cluster": None, "error": None, "databases": 0}


def _pg_cluster() -> Any:
    import pgserver

    if _pg_state["cluster"] is None and _pg_state["error"] is None:
        try:
            _pg_state["cluster"] = pgserver.start_cluster()
        except pgserver.ClusterUnavailable as exc:
            _pg_state["error"] = str(exc)
    if _pg_state["cluster"] is None:
        message = f"PostgreSQL: no test server could be started ({_pg_state['error']})"
        if os.environ.get(REQUIRE_PG) == "1":
            pytest.fail(f"{message}; {REQUIRE_PG}=1 requires it", pytrace=False)
        pytest.skip(message)
    return _pg_state["cluster"]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    cluster = _pg_state["cluster"]
    if cluster is not None:
        cluster.stop()
        _pg_state["cluster"] = None


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if _pg_state["error"] is not None:
        terminalreporter.write_sep("!", "THE POSTGRESQL TESTS DID NOT RUN", red=True, bold=True)
        terminalreporter.write_line(f"  {_pg_state['error']}")
        terminalreporter.write_line(f"  Install PostgreSQL (build_scripts/setup_env.sh --test) and run again; "
                                    f"{REQUIRE_PG}=1 makes this a failure.")
    elif _pg_state["cluster"] is not None or _pg_state["databases"]:
        terminalreporter.write_line(f"PostgreSQL: {_pg_state['databases']} test databases on a throwaway cluster.")


@pytest.fixture(scope="session")
def pg_cluster() -> Any:
    """The session's throwaway PostgreSQL cluster (skipped, or failed under LAMHA_REQUIRE_POSTGRESQL=1, when
    none can be started)."""
    from lamha_desktop.storage import server

    server.load_driver()  # some tests make peewee.PostgresqlDatabase themselves
    return _pg_cluster()


def _admin_execute(cluster: Any, sql: str, dbname: str = "postgres") -> None:
    import psycopg

    with psycopg.connect(cluster.url(dbname), autocommit=True) as con:
        con.execute(sql)


_templates: dict[str, str] = {}


def _template(cluster: Any, name: str, fill: Any = None) -> str:
    """A migrated database (filled by ``fill``) to copy from, made once per session."""
    if name not in _templates:
        from lamha_desktop.storage import db, server

        _admin_execute(cluster, f'CREATE DATABASE "{name}"')
        server.init_server(cluster.url(name))
        try:
            if fill is not None:
                fill()
        finally:
            db.close_database()
        _templates[name] = name
    return _templates[name]


def new_pg_database(cluster: Any, template: str) -> str:
    """A fresh database copied from ``template``; its name."""
    _pg_state["databases"] += 1
    name = f"t{os.getpid()}_{_pg_state['databases']}"
    _admin_execute(cluster, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return name


def drop_pg_database(cluster: Any, name: str) -> None:
    _admin_execute(cluster, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Store:
    """A fresh database on one engine, open and bound to the models."""

    def __init__(self, engine: str, *, path: Path | None = None, url: str | None = None,
                 dbname: str | None = None) -> None:
        self.engine, self.path, self.url, self.dbname = engine, path, url, dbname

    @property
    def on_server(self) -> bool:
        return self.engine == "postgresql"

    def reopen(self) -> None:
        from lamha_desktop.storage import db, server

        if self.on_server:
            assert self.url is not None
            server.open_server(self.url)
        else:
            assert self.path is not None
            db.open_database(self.path)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> str:
    """Each engine in turn: the local SQLite file and a PostgreSQL server."""
    return str(request.param)


def _open_store(engine: str, tmp_path: Path, template_file: Path | None, fill: Any,
                template_name: str) -> Iterator[Store]:
    import shutil

    from lamha_desktop.storage import db

    if engine == "sqlite":
        path = tmp_path / "data" / db.DB_FILENAME
        if template_file is not None:
            path.parent.mkdir(parents=True)
            shutil.copy(template_file, path)
        db.open_database(path)
        yield Store("sqlite", path=path)
        db.close_database()
        return
    cluster = _pg_cluster()
    name = new_pg_database(cluster, _template(cluster, template_name, fill))
    store = Store("postgresql", url=cluster.url(name), dbname=name)
    store.reopen()
    try:
        yield store
    finally:
        db.close_database()
        drop_pg_database(cluster, name)


@pytest.fixture
def store(engine: str, tmp_path: Path) -> Iterator[Store]:
    """A fresh, migrated, empty database on ``engine``."""
    yield from _open_store(engine, tmp_path, None, None, "lamha_empty")


def _build_demo() -> None:
    from lamha_desktop.operations import demo

    demo.build_demo()


@pytest.fixture
def demo_store(engine: str, tmp_path: Path, demo_db_template: Path) -> Iterator[Store]:
    """The demo database on ``engine`` (on a server: built there through the operations)."""
    yield from _open_store(engine, tmp_path, demo_db_template, _build_demo, "lamha_demo")
