"""Start-up in a readable order: arguments, logging, QApplication, excepthook, database, window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lamha_desktop import APP_NAME, ORG_NAME, __version__

log = logging.getLogger(__name__)

HEADLESS_COMMANDS = ("export-return", "summary-pdf", "import-students", "import-return", "backup", "restore")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="lamha-desktop", description="Quản lý kết nạp đảng viên là học sinh THPT")
    p.add_argument("--data-dir", type=Path, help="thư mục dữ liệu (mặc định: thư mục dữ liệu của người dùng)")
    p.add_argument("--demo", action="store_true", help="mở dữ liệu mẫu (bản sao mới, không động tới dữ liệu thật)")
    p.add_argument("--smoke-test", action="store_true", help="khởi động, mở cơ sở dữ liệu, hiện cửa sổ rồi thoát")
    p.add_argument("--no-err-windows", action="store_true", help="ghi lỗi vào nhật ký thay vì hiện hộp thoại")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p.parse_args(list(argv))


@dataclass
class Started:
    app: object
    window: object
    db_path: Path


def default_data_dir() -> Path:
    from PySide6.QtCore import QStandardPaths

    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


def resolve_data_dir(args: argparse.Namespace) -> Path:
    if args.data_dir is not None:
        return Path(args.data_dir).expanduser().resolve()
    if args.demo:
        return Path(tempfile.mkdtemp(prefix="lamha-demo-"))
    return default_data_dir()


def open_store(data_dir: Path, *, demo: bool) -> Path:
    """Open and migrate the database in ``data_dir``; fill it with the demo data when asked."""
    from lamha_desktop.storage import db, settings

    path = data_dir / db.DB_FILENAME
    db.open_database(path)
    from lamha_desktop.storage.models import Organisation

    if demo:
        if not Organisation.select().exists():
            from lamha_desktop.storage import demo as demo_data

            with db.database.atomic():
                demo_data.build_demo()
                settings.set_value("is_demo", True)
        elif not settings.get("is_demo"):
            db.close_database()
            raise SystemExit(f"--demo: {path} chứa dữ liệu thật, không phải dữ liệu mẫu; hãy chọn thư mục khác.")
    return path


def build(argv: Sequence[str] | None = None) -> Started:
    """Create the QApplication and the main window without entering the event loop (tests use this)."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.smoke_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else APP_NAME])
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("Kết nạp đảng viên học sinh")
    app.setApplicationVersion(__version__)
    from PySide6.QtCore import QLocale

    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    from lamha_desktop.ui import errors

    errors.install_excepthook(show_dialogs=not (args.no_err_windows or args.smoke_test))
    data_dir = resolve_data_dir(args)
    from lamha_desktop.storage.db import StorageError

    try:
        db_path = open_store(data_dir, demo=args.demo)
    except StorageError as exc:
        from lamha_desktop.ui import messages

        raise StartupFailed(messages.text(exc.code, exc.params)) from exc
    from lamha_desktop.ui.main_window import MainWindow

    window = MainWindow(db_path=db_path, demo=args.demo)
    return Started(app, window, db_path)


class StartupFailed(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in HEADLESS_COMMANDS:
        from lamha_desktop import cli

        return cli.main(argv)
    smoke = "--smoke-test" in argv
    try:
        started = build(argv)
    except StartupFailed as exc:
        print(str(exc), file=sys.stderr)
        if not smoke and "--no-err-windows" not in argv:
            from PySide6.QtWidgets import QApplication, QMessageBox

            if QApplication.instance() is not None:
                QMessageBox.critical(None, "Không mở được dữ liệu", str(exc))
        return 2
    window = started.window
    window.show()  # type: ignore[attr-defined]
    if smoke:
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()
        tabs = window.tabs  # type: ignore[attr-defined]
        ok = window.isVisible() and tabs.count() >= 3  # type: ignore[attr-defined]
        window.close()  # type: ignore[attr-defined]
        from lamha_desktop.storage import db

        db.close_database()
        if not ok:
            print("smoke test: the main window did not show its tabs", file=sys.stderr)
            return 1
        print(f"smoke test ok: {started.db_path}")
        return 0
    code = int(started.app.exec())  # type: ignore[attr-defined]
    from lamha_desktop.storage import db

    db.close_database()
    return code
