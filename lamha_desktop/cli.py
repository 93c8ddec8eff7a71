"""Headless commands over the same functions the GUI uses. No display needed."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str]) -> int:
    print(f"lệnh chưa được hỗ trợ: {argv[0]}", file=sys.stderr)
    return 2
