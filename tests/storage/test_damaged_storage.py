"""Damaged storage is named, never papered over: a 0-byte, cut, zeroed, overwritten or foreign database file is
refused with its own code and left byte for byte; a full disk is "disk full"; a read-only folder still serves
readers. Real SQLite files throughout; a full disk is a file-size limit in a child process."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import peewee
import pytest

from lamha_desktop.storage import backup, db
from lamha_desktop.storage.db import StorageError
from lamha_desktop.storage.models import Candidate, Organisation

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _closed() -> Iterator[None]:
    yield
    db.close_database()


def make_db(folder: Path, candidates: int = 200, *, with_backup: bool = True) -> Path:
    path = folder / db.DB_FILENAME
    db.open_database(path)
    org = Organisation.create(code="LQD", school_name="Trường THPT Lê Quý Đôn", name="Chi bộ")
    for i in range(candidates):
        Candidate.create(organisation=org, full_name=f"Nguyễn Văn {i}", search_key=f"nguyen van {i}",
                         sort_key=f"{i:06d}", gender="nam", birth="2008-01-01", personal_id=f"{i:012d}")
    db.close_database()
    if with_backup:
        backup.backup_now(path, kind="daily")
    return path


def refused(path: Path, **kwargs: object) -> StorageError:
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(StorageError) as info:
        db.open_database(path, **kwargs)  # type: ignore[arg-type]
    assert db.database.is_closed()
    if before is not None:
        assert path.read_bytes() == before  # never touched
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return info.value


def run_with_file_size_limit(code: str, limit: int) -> str:
    """Run ``code`` in a child whose files cannot grow past ``limit`` bytes (the disk is "full" there)."""
    prelude = textwrap.dedent(f"""
        import resource, signal
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
    """)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], capture_output=True,
                            text=True, cwd=ROOT, env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


# ---------------------------------------------------------------- a database that became 0 bytes


def test_a_zero_byte_database_with_backups_is_not_recreated(tmp_path: Path) -> None:
    path = make_db(tmp_path)
    path.write_bytes(b"")  # a power cut on a FAT stick, a sync tool
    assert refused(path).code == "db.empty_file"
    assert path.stat().st_size == 0
    assert refused(path, read_only=True).code == "db.empty_file"
    assert path.stat().st_size == 0


def test_a_zero_byte_database_the_settings_know_is_not_recreated(tmp_path: Path) -> None:
    path = make_db(tmp_path, with_backup=False)
    path.write_bytes(b"")
    assert refused(path, data_expected=True).code == "db.empty_file"
    assert path.stat().st_size == 0


def test_a_zero_byte_database_with_changes_in_its_wal_is_not_recreated(tmp_path: Path) -> None:
    path = tmp_path / db.DB_FILENAME
    path.write_bytes(b"")
    Path(f"{path}-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\0" * 4000)
    with pytest.raises(StorageError) as info:
        db.open_database(path)
    assert info.value.code == "db.empty_file"
    assert Path(f"{path}-wal").stat().st_size == 4004


def test_a_first_start_stopped_before_its_first_write_starts_again(tmp_path: Path) -> None:
    """A 0-byte file and nothing saying a database lived there: the application creates its database."""
    path = tmp_path / db.DB_FILENAME
    path.write_bytes(b"")
    db.open_database(path)
    assert db.schema_version() == db.SCHEMA_VERSION


def test_headless_opening_never_creates_a_database(tmp_path: Path) -> None:
    path = tmp_path / db.DB_FILENAME
    with pytest.raises(StorageError) as missing:
        db.open_database(path, create=False)
    assert missing.value.code == "db.missing"
    assert not path.exists()
    path.write_bytes(b"")
    assert refused(path, create=False).code == "db.empty_file"


# ---------------------------------------------------------------- cut, zeroed, overwritten, foreign


def test_a_cut_database_is_named_truncated(tmp_path: Path) -> None:
    path = make_db(tmp_path)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2 + 100])
    problem = refused(path)
    assert problem.code == "db.truncated"
    assert problem.params["size"] == len(whole) // 2 + 100
    assert problem.params["expected"] == len(whole)


def test_random_bytes_over_a_plain_database_are_not_a_password(tmp_path: Path) -> None:
    path = make_db(tmp_path)
    path.write_bytes(os.urandom(path.stat().st_size))
    assert refused(path).code == "db.garbage"  # was "db.password_required"
    assert refused(path, read_only=True).code == "db.garbage"


def test_zeros_and_a_workbook_saved_over_the_database(tmp_path: Path) -> None:
    path = make_db(tmp_path)
    size = path.stat().st_size
    path.write_bytes(b"\0" * size)
    assert refused(path).code == "db.zeroed"
    path.write_bytes(b"PK\x03\x04" + os.urandom(size))
    problem = refused(path)
    assert (problem.code, problem.params["file_kind"]) == ("db.foreign", "zip")


def test_another_programs_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / db.DB_FILENAME
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE contacts(name TEXT)")
    con.execute("INSERT INTO contacts VALUES ('x')")
    con.commit()
    con.close()
    assert refused(path).code == "db.not_lamha"
    con = sqlite3.connect(path)
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["contacts"]
    con.close()


def test_every_damage_code_is_offered_a_backup(tmp_path: Path) -> None:
    for code in ("db.empty_file", "db.truncated", "db.zeroed", "db.foreign", "db.garbage", "db.corrupt"):
        assert code in db.DAMAGED_CODES


# ---------------------------------------------------------------- a full disk


def test_a_full_disk_is_disk_full_not_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write

    def full(fd: int, data: bytes) -> int:
        if len(data) == db.PROBE_BYTES:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(StorageError) as info:
        db.open_database(tmp_path / db.DB_FILENAME)
    assert info.value.code == "db.disk_full"
    assert list(tmp_path.iterdir()) == []  # the probe is gone, no database was started


def test_a_really_full_disk_in_a_child_process(tmp_path: Path) -> None:
    """Creating an empty file works on a full disk; writing does not: the probe writes."""
    out = run_with_file_size_limit(f"""
        from pathlib import Path
        from lamha_desktop.storage import db
        try:
            db.open_database(Path({str(tmp_path / "new" / db.DB_FILENAME)!r}))
        except db.StorageError as exc:
            print(exc.code)
    """, limit=4096)
    assert out == "db.disk_full"


def test_a_full_disk_during_a_migration_is_worded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_db(tmp_path, with_backup=False)

    def full(_database: object) -> None:
        raise peewee.OperationalError("database or disk is full")

    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, full])
    monkeypatch.setattr(db, "SCHEMA_VERSION", len(db.MIGRATIONS))
    with pytest.raises(StorageError) as info:
        db.open_database(path)
    assert info.value.code == "db.disk_full"
    assert db.database.is_closed()


def test_sqlite_messages_are_worded_by_cause() -> None:
    assert db.sqlite_error(sqlite3.OperationalError("database or disk is full"), "x").code == "db.disk_full"
    assert db.sqlite_error(sqlite3.OperationalError("attempt to write a readonly database"), "x").code \
        == "db.read_only"
    assert db.sqlite_error(sqlite3.OperationalError("disk I/O error"), "x").code == "db.io_error"
    assert db.sqlite_error(sqlite3.OperationalError("database is locked"), "x").code == "db.locked"


# ---------------------------------------------------------------- a read-only folder serves readers


def test_read_only_opening_refuses_every_write(tmp_path: Path) -> None:
    path = make_db(tmp_path)
    before = path.read_bytes()
    db.open_database(path, read_only=True)
    assert Candidate.select().count() == 200
    with pytest.raises(peewee.OperationalError):
        Organisation.create(code="NEW", school_name="x", name="y")
    db.close_database()
    assert path.read_bytes() == before


def test_read_only_opening_refuses_a_database_that_needs_a_migration(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_db(tmp_path)
    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, lambda _d: None])
    monkeypatch.setattr(db, "SCHEMA_VERSION", len(db.MIGRATIONS))
    problem = refused(path, read_only=True)
    assert problem.code == "db.needs_upgrade"
    assert problem.params["supported"] == db.SCHEMA_VERSION


def test_a_really_read_only_folder_serves_readers(tmp_path: Path) -> None:
    from conftest import run_without_permission_override

    folder = tmp_path / "ro"
    path = make_db(folder)
    shutil.rmtree(folder / "backups")
    for side in ("-wal", "-shm"):  # as the application leaves it when it closes
        Path(f"{path}{side}").unlink(missing_ok=True)
    folder.chmod(0o555)
    path.chmod(0o444)
    try:
        out = run_without_permission_override(textwrap.dedent(f"""
            from pathlib import Path
            from lamha_desktop.storage import db
            from lamha_desktop.storage.models import Candidate
            path = Path({str(path)!r})
            try:
                db.open_database(path)
            except db.StorageError as exc:
                print(exc.code)
            db.open_database(path, read_only=True)
            print(Candidate.select().count())
            db.close_database()
        """))
        assert out.split() == ["db.read_only", "200"]
        assert sorted(p.name for p in folder.iterdir()) == [db.DB_FILENAME]
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)


def test_a_read_only_folder_with_unsaved_changes_is_not_read_without_them(tmp_path: Path) -> None:
    from conftest import run_without_permission_override

    folder = tmp_path / "ro"
    path = make_db(folder, with_backup=False)
    keeper = sqlite3.connect(path)  # a process killed with changes in the -wal
    keeper.execute("PRAGMA journal_mode=wal")
    keeper.execute("PRAGMA wal_autocheckpoint=0")
    keeper.execute("UPDATE candidate SET class_name = '12A1'")
    keeper.commit()
    shutil.copy(f"{path}-wal", tmp_path / "wal")
    keeper.close()
    shutil.copy(tmp_path / "wal", f"{path}-wal")  # closing checkpointed; the kill would not have
    Path(f"{path}-shm").unlink(missing_ok=True)
    folder.chmod(0o555)
    try:
        out = run_without_permission_override(textwrap.dedent(f"""
            from pathlib import Path
            from lamha_desktop.storage import db
            try:
                db.open_database(Path({str(path)!r}), read_only=True)
                print("opened")
            except db.StorageError as exc:
                print(exc.code)
        """))
        assert out == "db.read_only_unsaved"
    finally:
        folder.chmod(0o755)
