"""Reading a batch's lines with bounds: a line is at most :data:`zcli.limits.MAX_LINE` characters (``-f
/dev/zero`` or an endless line stops with an error instead of growing to gigabytes), and a UTF-8
byte-order mark at the start is ignored (editors on Windows write one)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from zcli.errors import UsageError
from zcli.limits import MAX_LINE

BOM = "\ufeff"


def read_lines(stream: TextIO, name: str, limit: int = MAX_LINE) -> Iterator[str]:
    """The lines of ``stream`` (named ``name`` in errors), each with its line break.

    Raises:
        UsageError: a line is longer than ``limit`` characters (nothing of it is run).
    """
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not (len(line) == limit + 1 and line.endswith("\n")):
            raise UsageError(f"{name}:{number}: the line is longer than {limit} characters, zcli's limit "
                             "for one command")
        if number == 1 and line.startswith(BOM):
            line = line[1:]
        yield line
