"""What the simulator derives on create, and a VM's life (destroy, recover, expunge), over HTTP.

Each test runs against a simulator of this module's own (it changes data): creates are checked for
the fields the real server fills in (an L3's zone, a VM's host, cluster, NIC addresses, volumes),
and the VM lifecycle for the states and rows the server leaves behind.
"""

from __future__ import annotations

import ipaddress

import pytest


def one(client, query: str, *conds: str) -> dict:
    found = client.query(query, *conds)
    assert len(found) == 1, found
    return found[0]


def new_vm(client, name: str, l3: str = "pub", **extra) -> dict:
    params = {"name": name, "instanceOfferingUuid": one(client, "QueryInstanceOffering", "name=small")["uuid"],
              "imageUuid": one(client, "QueryImage", "name=centos-7.9")["uuid"],
              "l3NetworkUuids": [one(client, "QueryL3Network", f"name={l3}")["uuid"]], **extra}
    done = client.call("CreateVmInstance", params)
    assert done.status_code == 200, done.text
    return done.json()["inventory"]


def error_of(response) -> dict:
    assert response.status_code == 503, response.text
    return response.json()["error"]


def test_created_zone_has_type_and_is_not_default(client):
    zone = client.call("CreateZone", {"name": "z-derived"}).json()["inventory"]
    assert (zone["type"], zone["isDefault"]) == ("zstack", False)
    assert one(client, "QueryZone", f"uuid={zone['uuid']}")["isDefault"] is False


def test_created_l3_takes_its_zone_from_its_l2_and_default_type(client):
    l2 = one(client, "QueryL2Network", "name=l2-flat-2")
    l3 = client.call("CreateL3Network", {"name": "l3-derived", "l2NetworkUuid": l2["uuid"]}).json()["inventory"]
    assert l3["zoneUuid"] == l2["zoneUuid"]
    assert (l3["type"], l3["category"], l3["ipVersion"]) == ("L3BasicNetwork", "Private", 4)
    kept = one(client, "QueryL3Network", "name=l3-derived", f"l2Network.zone.uuid={l2['zoneUuid']}")
    assert kept["uuid"] == l3["uuid"]
    given = client.call("CreateL3Network", {"name": "l3-pub", "l2NetworkUuid": l2["uuid"], "category": "Public",
                                            "type": "L3VpcNetwork"}).json()["inventory"]
    assert (given["type"], given["category"]) == ("L3VpcNetwork", "Public")


def test_create_l3_on_a_missing_l2_fails(client):
    err = error_of(client.call("CreateL3Network", {"name": "orphan", "l2NetworkUuid": "0" * 32}))
    assert err["code"] == "SYS.1003" and "l2NetworkUuid" in err["details"]  # PortApiValidator: RESOURCE_NOT_FOUND


@pytest.mark.parametrize(("drop", "word"), [("imageUuid", "imageUuid"), ("l3NetworkUuids", "l3NetworkUuids"),
                                            ("instanceOfferingUuid", "cpuNum")])
def test_create_vm_requires_image_network_and_size(client, drop, word):
    params = {"name": "incomplete", "instanceOfferingUuid": one(client, "QueryInstanceOffering", "name=small")["uuid"],
              "imageUuid": one(client, "QueryImage", "name=centos-7.9")["uuid"],
              "l3NetworkUuids": [one(client, "QueryL3Network", "name=pub")["uuid"]]}
    del params[drop]
    err = error_of(client.call("CreateVmInstance", params))
    assert err["code"] == "SYS.1007" and word in err["details"]
    assert client.query("QueryVmInstance", "name=incomplete") == []


def test_create_vm_with_cpu_and_memory_instead_of_an_offering(client):
    vm = new_vm(client, "sized", instanceOfferingUuid=None, cpuNum=3, memorySize=2 << 30)
    assert (vm["cpuNum"], vm["memorySize"], vm["state"]) == (3, 2 << 30, "Running")


def test_created_vm_is_placed_in_its_networks_zone(client):
    l3 = one(client, "QueryL3Network", "name=pub-2")
    vm = new_vm(client, "placed", l3="pub-2")
    host = one(client, "QueryHost", f"uuid={vm['hostUuid']}")
    assert vm["state"] == "Running"
    assert vm["zoneUuid"] == l3["zoneUuid"] == host["zoneUuid"]
    assert vm["clusterUuid"] == host["clusterUuid"]
    assert vm["lastHostUuid"] == vm["hostUuid"]
    assert vm["defaultL3NetworkUuid"] == l3["uuid"]
    root = one(client, "QueryVolume", f"uuid={vm['rootVolumeUuid']}")
    assert (root["type"], root["vmInstanceUuid"]) == ("Root", vm["uuid"])
    ps = one(client, "QueryPrimaryStorage", f"uuid={root['primaryStorageUuid']}")
    assert ps["zoneUuid"] == l3["zoneUuid"]


def test_created_vm_respects_the_cluster_and_host_asked_for(client):
    cluster = one(client, "QueryCluster", "name=cluster-2")
    vm = new_vm(client, "in-cluster", clusterUuid=cluster["uuid"])
    assert vm["clusterUuid"] == cluster["uuid"]
    assert one(client, "QueryHost", f"uuid={vm['hostUuid']}")["clusterUuid"] == cluster["uuid"]
    host = one(client, "QueryHost", "name=host-5")
    vm = new_vm(client, "on-host", hostUuid=host["uuid"])
    assert (vm["hostUuid"], vm["clusterUuid"], vm["zoneUuid"]) == (host["uuid"], host["clusterUuid"],
                                                                    host["zoneUuid"])


def test_a_host_outside_the_networks_zone_is_refused(client):
    hosts = client.query("QueryHost", "zone.name!=zone-1")
    err = error_of(client.call("CreateVmInstance", {
        "name": "misplaced", "instanceOfferingUuid": one(client, "QueryInstanceOffering", "name=small")["uuid"],
        "imageUuid": one(client, "QueryImage", "name=centos-7.9")["uuid"], "hostUuid": hosts[0]["uuid"],
        "l3NetworkUuids": [one(client, "QueryL3Network", "name=pub")["uuid"]]}))
    assert err["code"] == "SYS.1007" and "zone" in err["details"]


def test_nic_addresses_come_from_the_ip_range_and_are_never_reused(client):
    l3 = one(client, "QueryL3Network", "name=private-1")
    rng = one(client, "QueryIpRange", f"l3NetworkUuid={l3['uuid']}")
    before = {n["ip"] for n in client.query("QueryVmNic", f"l3NetworkUuid={l3['uuid']}")}
    ips = []
    for i in range(3):
        nic = new_vm(client, f"addressed-{i}", l3="private-1")["vmNics"][0]
        assert (nic["l3NetworkUuid"], nic["netmask"], nic["gateway"]) == (l3["uuid"], rng["netmask"], rng["gateway"])
        ips.append(nic["ip"])
    net = ipaddress.ip_network(rng["networkCidr"])
    start, end = ipaddress.ip_address(rng["startIp"]), ipaddress.ip_address(rng["endIp"])
    for ip in ips:
        assert ipaddress.ip_address(ip) in net and start <= ipaddress.ip_address(ip) <= end
    assert len(set(ips)) == 3 and not set(ips) & before and rng["gateway"] not in ips
    used = {u["ip"]: u for u in client.query("QueryIpAddress", f"l3NetworkUuid={l3['uuid']}")}
    assert set(ips) <= set(used) and {used[ip]["usedFor"] for ip in ips} == {"Vm"}


def test_an_l3_without_free_addresses_fails_the_create(client):
    l2 = one(client, "QueryL2Network", "name=l2-flat-1")
    l3 = client.call("CreateL3Network", {"name": "tiny", "l2NetworkUuid": l2["uuid"]}).json()["inventory"]
    added = client.call("AddIpRange", {"l3NetworkUuid": l3["uuid"], "name": "one", "startIp": "192.168.9.10",
                                       "endIp": "192.168.9.10", "netmask": "255.255.255.0", "gateway": "192.168.9.1"})
    assert added.status_code == 200, added.text
    assert new_vm(client, "tiny-1", l3="tiny")["vmNics"][0]["ip"] == "192.168.9.10"
    err = error_of(client.call("CreateVmInstance", {
        "name": "tiny-2", "cpuNum": 1, "memorySize": 1 << 30,
        "imageUuid": one(client, "QueryImage", "name=centos-7.9")["uuid"], "l3NetworkUuids": [l3["uuid"]]}))
    assert "192.168.9" not in err["details"] and "IP" in err["details"]
    assert client.query("QueryVmInstance", "name=tiny-2") == []


@pytest.mark.parametrize(("strategy", "state", "on_host"), [("CreateStopped", "Stopped", False),
                                                            ("InstantStart", "Running", True)])
def test_strategy_decides_the_first_state(client, strategy, state, on_host):
    vm = new_vm(client, f"strategy-{strategy}", strategy=strategy)
    assert vm["state"] == state
    assert ("hostUuid" in vm) is on_host
    assert vm["clusterUuid"] and vm["zoneUuid"]


def test_a_vm_created_stopped_starts_on_a_host(client):
    vm = new_vm(client, "starts-later", strategy="CreateStopped")
    started = client.call("StartVmInstance", {"uuid": vm["uuid"]}).json()["inventory"]
    assert started["state"] == "Running" and started["hostUuid"]
    assert one(client, "QueryHost", f"uuid={started['hostUuid']}")["clusterUuid"] == vm["clusterUuid"]


def test_destroy_keeps_the_vm_destroyed_and_releases_its_addresses(client):
    vm = new_vm(client, "doomed", l3="private-1")
    ip = vm["vmNics"][0]["ip"]
    assert client.call("DestroyVmInstance", {"uuid": vm["uuid"]}).status_code == 200
    kept = one(client, "QueryVmInstance", f"uuid={vm['uuid']}")
    assert kept["state"] == "Destroyed" and "hostUuid" not in kept
    assert [n.get("ip") for n in kept["vmNics"]] == [None]  # the NIC stays, without its address
    assert one(client, "QueryVolume", f"uuid={vm['rootVolumeUuid']}")["vmInstanceUuid"] == vm["uuid"]
    # The released address is free again: the next VM on the network takes it.
    assert new_vm(client, "heir", l3="private-1")["vmNics"][0]["ip"] == ip


def test_recover_brings_a_destroyed_vm_back_stopped_and_start_readdresses_it(client):
    vm = new_vm(client, "phoenix")
    err = error_of(client.call("RecoverVmInstance", {"uuid": vm["uuid"]}))
    assert err["code"] == "VM.1010"
    client.call("DestroyVmInstance", {"uuid": vm["uuid"]})
    err = error_of(client.call("StartVmInstance", {"uuid": vm["uuid"]}))
    assert err["code"] == "VM.1010"
    recovered = client.call("RecoverVmInstance", {"uuid": vm["uuid"]})
    assert recovered.status_code == 200, recovered.text
    assert recovered.json()["inventory"]["state"] == "Stopped"
    assert one(client, "QueryVmInstance", f"uuid={vm['uuid']}")["state"] == "Stopped"
    started = client.call("StartVmInstance", {"uuid": vm["uuid"]}).json()["inventory"]
    assert started["state"] == "Running" and started["vmNics"][0]["ip"]


def test_expunge_removes_a_destroyed_vm_with_its_volumes_and_nics(client):
    vm = new_vm(client, "expunged")
    err = error_of(client.call("ExpungeVmInstance", {"uuid": vm["uuid"]}))
    assert err["code"] == "VM.1010"  # not destroyed yet
    client.call("DestroyVmInstance", {"uuid": vm["uuid"]})
    assert client.call("ExpungeVmInstance", {"uuid": vm["uuid"]}).status_code == 200
    assert client.query("QueryVmInstance", f"uuid={vm['uuid']}") == []
    assert client.query("QueryVolume", f"vmInstanceUuid={vm['uuid']}") == []
    assert client.query("QueryVmNic", f"vmInstanceUuid={vm['uuid']}") == []


def test_get_version_answers_at_once(client):
    r = client.http.put(f"{client.api_url}/management-nodes/actions", json={"getVersion": {}}, timeout=10)
    assert r.status_code == 200, r.text
    version = r.json()["version"]
    assert all(part.isdigit() for part in version.split(".")) and version.count(".") == 2
