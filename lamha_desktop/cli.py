"""Headless commands over the same operations the GUI uses. No display needed.

Every command ends in one Vietnamese line (what was done, or why not) and one of these exit codes, never a
traceback:

* 0: done;
* 1: a file or the database cannot be read or written (damaged, missing, full disk, read-only…), nothing changed;
* 2: bad arguments, or some rows refused (listed; the others landed);
* 3: another program writes the same data folder (the window, another command): nothing changed.

The commands that write (``import-students``, ``import-return``, ``import-history``, ``restore``, and
``document`` when it gives a number) hold the data-folder lock for their whole run; they wait a few seconds for
another writer to finish, then give up with exit 3.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from lamha_desktop import logs

# command -> (module, function); each function takes the parsed arguments and returns the exit code.
HANDLERS: dict[str, tuple[str, str]] = {
    "export-return": ("lamha_desktop.cli_reports", "export_return"),
    "summary-pdf": ("lamha_desktop.cli_reports", "summary_pdf"),
    "import-return": ("lamha_desktop.cli_reports", "import_return"),
    "import-students": ("lamha_desktop.cli_import", "import_students"),
    "import-history": ("lamha_desktop.cli_history", "import_history"),
    "backup": ("lamha_desktop.cli_backup", "backup"),
    "restore": ("lamha_desktop.cli_backup", "restore"),
    "document": ("lamha_desktop.cli_documents", "document"),
}


# Commands that change the data: they hold the data-folder lock for their whole run.
WRITERS = frozenset({"import-students", "import-return", "import-history", "restore"})
EXIT_OK, EXIT_FILE, EXIT_REFUSED, EXIT_BUSY = 0, 1, 2, 3
LOCK_WAIT_SECONDS = 5.0

log = logging.getLogger("lamha_desktop.cli")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        print(f"{self.prog}: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="lamha-desktop")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def cmd(name: str, help_text: str) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help_text)
        c.add_argument("--data-dir", type=Path, required=True, help="thư mục dữ liệu")
        c.add_argument("--password-env", metavar="BIẾN", help="biến môi trường chứa mật khẩu dữ liệu (nếu có)")
        return c

    c = cmd("export-return", "xuất báo cáo (.xlsx) theo mẫu của cấp trên")
    c.add_argument("--period", required=True, help="YYYY-H1 (6 tháng đầu năm) hoặc YYYY (cả năm)")
    c.add_argument("--org", help="mã tổ chức đảng (mặc định: tất cả)")
    c.add_argument("--out", type=Path, required=True)
    c.add_argument("--totals-only", action="store_true",
                   help="chỉ số liệu tổng hợp, không có dữ liệu cá nhân (không danh sách, không phần dữ liệu ẩn)")
    c = cmd("summary-pdf", "in báo cáo sơ kết ra PDF")
    c.add_argument("--period", required=True)
    c.add_argument("--org", help="mã tổ chức đảng (mặc định: tất cả)")
    c.add_argument("--out", type=Path, required=True)
    c = cmd("import-return", "nhập báo cáo (.xlsx) của một trường vào dữ liệu tổng hợp")
    c.add_argument("file", type=Path)
    c = cmd("import-students", "nhập danh sách học sinh từ Excel/CSV")
    c.add_argument("--org", required=True, help="mã tổ chức đảng nhận danh sách")
    c.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
    c.add_argument("file", type=Path)
    c = sub.add_parser("import-history", help="nhập lịch sử kết nạp của trường (các học sinh đã kết nạp trước đây)")
    c.add_argument("--data-dir", type=Path, help="thư mục dữ liệu")
    c.add_argument("--password-env", metavar="BIẾN", help="biến môi trường chứa mật khẩu dữ liệu (nếu có)")
    c.add_argument("--org", help="mã tổ chức đảng của các học sinh")
    c.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
    c.add_argument("--template", type=Path, metavar="TỆP.xlsx", help="ghi tệp mẫu (dòng tiêu đề các cột) rồi thoát")
    c.add_argument("file", type=Path, nargs="?")
    c = cmd("backup", "sao lưu cơ sở dữ liệu")
    c.add_argument("--out", type=Path, help="tệp sao lưu (mặc định: thư mục backups cạnh cơ sở dữ liệu)")
    c = cmd("restore", "khôi phục cơ sở dữ liệu từ một bản sao lưu")
    c.add_argument("file", type=Path)
    from lamha_desktop.cli_documents import add_parser

    add_parser(sub)
    return p


def _quiet_unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """An error raised while a library object is collected (a writer closed after a full disk) is logged, not
    printed: the command has already said, in one line, what happened."""
    logging.getLogger("lamha_desktop.cli").debug("ignored in %r: %s", unraisable.object, unraisable.exc_value)


def main(argv: Sequence[str]) -> int:
    logs.fix_streams()  # before any output: no stdout/stderr in a windowed program, cp1258 pipes
    sys.unraisablehook = _quiet_unraisable
    args = build_parser().parse_args(list(argv))
    logs.start_cli(args.data_dir)
    module, name = HANDLERS[args.command]
    try:
        handler: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        print(f"lệnh {args.command} chưa có trong phiên bản này", file=sys.stderr)
        return 2
    from lamha_desktop.cli_backup import password_from_env

    problem = password_from_env(args)
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_FILE
    held = _hold_lock(args)
    if isinstance(held, int):
        return held
    try:
        return handler(args)
    except Exception as exc:  # the last resort: one line, the details in the log file
        log.exception("%s failed", args.command)
        from lamha_desktop import catalogue

        print(catalogue.text("cli.unexpected", {"command": args.command, "error": type(exc).__name__,
                                                "detail": str(exc)[:200]}).replace("\n", " "), file=sys.stderr)
        return EXIT_FILE
    finally:
        if held is not None:
            from lamha_desktop.storage import lock

            lock.release(held)


def _hold_lock(args: argparse.Namespace) -> Path | int | None:
    """For a command that writes, the data-folder lock (its folder), or the exit code when it cannot be had;
    None for a command that only reads (or a folder that does not exist: the command says so itself)."""
    from lamha_desktop.cli_documents import writes

    writer = args.command in WRITERS or (args.command == "document" and writes(args))
    if not writer or getattr(args, "dry_run", False) or getattr(args, "data_dir", None) is None:
        return None
    from lamha_desktop import catalogue
    from lamha_desktop.storage import fileops, lock
    from lamha_desktop.storage.db import StorageError

    folder = fileops.absolute(Path(args.data_dir).expanduser())
    if not folder.is_dir():
        return None
    try:
        lock.acquire(folder, purpose=args.command, wait=LOCK_WAIT_SECONDS)
    except lock.LockBusy as exc:
        print(catalogue.text(exc.code, exc.params).replace("\n", " "), file=sys.stderr)
        return EXIT_BUSY
    except StorageError as exc:
        print(catalogue.text(exc.code, exc.params).replace("\n", " "), file=sys.stderr)
        return EXIT_FILE
    return folder
