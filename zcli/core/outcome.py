"""What running one line gives a face: frozen run options in, an :class:`Outcome` out."""

# Annotations are evaluated here, not kept as strings (no `from __future__ import annotations`):
# typing.NamedTuple compiles each string annotation of its fields, which start-up pays for.

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from zcli.options import OutputFormat
from zcli.record import Factory, Record


class RunOptions(NamedTuple):
    """How commands run and print. Frozen: a line's own options make a copy (:meth:`with_line`).

    Attributes:
        output: the format asked for (``-o``, ``ZCLI_OUTPUT``, ``set output``), used wherever stdout goes.
        terminal_output: the config file's format, used on a terminal only.
        query: a JMESPath expression applied to each reply, or None.
        all: follow ``limit``/``start`` pages to the end.
        validate: check names against the catalogue before sending.
        color: colour the output.
        debug: show HTTP exchanges and tracebacks of internal errors.
    """

    output: OutputFormat | None = None
    terminal_output: OutputFormat | None = None
    query: str | None = None
    all: bool = False
    validate: bool = True
    color: bool = False
    debug: bool = False

    def with_line(self, overrides: dict[str, Any]) -> "RunOptions":
        """These options with a line's own (settings by name, from :func:`zcli.options.split_line_options`)."""
        if not overrides:
            return self
        if overrides.get("output") is not None:
            from zcli.config import check_format

            overrides = {**overrides, "output": check_format(overrides["output"])}
        return self._replace(**overrides)


class Outcome(Record):
    """What one command gave: its text (or its pages, for ``--all``) and the notes for stderr.

    Attributes:
        fmt: the format the text is in.
        text: the whole text, when not paged.
        pages: the texts of the pages as they come (``--all``); iterating runs the requests.
        notes: lines for stderr (more rows may exist...), said after the text.
        result: the result, when there is one (the shell keeps it for ``more`` and ``save``).
    """

    fmt: OutputFormat
    text: str = ""
    pages: Iterable[str] | None = None
    notes: list[str] = Factory(list)
    result: Any = None

    def chunks(self) -> Iterator[str]:
        """The text, in the pieces it comes in."""
        if self.pages is None:
            if self.text:
                yield self.text
            return
        yield from self.pages
