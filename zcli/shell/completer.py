"""The prompt_toolkit face of the completion engine: a thin adapter, run in a thread by the session."""

from __future__ import annotations

from collections.abc import Iterable

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from zcli.completion import CompletionEngine


class EngineCompleter(Completer):
    """Completions from a :class:`~zcli.completion.CompletionEngine` for the text before the cursor.

    The session runs it with ``complete_in_thread=True`` (prompt_toolkit wraps it in a
    ``ThreadedCompleter``), so typing never waits for it.
    """

    def __init__(self, engine: CompletionEngine):
        self.engine = engine

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        # Only the current line counts: a command is one line.
        text = document.current_line_before_cursor
        for s in self.engine.complete(text):
            yield Completion(s.text, start_position=s.start, display=s.display, display_meta=s.meta)
