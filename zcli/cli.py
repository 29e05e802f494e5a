"""The one-shot face: ``zcli [OPTIONS] API [ARG ...]``, batches, the shell and the demo.

argv → core. The global options (before or after the API; the API's own words are passed through
untouched) are read by :func:`zcli.options.parse_plain` in the common case, and by click, built from the
same table (:data:`zcli.options.OPTIONS`), for help, ``--version`` and every malformed command line
(click's messages). Importing click costs a fifth of a one-shot command's start-up, so the plain path
never does. :mod:`zcli.config` merges the options with the environment and the config file into
settings; a :class:`zcli.core.Core` runs one command or a batch and prints it, or :mod:`zcli.shell` opens
over it (``--demo`` first starts :mod:`zcli.sim` in this process). Failures become one line and an exit
status at the core's one edge (:meth:`zcli.core.report.Report.guard`); ``zcli sim`` and
``zcli completion`` are routed before all that.
"""

from __future__ import annotations

import sys
from typing import Any

from zcli.errors import UsageError

SUMMARY = """A shell and command line for the ZStack cloud REST API.

\b
zcli [OPTIONS] API [ARG ...]   run one API, e.g. zcli QueryVmInstance name~=web
zcli                           the interactive shell (with stdin piped: as -f -)
zcli -f FILE | -f -            a batch, one command a line, # comments; checked
                               whole first: a typo on line 5 stops it before line 1
                               runs (set output, connect, use work there too)
zcli --demo [API ARG ...]      against the embedded simulator
zcli sim [--port 8080]         the simulator as a server
zcli completion bash|zsh|fish  the shell completion script"""

EPILOG = """\b
The APIs: `zcli help` lists them by category, `zcli help WORD` the APIs whose
name holds WORD, `zcli help API` (or `zcli API --help`) one API's parameters
or fields; in the shell (`zcli` alone), Tab completes APIs, fields, operators
and values.
\b
Examples:
  zcli LogInByAccount accountName=admin password=password
  zcli QueryVmInstance state=Running 'cpuNum>=4' -o json
  zcli QueryVmInstance fields=uuid -o value --all
  zcli -f commands.txt --keep-going
\b
Environment: {env}.
Profiles: config.toml in the config folder (ZCLI_CONFIG_DIR); its output
applies on a terminal only. Errors are one line on stderr, "zcli: ...".
Exit statuses: 0 done, 1 API error, 2 bad command line, 3 transport,
4 not logged in, 70 internal error (a bug), 130 interrupted."""


def build_command() -> Any:
    """The click command of the one-shot face, from :data:`zcli.options.OPTIONS`."""
    import textwrap

    import click

    from zcli import __version__
    from zcli.options import BY_DEST, ENV_VARS, FORMATS, VALUE_OPTIONS, Kind

    def callback(words: tuple[str, ...], **values: Any) -> int:
        return start(click.get_current_context().obj, list(words), values)

    kinds = {Kind.PORT: click.IntRange(1, 65535), Kind.SECONDS: float, Kind.FORMAT: click.Choice(FORMATS),
             Kind.TEXT: str}
    decorated = click.argument("words", nargs=-1, type=click.UNPROCESSED, metavar="[API [ARG ...]]")(callback)
    version = BY_DEST["version"]
    decorated = click.version_option(__version__, *version.flags, help=version.help,
                                     message="zcli %(version)s")(decorated)
    for option in reversed(VALUE_OPTIONS):  # decorators stack: the last applied is listed first
        extra: dict[str, Any] = {"is_flag": True} if option.kind is Kind.FLAG else {"type": kinds[option.kind]}
        if option.metavar and option.kind is not Kind.FORMAT:
            extra["metavar"] = option.metavar
        decorated = click.option(*option.flags, option.dest, help=option.help, **extra)(decorated)
    helps = BY_DEST["help"]
    epilog = EPILOG.format(env="\n".join(textwrap.wrap(", ".join(ENV_VARS), 72)))
    return click.command("zcli", help=SUMMARY, epilog=epilog, no_args_is_help=False,
                         context_settings={"help_option_names": list(helps.flags), "max_content_width": 100},
                         )(decorated)


def __getattr__(name: str) -> Any:
    """``zcli.cli.main``: the click command, built on first use (the plain path never needs it)."""
    if name == "main":
        return build_command()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def start(report: Any, words: list[str], values: dict[str, Any]) -> int:
    """Run with the parsed option ``values`` (by ``dest``) and the command's ``words``; the exit status."""
    from zcli.config import config_file, load_config, resolve
    from zcli.options import given_settings

    environment = report.environment
    if values.get("debug"):
        report.debug = True
    settings = resolve(given_settings(values), environment.env, load_config(config_file(environment.env)))
    report.debug = settings.debug
    return dispatch(settings, report, words, batch=values["batch"], keep_going=values["keep_going"],
                    demo=values["demo"])


def dispatch(settings, report, words: list[str], *, batch: str | None, keep_going: bool, demo: bool) -> int:
    """Run what the command line asks for; returns the exit status."""
    from zcli.core import Core

    environment = report.environment
    if batch == "":  # -f '': not "no batch" (that would open the shell or read stdin)
        raise UsageError("-f needs a batch file name, or - for stdin", word="-f")
    if words[:1] == ["help"] and not batch:
        from zcli.catalog import load_catalog
        from zcli.help import help_text

        if len(words) > 2:
            raise UsageError(f"zcli help takes one topic (a category, a word or an API); '{words[2]}' is one too many",
                             word=words[2])
        tty = environment.stdout_isatty  # rich on a terminal, plain text for pipes and files
        color = tty if settings.color is None else settings.color
        environment.write(help_text(load_catalog(environment.env), words[1] if len(words) > 1 else None,
                                    width=min(environment.width, 120), rich=tty, color=color))
        return 0
    if words[:1] == ["whoami"] and not batch and not demo:
        if len(words) > 1:
            raise UsageError("usage: zcli whoami", word=words[1])
        from zcli.commands.whoami import whoami_text

        core = Core.open(environment, settings, report=report)
        environment.write(whoami_text(core.connection, core.format, width=environment.width,
                                      color=core.options.color))
        return 0
    if batch and words:
        raise UsageError(f"-f runs a batch file; the command '{' '.join(words)}' would be ignored", word=words[0])
    if not demo:
        return _run(Core.open(environment, settings, report=report), words, batch=batch, keep_going=keep_going)
    from zcli.commands import execute
    from zcli.sim.server import start_in_thread

    server = start_in_thread()
    try:
        settings = settings.replace(url=server.url)
        core = Core.open(environment, settings, report=report, store=None)  # a throwaway endpoint: no session file
        execute(["LogInByAccount", "accountName=admin", "password=password"], core.connection)
        if not words and not batch and environment.stdin_isatty:
            environment.stderr.write(f"zcli demo: simulator at {server.url}, logged in as admin\n")
        return _run(core, words, batch=batch, keep_going=keep_going)
    finally:
        server.stop()


def _run(core, words: list[str], *, batch: str | None, keep_going: bool) -> int:
    """Run a batch, one command, or (neither given) the interactive shell over ``core``; the exit status."""
    environment = core.environment
    if batch:
        return run_batch_file(core, batch, keep_going=keep_going)
    if words:
        _freeze_what_lasts()
        core.print(core.run(words), pager=True)
        return 0
    if not environment.stdin_isatty:  # piped in (echo ... | zcli): read commands as -f - does, as psql does
        return run_batch_file(core, "-", keep_going=keep_going)
    from zcli.shell.app import run_shell

    status = int(run_shell(core) or 0)
    _ignore_late_interrupts()
    return status


def _freeze_what_lasts() -> None:
    """When the process froze its start-up (:func:`zcli.__main__.main`), freeze what opening the core added too
    (the modules, the catalogue, the client): it lasts until the command ends, and the collector need not walk
    it while the reply is read and printed. Never in a process that did not (tests run the CLI in theirs)."""
    import gc

    if gc.get_freeze_count():
        gc.freeze()


def _ignore_late_interrupts() -> None:
    """The user has left the shell: a Ctrl-C while the process winds down (the demo's simulator
    stopping) must not turn a normal exit into "interrupted" (130). A handler that does nothing, not
    ``SIG_IGN`` (which programs started later would inherit); :func:`run` puts the old one back."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        _REPLACED_SIGINT.append(signal.signal(signal.SIGINT, lambda signum, frame: None))


#: The SIGINT handlers :func:`_ignore_late_interrupts` replaced, put back when :func:`run` returns (nothing
#: else on the way changes it: the shell puts its own back), so that a plain command never imports signal.
_REPLACED_SIGINT: list[Any] = []


def _restore_interrupts() -> None:
    while _REPLACED_SIGINT:
        previous = _REPLACED_SIGINT.pop()
        if previous is not None:
            import signal

            signal.signal(signal.SIGINT, previous)


def run_batch_file(core, source: str, *, keep_going: bool) -> int:
    """Run the batch file ``source`` (``-`` for stdin) over ``core``; the status of the first failure, or 0."""
    from functools import partial

    from zcli.commands.lines import read_lines
    from zcli.core.batch import run_batch_lines
    from zcli.shell.builtins import BUILTINS

    name = "stdin" if source == "-" else source
    run_batch = partial(run_batch_lines, core, name=name, shell_builtins=BUILTINS)

    if not source:
        raise UsageError("-f needs a batch file name, or - for stdin", word="-f")
    try:
        if source == "-":
            return run_batch(read_lines(core.environment.stdin, name), keep_going=keep_going, stdin_is_batch=True)
        try:
            fh = open(source, encoding="utf-8")  # noqa: SIM115 - closed below, after the run
        except OSError as exc:
            raise UsageError(f"cannot read batch file {source}: {exc.strerror}", word=source) from None
        with fh:
            return run_batch(read_lines(fh, name), keep_going=keep_going)
    except UnicodeDecodeError:
        raise UsageError(f"the batch {name} is not UTF-8 text", word=name) from None


def run(argv: list[str], environment: Any = None) -> int:
    """The whole one-shot face: parse ``argv`` (without the program name), run; the exit status."""
    if argv[:1] == ["sim"]:
        from zcli.sim.cli import main as sim_main

        return sim_main(argv[1:])
    if argv[:1] == ["completion"]:
        from zcli.completion.scripts import main as completion_main

        return completion_main(argv[1:])
    from zcli.core.environment import Environment
    from zcli.core.report import Report
    from zcli.options import BY_DEST, parse_plain

    if environment is None:
        _escape_unencodable()
        environment = Environment()
    report = Report(environment, debug=any(a in BY_DEST["debug"].flags for a in argv))
    report.secrets.remember(argv)

    def parse_and_start() -> int:
        check_utf8(argv)
        plain = parse_plain(argv)
        topic = _help_topic(argv) if plain is None else None
        if topic is not None:  # zcli API --help: that API's help, as aws users expect
            plain, words = topic
            return start(report, ["help", *words[:1]], plain)
        if plain is None:
            return _run_click(argv, report)
        values, words = plain
        return start(report, words, values)

    try:
        return report.guard(parse_and_start)
    finally:
        _restore_interrupts()


def check_utf8(argv: list[str]) -> None:
    """Refuse an argument that is not valid UTF-8 (Python hands its bytes over as lone surrogates).

    Raises:
        UsageError: naming the argument by its position (its text cannot be shown as it is).
    """
    for number, word in enumerate(argv, 1):
        try:
            word.encode("utf-8")
        except UnicodeEncodeError:
            shown = word.encode("utf-8", "backslashreplace").decode("ascii", "replace")[:60]
            raise UsageError(f"argument {number} is not valid UTF-8 text: {shown}", word=shown) from None


def _escape_unencodable() -> None:
    """Write what the stream's encoding cannot hold (``PYTHONIOENCODING=ascii``, a C locale) as backslash
    escapes instead of failing: output is escaped, never lost."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):  # not a text stream zcli can change: leave it
            pass


def _help_topic(argv: list[str]) -> tuple[dict[str, Any], list[str]] | None:
    """For ``zcli [OPTIONS] WORD ... --help``: the option values and the words, WORD first; None when
    there is no word (``zcli --help``: click's help of the options) or the rest does not parse plainly."""
    from zcli.options import BY_DEST, SUBCOMMANDS, parse_plain

    flags = BY_DEST["help"].flags
    if not any(a in flags for a in argv):
        return None
    plain = parse_plain([a for a in argv if a not in flags])
    if plain is None or not plain[1] or plain[1][0] in SUBCOMMANDS or plain[0]["batch"]:
        return None
    return plain


def _run_click(argv: list[str], report: Any) -> int:
    """Parse ``argv`` with click (help, version, click's messages for a bad command line), then run."""
    import click

    from zcli.errors import ExitStatus

    try:
        status = build_command().main(args=argv, prog_name="zcli", standalone_mode=False, obj=report)
        return int(status or 0)
    except click.Abort:
        raise KeyboardInterrupt from None
    except click.ClickException as exc:  # a bad command line: click names the option or value
        report.error(exc.format_message())
        return int(ExitStatus.USAGE)
