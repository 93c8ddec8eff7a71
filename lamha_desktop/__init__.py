"""lamha_desktop: records the admission of outstanding high-school students into the Party."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import FrameType, ModuleType

__version__ = "0.1.0"
APP_NAME = "lamha_desktop"
ORG_NAME = "LamHa"

# The PostgreSQL drivers peewee tries at its own import. psycopg 3 loads libpq and OpenSSL with it: 0.17 s of
# every start, paid by every school on its local SQLite file. peewee is imported without them;
# ``storage.server.load_driver`` loads psycopg when a server is opened and tells peewee about it.
_DEFERRED_DRIVERS = frozenset({"psycopg", "psycopg2", "psycopg2cffi"})


class _DeferPostgresqlDrivers:
    """A finder that refuses a PostgreSQL driver to peewee's module-level code only (any other import of it,
    and any later one, goes through)."""

    def find_spec(self, name: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if name.partition(".")[0] not in _DEFERRED_DRIVERS:
            return None
        frame: FrameType | None = sys._getframe(1)
        for _ in range(30):
            if frame is None:
                break
            if frame.f_code.co_name == "<module>" and frame.f_globals.get("__name__") == "peewee":
                raise ImportError(f"{name}: loaded when a server is opened (lamha_desktop.storage.server)")
            frame = frame.f_back
        return None


if "peewee" not in sys.modules and not any(isinstance(f, _DeferPostgresqlDrivers) for f in sys.meta_path):
    sys.meta_path.insert(0, _DeferPostgresqlDrivers())
