"""Backups that keep history: grandfather-father-son rotation, no new generation for unchanged data, the good
backups kept when the database shrinks, temporary files cleaned and private, ``--out`` targets refused, and
restore errors that name the user's file."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from lamha_desktop.storage import backup, db
from lamha_desktop.storage.db import StorageError
from lamha_desktop.storage.models import Candidate, Organisation


@pytest.fixture(autouse=True)
def _closed() -> Iterator[None]:
    yield
    db.close_database()
    db.forget_passphrase()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """An open database with one organisation and 300 candidates."""
    path = tmp_path / "data" / db.DB_FILENAME
    db.open_database(path)
    org = Organisation.create(code="LQD", school_name="Trường THPT Lê Quý Đôn", name="Chi bộ")
    add_candidates(org.id, 300)
    return path


def add_candidates(org_id: int, n: int, start: int = 0) -> None:
    with db.database.atomic():
        for i in range(start, start + n):
            Candidate.create(organisation=org_id, full_name=f"Nguyễn Văn {i}", search_key=f"nguyen van {i}",
                             sort_key=f"{i:06d}", gender="nam", birth="2008-01-01", personal_id=f"{i:012d}")


def small_backup(folder: Path, name: str, candidates: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE organisation(id INTEGER PRIMARY KEY)")
    con.execute("CREATE TABLE candidate(id INTEGER PRIMARY KEY)")
    con.executemany("INSERT INTO candidate VALUES (?)", [(i,) for i in range(candidates)])
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    return path


def dailies(db_path: Path) -> list[str]:
    return sorted(p.name[6:14] for p in backup.backups_dir(db_path).glob("daily-*.sqlite3"))


# ---------------------------------------------------------------- grandfather-father-son


def test_a_year_of_dailies_keeps_days_weeks_and_months(data: Path) -> None:
    folder = backup.backups_dir(data)
    end = dt.date(2025, 6, 1)  # a Sunday
    for d in range(400):
        day = end - dt.timedelta(days=d)
        small_backup(folder, f"daily-{day:%Y%m%d}-080000.sqlite3")
    removed = backup.rotate(data, now=dt.datetime(2025, 6, 1, 9, 0), keep=10, keep_weeks=8, keep_months=12)
    days = [f"202505{d:02d}" for d in range(23, 32)] + ["20250601"]  # the last 10 days
    weeks = ["20250413", "20250420", "20250427", "20250504", "20250511", "20250518"]  # Sundays of 6 more weeks
    months = ["20240731", "20240831", "20240930", "20241031", "20241130", "20241231", "20250131", "20250228",
              "20250331", "20250430"]  # the last day of 10 more months (May and June are among the days)
    assert dailies(data) == sorted(days + weeks + months)
    assert len(removed) == 400 - 26


def test_rotation_reads_weeks_and_months_from_the_settings(data: Path) -> None:
    from lamha_desktop.storage import settings

    settings.set_value("backup_keep_weekly", 2)
    settings.set_value("backup_keep_monthly", 1)
    assert (backup.keep_weekly(), backup.keep_monthly()) == (2, 1)
    settings.set_value("backup_keep_monthly", 0)
    assert backup.keep_monthly() == backup.DEFAULT_KEEP_MONTHLY


# ---------------------------------------------------------------- the same content is no new generation


def test_an_unchanged_database_makes_no_new_daily_backup(data: Path) -> None:
    first = backup.daily_backup(data, now=dt.datetime(2025, 3, 1, 8, 0))
    assert first.code == "backup.daily_done"
    for day in range(2, 12):  # ten starts without a change
        again = backup.daily_backup(data, now=dt.datetime(2025, 3, day, 8, 0))
        assert again.code == "backup.daily_unchanged"
        assert again.path == first.path
    assert dailies(data) == ["20250301"]
    Organisation.create(code="NEW", school_name="Trường mới", name="Chi bộ mới")
    changed = backup.daily_backup(data, now=dt.datetime(2025, 3, 12, 8, 0))
    assert changed.code == "backup.daily_done"
    assert dailies(data) == ["20250301", "20250312"]


def test_the_content_digest_ignores_the_file_layout(data: Path, tmp_path: Path) -> None:
    one = backup.backup_now(data, now=dt.datetime(2025, 1, 1))
    raw_copy = tmp_path / "vacuumed.sqlite3"
    con = sqlite3.connect(db.ro_uri(one), uri=True)
    con.execute(f"VACUUM INTO '{raw_copy}'")
    con.close()
    assert raw_copy.read_bytes() != one.read_bytes()  # another page layout (VACUUM packs the pages)...
    assert backup.content_digest(raw_copy) == backup.content_digest(one) == backup.content_digest(data)
    Candidate.update(class_name="12A1").where(Candidate.id == 1).execute()
    assert backup.content_digest(data) != backup.content_digest(one)


@pytest.mark.skipif(not db.encryption_available(), reason="sqlcipher3 is not installed")
def test_an_unchanged_encrypted_database_makes_no_new_daily_backup(data: Path) -> None:
    from conftest import set_kdf_iterations

    from lamha_desktop.storage import encryption

    set_kdf_iterations(4000)
    try:
        encryption.change_password(data, "mật khẩu dài")
        first = backup.daily_backup(data, now=dt.datetime(2025, 3, 1, 8, 0))
        assert first.code == "backup.daily_done"
        second = backup.daily_backup(data, now=dt.datetime(2025, 3, 2, 8, 0))
        assert second.code == "backup.daily_unchanged"  # the bytes differ (new IVs); the content does not
    finally:
        set_kdf_iterations(256000)


# ---------------------------------------------------------------- an emptied database keeps the good backups


def test_an_emptied_database_never_rotates_the_good_backups_away(data: Path) -> None:
    start = dt.datetime(2025, 3, 1, 8, 0)
    for day in range(12):  # a fortnight of work, a backup each day
        Organisation.update(secretary=f"Bí thư {day}").execute()
        assert backup.daily_backup(data, now=start + dt.timedelta(days=day)).code == "backup.daily_done"
    good = sorted(backup.backups_dir(data).glob("daily-*.sqlite3"))[-1]
    Candidate.delete().execute()  # emptied: a sync tool, a wrong click
    shrink = backup.daily_backup(data, now=start + dt.timedelta(days=12))
    assert shrink.code == "backup.daily_done"
    assert shrink.removed == ()
    assert shrink.warning is not None
    code, params = shrink.warning
    assert code == "backup.data_shrunk"
    assert (params["current"], params["candidates"], params["backup"]) == (0, 300, str(good))
    for day in range(13, 60):  # weeks of starts with the empty database, each day a little different
        Organisation.update(secretary=f"Bí thư {day}").execute()
        outcome = backup.daily_backup(data, now=start + dt.timedelta(days=day))
        assert outcome.code == "backup.daily_done"
        assert good not in outcome.removed
    assert good.exists()
    info = backup.inspect(good)
    assert info.candidates == 300
    assert backup.newest_good_backup(data) is not None


def test_the_richer_backup_is_the_only_exception(data: Path) -> None:
    folder = backup.backups_dir(data)
    now = dt.datetime(2025, 6, 1, 9, 0)
    rich = small_backup(folder, "daily-20240101-080000.sqlite3", candidates=500)
    poorer = small_backup(folder, "daily-20240102-080000.sqlite3", candidates=10)
    for d in range(1, 40):
        small_backup(folder, f"daily-{(now - dt.timedelta(days=d)):%Y%m%d}-080000.sqlite3", candidates=300)
    removed = backup.rotate(data, now=now, keep=5, keep_weeks=1, keep_months=1, current=300)
    assert rich.exists()
    assert poorer in removed
    removed = backup.rotate(data, now=now, keep=5, keep_weeks=1, keep_months=1, current=600)
    assert rich in removed  # the database holds more than it now: no longer needed


# ---------------------------------------------------------------- temporary files


def test_copies_are_private_while_written_and_after(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    modes: list[int] = []
    real = db.fsync_file

    def watch(path: Path) -> None:
        modes.append(stat.S_IMODE(os.stat(path).st_mode))
        real(path)

    monkeypatch.setattr(db, "fsync_file", watch)
    old = os.umask(0o022)
    try:
        made = backup.backup_now(data)
        out = backup.backup_now(data, dest=data.parent.parent / "usb" / "copy.sqlite3")
    finally:
        os.umask(old)
    assert modes == [0o600, 0o600]
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.skipif(not db.encryption_available(), reason="sqlcipher3 is not installed")
def test_a_password_change_writes_private_copies(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import set_kdf_iterations

    from lamha_desktop.storage import encryption

    backup.backup_now(data, now=dt.datetime(2025, 1, 1))  # converted too, through its own temporary copy
    modes: list[int] = []
    real = db.fsync_file

    def watch(path: Path) -> None:
        modes.append(stat.S_IMODE(os.stat(path).st_mode))
        real(path)

    monkeypatch.setattr(db, "fsync_file", watch)
    set_kdf_iterations(4000)
    old = os.umask(0o022)
    try:
        encryption.change_password(data, "mật khẩu dài")
    finally:
        os.umask(old)
        set_kdf_iterations(256000)
    assert len(modes) >= 3  # the pre-password copy, the re-encrypted database, the converted backups
    assert set(modes) == {0o600}
    assert stat.S_IMODE(data.stat().st_mode) == 0o600


def test_leftovers_of_a_killed_copy_are_cleaned_and_only_ours(data: Path) -> None:
    folder = backup.backups_dir(data)
    folder.mkdir()
    now = dt.datetime.now()
    ours = [folder / "daily-20250101-080000.sqlite3.part", folder / ".restore-20250101-080000-4242.sqlite3.part",
            data.parent / f".{db.DB_FILENAME}.rekey-4242.part", data.parent / ".lamha-probe-abcd_123"]
    fresh = folder / "manual-20250102-080000.sqlite3.part"  # a copy still being written
    others = [folder / "notes.part", data.parent / "report.tmp", data.parent / "daily-x.sqlite3.part"]
    old = (now - dt.timedelta(hours=3)).timestamp()
    for p in [*ours, fresh, *others]:
        p.write_bytes(b"x" * 100)
        if p is not fresh:
            os.utime(p, (old, old))
    removed = backup.clean_leftovers(data, now=now)
    assert sorted(removed) == sorted(ours)
    assert fresh.exists()
    assert all(p.exists() for p in others)


# ---------------------------------------------------------------- backup --out targets


def test_backup_onto_the_live_database_is_refused(data: Path) -> None:
    before = Candidate.select().count()
    for target in (data, Path(f"{data}-wal"), data.parent / "." / db.DB_FILENAME):
        with pytest.raises(StorageError) as info:
            backup.backup_now(data, dest=target)
        assert info.value.code == "backup.out_is_database"
    link = data.parent / "link.sqlite3"
    os.link(data, link)
    with pytest.raises(StorageError) as info:
        backup.backup_now(data, dest=link)
    assert info.value.code == "backup.out_is_database"
    assert Candidate.select().count() == before
    assert db.quick_check() is None


def test_backup_onto_a_database_in_use_or_a_backup_is_refused(data: Path, tmp_path: Path) -> None:
    other = tmp_path / "other" / db.DB_FILENAME
    other.parent.mkdir()
    con = sqlite3.connect(other)
    con.execute("PRAGMA journal_mode=wal")
    con.execute("CREATE TABLE t(x)")
    con.commit()  # kept open: another program's live database
    try:
        before = other.read_bytes()
        with pytest.raises(StorageError) as info:
            backup.backup_now(data, dest=other)
        assert info.value.code == "backup.out_in_use"
        assert other.read_bytes() == before
    finally:
        con.close()
    kept = backup.backup_now(data, now=dt.datetime(2025, 1, 1))
    with pytest.raises(StorageError) as info:
        backup.backup_now(data, dest=kept)
    assert info.value.code == "backup.out_is_backup"


def test_backup_into_a_folder_makes_a_new_file_there(data: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    made = backup.backup_now(data, dest=usb, now=dt.datetime(2025, 1, 2, 3, 4, 5))
    assert made == usb / "manual-20250102-030405.sqlite3"
    assert backup.verify(made).candidates == 300


# ---------------------------------------------------------------- restore names the user's file


def test_restore_errors_name_the_chosen_file(data: Path, tmp_path: Path) -> None:
    src = backup.backup_now(data, dest=tmp_path / "usb" / "copy.sqlite3")
    con = sqlite3.connect(src)
    con.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")  # made by a newer version
    con.commit()
    con.close()
    with pytest.raises(StorageError) as info:
        backup.restore(data, src)
    assert info.value.code == "backup.too_new"
    assert info.value.params["path"] == str(src)  # not the staged ".restore-….part" copy
    assert not list(backup.backups_dir(data).glob(".restore-*"))
    foreign = tmp_path / "usb" / "foreign.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE contacts(name TEXT)")
    con.commit()
    con.close()
    with pytest.raises(StorageError) as info:
        backup.restore(data, foreign)
    assert (info.value.code, info.value.params["path"]) == ("backup.not_lamha", str(foreign))
    src.write_bytes(b"")
    with pytest.raises(StorageError) as info:
        backup.restore(data, src)
    assert (info.value.code, info.value.params["path"]) == ("backup.empty_file", str(src))


def test_restore_over_an_emptied_file_keeps_it_aside(data: Path) -> None:
    good = backup.backup_now(data, now=dt.datetime(2025, 1, 1))
    db.close_database()
    data.write_bytes(b"")
    result = backup.restore(data, good, reopen=True)
    assert result.safety_backup is None  # no "pre-restore" copy of nothing
    assert result.moved_aside is not None
    assert result.moved_aside.stat().st_size == 0
    assert Candidate.select().count() == 300
