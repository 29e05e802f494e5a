"""Help as plain text at a width: for pipes and files, and whatever reads them.

Nothing is ever cut: a description or a list of values wraps within its column (at spaces, and between
the characters of CJK text, which has none); a term (a name, a type) is never broken. Each term column is
as wide as nearly all of its terms; a row with a longer one puts its terms on a line of their own and the
description on the next, at its column. Columns are always two spaces apart at least, so that no two run
together. When the description column would be too narrow, descriptions go under their terms.
"""

from __future__ import annotations

from zcli.help.model import Columns, Heading, Page, Para, Tree, shown_columns
from zcli.output.cells import char_width, display_width

INDENT = "  "
GAP = "  "
#: The narrowest a description column gets before descriptions go under their terms instead.
MIN_TEXT = 24
#: A term column is as wide as this share of its terms (the longer few overflow onto a line of their own).
FIT_SHARE = 0.9
_NBSP = "\u00a0"
_SPACES = str.maketrans("\t\n\r\v\f", "     ")


def _atoms(text: str) -> list[tuple[str, str]]:
    """``(separator, piece)`` pairs to wrap: words, and each wide (CJK) character on its own."""
    out: list[tuple[str, str]] = []
    for word in (w for w in text.split(" ") if w):
        sep, run = " ", ""
        for ch in word:
            if char_width(ch) == 2:
                if run:
                    out.append((sep, run))
                    sep, run = "", ""
                out.append((sep, ch))
                sep = ""
            else:
                run += ch
        if run:
            out.append((sep, run))
    return out


def wrap_cells(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal cells; a word longer than that stays whole."""
    lines: list[str] = []
    line = ""
    for sep, piece in _atoms(text.translate(_SPACES)):  # str.split() would split at a no-break space too
        candidate = f"{line}{sep}{piece}" if line else piece
        if not line or display_width(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = piece
    lines.append(line)
    return [ln.replace(_NBSP, " ") for ln in lines]


def _fill(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """``text`` wrapped to ``width``, the first line after ``first`` and the others after ``rest``."""
    room = max(width - max(len(first), len(rest)), 8)
    body = wrap_cells(text, room)
    return [(first if i == 0 else rest) + line for i, line in enumerate(body)]


def _term_width(cells: list[str]) -> int:
    sizes = sorted(display_width(c) for c in cells)
    return sizes[min(len(sizes) - 1, int(len(sizes) * FIT_SHARE))] if sizes else 0


def table_lines(table: Columns, width: int) -> list[tuple[str, str]]:
    """The lines of ``table`` at ``width``, each with what it is: ``title``, ``header``, ``term`` (a row's
    first line, which starts with its name) or ``more`` (the rest of a row). The rich renderer styles them."""
    keep = shown_columns(table)
    if not keep:
        return [("title", line) for line in _fill(f"{table.title}: none", width)] if table.title else []
    rows = [tuple(row[i] if i < len(row) else "" for i in keep) for row in table.rows]
    headers = tuple(table.headers[i] for i in keep) if table.headers else None
    every = [*([headers] if headers else []), *rows]
    has_text = any(r[-1] for r in rows)
    terms = len(keep) - 1 if has_text else len(keep)  # without text, every column is a term
    widths = [_term_width([r[i] for r in every]) for i in range(terms)]
    start = len(INDENT) + sum(w + len(GAP) for w in widths)
    stacked = has_text and width - start < MIN_TEXT
    out = [("title", line) for line in _fill(f"{table.title}:", width)] if table.title else []
    for n, row in enumerate(every):
        lines = _row(row[:terms], row[terms] if has_text else "", widths, start, width, stacked)
        first = "header" if headers and n == 0 else "term"
        out.extend((first if i == 0 else "more", line) for i, line in enumerate(lines))
    return out


def _row(terms: tuple[str, ...], text: str, widths: list[int], start: int, width: int,
         stacked: bool) -> list[str]:
    fits = all(display_width(t) <= w for t, w in zip(terms, widths, strict=True))
    if fits:
        head = INDENT + "".join(t + " " * (w - display_width(t)) + GAP for t, w in zip(terms, widths, strict=True))
    else:  # a term longer than its column: the terms alone on this line, the text on the next
        head = INDENT + GAP.join(terms) + GAP
    if not text:
        return [head.rstrip()]
    if stacked:  # too narrow for a column of text: the text goes under the terms, indented
        pad = INDENT * 3
        return [head.rstrip(), *_fill(text, width, pad, pad)]
    if not fits or display_width(head) > start:
        return [head.rstrip(), *_fill(text, width, " " * start, " " * start)]
    return _fill(text, width, head + " " * (start - display_width(head)), " " * start)


def _tree(tree: Tree, width: int) -> list[str]:
    if not tree.items:
        return []
    return [*_fill(f"{tree.title}:", width), *(INDENT + INDENT * depth + text for depth, text in tree.items)]


def render_plain(page: Page, width: int = 80) -> str:
    """``page`` as plain text lines of at most ``width`` cells (a term longer than that stays whole)."""
    width = max(width, 20)
    lines: list[str] = []
    after_heading = False
    for block in page.blocks:
        if isinstance(block, (Heading, Para)):
            chunk = _fill(block.text, width)
        elif isinstance(block, Columns):
            chunk = [line for _, line in table_lines(block, width)]
        else:
            chunk = _tree(block, width)
        if not chunk:
            continue
        if lines and not after_heading:  # blocks are a blank line apart; a heading sits on what follows
            lines.append("")
        lines.extend(chunk)
        after_heading = isinstance(block, Heading)
    return "\n".join(lines) + "\n"
