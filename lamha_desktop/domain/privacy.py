"""Personal ID numbers shown where a person only needs to recognise them: every digit but the last four hidden.

One rule for every console line and message that may end up in a log, a screenshot or an e-mail:
``068308001234`` reads ``********1234``. Numbers of 9 to 12 digits are taken for IDs (the 12-digit
personal ID and the old 9-digit identity card); shorter numbers (row numbers, dates, counts) are left alone.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["KEEP_DIGITS", "mask_ids", "mask_pid"]

KEEP_DIGITS: Final = 4
_ID: Final = re.compile(r"(?<!\d)\d{9,12}(?!\d)")


def mask_pid(pid: str) -> str:
    """``pid`` with all but its last four characters replaced by ``*`` (all of them when it is that short)."""
    if len(pid) <= KEEP_DIGITS:
        return "*" * len(pid)
    return "*" * (len(pid) - KEEP_DIGITS) + pid[-KEEP_DIGITS:]


def mask_ids(text: str) -> str:
    """``text`` with every number of 9 to 12 digits masked by :func:`mask_pid`."""
    return _ID.sub(lambda m: mask_pid(m.group()), text)
