"""The help model: what a help page says, as blocks, before any rendering.

A page is built once from the catalogue (:mod:`zcli.help.topics`) and rendered either as plain text
(:mod:`zcli.help.plain`: pipes, files, ``zcli help | less``) or with rich (:mod:`zcli.help.rich`: a
terminal), at the width of the moment. Neither renderer decides what is said; the model never decides
how it looks.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Para:
    """A paragraph, wrapped to the width at spaces (never inside a word, never at a hyphen); a no-break
    space (U+00A0) binds two words, and is printed as a space."""

    text: str


@dataclass(frozen=True)
class Heading:
    """A line that introduces what follows (an API's name and route)."""

    text: str


@dataclass(frozen=True)
class Columns:
    """A table of terms and their description.

    Every column but the last holds terms (names, types, methods): never broken. The last one is free
    text, wrapped within its column. A column empty in every row is left out.

    Attributes:
        title: said above the table.
        headers: the columns' names, or None for a listing without a header row.
        rows: the cells, one tuple a row, as many as there are columns.
    """

    title: str
    headers: tuple[str, ...] | None
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Tree:
    """Names in a tree: ``(depth, text)`` items, depth 0 under the title."""

    title: str
    items: tuple[tuple[int, str], ...]


Block = Para | Heading | Columns | Tree


@dataclass(frozen=True)
class Page:
    """One help page: its blocks, in order."""

    blocks: tuple[Block, ...]


def shown_columns(table: Columns) -> list[int]:
    """The indexes of the columns of ``table`` that hold something in at least one row."""
    width = len(table.headers) if table.headers else max((len(r) for r in table.rows), default=0)
    return [i for i in range(width) if any(i < len(r) and r[i] for r in table.rows)]
