"""Words for "Bước tiếp theo" (``domain/guide.py``): the name of a step, its dates, what it needs, the short text of
the candidates' column and of "Việc cần làm", and the age-window planner's lines."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from lamha_desktop.catalogue import BOUND_NAMES, DOCUMENT_NAMES, PAPER_NAMES, SIGNER_NAMES, WAY_OUT_NAMES
from lamha_desktop.domain import codelists, guide
from lamha_desktop.domain.pipeline import EventKind, Issue
from lamha_desktop.ui import messages
from lamha_desktop.ui.messages import tr

__all__ = ["bound_text", "dossier_group", "escape", "issue_text", "needs_lines", "short_text", "step_name",
           "tooltip_text", "window_lines"]

K = EventKind


def _item_label(code: str) -> str:
    item = codelists.dossier_item(code)
    return item.label if item is not None else code


@functools.cache
def _step_titles() -> dict[str, str]:
    K = EventKind  # noqa: N806 - the name the rest of the code gives the kinds
    return {
        K.SOURCE: tr("Đưa vào danh sách nguồn"),
        K.CLASS: tr("Lớp bồi dưỡng nhận thức về Đảng"),
        K.DOSSIER: tr("Hồ sơ"),
        K.VOTE: tr("Chi bộ biểu quyết đề nghị kết nạp"),
        K.DANG_UY: tr("Đảng ủy cơ sở xét"),
        K.DECISION: tr("Quyết định kết nạp"),
        K.RECOGNITION: tr("Công nhận đảng viên chính thức"),
        K.TRANSFER: tr("Chuyển sinh hoạt đảng"),
        K.NOT_ADMITTED: tr("Không kết nạp"),
        K.REMOVED: tr("Xóa tên khỏi danh sách"),
        K.CEREMONY: tr("Lễ kết nạp"),
    }


def step_title(kind: str) -> str:
    """The step's name as its dialog is titled ("Chi bộ biểu quyết đề nghị kết nạp"); painted in every row of the
    candidates' next-step column, so read from a table built once. Kept here rather than with the step dialogs
    (``steps.py`` titles them from it), so that the column does not load those dialogs and their operations."""
    title = _step_titles().get(kind)
    if title is None:
        name = messages.STEP_NAMES.get(kind, kind)
        title = name[:1].upper() + name[1:]
    return title


def step_name(kind: str, item: str | None = None) -> str:
    """"Chi bộ biểu quyết", "Đơn xin vào Đảng" (a dossier item by its label)."""
    if item is not None:
        return _item_label(item)
    return step_title(kind)


def bound_text(bound: guide.Bound | None) -> str:
    """"01/11/2026 (đủ 18 tuổi)"."""
    if bound is None:
        return ""
    return f"{messages.fmt_date(bound.on)} ({tr(BOUND_NAMES.get(bound.why, bound.why))})"


def issue_text(issue: Issue) -> str:
    return messages.text(issue.code, issue.params)


def needs_lines(needs: guide.Needs) -> list[str]:
    """What a step needs, one line each: papers, who signs, how many must agree, the documents written here."""
    lines: list[str] = []
    papers = [_item_label(p) if codelists.dossier_item(p) else tr(PAPER_NAMES.get(p, p)) for p in needs.papers]
    if papers:
        lines.append(tr("Giấy tờ: {p}").format(p="; ".join(papers)))
    if needs.signer:
        lines.append(tr("Ký/ban hành: {s}").format(s=tr(SIGNER_NAMES.get(needs.signer, needs.signer))))
    if needs.agree_needed is not None and needs.official_members is not None:
        lines.append(tr("Cần ít nhất {a}/{m} đảng viên chính thức tán thành (2/3 tổng số)").format(
            a=needs.agree_needed, m=needs.official_members))
    if needs.documents:
        lines.append(tr("Văn bản soạn sẵn: {d}").format(
            d="; ".join(tr(DOCUMENT_NAMES.get(d, d)) for d in needs.documents)))
    return lines


def dossier_group(steps: Sequence[guide.NextStep]) -> tuple[list[guide.NextStep], list[guide.NextStep]]:
    """(dossier item steps, the other steps): the panel shows the dossier's items as one step."""
    items = [s for s in steps if s.kind == K.DOSSIER]
    return items, [s for s in steps if s.kind != K.DOSSIER]


def _number(step: guide.NextStep) -> str:
    return step.number.split(".")[0] if step.number else ""


def short_text(steps: Sequence[guide.NextStep]) -> str:
    """The candidates' column: the first step still to do, e.g. "3. Hồ sơ (còn 4 giấy tờ)" or
    "4. Chi bộ biểu quyết — từ 01/11/2026"; "" when nothing is left."""
    if not steps:
        return ""
    first = steps[0]
    if first.kind == K.DOSSIER:
        count = sum(1 for s in steps if s.kind == K.DOSSIER)
        text = tr("{n}. Hồ sơ (còn {c} giấy tờ)").format(n=_number(first), c=count)
    else:
        prefix = f"{first.number}. " if first.number else ""
        text = prefix + step_name(first.kind)
    if first.overdue and first.latest is not None:
        return text + " — " + tr("QUÁ HẠN {d}").format(d=messages.fmt_date(first.latest.on))
    if first.blockers and first.earliest is not None and first.earliest.on == first.suggested:
        # not possible yet, and the earliest day is today or later: say from when
        return text + " — " + tr("từ {d}").format(d=messages.fmt_date(first.earliest.on))
    if first.latest is not None:
        return text + " — " + tr("trước {d}").format(d=messages.fmt_date(first.latest.on))
    return text


def tooltip_text(steps: Sequence[guide.NextStep]) -> str:
    """Every step still to do, one line each (the column's tooltip)."""
    items, others = dossier_group(steps)
    lines = []
    if items:
        lines.append(tr("Hồ sơ còn thiếu: {i}").format(i="; ".join(step_name(s.kind, s.item) for s in items)))
    for s in others:
        line = (f"{s.number}. " if s.number else "") + step_name(s.kind)
        dates = " — ".join(t for t in (bound_text(s.earliest), bound_text(s.latest)) if t)
        lines.append(line + (f": {dates}" if dates else ""))
        lines += [f"  ✘ {issue_text(b)}" for b in s.blockers]
    return "\n".join(lines)


def window_lines(window: guide.AgeWindow) -> list[tuple[str, str]]:
    """The age-window planner as (text, tone) lines: tone "bad" (no window), "warn" (short), "" (plain)."""
    lines: list[tuple[str, str]] = []
    eligible = messages.fmt_month(window.eligible_from)
    if window.graduation is None:
        lines.append((tr("Đủ 18 tuổi từ tháng {e}. Chưa có năm tốt nghiệp dự kiến: nhập ở \u201cThông tin cá "
                         "nhân\u201d để tính thời gian còn lại.").format(e=eligible), ""))
        return lines
    graduation = messages.fmt_month(window.graduation)
    if window.no_window:
        lines.append((tr("Không kịp đủ 18 tuổi trước khi tốt nghiệp: đủ tuổi từ tháng {e}, tốt nghiệp tháng {g}.")
                      .format(e=eligible, g=graduation), "bad"))
        if window.way_out:
            lines.append((tr("Hướng giải quyết: {w}.").format(w=tr(WAY_OUT_NAMES.get(window.way_out,
                                                                                     window.way_out))), "bad"))
    else:
        tone = "warn" if window.short else ""
        lines.append((tr("Đủ 18 tuổi từ tháng {e}, tốt nghiệp tháng {g}: còn {m} tháng để kết nạp khi còn học.")
                      .format(e=eligible, g=graduation, m=window.months), tone))
    if window.one_certificate_covers:
        lines.append((tr("Lớp nhận thức về Đảng nên học trong khoảng {a} – {b}: giấy chứng nhận (60 tháng) còn giá "
                         "trị suốt thời gian đó.").format(a=messages.fmt_date(window.class_earliest),
                                                         b=messages.fmt_date(window.class_latest)), ""))
    if window.certificate_until is not None:
        if window.certificate_covers:
            lines.append((tr("Giấy chứng nhận hiện có còn giá trị đến {d}: đủ cho cả thời gian này.").format(
                d=messages.fmt_date(window.certificate_until)), ""))
        else:
            lines.append((tr("Giấy chứng nhận hiện có chỉ còn giá trị đến {d}: không đủ cho cả thời gian này.")
                          .format(d=messages.fmt_date(window.certificate_until)), "warn"))
    return lines


def escape(text: str) -> str:
    """``text`` as HTML text, as ``html.escape(text, quote=False)`` writes it (a test compares the two): the
    ``html`` module would load its table of 2,000 entities at start for these three replacements."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
