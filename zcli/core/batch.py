"""A batch over the core: check every line (API commands, the batch built-ins ``set output``, ``connect``,
``use``) before the first runs, then run them (:mod:`zcli.commands.batch` holds the reading and the rules).
"""

from __future__ import annotations

from collections.abc import Iterable

from zcli.commands.batch import BATCH_BUILTINS, check_line, run_batch
from zcli.errors import UsageError, ZcliError


def run_batch_lines(core, lines: Iterable[str], name: str, *, keep_going: bool, shell_builtins,
                    stdin_is_batch: bool = False) -> int:
    """Check then run a batch over ``core`` (the face-neutral core): API commands and the batch built-ins.

    Args:
        core: the core (its connection, options, report).
        lines: the batch's lines.
        name: the batch's name in messages (``stdin`` or the file's).
        keep_going: go on after a failure.
        shell_builtins: the names of the shell's built-ins (refused here but those of :data:`BATCH_BUILTINS`).
        stdin_is_batch: the lines come from standard input (``password=@-`` is then refused).
    """
    def report(number: int, exc: ZcliError) -> None:
        core.report.error(f"{name}:{number}: {exc}")

    def split_options(words: list[str]) -> tuple[bool, list[str]]:
        options, rest = core.line_options(words)
        if options.query:
            from zcli.core.present import compile_query

            compile_query(options.query)  # a --query that is no JMESPath: said before anything runs
        return options.validate, rest

    def check(words: list[str]) -> None:
        check_line(words, catalog=core.catalog, can_ask=core.connection.ask_secret is not None,
                   shell_builtins=shell_builtins, split_options=split_options, check_builtin=check_builtin,
                   stdin_is_batch=stdin_is_batch)

    def run_one(words: list[str]) -> None:
        if words[0] in BATCH_BUILTINS:
            run_builtin(core, words)
        else:
            core.print(core.run(words))

    return run_batch(lines, run_one, keep_going=keep_going, report=report, check=check)


def check_builtin(words: list[str]) -> None:
    """Check a batch built-in's arguments (``set output FORMAT``, ``connect TARGET``, ``use PROFILE``).

    Raises:
        UsageError: wrong arguments.
    """
    name, args = words[0], words[1:]
    if name == "set":
        if len(args) != 2 or args[0] != "output":
            raise UsageError("a batch takes set output FORMAT", word=name)
        from zcli.config import check_format

        check_format(args[1])
    elif name == "connect":
        if len(args) != 1:
            raise UsageError("usage: connect URL|HOST[:PORT]", word=name)
        from zcli.config import connect_target

        connect_target(args[0])
    elif len(args) != 1:
        raise UsageError("usage: use PROFILE", word=name)


def run_builtin(core, words: list[str]) -> None:
    """Run a checked batch built-in over ``core``."""
    name, args = words[0], words[1:]
    if name == "set":
        from zcli.config import check_format

        core.set_options(output=check_format(args[1]))
    elif name == "connect":
        from zcli.config import connect_target

        core.connect_url(connect_target(args[0]))
    else:
        core.use_profile(args[0])
