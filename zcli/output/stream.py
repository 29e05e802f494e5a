"""Streaming output for ``--all``: each page is written as it arrives, and forgotten.

Memory stays constant whatever the number of pages: jsonl, csv, tsv and value write rows (csv and
tsv their header once, with the columns of the first page); json writes one valid document,
``{"inventories": [...]}``, item by item, the same text :func:`zcli.output.render` gives for the whole
list; yaml likewise. A table is the exception: its widths must come from every row (a name on a later
page is not cut to fit the first page's widths), so it takes its columns from the first page, gathers the
texts of those columns alone (not the rows) page by page, and is written at the end, with its row count,
the same text ``render`` gives for the whole list (a single row is a record).
"""

from __future__ import annotations

import json
from typing import TextIO

from zcli.output.columns import data_columns
from zcli.output.formats import (
    NO_RESULTS,
    cell_lines,
    check_format,
    delimited_header,
    delimited_lines,
    for_terminal,
    json_text,
    jsonl_lines,
    value_lines,
    yaml_text,
)

_JSON_OPEN = '{\n  "inventories": [\n'
_JSON_CLOSE = "\n  ]\n}\n"
_JSON_EMPTY = '{\n  "inventories": []\n}\n'


class StreamWriter:
    """Writes pages of rows to ``out`` in one format; call :meth:`close` after the last page.

    Args:
        fmt: table, json, yaml, csv, tsv, jsonl or value.
        out: where the text goes (flushed after each page).
        inventory: the rows' inventory, for the catalogue's column order.
        width: the terminal's width in cells (tables).
        color: ANSI colours in tables.
        catalog: the catalogue already loaded, if any.
        fields: the fields the command asked for (``fields=``): exactly the columns, in this order.
        terminal: ``out`` is a terminal: server text is shown safe (see :func:`zcli.output.render`).

    Raises:
        UsageError: ``fmt`` is not a known format.
    """

    def __init__(self, fmt: str, out: TextIO, *, inventory: str | None = None, width: int = 80,
                 color: bool = False, catalog=None, fields: list[str] | None = None, terminal: bool = False):
        self.fmt = check_format(fmt)
        self.terminal = terminal
        self.fields = list(fields) if fields else None
        self.out = out
        self.inventory = inventory
        self.width = width
        self.color = color
        self.catalog = catalog
        self.count = 0
        self.total: int | None = None  # the reply's ``total`` (replyWithCount=true), written at the end
        self._columns: list[str] | None = None
        self._table_columns: list[tuple[str, int]] | None = None
        self._cells = None  # a table's texts, gathered to the end (zcli.output.table.Cells)
        self._first: dict | None = None  # a table's first row, shown as a record when it is the only one
        self._closed = False

    def __enter__(self) -> StreamWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def write(self, items: list) -> None:
        """Write one page of rows (inventories)."""
        if self._closed:
            raise ValueError("StreamWriter is closed")
        items = list(items)
        if not items:
            return
        text = getattr(self, f"_page_{self.fmt}")(items)
        self.count += len(items)
        self._emit(text)

    def close(self) -> None:
        """Finish the output (close the JSON document, show a lone row as a record); idempotent."""
        if self._closed:
            return
        self._closed = True
        text = ""
        if self.fmt == "json":
            text = _JSON_CLOSE if self.count else _JSON_EMPTY
            if self.total is not None:  # the same text as render() of {"inventories": [...], "total": N}
                text = text[:-3] + f',\n  "total": {json.dumps(self.total)}\n}}\n'
        elif self.fmt == "yaml":
            text = "" if self.count else "inventories: []\n"
            if self.total is not None:
                text += yaml_text({"total": self.total})
        elif self.fmt == "table":
            text = self._finish_table()
            if self.total is not None:
                from zcli.output.formats import row_count

                text += row_count(self.count, self.total)
        self._emit(text)

    def _emit(self, text: str) -> None:
        if text:
            self.out.write(for_terminal(text, self.fmt, self.terminal))
            flush = getattr(self.out, "flush", None)
            if flush:
                flush()

    def _page_json(self, items: list) -> str:
        docs = ",\n".join("    " + json_text(item).rstrip("\n").replace("\n", "\n    ") for item in items)
        return (_JSON_OPEN if not self.count else ",\n") + docs

    def _page_yaml(self, items: list) -> str:
        return ("" if self.count else "inventories:\n") + yaml_text(items)

    def _page_jsonl(self, items: list) -> str:
        return jsonl_lines(items)

    def _data_columns(self, items: list) -> tuple[list[str], str]:
        if self._columns is not None:
            return self._columns, ""
        self._columns = self.fields or data_columns(items, self.inventory, self.catalog)
        header = "" if self.fmt == "value" else delimited_header(self.fmt, self._columns)
        return self._columns, header

    def _page_csv(self, items: list) -> str:
        columns, header = self._data_columns(items)
        return header + delimited_lines(self.fmt, items, columns)

    _page_tsv = _page_csv

    def _page_value(self, items: list) -> str:
        return value_lines(items, self._data_columns(items)[0])

    def _page_table(self, items: list) -> str:
        dicts = [row for row in items if isinstance(row, dict)]
        text = cell_lines([row for row in items if not isinstance(row, dict)])  # values a line each, at once
        if not dicts:
            return text
        if self._cells is None:
            from zcli.output.columns import table_columns
            from zcli.output.formats import chosen_columns
            from zcli.output.sizes import size_fields
            from zcli.output.table import Cells

            columns = chosen_columns(self.fields) if self.fields else table_columns(dicts, self.inventory, self.catalog)
            self._table_columns = columns
            self._cells = Cells([key for key, _ in columns], size_fields(self.inventory, self.catalog))
            self._first = dicts[0]
        self._cells.add(dicts)
        return text

    def _finish_table(self) -> str:
        from zcli.output.formats import row_count, table_text

        cells = self._cells
        if cells is None:
            return "" if self.count else NO_RESULTS
        shown = len(cells.texts)
        if shown == 1:
            text = table_text([self._first], inventory=self.inventory, width=self.width, color=self.color,
                              catalog=self.catalog, fields=self.fields)
        else:
            from zcli.output.table import Table

            text = Table(self._table_columns, cells, width=self.width, color=self.color).text()
        self._cells = self._first = None
        return text + ("" if self.total is not None else row_count(shown))
