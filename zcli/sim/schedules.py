"""Scheduler jobs that do what their type says, and a trigger run on demand.

The scheduler is closed source; the facts are the reference's: CreateSchedulerJob's ``type`` values, the
SchedulerJob, SchedulerTrigger, their link and SchedulerJobHistory inventories. What the simulator chose:

* ``CreateSchedulerJob``: the job keeps its type (as ``jobClassName``) and parameters (``jobData``); its target
  must exist and be of the kind the type acts on (a VM, a volume);
* ``RunSchedulerTrigger``: the jobs of the trigger (those named by ``jobUuids``, which must be among them)
  run now, each leaving a SchedulerJobHistory row (start time, duration, request and result, success).
  startVm/stopVm/rebootVm change the VM's state; volumeSnapshot takes a snapshot of the volume (the latest
  of its current tree); volumeBackup/rootVolumeBackup back the volume up on the job's ``backupStorageUuid``;
  a job of another type, or one whose action the world refuses, is a failed history row with its cause.
"""

from __future__ import annotations

import json

from zcli.sim.acting import Family
from zcli.sim.failures import Failure, argerr, operr
from zcli.sim.naming import as_list
from zcli.sim.refs_model import LinkFailure
from zcli.sim.vms import VmFailure

_JOB = "SchedulerJobInventory"
_REF = "SchedulerJobSchedulerTriggerInventory"
_HISTORY = "SchedulerJobHistoryInventory"
_TARGETS = {"startVm": "VmInstanceInventory", "stopVm": "VmInstanceInventory", "rebootVm": "VmInstanceInventory",
            "volumeSnapshot": "VolumeInventory", "volumeBackup": "VolumeInventory",
            "rootVolumeBackup": "VolumeInventory", "vmBackup": "VmInstanceInventory"}
_POWER = {"startVm": "Running", "stopVm": "Stopped", "rebootVm": "Running"}


class Schedules(Family):
    kind = "scheduler"

    def table(self) -> dict:
        return {"CreateSchedulerJob": ("a job of its type, its parameters kept", self.create_job),
                "RunSchedulerTrigger": ("the trigger's jobs run now; a history row each", self.run_trigger)}

    def create_job(self, params: dict):
        kind = params.get("type")
        target = params.get("targetResourceUuid")
        inv = _TARGETS.get(kind)
        if inv is not None:
            self.get(inv, target, "targetResourceUuid")
        data = {"type": kind, "targetResourceUuid": target, "parameters": params.get("parameters")}
        row = self.insert(_JOB, {**({"uuid": params["resourceUuid"]} if params.get("resourceUuid") else {}),
                                 "name": params.get("name"),
                                 "description": params.get("description"), "targetResourceUuid": target,
                                 "state": "Enabled", "jobClassName": kind, "jobData": json.dumps(data)})
        return {"inventory": self.get(_JOB, row["uuid"])}

    def _job_params(self, job: dict) -> dict:
        try:
            data = json.loads(job.get("jobData") or "{}")
        except ValueError:
            data = {}
        extra = data.get("parameters") or {}
        if isinstance(extra, str):
            try:
                extra = json.loads(extra)
            except ValueError:
                extra = {}
        return extra if isinstance(extra, dict) else {}

    def _do(self, job: dict) -> str:
        """Carry the job out; its result, or raises Failure."""
        kind, target = job.get("jobClassName"), job.get("targetResourceUuid")
        if kind in _POWER:
            vm = self.writer.vms.power(self.get("VmInstanceInventory", target)["uuid"], _POWER[kind])
            return f"vm[uuid:{vm['uuid']}] is {vm['state']}"
        if kind == "volumeSnapshot":
            snap = self.writer.mechanisms.more_of("volume bits").take_snapshot(
                self.get("VolumeInventory", target), f"{job.get('name')}-{self.now()}")
            return f"snapshot[uuid:{snap['uuid']}] taken"
        if kind in ("volumeBackup", "rootVolumeBackup"):
            bs = self._job_params(job).get("backupStorageUuid")
            reply = self.writer.mechanisms.more_of("backups").create(
                {"volumeUuid": target, "backupStorageUuid": bs, "name": f"{job.get('name')}-{self.now()}"})
            return f"backup[uuid:{reply['inventory']['uuid']}] made"
        raise operr(f"the simulator does not run scheduler jobs of type {kind}")

    def run_trigger(self, params: dict):
        trigger = self.get("SchedulerTriggerInventory", params.get("uuid"))
        _, rows = self.store.read(f'SELECT schedulerJobUuid FROM "{_REF}" WHERE schedulerTriggerUuid = ? '
                                  "ORDER BY rowid", [trigger["uuid"]])
        attached = [r[0] for r in rows]
        asked = as_list(params.get("jobUuids"))
        for u in asked:
            if u not in attached:
                raise argerr(f"the scheduler job[uuid:{u}] is not attached to the trigger[uuid:{trigger['uuid']}]")
        jobs = [self.get(_JOB, u) for u in (asked or attached)]
        if not jobs:
            raise operr(f"the scheduler trigger[uuid:{trigger['uuid']}] has no job to run")
        for job in jobs:
            if job.get("state") == "Disabled":
                continue
            start = self.now()
            try:
                result, ok = self._do(job), True
            except Failure as f:
                result, ok = json.dumps(f.body["error"]), False
            except (VmFailure, LinkFailure) as f:
                result, ok = json.dumps({"code": f.code, "description": f.description, "details": f.details}), False
            self.insert(_HISTORY, {"id": self.next_id(_HISTORY), "triggerUuid": trigger["uuid"],
                                   "schedulerJobUuid": job["uuid"], "jobType": job.get("jobClassName"),
                                   "startTime": start, "executeTime": 0, "targetResourceUuid": job.get(
                                       "targetResourceUuid"), "requestDump": job.get("jobData"),
                                   "resultDump": result, "success": ok, "fireInstanceId": f"manual-{start}"})
        return None
