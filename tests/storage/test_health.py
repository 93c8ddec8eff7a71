"""What a database file is, from its bytes, on real files: SQLite, cut short, zeroed, another format, random
bytes, an SQLCipher file; and what the backups beside it say about random bytes."""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import shutil
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from conftest import set_kdf_iterations

from lamha_desktop.storage import backup, db, encryption, health
from lamha_desktop.storage.models import Candidate, Organisation


@pytest.fixture(autouse=True)
def _closed() -> Iterator[None]:
    yield
    db.close_database()
    db.forget_passphrase()


def make_db(folder: Path, candidates: int = 50) -> Path:
    path = folder / db.DB_FILENAME
    db.open_database(path)
    org = Organisation.create(code="LQD", school_name="Trường THPT Lê Quý Đôn", name="Chi bộ")
    for i in range(candidates):
        Candidate.create(organisation=org, full_name=f"Nguyễn Văn {i}", search_key=f"nguyen van {i}",
                         sort_key=f"{i:06d}", gender="nam", birth="2008-01-01", personal_id=f"{i:012d}")
    db.close_database()
    return path


def test_a_database_and_a_missing_or_empty_file(tmp_path: Path) -> None:
    path = make_db(tmp_path)
    assert health.examine(path).state == health.SQLITE
    assert health.examine(tmp_path / "none.sqlite3").state == health.MISSING
    assert health.examine(tmp_path / "a-file" / "x.sqlite3").state == health.MISSING
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    assert health.examine(tmp_path / "empty.sqlite3").state == health.EMPTY


def test_a_file_cut_short_is_truncated(tmp_path: Path) -> None:
    path = make_db(tmp_path)
    whole = path.read_bytes()
    assert len(whole) >= 8 * 4096
    path.write_bytes(whole[: 3 * 4096])  # whole pages, but fewer than the header counts
    check = health.examine(path)
    assert check.state == health.TRUNCATED
    assert check.size == 3 * 4096
    assert check.expected == len(whole)
    path.write_bytes(whole[: 3 * 4096 + 1000])  # cut inside a page
    assert health.examine(path).state == health.TRUNCATED
    path.write_bytes(whole[:60])  # cut inside the header itself
    assert health.examine(path).state == health.TRUNCATED
    path.write_bytes(whole[:10])  # not even the whole magic string
    assert health.examine(path).state == health.TRUNCATED


def test_a_checkpoint_in_progress_is_not_taken_for_a_cut(tmp_path: Path) -> None:
    """With committed pages still in the -wal, the main file may be shorter than its header says."""
    path = make_db(tmp_path)
    whole = path.read_bytes()
    path.write_bytes(whole[: 3 * 4096])
    Path(f"{path}-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\0" * 28)
    assert health.examine(path).state == health.SQLITE


def test_zeros_and_other_formats(tmp_path: Path) -> None:
    path = tmp_path / db.DB_FILENAME
    path.write_bytes(b"\0" * 135168)  # a FAT cluster chain written, the data never was
    assert health.examine(path).state == health.ZEROED
    book = openpyxl.Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    assert (health.examine(path).state, health.examine(path).kind) == (health.FOREIGN, "zip")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.txt", "x" * 5000)
    assert health.examine(path).kind == "zip"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(8192))
    assert health.examine(path).kind == "pdf"
    path.write_bytes("Họ và tên;Ngày sinh\nNguyễn Văn A;01/01/2008\n".encode() * 200)
    assert health.examine(path).kind == "text"
    path.write_bytes(b"<!DOCTYPE html><html>" + b"x" * 5000)
    assert health.examine(path).kind == "html"
    shutil.rmtree(tmp_path / "d", ignore_errors=True)
    (tmp_path / "d").mkdir()
    assert health.examine(tmp_path / "d").state == health.FOREIGN
    path.write_bytes(os.urandom(1000))  # not whole pages: no SQLCipher file looks like this
    assert health.examine(path).state == health.GARBAGE


@pytest.mark.skipif(not db.encryption_available(), reason="sqlcipher3 is not installed")
def test_an_sqlcipher_file_and_random_bytes_look_alike_alone(tmp_path: Path) -> None:
    set_kdf_iterations(4000)
    try:
        path = make_db(tmp_path / "enc")
        db.open_database(path)
        encryption.change_password(path, "mật khẩu dài")
        db.close_database()
        assert health.examine(path).state == health.ENCRYPTED
        assert db.diagnose(path).state == health.ENCRYPTED  # its backups are encrypted too
        assert db.is_encrypted(path)
    finally:
        set_kdf_iterations(256000)
    random_file = tmp_path / "random.sqlite3"
    random_file.write_bytes(os.urandom(path.stat().st_size))
    assert health.examine(random_file).state == health.ENCRYPTED


def test_the_backups_tell_random_bytes_from_an_encrypted_database(tmp_path: Path) -> None:
    path = make_db(tmp_path)
    size = path.stat().st_size
    path.write_bytes(os.urandom(size))
    assert db.diagnose(path).state == health.ENCRYPTED  # no backup: nothing to tell them apart
    db.open_database(tmp_path / "other" / db.DB_FILENAME)
    db.close_database()
    good = backup.backups_dir(path)
    good.mkdir()
    shutil.copy(tmp_path / "other" / db.DB_FILENAME, good / "daily-20250101-080000.sqlite3")
    assert health.plaintext_expected(path)
    assert db.diagnose(path).state == health.GARBAGE
    # a newer pre-password copy may be a change of password that stopped half-way: it says nothing
    shutil.copy(tmp_path / "other" / db.DB_FILENAME, good / "pre-password-20250102-080000.sqlite3")
    assert not health.plaintext_expected(path)
    assert db.diagnose(path).state == health.ENCRYPTED


def test_backups_count_only_when_they_hold_something(tmp_path: Path) -> None:
    path = tmp_path / db.DB_FILENAME
    folder = backup.backups_dir(path)
    folder.mkdir()
    (folder / "daily-20250101-080000.sqlite3").write_bytes(b"")
    (folder / "notes.txt").write_text("x")
    assert not health.has_backups(path)
    con = sqlite3.connect(folder / f"manual-{dt.datetime(2025, 1, 2):%Y%m%d-%H%M%S}.sqlite3")
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()
    assert health.has_backups(path)


@pytest.mark.parametrize("start", [b"MZ", b"\x1f\x8b", b"\xff\xd8\xff", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf"])
def test_an_encrypted_file_whose_random_salt_begins_like_another_format_is_still_encrypted(
        tmp_path: Path, start: bytes) -> None:
    """SQLCipher begins a file with 16 random bytes: about one file in 16,000 starts with a two-byte signature."""
    rnd = random.Random(7)
    body = bytes(rnd.randrange(256) for _ in range(4096 * 3))
    path = tmp_path / "lamha.sqlite3"
    path.write_bytes(start + body[len(start):])
    assert health.examine(path).state == health.ENCRYPTED


def test_real_files_with_short_signatures_are_still_foreign(tmp_path: Path) -> None:
    import gzip

    archive = tmp_path / "a.sqlite3"
    archive.write_bytes(gzip.compress("nội dung ".encode() * 2000))
    assert (health.examine(archive).state, health.examine(archive).kind) == (health.FOREIGN, "gzip")
    program = tmp_path / "b.sqlite3"
    header = bytearray(4096)
    header[0:2] = b"MZ"
    header[0x3C:0x40] = (0x80).to_bytes(4, "little")
    header[0x80:0x84] = b"PE\x00\x00"
    program.write_bytes(bytes(header) + b"\x01" * 4096)
    assert health.examine(program).kind == "program"
    text = tmp_path / "c.sqlite3"
    text.write_bytes(("\ufeff" + "Họ và tên,Ngày sinh\n" * 64).encode("utf-16-le"))
    assert health.examine(text).kind == "text"
