"""Continuous data protection: the tasks that protect VMs on a backup storage, their recovery points, and what
is done with a point (mount, protect, revert).

The CDP module is closed source; the facts are the reference's (CdpTask, CdpTaskResourceRef, CdpPolicy, the
APIs' parameters: a recovery point is a ``groupId`` of a VM). What the simulator chose:

* ``CreateCdpTask``: the task (Enabled, Running) and a CdpTaskResourceRef for each resource it protects (its
  ``resourceRefs``); a resource must exist and no other task may protect it;
* the recovery points of a VM (:func:`recovery_points`) are the CDP agent's: one every ``recoveryPointPerSecond``
  seconds of the task's policy (60 when it names none) since the task was made, by the simulator's clock,
  numbered from 1 (``groupId``), the newest 1000 kept;
* ``Protect``/``UnprotectVmInstanceRecoveryPoint``: a point kept beyond the policy's retention (with its
  description) or no longer (refused when it is not protected); the agent state keeps them;
* ``Mount``/``UnmountVmInstanceRecoveryPoint``: the backup storage exports the point's volumes (NBD, or HTTPS
  with ``https``): the reply's ``resourcePath``; a point is mounted once, and only a mounted one unmounted;
* ``RevertVmFromCdpBackup``: the VM (Stopped) gets its volumes' bits as they were at the point; the bits they
  had become trash (RevertVolume).
"""

from __future__ import annotations

from datetime import datetime

from zcli.sim.acting import Family, operr, state_err
from zcli.sim.failures import argerr
from zcli.sim.naming import as_list
from zcli.sim.tables import q
from zcli.sim.tags import resource_type_of
from zcli.sim.trash import keep_volume_bits

_TASK = "CdpTaskInventory"
_REF = "CdpTaskResourceRefInventory"
_FORMAT = "%Y-%m-%d %H:%M:%S"


def _stamp(text: str) -> float:
    return datetime.strptime(text, _FORMAT).timestamp()


class Cdp(Family):
    kind = "cdp"

    def table(self) -> dict:
        return {
            "CreateCdpTask": ("the task and a resource ref for each resource it protects", self.create_task),
            "ProtectVmInstanceRecoveryPoint": ("the recovery point kept beyond retention", self.protect),
            "UnprotectVmInstanceRecoveryPoint": ("the recovery point no longer kept", self.unprotect),
            "MountVmInstanceRecoveryPoint": ("the backup storage exports the point's volumes", self.mount),
            "UnmountVmInstanceRecoveryPoint": ("the export of the point ends", self.unmount),
            "RevertVmFromCdpBackup": ("the VM's volumes as they were at the point", self.revert),
        }

    def create_task(self, params: dict):
        policy = self.get("CdpPolicyInventory", params.get("policyUuid"), "policyUuid")
        bs = self.get("BackupStorageInventory", params.get("backupStorageUuid"), "backupStorageUuid")
        resources = as_list(params.get("resourceUuids"))
        if not resources:
            raise argerr("missing mandatory field[resourceUuids]")
        kinds = {}
        for r in resources:
            kinds[r] = resource_type_of(self.writer, r)
            taken = self.rows(_REF, "resourceUuid = ?", [r])
            if taken:
                raise operr(f"the resource[uuid:{r}] is already protected by the CDP task[uuid:{taken[0]['taskUuid']}]")
        task = self.insert(_TASK, {**({"uuid": params["resourceUuid"]} if params.get("resourceUuid") else {}),
                                   "name": params.get("name"), "description": params.get("description"),
                                   "policyUuid": policy["uuid"], "backupStorageUuid": bs["uuid"], "status": "Running",
                                   "state": "Enabled", "taskType": params.get("taskType"),
                                   "backupBandwidth": params.get("backupBandwidth"),
                                   "maxCapacity": params.get("maxCapacity"), "maxLatency": params.get("maxLatency"),
                                   "usedCapacity": 0})
        for r in resources:
            self.insert(_REF, {"taskUuid": task["uuid"], "resourceUuid": r, "resourceType": kinds[r]})
        refs = self.rows(_REF, "taskUuid = ?", [task["uuid"]])
        return {"inventory": self.update(_TASK, task["uuid"], {"resourceRefs": refs})}

    # --- recovery points -----------------------------------------------------------------------
    def task_of(self, vm_uuid: str) -> dict:
        _, rows = self.store.read(f"SELECT taskUuid FROM {q(_REF)} WHERE resourceUuid = ?", [vm_uuid])
        if not rows:
            raise operr(f"no CDP task protects the vm[uuid:{vm_uuid}]")
        return self.get(_TASK, rows[0][0], "taskUuid")

    def recovery_points(self, vm_uuid: str) -> list[dict]:
        """The VM's recovery points, oldest first: ``{"groupId", "timestamp"}`` (seconds)."""
        task = self.task_of(vm_uuid)
        policy = self.rows("CdpPolicyInventory", "uuid = ?", [task.get("policyUuid")])
        every = int((policy[0].get("recoveryPointPerSecond") if policy else None) or 60)
        _, rows = self.store.read(f"SELECT createDate FROM {q(_TASK)} WHERE uuid = ?", [task["uuid"]])
        start, now = _stamp(rows[0][0]), self.writer.clock.time()
        count = max(int((now - start) // every), 0) + 1
        first = max(1, count - 999)
        return [{"groupId": g, "timestamp": int(start + (g - 1) * every)} for g in range(first, count + 1)]

    def _point(self, params: dict, vm_param: str) -> tuple[dict, int]:
        vm = self.get("VmInstanceInventory", params.get(vm_param), vm_param)
        try:
            group = int(params.get("groupId"))
        except (TypeError, ValueError):
            raise argerr(f"invalid field[groupId]: {params.get('groupId')}") from None
        if group not in {p["groupId"] for p in self.recovery_points(vm["uuid"])}:
            raise argerr(f"the vm[uuid:{vm['uuid']}] has no recovery point[groupId:{group}]")
        return vm, group

    def protect(self, params: dict):
        vm, group = self._point(params, "vmInstanceUuid")
        kept = self.recall(vm["uuid"], "protectedRecoveryPoints", {})
        kept[str(group)] = params.get("description") or ""
        self.remember(vm["uuid"], "protectedRecoveryPoints", kept)
        return None

    def unprotect(self, params: dict):
        vm, group = self._point(params, "vmInstanceUuid")
        kept = self.recall(vm["uuid"], "protectedRecoveryPoints", {})
        if str(group) not in kept:
            raise operr(f"the recovery point[groupId:{group}] of the vm[uuid:{vm['uuid']}] is not protected")
        del kept[str(group)]
        self.remember(vm["uuid"], "protectedRecoveryPoints", kept)
        return None

    def mount(self, params: dict):
        vm, group = self._point(params, "vmUuid")
        mounted = self.recall(vm["uuid"], "mountedRecoveryPoints", {})
        if str(group) in mounted:
            raise operr(f"the recovery point[groupId:{group}] of the vm[uuid:{vm['uuid']}] is already mounted")
        task = self.task_of(vm["uuid"])
        bs = self.rows("ImageStoreBackupStorageInventory", "uuid = ?", [task.get("backupStorageUuid")])
        host = (bs[0].get("hostname") if bs else None) or "localhost"
        https = params.get("https") is True or str(params.get("https")).lower() == "true"
        path = (f"https://{host}:8443/cdp/{vm['uuid']}/{group}" if https
                else f"nbd://{host}:{10809 + len(mounted)}/{vm['uuid']}-{group}")
        mounted[str(group)] = path
        self.remember(vm["uuid"], "mountedRecoveryPoints", mounted)
        return {"resourcePath": path, "failedVolumes": {}}

    def unmount(self, params: dict):
        vm, group = self._point(params, "vmUuid")
        mounted = self.recall(vm["uuid"], "mountedRecoveryPoints", {})
        if str(group) not in mounted:
            raise operr(f"the recovery point[groupId:{group}] of the vm[uuid:{vm['uuid']}] is not mounted")
        del mounted[str(group)]
        self.remember(vm["uuid"], "mountedRecoveryPoints", mounted)
        return None

    def revert(self, params: dict):
        vm, group = self._point(params, "vmInstanceUuid")
        task = self.task_of(vm["uuid"])
        if params.get("backupStorageUuid") and params["backupStorageUuid"] != task.get("backupStorageUuid"):
            raise argerr(f"the CDP task of the vm[uuid:{vm['uuid']}] keeps its data on the backup storage"
                         f"[uuid:{task.get('backupStorageUuid')}]")
        if vm.get("state") != "Stopped":
            raise state_err("vm", vm, "reverting it from a CDP backup")
        for vol in self.rows("VolumeInventory", "vmInstanceUuid = ?", [vm["uuid"]]):
            self.update("VolumeInventory", vol["uuid"], keep_volume_bits(self.writer, vol, "RevertVolume", True))
        self.remember(vm["uuid"], "revertedToRecoveryPoint", group)
        return None
