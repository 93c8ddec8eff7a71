"""The GUI's access to the message catalogue: :func:`tr` and :func:`text` through Qt's translator.

The texts themselves live in :mod:`lamha_desktop.catalogue` (Qt-free, one code one text).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from lamha_desktop.catalogue import (
    ACTION_NAMES,
    DUE_NAMES,
    GENDER_NAMES,
    MESSAGES,
    ORG_KIND_NAMES,
    RECORD_FACT_NAMES,
    STAGE_NAMES,
    STEP_NAMES,
    fmt_date,
    fmt_month,
    stage_name,
)
from lamha_desktop.catalogue import text as _text

__all__ = [
    "ACTION_NAMES",
    "DUE_NAMES",
    "GENDER_NAMES",
    "MESSAGES",
    "ORG_KIND_NAMES",
    "RECORD_FACT_NAMES",
    "STAGE_NAMES",
    "STEP_NAMES",
    "fmt_date",
    "fmt_month",
    "stage_name",
    "text",
    "tr",
]


def tr(text: str) -> str:
    return QCoreApplication.translate("lamha", text)


def text(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The Vietnamese message of ``code`` with its parameters filled in."""
    return _text(code, params, translate=tr)
