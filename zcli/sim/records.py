"""Calls on records that are no resource of their own: an image's export, a database backup's export, a
build app's export history, an auto-scaling group's instance, an OSPF area's networks, the guest tools ISO
in a VM's CD-ROM, an auto-scaling rule's scheduler trigger.

* DeleteExportedImageFromBackupStorage / DeleteExportedDatabaseBackupFromBackupStorage clear ``exportUrl``
  of the image's (database backup's) copy on the backup storage, as CephBackupStorageBase does; a copy
  that is not there is refused;
* DeleteBuildAppExportHistory removes the export history rows of the build app (the one ``exportId`` names);
* DeleteAutoScalingGroupInstance removes the instance from its group and destroys its VM;
* RemoveVRouterNetworksFromOspfArea removes the NetworkRouterAreaRef rows named (by uuid, or by L3 network);
* AttachGuestToolsIsoToVm puts the management node's guest tools ISO into the VM's CD-ROM (a new one when
  none is free), refused when it is there already or the VM is not running or stopped;
* CreateAutoScalingRuleSchedulerJobTrigger: an AutoScalingRuleSchedulerJobTrigger (a kind of the reply's
  AutoScalingRuleTrigger) linking the rule and the scheduler job, both checked.
"""

from __future__ import annotations

import uuid as uuidlib

from zcli.sim.byname import ByName
from zcli.sim.failures import argerr
from zcli.sim.naming import as_list
from zcli.sim.tables import q

#: Where the management node keeps the guest tools ISO (the CD-ROM's isoInstallPath).
GUEST_TOOLS_ISO = "/var/lib/zstack/guesttools/GuestTools.iso"


class Records(ByName):
    kind = "record"

    def operations(self) -> dict:
        return {
            "DeleteExportedImageFromBackupStorage": (
                "clears the exportUrl of the image's copy", lambda p: self.unexport(
                    p, "ImageBackupStorageRefInventory", "imageUuid", "ImageInventory")),
            "DeleteExportedDatabaseBackupFromBackupStorage": (
                "clears the exportUrl of the database backup's copy", lambda p: self.unexport(
                    p, "DatabaseBackupStorageRefInventory", "databaseBackupUuid", "DatabaseBackupInventory")),
            "DeleteBuildAppExportHistory": ("removes the build app's export history rows", self.export_history),
            "DeleteAutoScalingGroupInstance": ("removes the instance from its group, destroys its VM",
                                               self.scaling_instance),
            "RemoveVRouterNetworksFromOspfArea": ("removes the NetworkRouterAreaRef rows named", self.ospf_networks),
            "AttachGuestToolsIsoToVm": ("the guest tools ISO in the VM's CD-ROM", self.guest_tools_iso),
            "CreateAutoScalingRuleSchedulerJobTrigger": ("a scheduler job trigger of the rule", self.rule_trigger),
        }

    def _exists(self, table: str, value, param: str) -> None:
        if value in (None, ""):
            raise argerr(f"missing mandatory field[{param}]")
        if not self.store.count(table, "uuid = ?", [value]):
            raise argerr(f"invalid field[{param}], resource[uuid:{value}, type:{table.replace('Inventory', 'VO')}] "
                         "is not found")

    def unexport(self, params: dict, table: str, key: str, owner: str):
        bs = params.get("backupStorageUuid")
        self._exists("BackupStorageInventory", bs, "backupStorageUuid")
        self._exists(owner, params.get(key), key)
        where = f"{q(key)} = ? AND backupStorageUuid = ?"
        bound = [params[key], bs]
        if not self.store.count(table, where, bound):
            raise argerr(f"the {owner.removesuffix('Inventory')}[uuid:{params[key]}] is not on the backup "
                         f"storage[uuid:{bs}]")
        with self.store.transaction() as cur:
            cur.execute(f"UPDATE {q(table)} SET exportUrl = NULL, lastOpDate = ? WHERE {where}",
                        [self.writer.now(), *bound])
        return None

    def export_history(self, params: dict):
        app, export = params.get("buildAppUuid"), params.get("exportId")
        if app in (None, "") and export in (None, ""):
            raise argerr("buildAppUuid or exportId must be set")
        where, bound = [], []
        if app not in (None, ""):
            where.append("buildAppUuid = ?")
            bound.append(app)
        if export not in (None, ""):
            where.append("CAST(id AS TEXT) = ?")
            bound.append(str(export))
        table = "BuildAppExportHistoryInventory"
        if not self.store.count(table, " AND ".join(where), bound):
            raise argerr(f"no export history of build app[uuid:{app}] (exportId:{export}) is found")
        with self.store.transaction() as cur:
            cur.execute(f"DELETE FROM {q(table)} WHERE {' AND '.join(where)}", bound)
        return None

    def scaling_instance(self, params: dict):
        vm = params.get("instanceUuid")
        table = "AutoScalingGroupInstanceInventory"
        if not self.store.count(table, "instanceUuid = ?", [vm]):
            raise argerr(f"the VM[uuid:{vm}] is no instance of an auto scaling group")
        with self.store.transaction() as cur:
            cur.execute(f"DELETE FROM {q(table)} WHERE instanceUuid = ?", [vm])
        if self.store.count("VmInstanceInventory", "uuid = ? AND state NOT IN ('Destroyed', 'Expunging')", [vm]):
            self.writer.vms.destroy(vm)
        return None

    def ospf_networks(self, params: dict):
        uuids = as_list(params.get("uuids"))
        if not uuids:
            raise argerr("missing mandatory field[uuids]")
        table = "NetworkRouterAreaRefInventory"
        for u in uuids:
            if not self.store.count(table, "uuid = ? OR l3NetworkUuid = ?", [u, u]):
                raise argerr(f"no network[uuid:{u}] is in an OSPF area")
        marks = ", ".join("?" * len(uuids))
        with self.store.transaction() as cur:
            cur.execute(f"DELETE FROM {q(table)} WHERE uuid IN ({marks}) OR l3NetworkUuid IN ({marks})", uuids * 2)
        return None

    def guest_tools_iso(self, params: dict):
        vm_uuid = params.get("uuid")
        self._exists("VmInstanceInventory", vm_uuid, "uuid")
        vm = self.writer._get("VmInstanceInventory", vm_uuid)
        if vm.get("state") not in ("Running", "Stopped"):
            raise argerr(f"the vm[uuid:{vm_uuid}] is in state[{vm.get('state')}], the guest tools ISO cannot be "
                         "attached")
        cdroms = self.store.inventories("VmCdRomInventory", "vmInstanceUuid = ?", [vm_uuid], order="deviceId",
                                        depth=0)
        if any(c.get("isoInstallPath") == GUEST_TOOLS_ISO for c in cdroms):
            raise argerr(f"the guest tools ISO is already attached to the vm[uuid:{vm_uuid}]")
        free = next((c for c in cdroms if not c.get("isoUuid") and not c.get("isoInstallPath")), None)
        if free is not None:
            self.writer.update("VmCdRomInventory", free["uuid"], {"isoInstallPath": GUEST_TOOLS_ISO})
            return None
        now = self.writer.now()
        dev = max([c.get("deviceId") or 0 for c in cdroms], default=-1) + 1
        with self.store.transaction() as cur:
            self.store.insert_many(cur, "VmCdRomInventory", [{
                "uuid": uuidlib.uuid4().hex, "vmInstanceUuid": vm_uuid, "deviceId": dev, "name": f"CD-ROM-{dev}",
                "isoInstallPath": GUEST_TOOLS_ISO, "createDate": now, "lastOpDate": now}])
        return None

    def rule_trigger(self, params: dict):
        self._exists("AutoScalingRuleInventory", params.get("ruleUuid"), "ruleUuid")
        self._exists("SchedulerJobInventory", params.get("schedulerJobUuid"), "schedulerJobUuid")
        row = {k: params.get(k) for k in ("name", "description", "ruleUuid", "schedulerJobUuid", "resourceUuid")}
        row["type"] = params.get("triggerType") or "SchedulerJob"
        made = self.writer.create("AutoScalingRuleSchedulerJobTriggerInventory",
                                  {k: v for k, v in row.items() if v not in (None, "")})
        return {"inventory": made}
