"""Names the data-safety screens show (backup kinds, audit tables and fields); the texts of the codes are in
:mod:`lamha_desktop.catalogue.safety`."""

from __future__ import annotations

from lamha_desktop.catalogue.safety import (
    AUDIT_ACTION_NAMES,
    AUDIT_FIELD_NAMES,
    AUDIT_TABLE_NAMES,
    BACKUP_KIND_NAMES,
)
from lamha_desktop.ui import messages

__all__ = ["AUDIT_ACTION_NAMES", "AUDIT_TABLE_NAMES", "BACKUP_KIND_NAMES", "FIELD_NAMES", "text"]

FIELD_NAMES = AUDIT_FIELD_NAMES


def text(code: str, params: dict[str, object] | None = None) -> str:
    return messages.text(code, params)
