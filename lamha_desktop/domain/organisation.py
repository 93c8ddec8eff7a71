"""What kind of party organisation a school has, and what follows from it."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["OrgKind"]


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
