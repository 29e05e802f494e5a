"""``| COMMAND`` and ``> FILE`` at the end of a shell line, as separate words, as psql's ``\\o`` and
``\\g | cmd``: the output of the line goes to a program's stdin or into a file, not to the screen.

Only an unquoted ``|`` or ``>`` standing alone as a word counts: ``cpuNum>4`` and ``name='a | b'`` are
the command's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from zcli.errors import UsageError


@dataclass(frozen=True)
class Redirect:
    """Where a line's output goes: ``pipe`` to a shell command, or ``file``."""

    kind: str
    target: str


def split_redirect(line: str) -> tuple[str, Redirect | None]:
    """The line without its trailing ``| COMMAND`` or ``> FILE``, and that redirect (None when none).

    Raises:
        UsageError: the ``|`` or ``>`` has nothing after it.
    """
    at = _operator_at(line)
    if at is None:
        return line, None
    op, rest = line[at], line[at + 1:].strip()
    if not rest:
        raise UsageError(f"'{op}' needs a {'command' if op == '|' else 'file'} after it", word=op)
    if op == ">":
        from zcli.grammar import split_line

        words = split_line(rest)
        if len(words) != 1:
            raise UsageError("'>' takes one file name (quote a name with spaces)", word=rest)
        return line[:at].rstrip(), Redirect("file", words[0])
    return line[:at].rstrip(), Redirect("pipe", rest)


def _operator_at(line: str) -> int | None:
    """Where the first unquoted ``|`` or ``>`` that is a word of its own is, before any comment, or None."""
    from zcli.grammar.words import unquoted

    for i, ch in unquoted(line):
        if ch == "#" and (i == 0 or line[i - 1].isspace()):
            return None  # a comment: nothing after it counts
        if ch in "|>" and (i == 0 or line[i - 1].isspace()) and (i + 1 == len(line) or line[i + 1].isspace()):
            return i
    return None


def send(text: str, redirect: Redirect, *, env, out) -> None:
    """Write ``text`` where ``redirect`` says: into the file (0600, never through a link, a regular file
    replaced as a shell's ``>`` does: :func:`zcli.privatefile.write_private`) or to the command's stdin
    (run by ``/bin/sh``, its output on ``out``'s terminal)."""
    if redirect.kind == "file":
        from pathlib import Path

        from zcli.privatefile import write_private

        write_private(Path(redirect.target).expanduser(), text, replace=True)
        return
    import subprocess

    try:
        fileno = out.fileno()
    except (AttributeError, OSError, ValueError):
        fileno = None
    out.flush()
    try:
        proc = subprocess.Popen(redirect.target, shell=True, stdin=subprocess.PIPE,  # the user's own command
                                stdout=fileno if fileno is not None else subprocess.PIPE, env=dict(env))
    except OSError as exc:
        raise UsageError(f"cannot run '{redirect.target}': {exc.strerror}", word=redirect.target) from None
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        output, _ = proc.communicate(text.encode(encoding, errors="replace"))
    except BrokenPipeError:  # the command stopped reading (| head)
        output = None
        proc.wait()
    if output:  # not a real stream (tests): what the command printed goes to ``out``
        out.write(output.decode(encoding, errors="replace"))
        out.flush()
