"""Secrets given without the command line: ``KEY=@FILE`` and ``KEY=@-`` for a secret parameter.

A value on the command line is visible to every user of the machine (``ps``, ``/proc``). A secret
parameter (one that :func:`zcli.secrets.is_secret` names) may instead read its value from the first line
of a file (``password=@FILE``) or from one line of standard input (``password=@-``; asked without echo on a
terminal); ``@@text`` is the literal ``@text``. Which parameters are secret stays the policy's decision.
"""

from __future__ import annotations

import sys

from zcli.secrets import is_secret

TYPE_CHECKING = False  # typing and collections.abc stay off the start-up path (start-up time is a feature)
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable
    from typing import TextIO

FILE_PREFIX = "@"
STDIN_SOURCE = "@-"


def secret_source(value: str) -> tuple[str, str]:
    """How a secret parameter's typed ``value`` gives the secret: ``("file", PATH)`` for ``@PATH``,
    ``("stdin", "")`` for ``@-``, or ``("value", TEXT)`` (``@@x`` is the literal ``@x``)."""
    if value == STDIN_SOURCE:
        return "stdin", ""
    if value.startswith("@@"):
        return "value", value[1:]
    if value.startswith(FILE_PREFIX) and len(value) > 1:
        return "file", value[1:]
    return "value", value


def refuse_stdin_sources(words: list[str]) -> None:
    """Refuse a secret read from standard input (``password=@-``) in a command of a batch that is itself read
    from standard input: the batch's lines and the secret cannot both come from there.

    Raises:
        UsageError: a secret parameter of ``words`` is given as ``@-``.
    """
    for word in words[1:]:
        key, eq, value = word.partition("=")
        if eq and value == STDIN_SOURCE and is_secret(key):
            from zcli.errors import UsageError

            raise UsageError(f"{word}: the batch itself is read from standard input, so {key}=@- has nothing to"
                             f" read; give {key}=@FILE (the file's first line), or the batch as -f FILE", word=word)


#: The most a secret file may hold (a password, a key): more is not a secret file.
SECRET_FILE_LIMIT = 64 * 1024


def read_secret_sources(words: list[str], *, ask: Callable[[str, bool], str] | None = None,
                        stdin: TextIO | None = None, remember: Callable[[str], None] | None = None) -> list[str]:
    """``words`` with each secret parameter given as ``@FILE`` or ``@-`` replaced by the secret read.

    ``@FILE``: the file's first line (its line end dropped). ``@-``: one line of standard input, or, when
    ``ask`` is given (stdin is a terminal), asked for without echo. ``@@text`` stands for ``@text``. Only
    parameters the policy calls secret (:func:`is_secret`) read anything; ``url=@x`` stays as typed.
    Each secret read is handed to ``remember`` (a face's :meth:`Redactor.remember_value`), so that no later
    message shows it.

    Raises:
        UsageError: the file cannot be read, is empty or too big, or stdin is asked for twice or is empty.
    """
    from zcli.errors import UsageError

    out, used_stdin = list(words[:1]), False
    for word in words[1:]:
        key, eq, value = word.partition("=")
        if not eq or not value.startswith(FILE_PREFIX) or not is_secret(key):
            out.append(word)
            continue
        kind, where = secret_source(value)
        if kind == "stdin":
            if used_stdin:
                raise UsageError(f"{key}=@-: standard input gives one secret a command", word=f"{key}=@-")
            used_stdin = True
            value = ask(f"{key}: ", False) if ask is not None else _first_line(stdin or sys.stdin, "standard input")
        elif kind == "file":
            value = _read_secret_file(where, key)
        else:
            value = where
        if not value:
            raise UsageError(f"{key}={value or FILE_PREFIX + where}: the secret read is empty", word=key)
        if remember is not None:
            remember(value)
        out.append(f"{key}={value}")
    return out


def _first_line(stream: TextIO, what: str) -> str:
    from zcli.errors import UsageError

    line = stream.readline(SECRET_FILE_LIMIT + 1)
    if len(line) > SECRET_FILE_LIMIT:
        raise UsageError(f"the secret on {what} is longer than {SECRET_FILE_LIMIT} characters")
    return line.rstrip("\r\n")


def _read_secret_file(path: str, key: str) -> str:
    import os

    from zcli.errors import UsageError

    where = os.path.expanduser(path)
    try:
        with open(where, encoding="utf-8") as fh:
            return _first_line(fh, where)
    except OSError as exc:
        raise UsageError(f"{key}=@{path}: cannot read the secret file: {exc.strerror}", word=f"{key}=@{path}") \
            from None
    except UnicodeDecodeError:
        raise UsageError(f"{key}=@{path}: the secret file is not UTF-8 text", word=f"{key}=@{path}") from None
