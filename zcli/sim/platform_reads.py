"""Reads of the management node itself and of the scheduler, answered from the world.

- GetDebugSignal: the signals DebugManagerImpl takes (the DebugSignal enum: DumpTaskQueue).
- IsOpensourceVersion: false while the node holds a licence (LicenseInventory), true without one (the
  open-source server answers true; the premium modules the simulator carries come with a licence).
- IsReadyToGo: the node named (this node when none) must be a management node of the world.
- GetChainTask: each sync signature's chain (running and pending tasks): the simulator queues no chain tasks.
- GetSpiceCertificates: refused as the server refuses it when spice TLS is off (the world has no spice CA).
- GetNoTriggerSchedulerJobs: scheduler jobs no trigger fires; GetAvailableTriggers: triggers not past their
  stopTime; GetSchedulerExecutionReport: the job history (SchedulerJobHistory) counted per interval.
"""

from __future__ import annotations

import itertools
from datetime import datetime

from zcli.sim.failures import argerr, operr
from zcli.sim.family import Family, as_list

NODE = "ManagementNodeInventory"
_STEP = {"Hour": 3600_000, "Day": 86400_000}


class PlatformReads(Family):
    kind = "platform-read"

    def table(self):
        return (
            ("GetDebugSignal", "the DebugSignal enum", lambda p: {"signals": ["DumpTaskQueue"]}),
            ("IsOpensourceVersion", "false while the node holds a licence",
             lambda p: {"opensource": self.store.count("LicenseInventory") == 0}),
            ("IsReadyToGo", "the node must be a management node of the world", self._ready),
            ("GetChainTask", "each sync signature's chain (the simulator queues none)", self._chains),
            ("GetSpiceCertificates", "refused: the world has no spice CA (spice TLS off)", self._spice),
            ("GetNoTriggerSchedulerJobs", "scheduler jobs no trigger fires", self._no_trigger),
            ("GetAvailableTriggers", "triggers not past their stopTime", self._triggers),
            ("GetSchedulerExecutionReport", "the job history counted per interval", self._report),
        )

    def _ready(self, p: dict) -> dict:
        nodes = self.rows(NODE, order="rowid", fields=["uuid"])
        wanted = p.get("managementNodeId") or (nodes[0]["uuid"] if nodes else None)
        if not wanted or wanted not in {n["uuid"] for n in nodes}:
            raise operr(f"management node[uuid:{wanted}] is not ready yet")
        return {"managementNodeId": wanted}

    def _chains(self, p: dict) -> dict:
        return {"results": {s: {"runningTask": [], "pendingTask": []} for s in as_list(p.get("syncSignatures"))}}

    def _spice(self, p: dict) -> None:
        raise operr("Spice certificate does not exist, Please check if spice tls is enabled")

    def _no_trigger(self, p: dict) -> dict:
        return {"inventories": self.rows(
            "SchedulerJobInventory",
            'uuid NOT IN (SELECT schedulerJobUuid FROM "SchedulerJobSchedulerTriggerInventory" '
            "WHERE schedulerJobUuid IS NOT NULL)", order="rowid")}

    def _triggers(self, p: dict) -> dict:
        now = self.now()
        return {"inventories": [t for t in self.rows("SchedulerTriggerInventory", order="rowid")
                                if not t.get("stopTime") or str(self._stored(t["stopTime"])) > now]}

    @staticmethod
    def _stored(value) -> str:
        """A date as the store keeps it (sortable), from the reply's form or milliseconds."""
        if isinstance(value, (int, float)):
            return datetime.fromtimestamp(value / 1000).strftime("%Y-%m-%d %H:%M:%S")
        try:
            return datetime.strptime(str(value), "%b %d, %Y %I:%M:%S %p").strftime("%Y-%m-%d %H:%M:%S")
        except ValueError:
            return str(value)

    def _report(self, p: dict) -> dict:
        try:
            start, count = int(p.get("startTime")), int(p.get("range"))
        except (TypeError, ValueError):
            raise argerr("startTime (ms) and range are numbers") from None
        unit = p.get("intervalTimeUnit")
        if unit not in ("Hour", "Day", "Month"):
            raise argerr(f"intervalTimeUnit[{unit}] is not one of Hour, Day, Month")
        if not 0 < count <= 1000:
            raise argerr(f"range[{count}] must be between 1 and 1000")
        try:
            edges = self._edges(start, unit, count)
        except (OverflowError, OSError, ValueError):
            raise argerr(f"startTime[{start}] is out of range") from None
        types = set(as_list(p.get("schedulerJobTypes")))
        history = [h for h in self.rows("SchedulerJobHistoryInventory", order="id")
                   if not types or h.get("jobType") in types]
        out = {k: [] for k in ("successRecords", "failureRecords", "partialSuccessRecords", "waitingRecords")}
        for lo, hi in itertools.pairwise(edges):
            inside = [h for h in history if lo <= self._ms(h.get("startTime")) < hi]
            ok = sum(1 for h in inside if h.get("success") is True)
            for key, n in (("successRecords", ok), ("failureRecords", len(inside) - ok),
                           ("partialSuccessRecords", 0), ("waitingRecords", 0)):
                out[key].append({"startTime": lo, "endTime": hi, "count": n})
        return out

    @staticmethod
    def _edges(start: int, unit: str, count: int) -> list[int]:
        if unit != "Month":
            return [start + i * _STEP[unit] for i in range(count + 1)]
        first = datetime.fromtimestamp(start / 1000)
        out = []
        for i in range(count + 1):
            y, m = divmod(first.month - 1 + i, 12)
            out.append(int(first.replace(year=first.year + y, month=m + 1, day=1).timestamp() * 1000))
        out[0] = start
        return out

    @staticmethod
    def _ms(value) -> int:
        if isinstance(value, (int, float)):
            return int(value)
        try:
            return int(datetime.strptime(str(value), "%b %d, %Y %I:%M:%S %p").timestamp() * 1000)
        except ValueError:
            return -1
