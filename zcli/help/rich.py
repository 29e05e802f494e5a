"""Help with rich, for a terminal: the same page and the same layout as :mod:`zcli.help.plain` (one set
of wrapping rules: terms never broken, text wrapped in its column, empty columns left out), drawn with
styles: headings and titles bold, column headers underlined, names coloured, and the cross-table names as
a rich tree.
"""

from __future__ import annotations

from io import StringIO

from zcli.help.model import Columns, Heading, Page, Para, Tree
from zcli.help.plain import INDENT, table_lines, wrap_cells


def render_rich(page: Page, width: int = 80, *, color: bool = False) -> str:
    """``page`` drawn by rich at ``width`` columns; ANSI styles only when ``color``."""
    from rich.console import Console
    from rich.text import Text
    from rich.tree import Tree as RichTree

    width = max(width, 20)
    out = StringIO()
    console = Console(file=out, width=width, color_system="standard" if color else None, force_terminal=color,
                      highlight=False, soft_wrap=True, emoji=False, markup=False)
    after_heading = False
    for block in page.blocks:
        if isinstance(block, Tree) and not block.items:
            continue
        if out.tell() and not after_heading:
            console.print()
        after_heading = isinstance(block, Heading)
        if isinstance(block, Heading):
            console.print(Text("\n".join(wrap_cells(block.text, width)), style="bold"))
        elif isinstance(block, Para):
            console.print(Text("\n".join(wrap_cells(block.text, width))))
        elif isinstance(block, Columns):
            for kind, line in table_lines(block, width):
                text = Text(line)
                if kind == "title":
                    text.stylize("bold")
                elif kind == "header":
                    text.stylize("underline", len(INDENT))
                elif kind == "term":
                    name = len(line) - len(line.lstrip())
                    end = line.find("  ", name)
                    text.stylize("cyan", name, end if end > 0 else len(line))
                console.print(text)
        elif isinstance(block, Tree):
            tree = RichTree(Text("\n".join(wrap_cells(block.title, width)), style="bold"))
            nodes = {-1: tree}
            for depth, item in block.items:
                nodes[depth] = nodes[depth - 1].add(Text(item))
            console.print(tree)
    return out.getvalue()
