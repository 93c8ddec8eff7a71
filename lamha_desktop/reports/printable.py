"""A printed report as ``ui.printing`` lays it out on A4 pages: HTML flows and long lists, one after the other.

HTML (the subset Qt's ``QTextDocument`` understands) suits a report's headings and short tables. A list of
thousands of rows is a :class:`Rows` block instead: its cells are plain text, and ``ui.printing`` lays the
rows out itself, a row never split between two pages, with the header row repeated at the top of each page
the list runs onto. Qt's own layout of such a table costs two layouts of every cell and ~0.1 ms of painting
per cell for its collapsed borders (``docs/performance.md``). No Qt here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Block", "Column", "Printable", "Rows"]


@dataclass(frozen=True)
class Column:
    """One column of a :class:`Rows` list: its header, one printed line per item (a header line never wraps),
    its share of the page width in per cent, and whether its cells are centred (otherwise left-aligned)."""

    head: tuple[str, ...]
    width: float
    centred: bool = False


@dataclass(frozen=True)
class Rows:
    """A long list printed as a ruled table.

    ``title``: HTML printed above the header on the list's first page, kept on the page of the first row.
    ``rows``: one tuple of cell texts per row (``"\\n"`` starts a new line in a cell). ``empty``: the line printed
    across the table when there are no rows. Sizes are in points; ``padding`` in 96-dpi pixels, as HTML's
    ``cellpadding``.
    """

    columns: tuple[Column, ...]
    rows: Sequence[tuple[str, ...]]
    title: str = ""
    empty: str = ""
    font_pt: float = 9.0
    head_pt: float = 8.0
    padding: float = 2.0

    def __post_init__(self) -> None:
        if abs(sum(c.width for c in self.columns) - 100) > 0.01:
            raise ValueError("the column widths of a list must add up to 100 %")


Block = str | Rows


@dataclass(frozen=True)
class Printable:
    """A document for ``ui.printing``: blocks printed one after the other down the pages.

    An HTML block is a whole HTML document; it starts on a new page unless it fits in what is left of the
    current one (the first block starts the first page). A :class:`Rows` block follows on the current page when
    its title, header and first row fit there."""

    blocks: tuple[Block, ...]
