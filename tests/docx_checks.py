"""Reading a rendered .docx back with python-docx: its text, and what every document must be (A4, Times New Roman
only, no template leftovers, none of the private marks)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table
from docx.text.paragraph import Paragraph

TNR = "Times New Roman"
MARKS = re.compile("[\ue000-\ue003]")


def read(data: bytes) -> DocxDocument:
    return Document(io.BytesIO(data))


def paragraphs(container: Any) -> Iterator[Paragraph]:
    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    yield from paragraphs(cell)


def all_paragraphs(doc: DocxDocument) -> Iterator[Paragraph]:
    yield from paragraphs(doc)
    for section in doc.sections:
        for part in (section.header, section.first_page_header, section.footer, section.first_page_footer):
            yield from paragraphs(part)


def text_of(doc: DocxDocument) -> str:
    return "\n".join(p.text for p in all_paragraphs(doc))


def flat(doc: DocxDocument) -> str:
    """All text with whitespace collapsed (a sentence may be split across lines by a line break)."""
    return re.sub(r"\s+", " ", text_of(doc))


def xml_parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


def assert_clean_document(data: bytes, typed: Sequence[str] = ()) -> DocxDocument:
    """A4, Times New Roman only, no template leftovers, no marks: what every rendered document must be.

    ``typed``: texts a user typed into the document; a brace pair one of them holds is theirs, not a leftover."""
    doc = read(data)
    for section in doc.sections:
        size = sorted((section.page_width, section.page_height))
        assert abs(size[0] - Mm(210)) < Mm(0.5)
        assert abs(size[1] - Mm(297)) < Mm(0.5)
    parts = xml_parts(data)
    fonts_seen = set()
    for name, xml in parts.items():
        for attrs in re.findall(r"<w:rFonts ([^>]*)/>", xml):
            assert "heme" not in attrs, (name, attrs)  # no asciiTheme, cstheme...
            fonts_seen.update(re.findall(r'w:(?:ascii|hAnsi|eastAsia|cs)="([^"]*)"', attrs))
        for leftover in ("{{", "}}", "{%", "%}"):
            if not any(leftover in text for text in typed):
                assert leftover not in xml, (name, leftover)
        assert not MARKS.search(xml), name
    assert fonts_seen == {TNR}
    assert re.findall(r'<w:font w:name="([^"]*)"', parts["word/fontTable.xml"]) == [TNR]
    assert not any(n.startswith("word/theme") or n.endswith("numbering.xml") for n in parts)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    rfonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert rfonts is not None
    assert {rfonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {TNR}
    for style in doc.styles:
        font = getattr(style, "font", None)
        assert font is None or font.name in (None, TNR), style.name
    for p in all_paragraphs(doc):
        for run in p.runs:
            assert run.font.name in (None, TNR)
    return doc
