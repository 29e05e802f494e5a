"""The deadline of a command and the bounded exchange (zcli/api/deadline.py), with the fault server."""

from __future__ import annotations

import time

import pytest

from tests.faults import FaultServer
from zcli.api import deadline as deadline_module
from zcli.api.client import ApiClient
from zcli.api.deadline import Deadline, TimedOut, reply_limit
from zcli.catalog import Api
from zcli.errors import TransportError, UsageError
from zcli.grammar import Request
from zcli.limits import EXCHANGE_SECONDS, JOB_GRACE_SECONDS, JOB_SECONDS, MAX_REPLY_BYTES

QUERY = Request("GET", "/zones", [], None, Api(name="QueryZone", method="GET", path="/zones", query=True))


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture(scope="module")
def faults():
    server = FaultServer()
    yield server
    server.stop()


def test_without_timeout_the_defaults_bound_each_step():
    clock = Clock()
    d = Deadline(None, clock)
    assert d.remaining() is None and d.http_timeouts(5, 60) == (5, 60)
    assert d.exchange_limit() == EXCHANGE_SECONDS
    assert d.job_deadline(None) == 100.0 + JOB_SECONDS
    assert d.job_deadline(20_000) == pytest.approx(100.0 + 20 + JOB_GRACE_SECONDS + 2)
    assert d.job_deadline(True) == 100.0 + JOB_SECONDS  # not a number of milliseconds


def test_with_timeout_everything_shares_the_time_left():
    clock = Clock()
    d = Deadline(10, clock)
    clock.now += 4
    assert d.remaining() == 6 and d.http_timeouts(5, 60) == (5, 6) and d.exchange_limit() == 6
    assert d.job_deadline(1_000_000) == 110.0
    clock.now += 7
    with pytest.raises(TimedOut, match=r"timed out after 10s reading \(see --timeout\)"):
        d.check("reading")


def test_timeout_0_is_no_limit():
    d = Deadline(0, Clock())
    assert d.unlimited and d.http_timeouts() == (None, None) and d.exchange_limit() is None
    assert d.job_deadline(1500) is None
    d.check("anything")


def test_the_reply_limit_is_set_in_megabytes():
    assert reply_limit({}) == MAX_REPLY_BYTES
    assert reply_limit({"ZCLI_MAX_REPLY_MB": "3"}) == 3 * 1024 * 1024
    assert reply_limit({"ZCLI_MAX_REPLY_MB": "0"}) is None
    for bad in ("-1", "1.5", "lots", "9" * 20):
        with pytest.raises(UsageError):
            reply_limit({"ZCLI_MAX_REPLY_MB": bad})


def test_a_stalled_server_is_bounded_by_the_default_read_timeout(faults):
    client = ApiClient(faults.url("stall"), session_uuid="S", timeout=(1, 0.5), get_retries=0)
    started = time.monotonic()
    with pytest.raises(TransportError, match="timed out waiting for"):
        client.send(QUERY)
    assert time.monotonic() - started < 3


def test_a_trickle_is_bounded_by_the_default_exchange_limit(faults, monkeypatch):
    monkeypatch.setattr(deadline_module, "EXCHANGE_SECONDS", 1.5)
    client = ApiClient(faults.url("trickle"), session_uuid="S", get_retries=0)
    started = time.monotonic()
    with pytest.raises(TransportError, match=r"timed out after 1\.5s waiting for"):
        client.send(QUERY)
    assert time.monotonic() - started < 4


def test_a_body_past_the_limit_is_refused_and_a_raised_limit_takes_it(faults):
    with pytest.raises(TransportError, match="larger than 1 MB"):
        ApiClient(faults.url("gzip"), session_uuid="S", max_reply=1024 * 1024).send(QUERY)
    reply = ApiClient(faults.url("gzip"), session_uuid="S", max_reply=None).send(QUERY)
    assert len(reply["inventories"][0]["name"]) == 64 * 1024 * 1024


def test_a_command_shares_one_deadline_across_its_requests(faults):
    client = ApiClient(faults.url("stall"), session_uuid="S", wait_timeout=1.0, get_retries=0)
    started = time.monotonic()
    with client.command(), pytest.raises(TransportError, match="timed out after 1s"):
        client.send(QUERY)
    with client.command() as d:
        time.sleep(0.3)
        assert d.remaining() < 0.8
    assert client.deadline is None
    assert time.monotonic() - started < 3
