"""Async job polling: the location's host rewritten to the endpoint in use, backoff, the deadline."""

from __future__ import annotations

import itertools

import pytest

from zcli.api.jobs import delays, job_url, wait_for_job
from zcli.errors import ExitStatus, Interrupted, TransportError


@pytest.mark.parametrize("location,base,expected", [
    ("http://10.0.0.1:8080/zstack/v1/api-jobs/J1", "http://127.0.0.1:5000/zstack",
     "http://127.0.0.1:5000/zstack/v1/api-jobs/J1"),
    ("http://mn-internal/zstack/v1/api-jobs/J2", "https://mn.example.com:8443/zstack/",
     "https://mn.example.com:8443/zstack/v1/api-jobs/J2"),
    ("http://10.0.0.1:8080/zstack/v1/api-jobs/J3?x=1", "http://proxy/prefix/zstack",
     "http://proxy/prefix/zstack/v1/api-jobs/J3?x=1"),
    ("http://10.0.0.1:8080/jobs/J4", "https://mn:443/zstack", "https://mn:443/jobs/J4"),
    ("/zstack/v1/api-jobs/J5", "http://h:1/zstack", "http://h:1/zstack/v1/api-jobs/J5"),
])
def test_job_url_rewrites_the_host(location, base, expected):
    assert job_url(location, base) == expected


def test_delays_double_up_to_the_longest():
    assert list(itertools.islice(delays(0.05, 1.0), 7)) == [0.05, 0.1, 0.2, 0.4, 0.8, 1.0, 1.0]


class FakeTime:
    def __init__(self):
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_wait_polls_until_done_and_reports_progress():
    t = FakeTime()
    answers = iter([None, None, None, {"inventory": {"uuid": "x"}}])
    waits: list = []
    result = wait_for_job(lambda: next(answers), url="u", deadline=None, clock=t.clock, sleep=t.sleep,
                          on_wait=waits.append)
    assert result == {"inventory": {"uuid": "x"}}
    assert t.slept == [0.05, 0.1, 0.2]
    assert waits == [0.0, pytest.approx(0.05), pytest.approx(0.15), None]


def test_wait_gives_up_at_the_deadline_and_clears_the_spinner():
    t = FakeTime()
    waits: list = []
    with pytest.raises(TransportError, match=r"timed out after 3s waiting for the job at http://x/j"):
        wait_for_job(lambda: None, url="http://x/j", deadline=t.now + 3, clock=t.clock, sleep=t.sleep,
                     on_wait=waits.append)
    assert sum(t.slept) == pytest.approx(3.0)  # the last pause is cut to the deadline
    assert waits[-1] is None


def test_wait_lets_the_polls_error_through():
    t = FakeTime()

    def poll():
        raise TransportError("boom")

    waits: list = []
    with pytest.raises(TransportError, match="boom"):
        wait_for_job(poll, url="u", deadline=None, clock=t.clock, sleep=t.sleep, on_wait=waits.append)
    assert waits == [None]


def test_ctrl_c_while_waiting_says_the_job_may_still_finish():
    t = FakeTime()
    waits: list = []

    def sleep(seconds: float) -> None:
        if t.slept:  # the second pause: the user presses Ctrl-C
            raise KeyboardInterrupt
        t.sleep(seconds)

    with pytest.raises(Interrupted) as e:
        wait_for_job(lambda: None, url="u", deadline=None, clock=t.clock, sleep=sleep, on_wait=waits.append)
    assert str(e.value) == "interrupted: the job may still finish on the server"
    assert e.value.status == ExitStatus.INTERRUPTED
    assert waits[-1] is None  # the spinner cleared its line (and the ^C on it) before the message
