"""What Windows does to files, imitated on Linux: fsync refused on a read-only descriptor, antivirus holding a
file for a moment, UNC and drive-letter paths in SQLite URIs, and a URI SQLite refuses not taken for damage."""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from lamha_desktop.catalogue import text
from lamha_desktop.storage import backup, db, fileops
from lamha_desktop.storage.db import StorageError
from lamha_desktop.storage.models import Organisation

# ---------------------------------------------------------------- fsync as Windows does it


def _read_only(fd: int) -> bool:
    import fcntl  # POSIX: the access mode of an open descriptor

    return fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY


@pytest.fixture
def windows_fsync(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """``os.fsync`` as on Windows: ``_commit`` on a descriptor opened read-only fails with EBADF.
    Returns the descriptors flushed."""
    real = os.fsync
    flushed: list[int] = []

    def fsync(fd: int) -> None:
        if _read_only(fd):
            raise OSError(errno.EBADF, "Bad file descriptor")
        real(fd)
        flushed.append(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return flushed


@pytest.mark.posix_only
def test_fsync_uses_a_descriptor_opened_for_writing(tmp_path: Path, windows_fsync: list[int]) -> None:
    path = tmp_path / "copy.sqlite3"
    path.write_bytes(b"x" * 100)
    fileops.fsync_file(path)
    assert len(windows_fsync) == 1
    assert path.read_bytes() == b"x" * 100


@pytest.mark.posix_only
def test_fsync_of_a_read_only_file_is_skipped_not_failed(tmp_path: Path, windows_fsync: list[int],
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "read-only.sqlite3"
    path.write_bytes(b"x")
    real_open = os.open

    def no_write(name: str, flags: int, *args: int) -> int:  # the read-only attribute (root ignores chmod)
        if flags & os.O_ACCMODE != os.O_RDONLY:
            raise PermissionError(errno.EACCES, "Permission denied", name)
        return real_open(name, flags, *args)

    monkeypatch.setattr(os, "open", no_write)
    with caplog.at_level(logging.INFO, logger="lamha_desktop.storage.fileops"):
        fileops.fsync_file(path)
    assert windows_fsync == []
    assert "fsync" in caplog.text


def test_another_fsync_error_is_not_hidden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x")

    def failing(_fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing)
    with pytest.raises(OSError, match="Input/output"):
        fileops.fsync_file(path)


@pytest.mark.posix_only
def test_backup_restore_and_migration_work_where_fsync_needs_a_writer(
        tmp_path: Path, windows_fsync: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    """Every caller of fsync_file (backup, restore, the backup before a migration) on Windows' terms."""
    path = tmp_path / "data" / db.DB_FILENAME
    db.open_database(path)
    try:
        Organisation.create(code="LQD", school_name="Trường THPT Lê Quý Đôn", name="Chi bộ")
        saved = backup.backup_now(path, kind="manual")
        Organisation.create(code="HV", school_name="Trường THPT Hùng Vương", name="Chi bộ")
        result = backup.restore(path, saved)
        assert [o.code for o in Organisation.select()] == ["LQD"]
        assert result.safety_backup is not None
    finally:
        db.close_database()

    def v2(_database: object) -> None:
        db.database.execute_sql("CREATE INDEX idx_fsync_v2 ON organisation(code)")

    head = db.SCHEMA_VERSION
    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, v2])
    monkeypatch.setattr(db, "SCHEMA_VERSION", len(db.MIGRATIONS))
    db.open_database(path)
    try:
        assert db.schema_version() == head + 1
        assert list((path.parent / "backups").glob(f"pre-migration-v{head}-*.sqlite3"))
    finally:
        db.close_database()
    assert len(windows_fsync) >= 4  # manual backup, staged restore, pre-restore copy, pre-migration copy


def test_a_failed_backup_before_a_migration_is_a_message_not_a_crash(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / db.DB_FILENAME
    db.open_database(path)
    Organisation.create(code="LQD", school_name="Trường THPT Lê Quý Đôn", name="Chi bộ")
    db.close_database()

    def refused(_path: Path) -> None:
        raise OSError(errno.EBADF, "Bad file descriptor")

    head = db.SCHEMA_VERSION
    monkeypatch.setattr(db, "fsync_file", refused)
    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, lambda _d: None])
    monkeypatch.setattr(db, "SCHEMA_VERSION", len(db.MIGRATIONS))
    with pytest.raises(StorageError) as info:
        db.open_database(path)
    assert info.value.code == "db.migration_backup_failed"
    assert db.database.is_closed()
    assert "chưa nâng cấp" in text(info.value.code, info.value.params)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == head  # not migrated without its backup
    con.close()
    assert list((tmp_path / "backups").iterdir()) == []


# ---------------------------------------------------------------- antivirus holding a file


def _held(winerror: int = 5) -> PermissionError:
    exc = PermissionError(errno.EACCES, "Access is denied")
    exc.winerror = winerror  # type: ignore[attr-defined]  # what Windows sets
    return exc


def test_replace_waits_out_two_refusals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src, dst = tmp_path / "new.part", tmp_path / "file.sqlite3"
    src.write_bytes(b"new")
    dst.write_bytes(b"old")
    real = os.replace
    tries: list[int] = []

    def scanned(a: str, b: str) -> None:
        tries.append(1)
        if len(tries) <= 2:
            raise _held(32 if len(tries) == 1 else 5)
        real(a, b)

    monkeypatch.setattr(os, "replace", scanned)
    pauses: list[float] = []
    fileops.replace(src, dst, sleep=pauses.append)
    assert len(tries) == 3
    assert pauses == list(fileops.REPLACE_DELAYS[:2])
    assert dst.read_bytes() == b"new"
    assert not src.exists()


def test_replace_gives_up_with_file_busy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def held(_a: str, _b: str) -> None:
        raise _held(32)

    monkeypatch.setattr(os, "replace", held)
    pauses: list[float] = []
    with pytest.raises(fileops.FileBusy) as info:
        fileops.replace(tmp_path / "a", tmp_path / "b", sleep=pauses.append)
    assert len(pauses) == len(fileops.REPLACE_DELAYS)
    assert sum(pauses) < 2  # a user waits no more than a moment
    assert info.value.winerror_code == 32
    assert isinstance(info.value, PermissionError)


def test_replace_does_not_retry_other_errors(tmp_path: Path) -> None:
    pauses: list[float] = []
    with pytest.raises(FileNotFoundError):
        fileops.replace(tmp_path / "missing", tmp_path / "b", sleep=pauses.append)
    assert pauses == []


def test_only_windows_codes_mean_another_program() -> None:
    assert fileops.held_by_another_program(_held(32))
    assert fileops.held_by_another_program(_held(33))
    assert not fileops.held_by_another_program(PermissionError(errno.EACCES, "Permission denied"))
    assert not fileops.held_by_another_program(ValueError("x"))


@pytest.fixture
def held_rename(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rename onto the database file is refused, as while antivirus keeps it open; no real waiting."""
    real = os.replace

    def held(a: str, b: str) -> None:
        if Path(b).name == db.DB_FILENAME:
            raise _held(32)
        real(a, b)

    monkeypatch.setattr(os, "replace", held)
    monkeypatch.setattr(fileops, "REPLACE_DELAYS", (0.0, 0.0))


def test_a_restore_that_cannot_replace_the_file_is_a_clear_message(db_path: Path, held_rename: None) -> None:
    Organisation.create(code="LQD", school_name="Trường THPT Lê Quý Đôn", name="Chi bộ")
    saved = backup.backup_now(db_path)
    Organisation.create(code="HV", school_name="Trường THPT Hùng Vương", name="Chi bộ")
    with pytest.raises(StorageError) as info:
        backup.restore(db_path, saved)
    assert info.value.code == "restore.busy"
    message = text(info.value.code, info.value.params)
    assert "diệt virus" in message
    assert "Excel" not in message
    assert not db.database.is_closed()  # reopened as it was, nothing lost
    assert sorted(o.code for o in Organisation.select()) == ["HV", "LQD"]
    assert not list((db_path.parent / "backups").glob("*.part"))


def test_a_backup_held_by_antivirus_says_so(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def held(_a: str, _b: str) -> None:
        raise _held(5)

    monkeypatch.setattr(os, "replace", held)
    monkeypatch.setattr(fileops, "REPLACE_DELAYS", (0.0,))
    with pytest.raises(StorageError) as info:
        backup.backup_now(db_path)
    assert info.value.code == "backup.busy"
    assert list((db_path.parent / "backups").iterdir()) == []


# ---------------------------------------------------------------- SQLite URIs for Windows paths


@pytest.mark.parametrize(("path", "uri"), [
    (r"Z:\lamha\lamha.sqlite3", "file:///Z:/lamha/lamha.sqlite3?mode=ro"),
    (r"C:\Users\Thư ký\AppData\Local\LamHa\lamha.sqlite3",
     "file:///C:/Users/Th%C6%B0%20k%C3%BD/AppData/Local/LamHa/lamha.sqlite3?mode=ro"),
    (r"\\server\share\lamha\lamha.sqlite3", "file:////server/share/lamha/lamha.sqlite3?mode=ro"),
    (r"\\192.168.1.10\Du lieu\lamha.sqlite3", "file:////192.168.1.10/Du%20lieu/lamha.sqlite3?mode=ro"),
    (r"\\?\C:\very\long\lamha.sqlite3", "file:///C:/very/long/lamha.sqlite3?mode=ro"),
    (r"\\?\UNC\server\share\lamha.sqlite3", "file:////server/share/lamha.sqlite3?mode=ro"),
    (r"E:\USB #1\50% ?\lamha.sqlite3", "file:///E:/USB%20%231/50%25%20%3F/lamha.sqlite3?mode=ro"),
])
def test_windows_paths_make_uris_sqlite_accepts(path: str, uri: str) -> None:
    assert fileops.sqlite_uri(PureWindowsPath(path)) == uri


def test_uri_modes_and_posix_paths() -> None:
    assert fileops.sqlite_uri(PureWindowsPath(r"Z:\a.db"), immutable=True) == "file:///Z:/a.db?mode=ro&immutable=1"
    assert fileops.sqlite_uri(PureWindowsPath(r"Z:\a.db"), mode="rwc") == "file:///Z:/a.db?mode=rwc"
    assert fileops.sqlite_uri(PurePosixPath("/home/u/a b.db")) == "file:///home/u/a%20b.db?mode=ro"
    for relative in (PureWindowsPath(r"lamha\a.db"), PureWindowsPath(r"\lamha\a.db"), PurePosixPath("a.db")):
        with pytest.raises(ValueError, match="absolute"):
            fileops.sqlite_uri(relative)


def test_sqlite_parses_the_unc_form_but_refuses_an_authority() -> None:
    """The URI parser is the same on every system: ``file://server/...`` is refused as Windows' Python refused
    it; ``file:////server/...`` gets past the parser (and only fails here because no such share exists)."""
    with pytest.raises(sqlite3.OperationalError, match="invalid uri authority"):
        sqlite3.connect("file://server/share/lamha.sqlite3?mode=ro", uri=True)
    uri = fileops.sqlite_uri(PureWindowsPath(r"\\server\share\lamha.sqlite3"))
    with pytest.raises(sqlite3.OperationalError, match="unable to open") as info:
        sqlite3.connect(uri, uri=True).execute("PRAGMA user_version")
    assert "authority" not in str(info.value)


def test_native_uris_open_real_files_with_awkward_names(tmp_path: Path) -> None:
    folder = tmp_path / "Dữ liệu #2 ? 100%"
    folder.mkdir()
    path = folder / "lamha.sqlite3"
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 7")
    con.commit()
    con.close()
    ro = sqlite3.connect(db.ro_uri(path), uri=True)
    assert ro.execute("PRAGMA user_version").fetchone()[0] == 7
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        ro.execute("CREATE TABLE t(x)")
    ro.close()


@pytest.mark.posix_only  # creating a symbolic link needs a privilege on Windows
def test_a_linked_folder_is_not_resolved(tmp_path: Path) -> None:
    """The analogue of a mapped drive: the path the user chose is kept, not what it points to."""
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "Z"
    link.symlink_to(real, target_is_directory=True)
    assert fileops.absolute(link / "lamha.sqlite3") == link / "lamha.sqlite3"
    assert "/Z/" in db.ro_uri(link / "lamha.sqlite3")


def test_a_uri_sqlite_refuses_is_not_called_damage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before the fix a share's URI was refused by SQLite and the file was offered for repair as damaged."""
    path = tmp_path / db.DB_FILENAME
    db.open_database(path)
    db.close_database()
    monkeypatch.setattr(db, "ro_uri", lambda _p, immutable=False: "file://server/share/lamha.sqlite3?mode=ro")
    with pytest.raises(StorageError) as info:
        db.open_database(path)
    assert info.value.code == "db.cannot_open"
    assert "authority" in str(info.value.params["detail"])
    assert "bị hỏng" not in text(info.value.code, info.value.params)
