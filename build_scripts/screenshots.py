"""Screenshots for the README, from the demo database, without a display.

    .venv/bin/python build_scripts/screenshots.py [--out docs/screenshots]

Builds the demo database in a temporary folder, opens the real main window offscreen and saves one PNG per tab
(``tab-<n>-<name>.png``), the first-run setup, the user guide and a student's record with "Bước tiếp theo"
(``record-next-steps.png``: a student of this year's intake, dossier almost complete); then page 1 of the
semiannual summary (``summary-2024-H1.png``), written by ``python -m lamha_desktop summary-pdf`` and rasterised
by ``pdftoppm`` (poppler-utils); and page 1 of the chi bộ's resolution (``document-nq-chi-bo.png``), rendered from its
fictional example and converted by LibreOffice (``soffice``; skipped with a notice when it is not installed).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1280, 760)


def slug(text: str) -> str:
    """"Việc cần làm (9 quá hạn)" -> "viec-can-lam": a stable file name, without the counts a tab shows."""
    import re

    from lamha_desktop.domain import people

    plain = people.search_key(re.sub(r"\(.*?\)", "", text.replace("&", "")))
    return "-".join(re.findall(r"[a-z0-9]+", plain))


def grab_window(data_dir: Path, out: Path) -> list[Path]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from lamha_desktop import app
    from lamha_desktop.storage import db
    from lamha_desktop.ui.first_run import FirstRunDialog
    from lamha_desktop.ui.help.dialogs import HelpDialog

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)  # never the user's own window geometry
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(data_dir / "settings"))
    started = app.build(["--demo", "--data-dir", str(data_dir), "--no-err-windows"])
    window = started.window
    window.resize(*SIZE)  # type: ignore[attr-defined]
    window.show()  # type: ignore[attr-defined]
    written: list[Path] = []

    def settle() -> None:
        for _ in range(5):
            QApplication.processEvents()

    tabs = window.tabs  # type: ignore[attr-defined]
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        settle()
        path = out / f"tab-{i + 1}-{slug(tabs.tabText(i))}.png"
        window.grab().save(str(path))  # type: ignore[attr-defined]
        written.append(path)
    guide = HelpDialog(window)  # type: ignore[arg-type]
    guide.resize(980, 640)
    guide.show()
    guide.go_to("ket-nap")
    settle()
    written.append(out / "help.png")
    guide.grab().save(str(written[-1]))
    guide.close()
    written.append(out / "record-next-steps.png")
    record_dialog(window, written[-1], settle)
    setup = FirstRunDialog(None, window)  # type: ignore[arg-type]
    setup.show()
    settle()
    written.append(out / "first-run.png")
    setup.grab().save(str(written[-1]))
    setup.outcome = setup.outcome.DEMO  # closing it here must not mark the setup as done
    setup.close()
    window.close()  # type: ignore[attr-defined]
    db.close_database()
    app.release_instance_lock()
    return written


def record_dialog(window: object, path: Path, settle: object) -> None:
    """A student's record with "Bước tiếp theo": the first student of this year's intake whose dossier lacks one
    paper, on the demo's own "today" (so the picture does not change with the date it is made on)."""
    from lamha_desktop.domain.pipeline import Stage
    from lamha_desktop.operations import demo
    from lamha_desktop.storage.models import Candidate
    from lamha_desktop.ui.candidates.detail import CandidateDetailDialog

    student = (Candidate.select().where((Candidate.stage == int(Stage.DOSSIER))
                                        & (Candidate.graduation_year > demo.DEMO_TODAY.year))
               .order_by(Candidate.id).first())
    assert student is not None, "the demo has a student with a dossier under way"
    dialog = CandidateDetailDialog(student.id, window, today=demo.DEMO_TODAY)  # type: ignore[arg-type]
    dialog.resize(1180, 820)
    dialog.show()
    settle()  # type: ignore[operator]
    dialog.grab().save(str(path))
    dialog.close()


def summary_page(data_dir: Path, out: Path, period: str) -> Path:
    pdf = data_dir / f"summary-{period}.pdf"
    subprocess.run([sys.executable, "-m", "lamha_desktop", "summary-pdf", "--data-dir", str(data_dir),
                    "--period", period, "--out", str(pdf)], check=True, cwd=ROOT)
    prefix = out / f"summary-{period}"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)],
                   check=True)
    return prefix.with_suffix(".png")


def document_page(work: Path, out: Path, kind: str = "nq-chi-bo") -> Path | None:
    """Page 1 of a document rendered from its example, through LibreOffice; None without LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("soffice is missing (apt-get install libreoffice-writer-nogui): no document screenshot",
              file=sys.stderr)
        return None
    from lamha_desktop.reports import documents

    docx = work / f"{kind}.docx"
    docx.write_bytes(documents.render(kind, documents.example(kind)).data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{work / 'lo-profile'}",
                    "--convert-to", "pdf", "--outdir", str(work), str(docx)], check=True, capture_output=True)
    prefix = out / f"document-{kind}"
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(work / f"{kind}.pdf"),
                    str(prefix)], check=True)
    return prefix.with_suffix(".png")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    p.add_argument("--period", default="2024-H1")
    args = p.parse_args(argv)
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: apt-get install poppler-utils", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lamha-shots-") as tmp:
        data_dir = Path(tmp) / "demo"
        written = grab_window(data_dir, args.out)
        written.append(summary_page(data_dir, args.out, args.period))
        page = document_page(Path(tmp), args.out)
        if page is not None:
            written.append(page)
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
