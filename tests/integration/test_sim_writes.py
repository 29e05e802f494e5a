"""Writes over HTTP: async job lifecycle, create → query → update → delete, actions, failures."""

from __future__ import annotations

import time

import pytest
import requests

from zcli.sim.server import start_in_thread


def wait(location: str) -> requests.Response:
    for _ in range(500):
        r = requests.get(location, timeout=10)
        if r.status_code != 202:
            return r
        time.sleep(0.01)
    raise AssertionError("job never finished")


@pytest.fixture
def call(fresh_sim):
    auth = {"Authorization": f"OAuth {fresh_sim.session}"}

    def call(method: str, path: str, body: dict | None = None, **params) -> requests.Response:
        r = requests.request(method, f"{fresh_sim.api}{path}", json=body, params=params, headers=auth, timeout=10)
        assert r.status_code == 202, r.text
        assert r.json()["location"].startswith(f"http://{fresh_sim.host}:{fresh_sim.port}/zstack/v1/api-jobs/")
        return wait(r.json()["location"])

    def query(path: str, *conds: str) -> list[dict]:
        r = requests.get(f"{fresh_sim.api}{path}", params=[("q", c) for c in conds], headers=auth, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()["inventories"]

    call.query = query
    return call


def test_job_is_202_while_running_then_200():
    from zcli.sim.clock import ManualClock

    clock = ManualClock()
    handle = start_in_thread(job_delay=5, clock=clock)
    try:
        api = handle.url + "/v1"
        from tests.conftest import login

        auth = {"Authorization": f"OAuth {login(api)}"}
        r = requests.post(f"{api}/zones", json={"params": {"name": "slow"}}, headers=auth)
        assert r.status_code == 202
        for _ in range(3):  # in progress for as long as the clock stands still
            running = requests.get(r.json()["location"])
            assert running.status_code == 202 and running.json() == {}
        clock.advance(5)
        done = wait(r.json()["location"])
        assert done.status_code == 200 and done.json()["inventory"]["name"] == "slow"
    finally:
        handle.stop()


def test_unknown_job_is_404_expired(sim):
    r = requests.get(f"{sim.api}/api-jobs/0123456789abcdef0123456789abcdef")
    assert r.status_code == 404 and r.text == "the job has been expired"


def test_create_query_update_delete_a_zone(call):
    created = call("POST", "/zones", {"params": {"name": "新区域", "description": "d"}})
    assert created.status_code == 200
    zone = created.json()["inventory"]
    assert zone["name"] == "新区域" and zone["state"] == "Enabled" and len(zone["uuid"]) == 32
    assert call.query("/zones", "name=新区域") == [zone | {"lastOpDate": zone["lastOpDate"]}]
    updated = call("PUT", f"/zones/{zone['uuid']}/actions", {"updateZone": {"name": "renamed"}})
    assert updated.json()["inventory"]["name"] == "renamed"
    disabled = call("PUT", f"/zones/{zone['uuid']}/actions", {"changeZoneState": {"stateEvent": "disable"}})
    assert disabled.json()["inventory"]["state"] == "Disabled"
    deleted = call("DELETE", f"/zones/{zone['uuid']}", deleteMode="Permissive")
    assert deleted.status_code == 200 and deleted.json() == {}  # an event without fields: an empty map
    assert call.query("/zones", f"uuid={zone['uuid']}") == []


def test_create_with_resource_uuid_and_path_variable(call):
    l3 = call.query("/l3-networks", "name=pub")[0]
    body = {"params": {"name": "extra", "startIp": "10.1.200.1", "endIp": "10.1.200.9", "netmask": "255.255.0.0",
                       "resourceUuid": "0123456789ab4def8123456789abcdef"}}
    r = call("POST", f"/l3-networks/{l3['uuid']}/ip-ranges", body)
    made = r.json()["inventory"]
    assert made["uuid"] == "0123456789ab4def8123456789abcdef" and made["l3NetworkUuid"] == l3["uuid"]
    assert [x["name"] for x in call.query("/l3-networks", "name=pub")[0]["ipRanges"]] == ["range-pub", "extra"]


def test_vm_create_power_actions_destroy_and_expunge(call):
    offering = call.query("/instance-offerings", "name=medium")[0]
    image = call.query("/images", "name=centos-7.9")[0]
    l3 = call.query("/l3-networks", "name=pub")[0]
    r = call("POST", "/vm-instances", {"params": {"name": "new-vm", "instanceOfferingUuid": offering["uuid"],
                                                  "imageUuid": image["uuid"], "l3NetworkUuids": [l3["uuid"]]}})
    vm = r.json()["inventory"]
    assert vm["state"] == "Running" and vm["cpuNum"] == 2 and vm["vmNics"][0]["l3NetworkUuid"] == l3["uuid"]
    assert call.query("/vm-instances", "vmNics.l3Network.name=pub", "name=new-vm")[0]["uuid"] == vm["uuid"]
    path = f"/vm-instances/{vm['uuid']}/actions"
    assert call("PUT", path, {"stopVmInstance": {}}).json()["inventory"]["state"] == "Stopped"
    assert call("PUT", path, {"startVmInstance": {}}).json()["inventory"]["state"] == "Running"
    assert call("PUT", path, {"rebootVmInstance": {}}).json()["inventory"]["state"] == "Running"
    assert call("DELETE", f"/vm-instances/{vm['uuid']}", deleteMode="Enforcing").status_code == 200
    assert call.query("/vm-instances", "name=new-vm")[0]["state"] == "Destroyed"
    assert call("PUT", path, {"expungeVmInstance": {}}).status_code == 200
    assert call.query("/vm-instances", "name=new-vm") == []
    assert call.query("/vm-instances/nics", f"vmInstanceUuid={vm['uuid']}") == []


def test_ai_update_and_deploy_share_a_path(call):
    svc = call.query("/ai/model-services", "name=qwen-chat")[0]
    r = call("PUT", f"/ai/model-services/{svc['uuid']}", {"updateModelService": {"requestCpu": 12}})
    assert r.json()["inventory"]["requestCpu"] == 12
    deploy = call("PUT", f"/ai/model-services/{svc['uuid']}",
                  {"deployModelService": {"name": "d", "zoneUuid": "z", "type": "ModelService"}})
    assert deploy.status_code == 503  # routed to DeployModelService, which the simulator does not carry out


def test_put_without_a_known_action_is_400(fresh_sim):
    r = requests.put(f"{fresh_sim.api}/vm-instances/{'0' * 32}/actions", json={"flyVmInstance": {}},
                     headers={"Authorization": f"OAuth {fresh_sim.session}"})
    assert r.status_code == 400 and "action" in r.text


def test_failures_are_503_in_the_job(call):
    missing = call("POST", "/zones", {"params": {"description": "no name"}})
    assert missing.status_code == 503 and missing.json()["error"]["code"] == "SYS.1007"
    absent = call("PUT", f"/zones/{'0' * 32}/actions", {"updateZone": {"name": "x"}})
    assert absent.status_code == 503 and "not found" in absent.json()["error"]["details"]
    bad = call("PUT", f"/zones/{'0' * 32}/actions", {"changeZoneState": {"stateEvent": "explode"}})
    assert bad.status_code == 503


def test_created_account_can_log_in(call, fresh_sim):
    import hashlib

    from tests.conftest import login

    pw = hashlib.sha512(b"s3cret").hexdigest()
    r = call("POST", "/accounts", {"params": {"name": "alice", "password": pw}})
    assert r.json()["inventory"]["name"] == "alice" and "password" not in r.json()["inventory"]
    assert len(login(fresh_sim.api, "alice", pw)) == 32


def test_updated_password_is_the_one_that_logs_in(call, fresh_sim):
    import hashlib

    from tests.conftest import login

    old, new = (hashlib.sha512(p).hexdigest() for p in (b"old-pw", b"new-pw"))
    uuid_ = call("POST", "/accounts", {"params": {"name": "bob", "password": old}}).json()["inventory"]["uuid"]
    call("PUT", f"/accounts/{uuid_}", {"updateAccount": {"password": new}})
    assert len(login(fresh_sim.api, "bob", new)) == 32
    with pytest.raises(requests.HTTPError):
        login(fresh_sim.api, "bob", old)


def _sha512(text: str) -> str:
    import hashlib

    return hashlib.sha512(text.encode()).hexdigest()


def login_user(api: str, account: str, user: str, password_sha512: str) -> requests.Response:
    return requests.put(f"{api}/accounts/users/login", timeout=10, json={
        "logInByUser": {"accountName": account, "userName": user, "password": password_sha512}})


def test_a_created_user_belongs_to_the_creating_account_and_logs_in(call, fresh_sim):
    from zcli.sim.world import ADMIN_ACCOUNT_UUID

    user = call("POST", "/accounts/users", {"params": {"name": "u1", "password": _sha512("pw1")}}).json()["inventory"]
    assert user["accountUuid"] == ADMIN_ACCOUNT_UUID  # the session's account owns it, as on the server
    assert [u["accountUuid"] for u in call.query("/accounts/users", "name=u1")] == [ADMIN_ACCOUNT_UUID]
    r = login_user(fresh_sim.api, "admin", "u1", _sha512("pw1"))
    assert r.status_code == 200, r.text
    assert r.json()["inventory"]["accountUuid"] == ADMIN_ACCOUNT_UUID
    assert r.json()["inventory"]["userUuid"] == user["uuid"]
    assert login_user(fresh_sim.api, "admin", "u1", _sha512("wrong")).json()["error"]["code"] == "ID.1000"


def test_what_another_account_creates_is_that_accounts(call, fresh_sim):
    from tests.conftest import login

    alice = call("POST", "/accounts", {"params": {"name": "alice", "password": _sha512("a")}}).json()["inventory"]
    assert not alice.get("accountUuid")  # an account owns no account
    auth = {"Authorization": f"OAuth {login(fresh_sim.api, 'alice', _sha512('a'))}"}
    made = {}
    for path, body in (("/accounts/users", {"name": "u2", "password": _sha512("pw2")}),
                       ("/accounts/groups", {"name": "g2"})):
        r = requests.post(f"{fresh_sim.api}{path}", json={"params": body}, headers=auth, timeout=10)
        made[path] = wait(r.json()["location"]).json()["inventory"]
    assert {m["accountUuid"] for m in made.values()} == {alice["uuid"]}
    assert login_user(fresh_sim.api, "alice", "u2", _sha512("pw2")).status_code == 200
    assert login_user(fresh_sim.api, "admin", "u2", _sha512("pw2")).status_code == 503  # not admin's user


def test_the_one_shot_cli_creates_a_user_that_logs_in(fresh_sim, tmp_path):
    """The defect as a user met it: zcli hashes both passwords, the simulator keeps the user's account."""
    from tests.integration.clirun import Zcli, login_args

    z = Zcli(tmp_path)
    url = ["--url", fresh_sim.url, "-o", "json"]
    assert z.run(*url, *login_args()).status == 0
    made = z.run(*url, "CreateUser", "name=u1", "password=pw1")
    assert made.status == 0, made.err
    logged = z.run(*url, "LogInByUser", "accountName=admin", "userName=u1", "password=pw1")
    assert logged.status == 0, logged.err
