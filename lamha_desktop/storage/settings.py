"""Application settings that belong with the data (stored in the database, typed defaults)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lamha_desktop.storage import db
from lamha_desktop.storage.models import Setting

SETTINGS_VERSION = 1

DEFAULTS: dict[str, Any] = {
    "settings_version": SETTINGS_VERSION,
    "age_by_month": True,  # DOMAIN.md §2: "counted by month" default reading
    "plan_start": "2023-06-14",  # Kế hoạch 88-KH/HU: the cumulative total counts from it
    "plan_number": "88-KH/HU",  # the plan the cumulative total is stated against
    "h1_start": "01-01",  # first-half reporting period, MM-DD (cut-offs are a setting)
    "h1_end": "06-30",
    # The place of a report is its organisation's (Organisation.place, its upper committee's as a fallback).
    "signer_role": "T/M CHI ỦY\nBÍ THƯ",
    "signer_name": "",  # empty: the organisation's secretary signs
    "report_number": "01-BC/CB",
    "due_months_ahead": 3,
    "first_run_done": False,
    "backup_keep_daily": 10,  # backup rotation, grandfather-father-son (storage/backup.py)
    "backup_keep_weekly": 8,
    "backup_keep_monthly": 12,
    "backup_keep_premigration_days": 90,
    "document_templates": "",  # the folder of the user's own document templates ("": the built-in ones only)
    "document_margins": [20, 20, 30, 15],  # top, bottom, left, right in mm (Hướng dẫn 36-HD/VPTW)
}


# Values read, per database file: settings are read on every operation and change rarely. A write only
# forgets the key (never stores the new value), so a rolled-back transaction cannot leave a wrong value here.
_cache: dict[str, Any] = {}
_cache_of: list[object] = [None]


def _cached() -> dict[str, Any]:
    database = db.database
    if _cache_of[0] != database.database:
        _cache.clear()
        _cache_of[0] = database.database
    return _cache


def forget_cache() -> None:
    _cache.clear()
    _cache_of[0] = None


db.on_database_change(forget_cache)


def get(key: str) -> Any:
    cache = _cached()
    if key in cache:
        return cache[key]
    row = Setting.get_or_none(Setting.key == key)
    value = DEFAULTS.get(key) if row is None else row.value
    cache[key] = value
    return value


def set_value(key: str, value: Any) -> None:
    _cached().pop(key, None)
    Setting.insert(key=key, value=value).on_conflict(conflict_target=[Setting.key],
                                                     preserve=[Setting.value]).execute()
    _cached().pop(key, None)


def get_date(key: str) -> dt.date:
    return dt.date.fromisoformat(str(get(key)))


def all_settings() -> dict[str, Any]:
    values = dict(DEFAULTS)
    for row in Setting.select():
        values[row.key] = row.value
    return values
