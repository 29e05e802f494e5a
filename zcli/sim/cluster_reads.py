"""Reads of clusters and the devices behind their hosts: DRS, SCSI LUNs, shared blocks, RAID drives, bare-metal
provision networks. The premium modules are closed source: the reference's fields are the facts, and this is
what the simulator chose.

* **DRS** (ValidateClusterSupportDRS, GetClusterDRSStatus): a cluster supports DRS when it is a KVM cluster with
  two Connected hosts or more, all on shared primary storage (a VM on local storage cannot move with its disk);
  the hosts over the DRS's thresholds (``thresholds``: ``["CPU:90", "Memory:85"]`` or
  ``[{"name": "CPU"|"Memory", "value": percent}]``, 80% each by default) are those whose load in the metrics
  model (:mod:`zcli.sim.metrics`) exceeds them now.
* **SCSI LUNs** (CheckScsiLunClusterStatus): the cluster's hosts that see the LUN (``ScsiLunHostRef``) and those
  that do not; GetSharedBlockCandidate: the LUNs every host of the cluster sees that no shared block uses.
* **RAID** (GetLocalRaidPhysicalDriveSmart): the drive's SMART attributes, from its state, size and serial.
* **Bare metal** (GetBareMetal2ProvisionNetworkIpAddressCapacity): the DHCP range of each provision network and
  the IPs its bare-metal instances' provision NICs use.
"""

from __future__ import annotations

import ipaddress
import re
import zlib
from typing import ClassVar

from zcli.sim.computed import Computed, as_items
from zcli.sim.failures import argerr
from zcli.sim.naming import as_list

_DEFAULT_THRESHOLDS = {"CPU": 80.0, "Memory": 80.0}


def _error(details: str) -> dict:
    return {"code": "DRS.1000", "description": "The cluster does not support DRS", "details": details}


class ClusterReads(Computed):
    kind = "cluster-read"
    APIS: ClassVar[dict[str, tuple[str, str]]] = {
        "ValidateClusterSupportDRS": ("drs_supported", "computed: KVM, two connected hosts or more, shared storage"),
        "GetClusterDRSStatus": ("drs_status", "computed: the cluster's hosts over the DRS thresholds (metrics model)"),
        "CheckScsiLunClusterStatus": ("lun_status", "the cluster's hosts that see the LUN and those that do not"),
        "GetSharedBlockCandidate": ("shared_block_candidates", "candidates: LUNs all the cluster's hosts see, "
                                                               "unused"),
        "GetLocalRaidPhysicalDriveSmart": ("smart", "computed: the drive's SMART attributes from its fields"),
        "GetBareMetal2ProvisionNetworkIpAddressCapacity": ("bm_capacity", "computed: the DHCP range less the IPs "
                                                                          "its instances use"),
    }

    # --- DRS ---------------------------------------------------------------------------------
    def _drs_reason(self, cluster: dict) -> str | None:
        if cluster.get("hypervisorType") != "KVM":
            return f"the cluster[uuid:{cluster['uuid']}] is not a KVM cluster"
        hosts = self.store.count("HostInventory", "clusterUuid = ? AND status = 'Connected'", [cluster["uuid"]])
        if hosts < 2:
            return f"the cluster[uuid:{cluster['uuid']}] has {hosts} connected host(s), DRS needs two or more"
        pss = self.rows("PrimaryStorageInventory", 'uuid IN (SELECT primaryStorageUuid FROM '
                                                   '"PrimaryStorageClusterRefInventory" WHERE clusterUuid = ?)',
                        [cluster["uuid"]])
        if not pss:
            return f"the cluster[uuid:{cluster['uuid']}] has no primary storage attached"
        local = [p["uuid"] for p in pss if p.get("type") == "LocalStorage"]
        if local:
            return f"the cluster[uuid:{cluster['uuid']}] uses local primary storage{local}, whose VMs can not move"
        return None

    def drs_supported(self, params: dict) -> dict:
        reason = self._drs_reason(self.get("ClusterInventory", params.get("clusterUuid")))
        return {"supported": True} if reason is None else {"supported": False, "reason": _error(reason)}

    def _thresholds(self, drs: dict) -> dict[str, float]:
        out = dict(_DEFAULT_THRESHOLDS)
        for item in as_items(drs.get("thresholds")):
            if isinstance(item, str) and re.match(r"^\w+\s*[:=]\s*[\d.]+$", item):
                name, value = re.split(r"\s*[:=]\s*", item)
                item = {"name": name, "value": value}
            if isinstance(item, dict):
                name = str(item.get("name") or item.get("type") or item.get("resourceType") or "")
                value = item.get("value", item.get("threshold"))
                key = next((k for k in out if k.lower() == name.lower()), None)
                if key and value is not None:
                    out[key] = float(value)
        return out

    def drs_status(self, params: dict) -> dict:
        from zcli.sim.metrics import Metrics

        drs = self.get("ClusterDRSInventory", params.get("drsUuid"))
        limits = self._thresholds(drs)
        model = Metrics(self.catalog, self.store, self.writer)
        load = model._host_load()
        now = int(self.now())
        out = []
        for host in self.rows("HostInventory", "clusterUuid = ? AND status = 'Connected'", [drs.get("clusterUuid")]):
            usage = {"CPU": model.model_value("ZStack/Host", "CPUUsedUtilization", host, now, load),
                     "Memory": model.model_value("ZStack/Host", "MemoryUsedInPercent", host, now, load)}
            over = [k for k, v in usage.items() if v > limits[k]]
            if over:
                out.append({"hostUuid": host["uuid"], "cpuUsedUtilization": usage["CPU"],
                            "memoryUsedInPercent": usage["Memory"], "overThreshold": over})
        return {"hostLoadOverThreshold": out}

    # --- SCSI LUNs, shared blocks -------------------------------------------------------------
    def lun_status(self, params: dict) -> dict:
        lun = self.get("ScsiLunInventory", params.get("uuid"))
        cluster = self.get("ClusterInventory", params.get("clusterUuid"))
        hosts = [h["uuid"] for h in self.rows("HostInventory", "clusterUuid = ?", [cluster["uuid"]])]
        seen = {r["hostUuid"] for r in self.rows("ScsiLunHostRefInventory", "scsiLunUuid = ?", [lun["uuid"]])}
        attached = [h for h in hosts if h in seen]
        return {"inventory": {"attachedHosts": attached, "unattachedHosts": [h for h in hosts if h not in seen],
                              "isAllHostsAttached": bool(hosts) and len(attached) == len(hosts)}}

    def shared_block_candidates(self, params: dict) -> dict:
        cluster = self.get("ClusterInventory", params.get("clusterUuid"))
        hosts = {h["uuid"] for h in self.rows("HostInventory", "clusterUuid = ?", [cluster["uuid"]])}
        if not hosts:
            return {"results": []}
        _, used = self.store.read('SELECT diskUuid FROM "SharedBlockInventory"')
        used = {r[0] for r in used if r[0]}
        out = []
        for lun in self.rows("ScsiLunInventory", "state IS NULL OR state != 'Disabled'"):
            seen = {r["hostUuid"] for r in self.rows("ScsiLunHostRefInventory", "scsiLunUuid = ?", [lun["uuid"]])}
            if hosts <= seen and lun["uuid"] not in used and lun.get("wwid") not in used:
                out.append({"scsiLunUuid": lun["uuid"], "wwid": lun.get("wwid"), "size": lun.get("size"),
                            "vendor": lun.get("vendor"), "model": lun.get("model"), "hostUuids": sorted(seen & hosts)})
        return {"results": out}

    # --- RAID --------------------------------------------------------------------------------
    def smart(self, params: dict) -> dict:
        drive = self.get("RaidPhysicalDriveInventory", params.get("uuid"))
        seed = zlib.crc32(str(drive.get("serialNumber") or drive["uuid"]).encode())
        state = str(drive.get("driveState") or "Online").lower()
        healthy = state in ("online", "jbod", "hotspare", "unconfigured_good")
        hours = 8000 + seed % 20000
        attrs = [("Raw_Read_Error_Rate", 0 if healthy else 120), ("Reallocated_Sector_Ct", 0 if healthy else 37),
                 ("Power_On_Hours", hours), ("Power_Cycle_Count", 20 + seed % 80),
                 ("Temperature_Celsius", 30 + seed % 12), ("Current_Pending_Sector", 0 if healthy else 8)]
        return {"result": [{"id": i + 1, "attributeName": name, "rawValue": str(raw),
                            "value": 100 if healthy else 60, "worst": 100 if healthy else 55, "thresh": 10,
                            "whenFailed": "-" if healthy else "FAILING_NOW" if raw and i in (1, 5) else "-",
                            "state": "ok" if healthy else "warning"} for i, (name, raw) in enumerate(attrs)]}

    # --- bare metal --------------------------------------------------------------------------
    def bm_capacity(self, params: dict) -> dict:
        out = []
        for u in as_list(self.need(params, "networkUuids")):
            net = self.get("BareMetal2ProvisionNetworkInventory", u)
            try:
                first = int(ipaddress.ip_address(net.get("dhcpRangeStartIp")))
                last = int(ipaddress.ip_address(net.get("dhcpRangeEndIp")))
            except ValueError:
                raise argerr(f"the provision network[uuid:{u}] has no valid DHCP range") from None
            total = max(last - first + 1, 0)
            used = 0
            for inst in self.rows("BareMetal2InstanceInventory", depth=1):
                nic = inst.get("provisionNic") or {}
                ip = nic.get("ip") if isinstance(nic, dict) else None
                if ip and nic.get("networkUuid", u) == u:
                    try:
                        used += first <= int(ipaddress.ip_address(ip)) <= last
                    except ValueError:
                        pass
            out.append({"networkUuid": u, "totalCapacity": total, "availableCapacity": total - used,
                        "usedIpAddressNumber": used})
        return {"capacityData": out}
