"""Headless ``import-history``: a school's past admissions, one row per student, through the operations.

``python -m lamha_desktop import-history --data-dir DIR --org CODE FILE [--dry-run]`` and
``python -m lamha_desktop import-history --template OUT.xlsx`` (the header row to fill in). Every refused row
is listed with its reasons and row number; the last line sums up. Exit codes: 0 every row landed (or was there
already), 2 some rows refused (the others landed) or a bad argument, 1 the file or the database cannot be read,
3 another program writes the data folder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lamha_desktop import catalogue
from lamha_desktop.cli_backup import open_data
from lamha_desktop.operations import Refused
from lamha_desktop.operations import history as history_ops
from lamha_desktop.readers import history
from lamha_desktop.readers.class_list import ImportFileError
from lamha_desktop.storage import db, fileops, repo
from lamha_desktop.storage.db import StorageError


def _say(code: str, params: dict[str, object], *, error: bool = True) -> None:
    print(catalogue.text(code, params).replace("\n", " "), file=sys.stderr if error else sys.stdout)


def _template(out: Path) -> int:
    from lamha_desktop.reports.files import ExportError, write_atomic

    try:
        write_atomic(out, history.template())
    except ExportError as exc:
        _say(exc.code, exc.params)
        return 1
    _say("history.template", {"path": str(out)}, error=False)
    return 0


def _reasons(outcome: history_ops.RowOutcome) -> str:
    parts = []
    for p in outcome.reasons:
        params = dict(p.params)
        if "field" in params:
            params["field"] = catalogue.import_field_name(str(params["field"]))
        parts.append(catalogue.text(p.code, params).rstrip("."))
    return "; ".join(parts)


def import_history(args: argparse.Namespace) -> int:
    if args.template is not None:
        return _template(Path(args.template).expanduser())
    if args.data_dir is None or not args.org or args.file is None:
        _say("history.needs_args", {})
        return 2
    path = Path(args.file).expanduser()
    try:
        rows = history.read_history(path)  # the file first: a file that cannot be read writes nothing
    except ImportFileError as exc:
        _say(exc.code, exc.params)
        return 1
    data_dir = fileops.absolute(Path(args.data_dir).expanduser())
    problem = open_data(data_dir)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    try:
        org = repo.organisation_by_code(args.org)
        if org is None:
            _say("import.no_org", {"code": args.org})
            return 2
        try:
            result = history_ops.import_history(rows, org.id, source=path.name, dry_run=args.dry_run).result
        except Refused as exc:
            for p in exc.problems:
                _say(p.code, dict(p.params))
            return 2
        except StorageError as exc:
            _say(exc.code, exc.params)
            return 1
    finally:
        db.close_database()
    for outcome in result.refused:
        print(catalogue.text("history.refused_row", {"row": outcome.row, "name": outcome.name or "?",
                                                     "reasons": _reasons(outcome)}), file=sys.stderr)
    counts = history_ops.outcome_counts(result)
    _say("history.dry_run" if args.dry_run else "history.done", {"path": str(path), **counts}, error=False)
    return 2 if result.refused else 0
