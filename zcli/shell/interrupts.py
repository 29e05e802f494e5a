"""Ctrl-C in the shell: it interrupts the command that runs, and nothing else.

At the prompt, prompt_toolkit reads Ctrl-C as a key (it clears the line). While a command runs the
terminal is in cooked mode and Ctrl-C is SIGINT, Python's KeyboardInterrupt. Between the two (a command
just ended, the prompt is not drawn yet; or the other way round) a SIGINT would raise KeyboardInterrupt
where nothing catches it and end the shell with a traceback: two quick Ctrl-Cs to stop a ``watch`` did
that on a loaded machine. While the gate is open a SIGINT outside a command raises nothing: it is noted
(a paste whose next line has not run yet stops) and is otherwise what a Ctrl-C at an empty prompt is.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class CommandInterrupts:
    """A SIGINT handler that raises KeyboardInterrupt only inside :meth:`command`.

    Installed by ``with`` in the main thread, and only over Python's default handler (an ignored SIGINT
    stays ignored); the previous handler comes back on leaving.
    """

    def __init__(self) -> None:
        self.running = False
        self.missed = False
        self._previous = None

    def __enter__(self) -> CommandInterrupts:
        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
            self._previous = signal.signal(signal.SIGINT, self._on_sigint)
        return self

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None

    def _on_sigint(self, signum, frame) -> None:
        if self.running:
            raise KeyboardInterrupt
        self.missed = True

    def take_missed(self) -> bool:
        """Whether a SIGINT came outside a command since the last call."""
        missed, self.missed = self.missed, False
        return missed

    @contextmanager
    def command(self) -> Iterator[None]:
        """Ctrl-C interrupts what runs inside."""
        self.running = True
        try:
            yield
        finally:
            self.running = False
