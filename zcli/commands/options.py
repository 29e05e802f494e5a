"""The global options of the one-shot face, declared once, and a parser for the plain case.

:mod:`zcli.cli` builds its click command from :data:`OPTIONS` (help, error messages, ``--version``).
:func:`parse_plain` reads the common case (known options, each with a plain value, around the API's
words) without importing click: a one-shot command's start-up time is a feature, and click with what it
pulls in (inspect, uuid, platform, difflib) costs about a fifth of it. Whatever :func:`parse_plain` is
not sure of (``--help``, ``--version``, an unknown option, a missing or bad value, ``--``, ``-ojson``)
it leaves to click, so users see click's messages and both parsers agree on what they both accept
(tests/integration/test_cli_argv.py checks that).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from zcli.output.formats import FORMATS


class Option(NamedTuple):
    """One global option.

    Attributes:
        dest: the name its value is passed under.
        flags: its spellings, e.g. ``("-H", "--host")``.
        kind: ``flag`` (no value), ``text``, ``port`` (1-65535), ``seconds`` (a number) or ``format``
            (one of the output formats).
        metavar: what help shows for its value, when not the kind's default.
        help: one line of help.
    """

    dest: str
    flags: tuple[str, ...]
    kind: str
    metavar: str | None
    help: str


OPTIONS: tuple[Option, ...] = (
    Option("host", ("-H", "--host"), "text", None, "Management node host (default localhost)."),
    Option("port", ("-p", "--port"), "port", None, "Management node port (default 8080)."),
    Option("url", ("--url",), "text", None,
           "Whole base URL, e.g. https://mn.example.com:8443/zstack (wins over host and port)."),
    Option("profile", ("--profile",), "text", "NAME", "A profile of the config file."),
    Option("output", ("-o", "--output"), "format", None,
           "Output format (default: table on a terminal, json when piped)."),
    Option("query", ("--query",), "text", "JMESPATH", "JMESPath expression applied to the reply before printing."),
    Option("all", ("--all",), "flag", None,
           "Follow limit/start pages to the end, streaming (with --query: buffers the pages, then queries "
           "the whole)."),
    Option("timeout", ("--timeout",), "seconds", "SECONDS", "Seconds the whole command may take; 0: no limit."),
    Option("insecure", ("--insecure",), "flag", None, "Do not verify TLS certificates."),
    Option("ca_bundle", ("--ca-bundle",), "text", "FILE", "CA bundle to verify TLS certificates with."),
    Option("no_color", ("--no-color",), "flag", None, "No colours (also NO_COLOR=1)."),
    Option("no_validate", ("--no-validate",), "flag", None, "Send names the catalogue does not know."),
    Option("debug", ("--debug",), "flag", None, "Show HTTP exchanges (secrets masked) and tracebacks."),
    Option("batch", ("-f", "--file"), "text", "FILE", "Run a batch: one command a line (- reads stdin)."),
    Option("keep_going", ("--keep-going",), "flag", None,
           "Batch: go on after a failure (exit with the first one's status)."),
    Option("demo", ("--demo",), "flag", None, "Start the embedded simulator, log in as admin, then run."),
)

_BY_FLAG = {flag: option for option in OPTIONS for flag in option.flags}


def defaults() -> dict[str, Any]:
    """Every option's value when it is not given: False for flags, None otherwise."""
    return {o.dest: (False if o.kind == "flag" else None) for o in OPTIONS}


def parse_plain(argv: list[str]) -> tuple[dict[str, Any], list[str]] | None:
    """Split ``argv`` into option values (by ``dest``, see :func:`defaults`) and the command's words.

    Options may come before, between or after the words, as with click. Returns None when click must
    parse ``argv`` instead: help or version asked for, an unknown option, a flag given a value, a value
    missing, starting with ``-`` (other than ``-`` itself, stdin for ``-f``), or not of the option's kind,
    ``--``, or short options run together.
    """
    values = defaults()
    words: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg == "-" or not arg.startswith("-"):
            words.append(arg)
            continue
        name, eq, attached = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        option = _BY_FLAG.get(name)
        if option is None:
            return None
        if option.kind == "flag":
            if eq:
                return None
            values[option.dest] = True
            continue
        if eq:
            raw = attached
        elif i < len(argv) and (argv[i] == "-" or not argv[i].startswith("-")):
            raw = argv[i]
            i += 1
        else:
            return None
        value = convert(option.kind, raw)
        if value is None:
            return None
        values[option.dest] = value
    return values, words


#: The options a shell or batch line may carry (for that line alone), by ``dest``, and the
#: :class:`~zcli.commands.Context` attribute each sets (``--no-validate`` sets ``validate`` to False).
LINE_OPTIONS = {"output": "output", "query": "query", "all": "all", "no_validate": "validate"}
_LINE_FLAGS = {flag: o for o in OPTIONS if o.dest in LINE_OPTIONS for flag in o.flags}


def line_option_help() -> dict[str, tuple[str, bool]]:
    """The per-line options' spellings → (their help, whether they take a value), for completion."""
    return {flag: (option.help, option.kind != "flag") for flag, option in _LINE_FLAGS.items()}


def split_line_options(words: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Take the per-line options (:data:`LINE_OPTIONS`) out of a shell or batch line's ``words``.

    ``QueryZone fields=name -o value`` gives ``({"output": "value"}, ["QueryZone", "fields=name"])``: the
    first map holds :class:`~zcli.commands.Context` attributes to use for this line (see :func:`applied`).
    Other words, a command's ``key=value`` ones and any other option, are left as they are (the grammar
    says what is wrong with them).

    Raises:
        UsageError: an option lacks its value, or the value is not of its kind (an unknown format).
    """
    from zcli.errors import UsageError

    overrides: dict[str, Any] = {}
    rest: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        name, eq, attached = word.partition("=") if word.startswith("--") else (word, "", "")
        option = _LINE_FLAGS.get(name)
        if option is None:
            rest.append(word)
            continue
        attr = LINE_OPTIONS[option.dest]
        if option.kind == "flag":
            if eq:
                raise UsageError(f"{name} takes no value", word=word)
            overrides[attr] = option.dest != "no_validate"
            continue
        if eq:
            raw = attached
        elif i < len(words):
            raw = words[i]
            i += 1
        else:
            raise UsageError(f"{name} needs a value", word=word)
        if option.kind == "format":
            from zcli.output.formats import check_format

            raw = check_format(raw)
        overrides[attr] = raw
    return overrides, rest


@contextmanager
def applied(ctx: Any, overrides: dict[str, Any]) -> Iterator[Any]:
    """``ctx`` with ``overrides`` (from :func:`split_line_options`) set for the ``with`` block, then as it was.

    The context itself is changed, not a copy, so that what the line does to it (a log-in) stays.
    """
    saved = {attr: getattr(ctx, attr) for attr in overrides}
    for attr, value in overrides.items():
        setattr(ctx, attr, value)
    try:
        yield ctx
    finally:
        for attr, value in saved.items():
            setattr(ctx, attr, value)


def convert(kind: str, raw: str) -> Any:
    """``raw`` as a value of ``kind``, or None when it is not one (click then says why)."""
    if kind == "text":
        return raw
    if kind == "format":
        return raw if raw in FORMATS else None
    try:
        number = int(raw) if kind == "port" else float(raw)
    except ValueError:
        return None
    if kind == "port" and not 1 <= number <= 65535:
        return None
    return number
