"""Document numbers of party documents: "05-NQ/CB" (Hướng dẫn 36-HD/VPTW).

A number is a counter (two digits at least), the document type ("NQ" nghị quyết, "BB" biên bản, "CV" công văn,
"BC" báo cáo...) and the issuer's abbreviation ("CB" for a chi bộ, "ĐU" for a đảng ủy, with Đ). The header
prints it as "Số 05-NQ/CB", with no colon after "Số". Counters run per organisation, document type and period;
they are kept by the storage layer, which calls :func:`document_number` to write one and
:func:`parse_document_number` to read back a number typed by hand (a manual override).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

__all__ = [
    "ISSUER_ABBREVIATIONS",
    "DocumentNumber",
    "document_number",
    "issuer_abbreviation",
    "parse_document_number",
]

ISSUER_ABBREVIATIONS: Final = {"chi_bo": "CB", "dang_bo": "ĐU"}
"""The abbreviation of the issuing body by organisation kind: a chi bộ signs "CB", a đảng ủy "ĐU"."""

_PART: Final = re.compile(r"^[A-ZĐ]{1,8}$")
_NUMBER: Final = re.compile(r"^\s*(?:Số\s*:?\s*)?(\d{1,4})\s*-\s*([A-Za-zĐđ]{1,8})\s*/\s*([A-Za-zĐđ]{1,8})\s*$")


@dataclass(frozen=True)
class DocumentNumber:
    """The parts of a document number."""

    counter: int
    doc_type: str
    issuer: str

    def __str__(self) -> str:
        return document_number(self.counter, self.doc_type, self.issuer)


def _clean(part: str, what: str) -> str:
    text = unicodedata.normalize("NFC", part.strip()).upper()
    if not _PART.match(text):
        raise ValueError(f"invalid {what}: {part!r}")
    return text


def document_number(counter: int, doc_type: str, issuer: str) -> str:
    """The number "05-NQ/CB" of the ``counter``-th document of ``doc_type`` issued by ``issuer``.

    The counter gets a leading zero below 10 ("05"), as party documents write it; the type and issuer are
    upper-cased ("đu" -> "ĐU").

    Raises:
        ValueError: the counter is below 1, or the type or issuer is not 1 to 8 letters (A–Z, Đ).
    """
    if counter < 1:
        raise ValueError("a document counter starts at 1")
    return f"{counter:02d}-{_clean(doc_type, 'document type')}/{_clean(issuer, 'issuer')}"


def parse_document_number(text: str) -> DocumentNumber | None:
    """Read a number typed by hand ("05-NQ/CB", "Số 5 - NQ/ĐU", "Số: 12-CV/CB"); None when it is not one."""
    match = _NUMBER.match(unicodedata.normalize("NFC", text))
    if match is None:
        return None
    counter = int(match.group(1))
    if counter < 1:
        return None
    return DocumentNumber(counter, match.group(2).upper(), match.group(3).upper())


def issuer_abbreviation(org_kind: str) -> str:
    """"CB" for a chi bộ cơ sở ("chi_bo"), "ĐU" for a đảng bộ cơ sở ("dang_bo", whose đảng ủy signs).

    ``org_kind`` is the stored kind (``domain.organisation.OrgKind`` is a ``str`` and works as it is).

    Raises:
        ValueError: an unknown organisation kind.
    """
    try:
        return ISSUER_ABBREVIATIONS[org_kind]
    except KeyError:
        raise ValueError(f"unknown organisation kind: {org_kind!r}") from None
