"""From a result to text: the ``--query`` (JMESPath) projection, the format, and the pages of ``--all``.

The output package renders; this module decides what to hand it. ``jmespath`` is imported only when
``--query`` is given, and the renderers only when something is printed.
"""

# Annotations are evaluated here, not kept as strings (no `from __future__ import annotations`):
# typing.NamedTuple compiles each string annotation of its fields, which start-up pays for.

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from zcli.commands.context import Result
from zcli.errors import UsageError
from zcli.options import OutputFormat


class View(NamedTuple):
    """What rendering needs besides the result: the catalogue, the width, colour, the endpoint, and whether
    the text goes to a terminal (server text in it is then shown safe, :mod:`zcli.output.safe`)."""

    catalog: Any
    width: int = 80
    color: bool = False
    endpoint: str = ""
    terminal: bool = False


def choose_format(output: OutputFormat | None, terminal_output: OutputFormat | None, isatty: bool) -> OutputFormat:
    """The output format, decided once for both faces: the one asked for (``-o``, ``ZCLI_OUTPUT``, the
    shell's ``set output``) wherever stdout goes; on a terminal, else the config file's, else a table;
    when stdout is not a terminal, JSON (what a user set for their terminal does not change what scripts get)."""
    if output is not None:
        return OutputFormat(output)
    if isatty:
        return OutputFormat(terminal_output or OutputFormat.TABLE)
    return OutputFormat.JSON


def compile_query(expression: str | None) -> Any:
    """A compiled JMESPath expression, or None.

    Raises:
        UsageError: the expression does not parse (checked before anything is sent).
    """
    if not expression:
        return None
    import jmespath

    try:
        return jmespath.compile(expression)
    except jmespath.exceptions.JMESPathError as exc:
        reason = " ".join(str(exc).split())
        raise UsageError(f"--query '{expression}' is not JMESPath: {reason}", word=expression) from None


def project(query: Any, reply: dict) -> Any:
    """``reply`` through the compiled ``query`` (None: unchanged).

    Raises:
        UsageError: the expression fails on this reply (``abs(inventories)``: a function given the wrong type).
    """
    if query is None:
        return reply
    import jmespath

    try:
        return query.search(reply)
    except jmespath.exceptions.JMESPathError as exc:  # the message quotes the whole value: say what failed
        raise UsageError(f"--query '{query.expression}' failed on the reply: {_query_reason(exc)}",
                         word=query.expression) from None


def _query_reason(exc: Exception) -> str:
    """The reason of a JMESPath runtime error in a few words, without the value it was given."""
    import jmespath

    if isinstance(exc, jmespath.exceptions.ArityError):
        return f"{exc.function_name}() takes {exc.expected_arity} argument(s), not {exc.actual_arity}"
    if isinstance(exc, jmespath.exceptions.VariadictArityError):
        return f"{exc.function_name}() takes at least {exc.expected_arity} argument(s)"
    if isinstance(exc, jmespath.exceptions.JMESPathTypeError):
        return (f"{exc.function_name}() expects {', '.join(exc.expected_types)}, "
                f"not {exc.actual_type}")
    if isinstance(exc, jmespath.exceptions.UnknownFunctionError):
        return " ".join(str(exc).split())[:200]
    return type(exc).__name__


def format_result(result: Result, view: View, fmt: OutputFormat, query: Any = None) -> str:
    """The text of ``result`` in ``fmt`` (ending with a newline; empty when there is nothing to show).

    With a ``--query``, its value is rendered as it is (a list, a value) and the columns come from it.
    A table of an empty reply (``LogOut``, most deletes) is a short confirmation, so that a person sees
    that it was done; the other formats print the reply as it is (``{}`` in JSON) for scripts.
    ``view.terminal``: the text goes to a terminal, so server text in it is shown safe (:mod:`zcli.output.safe`).
    """
    from zcli.output import render

    if fmt == OutputFormat.TABLE and query is None and result.reply == {}:
        return confirmation(result, view)
    if fmt == OutputFormat.TABLE and query is None and result.api.name == "ZQLQuery":  # one table a statement
        from zcli.zql.present import render_zql

        return render_zql(result.reply, getattr(result, "statements", None), width=view.width, color=view.color,
                          catalog=view.catalog, terminal=view.terminal)
    value = project(query, result.reply)
    inventory = None if query is not None else result.inventory
    fields = None if query is not None else result.fields  # a --query makes its own columns
    return render(value, fmt, inventory=inventory, width=view.width, color=view.color, catalog=view.catalog,
                  fields=fields, terminal=view.terminal)


def default_limit_note(words: list[str], result: Result) -> str | None:
    """A note for stderr when a query named no ``limit=`` and got exactly the server's default page
    (1000 rows): more rows may exist, and nothing else would say so."""
    from zcli.commands.execute import PAGE_SIZE

    if not result.api.query or any(w.partition("=")[0].strip() == "limit" for w in words[1:]):
        return None
    rows = result.reply.get("inventories")
    if not isinstance(rows, list) or len(rows) != PAGE_SIZE:
        return None
    return f"showing the first {PAGE_SIZE} rows (the server's default); use --all or limit=/start="


def confirmation(result: Result, view: View) -> str:
    """One line saying that a command with nothing to show was done."""
    if result.api.name == "LogOut":
        return f"logged out of {view.endpoint}\n"
    return f"{result.api.name}: done\n"


class _Chunks:
    """A write-only text stream that hands on what was written since last asked."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


def page_texts(pages: Iterable[Result], view: View, fmt: OutputFormat, query: Any = None) -> Iterator[str]:
    """The text of an ``--all`` run, page by page: joined, the text the whole result would give without ``--all``.

    Without ``--query``, each page's text comes as the page arrives (one page in memory at a time); a
    ``total`` (``replyWithCount=true``) is kept. With ``--query``, the pages are collected into one reply
    and the query is applied once, to the whole (``length(inventories)`` counts them all): that buffers
    the result. A reply with no rows to page through (``count=true``) is given as it is.
    """
    if query is not None:
        whole = _collect(pages)
        if whole is not None:
            yield format_result(whole, view, fmt, query)
        return
    from zcli.output import StreamWriter

    out = _Chunks()
    writer = None
    try:
        for result in pages:
            items = result.reply.get("inventories")
            if not isinstance(items, list):  # count=true: nothing to page through
                yield format_result(result, view, fmt)
                return
            if writer is None:
                writer = StreamWriter(fmt, out, inventory=result.inventory, width=view.width, color=view.color,
                                      catalog=view.catalog, fields=result.fields, terminal=view.terminal)
            if "total" in result.reply:
                writer.total = result.reply["total"]
            writer.write(items)
            text = out.take()
            if text:
                yield text
    finally:
        if writer is not None:
            writer.close()
    tail = out.take()
    if tail:
        yield tail


def _collect(pages: Iterable[Result]) -> Result | None:
    """The pages as one result: the first page's reply with every page's rows; None when there is none."""
    whole = None
    rows: list = []
    for result in pages:
        if whole is None:
            whole = result
        items = result.reply.get("inventories")
        if not isinstance(items, list):  # count=true: one reply, as it is
            return result
        rows.extend(items)
    if whole is not None:
        whole = Result(whole.api, {**whole.reply, "inventories": rows}, whole.inventory, whole.fields)
    return whole
