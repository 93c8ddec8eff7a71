"""One application-wide "data changed" signal, and running an operation from a widget.

Every change goes through the operations layer, which returns an ``OpChanges``; the widget that ran it calls
:func:`announce` (or uses :func:`run` / :func:`run_confirming`, which also turn refusals into messages) and
every view listening on :func:`hub` refreshes only when the change touches its data. Widgets never call each
other to refresh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from lamha_desktop.operations import NeedsConfirmation, OpChanges, Problem, Refused
from lamha_desktop.storage.db import StorageError
from lamha_desktop.ui import messages
from lamha_desktop.ui.messages import tr

__all__ = ["DataChanges", "announce", "forget_hub", "hub", "problem_line", "problems_text", "run",
           "run_confirming"]


class DataChanges(QObject):
    """The application's one "data changed" signal; its argument is the operation's ``OpChanges``."""

    changed = Signal(object)


_hub: DataChanges | None = None


def hub() -> DataChanges:
    global _hub
    if _hub is None:
        _hub = DataChanges()
    return _hub


def forget_hub() -> None:
    """Delete the hub at exit, after the views that listen to it (``app.shutdown``); a later :func:`hub` makes
    a new one."""
    global _hub
    if _hub is not None:
        import shiboken6

        if shiboken6.isValid(_hub):
            shiboken6.delete(_hub)
        _hub = None


def announce(changes: OpChanges) -> None:
    """Tell every view what an operation changed."""
    hub().changed.emit(changes)


def reload_after(exc: Exception) -> None:
    """Another clerk changed the record meanwhile (``Conflict``): every view shows the data as it is now; the
    form that was refused keeps what the user typed."""
    from lamha_desktop.operations.core import Conflict

    if isinstance(exc, Conflict):
        announce(OpChanges("conflict.reload", everything=True))


def problem_line(p: Problem) -> str:
    text = messages.text(p.code, p.params)
    return f"{p.candidate_name}: {text}" if p.candidate_name else text


def problems_text(problems: Iterable[Problem]) -> str:
    lines = [problem_line(p) for p in problems]
    return lines[0] if len(lines) == 1 else "\n".join(f"• {line}" for line in lines)


def warn(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.warning(parent, title, message)


def ask_to_accept(parent: QWidget | None, title: str, warnings: Sequence[Problem]) -> bool:
    """Show the warnings of a change and ask whether to record it anyway (default: no)."""
    answer = QMessageBox.question(parent, title, tr("Cảnh báo:") + "\n" + problems_text(warnings) + "\n\n" +
                                  tr("Vẫn ghi cùng các cảnh báo này?"),
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def run(parent: QWidget | None, action: Callable[[], OpChanges], *, title: str) -> OpChanges | None:
    """Run an operation; announce its changes, or show why it was refused (None)."""
    try:
        changes = action()
    except Refused as exc:
        warn(parent, title, problems_text(exc.problems))
        reload_after(exc)
        return None
    except StorageError as exc:
        warn(parent, title, messages.text(exc.code, exc.params))
        return None
    announce(changes)
    return changes


def run_confirming(parent: QWidget | None, action: Callable[[Sequence[str]], OpChanges], *,
                   title: str) -> OpChanges | None:
    """:func:`run` for an operation with warnings: they are shown and, once the user agrees, accepted."""
    accept: Sequence[str] = ()
    while True:
        try:
            return run(parent, lambda accepted=accept: action(accepted), title=title)
        except NeedsConfirmation as exc:
            if not ask_to_accept(parent, title, exc.warnings):
                return None
            accept = exc.codes
