"""The one table of zcli's options, and everything derived from it. A leaf: it imports the standard library alone.

From :data:`OPTIONS` come click's options (:func:`zcli.cli.build_command`), the plain fast parser
(:func:`parse_plain`), the config-file keys (:data:`CONFIG_KEYS`) and environment variables
(:data:`ENV_VARS`) that :mod:`zcli.config` reads, the options a shell or batch line may carry
(:func:`split_line_options`), and the completion of options (:mod:`zcli.completion.oneshot`, the shell's
menu and highlighting through :func:`line_option_help`). ``tests/unit/test_layers.py`` fails when an
option is declared anywhere else.

:func:`parse_plain` reads the common case (known options, each with a plain value, around the API's
words) without importing click: a one-shot command's start-up time is a feature, and click with what it
pulls in costs about a fifth of it. Whatever it is not sure of (``--help``, ``--version``, an unknown
option, a missing or bad value, ``--``, ``-ojson``) it leaves to click, so users see click's messages and
both parsers agree on what they both accept (tests/integration/test_cli_argv.py checks that).
"""

# Annotations are evaluated here, not kept as strings (no `from __future__ import annotations`):
# typing.NamedTuple compiles each string annotation of its fields, which start-up pays for.

from enum import StrEnum
from typing import Any, NamedTuple


class OutputFormat(StrEnum):
    """The output formats (``-o``). A member compares equal to its name: ``OutputFormat.JSON == "json"``."""

    TABLE = "table"
    JSON = "json"
    YAML = "yaml"
    CSV = "csv"
    TSV = "tsv"
    JSONL = "jsonl"
    VALUE = "value"


#: The format names, in the order help lists them.
FORMATS: tuple[str, ...] = tuple(f.value for f in OutputFormat)


class Kind(StrEnum):
    """What an option takes."""

    FLAG = "flag"  # nothing: given or not
    TEXT = "text"
    PORT = "port"  # 1-65535
    SECONDS = "seconds"  # a number
    FORMAT = "format"  # one of FORMATS
    ACTION = "action"  # click acts on it at once (--help, --version); never a setting


class Option(NamedTuple):
    """One option of the one-shot face.

    Attributes:
        dest: the name its value is passed under (``no_color``).
        flags: its spellings, e.g. ``("-H", "--host")``.
        kind: what it takes.
        metavar: what help shows for its value, when not the kind's default.
        help: one line of help (click's ``--help`` and every completion menu show this same text).
        setting: the setting it gives (:class:`zcli.config.Settings`, the config file's key): ``color`` for
            ``--no-color``; None when it is no setting (``-f``, ``--demo``).
        negates: the flag sets its setting to False (``--no-color``, ``--no-validate``).
        env: the environment variable that stands for it (``ZCLI_HOST``); for a flag, a true value
            (1, true, yes, on) gives it.
        config: the config file (top level or a profile) may set its setting.
        line: a shell or batch line may carry it, for that line alone (``QueryZone -o json``).
    """

    dest: str
    flags: tuple[str, ...]
    kind: Kind
    help: str
    metavar: str | None = None
    setting: str | None = None
    negates: bool = False
    env: str | None = None
    config: bool = False
    line: bool = False

    @property
    def takes_value(self) -> bool:
        return self.kind not in (Kind.FLAG, Kind.ACTION)

    @property
    def files(self) -> bool:
        """Its value is a file name (completion lets the shell complete files)."""
        return self.metavar == "FILE"

    @property
    def choices(self) -> tuple[str, ...]:
        return FORMATS if self.kind is Kind.FORMAT else ()


OPTIONS: tuple[Option, ...] = (
    Option("host", ("-H", "--host"), Kind.TEXT, "Management node host (default localhost).", "HOST",
           setting="host", env="ZCLI_HOST", config=True),
    Option("port", ("-p", "--port"), Kind.PORT, "Management node port (default 8080).", "PORT",
           setting="port", env="ZCLI_PORT", config=True),
    Option("url", ("--url",), Kind.TEXT,
           "Whole base URL, e.g. https://mn.example.com:8443/zstack (wins over host and port).", "URL",
           setting="url", env="ZCLI_URL", config=True),
    Option("profile", ("--profile",), Kind.TEXT, "A profile of the config file.", "NAME",
           setting="profile", env="ZCLI_PROFILE"),
    Option("output", ("-o", "--output"), Kind.FORMAT,
           "Output format (default: table on a terminal, json when piped; the config file's applies on a "
           "terminal only).", "FORMAT", setting="output", env="ZCLI_OUTPUT", config=True, line=True),
    Option("query", ("--query",), Kind.TEXT, "JMESPath expression applied to the reply before printing.",
           "JMESPATH", setting="query", line=True),
    Option("all", ("--all",), Kind.FLAG,
           "Follow limit/start pages to the end, streaming (with --query: buffers the pages, then queries "
           "the whole).", setting="all", line=True),
    Option("timeout", ("--timeout",), Kind.SECONDS, "Seconds the whole command may take; 0: no limit.",
           "SECONDS", setting="timeout", env="ZCLI_TIMEOUT", config=True),
    Option("insecure", ("--insecure",), Kind.FLAG, "Do not verify TLS certificates.",
           setting="insecure", env="ZCLI_INSECURE", config=True),
    Option("ca_bundle", ("--ca-bundle",), Kind.TEXT, "CA bundle to verify TLS certificates with.", "FILE",
           setting="ca_bundle", env="ZCLI_CA_BUNDLE", config=True),
    Option("no_color", ("--no-color",), Kind.FLAG, "No colours (also NO_COLOR=1).",
           setting="color", negates=True, env="NO_COLOR", config=True),
    Option("no_validate", ("--no-validate",), Kind.FLAG, "Send names the catalogue does not know.",
           setting="validate", negates=True, env="ZCLI_NO_VALIDATE", config=True, line=True),
    Option("access_key_id", ("--access-key-id",), Kind.TEXT,
           "Sign requests with this AccessKey instead of a session; its secret comes from ZCLI_ACCESS_KEY_SECRET "
           "or --access-key-secret-file, never from an option.", "ID", setting="access_key_id",
           env="ZCLI_ACCESS_KEY_ID", config=True),
    Option("access_key_secret_file", ("--access-key-secret-file",), Kind.TEXT,
           "A file of mode 0600 holding the AccessKey's secret.", "FILE", setting="access_key_secret_file",
           env="ZCLI_ACCESS_KEY_SECRET_FILE", config=True),
    Option("debug", ("--debug",), Kind.FLAG, "Show HTTP exchanges (secrets masked) and tracebacks.",
           setting="debug", env="ZCLI_DEBUG"),
    Option("batch", ("-f", "--file"), Kind.TEXT,
           "Run a batch: one command a line (- reads stdin); the whole file is read and checked first.", "FILE"),
    Option("keep_going", ("--keep-going",), Kind.FLAG,
           "Batch: go on after a failure (exit with the first one's status)."),
    Option("demo", ("--demo",), Kind.FLAG, "Start the embedded simulator, log in as admin, then run."),
    Option("version", ("--version",), Kind.ACTION, "Print the version and exit."),
    Option("help", ("-h", "--help"), Kind.ACTION, "Show this help and exit."),
)

#: The words a one-shot line may start with besides API names, with their help (completion offers them).
SUBCOMMANDS: dict[str, str] = {
    "help": "list APIs by category; help API: its fields or parameters",
    "completion": "print the completion script for bash, zsh or fish",
    "sim": "run the embedded ZStack simulator as a server",
}

BY_DEST: dict[str, Option] = {o.dest: o for o in OPTIONS}
BY_FLAG: dict[str, Option] = {flag: o for o in OPTIONS for flag in o.flags}
#: The options click and the plain parser read into values (not --help and --version: click acts on those).
VALUE_OPTIONS: tuple[Option, ...] = tuple(o for o in OPTIONS if o.kind is not Kind.ACTION)
#: Setting → the options that give it.
SETTINGS: dict[str, Option] = {o.setting: o for o in OPTIONS if o.setting}
#: Settings only the config file can give (no option stands for them): ``standby_urls``, the other management
#: nodes of a cluster, tried in turn when one cannot be reached (zcli.api.client); ``confirm``, whether the
#: shell asks before destructive APIs (``set confirm on|off`` for a session; one-shot and batches never ask).
FILE_ONLY_KEYS: dict[str, tuple[type, ...]] = {"standby_urls": (list,), "confirm": (bool,)}
#: The keys a config file (top level or a profile) may set, with the Python types each takes.
CONFIG_KEYS: dict[str, tuple[type, ...]] = {
    **{o.setting: {Kind.PORT: (int,), Kind.SECONDS: (int, float), Kind.FLAG: (bool,)}.get(o.kind, (str,))
       for o in OPTIONS if o.config and o.setting},
    **FILE_ONLY_KEYS}
#: Environment variable → its option.
ENV_VARS: dict[str, Option] = {o.env: o for o in OPTIONS if o.env}
#: The spellings a shell or batch line may carry.
LINE_FLAGS: dict[str, Option] = {flag: o for o in OPTIONS if o.line for flag in o.flags}

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def defaults() -> dict[str, Any]:
    """Every option's value when it is not given, by ``dest``: False for flags, None otherwise."""
    return {o.dest: (False if o.kind is Kind.FLAG else None) for o in VALUE_OPTIONS}


def given_settings(values: dict[str, Any]) -> dict[str, Any]:
    """Option values (by ``dest``) as the settings they give, None where not given:
    ``{"no_color": True}`` gives ``{"color": False, ...}``."""
    out: dict[str, Any] = {}
    for o in VALUE_OPTIONS:
        if o.setting is None:
            continue
        value = values.get(o.dest)
        if o.kind is Kind.FLAG:
            value = (not o.negates) if value else None
        out[o.setting] = value
    return out


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
        option = BY_FLAG.get(name)
        if option is None or option.kind is Kind.ACTION:
            return None
        if option.kind is Kind.FLAG:
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


def convert(kind: Kind, raw: str) -> Any:
    """``raw`` as a value of ``kind``, or None when it is not one (click then says why)."""
    if kind is Kind.TEXT:
        return raw
    if kind is Kind.FORMAT:
        return OutputFormat(raw) if raw in FORMATS else None
    try:
        number = int(raw) if kind is Kind.PORT else float(raw)
    except ValueError:
        return None
    if kind is Kind.PORT and not 1 <= number <= 65535:
        return None
    return number


class LineOptionError(ValueError):
    """A per-line option is malformed; ``word`` is the word to blame (the faces make it a usage error)."""

    def __init__(self, message: str, word: str):
        super().__init__(message)
        self.word = word


def split_line_options(words: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Take the per-line options (those with ``line``) out of a shell or batch line's ``words``.

    ``QueryZone fields=name -o value`` gives ``({"output": "value"}, ["QueryZone", "fields=name"])``: the
    map holds settings (``--no-validate`` gives ``validate: False``), ready for ``dataclasses.replace`` of
    the run options. Other words, a command's ``key=value`` ones and any other option, are left as they
    are (the grammar says what is wrong with them). A format is left as typed: the caller checks it.

    Raises:
        LineOptionError: an option lacks its value, or a flag is given one.
    """
    overrides: dict[str, Any] = {}
    rest: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        name, eq, attached = word.partition("=") if word.startswith("--") else (word, "", "")
        option = LINE_FLAGS.get(name)
        if option is None:
            rest.append(word)
            continue
        if option.kind is Kind.FLAG:
            if eq:
                raise LineOptionError(f"{name} takes no value", word)
            overrides[option.setting] = not option.negates
            continue
        if eq:
            raw = attached
        elif i < len(words):
            raw = words[i]
            i += 1
        else:
            raise LineOptionError(f"{name} needs a value", word)
        overrides[option.setting] = raw
    return overrides, rest


def line_option_help() -> dict[str, tuple[str, bool]]:
    """The per-line options' spellings → (their help, whether they take a value), for completion."""
    return {flag: (option.help, option.takes_value) for flag, option in LINE_FLAGS.items()}


def env_flag(raw: str) -> bool | None:
    """A flag's environment variable read as a boolean (1/true/yes/on, 0/false/no/off/empty); None: neither."""
    low = raw.lower()
    if low in TRUE_WORDS:
        return True
    if low in FALSE_WORDS:
        return False
    return None
