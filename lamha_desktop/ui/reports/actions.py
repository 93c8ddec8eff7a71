"""The reports actions of the main window and what they do."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from lamha_desktop.domain.privacy import mask_ids
from lamha_desktop.lazy import lazy_import
from lamha_desktop.ui import messages
from lamha_desktop.ui.changes import run
from lamha_desktop.ui.messages import tr

if TYPE_CHECKING:
    from lamha_desktop.reports.printable import Printable
    from lamha_desktop.ui.main_window import MainWindow

# openpyxl loads with the first export or import of a return, not at start-up; so do the summary, Qt's PDF
# classes and the consolidation code, with the first report.
excel_return = lazy_import("lamha_desktop.reports.excel_return")
return_reader = lazy_import("lamha_desktop.readers.return_reader")
consolidation_ops = lazy_import("lamha_desktop.operations.consolidation")
summary_html = lazy_import("lamha_desktop.reports.summary_html")
consolidation = lazy_import("lamha_desktop.storage.consolidation")
report_data = lazy_import("lamha_desktop.storage.report_data")
printing = lazy_import("lamha_desktop.ui.printing")
dialogs = lazy_import("lamha_desktop.ui.reports.dialogs")



class Cancelled(Exception):
    pass


def summary_file_name(period: report_data.Period) -> str:
    """"bao_cao_so_ket_2024-H1.pdf", "bao_cao_tong_ket_2024.pdf"…"""
    kind = {"Sơ kết": "so_ket", "Kết quả": "ket_qua"}.get(period.summary_kind, "tong_ket")
    return f"bao_cao_{kind}_{period.code}.pdf"


def _error(parent: QWidget | None, title: str, exc: Any) -> None:
    QMessageBox.warning(parent, title, messages.text(exc.code, exc.params))


def open_folder(path: Path) -> bool:
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent))))


class ReportActions:
    """Holds the window and the last folder used; one method per action."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.folder: Path | None = None
        self.last_preview: Any = None

    @property
    def parent(self) -> QWidget:
        return self.window

    # ------------------------------------------------------------------ export

    def export_return(self) -> Path | None:
        req = dialogs.PeriodDialog.ask(self.parent, title=tr("Xuất báo cáo"), with_file=True, folder=self.folder)
        if req is None or req.path is None:
            return None
        progress = QProgressDialog(tr("Đang tổng hợp số liệu…"), tr("&Hủy"), 0, 100, self.parent)
        progress.setWindowTitle(tr("Xuất báo cáo"))
        progress.setMinimumDuration(400)
        progress.setAutoClose(True)
        progress.setValue(0)

        def step(done: int, total: int) -> None:
            progress.setLabelText(tr("Đang ghi danh sách ({done}/{total})…").format(done=done, total=total))
            progress.setValue(20 + int(70 * done / max(total, 1)))
            QCoreApplication.processEvents()
            if progress.wasCanceled():
                raise Cancelled

        try:
            data = report_data.collect(report_data.period_from_settings(req.period), org_code=req.org_code,
                                       with_payload=not req.totals_only)
            progress.setValue(20)
            content = excel_return.build(data, progress=step, totals_only=req.totals_only)
            progress.setLabelText(tr("Đang lưu tệp…"))
            progress.setValue(95)
            excel_return.write_atomic(req.path, content)
        except Cancelled:
            self.window.statusBar().showMessage(messages.text("export.cancelled"), 5000)
            return None
        except (report_data.ReportError, excel_return.ExportError) as exc:
            progress.cancel()
            _error(self.parent, tr("Không xuất được báo cáo"), exc)
            return None
        finally:
            progress.setValue(100)
        self.folder = req.path.parent
        self.window.statusBar().showMessage(
            messages.text("export.done", {"period": data.period.title, "path": str(req.path)}), 8000)
        if dialogs.DoneDialog.ask(self.parent, req.path):
            open_folder(req.path)
        return req.path

    # ------------------------------------------------------------------ summary

    def _summary(self, *, with_file: bool) -> tuple[Printable, report_data.ReturnData, Path | None] | None:
        req = dialogs.PeriodDialog.ask(self.parent, title=tr("Báo cáo tổng hợp"), with_file=with_file, suffix=".pdf",
                               folder=self.folder)
        if req is None:
            return None
        try:
            data = report_data.collect(report_data.period_from_settings(req.period), org_code=req.org_code,
                                       with_payload=False)
        except report_data.ReportError as exc:
            _error(self.parent, tr("Không lập được báo cáo"), exc)
            return None
        return summary_html.build(data), data, req.path

    def print_summary(self) -> Any:
        made = self._summary(with_file=False)
        if made is None:
            return None
        summary, data, _path = made
        dialog = printing.preview_dialog(summary, self.parent, title=data.period.summary_title)
        from PySide6.QtWidgets import QToolBar

        bar = dialog.findChild(QToolBar)
        if bar is not None:
            save = QAction(tr("Lưu PDF…"), dialog)
            save.setObjectName("save_pdf")
            save.triggered.connect(lambda: self._save_pdf(summary, data))
            bar.addSeparator()
            bar.addAction(save)
        self.last_preview = dialog
        dialog.exec()
        return dialog

    def _save_pdf(self, summary: Printable, data: report_data.ReturnData,
                  path: Path | None = None) -> Path | None:
        if path is None:
            folder = self.folder or Path.home()
            path = dialogs.SavePdfDialog.ask(self.parent, folder / summary_file_name(data.period))
            if path is None:
                return None
        try:
            printing.write_pdf(summary, path, title=data.period.summary_title)
        except excel_return.ExportError as exc:
            _error(self.parent, tr("Không lưu được PDF"), exc)
            return None
        self.folder = path.parent
        self.window.statusBar().showMessage(messages.text("pdf.done", {"path": str(path)}), 8000)
        return path

    def save_summary_pdf(self) -> Path | None:
        made = self._summary(with_file=True)
        if made is None:
            return None
        summary, data, path = made
        saved = self._save_pdf(summary, data, path)
        if saved is not None and dialogs.DoneDialog.ask(self.parent, saved):
            open_folder(saved)
        return saved

    # ------------------------------------------------------------------ import

    def import_return(self) -> consolidation.ImportResult | None:
        path = dialogs.OpenReturnDialog.ask(self.parent)
        if path is None:
            return None
        title = tr("Không nhập được báo cáo")
        try:
            payload = return_reader.read_return(path)
            changes = run(self.parent, lambda: consolidation_ops.import_return(payload), title=title)
            if changes is None:
                return None
            result: consolidation.ImportResult = changes.result
            choices: dict[str, str] = {}
            if result.org_conflicts:
                org_choice = dialogs.OrgConflictsDialog.ask(self.parent, result.org_conflicts)
                if org_choice is not None:
                    choices |= org_choice
            if result.conflicts:
                student_choice = dialogs.ConflictsDialog.ask(self.parent, result.conflicts)
                if student_choice is not None:
                    choices |= student_choice
            if choices:
                again = run(self.parent, lambda: consolidation_ops.import_return(payload, resolutions=choices),
                            title=title)
                if again is not None:
                    resolved = again.result
                    resolved.students_created += result.students_created
                    result = resolved
        except (return_reader.ReadError, consolidation.ConsolidationError) as exc:
            _error(self.parent, title, exc)
            return None
        summary = messages.text("return.import_done", {
            "period": payload.period, "orgs_new": result.organisations_created,
            "orgs_upd": result.organisations_updated, "new": result.students_created,
            "upd": result.students_updated, "same": result.students_unchanged})
        if result.conflicts:
            summary += "\n" + messages.text("return.conflicts", {"count": len(result.conflicts)})
        if result.org_conflicts:
            summary += "\n" + messages.text("return.org_conflicts", {"count": len(result.org_conflicts)})
        self.window.statusBar().showMessage(summary.replace("\n", " "), 10000)
        if result.refused:
            refused_report(self.parent, result)
        return result


def refused_report(parent: QWidget, result: consolidation.ImportResult) -> None:
    """The records of the return that were not imported, each with its reasons."""
    lines = []
    for r in result.refused:
        reasons = "; ".join(messages.text(code, dict(params)).rstrip(".") for code, params in r.reasons)
        lines.append(mask_ids(f"{r.name or r.key}: {reasons}"))
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Một số bản ghi không được nhập"),
                      messages.text("return.refused_count", {"count": len(result.refused)}) + "\n" +
                      "\n".join(lines[:15]) + ("\n…" if len(lines) > 15 else ""), QMessageBox.StandardButton.Ok,
                      parent)
    box.setDetailedText("\n".join(lines))
    box.exec()


def install(window: MainWindow) -> None:
    actions = ReportActions(window)
    window.report_actions = actions

    def make(text: str, slot: Any, shortcut: Any = None, tip: str = "", name: str = "") -> QAction:
        act = QAction(text, window)
        act.setObjectName(name)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        if tip:
            act.setStatusTip(tip)
        act.triggered.connect(lambda _checked=False: slot())
        window.addAction(act)
        return act

    window.act_export_return = make(tr("&Xuất báo cáo…"), actions.export_return, "Ctrl+E",
                                    tr("Xuất báo cáo kết quả kết nạp ra Excel theo mẫu của cấp trên"),
                                    "act_export_return")
    window.act_print_summary = make(tr("&In báo cáo sơ kết, tổng kết…"), actions.print_summary,
                                    QKeySequence.StandardKey.Print,
                                    tr("Xem trước và in báo cáo sơ kết 6 tháng, kết quả 6 tháng cuối năm hoặc tổng "
                                       "kết năm"), "act_print_summary")
    window.act_summary_pdf = make(tr("&Lưu báo cáo sơ kết, tổng kết ra PDF…"), actions.save_summary_pdf, None,
                                  tr("Lưu báo cáo sơ kết, tổng kết thành tệp PDF"), "act_summary_pdf")
    window.act_import_return = make(tr("&Nhập báo cáo của trường…"), actions.import_return, None,
                                    tr("Tổng hợp: nhập báo cáo (.xlsx) do một trường xuất"), "act_import_return")
    menu = window.file_menu
    before = window.act_quit
    for act in (window.act_export_return, window.act_print_summary, window.act_summary_pdf,
                window.act_import_return):
        menu.insertAction(before, act)
    menu.insertSeparator(before)
    window.toolbar.addSeparator()
    window.toolbar.addAction(window.act_export_return)
    window.toolbar.addAction(window.act_print_summary)


__all__ = ["ReportActions", "install", "open_folder"]
