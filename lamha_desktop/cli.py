"""Headless commands over the same functions the GUI uses. No display needed.

Each command exits 0 on success and non-zero with a one-line message on failure:
1 for a file that cannot be read or written, 2 for bad arguments or rejected rows.
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
    "backup": ("lamha_desktop.cli_backup", "backup"),
    "restore": ("lamha_desktop.cli_backup", "restore"),
}


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
    c = cmd("backup", "sao lưu cơ sở dữ liệu")
    c.add_argument("--out", type=Path, help="tệp sao lưu (mặc định: thư mục backups cạnh cơ sở dữ liệu)")
    c = cmd("restore", "khôi phục cơ sở dữ liệu từ một bản sao lưu")
    c.add_argument("file", type=Path)
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
        return 1
    return handler(args)
