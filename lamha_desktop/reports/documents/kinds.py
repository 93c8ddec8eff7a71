"""The kinds of document the application writes, by code (the codes the CLI and the GUI use).

===================  ======================  =========  ===================================================
code                 context                 scope      the document
===================  ======================  =========  ===================================================
nq-chi-bo            ChiBoResolution         candidate  Nghị quyết chi bộ đề nghị kết nạp
bien-ban-chi-bo      MeetingMinutes          candidate  Biên bản họp chi bộ xét kết nạp
nq-dang-uy           DangUyResolution        candidate  Nghị quyết đảng ủy cơ sở đề nghị kết nạp
tong-hop-y-kien      OpinionsSummary         candidate  Tổng hợp ý kiến nhận xét của đoàn thể và chi ủy nơi cư trú
giay-gioi-thieu      Introduction            candidate  Giấy giới thiệu người vào Đảng
de-nghi-hoc-lop      ClassProposal           org        Công văn đề nghị cử học lớp nhận thức, with the list
chuong-trinh-le      CeremonyProgramme       ceremony   Chương trình lễ kết nạp, one section per student
nq-cong-nhan         RecognitionResolution   candidate  Nghị quyết chi bộ đề nghị công nhận đảng viên chính thức
===================  ======================  =========  ===================================================

The form number ("Mẫu 6-KNĐ") and the type in the document number ("NQ", "BB", "CV"; none for documents
without a number) are data, read from ``resources/codelists/documents.json``. The names users read are in
``catalogue.documents.DOCUMENT_NAMES``. ``essential`` lists the variables an override template must print
(``check_template`` refuses one that leaves any out).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from lamha_desktop.paths import resources_dir
from lamha_desktop.reports.documents.context import (
    CeremonyProgramme,
    ChiBoResolution,
    ClassProposal,
    DangUyResolution,
    Introduction,
    MeetingMinutes,
    OpinionsSummary,
    RecognitionResolution,
)

__all__ = ["KINDS", "DocumentKind", "templates_dir"]

Scope = Literal["candidate", "org", "ceremony"]


def templates_dir() -> Path:
    """The folder of the built-in templates (``resources/templates/documents``)."""
    return resources_dir() / "templates" / "documents"


@functools.cache
def _data() -> Mapping[str, Mapping[str, Any]]:
    path = resources_dir() / "codelists" / "documents.json"
    with path.open(encoding="utf-8") as fh:
        raw: Mapping[str, Any] = json.load(fh)
    return {str(k["code"]): k for k in raw["kinds"]}


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document.

    Attributes:
        code: "nq-chi-bo", ...
        context: the context dataclass :func:`render` takes for it.
        scope: what the document is about: one candidate, an organisation (several candidates), a ceremony.
        essential: variables (dotted paths) an override template must use.
    """

    code: str
    context: type
    scope: Scope
    essential: tuple[str, ...]

    @property
    def template(self) -> str:
        """The template's file name, in the built-in folder and in a user's override folder."""
        return f"{self.code}.docx"

    @property
    def builtin(self) -> Path:
        return templates_dir() / self.template

    @property
    def form(self) -> str | None:
        """The form number of the current guidance ("Mẫu 6-KNĐ"), or None (data)."""
        value = _data()[self.code].get("form")
        return None if value is None else str(value)

    @property
    def number_type(self) -> str | None:
        """The type in the document number ("NQ"), or None for a document without a number (data)."""
        value = _data()[self.code].get("number_type")
        return None if value is None else str(value)


_PERSON_VOTE: Final = ("person.full_name", "vote.agree", "vote.agree_percent", "org.name")

KINDS: Final[Mapping[str, DocumentKind]] = {
    k.code: k
    for k in (
        DocumentKind("nq-chi-bo", ChiBoResolution, "candidate", (*_PERSON_VOTE, "doc.number_line")),
        DocumentKind("bien-ban-chi-bo", MeetingMinutes, "candidate", ("person.full_name", "vote.agree", "org.name")),
        DocumentKind(
            "nq-dang-uy", DangUyResolution, "candidate", (*_PERSON_VOTE, "doc.number_line", "chi_bo_resolution.number")
        ),
        DocumentKind(
            "tong-hop-y-kien", OpinionsSummary, "candidate", ("person.full_name", "union.agree", "residence.agree")
        ),
        DocumentKind("giay-gioi-thieu", Introduction, "candidate", ("person.full_name", "introducer.full_name")),
        DocumentKind("de-nghi-hoc-lop", ClassProposal, "org", ("students", "recipient", "doc.number_line")),
        DocumentKind("chuong-trinh-le", CeremonyProgramme, "ceremony", ("students", "ceremony.date_words")),
        DocumentKind("nq-cong-nhan", RecognitionResolution, "candidate", (*_PERSON_VOTE, "doc.number_line")),
    )
}
"""Every kind by code, in the order of the procedure."""
