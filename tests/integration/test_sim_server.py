"""The simulator as a server: every query API, the docs' curl, concurrency, persistence, signals."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import threading
import time

import pytest
import requests

from tests.conftest import login, spawn_sim
from zcli.catalog import Catalog


def test_every_query_api_answers(sim, admin_session):
    cat = Catalog()
    http = requests.Session()
    http.headers["Authorization"] = f"OAuth {admin_session}"
    failures = []
    for name in cat.query_api_names():
        api = cat.api(name)
        path = api.path if "{" not in api.path else api.paths[0] if api.paths else api.path
        r = http.get(f"{sim.api}{path}", params={"limit": "2"})
        body = r.json() if r.status_code == 200 else None
        if body is None or not isinstance(body.get("inventories"), list) or "schema" not in body:
            failures.append((name, path, r.status_code, r.text[:100]))
    assert failures == []


def test_docs_curl_example(sim, admin_session):
    if shutil.which("curl") is None:
        pytest.skip("no curl")
    out = subprocess.run(["curl", "-s", "-H", f"Authorization: OAuth {admin_session}",
                          f"http://{sim.host}:{sim.port}/zstack/v1/ai/model-services"],
                         capture_output=True, text=True, check=True, timeout=20).stdout
    services = json.loads(out)["inventories"]
    docs = next(s for s in services if s["name"] == "text to text model service")
    assert docs["description"] == "This is text to text model service you can chose model"
    assert (docs["yaml"], docs["requestCpu"], docs["requestMemory"], docs["supportDistributed"]) == (
        "model service parameters", 4, 1024, False)


def test_many_concurrent_clients(sim, admin_session):
    errors: list = []
    auth = {"Authorization": f"OAuth {admin_session}"}

    def worker(i: int) -> None:
        http = requests.Session()
        try:
            for j in range(10):
                if (i + j) % 3 == 0:
                    r = http.get(f"{sim.api}/vm-instances", params=[("q", "vmNics.l3Network.name=pub"),
                                                                    ("count", "true")], headers=auth)
                    assert r.json()["total"] == 6, r.text
                elif (i + j) % 3 == 1:
                    assert len(http.get(f"{sim.api}/zones", headers=auth).json()["inventories"]) == 2
                else:
                    assert len(login(sim.api)) == 32
        except Exception as exc:  # collected and asserted below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []


def _create_zone(api: str, session: str, name: str) -> dict:
    r = requests.post(f"{api}/zones", json={"params": {"name": name}}, headers={"Authorization": f"OAuth {session}"})
    for _ in range(300):
        done = requests.get(r.json()["location"])
        if done.status_code != 202:
            return done.json()["inventory"]
        time.sleep(0.01)
    raise AssertionError("job never finished")


def test_db_persists_across_restart_and_kill(tmp_path):
    db = str(tmp_path / "sim.db")
    first = spawn_sim("--db", db)
    try:
        session = login(first.api)
        zone = _create_zone(first.api, session, "persisted")
        first.process.kill()  # no clean shutdown: what was acknowledged must still be there
        first.process.wait(10)
        second = spawn_sim("--db", db)
        try:
            assert "reusing" in second.banner
            auth = {"Authorization": f"OAuth {session}"}  # the session was kept too
            r = requests.get(f"{second.api}/zones", params={"q": "name=persisted"}, headers=auth)
            assert [z["uuid"] for z in r.json()["inventories"]] == [zone["uuid"]]
            total = requests.get(f"{second.api}/vm-instances", params={"count": "true"}, headers=auth).json()["total"]
            assert total == 20  # not seeded twice
        finally:
            second.stop()
    finally:
        first.stop()


def test_sigterm_stops_cleanly():
    running = spawn_sim()
    assert requests.get(f"{running.api}/accounts/sessions/x/valid").status_code == 200
    running.process.send_signal(signal.SIGTERM)
    assert running.process.wait(10) == 0
    rest = running.process.stdout.read()
    assert "stopped" in rest and "Traceback" not in running.process.stderr.read()


def test_ctrl_c_stops_cleanly():
    running = spawn_sim()
    running.process.send_signal(signal.SIGINT)
    assert running.process.wait(10) == 0
    assert "Traceback" not in running.process.stderr.read()


def test_port_in_use_is_reported(sim):
    proc = subprocess.run([*running_cmd(), "--port", str(sim.port)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 3 and "cannot listen" in proc.stderr


def running_cmd() -> list[str]:
    import sys

    return [sys.executable, "-m", "zcli", "sim", "--host", "127.0.0.1"]


def test_verbose_logs_requests():
    running = spawn_sim("--verbose")
    try:
        requests.get(f"{running.api}/zones")
    finally:
        running.stop()
    assert "GET /zstack/v1/zones -> 400" in running.process.stderr.read()
