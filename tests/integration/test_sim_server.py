"""The simulator as a server: every query API, the docs' curl, concurrency, persistence, signals."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.conftest import login, spawn_sim
from zcli.catalog import Catalog


def test_every_query_api_answers(sim, admin_session):
    """Every query API of the catalogue: its path, with and without a trailing slash, and its {uuid} path."""
    cat = Catalog()
    http = requests.Session()
    http.headers["Authorization"] = f"OAuth {admin_session}"
    failures, by_uuid = [], 0
    for name in cat.query_api_names():
        api = cat.api(name)
        path = api.path if "{" not in api.path else api.paths[0] if api.paths else api.path
        r = http.get(f"{sim.api}{path}", params={"limit": "2"})
        body = r.json() if r.status_code == 200 else None
        if body is None or not isinstance(body.get("inventories"), list) or "schema" not in body:
            failures.append((name, path, r.status_code, r.text[:100]))
            continue
        slash = http.get(f"{sim.api}{path.rstrip('/')}/", params={"limit": "2"})
        if slash.status_code != 200 or slash.json()["inventories"] != body["inventories"]:
            failures.append((name, path + "/", slash.status_code, slash.text[:100]))
        one = next((i for i in body["inventories"] if "uuid" in i), None)
        single = next((p for p in (api.path, *api.paths) if p.endswith("/{uuid}")), None)
        if one is not None and single is not None:
            by_uuid += 1
            for tail in ("", "/"):
                got = http.get(f"{sim.api}{single.replace('{uuid}', one['uuid'])}{tail}")
                if got.status_code != 200 or [i["uuid"] for i in got.json()["inventories"]] != [one["uuid"]]:
                    failures.append((name, single + tail, got.status_code, got.text[:100]))
    assert failures == []
    assert by_uuid >= 25  # the demo world fills enough tables for the {uuid} form to be exercised


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


def in_threads(work, count: int) -> None:
    """Run ``work(0) .. work(count - 1)`` at once, one thread each; a failure in any is raised here."""
    with ThreadPoolExecutor(max_workers=count) as pool:
        list(pool.map(work, range(count), timeout=120))


def test_many_concurrent_clients(sim, admin_session):
    auth = {"Authorization": f"OAuth {admin_session}"}

    def worker(i: int) -> None:
        http = requests.Session()
        for j in range(10):
            if (i + j) % 3 == 0:
                r = http.get(f"{sim.api}/vm-instances", params=[("q", "vmNics.l3Network.name=pub"),
                                                                ("count", "true")], headers=auth)
                assert r.json()["total"] == 6, r.text
            elif (i + j) % 3 == 1:
                assert len(http.get(f"{sim.api}/zones", headers=auth).json()["inventories"]) == 2
            else:
                assert len(login(sim.api)) == 32

    in_threads(worker, 24)


def _job(r: requests.Response, http=requests) -> requests.Response:
    assert r.status_code == 202, r.text
    for _ in range(500):
        done = http.get(r.json()["location"], timeout=10)
        if done.status_code != 202:
            return done
        time.sleep(0.01)
    raise AssertionError("job never finished")


def _create_zone(api: str, session: str, name: str, http=requests) -> dict:
    r = http.post(f"{api}/zones", json={"params": {"name": name}}, headers={"Authorization": f"OAuth {session}"},
                  timeout=10)
    done = _job(r, http)
    assert done.status_code == 200, done.text
    return done.json()["inventory"]


def test_many_concurrent_writers_and_readers():
    running = spawn_sim("--job-delay", "0.01")
    try:
        session = login(running.api)
        auth = {"Authorization": f"OAuth {session}"}
        made: list[str] = []

        def writer(i: int) -> None:
            http = requests.Session()
            for j in range(6):
                zone = _create_zone(running.api, session, f"zone-{i}-{j}", http)
                done = _job(http.put(f"{running.api}/zones/{zone['uuid']}/actions", headers=auth, timeout=10,
                                     json={"updateZone": {"description": f"by {i}"}}), http)
                assert done.json()["inventory"]["description"] == f"by {i}"
                if j % 2:
                    gone = _job(http.delete(f"{running.api}/zones/{zone['uuid']}", headers=auth, timeout=10), http)
                    assert gone.status_code == 200
                else:
                    made.append(zone["uuid"])
                seen = http.get(f"{running.api}/vm-instances", headers=auth, timeout=10,
                                params=[("q", "vmNics.l3Network.name=pub"), ("count", "true")]).json()
                assert seen["total"] == 6, seen

        in_threads(writer, 16)
        zones = requests.get(f"{running.api}/zones", params={"q": "name~=zone-%-%", "limit": "500"}, headers=auth,
                             timeout=10).json()["inventories"]
        assert sorted(z["uuid"] for z in zones) == sorted(made) and len(made) == 16 * 3
        assert all(z["description"] == f"by {z['name'].split('-')[1]}" for z in zones)
    finally:
        running.stop()


def test_db_persists_across_restart_and_kill(tmp_path):
    db = str(tmp_path / "sim.db")
    first = spawn_sim("--db", db)
    try:
        session = login(first.api)
        auth = {"Authorization": f"OAuth {session}"}
        zone = _create_zone(first.api, session, "persisted")
        doomed = _create_zone(first.api, session, "doomed")
        assert _job(requests.delete(f"{first.api}/zones/{doomed['uuid']}", headers=auth)).status_code == 200
        renamed = _job(requests.put(f"{first.api}/zones/{zone['uuid']}/actions", headers=auth,
                                    json={"updateZone": {"description": "kept"}}))
        assert renamed.json()["inventory"]["description"] == "kept"
        first.process.kill()  # SIGKILL, no clean shutdown: what was acknowledged must still be there
        first.process.wait(10)
        second = spawn_sim("--db", db)
        try:
            assert "reusing" in second.banner
            auth = {"Authorization": f"OAuth {session}"}  # the session was kept too
            r = requests.get(f"{second.api}/zones", params={"q": "name=persisted"}, headers=auth)
            assert [(z["uuid"], z["description"]) for z in r.json()["inventories"]] == [(zone["uuid"], "kept")]
            assert requests.get(f"{second.api}/zones/{doomed['uuid']}", headers=auth).json()["inventories"] == []
            total = requests.get(f"{second.api}/vm-instances", params={"count": "true"}, headers=auth).json()["total"]
            assert total == 20  # not seeded twice
        finally:
            second.stop()
    finally:
        first.stop()


def test_session_timeout_and_job_delay_options_reach_the_simulator():
    from zcli.sim.cli import simulator_options

    options = simulator_options(["--session-timeout", "1.5", "--job-delay", "0.25", "--db", "x.db",
                                 "--job-expiry", "60", "--server-version", "4.8.0"])
    assert options == {"db": "x.db", "scale": 1, "seed": 1, "idle_timeout": 1.5, "job_delay": 0.25,
                       "job_expired_period": 60.0, "server_version": "4.8.0"}


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
