"""The operations layer: one function per user action, the only writer of the database.

The GUI, every headless command and the demo builder change data only through these functions (a test holds
them to it). Each loads the state it needs, applies the domain rules to the state after the change, writes in
one transaction with its audit entry under the data-folder lock, checks every touched candidate's whole history,
and returns an :class:`OpChanges` describing what changed. See ``docs/architecture.md``.

Modules: :mod:`.candidates`, :mod:`.steps`, :mod:`.ceremonies`, :mod:`.organisations`, :mod:`.settings`,
:mod:`.importing` (class lists), :mod:`.consolidation` (schools' returns), :mod:`.history` (past admissions),
:mod:`.safety` (backups, restore, password), :mod:`.setup` (first run), :mod:`.maintenance`, :mod:`.demo`.
"""

from __future__ import annotations

from lamha_desktop.operations.core import (
    ACCEPT_ALL,
    NeedsConfirmation,
    OpChanges,
    Problem,
    Refused,
)

__all__ = ["ACCEPT_ALL", "NeedsConfirmation", "OpChanges", "Problem", "Refused"]
