"""Qt without a window (the headless commands, the smoke test): which platform plugin, and fonts for Vietnamese.

Qt's offscreen platform finds fonts through fontconfig on Linux, but on Windows it reads only Qt's own
``lib/fonts`` folder, which PySide6 does not ship: a summary PDF written there has no text at all. So:

- on Windows a headless command uses the native platform (``windows``: it shows nothing unless a window is
  opened, and it reads the system's fonts); elsewhere offscreen, unless a display is there;
- where offscreen runs on Windows anyway (the smoke test, or ``QT_QPA_PLATFORM`` set by the user), Qt is
  pointed at the Windows fonts folder (``QT_QPA_FONTDIR``) before the application is created;
- once it exists, ``ensure_fonts`` checks that a Vietnamese letter can be drawn in the report's font (or a
  substitute), registers the fonts of those folders when it cannot, and says so when there is still none,
  so that a PDF without text is never written.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path, PureWindowsPath

from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF, QGuiApplication

# The report's font (``ui.printing.FONT_FAMILY``, which a test keeps equal): importing the printing module
# here would cost the smoke test the PDF classes of Qt, which it never uses.
REPORT_FAMILY = "Times New Roman"

__all__ = ["application", "can_write_vietnamese", "display_missing", "ensure_fonts", "font_folders",
           "platform_environment"]

PROBE = "ệ"  # a letter only a font with Vietnamese has
FONT_SUFFIXES = (".ttf", ".ttc", ".otf")
# Files of the Windows fonts folder tried first: the report's font, then a common sans serif.
PREFERRED = ("times", "arial", "tahoma")


def windows_fonts_dirs(environ: Mapping[str, str]) -> list[str]:
    """The system fonts folder of Windows (``%WINDIR%\\Fonts``) and the user's own (fonts installed without
    administrator rights)."""
    windir = environ.get("WINDIR") or environ.get("SystemRoot") or r"C:\Windows"
    folders = [str(PureWindowsPath(windir) / "Fonts")]
    if environ.get("LOCALAPPDATA"):
        folders.append(str(PureWindowsPath(environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts"))
    return folders


def platform_environment(environ: Mapping[str, str], *, platform: str = sys.platform,
                         offscreen: bool = False) -> dict[str, str]:
    """The variables to set before the Q(Gui)Application of a run without a window is created.

    ``offscreen``: the offscreen platform even on Windows (the smoke test shows a window and must not flash
    it on the screen). A platform the user chose is kept.
    """
    changes: dict[str, str] = {}
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if not chosen:
        no_display = not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY")
        if offscreen or (platform not in ("win32", "darwin") and no_display):
            chosen = changes["QT_QPA_PLATFORM"] = "offscreen"
    if platform == "win32" and chosen.split(":")[0] in ("offscreen", "minimal") and not environ.get("QT_QPA_FONTDIR"):
        changes["QT_QPA_FONTDIR"] = windows_fonts_dirs(environ)[0]
    return changes


def display_missing(environ: Mapping[str, str], *, platform: str = sys.platform) -> bool:
    """Whether a window cannot be shown here: on Linux (and the BSDs) without DISPLAY or WAYLAND_DISPLAY, and no
    platform chosen that needs none. Qt would otherwise abort with a message about "xcb" that says nothing of
    the real cause (a session over SSH, a service)."""
    if platform in ("win32", "darwin"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    if chosen and chosen not in ("xcb", "wayland", "wayland-egl"):
        return False  # offscreen, vnc, eglfs, linuxfb…: the user chose one that needs no display server
    if chosen.startswith("wayland"):
        return not environ.get("WAYLAND_DISPLAY")
    if chosen == "xcb":
        return not environ.get("DISPLAY")
    return not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY")


def font_folders(environ: Mapping[str, str], *, platform: str = sys.platform) -> list[Path]:
    """Folders whose fonts ``ensure_fonts`` may register: the one Qt was pointed at, and on Windows the system's
    and the user's fonts folders."""
    folders = [environ["QT_QPA_FONTDIR"]] if environ.get("QT_QPA_FONTDIR") else []
    if platform == "win32":
        folders += windows_fonts_dirs(environ)
    return [Path(f) for f in dict.fromkeys(folders)]


def can_write_vietnamese(family: str = REPORT_FAMILY) -> bool:
    """Whether text in ``family`` (or the font Qt substitutes for it) has the Vietnamese letters."""
    return QFontMetricsF(QFont(family)).inFontUcs4(ord(PROBE))


def _font_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The font files of ``folder``: the preferred ones, then the others."""
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES)
    except OSError:
        return [], []
    preferred = [p for p in files if p.stem.lower().startswith(PREFERRED)]
    return preferred, [p for p in files if p not in preferred]


def ensure_fonts(folders: Sequence[Path], *, family: str = REPORT_FAMILY) -> bool:
    """Make sure Vietnamese can be written in ``family``: register the fonts of ``folders`` (preferred ones
    first) until it can. Returns whether it can; needs the Q(Gui)Application."""
    if can_write_vietnamese(family):
        return True
    for folder in folders:
        for batch in _font_files(Path(folder)):
            for path in batch:
                QFontDatabase.addApplicationFont(str(path))
            if batch and can_write_vietnamese(family):
                return True
    return False


def application(*, offscreen: bool = False) -> QGuiApplication:
    """The running Q(Gui)Application, or a new QGuiApplication for a run without a window (platform and font
    folder chosen by ``platform_environment``)."""
    existing = QGuiApplication.instance()
    if isinstance(existing, QGuiApplication):
        return existing
    os.environ.update(platform_environment(os.environ, offscreen=offscreen))
    return QGuiApplication([sys.argv[0] if sys.argv else "lamha_desktop"])
