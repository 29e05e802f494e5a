"""A paste of several lines runs each line in turn, as psql, pgcli and bash do.

The terminal marks a paste (bracketed paste mode, which prompt_toolkit turns on); without this binding
prompt_toolkit put the pasted newlines into the line, and ``QueryZone⏎name=foo`` became one command, a
different one. Here the first pasted line completes the line being typed and runs; the next complete
lines wait in :class:`Pasted` and run one after the other, each shown after the prompt as if typed; a
last piece without a newline is left at the next prompt, to finish or to change.
"""

from __future__ import annotations

from collections import deque


class Pasted:
    """The lines of a paste waiting to run, and the unfinished piece after them."""

    def __init__(self) -> None:
        self.lines: deque[str] = deque()
        self.rest = ""

    def add(self, data: str) -> str | None:
        """Take a paste: the text to insert at the cursor when it is one line (None otherwise, and then
        its first line is returned by :meth:`first` and the others wait)."""
        data = data.replace("\r\n", "\n").replace("\r", "\n")
        if "\n" not in data:
            return data
        first, *more = data.split("\n")
        self.lines.extend(more[:-1])
        self.rest = more[-1]
        self._first = first
        return None

    def first(self) -> str:
        return self._first

    def next_line(self) -> str | None:
        """The next complete pasted line to run, or None when there is none left."""
        return self.lines.popleft() if self.lines else None

    def take_rest(self) -> str:
        """The unfinished piece, for the next prompt (once all complete lines ran)."""
        rest, self.rest = self.rest, ""
        return rest

    def drop(self) -> None:
        """Forget the lines that have not run (Ctrl-C: the user stops the paste)."""
        self.lines.clear()
        self.rest = ""


def paste_keys(pasted: Pasted):
    """Key bindings that hand a multi-line paste to ``pasted`` and run its first line."""
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys

    keys = KeyBindings()

    @keys.add(Keys.BracketedPaste)
    def _paste(event) -> None:
        buffer = event.current_buffer
        text = pasted.add(event.data)
        if text is not None:  # one line: as prompt_toolkit would
            buffer.insert_text(text)
            return
        buffer.insert_text(pasted.first())
        buffer.validate_and_handle()  # the line so far runs; the rest waits in ``pasted``

    return keys
