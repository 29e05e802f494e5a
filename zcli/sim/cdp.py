"""Continuous data protection: the tasks that protect VMs on a backup storage, their recovery points, and what
is done with a point (mount, protect, revert).

The CDP module is closed source; the facts are the reference's (CdpTask, CdpTaskResourceRef, CdpPolicy, the
APIs' parameters: a recovery point is a ``groupId`` of a VM). What the simulator chose:

* a VM's recovery points are those of :mod:`zcli.sim.cdp_reads` (devices'): one every ``recoveryPointPerSecond``
  seconds of the task's policy since the task was made (CreateCdpTask, there too, keeps the resources it
  protects), ``groupId`` the point's time in epoch seconds;
* ``Protect``/``UnprotectVmInstanceRecoveryPoint``: a point kept beyond the policy's retention (with its
  description) or no longer (refused when it is not protected); the agent state keeps them;
* ``Mount``/``UnmountVmInstanceRecoveryPoint``: the backup storage exports the point's volumes (NBD, or HTTPS
  with ``https``): the reply's ``resourcePath``; a point is mounted once, and only a mounted one unmounted;
* ``RevertVmFromCdpBackup``: the VM (Stopped) gets its volumes' bits as they were at the point; the bits they
  had become trash (RevertVolume).
"""

from __future__ import annotations

from zcli.sim.acting import Family, state_err
from zcli.sim.failures import argerr, operr
from zcli.sim.trash import keep_volume_bits

_TASK = "CdpTaskInventory"


class Cdp(Family):
    kind = "cdp"

    def table(self) -> dict:
        return {
            "ProtectVmInstanceRecoveryPoint": ("the recovery point kept beyond retention", self.protect),
            "UnprotectVmInstanceRecoveryPoint": ("the recovery point no longer kept", self.unprotect),
            "MountVmInstanceRecoveryPoint": ("the backup storage exports the point's volumes", self.mount),
            "UnmountVmInstanceRecoveryPoint": ("the export of the point ends", self.unmount),
            "RevertVmFromCdpBackup": ("the VM's volumes as they were at the point", self.revert),
        }

    # --- recovery points -----------------------------------------------------------------------
    def _cdp(self):
        return self.writer.mechanisms.more_of("cdp-read")  # the recovery points' rule lives there (devices)

    def task_of(self, vm_uuid: str) -> dict:
        return self._cdp()._task(vm_uuid)[1]

    def _point(self, params: dict, vm_param: str) -> tuple[dict, int]:
        vm = self.get("VmInstanceInventory", params.get(vm_param), vm_param)
        try:
            group = int(params.get("groupId"))
        except (TypeError, ValueError):
            raise argerr(f"invalid field[groupId]: {params.get('groupId')}") from None
        _, task, policy = self._cdp()._task(vm["uuid"])
        first, last, every = self._cdp()._range(task, policy)
        if not first <= group <= last or (group - first) % every:
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
