"""Create → query → update → (change state) → delete → gone, over HTTP, for every resource kind of the demo world
(a VM: destroyed, still there as Destroyed, then expunged).

Each API is called as a client would call it from the catalogue: its method and path, path variables filled,
the body under the API's ``parameterName`` or action key, and DELETE parameters in the query string. Every
write is async: the test follows the job's location until it is done.
"""

from __future__ import annotations

import hashlib
import time

import pytest
import requests

from zcli.catalog import Catalog

PW = hashlib.sha512(b"s3cret").hexdigest()

# (create API, create params, query API, update API, update params, change-state API or None, delete API).
# "{zone}"-style values are looked up in the demo world first (see LOOKUPS).
KINDS = [
    ("CreateZone", {"name": "z-new"}, "QueryZone", "UpdateZone", {"description": "d2"}, "ChangeZoneState",
     "DeleteZone"),
    ("CreateCluster", {"name": "c-new", "zoneUuid": "{zone}", "hypervisorType": "KVM"}, "QueryCluster",
     "UpdateCluster", {"description": "d2"}, "ChangeClusterState", "DeleteCluster"),
    ("AddKVMHost", {"name": "h-new", "managementIp": "172.30.0.9", "username": "root", "password": "pw",
                    "clusterUuid": "{cluster}"}, "QueryHost", "UpdateHost", {"description": "d2"},
     "ChangeHostState", "DeleteHost"),
    ("AddLocalPrimaryStorage", {"name": "ps-new", "url": "/ps", "zoneUuid": "{zone}"}, "QueryPrimaryStorage",
     "UpdatePrimaryStorage", {"description": "d2"}, "ChangePrimaryStorageState", "DeletePrimaryStorage"),
    ("AddImageStoreBackupStorage", {"name": "bs-new", "url": "/bs", "hostname": "172.30.0.8", "username": "root",
                                    "password": "pw"}, "QueryBackupStorage", "UpdateBackupStorage",
     {"description": "d2"}, "ChangeBackupStorageState", "DeleteBackupStorage"),
    ("CreateL2NoVlanNetwork", {"name": "l2-new", "zoneUuid": "{zone}", "physicalInterface": "eth1"},
     "QueryL2Network", "UpdateL2Network", {"description": "d2"}, None, "DeleteL2Network"),
    ("CreateL2VlanNetwork", {"name": "l2v-new", "zoneUuid": "{zone}", "physicalInterface": "eth1", "vlan": 77},
     "QueryL2Network", "UpdateL2Network", {"description": "d2"}, None, "DeleteL2Network"),
    ("CreateL3Network", {"name": "l3-new", "l2NetworkUuid": "{l2}"}, "QueryL3Network", "UpdateL3Network",
     {"description": "d2"}, "ChangeL3NetworkState", "DeleteL3Network"),
    ("AddIpRange", {"name": "r-new", "l3NetworkUuid": "{l3}", "startIp": "10.1.250.1", "endIp": "10.1.250.9",
                    "netmask": "255.255.0.0"}, "QueryIpRange", "UpdateIpRange", {"description": "d2"}, None,
     "DeleteIpRange"),
    ("AddImage", {"name": "img-new", "url": "http://x/img", "backupStorageUuids": ["{bs}"], "format": "qcow2"},
     "QueryImage", "UpdateImage", {"description": "d2"}, "ChangeImageState", "DeleteImage"),
    ("CreateInstanceOffering", {"name": "io-new", "cpuNum": 3, "memorySize": 1 << 30}, "QueryInstanceOffering",
     "UpdateInstanceOffering", {"description": "d2"}, "ChangeInstanceOfferingState", "DeleteInstanceOffering"),
    ("CreateDiskOffering", {"name": "do-new", "diskSize": 1 << 30}, "QueryDiskOffering", "UpdateDiskOffering",
     {"description": "d2"}, "ChangeDiskOfferingState", "DeleteDiskOffering"),
    ("CreateVmInstance", {"name": "vm-new", "instanceOfferingUuid": "{offering}", "imageUuid": "{image}",
                          "l3NetworkUuids": ["{l3}"]}, "QueryVmInstance", "UpdateVmInstance", {"description": "d2"},
     None, "DestroyVmInstance"),
    ("CreateDataVolume", {"name": "vol-new", "diskOfferingUuid": "{disk}"}, "QueryVolume", "UpdateVolume",
     {"description": "d2"}, "ChangeVolumeState", "DeleteDataVolume"),
    ("CreateAccount", {"name": "acc-new", "password": PW}, "QueryAccount", "UpdateAccount", {"description": "d2"},
     None, "DeleteAccount"),
    ("CreateUser", {"name": "user-new", "password": PW}, "QueryUser", "UpdateUser", {"description": "d2"}, None,
     "DeleteUser"),
    ("AddModelCenter", {"name": "mc-new", "url": "http://mc", "managementIp": "172.30.0.7", "managementPort": 80},
     "QueryModelCenter", "UpdateModelCenter", {"description": "d2"}, None, "DeleteModelCenter"),
    ("AddModel", {"name": "m-new", "installPath": "/m", "modelCenterUuid": "{center}"}, "QueryModel", "UpdateModel",
     {"description": "d2"}, None, "DeleteModel"),
    ("AddModelService", {"name": "s-new", "yaml": "y", "modelCenterUuid": "{center}", "requestCpu": 2,
                         "requestMemory": 512, "installPath": "/s", "startCommand": "run"}, "QueryModelService",
     "UpdateModelService", {"description": "d2"}, None, "DeleteModelService"),
    ("CreateDataset", {"name": "ds-new", "url": "http://d", "modelCenterUuid": "{center}"}, "QueryDataset",
     "UpdateDataset", {"description": "d2"}, None, "DeleteDataset"),
    ("CreateSystemTag", {"resourceType": "VmInstanceVO", "resourceUuid": "{vm}", "tag": "hostname::t-1"},
     "QuerySystemTag", "UpdateSystemTag", {"tag": "hostname::t-2"}, None, "DeleteTag"),
    ("CreateUserTag", {"resourceType": "VmInstanceVO", "resourceUuid": "{vm}", "tag": "u::1"}, "QueryUserTag",
     None, None, None, "DeleteTag"),
]

LOOKUPS = {  # placeholder → (query path, condition)
    "zone": ("/zones", "name=zone-1"), "cluster": ("/clusters", "name=cluster-1"), "l2": ("/l2-networks", None),
    "l3": ("/l3-networks", "name=pub"), "bs": ("/backup-storage", None), "offering": ("/instance-offerings", None),
    "image": ("/images", "name=centos-7.9"), "disk": ("/disk-offerings", None), "center": ("/ai/model-centers", None),
    "vm": ("/vm-instances", None), "host": ("/hosts", None),
}


class Client:
    """Calls catalogue APIs over HTTP against one simulator, waiting for async jobs."""

    def __init__(self, sim):
        self.api_url = sim.api
        self.catalog = Catalog()
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"OAuth {sim.session}"

    def lookup(self, key: str) -> str:
        path, cond = LOOKUPS[key]
        r = self.http.get(f"{self.api_url}{path}", params={"q": cond} if cond else {"limit": "1"}, timeout=10)
        return r.json()["inventories"][0]["uuid"]

    def fill(self, value):
        if isinstance(value, str) and value.startswith("{"):
            return self.lookup(value[1:-1])
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        return value

    def call(self, name: str, params: dict) -> requests.Response:
        api = self.catalog.api(name)
        params = {k: self.fill(v) for k, v in params.items()}
        path = api.path
        for p in api.params:
            if p.location == "path" or f"{{{p.name}}}" in path:
                path = path.replace(f"{{{p.name}}}", str(params.pop(p.name)))
        url = f"{self.api_url}{path}"
        if api.method in ("GET", "DELETE"):
            r = self.http.request(api.method, url, params=params, timeout=10)
        else:
            r = self.http.request(api.method, url, json={api.body_key: params}, timeout=10)
        assert r.status_code == 202, (name, r.status_code, r.text)
        for _ in range(500):
            done = self.http.get(r.json()["location"], timeout=10)
            if done.status_code != 202:
                return done
            time.sleep(0.01)
        raise AssertionError(f"{name}: the job never finished")

    def query(self, name: str, *conds: str) -> list[dict]:
        api = self.catalog.api(name)
        r = self.http.get(f"{self.api_url}{api.path}", params=[("q", c) for c in conds], timeout=10)
        assert r.status_code == 200, r.text
        return r.json()["inventories"]


@pytest.mark.parametrize(("create", "params", "query", "update", "changes", "change_state", "delete"), KINDS,
                         ids=[k[0] for k in KINDS])
def test_create_query_update_delete(client, create, params, query, update, changes, change_state, delete):
    done = client.call(create, params)
    assert done.status_code == 200, done.text
    made = done.json()["inventory"]
    uuid = made["uuid"]
    assert "password" not in made
    if "name" in params:
        assert made["name"] == params["name"]
    assert [i["uuid"] for i in client.query(query, f"uuid={uuid}")] == [uuid]
    if update:
        up = client.call(update, {"uuid": uuid, **changes})
        assert up.status_code == 200, up.text
        assert all(up.json()["inventory"][k] == v for k, v in changes.items())
        found = client.query(query, f"uuid={uuid}")[0]
        assert all(found[k] == v for k, v in changes.items())
    if change_state:
        key = next(p.name for p in client.catalog.api(change_state).params if p.location == "path")
        changed = client.call(change_state, {key: uuid, "stateEvent": "disable"})
        assert changed.status_code == 200, changed.text
        assert client.query(query, f"uuid={uuid}")[0]["state"] == "Disabled"
    gone = client.call(delete, {"uuid": uuid, "deleteMode": "Permissive"})
    assert gone.status_code == 200, gone.text
    if delete == "DestroyVmInstance":  # a destroyed VM stays, Destroyed, until it is expunged
        assert client.query(query, f"uuid={uuid}")[0]["state"] == "Destroyed"
        gone = client.call("ExpungeVmInstance", {"uuid": uuid})
        assert gone.status_code == 200, gone.text
    expunge = {"DeleteImage": ("ExpungeImage", "imageUuid"), "DeleteDataVolume": ("ExpungeDataVolume", "uuid")}
    if delete in expunge:  # the deletion policy (Delay) keeps it, status Deleted, until it is expunged
        assert client.query(query, f"uuid={uuid}")[0]["status"] == "Deleted"
        name, key = expunge[delete]
        gone = client.call(name, {key: uuid})
        assert gone.status_code == 200, gone.text
    assert client.query(query, f"uuid={uuid}") == []


def test_unsupported_writes_fail_in_their_job_as_503(client):
    # A shell on the hosts: the simulator has no host to run one on (see IMPLEMENTATION_COVERAGE.md).
    r = client.call("KvmRunShell", {"hostUuids": [client.lookup("host")], "script": "uptime"})
    assert r.status_code == 503
    assert r.json()["error"] == {"code": "SYS.1000", "description": "Not supported by the simulator",
                                 "details": "the simulator cannot carry out KvmRunShell"}


def test_filter_name_keeps_resources_with_the_appliance_type_tag(client):
    vm = client.query("QueryVmInstance", "name=vm-2")[0]
    tag = client.call("CreateSystemTag", {"resourceType": "VmInstanceVO", "resourceUuid": vm["uuid"],
                                          "tag": "applianceType::vrouter"})
    assert tag.status_code == 200 and tag.json()["inventory"]["resourceUuid"] == vm["uuid"]
    r = client.http.get(f"{client.api_url}/vm-instances", params={"filterName": "applianceType:vrouter"}, timeout=10)
    assert [v["uuid"] for v in r.json()["inventories"]] == [vm["uuid"]]
    r = client.http.get(f"{client.api_url}/vm-instances", params={"filterName": "applianceType:other"}, timeout=10)
    assert r.json()["inventories"] == []


def test_quotes_in_written_values_are_data(client):
    name = """o'brien "q"; DROP TABLE "ZoneInventory"; --"""
    # A zone's name is checked against the server's name pattern (no quote, no ;): a description is free text.
    refused = client.call("CreateZone", {"name": name})
    assert refused.status_code == 503 and "valid regex value for field[name]" in refused.json()["error"]["details"]
    made = client.call("CreateZone", {"name": "obrien", "description": name}).json()["inventory"]
    assert made["description"] == name
    assert [z["uuid"] for z in client.query("QueryZone", f"description={name}")] == [made["uuid"]]
    assert [z["uuid"] for z in client.query("QueryZone", "description~=%'brien%")] == [made["uuid"]]
    assert [z["uuid"] for z in client.query("QueryZone", f"description?={name},x")] == [made["uuid"]]
    assert len(client.query("QueryZone")) >= 3  # the table is still there
