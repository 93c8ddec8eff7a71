"""Keeping the data safe: backups, restore, recovery of a damaged file, the database password.

A restore replaces the whole database: it takes the data-folder lock first and is refused while another
program writes (a headless import, another window). A backup only reads the database; it writes files into
``backups/`` or where the user said.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lamha_desktop.operations.core import LOCK_WAIT_SECONDS, OpChanges
from lamha_desktop.storage import backup, encryption, lock

__all__ = ["backup_now", "change_password", "daily_backup", "recover", "restore"]


def daily_backup(db_path: Path) -> backup.AutoBackup:
    """The day's automatic backup at start-up (rotation keeps history; a failure is reported, never raised)."""
    return backup.daily_backup(db_path)


def backup_now(db_path: Path, *, kind: str = "manual", dest: Path | None = None) -> OpChanges:
    """A copy of the live database (``OpChanges.result``: its path)."""
    path = backup.backup_now(db_path, kind=kind, dest=dest)
    return OpChanges("backup.now", result=path)


def restore(db_path: Path, src: Path, *, reopen: bool | None = None, source_passphrase: str | None = None,
            wait: float = LOCK_WAIT_SECONDS) -> OpChanges:
    """Replace the database with the backup ``src`` (checked first; the current data is kept aside)."""
    with lock.holding(db_path.parent, purpose="restore", wait=wait):
        result = backup.restore(db_path, src, reopen=reopen, source_passphrase=source_passphrase)
    return OpChanges("backup.restore", everything=True, result=result)


def recover(db_path: Path, good: Path) -> OpChanges:
    """A damaged database: move it aside (never deleted) and restore the good backup ``good``."""
    with lock.holding(db_path.parent, purpose="restore", wait=LOCK_WAIT_SECONDS):
        moved = backup.move_aside(db_path)
        result = backup.restore(db_path, good, reopen=False)
    return OpChanges("backup.recover", everything=True, result=(moved, result))


def change_password(db_path: Path, new: str | None, *, current: str | None = None) -> OpChanges:
    """Set, change or remove (``new`` None) the database password; backups follow."""
    with lock.holding(db_path.parent, purpose="operation", wait=LOCK_WAIT_SECONDS):
        result: Any = encryption.change_password(db_path, new, current=current)
    return OpChanges("password.change", everything=True, result=result)
