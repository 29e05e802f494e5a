"""Actions on hosts, guests, storage and backups over HTTP, as a user's script drives them: create or find,
act, query the state the action left, clean up (issue 11; zcli/sim/acting.py and its families)."""

from __future__ import annotations

from tests.integration.simapi import new_vm


def _stopped(api, vm_uuid: str) -> None:
    if api.one("QueryVmInstance", f"uuid={vm_uuid}")["state"] != "Stopped":
        api.ok("StopVmInstance", uuid=vm_uuid)


def test_a_shared_vm_shows_in_shared_resources_until_revoked(api):
    vm = new_vm(api, "shared-vm")
    peer = api.ok("CreateAccount", name="share-peer", password="password")["inventory"]
    api.ok("ShareResource", resourceUuids=[vm["uuid"]], accountUuids=[peer["uuid"]])
    api.ok("ShareResource", resourceUuids=[vm["uuid"]], accountUuids=[peer["uuid"]])  # never twice
    api.ok("ShareResource", resourceUuids=[vm["uuid"]], toPublic=True)
    rows = api.query("QuerySharedResource", f"resourceUuid={vm['uuid']}")
    assert sorted((r.get("receiverAccountUuid") or "", r["toPublic"]) for r in rows) == [("", True),
                                                                                         (peer["uuid"], False)]
    assert {r["resourceType"] for r in rows} == {"VmInstanceVO"}
    assert "accountUuids cannot be null" in api.refused("ShareResource", resourceUuids=[vm["uuid"]])["details"]
    assert "doesn't have a resource" in api.refused("ShareResource", resourceUuids=["0" * 32], toPublic=True)["details"]
    api.ok("RevokeResourceSharing", resourceUuids=[vm["uuid"]], toPublic=True)
    assert [r["receiverAccountUuid"] for r in api.query("QuerySharedResource", f"resourceUuid={vm['uuid']}")] == \
        [peer["uuid"]]
    api.ok("RevokeResourceSharing", resourceUuids=[vm["uuid"]], all=True)
    assert api.query("QuerySharedResource", f"resourceUuid={vm['uuid']}") == []
    api.ok("DestroyVmInstance", uuid=vm["uuid"])
    api.ok("DeleteAccount", uuid=peer["uuid"])


def test_a_revert_leaves_trash_that_a_clean_up_turns_back_into_capacity(api):
    older = api.query("QueryVolumeSnapshot", "latest=false")[0]
    vol = api.one("QueryVolume", f"uuid={older['volumeUuid']}")
    _stopped(api, vol["vmInstanceUuid"])
    ps_uuid = vol["primaryStorageUuid"]
    before = api.one("QueryPrimaryStorage", f"uuid={ps_uuid}")["availableCapacity"]
    api.ok("RevertVolumeFromSnapshot", uuid=older["uuid"])
    trash = [t for t in api.ok("GetTrashOnPrimaryStorage", uuid=ps_uuid)["inventories"]
             if t["resourceUuid"] == vol["uuid"]]
    assert [(t["trashType"], t["installPath"], t["size"]) for t in trash] == [
        ("RevertVolume", vol["installPath"], vol["actualSize"])]
    assert api.one("QueryVolume", f"uuid={vol['uuid']}")["installPath"] != vol["installPath"]  # new bits
    cleaned = api.ok("CleanUpTrashOnPrimaryStorage", uuid=ps_uuid, trashId=trash[0]["trashId"])
    assert cleaned["result"]["resourceUuids"] == [vol["uuid"]] and cleaned["result"]["size"] == vol["actualSize"]
    assert api.one("QueryPrimaryStorage", f"uuid={ps_uuid}")["availableCapacity"] == before + vol["actualSize"]
    left = api.ok("GetTrashOnPrimaryStorage", uuid=ps_uuid)["inventories"]
    assert trash[0]["trashId"] not in [t["trashId"] for t in left]
    # The backup storage's trash (an image that migrated away) is reclaimed by the image store's GC.
    bs = api.one("QueryImageStoreBackupStorage")
    held = sum(t["size"] for t in api.ok("GetTrashOnBackupStorage", uuid=bs["uuid"])["inventories"])
    assert held > 0
    assert api.ok("ReclaimSpaceFromImageStore", uuid=bs["uuid"])["gcResult"]["freedSpaceInBytes"] == held
    assert api.ok("GetTrashOnBackupStorage", uuid=bs["uuid"])["inventories"] == []


def test_image_caches_no_volume_uses_are_cleaned_up(api):
    ps = api.one("QueryPrimaryStorage", "type=LocalStorage")
    caches = api.query("QueryImageCache", f"primaryStorageUuid={ps['uuid']}")
    images = {i["uuid"]: i for i in api.query("QueryImage")}
    used = {v["rootImageUuid"] for v in api.query("QueryVolume", f"primaryStorageUuid={ps['uuid']}", "type=Root")}
    stale = [c for c in caches if c["imageUuid"] not in images]
    unused = [c for c in caches if c["imageUuid"] in images and c["imageUuid"] not in used]
    assert stale and unused
    before = api.one("QueryPrimaryStorage", f"uuid={ps['uuid']}")["availableCapacity"]
    api.ok("CleanUpImageCacheOnPrimaryStorage", uuid=ps["uuid"])
    left = {c["id"] for c in api.query("QueryImageCache", f"primaryStorageUuid={ps['uuid']}")}
    assert not left & {c["id"] for c in stale} and {c["id"] for c in unused} <= left
    api.ok("CleanUpImageCacheOnPrimaryStorage", uuid=ps["uuid"], force=True)
    left = api.query("QueryImageCache", f"primaryStorageUuid={ps['uuid']}")
    assert {c["imageUuid"] for c in left} <= used
    freed = sum(c["size"] for c in stale + unused)
    total = api.one("QueryPrimaryStorage", f"uuid={ps['uuid']}")
    assert total["availableCapacity"] == min(before + freed, total["totalCapacity"])


def test_a_gpu_splits_into_mediated_devices_and_a_nic_into_virtual_functions(api):
    gpu = api.one("QueryPciDevice", "virtStatus=VFIO_MDEV_VIRTUALIZABLE")
    spec = api.query("QueryMdevDeviceSpec", "name=GRID A10-4Q")[0]
    api.ok("GenerateMdevDevices", pciDeviceUuid=gpu["uuid"], mdevSpecUuid=spec["uuid"])
    mdevs = api.query("QueryMdevDevice", f"parentUuid={gpu['uuid']}")
    assert len(mdevs) == 6 and {m["mdevSpecUuid"] for m in mdevs} == {spec["uuid"]}
    assert {m["hostUuid"] for m in mdevs} == {gpu["hostUuid"]}
    assert api.one("QueryPciDevice", f"uuid={gpu['uuid']}")["virtStatus"] == "VFIO_MDEV_VIRTUALIZED"
    api.refused("GenerateMdevDevices", pciDeviceUuid=gpu["uuid"], mdevSpecUuid=spec["uuid"])
    api.ok("UngenerateMdevDevices", pciDeviceUuid=gpu["uuid"])
    assert api.query("QueryMdevDevice", f"parentUuid={gpu['uuid']}") == []

    nic = api.one("QueryPciDevice", "virtStatus=SRIOV_VIRTUALIZABLE")
    api.refused("GenerateSriovPciDevices", pciDeviceUuid=nic["uuid"], virtPartNum=65)  # more than totalVfs
    api.ok("GenerateSriovPciDevices", pciDeviceUuid=nic["uuid"], virtPartNum=4)
    vfs = api.query("QueryPciDevice", f"parentUuid={nic['uuid']}")
    assert len(vfs) == 4 and {v["virtStatus"] for v in vfs} == {"SRIOV_VIRTUAL"}
    assert len({v["pciDeviceAddress"] for v in vfs}) == 4
    vm = new_vm(api, "vf-user")
    api.ok("AttachPciDeviceToVm", pciDeviceUuid=vfs[0]["uuid"], vmInstanceUuid=vm["uuid"])
    assert "attached" in api.refused("UngenerateSriovPciDevices", pciDeviceUuid=nic["uuid"])["details"]
    api.ok("DetachPciDeviceFromVm", pciDeviceUuid=vfs[0]["uuid"], vmInstanceUuid=vm["uuid"])
    api.ok("UngenerateSriovPciDevices", pciDeviceUuid=nic["uuid"])
    assert api.query("QueryPciDevice", f"parentUuid={nic['uuid']}") == []
    assert api.one("QueryPciDevice", f"uuid={nic['uuid']}")["virtStatus"] == "SRIOV_VIRTUALIZABLE"
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_snapshots_shrink_and_undo_and_a_volume_flattens(api):
    latest = api.query("QueryVolumeSnapshot", "latest=true")
    snap = next(s for s in latest if not s.get("parentUuid"))
    shrunk = api.ok("ShrinkVolumeSnapshot", uuid=snap["uuid"])["shrinkResult"]
    assert shrunk["oldSize"] == snap["size"] and 0 < shrunk["size"] < snap["size"]
    assert api.one("QueryVolumeSnapshot", f"uuid={snap['uuid']}")["size"] == shrunk["size"]
    assert api.ok("ShrinkVolumeSnapshot", uuid=snap["uuid"])["shrinkResult"]["deltaSize"] == 0
    vol = api.one("QueryVolume", f"uuid={snap['volumeUuid']}")
    undone = api.ok("UndoSnapshotCreation", uuid=vol["uuid"], snapShotUuid=snap["uuid"])["inventory"]
    assert undone["installPath"] == snap["primaryStorageInstallPath"]
    assert api.query("QueryVolumeSnapshot", f"uuid={snap['uuid']}") == []
    older = api.query("QueryVolumeSnapshot", "latest=false")
    if older:
        assert "not latest" in api.refused("UndoSnapshotCreation", uuid=older[0]["volumeUuid"],
                                           snapShotUuid=older[0]["uuid"])["details"]
    image = api.one("QueryImage", f"uuid={vol['rootImageUuid']}") if vol["type"] == "Root" else {"actualSize": 0}
    dry = api.ok("FlattenVolume", uuid=vol["uuid"], dryRun=True)["inventory"]
    assert dry["actualSize"] == vol["actualSize"] + image["actualSize"]
    assert api.one("QueryVolume", f"uuid={vol['uuid']}")["actualSize"] == vol["actualSize"]  # a dry run changes nothing
    assert api.ok("FlattenVolume", uuid=vol["uuid"])["inventory"]["actualSize"] == dry["actualSize"]
    assert api.ok("FlattenVolume", uuid=vol["uuid"])["inventory"]["actualSize"] == dry["actualSize"]  # nothing left
