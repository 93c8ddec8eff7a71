"""The atomic writer every export uses: a full disk is named as such, temporary files are private and those a
killed export left are removed, never anyone else's."""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path

import pytest

from lamha_desktop.reports import files
from lamha_desktop.reports.files import ExportError, write_atomic


def test_a_full_disk_is_disk_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    target = tmp_path / "bc.xlsx"
    target.write_bytes(b"the old return")
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ExportError) as info:
        write_atomic(target, b"x" * 10000)
    assert info.value.code == "export.disk_full"
    assert target.read_bytes() == b"the old return"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bc.xlsx"]


def test_the_temporary_file_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    modes: list[int] = []
    real = os.replace

    def watch(src: str, dst: str) -> None:
        modes.append(stat.S_IMODE(os.stat(src).st_mode))
        real(src, dst)

    monkeypatch.setattr(os, "replace", watch)
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "bc.xlsx", b"data")
    finally:
        os.umask(old)
    assert modes == [0o600]


def test_temporaries_of_a_killed_export_are_removed_and_only_those(tmp_path: Path) -> None:
    old = time.time() - 2 * files.STALE_TEMP_SECONDS
    stale = tmp_path / ".bc-a1b2c3d4.tmp"
    fresh = tmp_path / ".bc-z9y8x7w6.tmp"  # an export of the same file still running
    others = [tmp_path / ".bc-notours.tmp", tmp_path / ".other-a1b2c3d4.tmp", tmp_path / "bc-a1b2c3d4.tmp"]
    for p in (stale, fresh, *others):
        p.write_bytes(b"ID 068308001234")
        if p is not fresh:
            os.utime(p, (old, old))
    write_atomic(tmp_path / "bc.xlsx", b"data")
    assert not stale.exists()
    assert fresh.exists()
    assert all(p.exists() for p in others)
