"""Undo and redo (Ctrl+Z, Ctrl+Y) for the deletions a user may regret: a candidate, a recorded step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from lamha_desktop.storage import writers
from lamha_desktop.ui.messages import tr


class DeleteCandidate(QUndoCommand):
    def __init__(self, candidate_id: int, name: str, on_change: Callable[[], None]) -> None:
        super().__init__(tr("Xóa quần chúng {name}").format(name=name))
        self.candidate_id = candidate_id
        self.on_change = on_change
        self.snapshot: writers.CandidateSnapshot | None = None

    def redo(self) -> None:
        self.snapshot = writers.delete_candidate(self.candidate_id)
        self.on_change()

    def undo(self) -> None:
        if self.snapshot is not None:
            writers.restore_candidate(self.snapshot)
        self.on_change()


class DeleteStep(QUndoCommand):
    def __init__(self, event_id: int, title: str, on_change: Callable[[], None]) -> None:
        super().__init__(tr("Xóa bước {title}").format(title=title))
        self.event_id = event_id
        self.on_change = on_change
        self.row: dict[str, Any] | None = None

    def redo(self) -> None:
        self.row = writers.delete_event(self.event_id)
        self.on_change()

    def undo(self) -> None:
        if self.row is not None:
            writers.restore_event(self.row)
        self.on_change()
