"""Reading a return written by this application: the machine-readable payload of its hidden sheet.

The visible sheets are for people and may have been reformatted; only ``_lamha_data`` is read (see
:mod:`lamha_desktop.reports.excel_return`). A record longer than an Excel cell holds is written over the
cells after the kind, and read back joined. Problems are :class:`ReadError` codes:
``return.unreadable`` (not an .xlsx file, or missing), ``return.not_a_return`` (no payload: a file not
produced by the application, or a return saved again by a program that dropped the hidden sheet),
``return.too_new`` (written by a newer version), ``return.record_invalid`` (a row that is not valid JSON),
``return.text_too_long`` (a text past the limits of :mod:`lamha_desktop.domain.validation`), and the codes of
:mod:`lamha_desktop.readers.limits` (``limit.*``, ``file.damaged``, ``file.invalid``, ``file.no_workbook``):
a return is checked like any file from outside before openpyxl reads it.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from lamha_desktop.catalogue.limits import field_label
from lamha_desktop.domain import validation
from lamha_desktop.readers.limits import LIMITS, FileRefused, Limits, RowGuard, number_text, one_line, open_workbook
from lamha_desktop.reports.excel_return import DATA_SHEET
from lamha_desktop.storage.consolidation import FORMAT, FORMAT_VERSION, ReturnPayload

__all__ = ["ReadError", "read_return"]

_KINDS = {"organisation": "organisations", "ceremony": "ceremonies", "student": "students", "event": "events"}
_ZIP_MAGIC = b"PK\x03\x04"


class ReadError(Exception):
    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


def read_return(path: Path, *, limits: Limits = LIMITS) -> ReturnPayload:
    """The payload of the return at ``path``; raises ReadError."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise ReadError("return.unreadable", path=str(path), detail=one_line(exc.strerror or exc)) from exc
    if not head.startswith(_ZIP_MAGIC):
        raise ReadError("return.unreadable", path=str(path), detail="không phải tệp .xlsx")
    try:
        return _read(path, limits)
    except FileRefused as exc:
        raise ReadError(exc.code, **exc.params) from exc
    except MemoryError as exc:
        raise ReadError("limit.memory", path=str(path)) from exc


def _read(path: Path, limits: Limits) -> ReturnPayload:
    with open_workbook(path, limits, ReadError) as (_package, wb):
        rows: Any = None
        try:
            if DATA_SHEET not in wb.sheetnames:
                raise ReadError("return.not_a_return", path=str(path))
            ws = wb[DATA_SHEET]
            ws.reset_dimensions()
            guard = RowGuard(path, limits)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                rows = ws.iter_rows(values_only=True)
                head = _checked(guard, 1, next(rows, None))
                meta: dict[str, Any] = {}
                if head:
                    cells = [c for c in head if c is not None]
                    meta = {str(cells[i]): cells[i + 1] for i in range(0, len(cells) - 1, 2)}
                if meta.get("format") != FORMAT:
                    raise ReadError("return.not_a_return", path=str(path))
                try:
                    version = int(meta.get("version") or 0)
                except (TypeError, ValueError) as exc:
                    raise ReadError("return.not_a_return", path=str(path)) from exc
                if version > FORMAT_VERSION:
                    raise ReadError("return.too_new", path=str(path), version=version, supported=FORMAT_VERSION)
                payload = ReturnPayload(period=str(meta.get("period") or ""),
                                        exported_at=str(meta.get("exported_at") or ""), version=version)
                for n, raw in enumerate(rows, start=2):
                    row = _checked(guard, n, raw)
                    if not row or row[0] is None:
                        continue
                    target = _KINDS.get(str(row[0]))
                    if target is None:
                        continue  # a record type of a later minor version: ignored
                    try:
                        record = json.loads("".join(str(c) for c in row[1:] if c is not None))
                    except (TypeError, ValueError, RecursionError) as exc:
                        raise ReadError("return.record_invalid", path=str(path), what="dòng", fields=n) from exc
                    if not isinstance(record, dict):
                        raise ReadError("return.record_invalid", path=str(path), what="dòng", fields=n)
                    _check_texts(path, str(row[0]), record, n)
                    getattr(payload, target).append(record)
            return payload
        except (ReadError, FileRefused, MemoryError):
            raise
        except Exception as exc:  # a sheet part openpyxl cannot make sense of
            raise ReadError("file.invalid", path=str(path), detail=one_line(exc)) from exc
        finally:
            if rows is not None:
                rows.close()  # the sheet's part is open while its rows are read


def _checked(guard: RowGuard, number: int, row: Sequence[Any] | None) -> Sequence[Any] | None:
    if row is None:
        return None
    guard.row(DATA_SHEET, number, len(row))
    for c, value in enumerate(row):
        if isinstance(value, str):
            guard.text(DATA_SHEET, number, c, value)
    return row


# Texts of each kind of record, by the field of validation.TEXT_LIMITS that bounds them.
_TEXT_FIELDS: dict[str, dict[str, str]] = {
    "student": {"full_name": "full_name", "ethnic": "ethnic", "religion": "religion", "personal_id": "personal_id",
                "class_name": "class_name", "gender": "gender"},
    "organisation": {"code": "org_code", "school_name": "school_name", "name": "org_name",
                     "secretary": "full_name"},
    "ceremony": {"place": "place", "decision_no": "document_number"},
}


def _check_texts(path: Path, kind: str, record: Mapping[str, Any], row: int) -> None:
    """A record's texts within the limits a user typing them would meet (the same table as the forms)."""
    fields = _TEXT_FIELDS.get(kind, {})
    values = [(limit_field, record.get(key)) for key, limit_field in fields.items()]
    data = record.get("data")
    if kind == "event" and isinstance(data, dict):
        values += [(key if key in validation.TEXT_LIMITS else "free_text", value) for key, value in data.items()]
    for issue in (i for f, v in values for i in validation.check_text_lengths({f: v})):
        raise ReadError("return.text_too_long", path=str(path), field=field_label(issue.field), row=row,
                        length=number_text(int(issue.params["length"])),
                        limit=number_text(int(issue.params["limit"])))
