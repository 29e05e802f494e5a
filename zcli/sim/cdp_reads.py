"""Continuous data protection: the recovery points of a VM's CDP task, and what its backup storage needs.

CDP is closed source; the reference's fields are the facts, and this is what the simulator chose. A VM is
protected by a CDP task whose resource refs name it (``CdpTaskResourceRef``: CreateCdpTask makes one for each of its
``resourceUuids``, a VM protected once).
While the task is Enabled its policy makes a recovery point every ``recoveryPointPerSecond`` seconds from the
task's creation, on the simulator's clock; points older than ``expireTimeInDay`` days are gone. A point's
``groupId`` is its time (epoch seconds).

* GetVmInstanceRecoveryPoints: the number of points per ``scale`` bucket (minute, hour, day: the bucket's start in
  epoch seconds → count) in ``startTime``..``endTime`` (epoch seconds or milliseconds, or a date);
* DescribeVmInstanceRecoveryPoint: the VM's volumes at that point (virtual size, and the data changed since the
  task began, growing with the point's age in the task);
* GetCdpBackupStorageRequirement: the storage's capacity now, what its tasks need (their ``maxCapacity``, else their
  VMs' volume sizes), and ``nextStep`` ``None`` or ``ExpandCapacity``.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from zcli.sim.computed import Computed, as_int, as_items
from zcli.sim.failures import argerr, operr

_SCALES = {"minute": 60, "hour": 3600, "day": 86400}


def _epoch(stored: str | None) -> int:
    """A stored or shown date (``2024-05-01 00:00:00`` / ``May 1, 2024 12:00:00 AM``) → epoch seconds."""
    for fmt in ("%Y-%m-%d %H:%M:%S", "%b %d, %Y %I:%M:%S %p"):
        try:
            return int(datetime.strptime(str(stored), fmt).timestamp())
        except ValueError:
            continue
    return 0


def _when(value) -> int | None:
    if value in (None, ""):
        return None
    text = str(value)
    if text.isdigit():
        n = int(text)
        return n // 1000 if n > 10**11 else n
    seconds = _epoch(text)
    if not seconds:
        raise argerr(f"invalid time[{text}], it must be epoch seconds or milliseconds, or yyyy-MM-dd HH:mm:ss")
    return seconds


class CdpReads(Computed):
    kind = "cdp-read"
    APIS: ClassVar[dict[str, tuple[str, str]]] = {
        "GetVmInstanceRecoveryPoints": ("points", "computed: the CDP task's recovery points per time bucket"),
        "DescribeVmInstanceRecoveryPoint": ("describe", "computed: the VM's volumes at that recovery point"),
        "GetCdpBackupStorageRequirement": ("requirement", "computed: the storage's capacity and its tasks' needs"),
        "CreateCdpTask": ("create_task", "create: a new CdpTask row and a resource ref for each VM it protects"),
    }

    def create_task(self, params: dict) -> dict:
        vms = [self.get("VmInstanceInventory", u) for u in as_items(self.need(params, "resourceUuids"))]
        self.get("CdpPolicyInventory", params.get("policyUuid"))
        self.get("BackupStorageInventory", params.get("backupStorageUuid"))
        for vm in vms:
            if self.store.count("CdpTaskResourceRefInventory", "resourceUuid = ?", [vm["uuid"]]):
                raise operr(f"the VM[uuid:{vm['uuid']}] is protected by a CDP task already")
        task = self.writer.create("CdpTaskInventory", params)
        now = self.writer.now()
        for vm in vms:
            self.insert("CdpTaskResourceRefInventory", {"taskUuid": task["uuid"], "resourceUuid": vm["uuid"],
                                                         "resourceType": "VmInstanceVO", "createDate": now,
                                                         "lastOpDate": now})
        return {"inventory": self.get("CdpTaskInventory", task["uuid"])}

    def _task(self, vm_uuid) -> tuple[dict, dict, dict]:
        vm = self.get("VmInstanceInventory", vm_uuid)
        tasks = self.rows("CdpTaskInventory", 'uuid IN (SELECT taskUuid FROM "CdpTaskResourceRefInventory" '
                                              "WHERE resourceUuid = ?)", [vm["uuid"]])
        if not tasks:
            raise operr(f"the VM[uuid:{vm['uuid']}] is protected by no CDP task")
        task = tasks[0]
        policy = self.get("CdpPolicyInventory", task.get("policyUuid"))
        return vm, task, policy

    def _range(self, task: dict, policy: dict) -> tuple[int, int, int]:
        """(first point, last point, interval) of the task's recovery points now."""
        every = max(1, int(policy.get("recoveryPointPerSecond") or 1))
        start = _epoch(task.get("createDate"))
        now = int(self.now())
        expire = int(policy.get("expireTimeInDay") or 0) * 86400
        first = max(start, now - expire) if expire else start
        first = start + -(-(first - start) // every) * every
        last = now if task.get("state") != "Disabled" else _epoch(task.get("lastOpDate"))
        last = start + (last - start) // every * every
        return first, last, every

    def points(self, params: dict) -> dict:
        _, task, policy = self._task(params.get("uuid"))
        first, last, every = self._range(task, policy)
        lo, hi = _when(params.get("startTime")), _when(params.get("endTime"))
        lo, hi = max(first, lo if lo is not None else first), min(last, hi if hi is not None else last)
        width = _SCALES[params.get("scale") or "hour"]
        buckets: dict[str, int] = {}
        t = first + -(-(lo - first) // every) * every if lo > first else first
        while t <= hi:
            key = str(t // width * width)
            buckets[key] = buckets.get(key, 0) + 1
            t += every
            if len(buckets) > 10000:
                break
        keys = sorted(buckets)
        start, limit = as_int(params.get("start"), 0), as_int(params.get("limit"), len(keys))
        return {"recoveryPoints": {k: buckets[k] for k in keys[start:start + limit]}}

    def describe(self, params: dict) -> dict:
        vm, task, policy = self._task(params.get("vmInstanceUuid"))
        first, last, every = self._range(task, policy)
        point = as_int(self.need(params, "groupId"))
        point = point // 1000 if point > 10**11 else point
        if not first <= point <= last or (point - _epoch(task.get("createDate"))) % every:
            raise operr(f"the VM[uuid:{vm['uuid']}] has no recovery point[groupId:{point}]")
        age = max(1, point - _epoch(task.get("createDate")))
        real, virtual = {}, {}
        for volume in self.rows("VolumeInventory", "vmInstanceUuid = ?", [vm["uuid"]]):
            size = int(volume.get("size") or 0)
            virtual[volume["uuid"]] = size
            used = int(volume.get("actualSize") or size // 10)
            real[volume["uuid"]] = min(size, used + used * min(age, 86400) // 86400 // 10)
        return {"realSizes": real, "virtualSizes": virtual,
                "timestamp": datetime.fromtimestamp(point).strftime("%Y-%m-%d %H:%M:%S")}

    def requirement(self, params: dict) -> dict:
        bs = self.get("BackupStorageInventory", params.get("backupStorageUuid"))
        need = 0
        for task in self.rows("CdpTaskInventory", "backupStorageUuid = ?", [bs["uuid"]]):
            if task.get("maxCapacity"):
                need += int(task["maxCapacity"])
                continue
            _, rows = self.store.read('SELECT COALESCE(SUM(size), 0) FROM "VolumeInventory" WHERE vmInstanceUuid IN '
                                      '(SELECT resourceUuid FROM "CdpTaskResourceRefInventory" WHERE taskUuid = ?)',
                                      [task["uuid"]])
            need += int(rows[0][0] or 0)
        available = int(bs.get("availableCapacity") or 0)
        return {"current": {"totalCapacity": int(bs.get("totalCapacity") or 0), "availableCapacity": available},
                "required": {"capacity": need}, "nextStep": "None" if available >= need else "ExpandCapacity"}
