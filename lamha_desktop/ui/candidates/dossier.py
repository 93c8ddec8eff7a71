"""The dossier as one checklist: every item with its date, number and note, several recorded at once.

Each item of ``resources/codelists/dossier_items.json`` is a row: a box to tick, the date of the paper, its
number and a note; the introducer's row also takes the member's name, since when they have worked or studied
with the student and whether the chi bộ assigned them as a replacement. Items already recorded show their date
and stay unticked (ticking one records a second copy, after a warning). Saving runs
``operations.steps.record_dossier``: the ticked items in one change, refused or warned together, each problem
shown under its row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from lamha_desktop.domain import codelists, pipeline
from lamha_desktop.operations import steps
from lamha_desktop.storage import repo
from lamha_desktop.ui import messages
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.widgets import DateField, FormDialog

__all__ = ["DossierDialog", "DossierRow"]


class DossierRow:
    """The widgets of one item of the checklist."""

    def __init__(self, item: codelists.DossierItem, recorded: dt.date | None) -> None:
        self.item = item
        self.recorded = recorded
        label = item.label + (f" ({item.form})" if item.form else "")
        self.check = QCheckBox(label)
        self.check.setObjectName(f"check_{item.code}")
        if not item.required:
            self.check.setToolTip(tr("Không bắt buộc nếu có 2 đảng viên chính thức giới thiệu."))
        self.on = DateField()
        date_width = self.on.fontMetrics().horizontalAdvance("00/00/00000") + 36
        self.on.setFixedWidth(date_width)
        self.number = QLineEdit()
        self.number.setPlaceholderText(tr("số (nếu có)"))
        self.number.setFixedWidth(self.number.fontMetrics().horizontalAdvance("12-NQ/ĐTN0") + 24)
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("ghi chú"))
        self.state = QLabel(tr("đã ghi {d}").format(d=messages.fmt_date(recorded)) if recorded else "")
        self.state.setStyleSheet("color: #1b5e20;" if recorded else "")
        self.error = QLabel()
        self.member = QLineEdit()
        self.together = DateField()
        self.replacement = QCheckBox(tr("người thay thế do chi bộ phân công"))
        for w in (self.on, self.number, self.note, self.member, self.together, self.replacement):
            w.setEnabled(False)
        self.check.toggled.connect(self._toggled)

    @property
    def introducer(self) -> bool:
        return self.item.code == "gioi_thieu"

    def _toggled(self, on: bool) -> None:
        for w in (self.on, self.number, self.note, self.member, self.together, self.replacement):
            w.setEnabled(on)

    def values(self, problems: list[tuple[str, str]]) -> dict[str, Any]:
        field = f"item:{self.item.code}"
        out: dict[str, Any] = {"item": self.item.code}
        for name, widget in (("on", self.on), ("together_since", self.together)):
            if name == "together_since" and not self.introducer:
                continue
            try:
                day = widget.date()
            except ValueError:
                problems.append((field, messages.text("date.invalid")))
                continue
            if name == "on" and day is None:
                problems.append((field, messages.text("date.required")))
            elif day is not None:
                out[name] = day if name == "on" else day.isoformat()
        out["number"] = self.number.text().strip()
        out["note"] = self.note.text().strip()
        if self.introducer:
            out["member"] = self.member.text().strip()
            out["replacement"] = self.replacement.isChecked()
        return {k: v for k, v in out.items() if v not in ("", None, False)}


class DossierDialog(FormDialog):
    """Record several dossier items at once; ``saved_ids`` are the new steps' ids."""

    def __init__(self, candidate_id: int, *, parent: QWidget | None = None, suggested: dt.date | None = None,
                 items: Sequence[str] = (), today: dt.date | None = None) -> None:
        super().__init__(tr("Hồ sơ xin vào Đảng"), parent)
        self.candidate_id = candidate_id
        self.today = today
        self.saved_ids: tuple[int, ...] = ()
        candidate = repo.get_candidate(candidate_id)
        recorded: dict[str, dt.date] = {}
        for e in repo.pipeline_events(candidate_id):
            if e.kind == pipeline.EventKind.DOSSIER:
                recorded[str(e.data.get("item"))] = e.on
        intro = QLabel(tr("<b>{n}</b>: đánh dấu các giấy tờ đã có, ghi ngày của từng giấy tờ rồi bấm Lưu. "
                          "Có thể ghi nhiều giấy tờ một lần.").format(n=candidate["full_name"]))
        intro.setWordWrap(True)
        self.form.addRow(intro)
        box = QGroupBox(tr("Các giấy tờ"))
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(8)
        for col, header in enumerate((tr("Giấy tờ"), tr("Ngày"), tr("Số"), tr("Ghi chú"), "")):
            label = QLabel(f"<b>{header}</b>")
            grid.addWidget(label, 0, col)
        self.rows: dict[str, DossierRow] = {}
        line = 1
        day = suggested or dt.date.today()
        for item in codelists.dossier_items():
            row = DossierRow(item, recorded.get(item.code))
            self.rows[item.code] = row
            grid.addWidget(row.check, line, 0)
            grid.addWidget(row.on, line, 1)
            grid.addWidget(row.number, line, 2)
            grid.addWidget(row.note, line, 3)
            grid.addWidget(row.state, line, 4)
            line += 1
            if row.introducer:
                extra = QHBoxLayout()
                extra.setContentsMargins(24, 0, 0, 0)
                extra.addWidget(QLabel(tr("Đảng viên giới thiệu:")))
                row.member.setMinimumWidth(180)
                extra.addWidget(row.member, 1)
                extra.addWidget(QLabel(tr("cùng công tác/học tập từ:")))
                row.together.setFixedWidth(row.on.width())
                extra.addWidget(row.together)
                extra.addWidget(row.replacement)
                grid.addLayout(extra, line, 0, 1, 5)
                line += 1
            grid.addWidget(row.error, line, 0, 1, 5)
            self.register_field(f"item:{item.code}", row.check, row.error)
            line += 1
            row.on.set_date(day)
            if item.code in items:
                row.check.setChecked(True)
        layout = self.layout()
        assert layout is not None
        layout.insertWidget(1, box)  # type: ignore[attr-defined]
        first = next((self.rows[c] for c in items if c in self.rows), None)
        if first is not None:
            first.on.setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(820, self.sizeHint().height())

    def row(self, code: str) -> DossierRow:
        return self.rows[code]

    def tick(self, code: str, on: dt.date | None = None, **values: Any) -> DossierRow:
        """Tick an item and fill it (for a caller driving the dialog: a test, a script)."""
        row = self.rows[code]
        row.check.setChecked(True)
        if on is not None:
            row.on.set_date(on)
        if "member" in values:
            row.member.setText(str(values["member"]))
        if "together_since" in values:
            row.together.set_date(values["together_since"])
        if "number" in values:
            row.number.setText(str(values["number"]))
        return row

    def checked(self) -> list[str]:
        return [code for code, row in self.rows.items() if row.check.isChecked()]

    def accept(self) -> None:
        self.clear_errors()
        problems: list[tuple[str, str]] = []
        items = [row.values(problems) for row in self.rows.values() if row.check.isChecked()]
        cid = self.candidate_id
        saved = self.try_save(problems, lambda: steps.record_dossier(cid, items, today=self.today),
                              confirmable=lambda accept: steps.record_dossier(cid, items, accept=accept,
                                                                              today=self.today))
        if saved is not None:
            self.saved_ids = tuple(saved.result or ())
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, candidate_id: int, *, suggested: dt.date | None = None,
            items: Sequence[str] = ()) -> tuple[int, ...] | None:
        dlg = cls(candidate_id, parent=parent, suggested=suggested, items=items)
        return dlg.saved_ids if dlg.exec() == QDialog.DialogCode.Accepted else None
