"""The data password in the real window: set, change, remove; the password asked at start; an encrypted backup
in the restore dialog; the unavailable case; the export dialog's note that exported files are not encrypted."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import set_kdf_iterations
from PySide6.QtCore import QModelIndex, Qt

from lamha_desktop import app
from lamha_desktop.storage import backup, db, encryption, repo, writers
from lamha_desktop.ui import safety
from lamha_desktop.ui.safety import dialogs
from lamha_desktop.ui.safety import encryption as encryption_ui
from lamha_desktop.ui.safety.dialogs import BackupTableModel
from lamha_desktop.ui.safety.password import PasswordDialog

pytestmark = pytest.mark.skipif(not db.encryption_available(), reason="sqlcipher3 is not installed")

PASSWORD = "mật khẩu trường LQD"
NEW = "mật khẩu mới 2026"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, qt_settings: None) -> Iterator[None]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # build() installs ours; put the old one back
    db.forget_passphrase()
    set_kdf_iterations(4000)  # cheap key derivation; tests/storage/test_encryption.py checks the real one
    yield
    db.close_database()
    db.forget_passphrase()
    app.release_instance_lock()
    set_kdf_iterations(256000)


def answers(monkeypatch: pytest.MonkeyPatch, *values: str | None) -> list[dict[str, Any]]:
    """Make ``PasswordDialog.ask`` return ``values`` in turn; returns the keyword arguments of each call."""
    calls: list[dict[str, Any]] = []
    queue = list(values)

    def ask(cls: type, **kwargs: Any) -> str | None:
        calls.append(kwargs)
        return queue.pop(0)

    monkeypatch.setattr(PasswordDialog, "ask", classmethod(ask))
    return calls


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {"warn": [], "inform": []}
    monkeypatch.setattr(encryption_ui, "_warn", lambda _p, m: seen["warn"].append(m))
    monkeypatch.setattr(encryption_ui, "_inform", lambda _p, m: seen["inform"].append(m))
    return seen


def open_window(data: Path, qtbot: Any, *extra: str) -> Any:
    started = app.build(["--data-dir", str(data), "--no-err-windows", *extra])
    w = started.window
    qtbot.addWidget(w)
    safety.install(w)
    encryption_ui.install(w)
    w.show()
    return w


def add_org(code: str) -> int:
    return writers.save_organisation({"code": code, "school_name": f"Trường {code}", "name": f"Chi bộ {code}",
                                   "official_members": 9})


@pytest.fixture
def window(tmp_path: Path, qtbot: Any) -> Iterator[Any]:
    w = open_window(tmp_path / "data", qtbot)
    add_org("LQD")
    yield w
    w.close()


def org_codes() -> list[str]:
    return [o.code for o in repo.list_organisations()]


def encrypted_data(tmp_path: Path, password: str = PASSWORD) -> Path:
    path = tmp_path / "data" / db.DB_FILENAME
    db.open_database(path)
    add_org("LQD")
    encryption.change_password(path, password)
    db.close_database()
    db.forget_passphrase()
    return path


def test_actions_in_the_file_menu(window: Any) -> None:
    encryption_ui.install(window)  # a second call adds nothing
    menu_actions = window.file_menu.actions()
    controller = window.encryption
    for act in controller.actions:
        assert menu_actions.count(act) == 1
    quit_action = getattr(window, "act_quit", None)
    if quit_action in menu_actions:
        assert menu_actions.index(controller.act_remove) < menu_actions.index(quit_action)
    assert controller.act_set.text().replace("&", "") == "Đặt mật khẩu dữ liệu…"
    assert controller.act_set.isVisible()
    assert not controller.act_change.isVisible()


def test_set_change_and_remove_from_the_menu(window: Any, monkeypatch: pytest.MonkeyPatch,
                                             shown: dict[str, list[str]]) -> None:
    controller = window.encryption
    calls = answers(monkeypatch, PASSWORD)
    controller.act_set.trigger()
    assert calls[0]["confirm"] is True
    assert "quên" in calls[0]["prompt"]  # the user is told a forgotten password cannot be recovered
    assert db.is_encrypted(window.db_path)
    assert shown["warn"] == []
    assert shown["inform"]
    assert "mã hóa" in shown["inform"][-1]
    assert not controller.act_set.isVisible()
    assert controller.act_change.isVisible()
    assert controller.act_remove.isVisible()
    add_org("HTK")  # the window's database works after the reopen
    assert org_codes() == ["HTK", "LQD"]

    answers(monkeypatch, PASSWORD, NEW)
    controller.act_change.trigger()
    assert shown["warn"] == []
    assert db.session_passphrase() == NEW
    db.close_database()
    with pytest.raises(db.StorageError) as old:
        db.open_database(window.db_path, passphrase=PASSWORD)
    assert old.value.code == "db.wrong_password"
    db.open_database(window.db_path, passphrase=NEW)

    answers(monkeypatch, NEW)
    controller.act_remove.trigger()
    assert shown["warn"] == []
    assert not db.is_encrypted(window.db_path)
    assert controller.act_set.isVisible()
    assert not controller.act_remove.isVisible()
    assert org_codes() == ["HTK", "LQD"]


def test_wrong_current_password_changes_nothing(window: Any, monkeypatch: pytest.MonkeyPatch,
                                                shown: dict[str, list[str]]) -> None:
    answers(monkeypatch, PASSWORD)
    window.encryption.act_set.trigger()
    before = Path(window.db_path).read_bytes()[:4096]
    calls = answers(monkeypatch, "không đúng")
    window.encryption.act_change.trigger()
    assert len(calls) == 1  # the new password is not even asked
    assert shown["warn"]
    assert "Mật khẩu không đúng" in shown["warn"][-1]
    answers(monkeypatch, "không đúng")
    window.encryption.act_remove.trigger()
    assert "Mật khẩu không đúng" in shown["warn"][-1]
    assert Path(window.db_path).read_bytes()[:4096] == before
    assert db.session_passphrase() == PASSWORD


def test_cancel_changes_nothing(window: Any, monkeypatch: pytest.MonkeyPatch, shown: dict[str, list[str]]) -> None:
    answers(monkeypatch, None)
    assert window.encryption.set_password() is None
    assert not db.is_encrypted(window.db_path)
    assert shown == {"warn": [], "inform": []}


def test_unavailable_without_sqlcipher(window: Any, monkeypatch: pytest.MonkeyPatch,
                                       shown: dict[str, list[str]]) -> None:
    monkeypatch.setattr(db, "_sqlcipher", None)
    calls = answers(monkeypatch, PASSWORD)
    controller = window.encryption
    controller.update_actions()
    assert "không khả dụng" in controller.act_set.text()
    assert "sqlcipher3" in controller.act_set.statusTip()
    controller.act_set.trigger()
    assert calls == []
    assert shown["inform"]
    assert "thiếu thành phần mã hóa" in shown["inform"][0]
    assert not db.is_encrypted(window.db_path)
    add_org("HTK")  # the application keeps working unencrypted
    assert org_codes() == ["HTK", "LQD"]


def test_password_dialog_checks_what_is_typed(qtbot: Any) -> None:
    dlg = PasswordDialog(title="Đặt mật khẩu dữ liệu", prompt="…", confirm=True)
    qtbot.addWidget(dlg)
    assert dlg.password.echoMode() == dlg.password.EchoMode.Password
    assert dlg.value() is None
    assert dlg.error_text("password") == "Chưa nhập mật khẩu."
    qtbot.keyClicks(dlg.password, "12")
    qtbot.keyClicks(dlg.again, "12")
    assert dlg.value() is None
    assert "ít nhất 6" in dlg.error_text("password")
    dlg.password.setText("mật khẩu dài")
    dlg.again.setText("mật khẩu khác")
    assert dlg.value() is None
    assert dlg.error_text("again") == "Hai lần nhập mật khẩu không giống nhau."
    dlg.again.setText("mật khẩu dài")
    assert dlg.value() == "mật khẩu dài"
    dlg.show_text.setChecked(True)
    assert dlg.password.echoMode() == dlg.password.EchoMode.Normal


# ------------------------------------------------------------------ at start


def test_start_asks_the_password_and_retries(tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    encrypted_data(tmp_path)
    calls = answers(monkeypatch, "sai một", PASSWORD)
    started = app.build(["--data-dir", str(tmp_path / "data")])  # interactive
    qtbot.addWidget(started.window)
    assert len(calls) == 2
    assert calls[0]["error"] == ""
    assert "Mật khẩu không đúng (còn 2 lần thử)" in calls[1]["error"]
    assert org_codes() == ["LQD"]
    daily = [p for p in backup.backups_dir(started.db_path).iterdir() if p.name.startswith("daily-")]
    assert daily
    assert all(db.is_encrypted(p) for p in daily)
    started.window.close()


def test_three_wrong_passwords_give_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    encrypted_data(tmp_path)
    calls = answers(monkeypatch, "sai 1", "sai 2", "sai 3")
    with pytest.raises(app.StartupFailed, match="Mật khẩu không đúng"):
        app.build(["--data-dir", str(tmp_path / "data")])
    assert len(calls) == 3
    assert db.database.is_closed()


def test_cancel_at_start_exits_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    encrypted_data(tmp_path)
    answers(monkeypatch, None)
    with pytest.raises(SystemExit) as exited:
        app.build(["--data-dir", str(tmp_path / "data")])
    assert exited.value.code == 0
    assert db.database.is_closed()
    assert app._instance_dir is None


def test_password_from_the_environment(tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    encrypted_data(tmp_path)
    calls = answers(monkeypatch)
    with pytest.raises(app.StartupFailed, match="--password-env"):  # headless, no password: says how to give it
        app.build(["--data-dir", str(tmp_path / "data"), "--no-err-windows"])
    monkeypatch.setenv("LAMHA_TEST_PW", "sai mật khẩu")
    with pytest.raises(app.StartupFailed, match="Mật khẩu không đúng"):
        app.build(["--data-dir", str(tmp_path / "data"), "--no-err-windows", "--password-env", "LAMHA_TEST_PW"])
    with pytest.raises(app.StartupFailed, match="LAMHA_UNSET_PW"):
        app.build(["--data-dir", str(tmp_path / "data"), "--no-err-windows", "--password-env", "LAMHA_UNSET_PW"])
    monkeypatch.setenv("LAMHA_TEST_PW", PASSWORD)
    w = open_window(tmp_path / "data", qtbot, "--password-env", "LAMHA_TEST_PW")
    assert calls == []
    assert org_codes() == ["LQD"]
    assert w.encryption.act_change.isVisible()
    w.close()


def test_start_on_plaintext_data_asks_nothing(tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = answers(monkeypatch)
    w = open_window(tmp_path / "data", qtbot)
    assert calls == []
    assert not db.is_encrypted(w.db_path)
    w.close()


# ------------------------------------------------------------------ backups


def test_backup_under_another_password_in_the_restore_dialog(tmp_path: Path, qtbot: Any,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = encrypted_data(tmp_path)
    old_copy = tmp_path / "usb" / "old.sqlite3"
    db.open_database(path, passphrase=PASSWORD)
    backup.backup_now(path, dest=old_copy)
    encryption.change_password(path, NEW)
    db.close_database()
    db.forget_passphrase()
    monkeypatch.setenv("LAMHA_TEST_PW", NEW)
    w = open_window(tmp_path / "data", qtbot, "--password-env", "LAMHA_TEST_PW")
    add_org("HTK")
    model = BackupTableModel([backup.inspect(old_copy)])
    assert model.data(model.index(0, 2)) == "mã hóa"
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEnabled
    assert "mật khẩu khác" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    monkeypatch.setattr(dialogs.RestoreDialog, "ask", classmethod(lambda cls, infos, parent=None: old_copy))
    calls = answers(monkeypatch, "sai", PASSWORD)
    result = w.safety.restore()
    assert result is not None
    assert len(calls) == 2
    assert "không mở được" in calls[1]["error"]
    assert org_codes() == ["LQD"]
    assert db.is_encrypted(path)
    assert db.session_passphrase() == NEW
    w.close()


def test_backup_model_counts_of_a_readable_encrypted_backup(window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    answers(monkeypatch, PASSWORD)
    monkeypatch.setattr(encryption_ui, "_inform", lambda _p, _m: None)
    window.encryption.act_set.trigger()
    infos = backup.list_backups(window.db_path)
    assert infos
    assert all(i.encrypted for i in infos)
    model = BackupTableModel(infos)
    assert model.data(model.index(0, 2)) == "1"
    assert model.data(model.index(0, 1)) in ("Trước khi đổi mật khẩu", "Tự động hằng ngày")
    assert model.rowCount(QModelIndex()) == len(infos)


# ------------------------------------------------------------------ export


def test_export_dialog_says_exported_files_are_not_encrypted(window: Any, qtbot: Any) -> None:
    from PySide6.QtWidgets import QLabel

    from lamha_desktop.ui.reports.dialogs import PeriodDialog

    find: Callable[[PeriodDialog], QLabel | None] = lambda d: d.findChild(QLabel, "privacy_note")  # noqa: E731
    dlg = PeriodDialog(title="Xuất báo cáo", with_file=True, parent=window)
    qtbot.addWidget(dlg)
    note = find(dlg)
    assert note is not None
    assert "Tệp xuất ra không được mã hóa; hãy giữ cẩn thận (dữ liệu cá nhân nhạy cảm)." in note.text()
    preview = PeriodDialog(title="Báo cáo sơ kết", with_file=False, parent=window)
    qtbot.addWidget(preview)
    assert find(preview) is None  # nothing is written: nothing to warn about
