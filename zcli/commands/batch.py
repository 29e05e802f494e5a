"""Batch runs (``zcli -f FILE``, ``zcli -f -``, commands piped to ``zcli``): one command a line, in one
process and one session.

The whole batch is read, split and checked before its first line is sent: a typo on line 5 stops the
batch before line 1 runs (nothing half done). Lines are split like a POSIX shell line (quotes,
backslashes); blank lines and ``#`` comments are skipped. Besides API commands a batch takes the
built-ins that make sense there: ``set output FORMAT``, ``connect URL|HOST[:PORT]`` and ``use PROFILE``.
The run stops at the first failure unless ``keep_going``; its status is that of the first failure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from zcli.errors import ExitStatus, UsageError, ZcliError

#: The shell's built-ins a batch takes: the others (help, history, more, save, watch...) need a person.
BATCH_BUILTINS = ("set", "connect", "use")


@dataclass(frozen=True)
class BatchLine:
    """One command of a batch: its line number (from 1) and its words."""

    number: int
    words: list[str]


Problems = list[tuple[int, ZcliError]]


def parse_batch(lines: Iterable[str], check: Callable[[list[str]], None]) -> tuple[list[BatchLine], Problems]:
    """Split and check every line of a batch, before any runs.

    Args:
        lines: the batch text, line by line.
        check: checks one command's words as running it would, without sending anything; raises
            UsageError (see :func:`check_line`).

    Returns:
        the commands, and the problems found (line number, error), in order; a batch with problems
        must not run at all.
    """
    from zcli.grammar import split_line
    from zcli.zql import line_words

    commands: list[BatchLine] = []
    problems: list[tuple[int, ZcliError]] = []
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            words = line_words(text) or split_line(text)  # a ZQL line keeps its quotes
            if words:
                check(words)
                commands.append(BatchLine(number, words))
        except ZcliError as exc:
            problems.append((number, exc))
    return commands, problems


def run_batch(lines: Iterable[str], run_one: Callable[[list[str]], None], *, keep_going: bool,
              report: Callable[[int, ZcliError], None], check: Callable[[list[str]], None] | None = None) -> int:
    """Read, check and run a batch: nothing runs when a line is wrong (each wrong line is reported, and
    the status is 2).

    Args:
        lines: the batch text, line by line.
        run_one, keep_going, report: see :func:`run_commands`.
        check: checks one command's words before any runs (see :func:`check_line`); None checks only
            that each line splits.
    """
    commands, problems = parse_batch(lines, check or (lambda words: None))
    for number, exc in problems:
        report(number, exc)
    if problems:
        return int(ExitStatus.USAGE)
    return run_commands(commands, run_one, keep_going=keep_going, report=report)


def run_commands(commands: list[BatchLine], run_one: Callable[[list[str]], None], *, keep_going: bool,
                 report: Callable[[int, ZcliError], None]) -> int:
    """Run checked ``commands`` (from :func:`parse_batch`) in turn.

    Args:
        commands: the batch's commands.
        run_one: runs one command's words (an API or a batch built-in) and prints its result; raises
            ZcliError on failure.
        keep_going: go on after a failure (not after Ctrl-C).
        report: told of each failure, with its line number.

    Returns:
        0, or the exit status of the first failure.
    """
    first_failure = 0
    for command in commands:
        try:
            run_one(command.words)
        except ZcliError as exc:
            report(command.number, exc)
            first_failure = first_failure or int(exc.status)
            if not keep_going or exc.status == ExitStatus.INTERRUPTED:  # Ctrl-C stops even --keep-going
                break
    return first_failure


def check_line(words: list[str], *, catalog, can_ask: bool, shell_builtins,
               split_options: Callable[[list[str]], tuple[bool, list[str]]],
               check_builtin: Callable[[list[str]], None], stdin_is_batch: bool = False) -> None:
    """Check one batch command as running it would, sending nothing.

    Args:
        words: the line's words.
        catalog: the catalogue.
        can_ask: missing required parameters would be asked for on the terminal (then they are not
            errors here).
        split_options: takes the line's own options out (``-o``, ``--query``...) and checks them (a
            ``--query`` that is no JMESPath): ``(validate, words)``, whether names are checked against
            the catalogue for this line (not with ``--no-validate``) and the other words; raises UsageError.
        check_builtin: checks a batch built-in's arguments.
        shell_builtins: the names of the shell's built-ins (the others are refused in a batch).
        stdin_is_batch: the batch is read from standard input, so no secret may be (``password=@-``).

    Raises:
        UsageError: what running the line would say before sending anything.
    """
    name = words[0]
    if name in BATCH_BUILTINS:
        check_builtin(words)
        return
    validate, words = split_options(words)
    if not words:
        raise UsageError("no command given")
    if words[0] in shell_builtins:
        raise UsageError(f"'{words[0]}' is a shell built-in; a batch takes {', '.join(BATCH_BUILTINS)} "
                         "and API commands", word=words[0])
    if stdin_is_batch:
        from zcli.secret_input import refuse_stdin_sources

        refuse_stdin_sources(words)
    from zcli.grammar import parse_command
    from zcli.zql import is_zql

    if is_zql(words[0]):  # ZQL: parsed and its names checked, as running it would
        from zcli.commands.zql import check_zql

        check_zql(" ".join(words), catalog, validate=validate)
        return
    if can_ask and catalog.has_api(words[0]):
        words = [*words, *_placeholders(words, catalog.api(words[0]))]
    parse_command(words, catalog, validate=validate)


def _placeholders(words: list[str], api) -> list[str]:
    """``name=value`` words standing for the required parameters the words lack, which the run would ask
    for on the terminal: of a value that passes the parameter's checks."""
    given = {w.partition("=")[0] for w in words[1:] if "=" in w}
    out = []
    for p in api.params:
        if p.required and p.name not in given:
            kind = p.kind
            value = (str(p.values[0]) if p.values else "1" if kind in ("int", "float") else "true" if kind == "bool"
                     else "{}" if kind == "map" else "[]" if kind == "list" and "Map" in p.type else "x")
            out.append(f"{p.name}={value}")
    return out

