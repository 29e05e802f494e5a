"""Async APIs (202 + location): polled to the end on the endpoint in use, printed like a query, bounded by
--timeout."""

from __future__ import annotations

import json

import pytest

from tests.integration.clirun import Zcli
from zcli.sessions import SessionStore


@pytest.fixture
def slow_sim(tmp_path):
    """A simulator whose jobs take 0.6 s."""
    from tests.conftest import RunningSim, login
    from zcli.sim.server import start_in_thread

    handle = start_in_thread(job_delay=0.6)
    running = RunningSim(handle.host, handle.port, handle=handle)
    running.session = login(running.api)
    yield running
    running.stop()


def kept(tmp_path, running) -> Zcli:
    SessionStore(tmp_path / "state").save(running.url, "admin", running.session)
    return Zcli(tmp_path, ZCLI_URL=running.url)


def test_create_is_polled_and_printed_like_a_query(tmp_path, slow_sim):
    z = kept(tmp_path, slow_sim)
    ran = z.run("CreateZone", "name=async-zone", "description=polled", "--debug")
    assert ran.status == 0, ran.err
    reply = json.loads(ran.out)
    assert reply["inventory"]["name"] == "async-zone"
    polls = [line for line in ran.err.splitlines() if "/v1/api-jobs/" in line and line.startswith("debug: > GET")]
    assert len(polls) >= 2  # 202 while it runs, then the result
    assert all(slow_sim.url in line for line in polls)  # on the endpoint in use
    assert "⠋" not in ran.err  # no spinner when stderr is not a terminal
    ran = z.run("QueryZone", "name=async-zone", "fields=uuid", "-o", "value")
    assert ran.out.strip() == reply["inventory"]["uuid"]
    ran = z.run("CreateZone", "name=async-zone-2", "-o", "table")
    assert "async-zone-2" in ran.out and ran.out.splitlines()[0].split(":")[0].strip() == "uuid"


def test_action_and_delete_are_awaited(tmp_path, slow_sim):
    z = kept(tmp_path, slow_sim)
    uuid = z.run("QueryVmInstance", "state=Running", "limit=1", "fields=uuid", "-o", "value").out.strip()
    ran = z.run("StopVmInstance", f"uuid={uuid}", "-o", "json")
    assert ran.status == 0, ran.err
    assert json.loads(ran.out)["inventory"]["state"] == "Stopped"
    zone = json.loads(z.run("CreateZone", "name=doomed").out)["inventory"]["uuid"]
    ran = z.run("DeleteZone", f"uuid={zone}", "-o", "table")
    assert (ran.status, ran.out) == (0, "DeleteZone: done\n")  # a table of nothing: a confirmation
    assert z.run("QueryZone", f"uuid={zone}", "-o", "value").out == ""


def test_timeout_bounds_the_wait(tmp_path):
    """The job outlives --timeout by far, and --timeout leaves room for start-up and the POST even on a
    loaded machine, so the deadline falls in the job wait."""
    from tests.conftest import RunningSim, login
    from zcli.sim.server import start_in_thread

    handle = start_in_thread(job_delay=30)
    try:
        running = RunningSim(handle.host, handle.port, handle=handle)
        running.session = login(running.api)
        z = kept(tmp_path, running)
        ran = z.run("CreateZone", "name=too-slow", "--timeout", "3")
    finally:
        handle.stop()
    assert ran.status == 3
    assert "timed out" in ran.err and "api-jobs" in ran.err and ran.err.count("\n") == 1
