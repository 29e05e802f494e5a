"""A lean table renderer that fits the terminal's width.

rich.Table lays out every cell as a renderable, which takes seconds for 10,000 rows; this one works on
plain strings: each cell's text is computed once, padded by display width, and coloured with a bare
ANSI code when asked. Columns are separated by two spaces, under a header and a rule.

Fitting: when the natural widths do not fit, the widest columns shrink first (their text ends with an
ellipsis). Values of uuids, numbers and states are never cut (a cut uuid cannot be pasted, a cut number
lies). While less important columns remain, the others keep comfortable widths and the least important
column goes instead; when only two are left, they are cut down to :data:`MIN_WIDTH` cells.
"""

from __future__ import annotations

from dataclasses import dataclass

from zcli.output.cells import BOLD, RESET, cell_text, clean, display_width, is_state_column, state_colour, truncate

GAP = "  "
MIN_WIDTH = 6  # the narrowest a cut column gets
SOFT_WIDTH = 10  # the narrowest a cut column gets while less important columns can go instead
NAME_WIDTH = 16  # the same, for names


@dataclass
class Column:
    """One column: its key, how much it matters (0 most), and its widths in cells.

    Attributes:
        natural: the width of its widest cell, header included.
        values: the width of its widest value.
        rigid: never cut a value (uuids cannot be pasted when cut, numbers and states would lie).
    """

    key: str
    priority: int
    natural: int
    values: int
    numeric: bool = False
    rigid: bool = False
    width: int = 0

    def floor(self, soft: bool) -> int:
        """The narrowest this column may get; ``soft`` while less important columns remain to drop."""
        if self.rigid:
            return max(self.values, min(self.natural, MIN_WIDTH))
        if not soft:
            return min(self.natural, MIN_WIDTH)
        named = self.key == "name" or self.key.endswith("Name")
        return min(self.natural, NAME_WIDTH if named else SOFT_WIDTH)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _level_widths(cols: list[Column], floors: list[int], room: int) -> list[int]:
    """Widths within ``room`` cells: every column capped at one level, floors kept, the highest level
    that fits; cells left over go to the capped columns, left to right."""
    lo, hi = 0, max(c.natural for c in cols)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sum(max(f, min(c.natural, mid)) for c, f in zip(cols, floors, strict=True)) <= room:
            lo = mid
        else:
            hi = mid - 1
    widths = [max(f, min(c.natural, lo)) for c, f in zip(cols, floors, strict=True)]
    spare = room - sum(widths)
    for i, c in enumerate(cols):
        if spare <= 0:
            break
        if widths[i] < c.natural:
            widths[i] += 1
            spare -= 1
    return widths


def _fit_widths(cols: list[Column], width: int, soft: bool) -> tuple[list[Column], list[int]] | None:
    """Drop the least important columns until the rest fit at their floors (soft floors keep two
    columns at least); None when soft floors cannot fit even so."""
    cols = list(cols)
    while cols:
        gaps = len(GAP) * (len(cols) - 1)
        if sum(c.natural for c in cols) + gaps <= width:
            return cols, [c.natural for c in cols]
        if len(cols) == 1 and not soft:
            return cols, [max(1, min(cols[0].natural, width))]
        floors = [c.floor(soft) for c in cols]
        if sum(floors) + gaps <= width:
            return cols, _level_widths(cols, floors, width - gaps)
        if soft and len(cols) <= 2:
            return None
        cols.remove(max(cols, key=lambda c: c.priority))
    return None


def fit(cols: list[Column], width: int) -> list[Column]:
    """The columns that fit in ``width`` cells, each with its ``width`` set.

    First, less important columns go while the rest can keep comfortable widths; only when two
    columns cannot, columns are cut down to :data:`MIN_WIDTH` (and the last one to the screen's width).
    """
    if not cols:
        return []
    kept, widths = _fit_widths(cols, width, soft=True) or _fit_widths(cols, width, soft=False)
    for c, w in zip(kept, widths, strict=True):
        c.width = w
    return kept


class Cells:
    """The cell texts of a table's columns, gathered row by row (page by page for ``--all``).

    Only the texts of the shown columns are kept, not the rows: a table's widths must come from every
    row (a later page's longer name is not cut to the first page's widths), and that is what they need.

    Args:
        keys: the columns' keys, in display order.
        sizes: the keys whose values are byte counts, shown as sizes (``40 GiB``; see
            :mod:`zcli.output.sizes`).
    """

    def __init__(self, keys: list[str], sizes: frozenset[str] | set[str] = frozenset()):
        self.keys = list(keys)
        self.texts: list[list[str]] = []
        self._sizes = [key in sizes for key in self.keys]
        self._numeric = [True] * len(self.keys)  # every value present so far is a number
        self._present = [False] * len(self.keys)

    def add(self, rows: list[dict]) -> None:
        """Gather the texts of ``rows`` (maps)."""
        from zcli.output.sizes import human_size

        plan = list(enumerate(zip(self.keys, self._sizes, strict=True)))
        numeric, present = self._numeric, self._present
        for row in rows:
            texts = []
            for i, (key, size) in plan:
                value = row.get(key)
                if value is not None:
                    present[i] = True
                    if numeric[i] and not _is_number(value):
                        numeric[i] = False
                text = human_size(value) if size else None
                texts.append(cell_text(value) if text is None else text)
            self.texts.append(texts)

    def numeric(self, i: int) -> bool:
        """True when column ``i`` holds numbers alone (right-aligned, never cut)."""
        return self._present[i] and self._numeric[i]


class Table:
    """A table laid out to a width: the columns that fit, each with its width, over every row's text.

    Args:
        columns: ``(key, priority)`` pairs in display order.
        cells: the texts of every row (:class:`Cells` over the same keys).
        width: the terminal's width in cells.
        color: emit ANSI codes (bold header, coloured states).
    """

    def __init__(self, columns: list[tuple[str, int]], cells: Cells, *, width: int, color: bool):
        self.color = color
        self._cells = cells
        cols = []
        for i, (key, priority) in enumerate(columns):
            widest = max((display_width(texts[i]) for texts in cells.texts), default=0)
            numeric = cells.numeric(i)
            rigid = numeric or key == "uuid" or key.endswith("Uuid") or is_state_column(key)
            cols.append(Column(key, priority, max(widest, display_width(clean(key))), widest, numeric, rigid))
        self.columns = fit(cols, width)
        keys = [key for key, _ in columns]
        self._picks = [keys.index(c.key) for c in self.columns]
        self._state = [color and is_state_column(c.key) for c in self.columns]

    def _cell(self, text: str, col: Column, state: bool) -> str:
        if not state and text.isascii() and len(text) <= col.width:  # the common case, in C
            return text.rjust(col.width) if col.numeric else text.ljust(col.width)
        w = display_width(text)
        # A rigid column (uuid, number, state) is cut only as the last resort of a very narrow screen.
        if w > col.width and not (col.rigid and col.width >= col.values):
            text = truncate(text, col.width)
            w = display_width(text)
        pad = " " * max(col.width - w, 0)
        if state:
            colour = state_colour(text)
            if colour:
                text = f"{colour}{text}{RESET}"
        return pad + text if col.numeric else text + pad

    def header(self) -> str:
        """The header line and the rule under it; "" when there are no columns."""
        if not self.columns:
            return ""
        names = []
        for c in self.columns:
            name = truncate(clean(c.key), c.width)  # a header (a server's key) is always cut to its column
            pad = " " * (c.width - display_width(name))
            names.append(pad + name if c.numeric else name + pad)
        line = GAP.join(names).rstrip(" ")
        if self.color:
            line = f"{BOLD}{line}{RESET}"
        rule = GAP.join("-" * c.width for c in self.columns)
        return f"{line}\n{rule}\n"

    def rows(self) -> str:
        """The lines of every row, each ending with a newline."""
        plan = list(zip(self.columns, self._state, strict=True))
        picks = self._picks
        cell = self._cell
        lines = [GAP.join([cell(texts[i], c, s) for i, (c, s) in zip(picks, plan, strict=True)]).rstrip(" ")
                 for texts in self._cells.texts]
        return "\n".join(lines) + "\n" if lines else ""

    def text(self) -> str:
        """The header and every row."""
        return self.header() + self.rows()


def render_table(rows: list[dict], columns: list[tuple[str, int]], *, width: int, color: bool,
                 sizes: frozenset[str] | set[str] = frozenset()) -> str:
    """Rows (maps) as a table of the given columns, fitted to ``width`` cells; the ``sizes`` keys'
    byte counts shown as sizes."""
    cells = Cells([key for key, _ in columns], sizes)
    cells.add(rows)
    return Table(columns, cells, width=width, color=color).text()
