"""Actions on hosts, guests, storage and backups over HTTP, as a user's script drives them: create or find,
act, query the state the action left, clean up (issue 11; zcli/sim/acting.py and its families)."""

from __future__ import annotations

import base64
from datetime import datetime

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
    bs = api.one("QueryImageStoreBackupStorage", "name=bs-imagestore-1")
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


def test_a_vm_backup_reverts_its_volumes_and_a_volume_backup_copies_to_another_image_store(api):
    bs = api.one("QueryImageStoreBackupStorage", "name=bs-imagestore-1")
    group = api.query("QueryVolumeBackup", "groupUuid!=null")[0]["groupUuid"]
    backups = api.query("QueryVolumeBackup", f"groupUuid={group}")
    vm_uuid = backups[0]["vmInstanceUuid"]
    _stopped(api, vm_uuid)
    vols = {b["volumeUuid"]: api.one("QueryVolume", f"uuid={b['volumeUuid']}") for b in backups}
    api.ok("RevertVmFromVmBackup", groupUuid=group)
    for b in backups:
        now = api.one("QueryVolume", f"uuid={b['volumeUuid']}")
        assert now["actualSize"] == b["size"] and now["installPath"] != vols[b["volumeUuid"]]["installPath"]
    trash = api.ok("GetTrashOnPrimaryStorage", uuid=vols[backups[0]["volumeUuid"]]["primaryStorageUuid"])
    assert {t["resourceUuid"] for t in trash["inventories"] if t["trashType"] == "RevertVolume"} >= set(vols)
    api.ok("StartVmInstance", uuid=vm_uuid)
    assert "Running" in api.refused("RevertVmFromVmBackup", groupUuid=group)["details"]
    api.ok("StopVmInstance", uuid=vm_uuid)

    # A new backup of a data volume takes the image store's capacity; it is copied to a second image store.
    vol = api.query("QueryVolume", "type=Data", "status=Ready")[0]
    free = api.one("QueryBackupStorage", f"uuid={bs['uuid']}")["availableCapacity"]
    made = api.ok("CreateVolumeBackup", volumeUuid=vol["uuid"], backupStorageUuid=bs["uuid"], name="nightly")
    backup = made["inventory"]
    assert backup["status"] == "Ready" and backup["size"] == vol["actualSize"]
    assert api.one("QueryBackupStorage", f"uuid={bs['uuid']}")["availableCapacity"] == free - vol["actualSize"]
    other = api.ok("AddImageStoreBackupStorage", name="dr-store", hostname="172.20.9.2", username="root",
                   password="password", url="/dr", totalCapacity=1 << 40, availableCapacity=1 << 40)["inventory"]
    copied = api.ok("RecoverBackupFromImageStoreBackupStorage", uuid=backup["uuid"], srcBackupStorageUuid=bs["uuid"],
                    dstBackupStorageUuid=other["uuid"])["inventory"]
    assert {r["backupStorageUuid"] for r in copied["backupStorageRefs"]} == {bs["uuid"], other["uuid"]}
    shown = api.one("QueryVolumeBackup", f"uuid={backup['uuid']}")["backupStorageRefs"]
    assert {r["backupStorageUuid"] for r in shown} == {bs["uuid"], other["uuid"]}
    api.refused("RecoverBackupFromImageStoreBackupStorage", uuid=backup["uuid"], srcBackupStorageUuid=bs["uuid"],
                dstBackupStorageUuid=other["uuid"])  # already there
    assert api.ok("SyncVolumeBackup", imageStoreUuid=other["uuid"])["result"] == {"deletedBackupCount": 0,
                                                                                   "newBackupCount": 0}
    api.ok("DeleteBackupStorage", uuid=other["uuid"])


def test_an_image_and_a_database_backup_are_exported_from_the_image_store(api):
    bs = api.one("QueryImageStoreBackupStorage", "name=bs-imagestore-1")
    image = api.one("QueryImage", "name=centos-7.9")
    out = api.ok("ExportImageFromBackupStorage", backupStorageUuid=bs["uuid"], imageUuid=image["uuid"])
    assert out["imageUrl"].startswith(f"http://{bs['hostname']}:") and len(out["exportMd5Sum"]) == 32
    ref = api.one("QueryImage", f"uuid={image['uuid']}")["backupStorageRefs"][0]
    assert (ref["exportUrl"], ref["exportMd5Sum"]) == (out["imageUrl"], out["exportMd5Sum"])
    db = api.one("QueryDatabaseBackup", "name=zstack-db-backup-1")
    url = api.ok("ExportDatabaseBackupFromBackupStorage", databaseBackupUuid=db["uuid"],
                 backupStorageUuid=bs["uuid"])["databaseBackupUrl"]
    assert api.one("QueryDatabaseBackup", f"uuid={db['uuid']}")["backupStorageRefs"][0]["exportUrl"] == url


def test_a_guest_script_runs_on_running_vms_and_a_console_is_granted(api):
    running = new_vm(api, "script-target")
    stopped = new_vm(api, "script-stopped")
    api.ok("StopVmInstance", uuid=stopped["uuid"])
    script = api.ok("CreateGuestVmScript", name="uptime", scriptContent="uptime", platform="Linux",
                    scriptType="Shell")["inventory"]
    record = api.ok("ExecuteGuestVmScript", uuid=script["uuid"],
                    vmInstanceUuids=[running["uuid"], stopped["uuid"]])["inventory"]
    assert (record["status"], record["executionCount"], record["version"]) == ("PartlySucceed", 2, 1)
    assert api.one("QueryGuestVmScriptExecutedRecord", f"uuid={record['uuid']}")["scriptContent"] == "uptime"
    details = {d["vmInstanceUuid"]: d for d in
               api.query("QueryGuestVmScriptExecutedRecordDetail", f"recordUuid={record['uuid']}")}
    assert details[running["uuid"]]["status"] == "Succeed" and details[running["uuid"]]["exitCode"] == 0
    assert details[stopped["uuid"]]["status"] == "Failed" and "Stopped" in details[stopped["uuid"]]["errCause"]
    again = api.ok("ExecuteGuestVmScript", uuid=script["uuid"], vmInstanceUuids=[running["uuid"]])["inventory"]
    assert (again["status"], again["version"]) == ("Succeed", 2)
    api.ok("UploadFileToVm", vmInstanceUuids=[running["uuid"]], fileContent="hello", remotePath="/tmp/hello")
    api.refused("UploadFileToVm", vmInstanceUuids=[stopped["uuid"]], fileContent="hello", remotePath="/tmp/hello")

    console = api.ok("RequestConsoleAccess", vmInstanceUuid=running["uuid"])["inventory"]
    agent = api.one("QueryConsoleProxyAgent")
    assert (console["hostname"], console["port"]) == (agent["managementIp"], agent["consoleProxyPort"])
    assert api.ok("RequestConsoleAccess", vmInstanceUuid=running["uuid"])["inventory"]["token"] == console["token"]
    api.ok("MigrateVm", vmInstanceUuid=running["uuid"])  # on another host: a new proxy
    assert api.ok("RequestConsoleAccess", vmInstanceUuid=running["uuid"])["inventory"]["token"] != console["token"]
    api.refused("RequestConsoleAccess", vmInstanceUuid=stopped["uuid"])
    assert api.ok("ReconnectConsoleProxyAgent", agentUuids=["0" * 32])["inventory"]["0" * 32]["code"] == "SYS.1007"
    for vm in (running, stopped):
        api.ok("DestroyVmInstance", uuid=vm["uuid"])
    api.ok("DeleteGuestVmScript", uuid=script["uuid"])


def test_a_chassis_is_inspected_and_a_destroyed_instance_recovered_or_expunged(api):
    cluster = api.one("QueryCluster", "name=cluster-1")
    chassis = api.ok("CreateBaremetalChassis", name="rack1-u10", clusterUuid=cluster["uuid"],
                     ipmiAddress="10.0.0.10", ipmiUsername="admin", ipmiPassword="password")["inventory"]
    inspected = api.ok("InspectBaremetalChassis", uuid=chassis["uuid"])["inventory"]
    shown = api.one("QueryBaremetalChassis", f"uuid={chassis['uuid']}")
    assert {h["type"] for h in shown["hardwareInfos"]} == {"cpu", "memory", "disks", "nics"}
    assert shown["status"] == "Available" and len(inspected["hardwareInfos"]) == 4
    again = api.ok("InspectBaremetalChassis", uuid=chassis["uuid"])["inventory"]
    assert [h["content"] for h in again["hardwareInfos"]] == [h["content"] for h in inspected["hardwareInfos"]]
    assert len(api.one("QueryBaremetalChassis", f"uuid={chassis['uuid']}")["hardwareInfos"]) == 4  # replaced
    api.refused("CleanUpBaremetalChassisBonding", chassisUuid=chassis["uuid"])  # it has none
    image = api.one("QueryImage", "name=centos-7.9")
    instance = api.ok("CreateBaremetalInstance", name="bm-1", chassisUuid=chassis["uuid"], imageUuid=image["uuid"],
                      password="password")["inventory"]
    assert "serves" in api.refused("InspectBaremetalChassis", uuid=chassis["uuid"])["details"]
    api.refused("ExpungeBaremetalInstance", uuid=instance["uuid"])  # not destroyed
    api.refused("RecoverBaremetalInstance", uuid=instance["uuid"])
    api.ok("DestroyBaremetalInstance", uuid=instance["uuid"])
    assert api.one("QueryBaremetalInstance", f"uuid={instance['uuid']}")["state"] == "Destroyed"
    assert api.ok("RecoverBaremetalInstance", uuid=instance["uuid"])["inventory"]["state"] == "Stopped"
    api.ok("DestroyBaremetalInstance", uuid=instance["uuid"])
    api.ok("ExpungeBaremetalInstance", uuid=instance["uuid"])
    assert api.query("QueryBaremetalInstance", f"uuid={instance['uuid']}") == []
    assert api.one("QueryBaremetalChassis", f"uuid={chassis['uuid']}")["status"] == "Available"


def test_host_agents_locate_and_identify(api):
    host = api.one("QueryHost", "name=host-1")
    api.ok("IdentifyHost", uuid=host["uuid"], interval=20)
    api.refused("IdentifyHost", uuid=host["uuid"], interval=0)
    api.ok("LocateHostNetworkInterface", hostUuid=host["uuid"], networkInterfaceName="eth0")
    assert "no network interface" in api.refused("LocateHostNetworkInterface", hostUuid=host["uuid"],
                                                 networkInterfaceName="eth7")["details"]


def test_drs_advises_moves_from_the_busiest_host_and_applies_them(api):
    cluster = api.one("QueryCluster", "name=cluster-2")
    hosts = api.query("QueryHost", f"clusterUuid={cluster['uuid']}")
    busy = hosts[0]
    for i in range(3):
        api.ok("CreateVmInstance", name=f"drs-load-{i}", hostUuid=busy["uuid"], clusterUuid=cluster["uuid"],
               instanceOfferingUuid=api.one("QueryInstanceOffering", "name=GPU-推理型")["uuid"],
               imageUuid=api.one("QueryImage", "name=centos-7.9")["uuid"],
               l3NetworkUuids=[api.one("QueryL3Network", "name=private-1")["uuid"]])
    drs = api.ok("CreateClusterDRS", name="drs", clusterUuid=cluster["uuid"], automationLevel="Manual",
                 thresholds=[{"name": "memoryUsage", "value": "5"}], thresholdDuration=300, state="Enabled")
    drs = drs["inventory"]
    api.ok("ExecuteDRSScheduling", uuid=drs["uuid"])
    advices = api.query("QueryDRSAdvice", f"drsUuid={drs['uuid']}")
    assert advices and {a["vmSourceHostUuid"] for a in advices} <= {h["uuid"] for h in hosts}
    assert api.one("QueryClusterDRS", f"uuid={drs['uuid']}")["balancedState"] == "Unbalanced"
    first = advices[0]
    activity = api.ok("ApplyDRSAdvice", adviceUuid=first["uuid"])["vmMigrationActivityUuid"]
    assert api.one("QueryVmInstance", f"uuid={first['vmUuid']}")["hostUuid"] == first["vmTargetHostUuid"]
    assert api.one("QueryDRSVmMigrationActivity", f"uuid={activity}")["adviceUuid"] == first["uuid"]
    api.refused("ApplyDRSAdvice", adviceUuid=first["uuid"])  # the VM has moved already
    for vm in api.query("QueryVmInstance", "name~=drs-load-%"):
        api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_a_trigger_runs_its_jobs_now(api):
    vm = new_vm(api, "scheduled")
    vol = api.query("QueryVolume", "type=Data", "status=Ready")[0]
    stop = api.ok("CreateSchedulerJob", name="stop-it", targetResourceUuid=vm["uuid"], type="stopVm")["inventory"]
    snap = api.ok("CreateSchedulerJob", name="snap-it", targetResourceUuid=vol["uuid"],
                  type="volumeSnapshot")["inventory"]
    trigger = api.ok("CreateSchedulerTrigger", name="now", schedulerType="simple", schedulerInterval=3600)["inventory"]
    api.refused("RunSchedulerTrigger", uuid=trigger["uuid"])  # no job yet
    for job in (stop, snap):
        api.ok("AddSchedulerJobToSchedulerTrigger", schedulerJobUuid=job["uuid"], schedulerTriggerUuid=trigger["uuid"])
    before = len(api.query("QueryVolumeSnapshot", f"volumeUuid={vol['uuid']}"))
    api.ok("RunSchedulerTrigger", uuid=trigger["uuid"])
    assert api.one("QueryVmInstance", f"uuid={vm['uuid']}")["state"] == "Stopped"
    snaps = api.query("QueryVolumeSnapshot", f"volumeUuid={vol['uuid']}")
    assert len(snaps) == before + 1 and next(s for s in snaps if s["latest"])["name"].startswith("snap-it")
    history = api.query("QuerySchedulerJobHistory", f"triggerUuid={trigger['uuid']}")
    assert sorted((h["schedulerJobUuid"], h["success"]) for h in history) == sorted(
        [(stop["uuid"], True), (snap["uuid"], True)])
    api.ok("RunSchedulerTrigger", uuid=trigger["uuid"], jobUuids=[stop["uuid"]])
    assert len(api.query("QuerySchedulerJobHistory", f"schedulerJobUuid={stop['uuid']}")) == 2
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_a_config_template_is_applied_reverted_and_reset(api):
    template = api.one("QueryGlobalConfigTemplate", "name=large-scale")
    entries = api.query("QueryTemplateConfig", f"templateUuid={template['uuid']}")
    ping = next(e for e in entries if e["name"] == "ping.interval")
    before = api.one("QueryGlobalConfig", "category=host", "name=ping.interval")["value"]
    api.refused("RevertTemplateConfig", templateUuid=template["uuid"])  # not applied yet
    api.ok("ApplyTemplateConfig", templateUuid=template["uuid"])
    assert api.one("QueryGlobalConfig", "category=host", "name=ping.interval")["value"] == ping["value"] != before
    api.ok("RevertTemplateConfig", templateUuid=template["uuid"])
    assert api.one("QueryGlobalConfig", "category=host", "name=ping.interval")["value"] == before
    api.ok("ResetTemplateConfig", templateUuid=template["uuid"])
    assert {e["value"] for e in api.query("QueryTemplateConfig", f"templateUuid={template['uuid']}")} == {
        e["defaultValue"] for e in entries}


def test_storage_trash_no_resource_owns_is_cleaned_and_a_console_screenshot_taken(api):
    ps = api.one("QueryPrimaryStorage", "type=LocalStorage")
    entries = api.ok("GetTrashOnPrimaryStorage", uuid=ps["uuid"])["inventories"]
    orphans = [t for t in entries if not api.query("QueryVolume", f"uuid={t['resourceUuid']}")]
    assert orphans
    before = api.one("QueryPrimaryStorage", f"uuid={ps['uuid']}")["availableCapacity"]
    out = api.ok("CleanUpStorageTrashOnPrimaryStorage", uuid=ps["uuid"])
    assert out["total"] == len(orphans) and sorted(p for paths in out["result"].values() for p in paths) == sorted(
        t["installPath"] for t in orphans)
    left = {t["trashId"] for t in api.ok("GetTrashOnPrimaryStorage", uuid=ps["uuid"])["inventories"]}
    assert not left & {t["trashId"] for t in orphans}
    after = api.one("QueryPrimaryStorage", f"uuid={ps['uuid']}")
    assert after["availableCapacity"] == min(before + sum(t["size"] for t in orphans), after["totalCapacity"])

    vm = new_vm(api, "screen")
    shot = base64.b64decode(api.ok("TakeVmConsoleScreenshot", uuid=vm["uuid"])["imageData"])
    assert shot.startswith(b"\x89PNG\r\n\x1a\n")
    api.ok("StopVmInstance", uuid=vm["uuid"])
    assert "not Running" in api.refused("TakeVmConsoleScreenshot", uuid=vm["uuid"])["details"]
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_chrony_servers_are_pushed_once_configured(api):
    if not api.ok("GetChronyServers")["servers"]:
        assert "not configured" in api.refused("SyncChronyServers")["details"]
    api.ok("UpdateChronyServers", internalHostnames=["172.20.0.1"])
    api.ok("SyncChronyServers")


def test_a_cdp_task_protects_a_vm_whose_recovery_points_are_protected_mounted_and_reverted_to(api):
    vm = new_vm(api, "cdp-vm")
    policy = api.ok("CreateCdpPolicy", name="every-minute", retentionTimePerDay=7, recoveryPointPerSecond=60,
                    hourlyRpSinceDay=1, dailyRpSinceDay=3, expireTimeInDay=30, fullBackupIntervalInDay=7)["inventory"]
    bs = api.one("QueryImageStoreBackupStorage", "name=bs-imagestore-1")
    task = api.ok("CreateCdpTask", name="protect-vm", taskType="VM", policyUuid=policy["uuid"],
                  backupStorageUuid=bs["uuid"], resourceUuids=[vm["uuid"]])["inventory"]
    assert api.one("QueryCdpTask", f"uuid={task['uuid']}")["policyUuid"] == policy["uuid"]
    first = int(datetime.strptime(task["createDate"], "%b %d, %Y %I:%M:%S %p").timestamp())  # its first point
    api.ok("ProtectVmInstanceRecoveryPoint", vmInstanceUuid=vm["uuid"], groupId=first, description="before upgrade")
    api.refused("ProtectVmInstanceRecoveryPoint", vmInstanceUuid=vm["uuid"], groupId=first + 1)  # no such point
    api.ok("UnprotectVmInstanceRecoveryPoint", vmInstanceUuid=vm["uuid"], groupId=first)
    api.refused("UnprotectVmInstanceRecoveryPoint", vmInstanceUuid=vm["uuid"], groupId=first)
    mounted = api.ok("MountVmInstanceRecoveryPoint", vmUuid=vm["uuid"], groupId=first)
    assert mounted["resourcePath"].startswith(f"nbd://{bs['hostname']}:") and mounted["failedVolumes"] == {}
    api.refused("MountVmInstanceRecoveryPoint", vmUuid=vm["uuid"], groupId=first)
    api.ok("UnmountVmInstanceRecoveryPoint", vmUuid=vm["uuid"], groupId=first)
    api.refused("UnmountVmInstanceRecoveryPoint", vmUuid=vm["uuid"], groupId=first)
    # a running VM is not reverted
    api.refused("RevertVmFromCdpBackup", vmInstanceUuid=vm["uuid"], backupStorageUuid=bs["uuid"], groupId=first)
    api.ok("StopVmInstance", uuid=vm["uuid"])
    root = api.one("QueryVolume", f"uuid={vm['rootVolumeUuid']}")
    api.ok("RevertVmFromCdpBackup", vmInstanceUuid=vm["uuid"], backupStorageUuid=bs["uuid"], groupId=first)
    assert api.one("QueryVolume", f"uuid={root['uuid']}")["installPath"] != root["installPath"]
    trash = api.ok("GetTrashOnPrimaryStorage", uuid=root["primaryStorageUuid"])["inventories"]
    assert [t["installPath"] for t in trash if t["resourceUuid"] == root["uuid"]] == [root["installPath"]]
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_prometheus_queries_answer_from_the_metrics_model(api):
    vm = new_vm(api, "prom-vm")
    names = api.ok("PrometheusQueryLabelValues", labels=["__name__", "VMUuid"])["inventories"]
    assert "ZStack_VM_CPUUsedUtilization" in names["__name__"] and vm["uuid"] in names["VMUuid"]
    now = api.ok("PrometheusQueryPassThrough", expression=f'ZStack_VM_CPUUsedUtilization{{VMUuid="{vm["uuid"]}"}}',
                 instant=True)["inventories"]
    assert now["resultType"] == "vector" and [r["metric"]["VMUuid"] for r in now["result"]] == [vm["uuid"]]
    assert 0 <= float(now["result"][0]["value"][1]) <= 100
    window = api.ok("PrometheusQueryPassThrough", expression=f'ZStack_VM_CPUUsedUtilization{{VMUuid="{vm["uuid"]}"}}',
                    relativeTime="10m", step="60s")["inventories"]
    assert window["resultType"] == "matrix" and len(window["result"][0]["values"]) >= 10
    running = len(api.query("QueryVmInstance", "state=Running"))
    count = api.ok("PrometheusQueryPassThrough", expression="count(ZStack_VM_MemoryUsedBytes)",
                   instant=True)["inventories"]["result"]
    assert float(count[0]["value"][1]) == running
    series = api.ok("PrometheusQueryMetadata", matches=[f'ZStack_VM_CPUUsedUtilization{{VMUuid="{vm["uuid"]}"}}'])
    expected = {"__name__": "ZStack_VM_CPUUsedUtilization", "VMUuid": vm["uuid"]}
    assert list(series["inventories"].values()) == [[expected]]
    api.refused("PrometheusQueryPassThrough", expression="rate(ZStack_VM_CPUUsedUtilization[5m])")
    api.ok("StopVmInstance", uuid=vm["uuid"])
    stopped = api.ok("PrometheusQueryPassThrough", expression=f'ZStack_VM_CPUUsedUtilization{{VMUuid="{vm["uuid"]}"}}',
                     instant=True)["inventories"]
    assert stopped["result"] == []  # a stopped VM reports nothing
    api.ok("DestroyVmInstance", uuid=vm["uuid"])
