"""Start-up in a readable order: arguments, logging, QApplication, excepthook, database, window."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from lamha_desktop import APP_NAME, ORG_NAME, __version__, logs

log = logging.getLogger(__name__)



def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    from lamha_desktop.cli import VietnameseParser, commands_help

    p = VietnameseParser(prog="lamha-desktop", usage="lamha-desktop [tùy chọn]  |  lamha-desktop <lệnh> …",
                         description="Quản lý kết nạp đảng viên là học sinh THPT. Không có lệnh: mở cửa sổ "
                                     "chương trình.", epilog=commands_help())
    p.add_argument("--data-dir", type=Path, metavar="THƯ_MỤC",
                   help="thư mục dữ liệu (mặc định: thư mục dữ liệu của người dùng)")
    p.add_argument("--demo", action="store_true", help="mở dữ liệu mẫu (bản sao mới, không động tới dữ liệu thật)")
    p.add_argument("--smoke-test", action="store_true", help="khởi động, mở cơ sở dữ liệu, hiện cửa sổ rồi thoát")
    p.add_argument("--no-err-windows", action="store_true", help="ghi lỗi vào nhật ký thay vì hiện hộp thoại")
    p.add_argument("--password-env", metavar="BIẾN", help="đọc mật khẩu dữ liệu (nếu có) từ biến môi trường này")
    p.add_argument("--database", metavar="URL",
                   help="dùng chung cơ sở dữ liệu trên máy chủ: postgresql://người_dùng@máy_chủ/tên_dữ_liệu")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                   help="in số phiên bản rồi thoát")
    return p.parse_args(list(argv))


@dataclass
class Started:
    """What ``build`` made: the application, its main window, the database it opened and the notices to show."""

    app: object
    window: object
    db_path: Path
    notices: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (message code, params) to show


LOCK_FILENAME = "lamha.lock"
_instance_dir: Path | None = None


@dataclass
class InstanceLock:
    """This process's hold on a data folder (see :mod:`lamha_desktop.storage.lock`)."""

    data_dir: Path

    def unlock(self) -> None:
        from lamha_desktop.storage import lock

        lock.release(self.data_dir)


def acquire_instance_lock(data_dir: Path) -> InstanceLock:
    """One writer at a time: the data-folder lock, held by the window for as long as it runs.

    Raises LockBusy (StorageError "data.busy", naming the machine and the process) when another program
    writes the folder, ("db.read_only")/("db.disk_full") when the lock file cannot be created. A lock is
    never left behind by a crash: the operating system drops it with its process.
    """
    from lamha_desktop.storage import lock

    lock.acquire(data_dir, purpose="app", wait=0.3)
    return InstanceLock(data_dir)


def release_instance_lock() -> None:
    global _instance_dir
    if _instance_dir is not None:
        from lamha_desktop.storage import lock

        lock.release(_instance_dir)
        _instance_dir = None


def open_store_safely(data_dir: Path, *, demo: bool, interactive: bool) -> Path:
    """``open_store``, and when the file is found damaged (0 bytes where data lived, cut short, zeroed,
    overwritten, another kind of file, a failed integrity check): offer the newest good backup, never
    overwriting the damaged file, which is moved aside with a timestamp. Without dialogs, the message names
    the problem and the backup."""
    from lamha_desktop import catalogue
    from lamha_desktop.storage import backup, db

    try:
        return open_store(data_dir, demo=demo)
    except db.StorageError as exc:
        if exc.code not in db.DAMAGED_CODES or demo:
            raise
        path = data_dir / db.DB_FILENAME
        good = backup.newest_good_backup(path)
        if good is None:
            raise
        problem = catalogue.text(exc.code, exc.params)
        if not interactive:
            raise db.StorageError("db.corrupt_backup_available", path=str(path), problem=problem,
                                  backup=str(good.path), date=good.created, organisations=good.organisations,
                                  candidates=good.candidates) from exc
        from lamha_desktop.ui.safety.dialogs import RecoverDialog

        if not RecoverDialog.ask(damaged=path, backup=good, detail=problem):
            raise
        from lamha_desktop.operations import safety

        moved, _restored = safety.recover(path, good.path).result
        log.warning("damaged database (%s) kept as %s; restored %s", exc.code, moved, good.path)
        return open_store(data_dir, demo=demo)


def startup_checks(db_path: Path, *, demo: bool) -> list[tuple[str, dict[str, Any]]]:
    """After opening: temporary files a killed copy left, the daily backup (a failure is reported, never
    blocks; a database smaller than its newest backup is reported and rotates nothing away) and a
    network-share warning."""
    from lamha_desktop.storage import backup

    notices: list[tuple[str, dict[str, Any]]] = []
    backup.clean_leftovers(db_path)
    fstype = backup.network_filesystem(db_path.parent)
    if fstype:
        log.warning("database on a network share (%s): %s", fstype, db_path)
        notices.append(("db.network_share", {"path": str(db_path), "fstype": fstype}))
    if not demo:
        from lamha_desktop.operations import safety

        outcome = safety.daily_backup(db_path)
        if outcome.failed:
            notices.append(("backup.failed_at_start", outcome.params))
        if outcome.warning is not None:
            notices.append(outcome.warning)
    return notices


KNOWN_DATABASES_KEY = "storage/known_databases"
_KNOWN_LIMIT = 20


def _known_databases() -> list[str]:
    from PySide6.QtCore import QSettings

    value = QSettings().value(KNOWN_DATABASES_KEY, [])
    if isinstance(value, str):  # QSettings returns a one-element list as a plain string
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def data_known(path: Path) -> bool:
    """Whether the settings say a database with data was opened at ``path`` before (so a 0-byte file there is
    a lost database, not a first start)."""
    return str(Path(path).resolve()) in _known_databases()


def remember_data(path: Path) -> None:
    """Note in the settings that ``path`` holds a database (the newest ``_KNOWN_LIMIT`` places are kept)."""
    from PySide6.QtCore import QSettings

    key = str(Path(path).resolve())
    known = [k for k in _known_databases() if k != key]
    QSettings().setValue(KNOWN_DATABASES_KEY, [key, *known][:_KNOWN_LIMIT])


def default_data_dir() -> Path:
    from PySide6.QtCore import QStandardPaths

    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


PORTABLE_MARKER = "portable"


def portable_data_dir() -> Path | None:
    """``<exe dir>/data`` when a file named ``portable`` lies beside the executable (a copy on a USB drive).

    The executable is ``sys.executable``: the bundle's ``lamha-desktop(.exe)`` when frozen, the Python
    interpreter otherwise.
    """
    exe_dir = Path(sys.executable).absolute().parent
    if (exe_dir / PORTABLE_MARKER).is_file():
        return exe_dir / "data"
    return None


def resolve_data_dir(args: argparse.Namespace) -> Path:
    """``--data-dir``, else a fresh temporary folder for ``--demo``, else the portable folder, else the user's."""
    if args.data_dir is not None:
        return Path(os.path.abspath(Path(args.data_dir).expanduser()))  # resolve() would make Z: a UNC path
    if args.demo:
        return Path(tempfile.mkdtemp(prefix="lamha-demo-"))
    portable = portable_data_dir()
    if portable is not None:
        return portable
    return default_data_dir()


def keep_settings_in(folder: Path) -> None:
    """Portable mode: window geometry and other QSettings go to an .ini file in ``folder``, not the registry."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


def open_store(data_dir: Path, *, demo: bool) -> Path:
    """Open and migrate the database in ``data_dir``; fill it with the demo data when asked."""
    import datetime as dt

    from lamha_desktop.storage import db, integrity, search, settings

    path = data_dir / db.DB_FILENAME
    # The folder was probed by build() a moment ago; the file is checked when storage.integrity says so.
    integrity.open_checked(path, today=dt.date.today(), data_expected=not demo and data_known(path),
                           probe_folder=False)
    search.ensure_index()  # the students' search index: built once (1-2 s at 100,000), then kept by triggers
    from lamha_desktop.storage import due

    due.ensure_step_index()  # what the overdue count at start looks up: built once (0.1 s at 100,000 steps)
    if not demo:
        remember_data(path)
    from lamha_desktop.storage import repo

    if demo:
        if not repo.has_organisations():
            from lamha_desktop.operations import demo as demo_data

            demo_data.build_demo()
        elif not settings.get("is_demo"):
            db.close_database()
            raise SystemExit(f"--demo: {path} chứa dữ liệu thật, không phải dữ liệu mẫu; hãy chọn thư mục khác.")
    integrity.begin_session(path)  # removed by close_store(): its presence at the next start means a crash
    return path


def close_store(db_path: Path) -> None:
    """A clean close: the database (on a server, after the local copy of what this clerk reads is saved), the
    session marker (so the next start need not check the file) and the data-folder lock."""
    from lamha_desktop.storage import db, integrity

    keep_local_copy()
    db.close_database()
    integrity.end_session(db_path)
    release_instance_lock()


def _quiet_offscreen_notice() -> None:
    """The offscreen platform says it cannot forward window size hints; every other Qt message still shows."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def build(argv: Sequence[str] | None = None) -> Started:
    """Create the QApplication and the main window without entering the event loop (tests use this)."""
    logs.fix_streams()  # a windowed program has no stdout/stderr; a cp1258 pipe cannot encode Vietnamese
    args = parse_args(sys.argv[1:] if argv is None else argv)
    import PySide6.QtCore  # noqa: F401  (first, so that every later import goes through Python's own import)

    from lamha_desktop.ui.qtimport import plain_imports

    plain_imports()
    if args.smoke_test:
        from lamha_desktop.ui.headless import platform_environment

        os.environ.update(platform_environment(os.environ, offscreen=True))  # Windows: with the system's fonts
        _quiet_offscreen_notice()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from lamha_desktop.ui.errors import install_log_masking

    install_log_masking()
    from PySide6.QtWidgets import QApplication

    from lamha_desktop.ui import appearance

    appearance.configure_high_dpi()
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else APP_NAME])
    appearance.apply(app)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    # No application display name: Qt would append it to every window title ("Thêm quần chúng — Kết nạp đảng
    # viên học sinh"), which cut the titles short; the main window's own title names the program.
    app.setApplicationVersion(__version__)
    from PySide6.QtCore import QLocale

    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    from lamha_desktop.ui import errors

    interactive = not (args.no_err_windows or args.smoke_test)
    errors.install_excepthook(show_dialogs=interactive)
    url = server_url(args)
    if url:
        return _build_on_server(app, args, url, interactive=interactive)
    data_dir = resolve_data_dir(args)
    errors.set_crash_dir(data_dir / errors.CRASH_DIRNAME)  # with the data: nothing left on a host PC's profile
    logs.add_file(data_dir)
    if args.data_dir is None and not args.demo and portable_data_dir() is not None:
        keep_settings_in(data_dir)
    from lamha_desktop.storage.db import StorageError, check_folder_writable

    global _instance_dir
    release_instance_lock()  # one application per process: a previous build() in this process lets go
    try:
        with contextlib.suppress(OSError):  # a folder that cannot be made is worded by the lock below
            data_dir.mkdir(parents=True, exist_ok=True)
        if data_dir.is_dir():  # a full disk or a read-only folder, named before anything tries to write there
            check_folder_writable(data_dir)
        acquire_instance_lock(data_dir)
        _instance_dir = data_dir
        from lamha_desktop.storage.db import DB_FILENAME, needs_password

        if needs_password(data_dir / DB_FILENAME):  # (the password's window and the encryption code load only then)
            from lamha_desktop.ui.safety.password import unlock_at_start

            if not unlock_at_start(data_dir / DB_FILENAME, env_var=args.password_env, interactive=interactive):
                release_instance_lock()
                raise SystemExit(0)  # the password was not given: nothing opened, nothing to report
        db_path = open_store_safely(data_dir, demo=args.demo, interactive=interactive)
    except StorageError as exc:
        release_instance_lock()
        from lamha_desktop.ui import messages

        raise StartupFailed(messages.text(exc.code, exc.params)) from exc
    notices = startup_checks(db_path, demo=args.demo)
    from lamha_desktop.ui.main_window import MainWindow

    window = MainWindow(db_path=db_path, demo=args.demo)
    return Started(app, window, db_path, notices)


class StartupFailed(Exception):
    pass


def server_url(args: argparse.Namespace) -> str:
    """``--database``, else the server chosen in "Kết nối máy chủ…" (when no data folder or demo was asked)."""
    if args.database:
        return str(args.database)
    if args.data_dir is not None or args.demo or args.smoke_test:
        return ""
    from lamha_desktop.ui.server import saved_url

    return saved_url()


def _build_on_server(app: object, args: argparse.Namespace, url: str, *, interactive: bool) -> Started:
    """The window on a shared server: no data folder, no folder lock (the server's transactions do that); the
    password asked (or from ``--password-env``); an unreachable server offers the last local copy read-only."""
    from lamha_desktop.storage import server
    from lamha_desktop.storage.db import StorageError
    from lamha_desktop.ui import messages
    from lamha_desktop.ui import server as server_ui

    password = os.environ.get(args.password_env) if args.password_env else None
    try:
        address = server.ServerAddress.parse(url)
        copy = server_ui.connect_at_start(url, password=password, interactive=interactive)
    except StorageError as exc:
        raise StartupFailed(messages.text(exc.code, exc.params)) from exc
    logs.add_file(server.copies_root())
    notices: list[tuple[str, dict[str, Any]]] = []  # where it is connected shows in the status bar
    from lamha_desktop.ui.main_window import MainWindow

    window = MainWindow(db_path=copy or server.local_copy_path(address), demo=False)
    server_ui.install(window)
    return Started(app, window, copy or server.local_copy_path(address), notices)


def keep_local_copy() -> None:
    """On a server, leave the last local copy of what this clerk reads (opened read-only when the server cannot be
    reached next time)."""
    from lamha_desktop.storage import db

    if not db.is_server():  # (the server module, and its driver, are loaded only where one is used)
        return
    from lamha_desktop.storage import server

    try:
        server.save_local_copy()
    except Exception as exc:  # the server went away meanwhile: the previous copy stays
        log.warning("local copy of the server not saved: %s", exc)


EXIT_NO_DISPLAY = 1


def shutdown(window: object, db_path: Path) -> None:
    """Close in a defined order at exit: the window (its tabs, their models and timers) while the database is
    still open, then the application-wide "data changed" hub, then the database, then the data-folder lock.

    Left to the interpreter's own teardown, PySide6 objects went in no particular order, after the database, with
    Python event filters still called while their tables were being destroyed. (The "Fatal Python error:
    none_dealloc" seen after a long session came from PySide6 6.12 on Python 3.11, which takes a reference from
    None at each call of a method returning nothing: pyproject.toml keeps that version out, and
    tests/ui/test_long_session.py measures it.)"""
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QWidget

    from lamha_desktop.ui import changes

    if isinstance(window, QWidget) and shiboken6.isValid(window):
        window.close()
        QCoreApplication.sendPostedEvents(None, int(QEvent.Type.DeferredDelete))
        shiboken6.delete(window)  # every child: tabs, views, models, charts
    changes.forget_hub()
    close_store(db_path)


def refresh_derived() -> None:
    """The stored deadlines that depend on the day, recomputed once a day and announced to the tabs.

    It runs just after the window's first paint: on the first start of a day the file's check may still run
    in the background, and a write waits for it. A read-only folder (or the read-only local copy of an
    unreachable server) leaves it to the next start; on a server each clerk refreshes the rows they may
    write."""
    from lamha_desktop.operations import Refused, maintenance
    from lamha_desktop.storage import db
    from lamha_desktop.storage.db import StorageError

    if db.database.read_only:
        return
    try:
        changes = maintenance.refresh_for_today()
    except StorageError as exc:
        log.warning("derived values not refreshed: %s", exc.code)
        return
    except Refused as exc:  # a server's policies: not this clerk's to write
        log.warning("derived values not refreshed on the server: %s", exc)
        return
    if changes.candidates:
        from lamha_desktop.ui.changes import announce

        announce(changes)


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while the window is built. The start creates some 300,000 objects (modules,
    classes, Qt's enumerations, the window) that live as long as the program, and the collector went through them
    83 times (7 times all of the young ones), 12 ms of each start for nothing to collect; objects that are
    garbage are freed by their reference count meanwhile, as always. The collector runs again afterwards, as
    before (and as it was when the start began, if someone had turned it off)."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from lamha_desktop.cli import HANDLERS

    if argv and argv[0] in HANDLERS:
        from lamha_desktop import cli

        return cli.main(argv)
    smoke = "--smoke-test" in argv
    if not smoke and any(a in ("-h", "--help", "--version") for a in argv):
        logs.fix_streams()  # a cp1258 or ASCII console gets the nearest letters, never an error
        parse_args(argv)  # prints and exits (SystemExit 0); no window, no display needed
    if not smoke:
        from lamha_desktop.ui.headless import display_missing

        if display_missing(os.environ):
            logs.fix_streams()
            from lamha_desktop import catalogue

            print(catalogue.text("app.no_display"), file=sys.stderr)
            return EXIT_NO_DISPLAY
    try:
        with collection_paused():
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
    from lamha_desktop.ui.safety import show_notices

    show_notices(window, started.notices, dialogs=not smoke and "--no-err-windows" not in argv)
    if smoke:
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()
        refresh_derived()
        tabs = window.tabs  # type: ignore[attr-defined]
        ok = window.isVisible() and tabs.count() >= 3  # type: ignore[attr-defined]
        shutdown(window, started.db_path)
        if not ok:
            print("smoke test: the main window did not show its tabs", file=sys.stderr)
            return 1
        print(f"smoke test ok: {started.db_path}")
        return 0
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, refresh_derived)
    watch_background_check(window, dialogs="--no-err-windows" not in argv)
    if "--demo" not in argv:
        from lamha_desktop.ui import first_run

        if first_run.run_if_needed(window) == first_run.Outcome.DEMO:  # the demo opened in its own process
            shutdown(window, started.db_path)
            return 0
    code = int(started.app.exec())  # type: ignore[attr-defined]
    shutdown(window, started.db_path)
    return code


def watch_background_check(window: Any, *, dialogs: bool) -> Any:
    """While the day's check of the database runs in the background (``storage.integrity``), look every half
    second; when it found damage, say so (every write is refused from then on). Returns the timer."""
    from PySide6.QtCore import QTimer

    from lamha_desktop.storage import integrity

    timer = QTimer(window)
    timer.setInterval(500)

    def look() -> None:
        if integrity.running():
            return
        timer.stop()
        problem = integrity.background_problem()
        if problem is not None:
            from lamha_desktop.ui.safety import show_notices

            show_notices(window, [("db.damaged_in_background", {"path": str(window.db_path), "detail": problem})],
                         dialogs=dialogs)

    timer.timeout.connect(look)
    timer.start()
    return timer


def leave(code: int) -> NoReturn:
    """End the process with ``code`` once everything of ours is closed: the threads still working are waited for
    (as a normal exit does), every exit handler runs (the log's last lines, PySide6's own clean-up, temporary
    folders), the output is flushed, and the process ends without the interpreter's teardown of some 600 modules
    and their objects, which took 40 ms at each close of the window (``docs/performance.md``)."""
    import atexit
    import threading

    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            with contextlib.suppress(Exception):  # a closed or broken pipe: nothing more can be said there
                stream.flush()
    os._exit(code)


def run() -> NoReturn:
    """The program's entry point (``python -m lamha_desktop``, the ``lamha-desktop`` command, the bundles)."""
    leave(main())  # (a SystemExit from the arguments, or an error, ends the usual way)
