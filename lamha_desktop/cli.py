"""Headless commands over the same operations the GUI uses. No display needed.

Every command ends in one Vietnamese line (what was done, or why not) and one of these exit codes, never a
traceback:

* 0: done;
* 1: a file or the database cannot be read or written (damaged, missing, full disk, read-only…), nothing changed;
* 2: bad arguments, or some rows refused (listed; the others landed);
* 3: another program writes the same data folder (the window, another command): nothing changed.

The commands that write (``import-students``, ``import-return``, ``import-history``, ``restore``, and
``document`` when it gives a number) hold the data-folder lock for their whole run; they wait a few seconds for
another writer to finish, then give up with exit 3. With ``--database URL`` (the commands of :data:`ON_SERVER`)
they work on a shared PostgreSQL server instead, where the server's transactions do the locking.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

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
    "server-init": ("lamha_desktop.cli_server", "server_init"),
    "server-add-clerk": ("lamha_desktop.cli_server", "server_add_clerk"),
    "migrate-to-server": ("lamha_desktop.cli_server", "migrate_to_server"),
}

# Commands that work on a shared server (``--database URL``) as well as on a data folder.
ON_SERVER = frozenset({"export-return", "summary-pdf", "import-return", "import-students", "backup", "document"})
# Commands of the server only.
SERVER_ONLY = frozenset({"server-init", "server-add-clerk"})
# What a command does on a server when it differs from its data-folder handler.
SERVER_HANDLERS: dict[str, tuple[str, str]] = {"backup": ("lamha_desktop.cli_server", "backup_server")}


# Commands that change the data: they hold the data-folder lock for their whole run.
WRITERS = frozenset({"import-students", "import-return", "import-history", "restore"})
EXIT_OK, EXIT_FILE, EXIT_REFUSED, EXIT_BUSY = 0, 1, 2, 3
LOCK_WAIT_SECONDS = 5.0

log = logging.getLogger("lamha_desktop.cli")


# The headless commands as ``--help`` lists them: what each does, and an example (Windows paths: the clerks'
# machines). Every command of HANDLERS is here; a test checks it.
COMMANDS: dict[str, tuple[str, str]] = {
    "export-return": ("xuất báo cáo kết quả kết nạp (.xlsx) theo mẫu của cấp trên",
                      r'lamha-desktop export-return --data-dir "D:\DuLieuKetNap" --period 2026-H2 --out bao_cao.xlsx'),
    "summary-pdf": ("in báo cáo sơ kết (6 tháng), kết quả (6 tháng cuối năm) hoặc tổng kết (cả năm) ra PDF",
                    r'lamha-desktop summary-pdf --data-dir "D:\DuLieuKetNap" --period 2026 --out tong_ket_2026.pdf'),
    "import-students": ("nhập danh sách học sinh (danh sách lớp) từ Excel/CSV vào một tổ chức đảng",
                        r'lamha-desktop import-students --data-dir "D:\DuLieuKetNap" --org LQD lop_10A1.xlsx'),
    "import-history": ("nhập lịch sử kết nạp của trường (các học sinh đã kết nạp trước đây; --template ghi tệp "
                       "mẫu)",
                       r'lamha-desktop import-history --data-dir "D:\DuLieuKetNap" --org LQD lich_su_ket_nap.xlsx'),
    "import-return": ("nhập báo cáo (.xlsx) một trường gửi lên vào dữ liệu tổng hợp",
                      r'lamha-desktop import-return --data-dir "D:\DuLieuTongHop" bao_cao_LQD_2026-H1.xlsx'),
    "document": ("soạn văn bản kết nạp (nghị quyết, biên bản, giấy giới thiệu…) ra tệp Word; --list liệt kê các loại",
                 r'lamha-desktop document nq-chi-bo --data-dir "D:\DuLieuKetNap" --candidate 068308001234 '
                 r'--out nghi_quyet.docx'),
    "backup": ("sao lưu cơ sở dữ liệu",
               r'lamha-desktop backup --data-dir "D:\DuLieuKetNap" --out "E:\sao_luu.sqlite3"'),
    "restore": ("khôi phục cơ sở dữ liệu từ một bản sao lưu",
                r'lamha-desktop restore --data-dir "D:\DuLieuKetNap" "E:\sao_luu.sqlite3"'),
    "server-init": ("chuẩn bị cơ sở dữ liệu trên máy chủ dùng chung: bảng, vai trò, quy tắc bảo mật theo dòng",
                    "lamha-desktop server-init --database postgresql://lamha_owner@may-chu/lamha"),
    "server-add-clerk": ("tạo tài khoản cho một văn thư (của một trường hoặc của Ban Tổ chức) trên máy chủ",
                         "lamha-desktop server-add-clerk --database postgresql://lamha_owner@may-chu/lamha "
                         "--role vt_lqd --org LQD --clerk-password-env MAT_KHAU_MOI"),
    "migrate-to-server": ("chuyển dữ liệu của một trường (tệp) lên máy chủ dùng chung; chạy lại không trùng",
                          r'lamha-desktop migrate-to-server --data-dir "D:\DuLieuKetNap" '
                          "--database postgresql://lamha_owner@may-chu/lamha"),
}
SERVER_URL_HELP = "máy chủ dùng chung: postgresql://người_dùng@máy_chủ/tên_dữ_liệu"
PERIOD_HELP = "YYYY-H1 (6 tháng đầu năm), YYYY-H2 (6 tháng cuối năm) hoặc YYYY (cả năm)"
EXIT_CODES_HELP = ("Mã thoát: 0 xong; 1 không đọc/ghi được tệp hoặc dữ liệu; 2 sai đối số hoặc có dòng bị từ "
                   "chối; 3 chương trình khác đang ghi vào cùng thư mục dữ liệu.")


def commands_help() -> str:
    """Every headless command with what it does and an example, for ``lamha-desktop --help``."""
    lines = ["Các lệnh không cần cửa sổ (chạy trong cửa sổ dòng lệnh):"]
    for name, (text, example) in COMMANDS.items():
        lines += [f"  {name}: {text}", f"      ví dụ: {example}"]
    lines += [f"Trên máy chủ dùng chung, thay --data-dir bằng --database URL: {', '.join(sorted(ON_SERVER))}.",
              "Xem đầy đủ các tùy chọn của một lệnh: lamha-desktop <lệnh> --help", EXIT_CODES_HELP]
    return "\n".join(lines)


# argparse's own sentences (usage, errors) are English: the ones a user meets, in Vietnamese.
_ARGPARSE_ERRORS: tuple[tuple[str, str], ...] = (
    (r"^the following arguments are required: (.*)$", r"thiếu đối số bắt buộc: \1"),
    (r"^unrecognized arguments: (.*)$", r"đối số không nhận ra: \1"),
    (r"^argument (\S+): invalid choice: (.*?) \(choose from (.*)\)$", r"đối số \1: không có lựa chọn \2 (chọn một "
                                                                     r"trong \3)"),
    (r"^argument (\S+): expected one argument$", r"đối số \1: cần một giá trị"),
    (r"^argument (\S+): invalid (\S+) value: (.*)$", r"đối số \1: giá trị không hợp lệ: \3"),
    (r"^argument (\S+): ignored explicit argument (.*)$", r"đối số \1: không nhận giá trị \2"),
)


def vietnamese_error(message: str) -> str:
    import re

    for pattern, replacement in _ARGPARSE_ERRORS:
        if re.match(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix="Cách dùng: " if prefix is None else prefix)


class VietnameseParser(argparse.ArgumentParser):
    """An argument parser that speaks Vietnamese: its help, its headings and the errors a user meets; an error
    is one line and exit code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "đối số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="in hướng dẫn này rồi thoát")

    def error(self, message: str) -> NoReturn:  # one line, exit 2
        print(f"{self.prog}: {vietnamese_error(message)} (xem: {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


_Parser = VietnameseParser


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="lamha-desktop", description="Các lệnh không cần cửa sổ của phần mềm quản lý kết nạp đảng "
                                                  "viên học sinh.", epilog=EXIT_CODES_HELP)
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser, title="lệnh", metavar="<lệnh>")

    def cmd(name: str, *, data_dir_required: bool = True) -> argparse.ArgumentParser:
        text, example = COMMANDS[name]
        c = sub.add_parser(name, help=text, description=text[:1].upper() + text[1:] + ".",
                           epilog=f"Ví dụ:\n  {example}\n\n{EXIT_CODES_HELP}")
        if name in SERVER_ONLY:
            c.add_argument("--database", metavar="URL", required=True, help=SERVER_URL_HELP)
        elif name in ON_SERVER:
            where = c.add_mutually_exclusive_group(required=data_dir_required)
            where.add_argument("--data-dir", type=Path, metavar="THƯ_MỤC", help="thư mục dữ liệu")
            where.add_argument("--database", metavar="URL", help=SERVER_URL_HELP)
        else:
            c.add_argument("--data-dir", type=Path, required=data_dir_required, metavar="THƯ_MỤC",
                           help="thư mục dữ liệu")
        if name == "migrate-to-server":
            c.add_argument("--database", metavar="URL", required=True, help="máy chủ dùng chung nhận dữ liệu")
        c.add_argument("--password-env", metavar="BIẾN",
                       help="biến môi trường chứa mật khẩu dữ liệu (nếu có), hoặc của máy chủ với --database")
        return c

    c = cmd("export-return")
    c.add_argument("--period", required=True, metavar="KỲ", help=PERIOD_HELP)
    c.add_argument("--org", metavar="MÃ", help="mã tổ chức đảng (mặc định: tất cả)")
    c.add_argument("--out", type=Path, required=True, metavar="TỆP", help="tệp .xlsx sẽ ghi")
    c.add_argument("--totals-only", action="store_true",
                   help="chỉ số liệu tổng hợp, không có dữ liệu cá nhân (không danh sách, không phần dữ liệu ẩn)")
    c = cmd("summary-pdf")
    c.add_argument("--period", required=True, metavar="KỲ", help=PERIOD_HELP)
    c.add_argument("--org", metavar="MÃ", help="mã tổ chức đảng (mặc định: tất cả)")
    c.add_argument("--out", type=Path, required=True, metavar="TỆP", help="tệp .pdf sẽ ghi")
    c = cmd("import-return")
    c.add_argument("file", type=Path, metavar="TỆP", help="báo cáo .xlsx của trường")
    c = cmd("import-students")
    c.add_argument("--org", required=True, metavar="MÃ", help="mã tổ chức đảng nhận danh sách")
    c.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
    c.add_argument("file", type=Path, metavar="TỆP", help="danh sách .xlsx, .xls hoặc .csv")
    c = cmd("import-history", data_dir_required=False)
    c.add_argument("--org", metavar="MÃ", help="mã tổ chức đảng của các học sinh")
    c.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
    c.add_argument("--template", type=Path, metavar="TỆP.xlsx", help="ghi tệp mẫu (dòng tiêu đề các cột) rồi thoát")
    c.add_argument("file", type=Path, nargs="?", metavar="TỆP", help="lịch sử kết nạp (.xlsx)")
    c = cmd("backup")
    c.add_argument("--out", type=Path, metavar="TỆP",
                   help="tệp sao lưu (mặc định: thư mục backups cạnh cơ sở dữ liệu)")
    c = cmd("restore")
    c.add_argument("file", type=Path, metavar="TỆP", help="bản sao lưu")
    from lamha_desktop.cli_documents import add_arguments

    add_arguments(cmd("document", data_dir_required=False))
    cmd("server-init")
    c = cmd("server-add-clerk")
    c.add_argument("--role", required=True, metavar="TÊN", help="tên đăng nhập (chữ thường không dấu, số, _)")
    scope = c.add_mutually_exclusive_group(required=True)
    scope.add_argument("--org", metavar="MÃ", help="mã tổ chức đảng mà văn thư này ghi")
    scope.add_argument("--board", action="store_true", help="Ban Tổ chức: đọc dữ liệu của mọi trường")
    c.add_argument("--name", help="họ tên văn thư (để ghi chú)")
    c.add_argument("--clerk-password-env", metavar="BIẾN", required=True,
                   help="biến môi trường chứa mật khẩu của tài khoản mới")
    cmd("migrate-to-server")
    return p


def _quiet_unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """An error raised while a library object is collected (a writer closed after a full disk) is logged, not
    printed: the command has already said, in one line, what happened."""
    logging.getLogger("lamha_desktop.cli").debug("ignored in %r: %s", unraisable.object, unraisable.exc_value)


def main(argv: Sequence[str]) -> int:
    logs.fix_streams()  # before any output: no stdout/stderr in a windowed program, cp1258 pipes
    sys.unraisablehook = _quiet_unraisable
    args = build_parser().parse_args(list(argv))
    logs.start_cli(getattr(args, "data_dir", None))
    module, name = (SERVER_HANDLERS.get(args.command) if getattr(args, "database", None) else None) \
        or HANDLERS[args.command]
    try:
        handler: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        print(f"lệnh {args.command} chưa có trong phiên bản này", file=sys.stderr)
        return 2
    from lamha_desktop.cli_backup import password_from_env

    problem = None if getattr(args, "database", None) else password_from_env(args)
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
    if not writer or getattr(args, "dry_run", False) or getattr(args, "data_dir", None) is None \
            or getattr(args, "database", None):
        return None  # (a server has no data folder: its transactions do the locking)
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
