"""Batch runs (``zcli -f FILE``): one command a line, in one process and one session.

Lines are split like a POSIX shell line (quotes, backslashes); blank lines and lines whose first
non-blank character is ``#`` are skipped. The run stops at the first failure unless ``keep_going``;
its status is that of the first failure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from zcli.errors import ExitStatus, ZcliError


def run_batch(lines: Iterable[str], run_one: Callable[[list[str]], None], *, keep_going: bool,
              report: Callable[[int, ZcliError], None]) -> int:
    """Run each command line of ``lines``.

    Args:
        lines: the batch text, line by line.
        run_one: runs one command's words and prints its result; raises ZcliError on failure.
        keep_going: go on after a failure.
        report: told of each failure, with its line number.

    Returns:
        0, or the exit status of the first failure.
    """
    from zcli.grammar import split_line

    first_failure = 0
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            words = split_line(text)
            if words:
                run_one(words)
        except ZcliError as exc:
            report(number, exc)
            first_failure = first_failure or int(exc.status)
            if not keep_going or exc.status == ExitStatus.INTERRUPTED:  # Ctrl-C stops even --keep-going
                break
    return first_failure
