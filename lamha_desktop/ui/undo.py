"""Undo and redo (Ctrl+Z, Ctrl+Y) for the deletions a user may regret: a candidate, a recorded step.

Each command runs an operation (``operations.candidates`` / ``operations.steps``) and keeps the snapshot the
operation returned; undo runs the matching restore operation. The changes are announced like any other, so
every view refreshes. A redo or undo that the rules now refuse (the history changed since) is explained and
leaves the data as it is.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from lamha_desktop.operations import OpChanges, candidates, steps
from lamha_desktop.ui.changes import run
from lamha_desktop.ui.messages import tr


class _OperationCommand(QUndoCommand):
    def __init__(self, text: str, parent: QWidget | None) -> None:
        super().__init__(text)
        self.parent_widget = parent
        self.done = False

    def _run(self, action: object, title: str) -> OpChanges | None:
        changes = run(self.parent_widget, action, title=title)  # type: ignore[arg-type]
        if changes is None:
            self.setObsolete(True)  # the stack drops a command that could not run
        return changes


class DeleteCandidate(_OperationCommand):
    def __init__(self, candidate_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("Xóa quần chúng {name}").format(name=name), parent)
        self.candidate_id = candidate_id
        self.snapshot: object = None

    def redo(self) -> None:
        changes = self._run(lambda: candidates.delete(self.candidate_id), self.text())
        if changes is not None:
            self.snapshot = changes.undo
            self.done = True

    def undo(self) -> None:
        if self.snapshot is not None:
            self.done = self._run(lambda: candidates.restore(self.snapshot), tr("Hoàn tác")) is None  # type: ignore[arg-type]


class DeleteStep(_OperationCommand):
    def __init__(self, event_id: int, title: str, parent: QWidget | None = None, *, cascade: bool = False) -> None:
        super().__init__(tr("Xóa bước {title}").format(title=title), parent)
        self.event_id = event_id
        self.cascade = cascade
        self.snapshot: steps.StepsSnapshot | None = None

    def redo(self) -> None:
        changes = self._run(lambda: steps.delete(self.event_id, cascade=self.cascade), self.text())
        if changes is not None:
            self.snapshot = changes.undo
            self.done = True

    def undo(self) -> None:
        if self.snapshot is not None:
            snapshot = self.snapshot
            self.done = self._run(lambda: steps.restore(snapshot), tr("Hoàn tác")) is None


def push_or_run(stack: QUndoStack | None, command: _OperationCommand) -> bool:
    """Run ``command`` through the undo stack (or directly without one); whether it was carried out."""
    if stack is not None:
        stack.push(command)  # runs redo()
    else:
        command.redo()
    return command.done
