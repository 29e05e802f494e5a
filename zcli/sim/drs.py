"""Distributed resource scheduling of a cluster: advice computed from the hosts' loads, and applied.

The DRS module is closed source; the facts are the reference's inventories (ClusterDRS with its state,
automation level and thresholds, DRSAdvice, DRSVmMigrationActivity). What the simulator chose:

* a host's load is the memory its Running VMs take over its total memory (the world's own numbers);
* ``ExecuteDRSScheduling`` (the cluster's DRS Enabled): while the most and the least loaded Enabled,
  Connected hosts of the cluster differ by more than the threshold (the DRS's ``thresholds`` entry of
  ``memoryUsage``/``memory``, in percent; 10 when it names none), the smallest VM of the most loaded host whose
  move narrows the gap moves to the least loaded one: an advice each move, one advice group a run. With
  ``automationLevel`` Automatic (or FullyAutomatic) each advice is applied at once; the cluster's
  ``balancedState`` becomes Balanced or Unbalanced;
* ``ApplyDRSAdvice``: the VM of the advice live-migrates (the same checks as MigrateVm) and a migration
  activity records it, its uuid the reply's ``vmMigrationActivityUuid``.
"""

from __future__ import annotations

import json
import uuid as uuidlib

from zcli.sim.acting import Family
from zcli.sim.failures import operr

_DRS = "ClusterDRSInventory"
_ADVICE = "DRSAdviceInventory"
_ACTIVITY = "DRSVmMigrationActivityInventory"


def _threshold(drs: dict) -> float:
    raw = drs.get("thresholds") or []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raw = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict) and str(item.get("name", "")).lower().startswith("memory"):
            try:
                return float(item.get("value"))
            except (TypeError, ValueError):
                pass
    return 10.0


class Drs(Family):
    kind = "drs"

    def table(self) -> dict:
        return {"ExecuteDRSScheduling": ("advice from the hosts' memory loads (applied when Automatic)",
                                         self.schedule),
                "ApplyDRSAdvice": ("the advised VM migrates; a migration activity records it", self.apply)}

    def _loads(self, cluster: str) -> dict[str, dict]:
        hosts = self.rows("HostInventory", "clusterUuid = ? AND state = 'Enabled' AND status = 'Connected'",
                          [cluster])
        out = {h["uuid"]: {"total": h.get("totalMemoryCapacity") or 1, "vms": []} for h in hosts}
        for vm in self.rows("VmInstanceInventory", "clusterUuid = ? AND state = 'Running'", [cluster]):
            if vm.get("hostUuid") in out:
                out[vm["hostUuid"]]["vms"].append(vm)
        return out

    @staticmethod
    def _pct(load: dict, extra: int = 0) -> float:
        return 100.0 * (sum(v.get("memorySize") or 0 for v in load["vms"]) + extra) / load["total"]

    def _moves(self, loads: dict, threshold: float) -> list[tuple[dict, str, str]]:
        moves = []
        for _ in range(50):
            if len(loads) < 2:
                break
            order = sorted(loads, key=lambda h: (self._pct(loads[h]), h))
            low, high = order[0], order[-1]
            gap = self._pct(loads[high]) - self._pct(loads[low])
            if gap <= threshold:
                break
            best = None
            for vm in sorted(loads[high]["vms"], key=lambda v: (v.get("memorySize") or 0, v["uuid"])):
                mem = vm.get("memorySize") or 0
                after = abs((self._pct(loads[high], -mem)) - self._pct(loads[low], mem))
                if after < gap:
                    best = vm
                    break
            if best is None:
                break
            loads[high]["vms"].remove(best)
            loads[low]["vms"].append(best)
            moves.append((best, high, low))
        return moves

    def schedule(self, params: dict):
        drs = self.get(_DRS, params.get("uuid"))
        if drs.get("state") != "Enabled":
            raise operr(f"the DRS[uuid:{drs['uuid']}] of the cluster[uuid:{drs.get('clusterUuid')}] is "
                        f"{drs.get('state')}")
        loads = self._loads(drs.get("clusterUuid"))
        moves = self._moves(loads, _threshold(drs))
        group = uuidlib.uuid4().hex
        advices = []
        for vm, src, dst in moves:
            advices.append(self.insert(_ADVICE, {"drsUuid": drs["uuid"], "adviceGroupUuid": group, "vmUuid": vm["uuid"],
                                                 "vmSourceHostUuid": src, "vmTargetHostUuid": dst,
                                                 "reason": "memory usage of the hosts differs beyond the threshold"}))
        if str(drs.get("automationLevel") or "").lower() in ("automatic", "fullyautomatic"):
            for advice in advices:
                self._apply(advice)
        balanced = not self._moves(self._loads(drs.get("clusterUuid")), _threshold(drs))
        self.update(_DRS, drs["uuid"], {"balancedState": "Balanced" if balanced else "Unbalanced"})
        return None

    def _apply(self, advice: dict) -> str:
        vm = self.get("VmInstanceInventory", advice.get("vmUuid"), "vmUuid")
        if vm.get("hostUuid") != advice.get("vmSourceHostUuid"):
            raise operr(f"the vm[uuid:{vm['uuid']}] is no longer on the host[uuid:{advice.get('vmSourceHostUuid')}] "
                        "the advice moves it from")
        self.writer.mechanisms.operations.migrate_vm({"vmInstanceUuid": vm["uuid"],
                                                      "hostUuid": advice.get("vmTargetHostUuid")})
        activity = self.insert(_ACTIVITY, {"drsUuid": advice.get("drsUuid"), "vmUuid": vm["uuid"],
                                           "vmSourceHostUuid": advice.get("vmSourceHostUuid"),
                                           "vmTargetHostUuid": advice.get("vmTargetHostUuid"), "status": "Succeed",
                                           "result": "Succeed", "reason": advice.get("reason"),
                                           "adviceUuid": advice["uuid"], "endDate": self.now()})
        return activity["uuid"]

    def apply(self, params: dict):
        advice = self.get(_ADVICE, params.get("adviceUuid"), "adviceUuid")
        return {"vmMigrationActivityUuid": self._apply(advice)}
