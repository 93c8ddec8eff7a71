"""Where the application's bundled, read-only resources live (code lists, templates, icons)."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["resources_dir"]


def resources_dir() -> Path:
    """Return the repository-level ``resources/`` folder.

    In a PyInstaller bundle (``sys.frozen``) the folder is unpacked under ``sys._MEIPASS``.
    """
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS")) / "resources"  # noqa: B009 - attribute exists only when frozen
    return Path(__file__).resolve().parent.parent / "resources"
