"""Reads of a VM and its devices, answered from the world as the server's VmInstanceBase and VolumeBase do.

* **Capabilities** (GetVmCapabilities, GetVmsCapabilities; VmCapabilitiesJudger): live migration while
  Running, volume migration while Stopped, each as the root volume's primary storage type allows
  (LocalStorage: live migration only when ``localStoragePrimaryStorage/liveMigrationWithStorage.allow``;
  NFS, SharedMountPoint, Ceph, SharedBlock: no volume migration); reimage unless the VM's image is an ISO or
  gone; no memory snapshot on Ceph. GetVolumeCapabilities: the storage type's migration abilities of a Ready
  volume, an empty map otherwise.
* **Boot order**: the VM's ``bootOrder::`` system tag (kept by SetVmBootOrder), else HardDisk, Network, with
  CdRom second while an ISO is attached.
* **Devices**: a Running VM's volumes at the PCI addresses their device ids give (GetVmDeviceAddress); its
  vNUMA topology from its CPUs and memory spread over its host's sockets; its guest tools as the VM's
  ``guestTools::`` tag says (none installed otherwise).
* **Tasks** (GetVmTask, GetHostTask): the api-jobs still running on the resource (:mod:`zcli.sim.audits`).
* **Host memory** (GetHostPhysicalMemoryFacts): the host's DIMMs, kept in HostPhysicalMemoryInventory and
  made on first read from its memory (16 GiB modules over its sockets).
"""

from __future__ import annotations

import uuid as uuidlib
from typing import ClassVar

from zcli.sim.audits import log_of
from zcli.sim.computed import Computed
from zcli.sim.failures import operr
from zcli.sim.naming import as_list
from zcli.sim.setters import read_setting

_VM = "VmInstanceInventory"
#: PrimaryStorageType facts (the server's factories): (live migration, volume migration in it, to another).
_PS_TYPES = {"LocalStorage": (True, True, False), "NFS": (True, False, False), "SharedMountPoint": (True, False, False),
             "Ceph": (True, False, False), "SharedBlock": (True, False, False)}
_DIMM = 16 << 30


class VmReads(Computed):
    kind = "vm-read"
    APIS: ClassVar[dict[str, tuple[str, str]]] = {
        "GetVmCapabilities": ("vm_capabilities", "computed: the VM's state, root volume's storage type and image"),
        "GetVmsCapabilities": ("vms_capabilities", "computed: each VM's state, storage type and image"),
        "GetVolumeCapabilities": ("volume_capabilities", "computed: the volume's status and storage type"),
        "GetVmBootOrder": ("boot_order", "the VM's bootOrder system tag, else the server's default order"),
        "GetVmDeviceAddress": ("device_address", "computed: a Running VM's volumes at their device ids' addresses"),
        "GetVmGuestToolsInfo": ("guest_tools", "the VM's guestTools system tag (none installed otherwise)"),
        "GetVmvNUMATopology": ("vnuma", "computed: the VM's CPUs and memory over its host's sockets"),
        "GetVmTask": ("vm_tasks", "the api-jobs still running on each VM"),
        "GetHostTask": ("host_tasks", "the api-jobs still running on each host"),
        "GetHostPhysicalMemoryFacts": ("memory_facts", "the host's DIMMs (HostPhysicalMemory rows, made from its "
                                                       "memory)"),
    }

    # --- capabilities ------------------------------------------------------------------------
    def _ps_type(self, ps_uuid) -> str | None:
        ps = self.find("PrimaryStorageInventory", ps_uuid)
        return ps.get("type") if ps else None

    def capabilities(self, vm: dict) -> dict:
        caps = {"supportLiveMigration": True, "supportVolumeMigration": True, "supportReimage": True,
                "supportMemorySnapshot": True}
        root = self.find("VolumeInventory", vm.get("rootVolumeUuid"))
        if root is None:
            caps["supportLiveMigration"] = caps["supportVolumeMigration"] = False
        else:
            ps_type = self._ps_type(root.get("primaryStorageUuid"))
            live, volume, _ = _PS_TYPES.get(ps_type, (True, False, False))
            if ps_type == "LocalStorage":
                live = self._global("localStoragePrimaryStorage",
                                                             "liveMigrationWithStorage.allow") == "true"
            caps["supportLiveMigration"] = bool(live) and vm.get("state") == "Running"
            caps["supportVolumeMigration"] = volume and vm.get("state") == "Stopped"
            if ps_type == "Ceph":
                caps["supportMemorySnapshot"] = False
        image = self.find("ImageInventory", vm.get("imageUuid"))
        caps["supportReimage"] = image is not None and image.get("mediaType") != "ISO"
        return caps

    def _global(self, category: str, name: str) -> str | None:
        _, rows = self.store.read('SELECT value FROM "GlobalConfigInventory" WHERE category = ? AND name = ?',
                                  (category, name))
        return str(rows[0][0]).lower() if rows else None

    def vm_capabilities(self, params: dict) -> dict:
        return {"capabilities": self.capabilities(self.get(_VM, params.get("uuid")))}

    def vms_capabilities(self, params: dict) -> dict:
        out = {}
        for u in as_list(self.need(params, "vmUuids")):
            out[u] = self.capabilities(self.get(_VM, u))
        return {"vmsCaps": out}

    def volume_capabilities(self, params: dict) -> dict:
        volume = self.get("VolumeInventory", params.get("uuid"))
        if volume.get("status") != "Ready":
            return {"capabilities": {}}
        _, current, other = _PS_TYPES.get(self._ps_type(volume.get("primaryStorageUuid")), (True, False, False))
        return {"capabilities": {"MigrationInCurrentPrimaryStorage": current, "MigrationToOtherPrimaryStorage": other}}

    # --- boot order, devices -----------------------------------------------------------------
    def _iso_attached(self, vm_uuid: str) -> bool:
        if self.store.count("VmCdRomInventory", "vmInstanceUuid = ? AND isoUuid IS NOT NULL", [vm_uuid]):
            return True
        return bool(read_setting(self.store, vm_uuid, "iso", "iso"))

    def boot_order(self, params: dict) -> dict:
        vm = self.get(_VM, params.get("uuid"))
        kept = read_setting(self.store, vm["uuid"], "bootOrder", "bootOrder")
        if kept:
            return {"order": [s for s in kept.split(",") if s]}
        if self._iso_attached(vm["uuid"]):
            return {"order": ["HardDisk", "CdRom", "Network"]}
        return {"order": ["HardDisk", "Network"]}

    def _running(self, vm: dict) -> None:
        if vm.get("state") != "Running" or not vm.get("hostUuid"):
            raise operr(f"VM[uuid:{vm['uuid']}] state is not Running.")

    def device_address(self, params: dict) -> dict:
        vm = self.get(_VM, params.get("uuid"))
        self._running(vm)
        out = {}
        for rtype in as_list(self.need(params, "resourceTypes")):
            if rtype != "VolumeVO":
                continue
            vols = self.rows("VolumeInventory", "vmInstanceUuid = ?", [vm["uuid"]])
            out[rtype] = [{"resourceUuid": v["uuid"], "resourceType": rtype, "deviceType": "disk",
                           "addressType": "pci", "address": f"0000:00:{int(v.get('deviceId') or 0) + 5:02x}.0"}
                          for v in sorted(vols, key=lambda v: int(v.get("deviceId") or 0))]
        return {"addresses": out}

    def guest_tools(self, params: dict) -> dict:
        vm = self.get(_VM, params.get("uuid"))
        self._running(vm)
        version = read_setting(self.store, vm["uuid"], "guestTools", "version")
        if version is None:
            return {"status": "Not Connected", "features": {}}
        return {"version": version, "status": "Running", "features": {"qga": True, "zwatch": True}}

    def vnuma(self, params: dict) -> dict:
        vm = self.get(_VM, params.get("uuid"))
        self._running(vm)
        host = self.get("HostInventory", vm["hostUuid"])
        nodes = max(1, min(int(host.get("cpuSockets") or 1), int(vm.get("cpuNum") or 1)))
        cpus = int(vm.get("cpuNum") or 1)
        memory = int(vm.get("memorySize") or 0)
        topology = []
        for n in range(nodes):
            mine = [c for c in range(cpus) if c % nodes == n]
            topology.append({"nodeID": n, "cpus": ",".join(map(str, mine)), "memSize": memory // nodes,
                             "distance": [10 if m == n else 20 for m in range(nodes)], "phyNodeID": n})
        return {"name": vm.get("name"), "uuid": vm["uuid"], "hostUuid": vm["hostUuid"], "topology": topology}

    # --- tasks -------------------------------------------------------------------------------
    def _tasks(self, inv: str, uuids: list[str]) -> dict:
        log = log_of(self.store, self.catalog)
        now = self.now()
        out = {}
        for u in uuids:
            self.get(inv, u)
            running = [{"name": t["apiName"], "className": t["className"], "index": i, "apiId": t["apiId"],
                        "apiName": t["apiName"], "pendingTime": 0, "executionTime": int(now - t["since"]),
                        "context": None, "contextList": []}
                       for i, t in enumerate(log.tasks_on(u))]
            out[u] = {"runningTask": running, "pendingTask": []}
        return {"results": out}

    def vm_tasks(self, params: dict) -> dict:
        return self._tasks(_VM, as_list(self.need(params, "vmInstanceUuids")))

    def host_tasks(self, params: dict) -> dict:
        return self._tasks("HostInventory", as_list(self.need(params, "hostUuids")))

    # --- host memory -------------------------------------------------------------------------
    def memory_facts(self, params: dict) -> dict:
        host = self.get("HostInventory", params.get("hostUuid"))
        rows = self.rows("HostPhysicalMemoryInventory", "hostUuid = ?", [host["uuid"]])
        if not rows:
            total = int(host.get("totalMemoryCapacity") or 0)
            sockets = max(1, int(host.get("cpuSockets") or 1))
            now = self.writer.now()
            made = []
            for i in range(max(1, total // _DIMM)):
                made.append({"uuid": uuidlib.uuid5(uuidlib.NAMESPACE_OID, f"{host['uuid']}/dimm/{i}").hex,
                             "hostUuid": host["uuid"], "manufacturer": "Samsung", "size": str(_DIMM >> 20) + " MB",
                             "speed": "3200 MT/s", "clockSpeed": "3200 MT/s", "type": "DDR4", "rank": "2",
                             "voltage": "1.2 V", "locator": f"CPU{i % sockets + 1}_DIMM_{chr(65 + i // sockets % 26)}"
                                                             f"{i // sockets // 26 + 1}",
                             "serialNumber": f"{host['uuid'][:8].upper()}{i:04d}", "createDate": now,
                             "lastOpDate": now})
            with self.store.transaction() as cur:
                self.store.insert_many(cur, "HostPhysicalMemoryInventory", made)
            rows = self.rows("HostPhysicalMemoryInventory", "hostUuid = ?", [host["uuid"]])
        return {"inventories": rows}
