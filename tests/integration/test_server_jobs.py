"""Job headers, safe retries, failover and the whole ErrorCode, against ``zcli sim`` (issue 10)."""

from __future__ import annotations

import ast
import json
import socket
import uuid

import pytest
import requests

from tests.conftest import login, spawn_sim
from tests.integration.clirun import Zcli, login_args
from zcli.api.client import ApiClient
from zcli.catalog import load_catalog
from zcli.grammar import build_request, parse_command
from zcli.sim.jobs import Jobs


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _create_zone(api: str, session: str, job: str | None, name: str = "jz") -> requests.Response:
    headers = {"Authorization": f"OAuth {session}"}
    if job:
        headers["X-Job-UUID"] = job
    return requests.post(f"{api}/zones", json={"params": {"name": name}}, headers=headers, timeout=10)


def _poll(api: str, job: str) -> requests.Response:
    for _ in range(200):
        r = requests.get(f"{api}/api-jobs/{job}", timeout=10)
        if r.status_code != 202:
            return r
    raise AssertionError("the job never ended")


def test_the_client_job_uuid_is_the_job_id_and_a_duplicate_is_refused(fresh_sim):
    job = uuid.uuid4().hex
    r = _create_zone(fresh_sim.api, fresh_sim.session, job)
    assert r.status_code == 202 and r.json()["location"].endswith(f"/api-jobs/{job}")
    assert r.json()["apiTimeout"] > 0
    assert _poll(fresh_sim.api, job).json()["inventory"]["name"] == "jz"
    r = _create_zone(fresh_sim.api, fresh_sim.session, job)
    assert (r.status_code, r.text) == (400, f"Duplicate job uuid[{job}]")
    r = _create_zone(fresh_sim.api, fresh_sim.session, "abc")
    assert r.status_code == 400 and "must be a UUID with '-' stripped" in r.text


def test_x_api_timeout_becomes_the_replys_api_timeout(fresh_sim):
    r = requests.post(f"{fresh_sim.api}/zones", json={"params": {"name": "t"}}, timeout=10,
                      headers={"Authorization": f"OAuth {fresh_sim.session}", "X-API-Timeout": "7"})
    assert r.json()["apiTimeout"] == 7000


def test_jobs_are_kept_in_the_database_across_a_restart(tmp_path):
    db = str(tmp_path / "sim.db")
    first = spawn_sim("--db", db)
    try:
        job = uuid.uuid4().hex
        session = login(first.api)
        assert _create_zone(first.api, session, job).status_code == 202
        done = _poll(first.api, job).json()
    finally:
        first.stop()
    again = spawn_sim("--db", db)
    try:
        r = requests.get(f"{again.api}/api-jobs/{job}", timeout=10)
        assert r.status_code == 200 and r.json() == done
        assert _create_zone(again.api, login(again.api), job).status_code == 400  # still a duplicate
    finally:
        again.stop()


def test_finished_jobs_expire_after_the_period():
    from zcli.sim.clock import ManualClock

    clock = ManualClock()
    jobs = Jobs(clock=clock, expired_period=10_800)
    try:
        job = jobs.submit(lambda: (200, {"ok": True}))
        jobs.close()  # waits for the work
        assert jobs.poll(job) == (200, {"ok": True})
        clock.advance(10_799)
        assert jobs.poll(job) == (200, {"ok": True})
        clock.advance(2)
        assert jobs.poll(job) is False  # 404 "the job has been expired"
    finally:
        jobs.close()


def test_the_simulator_takes_the_expiry_period_as_an_option(tmp_path):
    sim = spawn_sim("--job-expiry", "0.000001")
    try:
        session = login(sim.api)
        job = uuid.uuid4().hex
        _create_zone(sim.api, session, job)
        r = _poll(sim.api, job)
        assert (r.status_code, r.text) == (404, "the job has been expired")
    finally:
        sim.stop()


def test_an_async_call_carries_a_job_uuid_and_x_api_timeout_when_timeout_is_given(tmp_path, fresh_sim):
    z = Zcli(tmp_path, ZCLI_URL=fresh_sim.url)
    assert z.run(*login_args()).status == 0
    ran = z.run("--debug", "--timeout", "30", "CreateZone", "name=hdr")
    assert ran.status == 0, ran.err
    line = next(x for x in ran.err.splitlines() if x.startswith("debug: > POST"))
    headers = ast.literal_eval(line[line.rindex("{"):])  # the debug line's own dict of X- headers
    assert len(headers["X-Job-UUID"]) == 32 and int(headers["X-Job-UUID"], 16) >= 0
    assert headers["X-API-Timeout"] == "30"
    ran = z.run("--debug", "QueryZone", "limit=1")
    assert "X-Job-UUID" not in ran.err and "X-API-Timeout" not in ran.err


def test_a_timed_out_wait_names_the_job(tmp_path):
    sim = spawn_sim("--job-delay", "3")
    try:
        z = Zcli(tmp_path, ZCLI_URL=sim.url)
        assert z.run(*login_args()).status == 0
        ran = z.run("--timeout", "1", "CreateZone", "name=slow")
        assert ran.status == 3
        assert "waiting for job " in ran.err and "it may still finish" in ran.err
    finally:
        sim.stop()


def test_a_retry_that_finds_the_first_attempt_arrived_polls_that_job(fresh_sim):
    job = uuid.uuid4().hex
    assert _create_zone(fresh_sim.api, fresh_sim.session, job, name="first").status_code == 202
    _poll(fresh_sim.api, job)
    client = ApiClient(fresh_sim.url, session_uuid=fresh_sim.session, new_job_uuid=lambda: job)
    reply = client.send(build_request(parse_command(["CreateZone", "name=second"], load_catalog())))
    assert reply["inventory"]["name"] == "first"  # the job already made, not a second zone


def test_failover_to_the_next_management_node(tmp_path, fresh_sim):
    dead = f"http://127.0.0.1:{_free_port()}/zstack"
    z = Zcli(tmp_path)
    z.write_config(f'[profiles.ha]\nurl = "{dead}"\nstandby_urls = ["{fresh_sim.url}"]\n')
    ran = z.run("--profile", "ha", *login_args())
    assert ran.status == 0, ran.err
    ran = z.run("--profile", "ha", "--debug", "CreateZone", "name=ha-zone", "-o", "json")
    assert ran.status == 0, ran.err
    assert f"trying {fresh_sim.url}" in ran.err
    assert json.loads(ran.out)["inventory"]["name"] == "ha-zone"
    assert z.run("--profile", "ha", "QueryZone", "name=ha-zone", "count=true").status == 0


def test_every_node_down_names_them_all(tmp_path):
    a, b = (f"http://127.0.0.1:{_free_port()}/zstack" for _ in range(2))
    z = Zcli(tmp_path)
    z.write_config(f'[profiles.ha]\nurl = "{a}"\nstandby_urls = ["{b}"]\n')
    ran = z.run("--profile", "ha", "GetVersion")
    assert ran.status == 3 and "tried every node" in ran.err and a in ran.err and b in ran.err


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_an_api_error_is_shown_whole(tmp_path, fresh_sim, fmt):
    z = Zcli(tmp_path, ZCLI_URL=fresh_sim.url)
    assert z.run(*login_args()).status == 0
    args = ["StartVmInstance", "uuid=" + "0" * 32] + (["-o", "json"] if fmt == "json" else [])
    ran = z.run(*args)
    assert ran.status == 1 and ran.out == ""
    if fmt == "json":
        error = json.loads(ran.err)["error"]
        assert error["code"] and error["description"] and error["details"]
    else:
        assert ran.err.startswith("zcli: SYS.") and ": " in ran.err
