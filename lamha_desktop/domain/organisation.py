"""What kind of party organisation a school has, and what follows from it."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import Final

__all__ = ["OrgKind", "committee_of", "party_body"]


class OrgKind(StrEnum):
    """The two kinds of a school's grassroots party organisation; the value is what the database stores."""

    DANG_BO = "dang_bo"  # đảng bộ cơ sở: has subordinate chi bộ and a đảng ủy step before the decision
    CHI_BO = "chi_bo"  # chi bộ cơ sở

    @property
    def party_committee(self) -> bool:
        """Whether an admission passes through the đảng ủy cơ sở after the chi bộ vote."""
        return self is OrgKind.DANG_BO

    @classmethod
    def of(cls, value: object) -> OrgKind:
        """The kind stored as ``value``; anything unknown reads as a chi bộ cơ sở (the simpler procedure)."""
        try:
            return cls(str(value))
        except ValueError:
            return cls.CHI_BO


# A committee's name by its level ("Huyện ủy Lâm Hà") -> the party body it leads ("Đảng bộ huyện Lâm Hà").
_BODIES: Final = (
    ("huyện ủy", "Đảng bộ huyện"),
    ("tỉnh ủy", "Đảng bộ tỉnh"),
    ("thành ủy", "Đảng bộ thành phố"),
    ("thị ủy", "Đảng bộ thị xã"),
    ("quận ủy", "Đảng bộ quận"),
    ("đảng ủy", "Đảng bộ"),
)


def _norm(text: str) -> str:
    """NFC with the old tone placement of "uỷ" read as "ủy"."""
    return unicodedata.normalize("NFC", text).replace("uỷ", "ủy").replace("Uỷ", "Ủy")


def party_body(committee: str) -> str:
    """The party body a committee leads, as a document header names it above the issuer.

    "Huyện ủy Lâm Hà" -> "Đảng bộ huyện Lâm Hà", "Tỉnh ủy Lâm Đồng" -> "Đảng bộ tỉnh Lâm Đồng", "Đảng ủy xã
    Nam Ban" -> "Đảng bộ xã Nam Ban"; a name of another form is returned as it is.
    """
    text = re.sub(r"\s+", " ", _norm(committee).strip())
    lowered = text.lower()
    for prefix, body in _BODIES:
        if lowered.startswith(prefix + " "):
            return f"{body} {text[len(prefix) + 1:]}"
    return text


def committee_of(body: str) -> str:
    """The committee of a party body: "Đảng bộ Trường THPT Tân Hà" -> "Đảng ủy Trường THPT Tân Hà" (unchanged
    when the name does not start with "Đảng bộ")."""
    text = re.sub(r"\s+", " ", _norm(body).strip())
    if text.lower().startswith("đảng bộ "):
        return "Đảng ủy " + text[len("đảng bộ "):]
    return text
