"""Deletes over HTTP as the server carries them out: deletion policy, cascades, deleteMode, what is gone."""

from __future__ import annotations


def error_of(r) -> dict:
    assert r.status_code == 503, r.text
    return r.json()["error"]


def ok(r):
    assert r.status_code == 200, r.text
    return r.json()


def test_an_image_is_kept_deleted_until_expunged_and_can_be_recovered(client):
    image = ok(client.call("AddImage", {"name": "img-del", "url": "http://x/i", "format": "qcow2",
                                        "backupStorageUuids": [client.lookup("bs")]}))["inventory"]
    ok(client.call("DeleteImage", {"uuid": image["uuid"]}))
    assert client.query("QueryImage", f"uuid={image['uuid']}")[0]["status"] == "Deleted"
    assert ok(client.call("RecoverImage", {"imageUuid": image["uuid"]}))["inventory"]["status"] == "Ready"
    err = error_of(client.call("ExpungeImage", {"imageUuid": image["uuid"]}))  # not deleted: nothing to expunge
    assert "not deleted" in err["details"]
    ok(client.call("DeleteImage", {"uuid": image["uuid"]}))
    ok(client.call("ExpungeImage", {"imageUuid": image["uuid"]}))
    assert client.query("QueryImage", f"uuid={image['uuid']}") == []


def test_a_data_volume_is_detached_and_kept_deleted_until_expunged(client):
    volume = ok(client.call("CreateDataVolume", {"name": "vol-del", "diskOfferingUuid": client.lookup("disk")}))
    uuid = volume["inventory"]["uuid"]
    ok(client.call("DeleteDataVolume", {"uuid": uuid}))
    assert client.query("QueryVolume", f"uuid={uuid}")[0]["status"] == "Deleted"
    assert ok(client.call("RecoverDataVolume", {"uuid": uuid}))["inventory"]["status"] == "Ready"
    ok(client.call("DeleteDataVolume", {"uuid": uuid}))
    ok(client.call("ExpungeDataVolume", {"uuid": uuid}))
    assert client.query("QueryVolume", f"uuid={uuid}") == []


def test_the_deletion_policy_is_the_global_config(client):
    ok(client.call("UpdateGlobalConfig", {"category": "volume", "name": "deletionPolicy", "value": "Direct"}))
    try:
        uuid = ok(client.call("CreateDataVolume", {"name": "vol-direct",
                                                   "diskOfferingUuid": client.lookup("disk")}))["inventory"]["uuid"]
        ok(client.call("DeleteDataVolume", {"uuid": uuid}))
        assert client.query("QueryVolume", f"uuid={uuid}") == []
    finally:
        ok(client.call("UpdateGlobalConfig", {"category": "volume", "name": "deletionPolicy", "value": "Delay"}))


def test_deleting_an_l3_network_takes_its_ranges(client):
    l3 = ok(client.call("CreateL3Network", {"name": "l3-del", "l2NetworkUuid": client.lookup("l2")}))["inventory"]
    rng = ok(client.call("AddIpRange", {"name": "r-del", "l3NetworkUuid": l3["uuid"], "startIp": "10.9.0.2",
                                        "endIp": "10.9.0.9", "netmask": "255.255.255.0"}))["inventory"]
    ok(client.call("DeleteL3Network", {"uuid": l3["uuid"]}))
    assert client.query("QueryIpRange", f"uuid={rng['uuid']}") == []


def test_a_zone_takes_its_clusters_hosts_networks_and_ranges_and_deletemode_decides(client):
    zone = client.query("QueryZone", "name=华东区域")[0]
    clusters = [c["uuid"] for c in client.query("QueryCluster", f"zoneUuid={zone['uuid']}")]
    hosts = [h["uuid"] for h in client.query("QueryHost", f"zoneUuid={zone['uuid']}")]
    l3s = [n["uuid"] for n in client.query("QueryL3Network", f"zoneUuid={zone['uuid']}")]
    ranges = [r["uuid"] for r in client.query("QueryIpRange", f"l3Network.zoneUuid={zone['uuid']}")]
    assert clusters and hosts and l3s and ranges
    running = [v["uuid"] for v in client.query("QueryVmInstance", f"zoneUuid={zone['uuid']}", "state=Running")]
    assert running
    # Permissive: VMs still run there, so the zone stays whole
    err = error_of(client.call("DeleteZone", {"uuid": zone["uuid"], "deleteMode": "Permissive"}))
    assert err["code"] == "SYS.1004" and "Enforcing" in err["details"]
    assert client.query("QueryZone", f"uuid={zone['uuid']}")
    # Enforcing: everything goes; the VMs are stopped off their hosts, their NICs on the zone's L3s removed
    ok(client.call("DeleteZone", {"uuid": zone["uuid"], "deleteMode": "Enforcing"}))
    assert client.query("QueryZone", f"uuid={zone['uuid']}") == []
    for query, gone in (("QueryCluster", clusters), ("QueryHost", hosts), ("QueryL3Network", l3s),
                        ("QueryIpRange", ranges)):
        assert client.query(query, f"uuid?={','.join(gone)}") == [], query
    assert client.query("QueryL2Network", f"zoneUuid={zone['uuid']}") == []
    vm = client.query("QueryVmInstance", f"uuid={running[0]}")[0]
    assert vm["state"] == "Stopped" and "hostUuid" not in vm and vm["vmNics"] == []
    # deleting it again: gone, and the server answers success
    ok(client.call("DeleteZone", {"uuid": zone["uuid"]}))


def test_a_bad_delete_mode_is_refused(client):
    err = error_of(client.call("DeleteL3Network", {"uuid": client.lookup("l3"), "deleteMode": "Sometimes"}))
    assert err["code"] == "SYS.1007"
