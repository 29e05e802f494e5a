"""The one-shot face: ``zcli [OPTIONS] API [ARG ...]``, batches, the shell and the demo.

Thin: click parses the global options (before or after the API; the API's own words are passed through
untouched), :mod:`zcli.config` merges them with the environment and the config file, and
:mod:`zcli.commands.oneshot` runs. Every error becomes one line on stderr and an exit status
(DESIGN.md §1) here, at the edge; ``zcli sim`` and ``zcli completion`` are routed before click.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from zcli import __version__
from zcli.config import FORMATS
from zcli.errors import ExitStatus, ZcliError

EPILOG = """\b
The APIs: `zcli help` lists them by category, `zcli help WORD` the APIs whose
name holds WORD, `zcli help API` one API's parameters or fields; in the shell
(`zcli` alone), Tab completes APIs, fields, operators and values.
\b
Examples:
  zcli LogInByAccount accountName=admin password=password
  zcli QueryVmInstance state=Running cpuNum>=4 -o json
  zcli QueryVmInstance fields=uuid -o value --all
  zcli -f commands.txt --keep-going
\b
Environment: ZCLI_URL, ZCLI_HOST, ZCLI_PORT, ZCLI_PROFILE, ZCLI_OUTPUT,
ZCLI_TIMEOUT, ZCLI_INSECURE, ZCLI_CA_BUNDLE, NO_COLOR. Profiles: config.toml in
the config folder (ZCLI_CONFIG_DIR). Exit statuses: 0 done, 1 API error,
2 bad command line, 3 transport, 4 not logged in, 130 interrupted."""


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
               epilog=EPILOG, no_args_is_help=False)
@click.option("-H", "--host", help="Management node host (default localhost).")
@click.option("-p", "--port", type=click.IntRange(1, 65535), help="Management node port (default 8080).")
@click.option("--url", help="Whole base URL, e.g. https://mn.example.com:8443/zstack (wins over host and port).")
@click.option("--profile", metavar="NAME", help="A profile of the config file.")
@click.option("-o", "--output", type=click.Choice(FORMATS), help="Output format (default: table on a terminal, "
              "json when piped).")
@click.option("--query", metavar="JMESPATH", help="JMESPath expression applied to the reply before printing.")
@click.option("--all", "all_pages", is_flag=True, help="Follow limit/start pages to the end, streaming.")
@click.option("--timeout", type=float, metavar="SECONDS", help="Read timeout, and the longest wait for an async job.")
@click.option("--insecure", is_flag=True, help="Do not verify TLS certificates.")
@click.option("--ca-bundle", metavar="FILE", help="CA bundle to verify TLS certificates with.")
@click.option("--no-color", is_flag=True, help="No colours (also NO_COLOR=1).")
@click.option("--no-validate", is_flag=True, help="Send names the catalogue does not know.")
@click.option("--debug", is_flag=True, help="Show HTTP exchanges (secrets masked) and tracebacks.")
@click.option("-f", "--file", "batch", metavar="FILE", help="Run a batch: one command a line (- reads stdin).")
@click.option("--keep-going", is_flag=True, help="Batch: go on after a failure (exit with the first one's status).")
@click.option("--demo", is_flag=True, help="Start the embedded simulator, log in as admin, then run.")
@click.version_option(__version__, "--version", message="zcli %(version)s")
@click.argument("words", nargs=-1, type=click.UNPROCESSED, metavar="[API [ARG ...]]")
@click.pass_obj
def main(term: Any, words: tuple[str, ...], batch: str | None, keep_going: bool, demo: bool,
         **options: Any) -> int:
    """A shell and command line for the ZStack cloud REST API.

    \b
    zcli [OPTIONS] API [ARG ...]   run one API, e.g. zcli QueryVmInstance name~=web
    zcli                           the interactive shell
    zcli -f FILE | -f -            a batch, one command a line, # comments
    zcli --demo [API ARG ...]      against the embedded simulator
    zcli sim [--port 8080]         the simulator as a server
    zcli completion bash|zsh|fish  the shell completion script
    """
    from zcli.config import config_file, load_config, resolve

    if options.get("debug"):
        term.debug = True
    given = {
        "host": options["host"], "port": options["port"], "url": options["url"], "profile": options["profile"],
        "output": options["output"], "query": options["query"], "all": options["all_pages"],
        "timeout": options["timeout"], "insecure": options["insecure"] or None, "ca_bundle": options["ca_bundle"],
        "color": False if options["no_color"] else None, "validate": False if options["no_validate"] else None,
        "debug": options["debug"] or None,
    }
    settings = resolve(given, term.env, load_config(config_file(term.env)))
    term.debug = settings.debug
    return dispatch(settings, term, list(words), batch=batch, keep_going=keep_going, demo=demo)


def dispatch(settings, term, words: list[str], *, batch: str | None, keep_going: bool, demo: bool) -> int:
    """Run what the command line asks for; returns the exit status."""
    from zcli.commands import oneshot

    if words[:1] == ["help"] and not batch:
        from zcli.catalog import load_catalog
        from zcli.commands.help import help_text

        if len(words) > 2:
            raise click.UsageError("zcli help takes one topic: a category, a word or an API")
        term.stdout.write(help_text(load_catalog(term.env), words[1] if len(words) > 1 else None,
                                    width=min(term.width, 120)) + "\n")
        return 0
    if batch and words:
        raise click.UsageError(f"-f runs a batch file; the command '{' '.join(words)}' would be ignored")
    if demo:
        return oneshot.run_demo(settings, term, words, batch=batch, keep_going=keep_going)
    ctx = oneshot.make_context(settings, term)
    if batch:
        return oneshot.Runner(ctx, term).batch(batch, keep_going=keep_going)
    if not words:
        return oneshot.run_shell(ctx, term)
    oneshot.Runner(ctx, term, pager=True).run(words)
    return 0


def run(argv: list[str], term: Any = None) -> int:
    """The whole one-shot face: parse ``argv`` (without the program name), run, map errors to a status."""
    if argv[:1] == ["sim"]:
        from zcli.sim.cli import main as sim_main

        return sim_main(argv[1:])
    if argv[:1] == ["completion"]:
        from zcli.completion.scripts import main as completion_main

        return completion_main(argv[1:])
    if term is None:
        from zcli.commands.oneshot import Terminal

        term = Terminal()
    term.debug = "--debug" in argv
    try:
        status = main.main(args=argv, prog_name="zcli", standalone_mode=False, obj=term)
        return int(status or 0)
    except ZcliError as exc:
        term.error(str(exc))
        return int(exc.status)
    except click.UsageError as exc:
        term.error(exc.format_message())
        return int(ExitStatus.USAGE)
    except click.ClickException as exc:
        term.error(exc.format_message())
        return int(ExitStatus.USAGE)
    except (KeyboardInterrupt, click.Abort):
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
        return int(ExitStatus.API_ERROR)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
