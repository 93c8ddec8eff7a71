"""Generate resources/templates/documents/*.docx, the Word templates of the admission paperwork.

Run from the repository root: ``.venv/bin/python build_scripts/make_document_templates.py [OUT_DIR]``. The
generated files are committed; a clerk may copy one into the override folder, edit it in Word and keep using it
(``reports/documents``: "Kiểm tra mẫu" checks it). The variables the templates use are documented in
``lamha_desktop/reports/documents/variables.py``.

Layout (Hướng dẫn 36-HD/VPTW): A4 portrait (the class list of ``de-nghi-hoc-lop`` on an A4 landscape page),
margins 20/20/30/15 mm (the application may apply the user's setting when rendering), Times New Roman only —
in the document defaults, in every style and on every run; no theme, no numbering part, no other font.
The header is a borderless two-column table: the upper body, the issuing body in bold, "*", "Số 05-NQ/CB" on
the left; ĐẢNG CỘNG SẢN VIỆT NAM in bold with a rule under it, then the italic place-and-date line on the
right. Page numbers from page 2 (a blank first-page header), top centre. "Nơi nhận:" 14 underlined, its lines
at 12. Evaluative paragraphs are variables the application fills with a highlighted prompt when empty.

The output is deterministic: fixed document properties and fixed zip timestamps, so a rerun gives the same
bytes (a test compares the committed files with a fresh build).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "templates" / "documents"

FONT = "Times New Roman"
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
A4 = (Mm(210), Mm(297))
FIXED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
ZIP_TIME = (2026, 1, 1, 0, 0, 0)

JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT

STYLES_XML = f"""<w:styles {nsdecls('w')}>
  <w:docDefaults>
    <w:rPrDefault><w:rPr>
      <w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>
      <w:sz w:val="28"/><w:szCs w:val="28"/>
      <w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/>
    </w:rPr></w:rPrDefault>
    <w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>
  </w:docDefaults>
  <w:style w:type="paragraph" w:default="1" w:styleId="Normal">
    <w:name w:val="Normal"/><w:qFormat/>
    <w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>
      <w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>
  </w:style>
  <w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">
    <w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>
  </w:style>
  <w:style w:type="table" w:default="1" w:styleId="TableNormal">
    <w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>
    <w:tblPr><w:tblInd w:w="0" w:type="dxa"/>
      <w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
        <w:bottom w:w="0" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>
  </w:style>
  <w:style w:type="numbering" w:default="1" w:styleId="NoList">
    <w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>
  </w:style>
  <w:style w:type="paragraph" w:styleId="Header">
    <w:name w:val="header"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
    <w:pPr><w:jc w:val="center"/></w:pPr>
    <w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:styleId="Footer">
    <w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
    <w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/></w:rPr>
  </w:style>
</w:styles>"""

FONT_TABLE_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts {nsdecls('w')}><w:font w:name="{FONT}"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>
<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>""".encode()

APP_XML = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" \
xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Template>Normal.dotm</Template>\
<TotalTime>0</TotalTime><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>\
<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"""

# Relationships of python-docx's default template that a clean document does not need.
DROPPED_PART_RELS = ("http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects", RT.WEB_SETTINGS,
                     RT.THEME, RT.CUSTOM_XML, RT.NUMBERING)
DROPPED_SETTINGS = ("w:rsids", "m:mathPr", "w:themeFontLang", "w:clrSchemeMapping", "w:savePreviewPicture",
                    "w:attachedTemplate", "w:shapeDefaults", "w14:docId", "w:proofState")


# Elements that follow w:pBdr in w:pPr and w:tblBorders in w:tblPr (the schema fixes the order; Word insists).
PPR_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
TBLPR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
                       "w:tblPrChange")

# ------------------------------------------------------------------------------------------------ the package


def _set_fonts(rpr: object) -> None:
    """Times New Roman for every script of a run (ASCII, Vietnamese letters, East Asian, complex)."""
    rfonts = rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if rfonts is None:
        rfonts = rpr._add_rFonts()  # type: ignore[attr-defined]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)


def base_document() -> DocxDocument:
    """An empty A4 document with only Times New Roman, the default margins and page numbers from page 2."""
    doc = Document()
    part = doc.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype in DROPPED_PART_RELS:
            part.drop_rel(rid)
        elif rel.reltype == RT.FONT_TABLE:
            rel.target_part._blob = FONT_TABLE_XML
    package_rels = part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rid]
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML  # python-docx's names another application and a page count
    styles = doc.styles.element
    for child in list(styles):
        styles.remove(child)
    for child in parse_xml(STYLES_XML):
        styles.append(child)
    settings = doc.settings.element
    for tag in DROPPED_SETTINGS:
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    for el in settings.iter(qn("w:compatSetting")):
        if el.get(qn("w:name")) == "compatibilityMode":
            el.set(qn("w:val"), "15")
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)

    section = doc.sections[0]
    section.page_width, section.page_height = A4
    section.orientation = WD_ORIENT.PORTRAIT
    set_margins(section)
    page_numbers(doc)

    props = doc.core_properties
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = ""
    props.subject = ""
    props.category = ""
    props.revision = 1
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    return doc


def set_margins(section: object) -> None:
    section.top_margin = Mm(MARGINS_MM["top"])  # type: ignore[attr-defined]
    section.bottom_margin = Mm(MARGINS_MM["bottom"])  # type: ignore[attr-defined]
    section.left_margin = Mm(MARGINS_MM["left"])  # type: ignore[attr-defined]
    section.right_margin = Mm(MARGINS_MM["right"])  # type: ignore[attr-defined]
    section.header_distance = Mm(10)  # type: ignore[attr-defined]
    section.footer_distance = Mm(10)  # type: ignore[attr-defined]


def page_numbers(doc: DocxDocument) -> None:
    """The page number at the top centre of every page but the first (whose header stays empty)."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    first = section.first_page_header.paragraphs[0]
    first.text = ""
    p = section.header.paragraphs[0]
    p.alignment = CENTER
    for kind, extra in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("text", "2"), ("end", "")):
        run = p.add_run()
        run.font.size = Pt(14)
        _set_fonts(run._r.get_or_add_rPr())
        if kind == "instr":
            run._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve">{extra}</w:instrText>'))
        elif kind == "text":
            run.text = extra
        else:
            run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="{kind}"/>'))


def save_deterministic(doc: DocxDocument, path: Path) -> None:
    """Save with fixed zip timestamps and entry order, so the same template gives the same bytes."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


# ------------------------------------------------------------------------------------------------ paragraphs

Run = str | tuple[str, str]  # text, or (text, flags) with flags among "b", "i", "u"


def add_runs(p: Paragraph, runs: Iterable[Run], *, size: float) -> Paragraph:
    for item in runs:
        text, flags = (item, "") if isinstance(item, str) else item
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = "b" in flags or None
        run.italic = "i" in flags or None
        run.underline = "u" in flags or None
        _set_fonts(run._r.get_or_add_rPr())
    return p


def fmt_paragraph(p: Paragraph, *, align: object = JUSTIFY, indent: bool = False, before: float = 0,
                  after: float = 0, line: float | None = None, keep: bool = False,
                  left_mm: float = 0, right_mm: float = 0) -> Paragraph:
    pf = p.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing = line
    if indent:
        pf.first_line_indent = Mm(10)
    if left_mm:
        pf.left_indent = Mm(left_mm)
    if right_mm:
        pf.right_indent = Mm(right_mm)
    if keep:
        pf.keep_with_next = True
    return p


def rule(container: DocxDocument | _Cell, width_mm: float, available_mm: float, *, before: float = 0,
         after: float = 0) -> Paragraph:
    """A short centred horizontal rule: the top border of an almost empty paragraph, indented to its width."""
    p = container.add_paragraph()
    side = max((available_mm - width_mm) / 2, 0)
    fmt_paragraph(p, align=CENTER, left_mm=side, right_mm=side, before=before, after=after)
    p_pr = p._p.get_or_add_pPr()
    border = parse_xml(f'<w:pBdr {nsdecls("w")}><w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/>'
                       f'</w:pBdr>')
    p_pr.insert_element_before(border, *PPR_AFTER_BORDER)
    spacing = p_pr.get_or_add_spacing()
    spacing.set(qn("w:line"), "40")
    spacing.set(qn("w:lineRule"), "exact")
    run = p.add_run("")
    run.font.size = Pt(2)
    _set_fonts(run._r.get_or_add_rPr())
    return p


def set_borders(table: Table, value: str) -> None:
    """All borders of ``table``: "nil" (none) or "single" (thin lines), in the schema's order in tblPr."""
    attrs = 'w:val="nil"' if value == "nil" else 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
    sides = "".join(f"<w:{side} {attrs}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    table._tbl.tblPr.insert_element_before(parse_xml(f'<w:tblBorders {nsdecls("w")}>{sides}</w:tblBorders>'),
                                           *TBLPR_AFTER_BORDERS)


def borderless_table(doc: DocxDocument, widths_mm: list[float]) -> Table:
    table = doc.add_table(rows=1, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # a fixed layout (w:tblLayout)
    set_borders(table, "nil")
    for col, width in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(width)
        for cell in col.cells:
            cell.width = Mm(width)
    return table


def cell_line(cell: _Cell, runs: Iterable[Run], *, size: float = 14, align: object = CENTER, first: bool = False,
              before: float = 0, after: float = 0) -> Paragraph:
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    fmt_paragraph(p, align=align, before=before, after=after)
    return add_runs(p, runs, size=size)


# ------------------------------------------------------------------------------------------------ blocks

TEXT_WIDTH = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]  # 165 mm
LEFT_COL, RIGHT_COL = 85.0, TEXT_WIDTH - 85.0


class Template:
    """One template under construction."""

    def __init__(self, title: str) -> None:
        self.doc = base_document()
        self.doc.core_properties.title = title

    # body text
    def p(self, *runs: Run, align: object = JUSTIFY, indent: bool = True, size: float = 14, before: float = 3,
          after: float = 3, keep: bool = False) -> Paragraph:
        p = self.doc.add_paragraph()
        fmt_paragraph(p, align=align, indent=indent, before=before, after=after, line=1.1, keep=keep)
        return add_runs(p, runs, size=size)

    def tag(self, text: str) -> Paragraph:
        """A paragraph holding only a ``{%p ... %}`` tag (removed when rendered)."""
        p = self.doc.add_paragraph()
        return add_runs(p, [text], size=10)

    def write(self, variable: str) -> Paragraph:
        """An evaluative paragraph: the signer's text, or a highlighted prompt the application puts there."""
        return self.p(f"{{{{ {variable} }}}}")

    # header and title
    def header(self, *, number: bool | None = True, subject_line: str | None = None) -> None:
        """The 36-HD/VPTW header; ``number`` True: "Số …" always, None: only when the document has one."""
        table = borderless_table(self.doc, [LEFT_COL, RIGHT_COL])
        left, right = table.rows[0].cells
        cell_line(left, ["{{ org.upper_body_caps }}"], first=True)
        cell_line(left, [("{{ org.name_caps }}", "b")])
        cell_line(left, ["*"])
        if number is None:
            add_runs(left.add_paragraph(), ["{%p if doc.number_line %}"], size=10)
        if number is not False:
            cell_line(left, ["{{ doc.number_line }}"])
        if number is None:
            add_runs(left.add_paragraph(), ["{%p endif %}"], size=10)
        if subject_line:
            cell_line(left, [(subject_line, "i")], size=12, before=2)
        cell_line(right, [("ĐẢNG CỘNG SẢN VIỆT NAM", "b")], size=15, first=True)
        rule(right, 62, RIGHT_COL - 3, before=6)
        cell_line(right, [("{{ doc.place_date }}", "i")], before=6)

    def party_only_header(self) -> None:
        """ĐẢNG CỘNG SẢN VIỆT NAM alone, centred, with its rule (giấy giới thiệu)."""
        p = self.doc.add_paragraph()
        fmt_paragraph(p, align=CENTER)
        add_runs(p, [("ĐẢNG CỘNG SẢN VIỆT NAM", "b")], size=15)
        rule(self.doc, 62, TEXT_WIDTH, before=6)

    def title(self, name: str, subject: str | None = None, *, size: float = 16) -> None:
        p = self.doc.add_paragraph()
        fmt_paragraph(p, align=CENTER, before=18, after=0, keep=True)
        add_runs(p, [(name, "b")], size=size)
        if subject:
            for line in subject.split("\n"):
                q = self.doc.add_paragraph()
                fmt_paragraph(q, align=CENTER, keep=True)
                add_runs(q, [(line, "b")], size=14)
        rule(self.doc, 30, TEXT_WIDTH, before=9, after=10)

    # signature
    def signature(self, *, recipients: tuple[list[str], list[str]] | None,
                  heading: str = "{{ org.signer_heading }}",
                  role: str = "{{ org.signer_role }}", name: str = "{{ org.secretary }}",
                  left_sign: tuple[str, str] | None = None, place_date: bool = False) -> None:
        """The signature block on the right; "Nơi nhận" (or a second signer) on the left.

        ``recipients`` is (the fixed lines before the context's recipients, the fixed lines after them).
        """
        spacer = self.doc.add_paragraph()
        fmt_paragraph(spacer, before=6)
        table = borderless_table(self.doc, [LEFT_COL - 10, RIGHT_COL + 10])
        left, right = table.rows[0].cells
        if recipients is not None:
            before, after = recipients
            cell_line(left, [("Nơi nhận:", "u")], size=14, align=LEFT, first=True)
            for line in before:
                cell_line(left, [line], size=12, align=LEFT)
            add_runs(left.add_paragraph(), ["{%p for r in recipients %}"], size=10)
            cell_line(left, ["- {{ r }};"], size=12, align=LEFT)
            add_runs(left.add_paragraph(), ["{%p endfor %}"], size=10)
            for line in after:
                cell_line(left, [line], size=12, align=LEFT)
        elif left_sign is not None:
            cell_line(left, [(left_sign[0], "b")], first=True)
            for _ in range(4):
                cell_line(left, [""])
            cell_line(left, [(left_sign[1], "b")])
        first = True
        if place_date:
            cell_line(right, [("{{ doc.place_date }}", "i")], first=True, after=3)
            first = False
        if heading:
            cell_line(right, [(heading, "b")], first=first)
            first = False
        cell_line(right, [(role, "b")], first=first)
        for _ in range(4):
            cell_line(right, [""])
        cell_line(right, [(name, "b")])

    # attendance and vote blocks shared by the resolutions
    def attendance(self) -> None:
        self.p("Tổng số đảng viên của chi bộ: {{ attendance.total }} đồng chí, trong đó chính thức "
               "{{ attendance.official }} đồng chí, dự bị {{ attendance.probationary }} đồng chí.")
        self.p("Có mặt: {{ attendance.present }} đồng chí, trong đó chính thức {{ attendance.official_present }} "
               "đồng chí, dự bị {{ attendance.probationary_present }} đồng chí.")
        self.p("Vắng mặt: {{ attendance.absent }} đồng chí, trong đó chính thức {{ attendance.official_absent }} "
               "đồng chí, dự bị {{ attendance.probationary_absent }} đồng chí"
               "{% if attendance.absent_reasons %}; lý do: {{ attendance.absent_reasons }}{% endif %}.")
        self.p("Chủ trì hội nghị: đồng chí {{ meeting.chair }}. Thư ký hội nghị: đồng chí {{ meeting.secretary }}.")

    def vote(self, subject: str) -> None:
        self.p(f"{subject} Số đảng viên chính thức tán thành: {{{{ vote.agree }}}}/{{{{ vote.members }}}} đồng chí, "
               "đạt {{ vote.agree_percent }} so với tổng số đảng viên chính thức của chi bộ; không tán thành: "
               "{{ vote.disagree }} đồng chí, chiếm {{ vote.disagree_percent }}"
               "{% if vote.against_reasons %} (lý do: {{ vote.against_reasons }}){% endif %}.")

    def save(self, path: Path) -> Path:
        save_deterministic(self.doc, path)
        return path


# ------------------------------------------------------------------------------------------------ the kinds

PERSON_LINE = ("{{ person.title_cap }} {{ person.full_name }}, sinh ngày {{ person.birth }}, giới tính "
               "{{ person.gender }}, dân tộc {{ person.ethnic }}, tôn giáo {{ person.religion }}"
               "{% if person.class_name %}, học sinh lớp {{ person.class_name }}{% endif %}"
               "{% if org.school %} {{ org.school }}{% endif %}"
               "{% if person.union_since %}, vào Đoàn ngày {{ person.union_since }}{% endif %}.")


def nq_chi_bo() -> Template:
    t = Template("Nghị quyết chi bộ đề nghị kết nạp đảng viên")
    t.header()
    t.title("NGHỊ QUYẾT", "đề nghị kết nạp đảng viên")
    t.p("Căn cứ Điều 4 Điều lệ Đảng Cộng sản Việt Nam;")
    t.p("Căn cứ các quy định, hướng dẫn hiện hành của Trung ương về công tác kết nạp đảng viên;")
    t.p("Ngày {{ meeting.date }}, {{ org.name }} đã họp để xét, đề nghị kết nạp {{ person.title }} "
        "{{ person.full_name }} vào Đảng Cộng sản Việt Nam.")
    t.attendance()
    t.p("Sau khi nghiên cứu hồ sơ và thảo luận, chi bộ thống nhất nhận xét về:")
    t.p(PERSON_LINE)
    t.p(("1. Về lý lịch:", "b"), keep=True)
    t.write("assessment.background")
    t.p(("2. Ưu điểm, khuyết điểm chính:", "b"), keep=True)
    t.p(("Ưu điểm:", "i"), keep=True)
    t.write("assessment.strengths")
    t.p(("Khuyết điểm:", "i"), keep=True)
    t.write("assessment.weaknesses")
    t.p(("3. Nhận thức về Đảng, động cơ vào Đảng:", "b"), keep=True)
    t.write("assessment.understanding")
    t.vote("Đối chiếu với tiêu chuẩn, điều kiện kết nạp đảng viên, chi bộ biểu quyết đề nghị kết nạp "
           "{{ person.title }} {{ person.full_name }} vào Đảng.")
    t.p("Đề nghị {{ org.upper_committee }} xem xét, quyết định kết nạp {{ person.title }} {{ person.full_name }} "
        "vào Đảng Cộng sản Việt Nam.")
    t.signature(recipients=([], ["- Lưu chi bộ."]))
    return t


def bien_ban_chi_bo() -> Template:
    t = Template("Biên bản họp chi bộ xét đề nghị kết nạp đảng viên")
    t.header(number=None)
    t.title("BIÊN BẢN", "họp chi bộ xét đề nghị kết nạp đảng viên")
    t.p("Hôm nay, vào lúc {{ meeting.start }}, {{ meeting.date_words }}, tại {{ meeting.place }}, {{ org.name }} "
        "họp xét đề nghị kết nạp {{ person.title }} {{ person.full_name }} vào Đảng Cộng sản Việt Nam.")
    t.attendance()
    t.tag("{%p if meeting.has_guests %}")
    t.p("Khách mời: {{ meeting.guests|join('; ') }}.")
    t.tag("{%p endif %}")
    t.p(("I. NỘI DUNG", "b"), indent=False, before=6, keep=True)
    t.p(("1. Hồ sơ của người xin vào Đảng", "b"), keep=True)
    t.p("Chi bộ nghe đọc hồ sơ của {{ person.title }} {{ person.full_name }}, gồm:")
    t.p("- Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng số {{ certificate.number }}, cấp ngày "
        "{{ certificate.date }}{% if certificate.issuer %} ({{ certificate.issuer }}){% endif %};")
    t.tag("{%p for d in dossier %}")
    t.p("- {{ d.label }}{% if d.date %}, ngày {{ d.date }}{% endif %}{% if d.detail %}: {{ d.detail }}{% endif %};")
    t.tag("{%p endfor %}")
    t.p(("2. Ý kiến phát biểu của đảng viên", "b"), keep=True)
    t.tag("{%p if has_opinions %}")
    t.tag("{%p for o in opinions %}")
    t.p("- Đồng chí {{ o.name }}: {{ o.text }}")
    t.tag("{%p endfor %}")
    t.tag("{%p else %}")
    t.write("opinions_prompt")
    t.tag("{%p endif %}")
    t.p(("3. Biểu quyết", "b"), keep=True)
    t.p("Chi bộ biểu quyết bằng hình thức {{ vote.method }}. Kết quả: {{ vote.agree }}/{{ vote.members }} đảng viên "
        "chính thức tán thành, đạt {{ vote.agree_percent }} so với tổng số đảng viên chính thức của chi bộ; "
        "{{ vote.disagree }} đồng chí không tán thành, chiếm {{ vote.disagree_percent }}"
        "{% if vote.against_reasons %} (lý do: {{ vote.against_reasons }}){% endif %}.")
    t.p(("II. KẾT LUẬN", "b"), indent=False, before=6, keep=True)
    t.p("{% if vote.passed %}Số đảng viên chính thức tán thành đạt từ hai phần ba trở lên: chi bộ đề nghị cấp ủy "
        "cấp trên xem xét, kết nạp {{ person.title }} {{ person.full_name }} vào Đảng Cộng sản Việt Nam."
        "{% else %}Số đảng viên chính thức tán thành chưa đạt hai phần ba: chi bộ chưa đề nghị kết nạp "
        "{{ person.title }} {{ person.full_name }}.{% endif %}")
    t.p("Cuộc họp kết thúc lúc {{ meeting.end }} cùng ngày. Biên bản đã được đọc lại trước chi bộ và được "
        "các đảng viên dự họp nhất trí thông qua.")
    t.signature(recipients=None, heading="", role="CHỦ TRÌ", name="{{ meeting.chair }}",
                left_sign=("THƯ KÝ", "{{ meeting.secretary }}"))
    return t


def nq_dang_uy() -> Template:
    t = Template("Nghị quyết đảng ủy cơ sở đề nghị kết nạp đảng viên")
    t.header()
    t.title("NGHỊ QUYẾT", "đề nghị kết nạp đảng viên")
    t.p("Căn cứ Điều 4 Điều lệ Đảng Cộng sản Việt Nam;")
    t.p("Căn cứ Nghị quyết số {{ chi_bo_resolution.number }} ngày {{ chi_bo_resolution.date }} của "
        "{{ chi_bo_resolution.body }} đề nghị kết nạp {{ person.title }} {{ person.full_name }} vào Đảng;")
    t.p("Ngày {{ meeting.date }}, {{ org.name }} đã họp để xét, đề nghị kết nạp "
        "{{ person.title }} {{ person.full_name }} vào Đảng Cộng sản Việt Nam.")
    t.p("Tổng số cấp ủy viên: {{ committee.members }} đồng chí; có mặt: {{ committee.present }} đồng chí; vắng mặt: "
        "{{ committee.absent }} đồng chí{% if committee.absent_reasons %} (lý do: {{ committee.absent_reasons }})"
        "{% endif %}.")
    t.p(PERSON_LINE)
    t.p(("1. Về lý lịch:", "b"), keep=True)
    t.write("assessment.background")
    t.p(("2. Ưu điểm, khuyết điểm chính:", "b"), keep=True)
    t.p(("Ưu điểm:", "i"), keep=True)
    t.write("assessment.strengths")
    t.p(("Khuyết điểm:", "i"), keep=True)
    t.write("assessment.weaknesses")
    t.p(("3. Nhận thức về Đảng, động cơ vào Đảng:", "b"), keep=True)
    t.write("assessment.understanding")
    t.p("Số cấp ủy viên tán thành việc kết nạp: {{ vote.agree }}/{{ vote.members }} đồng chí, đạt "
        "{{ vote.agree_percent }} so với tổng số cấp ủy viên; không tán thành: {{ vote.disagree }} đồng chí, "
        "chiếm {{ vote.disagree_percent }}{% if vote.against_reasons %} (lý do: {{ vote.against_reasons }})"
        "{% endif %}.")
    t.p("Đề nghị {{ org.upper_committee }} xem xét, quyết định kết nạp {{ person.title }} {{ person.full_name }} "
        "vào Đảng Cộng sản Việt Nam.")
    t.signature(recipients=([], ["- Lưu văn phòng đảng ủy."]))
    return t


def tong_hop_y_kien() -> Template:
    t = Template("Tổng hợp ý kiến nhận xét của đoàn thể và chi ủy nơi cư trú")
    t.header(number=False)
    t.title("TỔNG HỢP Ý KIẾN NHẬN XÉT", "của đoàn thể nơi học tập và chi ủy nơi cư trú\nđối với người xin vào Đảng",
            size=15)
    t.p("Họ và tên người xin vào Đảng: ", ("{{ person.full_name }}", "b"), ".")
    t.p("Sinh ngày {{ person.birth }}; giới tính {{ person.gender }}; dân tộc {{ person.ethnic }}; tôn giáo "
        "{{ person.religion }}{% if person.class_name %}; học sinh lớp {{ person.class_name }}{% endif %}"
        "{% if person.residence %}; nơi cư trú: {{ person.residence }}{% endif %}.")
    for roman, key, heading in (("I", "union", "đoàn thể nơi học tập"), ("II", "residence", "chi ủy nơi cư trú")):
        t.p((f"{roman}. Ý kiến nhận xét của {heading}: {{{{ {key}.body }}}}", "b"), indent=False, before=6,
            keep=True)
        t.p(f"Tổng số: {{{{ {key}.members }}}}; số được hỏi ý kiến: {{{{ {key}.asked }}}}; tán thành: "
            f"{{{{ {key}.agree }}}}, đạt {{{{ {key}.agree_percent }}}}; không tán thành: {{{{ {key}.disagree }}}}, "
            f"chiếm {{{{ {key}.disagree_percent }}}}{{% if {key}.against_reasons %}} (lý do: "
            f"{{{{ {key}.against_reasons }}}}){{% endif %}}.")
        t.p(("Ưu điểm:", "i"), keep=True)
        t.write(f"{key}.strengths")
        t.p(("Khuyết điểm:", "i"), keep=True)
        t.write(f"{key}.weaknesses")
    t.signature(recipients=None)
    return t


def giay_gioi_thieu() -> Template:
    t = Template("Giấy giới thiệu người vào Đảng")
    t.party_only_header()
    t.title("GIẤY GIỚI THIỆU NGƯỜI VÀO ĐẢNG")
    t.p(("Kính gửi: ", "b"), "{{ org.name }}", align=CENTER, indent=False, after=6)
    t.p("Tôi là: ", ("{{ introducer.full_name }}", "b"), ", sinh ngày {{ introducer.birth }}.")
    t.p("Vào Đảng ngày {{ introducer.admitted_on }}; chính thức ngày {{ introducer.official_on }}.")
    t.tag("{%p if introducer.posts %}")
    t.p("Chức vụ: {{ introducer.posts }}.")
    t.tag("{%p endif %}")
    t.tag("{%p if introducer.hometown %}")
    t.p("Quê quán: {{ introducer.hometown }}.")
    t.tag("{%p endif %}")
    t.p("Đang sinh hoạt tại: {{ introducer.chi_bo }}.")
    t.p("Được chi bộ phân công giúp đỡ {{ person.title }} {{ person.full_name }} phấn đấu vào Đảng từ ngày "
        "{{ introducer.assigned_on }}{% if introducer.together_since %}; cùng công tác, học tập với "
        "{{ person.title }} tại đơn vị từ ngày {{ introducer.together_since }}{% endif %}.")
    t.p("Tôi xin giới thiệu với chi bộ về {{ person.title }} {{ person.full_name }}, sinh ngày {{ person.birth }}"
        "{% if person.class_name %}, học sinh lớp {{ person.class_name }}{% endif %}, như sau:")
    t.p(("1. Những điểm cần lưu ý về lý lịch:", "b"), keep=True)
    t.write("assessment.background")
    t.p(("2. Ưu điểm:", "b"), keep=True)
    t.write("assessment.strengths")
    t.p(("3. Khuyết điểm:", "b"), keep=True)
    t.write("assessment.weaknesses")
    t.p("Tôi xin chịu trách nhiệm trước Đảng về sự giới thiệu của mình.")
    t.signature(recipients=None, heading="", role="ĐẢNG VIÊN GIỚI THIỆU", name="{{ introducer.full_name }}",
                place_date=True)
    return t


LIST_COLUMNS = [  # header, variable, width (mm; 252 in all, the landscape text width), centred
    ("STT", "{{ s.index }}", 12, True),
    ("Họ và tên", "{{ s.full_name }}", 38, False),
    ("Ngày sinh", "{{ s.birth }}", 24, True),
    ("Giới tính", "{{ s.gender }}", 13, True),
    ("Dân tộc", "{{ s.ethnic }}", 16, True),
    ("Tôn giáo", "{{ s.religion }}", 17, True),
    ("Quê quán", "{{ s.hometown }}", 30, False),
    ("Lớp", "{{ s.class_name }}", 14, True),
    ("Ngày vào Đoàn", "{{ s.union_since }}", 24, True),
    ("Chức vụ", "{{ s.post }}", 20, False),
    ("Học lực", "{{ s.study }}", 13, True),
    ("Hạnh kiểm", "{{ s.conduct }}", 16, True),
    ("Ghi chú", "{{ s.note }}", 15, False),
]


def _grid_cell(cell: _Cell, text: str, *, bold: bool, centred: bool, size: float = 11) -> None:
    p = cell.paragraphs[0]
    fmt_paragraph(p, align=CENTER if centred else LEFT, before=2, after=2)
    add_runs(p, [(text, "b" if bold else "")], size=size)


def de_nghi_hoc_lop() -> Template:
    t = Template("Công văn đề nghị cử quần chúng học lớp bồi dưỡng nhận thức về Đảng")
    t.header(subject_line="V/v đề nghị cử quần chúng học lớp bồi dưỡng nhận thức về Đảng")
    spacer = t.doc.add_paragraph()
    fmt_paragraph(spacer, before=12)
    t.p(("Kính gửi: ", "b"), "{{ recipient }}", align=CENTER, indent=False, after=9)
    t.p("Thực hiện nhiệm vụ công tác phát triển đảng viên, {{ org.name }} đề nghị {{ recipient }} cử "
        "{{ count }} quần chúng ưu tú{% if org.school %} là học sinh {{ org.school }}{% endif %} tham gia lớp "
        "bồi dưỡng nhận thức về Đảng{% if course %} {{ course }}{% endif %} (có danh sách kèm theo).")
    t.p("Các quần chúng trên đã được chi bộ xem xét, giới thiệu; đề nghị {{ recipient }} quan tâm, tạo điều kiện "
        "để các quần chúng được học tập.")
    t.signature(recipients=(["- Như trên;"], ["- Lưu."]))
    # the attached list, on an A4 landscape page
    section = t.doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = A4[1], A4[0]
    set_margins(section)
    section.different_first_page_header_footer = False
    p = t.doc.add_paragraph()
    fmt_paragraph(p, align=CENTER, keep=True)
    add_runs(p, [("DANH SÁCH QUẦN CHÚNG ĐỀ NGHỊ HỌC LỚP BỒI DƯỠNG NHẬN THỨC VỀ ĐẢNG", "b")], size=14)
    p = t.doc.add_paragraph()
    fmt_paragraph(p, align=CENTER, after=8, keep=True)
    add_runs(p, [("(Kèm theo Công văn số {{ doc.number }} {{ doc.date_words }} của {{ org.name }})", "i")],
             size=13)
    table = t.doc.add_table(rows=4, cols=len(LIST_COLUMNS))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    set_borders(table, "single")
    header_row, for_row, data_row, end_row = table.rows
    header_row._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
    for i, (head, variable, width, centred) in enumerate(LIST_COLUMNS):
        for row in table.rows:
            row.cells[i].width = Mm(width)
        table.columns[i].width = Mm(width)
        _grid_cell(header_row.cells[i], head, bold=True, centred=True)
        _grid_cell(data_row.cells[i], variable, bold=False, centred=centred)
    _grid_cell(for_row.cells[0], "{%tr for s in students %}", bold=False, centred=False, size=8)
    _grid_cell(end_row.cells[0], "{%tr endfor %}", bold=False, centred=False, size=8)
    p = t.doc.add_paragraph()
    fmt_paragraph(p, before=6)
    add_runs(p, [("Danh sách có {{ count }} quần chúng.", "i")], size=13)
    return t


def chuong_trinh_le() -> Template:
    t = Template("Chương trình lễ kết nạp đảng viên")
    t.header(number=False)
    t.title("CHƯƠNG TRÌNH", "lễ kết nạp đảng viên")
    t.p(("Thời gian: ", "b"), "{{ ceremony.start }}, {{ ceremony.date_words }}.")
    t.p(("Địa điểm: ", "b"), "{{ ceremony.place }}.")
    t.tag("{%p if ceremony.chair %}")
    t.p(("Điều hành buổi lễ: ", "b"), "đồng chí {{ ceremony.chair }}.")
    t.tag("{%p endif %}")
    t.p(("Trang trí: ", "b"), "cờ Đảng, cờ Tổ quốc; tượng hoặc ảnh Chủ tịch Hồ Chí Minh bên trái, ảnh Các Mác và "
        "V.I. Lênin bên phải; tiêu đề «Lễ kết nạp đảng viên».")
    t.p(("Kết nạp {{ count }} quần chúng ưu tú.", "i"))
    t.p(("1. Chào cờ ", "b"), "(hát Quốc ca, Quốc tế ca).", before=8, keep=True)
    t.p(("2. Tuyên bố lý do, giới thiệu đại biểu.", "b"), keep=True)
    t.p(("3. Kết nạp đảng viên", "b"), " (lần lượt từng quần chúng):", keep=True)
    t.tag("{%p for s in students %}")
    t.p(("3.{{ s.index }}. {{ s.title_cap }} {{ s.full_name }}", "bi"), before=6, keep=True)
    t.p("- Đọc Quyết định số {{ s.decision_number }} ngày {{ s.decision_date }} của {{ s.decision_issuer }} về việc "
        "kết nạp {{ s.title }} {{ s.full_name }} vào Đảng Cộng sản Việt Nam (mọi người đứng nghiêm).")
    t.p("- Đảng viên mới {{ s.full_name }} đọc lời tuyên thệ.")
    t.p("- Đại diện chi ủy nói rõ nhiệm vụ của đảng viên; công bố đồng chí {{ s.helper }} được phân công giúp đỡ "
        "đảng viên dự bị {{ s.full_name }}.")
    t.tag("{%p endfor %}")
    t.p(("4. ", "b"), ("{% if ceremony.upper_guest %}Đại diện {{ ceremony.upper_guest }} phát biểu ý kiến."
                       "{% else %}Đại diện cấp ủy cấp trên phát biểu ý kiến (nếu có).{% endif %}", "b"),
        before=8, keep=True)
    t.p(("5. Bế mạc ", "b"), "(chào cờ).")
    return t


def nq_cong_nhan() -> Template:
    t = Template("Nghị quyết chi bộ đề nghị công nhận đảng viên chính thức")
    t.header()
    t.title("NGHỊ QUYẾT", "đề nghị công nhận đảng viên chính thức")
    t.p("Căn cứ Điều 5 Điều lệ Đảng Cộng sản Việt Nam;")
    t.p("Ngày {{ meeting.date }}, {{ org.name }} đã họp để xét, đề nghị công nhận đảng viên dự bị "
        "{{ person.full_name }}, được kết nạp vào Đảng ngày {{ probation.admitted_on }}, trở thành đảng viên chính "
        "thức.")
    t.attendance()
    t.p("Sau khi nghe đồng chí {{ person.full_name }} đọc bản tự kiểm điểm trong thời gian dự bị, ý kiến nhận xét "
        "của đảng viên được phân công giúp đỡ và tổng hợp ý kiến nhận xét của tổ chức đoàn thể, chi bộ thống nhất "
        "nhận xét:")
    t.p(("1. Ưu điểm:", "b"), keep=True)
    t.write("assessment.strengths")
    t.p(("2. Khuyết điểm:", "b"), keep=True)
    t.write("assessment.weaknesses")
    t.vote("Đối chiếu với tiêu chuẩn đảng viên, chi bộ biểu quyết đề nghị công nhận đồng chí {{ person.full_name }} "
           "là đảng viên chính thức.")
    t.p("Đề nghị {{ org.upper_committee }} xem xét, quyết định công nhận đồng chí {{ person.full_name }} là đảng "
        "viên chính thức kể từ ngày {{ probation.end }}.")
    t.signature(recipients=([], ["- Lưu chi bộ."]))
    return t


BUILDERS: dict[str, Callable[[], Template]] = {
    "nq-chi-bo": nq_chi_bo,
    "bien-ban-chi-bo": bien_ban_chi_bo,
    "nq-dang-uy": nq_dang_uy,
    "tong-hop-y-kien": tong_hop_y_kien,
    "giay-gioi-thieu": giay_gioi_thieu,
    "de-nghi-hoc-lop": de_nghi_hoc_lop,
    "chuong-trinh-le": chuong_trinh_le,
    "nq-cong-nhan": nq_cong_nhan,
}


def make(out_dir: Path = OUT) -> list[Path]:
    """Write every template into ``out_dir``; return the paths."""
    return [build().save(out_dir / f"{code}.docx") for code, build in BUILDERS.items()]


if __name__ == "__main__":
    for written in make(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(written)
