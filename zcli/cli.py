"""The one-shot face: ``zcli [OPTIONS] API [ARG ...]``, batches, the shell and the demo.

Thin: the global options (before or after the API; the API's own words are passed through untouched)
are read by :func:`zcli.commands.options.parse_plain` in the common case, and by click, built from the
same table, for help, ``--version`` and every malformed command line (click's messages). Importing
click costs a fifth of a one-shot command's start-up, so the plain path never does.
:mod:`zcli.config` merges the options with the environment and the config file; then
:mod:`zcli.commands.oneshot` runs one command or a batch, or :mod:`zcli.shell` opens (``--demo`` first
starts :mod:`zcli.sim` in this process). Every error becomes one line on stderr and an exit status
(DESIGN.md §1) here, at the edge; ``zcli sim`` and ``zcli completion`` are routed before all that.
"""

from __future__ import annotations

import sys
from typing import Any

from zcli.errors import ExitStatus, UsageError, ZcliError

SUMMARY = """A shell and command line for the ZStack cloud REST API.

\b
zcli [OPTIONS] API [ARG ...]   run one API, e.g. zcli QueryVmInstance name~=web
zcli                           the interactive shell (with stdin piped: as -f -)
zcli -f FILE | -f -            a batch, one command a line, # comments
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
Environment: ZCLI_URL, ZCLI_HOST, ZCLI_PORT, ZCLI_PROFILE, ZCLI_OUTPUT,
ZCLI_TIMEOUT, ZCLI_INSECURE, ZCLI_CA_BUNDLE, ZCLI_NO_VALIDATE, ZCLI_DEBUG,
NO_COLOR. Profiles: config.toml in the config folder (ZCLI_CONFIG_DIR).
Exit statuses: 0 done, 1 API error, 2 bad command line, 3 transport,
4 not logged in, 70 internal error (a bug), 130 interrupted."""


def build_command() -> Any:
    """The click command of the one-shot face, from :data:`zcli.commands.options.OPTIONS`."""
    import click

    from zcli import __version__
    from zcli.commands.options import OPTIONS
    from zcli.output.formats import FORMATS

    def callback(words: tuple[str, ...], **values: Any) -> int:
        return start(click.get_current_context().obj, list(words), values)

    kinds = {"port": click.IntRange(1, 65535), "seconds": float, "format": click.Choice(FORMATS), "text": str}
    decorated = click.argument("words", nargs=-1, type=click.UNPROCESSED, metavar="[API [ARG ...]]")(callback)
    decorated = click.version_option(__version__, "--version", message="zcli %(version)s")(decorated)
    for option in reversed(OPTIONS):  # decorators stack: the last applied is listed first
        extra: dict[str, Any] = {"is_flag": True} if option.kind == "flag" else {"type": kinds[option.kind]}
        if option.metavar:
            extra["metavar"] = option.metavar
        decorated = click.option(*option.flags, option.dest, help=option.help, **extra)(decorated)
    return click.command("zcli", help=SUMMARY, epilog=EPILOG, no_args_is_help=False,
                         context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
                         )(decorated)


def __getattr__(name: str) -> Any:
    """``zcli.cli.main``: the click command, built on first use (the plain path never needs it)."""
    if name == "main":
        return build_command()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def start(term: Any, words: list[str], values: dict[str, Any]) -> int:
    """Run with the parsed option ``values`` (by ``dest``) and the command's ``words``; the exit status."""
    from zcli.config import config_file, load_config, resolve

    if values.get("debug"):
        term.debug = True
    given = {
        "host": values["host"], "port": values["port"], "url": values["url"], "profile": values["profile"],
        "output": values["output"], "query": values["query"], "all": values["all"],
        "timeout": values["timeout"], "insecure": values["insecure"] or None, "ca_bundle": values["ca_bundle"],
        "color": False if values["no_color"] else None, "validate": False if values["no_validate"] else None,
        "debug": values["debug"] or None,
    }
    settings = resolve(given, term.env, load_config(config_file(term.env)))
    term.debug = settings.debug
    return dispatch(settings, term, words, batch=values["batch"], keep_going=values["keep_going"],
                    demo=values["demo"])


def dispatch(settings, term, words: list[str], *, batch: str | None, keep_going: bool, demo: bool) -> int:
    """Run what the command line asks for; returns the exit status."""
    from zcli.commands.oneshot import make_context

    if batch == "":  # -f '': not "no batch" (that would open the shell or read stdin)
        raise UsageError("-f needs a batch file name, or - for stdin", word="-f")
    if words[:1] == ["help"] and not batch:
        from zcli.catalog import load_catalog
        from zcli.help import help_text

        if len(words) > 2:
            raise UsageError(f"zcli help takes one topic (a category, a word or an API); '{words[2]}' is one too many",
                             word=words[2])
        tty = term.stdout_isatty  # rich on a terminal, plain text for pipes and files
        color = tty if settings.color is None else settings.color
        term.stdout.write(help_text(load_catalog(term.env), words[1] if len(words) > 1 else None,
                                    width=min(term.width, 120), rich=tty, color=color))
        return 0
    if batch and words:
        raise UsageError(f"-f runs a batch file; the command '{' '.join(words)}' would be ignored", word=words[0])
    if not demo:
        return _run(make_context(settings, term), term, words, batch=batch, keep_going=keep_going)
    from zcli.commands import execute
    from zcli.sim.server import start_in_thread

    server = start_in_thread()
    try:
        settings.url = server.url
        ctx = make_context(settings, term, store=None)  # a throwaway endpoint: keep no session file
        execute(["LogInByAccount", "accountName=admin", "password=password"], ctx)
        if not words and not batch and term.stdin_isatty:
            term.stderr.write(f"zcli demo: simulator at {server.url}, logged in as admin\n")
        return _run(ctx, term, words, batch=batch, keep_going=keep_going)
    finally:
        server.stop()


def _run(ctx, term, words: list[str], *, batch: str | None, keep_going: bool) -> int:
    """Run a batch, one command, or (neither given) the interactive shell against ``ctx``; the exit status."""
    from zcli.commands.oneshot import Runner

    if batch:
        return Runner(ctx, term).batch(batch, keep_going=keep_going)
    if words:
        Runner(ctx, term, pager=True).run(words)
        return 0
    if not term.stdin_isatty:  # piped in (echo ... | zcli): read commands as -f - does, as psql does
        return Runner(ctx, term).batch("-", keep_going=keep_going)
    from zcli.shell.app import run_shell

    return int(run_shell(ctx) or 0)


def run(argv: list[str], term: Any = None) -> int:
    """The whole one-shot face: parse ``argv`` (without the program name), run, map errors to a status."""
    if argv[:1] == ["sim"]:
        from zcli.sim.cli import main as sim_main

        return sim_main(argv[1:])
    if argv[:1] == ["completion"]:
        from zcli.completion.scripts import main as completion_main

        return completion_main(argv[1:])
    from zcli.commands.options import parse_plain

    if term is None:
        from zcli.commands.oneshot import Terminal

        _escape_unencodable()
        term = Terminal()
    term.debug = "--debug" in argv
    term.keep_secrets(argv)
    try:
        check_utf8(argv)
        plain = parse_plain(argv)
        topic = _help_topic(argv) if plain is None else None
        if topic is not None:  # zcli API --help: that API's help, as aws users expect
            plain, words = topic
            return start(term, ["help", *words[:1]], plain)
        if plain is None:
            return _run_click(argv, term)
        values, words = plain
        return start(term, words, values)
    except ZcliError as exc:
        term.error(str(exc))
        return int(exc.status)
    except KeyboardInterrupt:
        term.stderr.write("\n")
        term.error("interrupted")
        return int(ExitStatus.INTERRUPTED)
    except BrokenPipeError:
        _quiet_stdout()  # the reader went away (| head): nothing more to say
        return int(ExitStatus.OK)
    except Exception as exc:  # the edge: never a traceback, unless asked for
        if getattr(term, "debug", False):
            import traceback

            traceback.print_exc(file=term.stderr)
        term.error(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)")
        return int(ExitStatus.INTERNAL)


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
    from zcli.commands.options import parse_plain

    flags = ("-h", "--help")
    if not any(a in flags for a in argv):
        return None
    plain = parse_plain([a for a in argv if a not in flags])
    if plain is None or not plain[1] or plain[1][0] in ("help", "sim", "completion") or plain[0]["batch"]:
        return None
    return plain


def _run_click(argv: list[str], term: Any) -> int:
    """Parse ``argv`` with click (help, version, click's messages for a bad command line), then run."""
    import click

    try:
        status = build_command().main(args=argv, prog_name="zcli", standalone_mode=False, obj=term)
        return int(status or 0)
    except click.Abort:
        raise KeyboardInterrupt from None
    except click.ClickException as exc:  # a bad command line: click names the option or value
        term.error(exc.format_message())
        return int(ExitStatus.USAGE)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
