"""Global and resource configurations over HTTP, as the server keeps them."""

from __future__ import annotations

import json
from pathlib import Path

from zcli.sim.logincontrol import PREMIUM_CONFIGS

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "zstack-global-configs.json"


def get(client, path: str, **params):
    r = client.http.get(f"{client.api_url}{path}", params=params, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def error_of(r) -> dict:
    assert r.status_code == 503, r.text
    return r.json()["error"]


def test_query_global_config_answers_every_configuration(client):
    body = get(client, "/global-configurations", limit="1000", replyWithCount="true")
    premium = set(PREMIUM_CONFIGS)  # the closed-source login-control configs (zcli/sim/logincontrol.py)
    assert body["total"] == 310 + len(premium) == len(body["inventories"])
    if REFERENCE.exists():
        ref = json.loads(REFERENCE.read_text(encoding="utf-8"))["globalConfigs"]
        assert {(c["category"], c["name"]) for c in ref} | premium == \
            {(c["category"], c["name"]) for c in body["inventories"]}
    one = get(client, "/global-configurations", q="name=vm.max.vcpu")["inventories"]
    assert [(c["category"], c["value"], c["defaultValue"]) for c in one] == [("vm", "128", "128")]


def test_update_global_config_checks_type_and_keeps_the_value(client):
    err = error_of(client.call("UpdateGlobalConfig", {"category": "vm", "name": "vm.max.vcpu", "value": "many"}))
    assert err["code"] == "SYS.1007" and "is of type Integer, the value[many] cannot be converted" in err["details"]
    err = error_of(client.call("UpdateGlobalConfig", {"category": "vm", "name": "numa", "value": "yes"}))
    assert "is not a valid boolean string[true, false]" in err["details"]
    err = error_of(client.call("UpdateGlobalConfig", {"category": "vm", "name": "nope", "value": "1"}))
    assert err["details"] == "Unable to find GlobalConfig[category: vm, name: nope]"
    done = client.call("UpdateGlobalConfig", {"category": "vm", "name": "vm.max.vcpu", "value": "64"})
    assert done.status_code == 200 and done.json()["inventory"]["value"] == "64"
    assert get(client, "/global-configurations", q="name=vm.max.vcpu")["inventories"][0]["value"] == "64"
    assert client.call("ResetGlobalConfig", {}).status_code == 200
    assert get(client, "/global-configurations", q="name=vm.max.vcpu")["inventories"][0]["value"] == "128"


def test_resource_config_set_get_query_delete_through_the_chain(client):
    vm = client.query("QueryVmInstance", "state=Running")[0]
    host = client.query("QueryHost", f"uuid={vm['hostUuid']}")[0]
    path = f"/resource-configurations/{vm['uuid']}/vm/vm.max.vcpu"
    assert get(client, path) == {"value": "128", "effectiveConfigs": []}  # the global value
    # set on the VM's cluster: the VM sees it (host is not a type this config binds to)
    cluster = client.call("UpdateResourceConfig", {"category": "vm", "name": "vm.max.vcpu",
                                                   "resourceUuid": host["clusterUuid"], "value": "32"})
    assert cluster.status_code == 200 and cluster.json()["inventory"]["resourceType"] == "ClusterVO"
    body = get(client, path)
    assert body["value"] == "32" and [c["resourceUuid"] for c in body["effectiveConfigs"]] == [host["clusterUuid"]]
    # the VM's own value wins over the cluster's
    assert client.call("UpdateResourceConfig", {"category": "vm", "name": "vm.max.vcpu", "resourceUuid": vm["uuid"],
                                                "value": "8"}).status_code == 200
    assert get(client, path)["value"] == "8"
    rows = get(client, "/resource-configurations", q="name=vm.max.vcpu")["inventories"]
    assert sorted(r["resourceUuid"] for r in rows) == sorted([vm["uuid"], host["clusterUuid"]])
    many = get(client, f"/resource-configurations/{vm['uuid']}/vm", names=["vm.max.vcpu", "numa"])["configs"]
    assert [(c["name"], c["value"]) for c in many] == [("vm.max.vcpu", "8"), ("numa", "false")]
    # delete the VM's: the cluster's is effective again; delete the cluster's: the global one
    assert client.call("DeleteResourceConfig", {"category": "vm", "name": "vm.max.vcpu",
                                                "resourceUuid": vm["uuid"]}).status_code == 200
    assert get(client, path)["value"] == "32"
    assert client.call("DeleteResourceConfig", {"category": "vm", "name": "vm.max.vcpu",
                                                "resourceUuid": host["clusterUuid"]}).status_code == 200
    assert get(client, path)["value"] == "128"


def test_resource_config_refusals(client):
    vm = client.query("QueryVmInstance")[0]
    zone = client.lookup("zone")
    err = error_of(client.call("UpdateResourceConfig", {"category": "vm", "name": "vm.max.vcpu", "resourceUuid": zone,
                                                        "value": "4"}))
    assert err["details"] == "ResourceConfig [category:vm, name:vm.max.vcpu] cannot bind to resourceType: ZoneVO"
    err = error_of(client.call("UpdateResourceConfig", {"category": "vm", "name": "vm.max.vcpu",
                                                        "resourceUuid": vm["uuid"], "value": "x"}))
    assert err["code"] == "SYS.1007" and "cannot be converted" in err["details"]
    err = error_of(client.call("UpdateResourceConfig", {"category": "vm", "name": "deletionPolicy",
                                                        "resourceUuid": vm["uuid"], "value": "Direct"}))
    assert err["details"] == "global config[category:vm, name:deletionPolicy] cannot bind resource"
    err = error_of(client.call("UpdateResourceConfig", {"category": "vm", "name": "nope", "resourceUuid": vm["uuid"],
                                                        "value": "1"}))
    assert err["details"] == "no global config[category:vm, name:nope] found"


def test_update_resource_configs_checks_every_entry_first_then_sets_them_all(client):
    vm = client.query("QueryVmInstance", "state=Running")[0]
    path = f"/resource-configurations/{vm['uuid']}/vm"
    # one bad entry: nothing is set (the interceptor checks every entry before the first is set)
    err = error_of(client.call("UpdateResourceConfigs", {"resourceUuid": vm["uuid"], "resourceConfigs": [
        {"category": "vm", "name": "vm.max.vcpu", "value": "16"},
        {"category": "vm", "name": "numa", "value": "maybe"}]}))
    assert "is not a valid boolean string[true, false]" in err["details"]
    assert get(client, path, names="vm.max.vcpu")["configs"][0]["value"] == "128"
    done = client.call("UpdateResourceConfigs", {"resourceUuid": vm["uuid"], "resourceConfigs": [
        {"category": "vm", "name": "vm.max.vcpu", "value": "16"},
        {"category": "vm", "name": "numa", "value": "true"}]})
    assert done.status_code == 200, done.text
    structs = done.json()["inventories"]
    assert [(s["name"], s["value"]) for s in structs] == [("vm.max.vcpu", "16"), ("numa", "true")]
    assert all([c["resourceUuid"] for c in s["effectiveConfigs"]] == [vm["uuid"]] for s in structs)
    many = get(client, path, names=["vm.max.vcpu", "numa"])["configs"]
    assert [(c["name"], c["value"]) for c in many] == [("vm.max.vcpu", "16"), ("numa", "true")]
    rows = get(client, "/resource-configurations", q=f"resourceUuid={vm['uuid']}")["inventories"]
    assert sorted(r["name"] for r in rows) == ["numa", "vm.max.vcpu"]
    for name in ("vm.max.vcpu", "numa"):
        assert client.call("DeleteResourceConfig", {"category": "vm", "name": name,
                                                    "resourceUuid": vm["uuid"]}).status_code == 200
    assert get(client, path, names=["vm.max.vcpu", "numa"])["configs"][0]["value"] == "128"
