"""Encryption at rest on real files: set, change and remove the password; encrypted backups and restore."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import set_kdf_iterations

from lamha_desktop.storage import backup, db, encryption
from lamha_desktop.storage.db import StorageError
from lamha_desktop.storage.models import Organisation

pytestmark = pytest.mark.skipif(not db.encryption_available(), reason="sqlcipher3 is not installed")

PASSWORD = "Mật khẩu 'bí mật' 2025"
DEFAULT_KDF_ITER = 256000


@pytest.fixture(autouse=True)
def _forget_password() -> Iterator[None]:
    """Each test starts without a session password; key derivation is made cheap (every file of a test is
    made and read with the same setting; ``test_production_key_derivation`` checks the real one)."""
    db.forget_passphrase()
    set_kdf_iterations(4000)
    yield
    db.close_database()
    db.forget_passphrase()
    set_kdf_iterations(DEFAULT_KDF_ITER)


def add_org(code: str) -> None:
    Organisation.create(code=code, school_name=f"Trường {code}", name=f"Chi bộ {code}")


def codes() -> list[str]:
    return [o.code for o in Organisation.select().order_by(Organisation.code)]


def plain_codes(path: Path) -> list[str]:
    con = sqlite3.connect(db.ro_uri(path), uri=True)
    try:
        return [r[0] for r in con.execute("SELECT code FROM organisation ORDER BY code")]
    finally:
        con.close()


def header(path: Path) -> bytes:
    return path.read_bytes()[:16]


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    path = tmp_path / "data" / db.DB_FILENAME
    db.open_database(path)
    add_org("A")
    add_org("B")
    return path


def test_set_password_encrypts_the_file_and_keeps_the_data(plain: Path) -> None:
    result = encryption.change_password(plain, PASSWORD)
    assert header(plain) != db.SQLITE_HEADER
    assert db.is_encrypted(plain)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        plain_codes(plain)
    assert not db.database.is_closed()  # reopened in place: the window keeps working
    assert codes() == ["A", "B"]
    add_org("C")
    assert result.safety_backup.parent == backup.backups_dir(plain)
    assert result.safety_backup in result.converted
    # no plaintext copy of the data is left in backups/
    assert all(db.is_encrypted(p) for p in backup.backups_dir(plain).glob("*.sqlite3"))
    assert not list(plain.parent.glob("*.part"))
    assert not list(backup.backups_dir(plain).glob("*.part"))


def test_opening_needs_the_right_password(plain: Path) -> None:
    encryption.change_password(plain, PASSWORD)
    db.close_database()
    db.forget_passphrase()
    with pytest.raises(StorageError) as missing:
        db.open_database(plain)
    assert missing.value.code == "db.password_required"
    with pytest.raises(StorageError) as wrong:
        db.open_database(plain, passphrase="không phải mật khẩu")
    assert wrong.value.code == "db.wrong_password"
    assert db.database.is_closed()
    db.open_database(plain, passphrase=PASSWORD)
    assert codes() == ["A", "B"]
    assert db.session_passphrase() == PASSWORD
    assert db.quick_check() is None


def test_password_typed_with_decomposed_diacritics_opens(plain: Path) -> None:
    import unicodedata

    encryption.change_password(plain, PASSWORD)
    db.close_database()
    db.forget_passphrase()
    db.open_database(plain, passphrase=unicodedata.normalize("NFD", PASSWORD))  # another Vietnamese input method
    assert codes() == ["A", "B"]


def test_change_password(plain: Path) -> None:
    encryption.change_password(plain, PASSWORD)
    add_org("C")
    result = encryption.change_password(plain, "mật khẩu mới", current=PASSWORD)
    assert result.left == ()
    assert codes() == ["A", "B", "C"]
    db.close_database()
    db.forget_passphrase()
    with pytest.raises(StorageError) as old:
        db.open_database(plain, passphrase=PASSWORD)
    assert old.value.code == "db.wrong_password"
    db.open_database(plain, passphrase="mật khẩu mới")
    assert codes() == ["A", "B", "C"]
    for info in backup.list_backups(plain):  # the backups follow the new password
        assert info.encrypted
        assert info.organisations is not None


def test_change_refuses_a_wrong_current_password_and_changes_nothing(plain: Path) -> None:
    encryption.change_password(plain, PASSWORD)
    before = plain.read_bytes()[:4096]
    with pytest.raises(StorageError) as wrong:
        encryption.change_password(plain, "mật khẩu mới", current="sai mật khẩu")
    assert wrong.value.code == "db.wrong_password"
    assert plain.read_bytes()[:4096] == before
    assert codes() == ["A", "B"]


def test_remove_password_decrypts(plain: Path) -> None:
    encryption.change_password(plain, PASSWORD)
    add_org("C")
    result = encryption.change_password(plain, None, current=PASSWORD)
    assert header(plain) == db.SQLITE_HEADER
    assert db.session_passphrase() is None
    assert codes() == ["A", "B", "C"]
    db.close_database()
    assert plain_codes(plain) == ["A", "B", "C"]
    assert result.converted
    assert all(not db.is_encrypted(p) for p in backup.backups_dir(plain).glob("*.sqlite3"))


def test_refusals(plain: Path) -> None:
    with pytest.raises(StorageError) as not_encrypted:
        encryption.change_password(plain, None)
    assert not_encrypted.value.code == "db.not_encrypted"
    with pytest.raises(StorageError) as short:
        encryption.change_password(plain, "123")
    assert short.value.code == "db.password_short"
    encryption.change_password(plain, PASSWORD)
    with pytest.raises(StorageError) as same:
        encryption.change_password(plain, PASSWORD)
    assert same.value.code == "db.password_same"


def test_backup_of_an_encrypted_database_is_encrypted_and_restores_with_the_key(plain: Path, tmp_path: Path) -> None:
    encryption.change_password(plain, PASSWORD)
    copy = backup.backup_now(plain, dest=tmp_path / "usb" / "copy.sqlite3")
    assert db.is_encrypted(copy)
    with pytest.raises(sqlite3.DatabaseError):
        plain_codes(copy)
    info = backup.verify(copy)
    assert (info.encrypted, info.organisations) == (True, 2)
    add_org("C")
    db.close_database()
    db.forget_passphrase()
    # without the password: listed as encrypted, no counts; verify and restore refuse
    listed = [backup.inspect(copy)]
    assert listed[0].encrypted
    assert listed[0].readable
    assert listed[0].organisations is None
    with pytest.raises(StorageError) as required:
        backup.verify(copy)
    assert required.value.code == "backup.password_required"
    with pytest.raises(StorageError) as wrong:
        backup.verify(copy, passphrase="sai mật khẩu")
    assert wrong.value.code == "backup.wrong_password"
    with pytest.raises(StorageError) as refused:
        backup.restore(plain, copy)
    assert refused.value.code == "db.password_required"
    # with it
    db.open_database(plain, passphrase=PASSWORD)
    assert codes() == ["A", "B", "C"]
    result = backup.restore(plain, copy, reopen=True)
    assert result.restored.organisations == 2
    assert codes() == ["A", "B"]
    assert db.is_encrypted(plain)
    assert result.safety_backup is not None
    assert db.is_encrypted(result.safety_backup)


def test_restoring_an_old_plaintext_backup_keeps_the_database_encrypted(plain: Path) -> None:
    old = backup.backup_now(plain, kind="manual")
    outside = old.parent.parent / "old-plain.sqlite3"
    os.replace(old, outside)  # kept outside backups/, so it stays plaintext
    encryption.change_password(plain, PASSWORD)
    add_org("C")
    backup.restore(plain, outside, reopen=True)
    assert db.is_encrypted(plain)
    assert codes() == ["A", "B"]


def test_backup_made_under_another_password_needs_it(plain: Path, tmp_path: Path) -> None:
    encryption.change_password(plain, PASSWORD)
    copy = backup.backup_now(plain, dest=tmp_path / "usb" / "old-key.sqlite3")  # outside backups/: not converted
    encryption.change_password(plain, "mật khẩu mới", current=PASSWORD)
    add_org("C")
    assert backup.inspect(copy).organisations is None
    with pytest.raises(StorageError) as needed:
        backup.restore(plain, copy, reopen=True)
    assert needed.value.code == "backup.wrong_password"
    assert codes() == ["A", "B", "C"]  # nothing changed
    backup.restore(plain, copy, reopen=True, source_passphrase=PASSWORD)
    assert codes() == ["A", "B"]
    db.close_database()
    db.forget_passphrase()
    db.open_database(plain, passphrase="mật khẩu mới")  # the restored database keeps the current password
    assert codes() == ["A", "B"]


def test_daily_backup_uses_the_session_password(plain: Path) -> None:
    encryption.change_password(plain, PASSWORD)
    outcome = backup.daily_backup(plain)
    assert outcome.code in ("backup.daily_done", "backup.daily_exists")
    assert outcome.path is not None
    assert db.is_encrypted(outcome.path)
    good = backup.newest_good_backup(plain)
    assert good is not None
    assert good.organisations == 2


def test_migration_of_an_encrypted_database_keeps_an_encrypted_backup(plain: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    encryption.change_password(plain, PASSWORD)
    db.close_database()
    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, lambda _d: None])
    monkeypatch.setattr(db, "SCHEMA_VERSION", len(db.MIGRATIONS))
    db.open_database(plain)  # the session password
    assert db.schema_version() == db.SCHEMA_VERSION
    kept = list(backup.backups_dir(plain).glob("pre-migration-*.sqlite3"))
    assert len(kept) == 1
    assert db.is_encrypted(kept[0])
    assert backup.inspect(kept[0]).organisations == 2


def test_a_foreign_file_is_still_reported_damaged(tmp_path: Path) -> None:
    path = tmp_path / db.DB_FILENAME
    path.write_bytes(b"this is not a database file at all" * 100)
    assert not db.is_encrypted(path)
    with pytest.raises(StorageError) as info:
        db.open_database(path)
    assert info.value.code == "db.foreign"
    assert info.value.code in db.DAMAGED_CODES


def test_without_sqlcipher_plaintext_works_and_encryption_is_refused(plain: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "_sqlcipher", None)
    assert not db.encryption_available()
    db.close_database()
    db.open_database(plain)
    assert codes() == ["A", "B"]
    with pytest.raises(StorageError) as refused:
        encryption.change_password(plain, PASSWORD)
    assert refused.value.code == "db.encryption_unavailable"
    assert header(plain) == db.SQLITE_HEADER


def test_an_encrypted_file_without_sqlcipher_gives_a_clear_error(plain: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    encryption.change_password(plain, PASSWORD)
    db.close_database()
    monkeypatch.setattr(db, "_sqlcipher", None)
    with pytest.raises(StorageError) as unavailable:
        db.open_database(plain, passphrase=PASSWORD)
    assert unavailable.value.code == "db.encryption_unavailable"


def test_production_key_derivation(plain: Path) -> None:
    set_kdf_iterations(DEFAULT_KDF_ITER)
    encryption.change_password(plain, PASSWORD)
    db.close_database()
    con = db.sqlcipher_module().connect(str(plain))
    try:
        con.execute(f"PRAGMA key = {db.key_literal(PASSWORD)}")
        assert con.execute("PRAGMA kdf_iter").fetchone()[0] == str(DEFAULT_KDF_ITER)
        assert con.execute("SELECT COUNT(*) FROM organisation").fetchone()[0] == 2
    finally:
        con.close()
