"""The printed summary (báo cáo sơ kết / kết quả / tổng kết) for ``ui.printing``. No Qt here.

The headings and the short tables are HTML in the subset ``QTextDocument`` understands (tables with
``width``/``bgcolor``, ``<hr width>``, ``<thead>`` repeated on each page, inline ``font-size``); the named list,
which runs to thousands of rows at a province, is a ``reports.printable.Rows`` block that ``ui.printing`` lays
out itself (each row whole on a page, the header repeated on each page). Sections: the 36-HD/VPTW document
header; title and subject; I. the totals table; II. each organisation's target for the year with a bar chart
of admissions against targets (HTML bars: the text stays extractable); III. the students admitted in the
period; the signature block (role from the settings, name from the settings or the organisation's secretary).
The title says what the period's summary is: "Sơ kết" for the first half, "Kết quả" for the second, "Tổng
kết" for the year."""

from __future__ import annotations

import datetime as dt
from html import escape

from lamha_desktop.reports.printable import Column, Printable, Rows
from lamha_desktop.storage.report_data import OrgFigures, ReturnData

__all__ = ["STUDENT_COLUMNS", "build"]

ADMITTED_COLOUR = "#b3261e"
TARGET_COLOUR = "#9e9e9e"
FONT = "'Times New Roman', 'Liberation Serif', serif"


def _d(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _lines(text: str) -> str:
    return "<br/>".join(_e(line) for line in str(text).splitlines())


def _header(data: ReturnData) -> str:
    h = data.header
    return f"""
<table width="100%" cellspacing="0" cellpadding="0" style="margin-bottom: 6pt;">
<tr>
<td width="44%" align="center" valign="top">
  <p align="center" style="margin:0; font-size:13pt;">{_e(h.upper_body)}</p>
  <p align="center" style="margin:0; font-size:13pt;"><b>{_e(h.issuer)}</b></p>
  <p align="center" style="margin:0; font-size:13pt;">*</p>
  <p align="center" style="margin:0; font-size:13pt;">{_e(h.doc_number)}</p>
</td>
<td width="56%" align="center" valign="top">
  <p align="center" style="margin:0; font-size:14pt;"><b>ĐẢNG CỘNG SẢN VIỆT NAM</b></p>
  <hr width="62%" style="margin:0;"/>
  <p align="center" style="margin-top:6pt; font-size:13pt;"><i>{_e(h.place_date)}</i></p>
</td>
</tr>
</table>
<p align="center" style="margin-top:10pt; margin-bottom:0; font-size:15pt;"><b>BÁO CÁO</b></p>
<p align="center" style="margin:0; font-size:13pt;"><b>{_e(data.period.summary_kind)} kết nạp đảng viên là học sinh
trung học phổ thông {_e(data.period.title)}</b></p>
<hr width="18%"/>
<p align="center" style="margin-top:0; font-size:11pt;"><i>(Từ ngày {_d(data.period.start)} đến ngày
{_d(data.period.end)}; {_e(h.cumulative_basis)})</i></p>
"""


# Column headers, one printed line per item: a line never breaks (QTextDocument would cut a word that does not
# fit its cell anywhere, "Nguồ/n"), so a column is as wide as its longest line and no wider than needed.
_TOTAL_COLUMNS: list[tuple[str, tuple[str, ...]]] = [
    ("annual_target", ("Chỉ", "tiêu", "năm")),
    ("in_training", ("Nguồn",)),
    ("sent_to_class", ("Học", "lớp", "nhận", "thức")),
    ("with_resolution", ("Có NQ", "chi bộ")),
    ("awaiting_ceremony", ("Có QĐ,", "chờ lễ")),
    ("admitted", ("Tổng", "số")),
    ("admitted_women", ("Nữ",)),
    ("admitted_minority", ("DTTS",)),
    ("admitted_religion", ("Tôn", "giáo")),
    ("admitted_union", ("Đoàn", "viên")),
    ("cumulative", ("Lũy", "kế")),
    ("recognised", ("Công", "nhận", "CT")),
    ("transferred", ("Chuyển", "đi")),
]


def _th(text: str | tuple[str, ...], *, rowspan: int = 1, colspan: int = 1, width: str = "") -> str:
    """A header cell whose lines (a tuple: one per line) never break inside a word."""
    lines = (text,) if isinstance(text, str) else text
    body = "<br/>".join(_e(line) for line in lines)
    w = f' width="{width}"' if width else ""
    return (f'<th rowspan="{rowspan}" colspan="{colspan}"{w} align="center" valign="middle" bgcolor="#eeeeee" '
            f'style="font-size:8pt; white-space:nowrap;">{body}</th>')


def _totals(data: ReturnData) -> str:
    head1 = [_th("TT", rowspan=2, width="4%"), _th(("Tổ chức", "cơ sở đảng"), rowspan=2, width="19%")]
    head2: list[str] = []
    for key, label in _TOTAL_COLUMNS:
        if key == "admitted":
            head1.append(_th(("Kết nạp", "trong kỳ"), colspan=5))
            head2.append(_th(label, width="5.8%"))
        elif key.startswith("admitted_"):
            head2.append(_th(label, width="5.8%"))
        else:
            head1.append(_th(label, rowspan=2, width="5.8%"))
    body: list[str] = []

    def row(num: str, o: OrgFigures, *, bold: bool) -> str:
        b0, b1 = ("<b>", "</b>") if bold else ("", "")
        cells = [f'<td align="center">{num}</td>', f"<td>{b0}{_e(o.name)}{b1}</td>"]
        cells += [f'<td align="center">{b0}{getattr(o, k)}{b1}</td>' for k, _l in _TOTAL_COLUMNS]
        return "<tr>" + "".join(cells) + "</tr>"

    for i, o in enumerate(data.organisations, start=1):
        body.append(row(str(i), o, bold=False))
    body.append(row("", data.total, bold=True))
    return (
        '<p style="margin-top:8pt; font-size:12pt;"><b>I. Kết quả chung</b></p>'
        '<table width="100%" border="1" cellspacing="0" cellpadding="2" style="border-collapse: collapse; '
        'font-size:10pt;">'
        f"<thead><tr>{''.join(head1)}</tr><tr>{''.join(head2)}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _bar(value: int, scale: int, colour: str) -> str:
    pct = round(85 * value / scale) if scale else 0
    if pct <= 0:
        return ('<table width="100%" cellspacing="0" cellpadding="0">'
                f'<tr><td style="font-size:8pt;">{value}</td></tr></table>')
    return (
        '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td width="{pct}%" bgcolor="{colour}" style="font-size:8pt;">&nbsp;</td>'
        f'<td width="{100 - pct}%" style="font-size:8pt;">&nbsp;{value}</td></tr></table>'
    )


def _targets(data: ReturnData) -> str:
    year = data.period.year
    rows: list[str] = []
    for i, o in enumerate(data.organisations, start=1):
        missing = max(0, o.annual_target - o.admitted_in_year)
        status = "Đạt" if o.target_met else f"Chưa đạt (còn thiếu {missing})"
        rows.append(f'<tr><td align="center">{i}</td><td>{_e(o.name)}</td><td align="center">{o.annual_target}</td>'
                    f'<td align="center">{o.admitted_in_year}</td><td align="center">{_e(status)}</td></tr>')
    n = len(data.organisations)
    table = (
        f'<p style="margin-top:10pt; font-size:12pt;"><b>II. Thực hiện chỉ tiêu kết nạp năm {year}</b> '
        f"(đến ngày {_d(data.period.end)}: {data.targets_met}/{n} tổ chức đạt chỉ tiêu)</p>"
        '<table width="100%" border="1" cellspacing="0" cellpadding="2" style="border-collapse: collapse; '
        'font-size:10pt;"><thead><tr>'
        + _th("STT", width="5%") + _th("Tổ chức cơ sở đảng", width="45%") + _th("Chỉ tiêu", width="12%")
        + _th(("Đã kết nạp", f"năm {year}"), width="16%") + _th("Đánh giá", width="22%")
        + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    scale = max([max(o.annual_target, o.admitted_in_year) for o in data.organisations] or [0])
    chart_rows: list[str] = []
    for o in data.organisations:
        chart_rows.append(
            f'<tr><td width="34%" valign="middle" style="font-size:9pt;">{_e(o.school_name or o.name)}</td>'
            f'<td width="66%">{_bar(o.admitted_in_year, scale, ADMITTED_COLOUR)}'
            f"{_bar(o.annual_target, scale, TARGET_COLOUR)}</td></tr>")
    chart = (
        f'<p style="margin-top:10pt; margin-bottom:2pt; font-size:11pt;"><b>Biểu đồ: số học sinh được kết nạp năm '
        f"{year} so với chỉ tiêu</b></p>"
        '<table cellspacing="0" cellpadding="1" style="font-size:9pt;"><tr>'
        f'<td bgcolor="{ADMITTED_COLOUR}" width="18">&nbsp;</td><td>&nbsp;Đã kết nạp&nbsp;&nbsp;&nbsp;</td>'
        f'<td bgcolor="{TARGET_COLOUR}" width="18">&nbsp;</td><td>&nbsp;Chỉ tiêu</td></tr></table>'
        f'<table width="100%" cellspacing="0" cellpadding="2">{"".join(chart_rows)}</table>'
    )
    return table + chart


# The named list (section III): a Rows block that ui.printing lays out itself. Headers one printed line per item,
# as the HTML tables' headers; widths in per cent of the page.
STUDENT_COLUMNS = (
    Column(("TT",), 6, centred=True),  # five digits for a province's list
    Column(("Họ và tên",), 19),
    Column(("Ngày sinh",), 11, centred=True),
    Column(("Giới", "tính"), 6, centred=True),
    Column(("Dân", "tộc"), 8, centred=True),
    Column(("Lớp",), 6, centred=True),
    Column(("Tổ chức cơ sở đảng",), 20),
    Column(("Quyết định", "kết nạp"), 13, centred=True),
    Column(("Ngày", "kết nạp"), 11, centred=True),
)


def _students(data: ReturnData) -> Rows:
    """Section III: its title, then one row per student admitted in the period."""
    rows = [
        (str(i), s.full_name, _d(s.birth), s.gender_name, s.ethnic_name, s.class_name, s.org_name,
         s.decision_no + (f"\n{_d(s.decision_date)}" if s.decision_date else ""), _d(s.ceremony_date))
        for i, s in enumerate(data.students, start=1)]
    title = (f'<p style="margin-top:10pt; font-size:12pt;"><b>III. Danh sách học sinh được '
             f"kết nạp {_e(data.period.title)}</b> ({len(data.students)} học sinh)</p>")
    return Rows(STUDENT_COLUMNS, rows, title=_document(title), empty="Không có học sinh được kết nạp trong kỳ.")


def _signature(data: ReturnData) -> str:
    h = data.header
    return f"""
<table width="100%" cellspacing="0" cellpadding="0" style="margin-top:18pt;">
<tr>
<td width="50%" valign="top" style="font-size:11pt;">
  <p style="margin:0;"><b><i>Nơi nhận:</i></b></p>
  <p style="margin:0;">- Ban Tổ chức cấp ủy cấp trên;</p>
  <p style="margin:0;">- Lưu.</p>
</td>
<td width="50%" align="center" valign="top">
  <p align="center" style="margin:0; font-size:13pt;"><b>{_lines(h.signer_role)}</b></p>
  <p style="margin:0;">&nbsp;</p><p style="margin:0;">&nbsp;</p><p style="margin:0;">&nbsp;</p>
  <p align="center" style="margin:0; font-size:13pt;"><b>{_e(h.signer_name)}</b></p>
</td>
</tr>
</table>
"""


def _document(body: str) -> str:
    return ('<html><head><meta charset="utf-8"/></head>'
            f'<body style="font-family: {FONT}; font-size: 12pt;">{body}</body></html>')


def build(data: ReturnData) -> Printable:
    """The summary of ``data`` for ``ui.printing``: the header, sections I and II as HTML, the named list of
    section III, then the signature block (HTML)."""
    return Printable((_document(_header(data) + _totals(data) + _targets(data)), _students(data),
                      _document(_signature(data))))
