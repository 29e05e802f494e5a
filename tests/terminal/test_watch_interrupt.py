"""Ctrl-C during ``watch``, under a pseudo-terminal with the real shell, while the watch waits on the slowest
thing it can wait on.

Issue 9 asks that one Ctrl-C stop ``watch`` at once, "including a job wait". ``watch`` runs read-only APIs
alone, and the real server answers none of them with a job: ``RestServer.sendMessage`` answers an
``APISyncCallMessage`` at once and anything else with 202 and a job location, and every GET message class of
the server's source (181 of them) descends from ``APISyncCallMessage`` (through ``APIQueryMessage``,
``APIGetMessage``, or directly). The SDK agrees: of its 575 GET actions, only ``SyncDataCenterFromRemote`` and
``SyncIdentityFromRemote`` have ``needPoll = true``, and both act (watch refuses them). So no watch can be
in a job wait against a real server (the job-wait case is unit-tested with a fake, in test_shell_rules.py);
the slowest thing a watch waits on is a reply the server takes its time to give. That is what this test
holds: the simulator keeps QueryZone's reply until the test lets it go.
"""

from __future__ import annotations

import threading

import pytest

from tests.conftest import login
from tests.terminal.screen import CTRL_C, ENTER, Terminal
from zcli.sessions import SessionStore
from zcli.sim.server import start_in_thread

pytestmark = pytest.mark.timeout(90)


class HeldReplies:
    """Wraps a simulator's ``handle``: records every request, and holds the reply to ``GET path`` until
    :meth:`release` (at most ``bound`` seconds, so that the server never hangs)."""

    def __init__(self, sim, path: str, bound: float = 60.0):
        self._handle = sim.handle
        self.path, self.bound = path, bound
        self.seen: list[tuple[str, str]] = []
        self.held = threading.Event()
        self._release = threading.Event()
        sim.handle = self

    def __call__(self, method, path, query, headers, body, base_url):
        self.seen.append((method, path))
        if method == "GET" and path == self.path:
            self.held.set()
            self._release.wait(self.bound)
        return self._handle(method, path, query, headers, body, base_url)

    def release(self) -> None:
        self._release.set()

    @property
    def released(self) -> bool:
        return self._release.is_set()


def prompts(screen: str) -> int:
    return sum(line.startswith("zcli>") for line in screen.splitlines())


def test_one_ctrl_c_stops_watch_while_it_waits_for_a_slow_reply(tmp_path):
    server = start_in_thread(port=0)
    url = server.url
    SessionStore(tmp_path).save(url, "admin", login(url + "/v1"))
    replies = HeldReplies(server.simulator, "/zstack/v1/zones")
    t = Terminal(tmp_path, args=("--url", url))
    try:
        t.wait_for("zcli>")
        t.send("watch 1 QueryZone count=true" + ENTER)
        assert replies.held.wait(20), t.text()  # the watch's first request is at the server, its reply held
        asked = len(replies.seen)
        t.send(CTRL_C)  # one press
        screen = t.wait_until(lambda s: prompts(s) == 2)
        assert prompts(screen) == 2, screen  # the prompt is back...
        assert not replies.released  # ...while the reply is still held: the watch did not wait for it
        assert "Every 1s" not in screen  # no run was shown
        assert "interrupted" not in screen and "Traceback" not in screen and "zcli:" not in screen, screen
        replies.release()  # the server answers now: a watch still running would show it, then run again
        after = t.settle(quiet=2.5, timeout=10)  # over two intervals of the watch
        assert prompts(after) == 2 and "Every 1s" not in after, after
        assert len(replies.seen) == asked  # nothing was sent after Ctrl-C: no retry, no second run
        t.send("QueryZone count=true -o json" + ENTER)  # the shell is up and takes the next line
        t.wait_for('"total"')
    finally:
        replies.release()
        status = t.close()
        server.stop()
    assert status == 0
