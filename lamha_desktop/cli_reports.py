"""Headless report commands: ``export-return``, ``summary-pdf``, ``import-return``.

Each returns an exit code and prints one line: 0 done; 1 a file or database that cannot be read or
written (for ``import-return`` also a return that is damaged or past a limit of ``readers/limits.py``);
2 bad arguments (period, unknown organisation) or, for ``import-return``, conflicting students left for the
user to decide in the application (the rest of the return is imported). ``export-return --totals-only``
writes the figures without any personal data, for sending anywhere other than the consolidating level.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from lamha_desktop.catalogue import text
from lamha_desktop.domain.privacy import mask_ids

T = TypeVar("T")


def _fail(code: str, exit_code: int, /, **params: Any) -> int:
    print(text(code, params).replace("\n", " "), file=sys.stderr)
    return exit_code


def _open(data_dir: Path | None, *, read_only: bool = False, database: str | None = None) -> int | None:
    """Open the database of ``data_dir`` (never create one; ``read_only`` for the exports), or the server at
    ``database``; an exit code on failure, after the message (for a damaged database: with the backup that
    replaces it; for a server out of reach: with the host, the reason and the last local copy)."""
    from lamha_desktop.cli_backup import open_data
    from lamha_desktop.storage import db

    if database:
        from lamha_desktop.cli_server import open_server_for

        problem = open_server_for(argparse.Namespace(database=database, password_env=_password_env))
        if problem is not None:
            print(problem, file=sys.stderr)
            return 1
        return None
    assert data_dir is not None
    path = Path(data_dir).expanduser() / db.DB_FILENAME
    if not path.is_file():
        return _fail("cli.no_database", 1, path=str(data_dir))
    problem = open_data(data_dir, read_only=read_only)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    return None


_password_env: str | None = None


def _database(args: argparse.Namespace) -> str | None:
    """The server of ``--database`` (its ``--password-env`` kept for the connection), or None."""
    global _password_env
    _password_env = getattr(args, "password_env", None)
    return getattr(args, "database", None) or None


def _collect(args: argparse.Namespace, *, with_payload: bool) -> Any:
    from lamha_desktop.storage import report_data

    period = report_data.period_from_settings(args.period)
    return report_data.collect(period, org_code=getattr(args, "org", None) or None, with_payload=with_payload)


def _build(args: argparse.Namespace, build: Callable[[Any], T], *, with_payload: bool) -> tuple[Any, T] | int:
    """Open the database, collect the period's figures and ``build`` the document from them, then close the
    database: (figures, document), or an exit code (2: period or organisation, 1: the rest)."""
    from lamha_desktop.reports.files import ExportError
    from lamha_desktop.storage import db, report_data

    failed = _open(args.data_dir, read_only=True, database=_database(args))
    if failed is not None:
        return failed
    try:
        data = _collect(args, with_payload=with_payload)
        return data, build(data)
    except report_data.ReportError as exc:
        return _fail(exc.code, 2, **exc.params)
    except ExportError as exc:
        return _fail(exc.code, 1, **exc.params)
    except OSError as exc:  # building uses the system's temporary folder (openpyxl): a full disk there
        code = "export.disk_full" if exc.errno in db.NO_SPACE_ERRNOS else "export.failed"
        return _fail(code, 1, path=str(args.out), detail=str(exc))
    finally:
        db.close_database()


def export_return(args: argparse.Namespace) -> int:
    from lamha_desktop.reports import excel_return

    # A totals-only return carries no personal data: the consolidation payload is not even gathered.
    built = _build(args, lambda data: excel_return.build(data, totals_only=args.totals_only),
                   with_payload=not args.totals_only)
    if isinstance(built, int):
        return built
    data, content = built
    try:
        excel_return.write_atomic(args.out, content)
    except excel_return.ExportError as exc:
        return _fail(exc.code, 1, **exc.params)
    print(text("export.done", {"period": data.period.title, "path": str(args.out)}))
    return 0


def summary_pdf(args: argparse.Namespace) -> int:
    from lamha_desktop.reports import excel_return, summary_html

    built = _build(args, summary_html.build, with_payload=False)  # the printed summary has no hidden sheet
    if isinstance(built, int):
        return built
    data, summary = built
    from lamha_desktop.ui import headless, printing

    app = headless.application()  # Windows: the native platform, which has the system's fonts
    if not headless.ensure_fonts(headless.font_folders(os.environ)):
        return _fail("pdf.no_fonts", 1)  # never a PDF without its text

    try:
        printing.write_pdf(summary, args.out, title=data.period.summary_title)
    except excel_return.ExportError as exc:
        return _fail(exc.code, 1, **exc.params)
    finally:
        del app
    print(text("pdf.done", {"path": str(args.out)}))
    return 0


def _reasons(reasons: Any) -> str:
    parts = []
    for code, params in reasons:
        params = dict(params)
        if "field" in params:
            params["field"] = FIELD_NAMES.get(str(params["field"]), params["field"])
        parts.append(text(code, params).rstrip("."))
    return "; ".join(parts)


def import_return(args: argparse.Namespace) -> int:
    """A school's return into this database. Exit 0: all landed; 2: some records refused or left in conflict
    (listed; the rest landed); 1: the file or the database cannot be read; 3: another program writes."""
    from lamha_desktop.domain.privacy import mask_pid
    from lamha_desktop.operations import Refused
    from lamha_desktop.operations import consolidation as consolidation_ops
    from lamha_desktop.readers import return_reader
    from lamha_desktop.storage import consolidation, db

    try:
        payload = return_reader.read_return(args.file)
    except return_reader.ReadError as exc:
        return _fail(exc.code, 1, **exc.params)
    failed = _open(args.data_dir, database=_database(args))
    if failed is not None:
        return failed
    try:
        result = consolidation_ops.import_return(payload).result
    except consolidation.ConsolidationError as exc:
        return _fail(exc.code, 1, **exc.params)
    except Refused as exc:
        for p in exc.problems:
            print(f"  {p.candidate_name}: {text(p.code, dict(p.params))}", file=sys.stderr)
        return _fail("return.refused_count", 2, count=len(exc.problems))
    except db.StorageError as exc:
        return _fail(exc.code, 1, **exc.params)
    finally:
        db.close_database()
    for org in result.org_conflicts:  # the local organisation was kept as it is
        fields = ", ".join(FIELD_NAMES.get(f, f) for f in org.fields)
        print(f"  {org.code}: {fields}", file=sys.stderr)
    if result.org_conflicts:
        print(text("return.org_conflicts", {"count": len(result.org_conflicts)}), file=sys.stderr)
    for r in result.refused:  # personal IDs never printed in full
        print("  " + mask_ids(text("return.refused", {"what": WHAT_NAMES.get(r.what, r.what), "name": r.name or r.key,
                                                     "reasons": _reasons(r.reasons)})), file=sys.stderr)
    if result.refused:
        print(text("return.refused_count", {"count": len(result.refused)}), file=sys.stderr)
    for c in result.conflicts:  # personal IDs masked: console output may end up in logs
        print(f"  {mask_pid(c.personal_id)}: {c.local.get('full_name')} / {c.incoming.get('full_name')}",
              file=sys.stderr)
    if result.conflicts:
        print(text("return.conflicts", {"count": len(result.conflicts)}), file=sys.stderr)
    print(text("return.import_done", {"period": payload.period, "orgs_new": result.organisations_created,
                                      "orgs_upd": result.organisations_updated, "new": result.students_created,
                                      "upd": result.students_updated, "same": result.students_unchanged}))
    return 2 if result.conflicts or result.org_conflicts or result.refused else 0


WHAT_NAMES = {"organisation": "Tổ chức", "ceremony": "Lễ kết nạp", "student": "Học sinh", "event": "Bước"}
FIELD_NAMES = {"full_name": "họ và tên", "personal_id": "mã định danh", "birth": "ngày sinh", "gender": "giới tính",
               "code": "mã", "school_name": "tên trường", "name": "tên", "kind": "loại hình",
               "official_members": "số đảng viên chính thức", "secretary": "bí thư", "annual_target": "chỉ tiêu",
               "on": "ngày", "uid": "mã nội bộ", "graduation_year": "năm tốt nghiệp", "union_since": "ngày vào Đoàn",
               "ethnic": "dân tộc", "religion": "tôn giáo", "class_name": "lớp"}
