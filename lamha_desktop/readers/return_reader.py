"""Reading a return written by this application: the machine-readable payload of its hidden sheet.

The visible sheets are for people and may have been reformatted; only ``_lamha_data`` is read (see
:mod:`lamha_desktop.reports.excel_return`). Problems are :class:`ReadError` codes:
``import.unreadable`` (not an .xlsx file, damaged, or missing), ``import.not_a_return`` (no payload: a file
not produced by the application, or a return saved again by a program that dropped the hidden sheet),
``import.too_new`` (written by a newer version), ``import.record_invalid`` (a row that is not valid JSON).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from lamha_desktop.reports.excel_return import DATA_SHEET
from lamha_desktop.storage.consolidation import FORMAT, FORMAT_VERSION, ReturnPayload

__all__ = ["ReadError", "read_return"]

_KINDS = {"organisation": "organisations", "ceremony": "ceremonies", "student": "students", "event": "events"}


class ReadError(Exception):
    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


def read_return(path: Path) -> ReturnPayload:
    """The payload of the return at ``path``; raises ReadError."""
    path = Path(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        raise ReadError("return.unreadable", path=str(path), detail=str(exc)) from exc
    try:
        if DATA_SHEET not in wb.sheetnames:
            raise ReadError("return.not_a_return", path=str(path))
        rows = wb[DATA_SHEET].iter_rows(values_only=True)
        head = next(rows, None)
        meta: dict[str, Any] = {}
        if head:
            cells = [c for c in head if c is not None]
            meta = {str(cells[i]): cells[i + 1] for i in range(0, len(cells) - 1, 2)}
        if meta.get("format") != FORMAT:
            raise ReadError("return.not_a_return", path=str(path))
        version = int(meta.get("version") or 0)
        if version > FORMAT_VERSION:
            raise ReadError("return.too_new", path=str(path), version=version, supported=FORMAT_VERSION)
        payload = ReturnPayload(period=str(meta.get("period") or ""), exported_at=str(meta.get("exported_at") or ""),
                                version=version)
        for n, row in enumerate(rows, start=2):
            if not row or row[0] is None:
                continue
            target = _KINDS.get(str(row[0]))
            if target is None:
                continue  # a record type of a later minor version: ignored
            try:
                record = json.loads(str(row[1]))
            except (TypeError, ValueError, IndexError) as exc:
                raise ReadError("return.record_invalid", path=str(path), row=n) from exc
            if not isinstance(record, dict):
                raise ReadError("return.record_invalid", path=str(path), row=n)
            getattr(payload, target).append(record)
        return payload
    finally:
        wb.close()
