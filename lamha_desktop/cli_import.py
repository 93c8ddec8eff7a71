"""Headless ``import-students``: a class list (.xlsx, .xls, .csv) into one organisation, like the wizard.

``python -m lamha_desktop import-students --data-dir DIR --org CODE FILE [--dry-run]`` prints the counts
(new, updated, unchanged, rejected) and every rejected row with its reason and cell, personal IDs masked to
their last four digits (the console may end up in a log). Exit codes:

* 0: nothing rejected (the rows were imported, or would be with ``--dry-run``);
* 2: rows were rejected (the valid ones imported unless ``--dry-run``), or the organisation is unknown;
* 1: the file cannot be read at all (not a spreadsheet, password-protected, empty, no header, damaged, or past
  a limit of ``readers/limits.py``) or the database cannot be opened; nothing is written.

Column mappings the user corrected in the wizard for files of the same shape are used here too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lamha_desktop import catalogue
from lamha_desktop.catalogue import importing as im
from lamha_desktop.cli_backup import open_data
from lamha_desktop.domain.privacy import mask_ids
from lamha_desktop.operations import Refused, importing
from lamha_desktop.readers import class_list
from lamha_desktop.storage import db, fileops, importer, repo

_MAX_NOTES = 20  # warnings printed; every rejection is printed


def _fail(code: str, params: dict[str, object]) -> None:
    """One line on stderr; IDs in the parameters masked (the file's own name is shown as it is)."""
    shown = {k: mask_ids(v) if isinstance(v, str) and k != "path" else v for k, v in params.items()}
    print(" ".join(catalogue.text(code, shown).split()), file=sys.stderr)


def _say(line: str) -> None:
    print(mask_ids(line))


def import_students(args: argparse.Namespace) -> int:
    path = Path(args.file).expanduser()
    # Read the file before touching the database: a file that cannot be read writes nothing.
    try:
        table = class_list.read_table(path)
        matches = class_list.detect_all(table)
    except class_list.ImportFileError as exc:
        _fail(exc.code, exc.params)
        return 1
    if getattr(args, "database", None):
        from lamha_desktop.cli_server import open_server_for

        problem = open_server_for(args)
    else:
        data_dir = fileops.absolute(Path(args.data_dir).expanduser())  # a mapped drive stays a drive letter
        db_path = data_dir / db.DB_FILENAME
        if not db_path.exists():
            _fail("import.no_database", {"path": str(data_dir)})
            return 1
        problem = open_data(data_dir)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    try:
        org = repo.organisation_by_code(args.org)
        if org is None:
            _fail("import.no_org", {"code": args.org})
            return 2
        used = []
        for m in matches:
            remembered = importer.remembered_mapping(m.signature)
            used.append(m.with_fields(remembered) if remembered is not None else m)
        rows = class_list.parse_rows(table, used)
        plan = importing.plan(rows, org.id)
        for m in used:
            missing = ", ".join(im.GROUP_NAMES.get(g, g) for g in m.missing)
            line = f"Trang “{m.sheet}”: tiêu đề ở dòng {m.header_rows[0] + 1}"
            _say(line + (f"; thiếu cột: {missing}" if missing else ""))
        counts = plan.counts()
        _say(f"Mới: {counts['new']}, cập nhật: {counts['update']}, không đổi: {counts['unchanged']}, "
             f"bị từ chối: {counts['error']}")
        notes = [w for item in plan.rows for w in item.warnings]
        for w in notes[:_MAX_NOTES]:
            _say(f"  Lưu ý — {catalogue.import_problem_text(w)}")
        if len(notes) > _MAX_NOTES:
            _say(f"  … và {len(notes) - _MAX_NOTES} lưu ý khác (xem trong cửa sổ nhập của phần mềm).")
        rejected = plan.rejected()
        if rejected:
            _say("Các dòng bị từ chối:")
            for item in rejected:
                for p in item.problems:
                    _say(f"  {catalogue.import_problem_text(p)}")
        if args.dry_run:
            _say("Chạy thử (--dry-run): không ghi gì vào dữ liệu.")
        elif plan.to_write():
            try:
                result = importing.apply(plan).result
            except importer.ImportStale as exc:
                _fail(exc.code, exc.params)
                return 1
            except Refused as exc:
                for problem in exc.problems:
                    _fail(problem.code, dict(problem.params))
                return 2
            _say(f"Đã nhập: {result['new']} mới, {result['updated']} cập nhật.")
        else:
            _say("Không có gì để ghi.")
        return 2 if rejected else 0
    finally:
        db.close_database()
