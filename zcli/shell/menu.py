"""The completion menu drawn again when live values arrive from the server (see :mod:`zcli.shell.live`)."""

from __future__ import annotations

import contextvars

#: A refresh dropped because a completion was running is tried again this often, this far apart.
RETRIES, RETRY_PAUSE = 200, 0.05


def show_arrived_values(app) -> None:
    """Called from the worker thread that stored new values: complete again on the UI loop of ``app``
    (a prompt_toolkit Application), so that the menu shows them without a key press."""
    loop = getattr(app, "loop", None)
    if not app.is_running or loop is None:
        return

    def refresh(attempt: int = 0) -> None:
        buffer = app.current_buffer
        state = buffer.complete_state
        if (state is not None and state.complete_index is None) or (
                state is None and buffer.text.strip() and buffer.document.is_cursor_at_the_end):
            # A menu is open and nothing chosen yet, or no menu because nothing was known yet
            # (``StartVmInstance uuid=`` before the uuids came): complete again, as typing would have.
            buffer.complete_state = None  # start_completion() does nothing while a menu is open
            buffer.start_completion(select_first=False)
            loop.call_soon(started, attempt)  # after the completion task's first step
        app.invalidate()

    def started(attempt: int) -> None:
        # prompt_toolkit runs one completion at a time and drops a request made while one runs: the one
        # that asked for these values may still be running (in its thread) and would then end without
        # them. A started completion sets its state at once; none means ours was dropped.
        if app.current_buffer.complete_state is None and attempt < RETRIES:
            loop.call_later(RETRY_PAUSE, refresh, attempt + 1)

    # In this context (carried from the completer's thread) prompt_toolkit's get_app() is our app.
    loop.call_soon_threadsafe(refresh, context=contextvars.copy_context())
