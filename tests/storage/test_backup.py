"""Backups that restore: copies through a temporary name, daily rotation, listing with counts, verification
before anything is replaced, restore that keeps the current data, and the damaged-file checks at open."""

from __future__ import annotations

import datetime as dt
import errno
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from lamha_desktop.storage import backup, db, settings
from lamha_desktop.storage.db import StorageError
from lamha_desktop.storage.models import Candidate, Organisation

ROOT = Path(__file__).resolve().parents[2]


def add_org(code: str = "LQD") -> int:
    return int(Organisation.create(code=code, school_name=f"Trường THPT {code}", name=f"Chi bộ {code}").id)


def add_candidates(org_id: int, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        Candidate.create(organisation=org_id, full_name=f"Nguyễn Văn {i}", search_key=f"nguyen van {i}",
                         sort_key=f"{i:06d}", gender="nam", birth=dt.date(2008, 1, 1), personal_id=f"{i:012d}")


def count(path: Path, table: str) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        con.close()


def corrupt(path: Path, page: int = 5) -> None:
    """Overwrite one page in the middle of the file (the header stays readable)."""
    with path.open("r+b") as f:
        f.seek(4096 * page)
        f.write(b"\xa5" * 4096)


def make_old_backup(folder: Path, name: str, *, orgs: int = 1, version: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE organisation(id INTEGER PRIMARY KEY)")
    con.execute("CREATE TABLE candidate(id INTEGER PRIMARY KEY)")
    con.executemany("INSERT INTO organisation VALUES (?)", [(i,) for i in range(orgs)])
    con.execute(f"PRAGMA user_version = {version}")
    con.commit()
    con.close()
    return path


# ---------------------------------------------------------------- backup_now


def test_backup_now_writes_a_single_complete_file(db_path: Path) -> None:
    org = add_org()
    add_candidates(org, 30)  # committed, still in the -wal: the copy must include it
    path = backup.backup_now(db_path)
    assert path.parent == db_path.parent / "backups"
    assert path.name.startswith("manual-")
    assert path.suffix == ".sqlite3"
    assert not list(path.parent.glob("*.part"))
    assert not path.with_name(path.name + "-wal").exists()
    assert path.read_bytes()[18:20] == b"\x01\x01"  # rollback journal: one self-contained file
    assert count(path, "candidate") == 30
    info = backup.verify(path)
    assert (info.organisations, info.candidates, info.schema_version) == (1, 30, db.SCHEMA_VERSION)


def test_two_backups_in_the_same_second_do_not_overwrite(db_path: Path) -> None:
    now = dt.datetime(2025, 3, 1, 10, 0, 0)
    a = backup.backup_now(db_path, now=now)
    b = backup.backup_now(db_path, now=now)
    assert a != b
    assert a.exists()
    assert b.exists()


def test_backup_to_a_chosen_file(db_path: Path, tmp_path: Path) -> None:
    add_org()
    usb = tmp_path / "usb drive #1" / "copy.sqlite3"
    usb.parent.mkdir()
    assert backup.backup_now(db_path, dest=usb) == usb
    assert count(usb, "organisation") == 1


def test_failed_backup_leaves_nothing_half_written(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[Path] = []

    def full(path: Path) -> None:  # the copy is written, flushing it to disk fails
        written.append(path)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(db, "fsync_file", full)
    with pytest.raises(StorageError) as info:
        backup.backup_now(db_path)
    assert info.value.code == "backup.disk_full"  # named by its cause, not "backup failed"
    assert "No space" in str(info.value.params["detail"])
    assert written
    assert written[0].suffix == ".part"
    assert list((db_path.parent / "backups").iterdir()) == []


def test_backup_of_a_missing_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as info:
        backup.backup_now(tmp_path / "none.sqlite3")
    assert info.value.code == "backup.no_database"


# ---------------------------------------------------------------- daily backups and rotation


def test_daily_backup_once_a_day(db_path: Path) -> None:
    day1 = dt.datetime(2025, 3, 1, 8, 0)
    first = backup.daily_backup(db_path, now=day1)
    assert first.code == "backup.daily_done"
    assert first.path is not None
    assert first.path.exists()
    again = backup.daily_backup(db_path, now=day1 + dt.timedelta(hours=3))
    assert again.code == "backup.daily_exists"
    assert again.path == first.path
    add_org()
    nxt = backup.daily_backup(db_path, now=day1 + dt.timedelta(days=1))
    assert nxt.code == "backup.daily_done"
    assert nxt.path != first.path


def test_rotation_keeps_last_daily_and_recent_premigration(db_path: Path) -> None:
    folder = db_path.parent / "backups"
    now = dt.datetime(2025, 6, 1, 9, 0)
    for d in range(15):
        make_old_backup(folder, f"daily-{(now - dt.timedelta(days=d + 1)):%Y%m%d}-080000.sqlite3")
    old_pre = make_old_backup(folder, f"pre-migration-v1-{(now - dt.timedelta(days=91)):%Y%m%d-%H%M%S}.sqlite3")
    new_pre = make_old_backup(folder, f"pre-migration-v1-{(now - dt.timedelta(days=89)):%Y%m%d-%H%M%S}.sqlite3")
    old_restore = make_old_backup(folder, f"pre-restore-{(now - dt.timedelta(days=120)):%Y%m%d-%H%M%S}.sqlite3")
    manual = make_old_backup(folder, "manual-20200101-000000.sqlite3")
    outcome = backup.daily_backup(db_path, now=now)
    assert outcome.code == "backup.daily_done"
    daily = sorted(p.name for p in folder.glob("daily-*.sqlite3"))
    assert outcome.path is not None
    assert daily[-1] == outcome.path.name
    # today's + the 9 newest days, and the newest of the ISO week before them (Sunday 18 May 2025); the
    # rest of that week goes
    assert len(daily) == 11
    assert daily[1:-1] == [f"daily-{(now - dt.timedelta(days=d)):%Y%m%d}-080000.sqlite3" for d in range(9, 0, -1)]
    assert daily[0] == "daily-20250518-080000.sqlite3"
    assert not (folder / "daily-20250517-080000.sqlite3").exists()
    assert not old_pre.exists()
    assert not old_restore.exists()
    assert new_pre.exists()
    assert manual.exists()
    assert old_pre in outcome.removed


def test_rotation_reads_its_settings(db_path: Path) -> None:
    folder = db_path.parent / "backups"
    now = dt.datetime(2025, 6, 1, 9, 0)
    for d in range(6):
        make_old_backup(folder, f"daily-{(now - dt.timedelta(days=d + 1)):%Y%m%d}-080000.sqlite3")
    pre = make_old_backup(folder, f"pre-migration-v1-{(now - dt.timedelta(days=20)):%Y%m%d-%H%M%S}.sqlite3")
    settings.set_value("backup_keep_daily", 3)
    settings.set_value("backup_keep_premigration_days", 10)
    backup.daily_backup(db_path, now=now)
    assert len(list(folder.glob("daily-*.sqlite3"))) == 3
    assert not pre.exists()
    settings.set_value("backup_keep_daily", "nonsense")
    assert backup.keep_daily() == backup.DEFAULT_KEEP_DAILY


def test_a_failed_daily_backup_is_reported_not_raised(db_path: Path) -> None:
    (db_path.parent / "backups").write_text("a file where the folder should be")
    outcome = backup.daily_backup(db_path)
    assert outcome.failed
    assert outcome.code == "backup.failed"
    assert outcome.params["detail"]


# ---------------------------------------------------------------- listing and verifying


def test_list_backups_newest_first_with_counts(db_path: Path) -> None:
    org = add_org()
    add_candidates(org, 3)
    first = backup.backup_now(db_path, now=dt.datetime(2025, 1, 2, 8, 0))
    add_org("NTMK")
    second = backup.backup_now(db_path, now=dt.datetime(2025, 1, 3, 8, 0))
    broken = db_path.parent / "backups" / "daily-20250104-080000.sqlite3"
    broken.write_bytes(b"not a database" * 300)
    infos = backup.list_backups(db_path)
    assert [i.path for i in infos] == [broken, second, first]
    assert not infos[0].readable
    assert (infos[1].organisations, infos[1].candidates) == (2, 3)
    assert (infos[2].organisations, infos[2].candidates) == (1, 3)
    assert infos[1].kind == "manual"
    assert infos[1].created == dt.datetime(2025, 1, 3, 8, 0)
    assert infos[1].schema_version == db.SCHEMA_VERSION


def test_verify_refuses_what_must_not_replace_the_database(tmp_path: Path) -> None:
    not_db = tmp_path / "x.sqlite3"
    not_db.write_bytes(b"hello" * 1000)
    too_new = make_old_backup(tmp_path, "new.sqlite3", version=db.SCHEMA_VERSION + 1)
    foreign = tmp_path / "foreign.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()
    cases = {not_db: "backup.foreign", too_new: "backup.too_new", foreign: "backup.not_lamha",
             tmp_path / "missing.sqlite3": "backup.missing"}
    for path, code in cases.items():
        with pytest.raises(StorageError) as info:
            backup.verify(path)
        assert info.value.code == code, path


def test_verify_finds_a_damaged_page(db_path: Path) -> None:
    org = add_org()
    add_candidates(org, 400)
    path = backup.backup_now(db_path)
    corrupt(path)
    before = path.read_bytes()
    with pytest.raises(StorageError) as info:
        backup.verify(path)
    assert info.value.code in ("backup.damaged", "backup.not_database")
    assert path.read_bytes() == before


# ---------------------------------------------------------------- restore


def test_restore_replaces_and_keeps_the_current_data(db_path: Path) -> None:
    org = add_org()
    add_candidates(org, 5)
    saved = backup.backup_now(db_path)
    add_candidates(org, 7, start=100)
    assert Candidate.select().count() == 12
    result = backup.restore(db_path, saved)
    assert not db.database.is_closed()  # reopened, as it was open before
    assert Candidate.select().count() == 5
    assert (result.restored.organisations, result.restored.candidates) == (1, 5)
    assert result.safety_backup is not None
    assert result.safety_backup.name.startswith("pre-restore-")
    assert count(result.safety_backup, "candidate") == 12
    assert result.moved_aside is None
    assert not list((db_path.parent / "backups").glob("*.part"))
    assert db.database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    add_candidates(org, 1, start=500)  # and it is writable
    assert Candidate.select().count() == 6


@pytest.mark.parametrize("kind", ["damaged", "too_new", "not_db"])
def test_a_refused_restore_changes_nothing(db_path: Path, tmp_path: Path, kind: str) -> None:
    org = add_org()
    add_candidates(org, 400)
    src = tmp_path / "src.sqlite3"
    if kind == "damaged":
        backup.backup_now(db_path, dest=src)
        corrupt(src)
    elif kind == "too_new":
        make_old_backup(tmp_path, "src.sqlite3", version=db.SCHEMA_VERSION + 3)
    else:
        src.write_bytes(b"\x00garbage" * 2000)
    backups_before = set((db_path.parent / "backups").glob("*")) if (db_path.parent / "backups").exists() else set()
    with pytest.raises(StorageError):
        backup.restore(db_path, src)
    assert not db.database.is_closed()
    assert Candidate.select().count() == 400
    after = set((db_path.parent / "backups").glob("*"))
    assert after == backups_before  # no staged copy, no safety copy of a refused restore


def test_restore_of_the_database_itself_is_refused(db_path: Path) -> None:
    with pytest.raises(StorageError) as info:
        backup.restore(db_path, db_path)
    assert info.value.code == "backup.is_current"


def test_restore_older_schema_is_migrated_on_reopen(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_org()
    saved = backup.backup_now(db_path)

    def v2(database: object) -> None:
        db.database.execute_sql("CREATE INDEX idx_restore_v2 ON organisation(school_name)")

    db.close_database()
    head = db.SCHEMA_VERSION
    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, v2])
    monkeypatch.setattr(db, "SCHEMA_VERSION", len(db.MIGRATIONS))
    db.open_database(db_path)
    assert db.schema_version() == head + 1
    backup.restore(db_path, saved)
    assert db.schema_version() == head + 1
    assert Organisation.select().count() == 1
    assert list((db_path.parent / "backups").glob(f"pre-migration-v{head}-*.sqlite3"))


def test_restore_never_replays_a_stale_wal(tmp_path: Path) -> None:
    """A process killed with committed data in the -wal: that data goes to the safety copy, and the
    -wal is never applied to the restored file."""
    path = tmp_path / "data" / db.DB_FILENAME
    db.open_database(path)
    add_org()
    saved = backup.backup_now(path)
    db.close_database()
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from lamha_desktop.storage import db\n"
        "from lamha_desktop.storage.models import Organisation\n"
        "db.open_database(Path(sys.argv[1]))\n"
        "db.database.execute_sql('PRAGMA wal_autocheckpoint=0')\n"
        "for i in range(50):\n"
        "    Organisation.create(code=f'K{i}', school_name='Trường', name='Chi bộ')\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True, cwd=ROOT, timeout=60)
    wal = path.with_name(path.name + "-wal")
    assert wal.exists()
    assert wal.stat().st_size > 0
    result = backup.restore(path, saved, reopen=False)
    assert not wal.exists()
    assert result.safety_backup is not None
    assert count(result.safety_backup, "organisation") == 51
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT COUNT(*) FROM organisation").fetchone()[0] == 1
    con.close()


def test_restore_over_a_damaged_database_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "data" / db.DB_FILENAME
    db.open_database(path)
    org = add_org()
    add_candidates(org, 400)
    saved = backup.backup_now(path)
    db.close_database()
    corrupt(path, page=3)
    damaged_bytes = path.read_bytes()
    result = backup.restore(path, saved, reopen=False)
    assert result.safety_backup is None
    assert result.moved_aside is not None
    assert result.moved_aside.read_bytes() == damaged_bytes
    assert result.moved_aside.name.startswith(f"{db.DB_FILENAME}.damaged-")
    assert count(path, "candidate") == 400


def test_move_aside_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / db.DB_FILENAME
    now = dt.datetime(2025, 5, 5, 5, 5, 5)
    path.write_bytes(b"one")
    path.with_name(path.name + "-wal").write_bytes(b"wal")
    first = backup.move_aside(path, now=now)
    path.write_bytes(b"two")
    second = backup.move_aside(path, now=now)
    assert first != second
    assert first.read_bytes() == b"one"
    assert second.read_bytes() == b"two"
    assert first.with_name(first.name + "-wal").read_bytes() == b"wal"
    assert not path.exists()


# ---------------------------------------------------------------- checks at open


def test_open_refuses_a_damaged_database_and_leaves_it_untouched(tmp_path: Path) -> None:
    path = tmp_path / db.DB_FILENAME
    db.open_database(path)
    org = add_org()
    add_candidates(org, 400)
    db.close_database()
    corrupt(path)
    before = path.read_bytes()
    with pytest.raises(StorageError) as info:
        db.open_database(path)
    assert info.value.code == "db.corrupt"
    assert db.database.is_closed()
    assert path.read_bytes() == before


@pytest.mark.parametrize(("err", "code"), [(errno.EACCES, "db.read_only"), (errno.EROFS, "db.read_only"),
                                           (errno.ENOSPC, "db.disk_full")])
def test_read_only_or_full_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: int,
                                              code: str) -> None:
    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(StorageError) as info:
        db.open_database(tmp_path / db.DB_FILENAME)
    assert info.value.code == code
    assert not (tmp_path / db.DB_FILENAME).exists()


@pytest.mark.posix_only  # file modes honoured by a child without root's override
def test_really_read_only_folder(tmp_path: Path) -> None:
    from conftest import run_without_permission_override

    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        code = run_without_permission_override(
            "from pathlib import Path\n"
            "from lamha_desktop.storage import db\n"
            "try:\n"
            f"    db.open_database(Path({str(folder / db.DB_FILENAME)!r}))\n"
            "except db.StorageError as exc:\n"
            "    print(exc.code)\n")
        assert code == "db.read_only"
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


@pytest.mark.posix_only  # reads a /proc/mounts; Windows asks the drive type instead
def test_network_share_is_recognised(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "overlay / overlay rw 0 0\n"
        "//server/share /mnt/school\\040office cifs rw 0 0\n"
        "server:/export /srv/nfs nfs4 rw 0 0\n"
        "tmpfs /mnt/school\\040office/local tmpfs rw 0 0\n")
    assert backup.network_filesystem(Path("/mnt/school office/data"), mounts_file=mounts) == "cifs"
    assert backup.network_filesystem(Path("/srv/nfs/x"), mounts_file=mounts) == "nfs4"
    assert backup.network_filesystem(Path("/mnt/school office/local/x"), mounts_file=mounts) is None
    assert backup.network_filesystem(Path("/home/user"), mounts_file=mounts) is None
    assert backup.network_filesystem(Path("\\\\server\\share\\lamha"), mounts_file=mounts) == "unc"
    assert backup.network_filesystem(tmp_path, mounts_file=tmp_path / "missing") is None
