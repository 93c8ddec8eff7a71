"""The data-folder lock: an OS lock that its process's end always releases; the Windows path by imitation."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from lamha_desktop.storage import lock
from lamha_desktop.storage.db import StorageError

ROOT = Path(__file__).resolve().parents[2]


def test_reentrant_within_a_process_and_released_by_the_last(tmp_path: Path) -> None:
    lock.acquire(tmp_path, purpose="app")
    lock.acquire(tmp_path, purpose="operation")
    assert lock.held(tmp_path)
    assert lock.holder(tmp_path)["purpose"] == "app"
    lock.release(tmp_path)
    assert lock.held(tmp_path)
    lock.release(tmp_path)
    assert not lock.held(tmp_path)
    assert not (tmp_path / "lamha.lock.owner").exists()


def test_a_lock_file_left_by_another_host_is_no_lock(tmp_path: Path) -> None:
    """A USB stick moved from a PC that crashed: the files say another host holds it, but no process does.
    The OS lock is what counts, so the folder is simply free (no stale-lock guessing, no waiting)."""
    (tmp_path / "lamha.lock").write_text("4242\nlamha-desktop\nPC-PHONG-HOC\n")
    (tmp_path / "lamha.lock.owner").write_text(json.dumps({"host": "PC-PHONG-HOC", "pid": 4242, "user": "thuky",
                                                          "purpose": "app", "since": "2026-11-30T16:05:00"}))
    lock.acquire(tmp_path, purpose="app", wait=0)
    try:
        assert lock.holder(tmp_path)["host"] != "PC-PHONG-HOC"
    finally:
        lock.release(tmp_path)


def test_a_killed_holder_leaves_the_folder_free(tmp_path: Path) -> None:
    code = ("import sys, time\nfrom pathlib import Path\nfrom lamha_desktop.storage import lock\n"
            "lock.acquire(Path(sys.argv[1]), purpose='app')\nprint('locked', flush=True)\ntime.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    with pytest.raises(lock.LockBusy) as busy:
        lock.acquire(tmp_path, purpose="restore", wait=0.2)
    assert busy.value.params["pid"] == proc.pid
    assert busy.value.params["purpose"] == "app"
    proc.kill()
    proc.wait()
    proc.stdout.close()
    lock.acquire(tmp_path, purpose="restore", wait=2)  # the OS released it with the process
    lock.release(tmp_path)


class FakeMsvcrt(ModuleType):
    """``msvcrt.locking`` as Windows does it: a byte range locked by one open file, refused to the others with
    EACCES (LK_NBLCK), released by LK_UNLCK or when the descriptor is closed."""

    LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = 0, 1, 2, 3, 4

    def __init__(self) -> None:
        super().__init__("msvcrt")
        self.locked: dict[tuple[int, int], int] = {}  # (file identity, offset) -> fd

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        st = os.fstat(fd)
        key = (st.st_ino, os.lseek(fd, 0, os.SEEK_CUR))
        owner = self.locked.get(key)
        if owner is not None:
            try:
                os.fstat(owner)
            except OSError:  # the holder's descriptor was closed: Windows released the range
                del self.locked[key]
                owner = None
        if mode == self.LK_UNLCK:
            self.locked.pop(key, None)
        elif owner is not None and owner != fd:
            raise OSError(errno.EACCES, "Permission denied")
        else:
            self.locked[key] = fd


def test_the_windows_path_locks_and_unlocks_by_byte_range(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(sys, "platform", "win32")
    lock.acquire(tmp_path, purpose="app")
    try:
        assert len(fake.locked) == 1
        # Another process's attempt: imitated by a second descriptor on the same file.
        other = os.open(tmp_path / "lamha.lock", os.O_RDWR)
        try:
            assert not lock._Windows().try_lock(other)
        finally:
            os.close(other)
    finally:
        lock.release(tmp_path)
    assert fake.locked == {}


def test_a_read_only_folder_is_named_as_such(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> int:
        raise PermissionError(errno.EACCES, "Access is denied")

    monkeypatch.setattr(lock.os, "open", refuse)
    with pytest.raises(StorageError) as info:
        lock.acquire(tmp_path, purpose="app")
    assert info.value.code == "db.read_only"


def test_a_file_system_that_cannot_lock_still_lets_the_write_go(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def cannot(_self: object, _fd: int) -> bool:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(lock._Posix, "try_lock", cannot)
    lock.acquire(tmp_path, purpose="app")
    assert lock.held(tmp_path)
    lock.release(tmp_path)
    assert not lock.held(tmp_path)
