"""Long jobs over HTTP: Waiting → Running (progress) → Succeeded or Failed, on an injected clock."""

from __future__ import annotations

import json
import time

import pytest
import requests

from tests.conftest import login
from zcli.sim.clock import ManualClock
from zcli.sim.longjobs import RUN_SECONDS
from zcli.sim.server import start_in_thread


@pytest.fixture
def lj():
    clock = ManualClock()
    handle = start_in_thread(port=0, clock=clock)
    http = requests.Session()
    http.headers["Authorization"] = f"OAuth {login(handle.url + '/v1')}"
    api = handle.url + "/v1"

    def call(method, path, body=None, **params):
        r = http.request(method, api + path, json=body, params=params, timeout=10)
        if r.status_code != 202:
            return r
        for _ in range(500):
            done = http.get(r.json()["location"], timeout=10)
            if done.status_code != 202:
                return done
            time.sleep(0.01)
        raise AssertionError("job never finished")

    def job(uuid):
        return http.get(f"{api}/longjobs/{uuid}", timeout=10).json()["inventories"][0]

    def until(uuid, state):
        for _ in range(400):
            if job(uuid)["state"] == state:
                return job(uuid)
            time.sleep(0.01)
        raise AssertionError(f"long job never {state}: {job(uuid)}")

    yield clock, call, job, until, http, api
    handle.stop()


def test_a_long_job_runs_the_api_it_names_with_progress(lj):
    clock, call, job, until, http, api = lj
    data = json.dumps({"params": {"name": "zone-by-long-job"}})
    r = call("POST", "/longjobs", {"params": {"jobName": "APICreateZoneMsg", "jobData": data}})
    assert r.status_code == 200, r.text
    made = r.json()["inventory"]
    assert made["state"] in ("Waiting", "Running")
    running = until(made["uuid"], "Running")
    progress = http.get(f"{api}/task-progresses/{running['apiId']}", timeout=10).json()["inventories"]
    assert progress[0]["content"] == "0"
    clock.advance(RUN_SECONDS / 2)
    for _ in range(200):
        got = http.get(f"{api}/task-progresses/{running['apiId']}", timeout=10).json()["inventories"]
        if got[0]["content"] == "50":
            break
        time.sleep(0.01)
    assert got[0]["content"] == "50" and job(made["uuid"])["state"] == "Running"
    clock.advance(RUN_SECONDS)
    done = until(made["uuid"], "Succeeded")
    assert json.loads(done["jobResult"])["inventory"]["name"] == "zone-by-long-job"
    zones = http.get(f"{api}/zones", params={"q": "name=zone-by-long-job"}, timeout=10).json()["inventories"]
    assert len(zones) == 1
    assert call("DELETE", f"/longjobs/{made['uuid']}").status_code == 200
    assert http.get(f"{api}/longjobs/{made['uuid']}", timeout=10).json()["inventories"] == []


def test_a_long_job_that_fails_and_one_canceled(lj):
    clock, call, job, until, http, api = lj
    bad = call("POST", "/longjobs", {"params": {"jobName": "APICreateZoneMsg", "jobData": "{\"params\": {}}"}})
    uuid = bad.json()["inventory"]["uuid"]
    clock.advance(RUN_SECONDS * 2)
    failed = until(uuid, "Failed")
    assert "zoneName" in failed["jobResult"] or "name" in failed["jobResult"]
    slow = call("POST", "/longjobs", {"params": {"jobName": "CreateZone",
                                                 "jobData": json.dumps({"params": {"name": "never"}})}})
    uuid = slow.json()["inventory"]["uuid"]
    until(uuid, "Running")
    assert call("PUT", f"/longjobs/{uuid}/actions", {"cancelLongJob": {}}).status_code == 200
    clock.advance(RUN_SECONDS * 2)
    time.sleep(0.2)
    assert job(uuid)["state"] == "Canceled"
    assert http.get(f"{api}/zones", params={"q": "name=never"}, timeout=10).json()["inventories"] == []
    again = call("PUT", f"/longjobs/{uuid}/actions", {"cancelLongJob": {}})
    assert again.status_code == 503 and "only a waiting or running job" in again.json()["error"]["details"]


def test_an_unknown_job_name_is_refused(lj):
    _, call, *_ = lj
    r = call("POST", "/longjobs", {"params": {"jobName": "APINoSuchMsg", "jobData": "{}"}})
    assert r.status_code == 503 and r.json()["error"]["code"] == "SYS.1007"


def test_zcli_waits_for_a_long_job_as_for_an_api_job(tmp_path):
    import threading

    from tests.conftest import RunningSim
    from tests.integration.clirun import Zcli
    from zcli.sessions import SessionStore

    clock = ManualClock()
    handle = start_in_thread(port=0, clock=clock)
    running = RunningSim(handle.host, handle.port, handle=handle)
    stop = threading.Event()

    def tick():  # the job's time passes only on the injected clock
        while not stop.wait(0.05):
            clock.advance(RUN_SECONDS / 4)

    ticker = threading.Thread(target=tick, daemon=True)
    try:
        SessionStore(tmp_path / "state").save(running.url, "admin", login(running.api))
        z = Zcli(tmp_path, ZCLI_URL=running.url)
        ticker.start()
        data = json.dumps({"params": {"name": "cli-long"}})
        ran = z.run("SubmitLongJob", "jobName=APICreateZoneMsg", f"jobData={data}", "-o", "json")
        assert ran.status == 0, ran.err
        job = json.loads(ran.out)["inventory"]
        assert job["state"] == "Succeeded" and json.loads(job["jobResult"])["inventory"]["name"] == "cli-long"
        ran = z.run("SubmitLongJob", "jobName=APICreateZoneMsg", "jobData={\"params\": {}}", "-o", "json")
        assert ran.status == 1 and "Failed" in ran.err and "SYS.1007" in ran.err
    finally:
        stop.set()
        running.stop()
