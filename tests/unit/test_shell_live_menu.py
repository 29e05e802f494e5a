"""Live values that land while the completion that asked for them is still running reach the menu.

prompt_toolkit runs one completion at a time and drops a request made while one runs; the shell's refresh
on the values' arrival must not be lost to that (on a loaded machine the completer's thread often ends after
the fetch). Events order the race here, so it happens on every run; the bounds only end a failing run.
"""

from __future__ import annotations

import threading
import time

from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from tests.unit.test_shell import FakeClient, new_shell
from zcli.catalog import Catalog
from zcli.commands import Context

UUID = "0123456789abcdef0123456789abcdef"


def wait_until(predicate, bound: float = 20.0) -> bool:
    deadline = time.monotonic() + bound
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def test_values_that_land_while_their_completion_runs_are_shown():
    ctx = Context(catalog=Catalog(), client=FakeClient(), endpoint="http://mn:8080/zstack", account="admin")
    release = threading.Event()
    shown: list[str] = []

    def fetch(endpoint, inventory, field):
        release.wait(20)
        return [(UUID, "vm-late")]

    with create_pipe_input() as pipe:
        shell = new_shell(ctx, input=pipe, output=DummyOutput(), history=InMemoryHistory(), live_fetch=fetch)
        buffer = lambda: shell.session.app.current_buffer  # noqa: E731
        real = shell.engine.complete

        def complete(text):
            got = list(real(text))  # asks for the uuids: none known yet
            if text.endswith("uuid=") and not release.is_set():
                release.set()  # the values land now, while this completion is still running,
                wait_until(lambda: buffer().complete_state is None)  # and the shell's refresh has run
            return got

        shell.engine.complete = complete

        def watcher():
            def menu() -> list[str]:
                state = buffer().complete_state
                return [c.text for c in state.completions] if state is not None else []

            if wait_until(lambda: any(UUID in text for text in menu())):
                shown.append(UUID)
            pipe.send_text("\x03exit\r")

        thread = threading.Thread(target=watcher)
        pipe.send_text("StartVmInstance uuid=")
        thread.start()
        assert shell.loop() == 0
        thread.join()
    assert shown == [UUID]
