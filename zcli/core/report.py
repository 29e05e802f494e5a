"""The one error report of both faces, and the one edge where failures become it.

Every failure is one line on stderr, ``zcli: MESSAGE`` in the shell as in one-shot mode (a script's
stderr and a person's screen read the same), with the secrets given in this run masked
(:class:`zcli.secrets.redactor.Redactor`, the one redaction hook). :meth:`Report.guard` is the only place that
turns an exception into that line and an exit status (DESIGN.md §1): the one-shot face guards the
whole run, the shell each line.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from zcli.core.environment import Environment
from zcli.errors import ExitStatus, UsageError, ZcliError

if TYPE_CHECKING:  # pragma: no cover
    from zcli.secrets.redactor import Redactor

#: What every error line starts with, in both faces.
PREFIX = "zcli: "


class Report:
    """Error lines and the edge, for one environment.

    Args:
        environment: where the lines go.
        secrets: the secrets given in this run (masked in every line).
        debug: on an internal error, print the traceback too.
    """

    def __init__(self, environment: Environment, secrets: Redactor | None = None, *, debug: bool = False):
        from zcli.secrets.redactor import Redactor

        self.environment = environment
        self.secrets = secrets if secrets is not None else Redactor()
        self.debug = debug
        #: ``-o json`` was asked for: an API's ErrorCode goes to stderr whole, as ``{"error": {...}}``.
        self.json_errors = False

    def line(self, message: str) -> str:
        """``message`` as both faces print it: prefixed, secrets masked, server text in it shown safe
        (:func:`zcli.output.safe.message_line`), one line, except that an ErrorCode's cause chain comes as
        one more line a level, indented (:func:`zcli.api.replies.api_error`)."""
        from zcli.errors import LEVEL_BREAK
        from zcli.output.safe import message_line

        levels = [message_line(part) for part in self.secrets.text(message).split(LEVEL_BREAK) if part.strip()]
        return PREFIX + "\n  ".join(levels or [""])

    def failure(self, exc: ZcliError) -> None:
        """Report a failure: with ``-o json`` an API's ErrorCode as JSON (its whole cause chain), else its lines."""
        error = getattr(exc, "error", None)
        if self.json_errors and isinstance(error, dict):
            import json

            from zcli.output.safe import json_escape

            self.environment.write_error(self.secrets.text(json_escape(json.dumps({"error": error},
                                                                                  ensure_ascii=False))))
            return
        self.error(str(exc))

    def error(self, message: str) -> None:
        """Print ``message`` as an error line on stderr."""
        self.environment.write_error(self.line(message))

    def note(self, message: str) -> None:
        """A note (not a failure) on stderr, in the same form."""
        self.error(message)

    def guard(self, action: Callable[[], int | None]) -> int:
        """Run ``action``; its status (None is 0), or the status of its failure once reported.

        A :class:`~zcli.errors.ZcliError` is its message and status; Ctrl-C is "interrupted" (130); a
        closed stdout (``| head``) is no failure; anything else is an internal error (70), one line (the
        traceback too with ``--debug``). ``BaseException``s other than Ctrl-C (``SystemExit``, the shell's
        exit) pass through.
        """
        from zcli.catalog.errors import CatalogError

        try:
            return int(action() or 0)
        except CatalogError as exc:  # a name the catalogue does not know, asked outside the grammar (help)
            usage = UsageError.of(exc)
            self.error(str(usage))
            return int(usage.status)
        except ZcliError as exc:
            self.failure(exc)
            return int(exc.status)
        except KeyboardInterrupt:
            self.environment.stderr.write("\n")
            self.error("interrupted")
            return int(ExitStatus.INTERRUPTED)
        except BrokenPipeError:
            self._quiet_stdout()  # the reader went away: nothing more to say
            return int(ExitStatus.OK)
        except Exception as exc:  # the edge: never a traceback, unless asked for
            if self.debug:
                import traceback

                traceback.print_exc(file=self.environment.stderr)
            self.error(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)")
            return int(ExitStatus.INTERNAL)

    def _quiet_stdout(self) -> None:
        """Point stdout at /dev/null so that the interpreter's final flush does not fail again."""
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.environment.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
