"""A one-line spinner on a terminal's stderr while an async job runs (never on a pipe or file)."""

from __future__ import annotations

from typing import TextIO

FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class Spinner:
    """Draws ``⠋ waiting for the job… 3s`` on ``stream``; an instance is an ``on_wait`` callback.

    Args:
        stream: the terminal's stderr.
        label: what is awaited.
    """

    def __init__(self, stream: TextIO, label: str = "waiting for the job"):
        self.stream = stream
        self.label = label
        self.frame = 0
        self.drawn = False

    def __call__(self, elapsed: float | None) -> None:
        """Draw the next frame, or clear the line when ``elapsed`` is None (the wait is over)."""
        if elapsed is None:
            if self.drawn:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
                self.drawn = False
            return
        self.stream.write(f"\r{FRAMES[self.frame % len(FRAMES)]} {self.label}… {elapsed:.0f}s")
        self.stream.flush()
        self.frame += 1
        self.drawn = True
