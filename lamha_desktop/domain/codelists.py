"""Reference code lists: ethnic groups, religions and the items of a candidate's dossier.

The lists are data, read from ``resources/codelists/*.json`` (see :func:`lamha_desktop.paths.resources_dir`),
so a corrected spelling or a renumbered form never needs a code change. Lookups are forgiving:
``find_ethnic("co ho")``, ``find_ethnic("K'Ho")``, ``find_ethnic("16")`` all give Cơ-ho.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lamha_desktop.domain import people
from lamha_desktop.paths import resources_dir

__all__ = [
    "CodeItem",
    "DossierItem",
    "dossier_item",
    "dossier_items",
    "ethnic_groups",
    "find_ethnic",
    "find_religion",
    "has_religion",
    "is_minority",
    "religions",
]

KINH = "01"
NO_RELIGION = "00"

# Characters ignored by the loosest comparison: spaces, hyphens/dashes, apostrophes and look-alikes, dots.
_COMPACT_RE = re.compile(r"[\s\-\u2010-\u2015'\u2018\u2019\u02bc`\u00b4.]+")
# Prefixes a list may put before the name ("Dân tộc Kinh", "Người Hoa", "Đạo Phật", "Tôn giáo: Phật giáo").
_ETHNIC_PREFIXES = ("dan toc ", "nguoi ")
_RELIGION_PREFIXES = ("ton giao ", "dao ")


@dataclass(frozen=True)
class CodeItem:
    """One entry of a code list: a two-digit code, the official name and accepted spelling variants."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class DossierItem:
    """One document of a candidate's dossier.

    Attributes:
        code: stable identifier stored with ``dossier`` events ("don", "ly_lich", ...).
        label: Vietnamese label shown to users.
        form: form number of the current guidance ("Mẫu 1-KNĐ") or None when there is no form.
        required: needed before the chi bộ vote.
        order: display order.
        group: "dossier" or "introduction" (the union resolution and the introducers, checked together).
        note: free remark from the data file.
    """

    code: str
    label: str
    form: str | None
    required: bool
    order: int
    group: str = "dossier"
    note: str = ""


def _read(name: str) -> Mapping[str, Any]:
    path: Path = resources_dir() / "codelists" / name
    with path.open(encoding="utf-8") as fh:
        data: Mapping[str, Any] = json.load(fh)
    return data


@functools.cache
def _code_list(name: str) -> tuple[CodeItem, ...]:
    return tuple(
        CodeItem(
            code=str(it["code"]), name=str(it["name"]), aliases=tuple(str(a) for a in it.get("aliases", ()))
        )
        for it in _read(name)["items"]
    )


@functools.cache
def _dossier_items() -> tuple[DossierItem, ...]:
    items = (
        DossierItem(
            code=str(it["code"]),
            label=str(it["label"]),
            form=None if it.get("form") is None else str(it["form"]),
            required=bool(it.get("required", False)),
            order=int(it.get("order", 0)),
            group=str(it.get("group", "dossier")),
            note=str(it.get("note", "")),
        )
        for it in _read("dossier_items.json")["items"]
    )
    return tuple(sorted(items, key=lambda d: d.order))


def ethnic_groups() -> list[CodeItem]:
    """The 54 ethnic groups in code order (QĐ 121-TCTK/PPCĐ)."""
    return list(_code_list("ethnic_groups.json"))


def religions() -> list[CodeItem]:
    """Religions: "00" Không, "01".."14" (QĐ 1019/QĐ-TCTK), "99" Khác."""
    return list(_code_list("religions.json"))


def dossier_items() -> list[DossierItem]:
    """Dossier items in display order."""
    return list(_dossier_items())


def dossier_item(code: str) -> DossierItem | None:
    """The dossier item with this code, or None."""
    return next((d for d in _dossier_items() if d.code == code), None)


def _compact(key: str) -> str:
    return _COMPACT_RE.sub("", key)


class _Index:
    """Three tiers of lookup keys, each mapping a key to the set of codes that carry it."""

    def __init__(self, items: Sequence[CodeItem]) -> None:
        self.by_code = {it.code: it for it in items}
        self.exact: dict[str, set[str]] = {}
        self.folded: dict[str, set[str]] = {}
        self.compact: dict[str, set[str]] = {}
        for it in items:
            for spelling in (it.name, *it.aliases):
                key = people.search_key(spelling)
                self.exact.setdefault(people.normalize_text(spelling).casefold(), set()).add(it.code)
                self.folded.setdefault(key, set()).add(it.code)
                self.compact.setdefault(_compact(key), set()).add(it.code)

    def find(self, text: str, prefixes: Sequence[str]) -> CodeItem | None:
        norm = people.normalize_text(text)
        if norm.isascii() and norm.isdigit() and 1 <= len(norm) <= 2:
            return self.by_code.get(norm.zfill(2))
        key = people.search_key(norm)
        candidates = [key, *(key.removeprefix(p) for p in prefixes if key.startswith(p))]
        for tier, probe in (
            (self.exact, [norm.casefold()]),
            (self.folded, candidates),
            (self.compact, [_compact(c) for c in candidates]),
        ):
            for p in probe:
                codes = tier.get(p)
                if codes is not None and len(codes) == 1:
                    return self.by_code[next(iter(codes))]
        return None


@functools.cache
def _ethnic_index() -> _Index:
    return _Index(_code_list("ethnic_groups.json"))


@functools.cache
def _religion_index() -> _Index:
    return _Index(_code_list("religions.json"))


# A class list repeats the same few spellings thousands of times: each is resolved once.
@functools.lru_cache(maxsize=2048)
def find_ethnic(text: str) -> CodeItem | None:
    """Resolve a code ("1", "01"), a name or a known spelling to an ethnic group (None: unknown)."""
    return _ethnic_index().find(text, _ETHNIC_PREFIXES)


@functools.lru_cache(maxsize=2048)
def find_religion(text: str) -> CodeItem | None:
    """Resolve a code, name or spelling to a religion; an empty text or "-" means "00" Không."""
    return _religion_index().find(text, _RELIGION_PREFIXES)


def _code2(code: str) -> str:
    code = code.strip()
    return code.zfill(2) if code.isascii() and code.isdigit() else code


def is_minority(code: str) -> bool:
    """True for a known ethnic code other than "01" Kinh."""
    c = _code2(code)
    return c != KINH and c in _ethnic_index().by_code


def has_religion(code: str) -> bool:
    """True for a known religion code other than "00" Không (so "99" Khác counts)."""
    c = _code2(code)
    return c != NO_RELIGION and c in _religion_index().by_code
