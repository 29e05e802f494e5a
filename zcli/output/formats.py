"""The output formats: a reply (the API's body less ``schema``) as text.

Each format's pieces (a header, some rows) are functions here, so that :mod:`zcli.output.stream`
writes a stream of pages with exactly the text :func:`render` gives for one reply. PyYAML and the table
modules are imported only by the formats that use them: ``-o json`` pays for ``json`` alone.
"""

from __future__ import annotations

import json
from typing import Any

from zcli.options import FORMATS, OutputFormat
from zcli.output.columns import data_columns, flat_rows, reply_rows, strip_schema
from zcli.output.safe import document_text, json_escape

NO_RESULTS = "(no results)\n"
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


#: The format a file's suffix names (``save N FILE``); a name without a suffix gets JSON.
SUFFIX_FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".tsv": "tsv",
                  ".jsonl": "jsonl", ".ndjson": "jsonl"}


def format_for_file(name: str) -> str:
    """The format to save a result in, from the file's suffix: ``.yml`` and ``.yaml`` YAML, ``.json``,
    ``.csv``, ``.tsv``, ``.jsonl``/``.ndjson``; no suffix JSON.

    Raises:
        UsageError: a suffix that names none of them (``.xlsx``), with the known ones.
    """
    import os.path

    suffix = os.path.splitext(name)[1].lower()
    if not suffix:
        return "json"
    if suffix in SUFFIX_FORMATS:
        return SUFFIX_FORMATS[suffix]
    from zcli.errors import UsageError

    known = ", ".join(SUFFIX_FORMATS)
    raise UsageError(f"cannot tell a format from '{suffix}': name the file {known} (or no suffix: json)", word=name)


def check_format(fmt: str) -> OutputFormat:
    """``fmt`` as an :class:`~zcli.options.OutputFormat`; else a UsageError naming the close ones."""
    if fmt in FORMATS:
        return OutputFormat(fmt)
    import difflib

    from zcli.errors import UsageError

    raise UsageError(f"unknown output format {fmt!r}: choose one of {', '.join(FORMATS)}", word=fmt,
                     suggestions=difflib.get_close_matches(fmt, FORMATS, n=3, cutoff=0.5))


def json_text(value: Any) -> str:
    """Indented JSON with non-ASCII characters as text (but C1, bidi and invisible ones as ``\\uXXXX``),
    and a final newline."""
    return json_escape(json.dumps(value, indent=2, ensure_ascii=False)) + "\n"


def compact_json_text(value: Any) -> str:
    """One line of JSON, escaped as :func:`json_text` is."""
    return json_escape(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def yaml_text(value: Any) -> str:
    """YAML in block style, keys in the reply's order, non-ASCII characters as text.

    A reply nested as deep as zcli reads (:data:`zcli.api.limits.MAX_DEPTH`) takes PyYAML's representer
    several Python frames a level: it gets the room (:func:`zcli.output.depth.deep_room`).
    """
    import yaml

    from zcli.output.depth import deep_room

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with deep_room():
        return yaml.dump(value, Dumper=dumper, allow_unicode=True, sort_keys=False, default_flow_style=False)


def jsonl_lines(rows: list) -> str:
    """One compact JSON document a line."""
    return "".join(compact_json_text(row) + "\n" for row in rows)


def _fields(row: Any, columns: list[str]) -> list[str]:
    """A row's fields: a map's by ``columns``; a list's items (``--query 'inventories[].[name,uuid]'``
    gives rows that are lists, printed as columns, as aws-cli's text output does); else the value itself."""
    from zcli.output.cells import flat_text  # csv, tsv and value alone: -o json never loads it

    if isinstance(row, dict) and columns:
        return [flat_text(row.get(c)) for c in columns]
    if isinstance(row, list):
        return [flat_text(v) for v in row]
    return [flat_text(row)]


def delimited_header(fmt: str, columns: list[str]) -> str:
    """The header line of csv or tsv output; "" when there are no columns (rows of scalars)."""
    return delimited_lines(fmt, [dict(zip(columns, columns, strict=True))], columns) if columns else ""


def csv_field(text: str) -> str:
    """One csv field, quoted as RFC 4180 asks when it holds a comma, a quote, a line feed or a carriage
    return (Python's csv module leaves a bare CR unquoted when lines end in LF alone)."""
    if any(ch in text for ch in _CSV_SPECIAL):
        return '"' + text.replace('"', '""') + '"'
    return text


_CSV_SPECIAL = (",", '"', "\n", "\r")


def _csv_line(fields: list[str]) -> str:
    if fields == [""]:  # a lone empty field is quoted, so the line is not taken for a blank one
        return '""\n'
    return ",".join(map(csv_field, fields)) + "\n"


def delimited_lines(fmt: str, rows: list, columns: list[str]) -> str:
    """Rows as csv (RFC 4180 quoting) or tsv (backslash escapes, as PostgreSQL's text format)."""
    if fmt == "tsv":
        return "".join("\t".join(f.translate(_TSV_ESCAPES) for f in _fields(row, columns)) + "\n" for row in rows)
    return "".join(_csv_line(_fields(row, columns)) for row in rows)


def value_lines(rows: list, columns: list[str]) -> str:
    """One line a row: its values, tab-separated, escaped as tsv's (a newline or tab in a value must not
    break the one-row-a-line shape scripts read)."""
    return "".join("\t".join(f.translate(_TSV_ESCAPES) for f in _fields(row, columns)) + "\n" for row in rows)


def cell_lines(values: list) -> str:
    """Values a line each, as table cells (a table of rows that are not maps): nothing reaches a
    terminal unescaped."""
    from zcli.output.cells import cell_text

    return "".join(cell_text(v) + "\n" for v in values)


def chosen_columns(fields: list[str]) -> list[tuple[str, int]]:
    """Table columns for the fields a command named (``fields=``): in that order, the first mattering most."""
    return [(name, i) for i, name in enumerate(fields)]


def row_count(shown: int, total: object = None) -> str:
    """The line under a table: ``20 rows``, ``1 row``, or with the reply's ``total`` (``replyWithCount``)
    ``showing 20 of 1,200``."""
    if total is not None:
        of = f"{total:,}" if isinstance(total, int) and not isinstance(total, bool) else str(total)
        return f"showing {shown:,} of {of}\n"
    return f"{shown:,} row{'' if shown == 1 else 's'}\n"


def table_text(rows: list[dict], *, inventory: str | None, width: int, color: bool, catalog,
               fields: list[str] | None, columns: list[tuple[str, int]] | None = None) -> str:
    """Rows (maps, two or more) as a table; a lone row as a record. Byte counts show as sizes."""
    from zcli.output.sizes import size_fields

    sizes = size_fields(inventory, catalog)
    if len(rows) == 1:
        from zcli.output.record import render_record

        row = {name: rows[0].get(name) for name in fields} if fields else rows[0]
        return render_record(row, width=width, color=color, sizes=sizes)
    from zcli.output.columns import table_columns
    from zcli.output.table import render_table

    if columns is None:
        columns = chosen_columns(fields) if fields else table_columns(rows, inventory, catalog)
    return render_table(rows, columns, width=width, color=color, sizes=sizes)


def _table(reply: Any, inventory: str | None, width: int, color: bool, catalog, fields: list[str] | None) -> str:
    from zcli.output.record import render_record

    rows = reply_rows(reply)
    if rows is None:
        if isinstance(reply, dict):
            return render_record(reply, width=width, color=color)
        return cell_lines([reply])
    counted = isinstance(reply, list) or (isinstance(reply, dict) and "inventory" not in reply)
    if not rows:
        text = NO_RESULTS
    elif not all(isinstance(row, dict) for row in rows):
        text = cell_lines(rows)
        counted = False  # values a --query picked, one a line: for reading or for a script, as they are
    else:
        if isinstance(reply, dict) and "inventory" in reply:  # an action's one record: its fields are known
            from zcli.output.sizes import size_fields

            return render_record(rows[0], width=width, color=color, sizes=size_fields(inventory, catalog))
        text = table_text(rows, inventory=inventory, width=width, color=color, catalog=catalog, fields=fields)
    total = reply.get("total") if isinstance(reply, dict) else None
    if total is not None:
        text += row_count(len(rows), total)
    elif counted and rows:
        text += row_count(len(rows))
    return text


def render(reply: Any, fmt: str, *, inventory: str | None = None, width: int = 80, color: bool = False,
           catalog=None, fields: list[str] | None = None, terminal: bool = False) -> str:
    """A reply as text in one of :data:`FORMATS`, ending with a newline unless it is empty.

    Args:
        reply: the API's body (its ``schema`` map, if any, is left out), or what ``--query`` made of it.
        fmt: table, json, yaml, csv, tsv, jsonl or value.
        inventory: the rows' inventory (e.g. ``VmInstanceInventory``): the catalogue's field order
            then sets the columns; without it they come from the rows.
        width: the terminal's width in cells (tables and records fit it).
        color: ANSI colours in tables (bold header, coloured states); no escape code at all when False.
        catalog: the catalogue already loaded, if any (else one is loaded when the inventory is used).
        fields: the fields the command asked for (``fields=``): then exactly these are the columns of
            table, csv, tsv and value output, in this order (the server leaves null fields out of rows).
        terminal: the text goes to a terminal: control, bidi and invisible characters in it are shown as
            escapes (:mod:`zcli.output.safe`); else csv, tsv, value and yaml keep the data exact. Tables
            and records escape them always, JSON and jsonl escape C1, bidi and invisible ones always.

    Raises:
        UsageError: ``fmt`` is not a known format.
    """
    fmt = check_format(fmt)
    reply = strip_schema(reply)
    if fmt == "table":
        return _table(reply, inventory, width, color, catalog, fields)
    text = _document(reply, fmt, inventory, catalog, fields)
    return document_text(text) if terminal else text


def for_terminal(text: str, fmt: str, terminal: bool) -> str:
    """A piece of ``fmt`` output made safe when it goes to a terminal (tables are safe as they are)."""
    return document_text(text) if terminal and fmt != "table" else text


def _document(reply: Any, fmt: str, inventory: str | None, catalog, fields: list[str] | None) -> str:
    if fmt == "json":
        return json_text(reply)
    if fmt == "yaml":
        return yaml_text(reply)
    rows = flat_rows(reply)
    if fmt == "jsonl":
        return jsonl_lines(rows)
    columns = list(fields) if fields else data_columns(rows, inventory, catalog)
    if fmt == "value":
        return value_lines(rows, columns)
    return delimited_header(fmt, columns) + delimited_lines(fmt, rows, columns)
