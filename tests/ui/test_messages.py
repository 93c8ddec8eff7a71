"""Every code the core reports has a Vietnamese message."""

from __future__ import annotations

import re
from pathlib import Path

from lamha_desktop.domain import due
from lamha_desktop.ui import messages

PIPELINE = Path(__file__).resolve().parents[2] / "lamha_desktop" / "domain" / "pipeline.py"


def test_every_check_step_code_has_a_message() -> None:
    table = PIPELINE.read_text(encoding="utf-8").split("def check_step", 1)[1]
    codes = set(re.findall(r"^\s{4}([a-z_]+\.[a-z_0-9]+)\s+(?:error|warning)", table, flags=re.MULTILINE))
    assert len(codes) > 20
    missing = sorted(c for c in codes if c not in messages.MESSAGES)
    assert missing == []


def test_every_due_kind_has_a_name() -> None:
    kinds = set(re.findall(r"^([a-z_0-9]+)\s{2,}", due.__doc__ or "", flags=re.MULTILINE)) - {"kind"}
    assert kinds == set(messages.DUE_NAMES)


def test_parameters_are_filled_in() -> None:
    import datetime as dt

    text = messages.text("order.before_previous", {"step": "decision", "previous_step": "vote",
                                                   "previous_date": dt.date(2024, 3, 5)})
    assert text == "Ngày quyết định kết nạp trước ngày chi bộ biểu quyết (05/03/2024)."
    assert "{" not in messages.text("vote.too_young", {"eligible_from": dt.date(2026, 11, 1)})
