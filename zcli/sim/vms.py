"""A VM's life in the simulator: create (checked, placed, addressed), power, destroy, recover, expunge.

What the server derives is derived here too: a new VM lands on a host of its L3 network's zone (in
the cluster or on the host asked for), gets a root volume on that zone's primary storage, and one
NIC per L3 network with an address taken from the network's IP ranges. Destroying keeps the VM,
state ``Destroyed``, with its NICs' addresses returned (the server's default "Delay" deletion
policy); expunging removes it with its volumes and NICs; recovering brings it back ``Stopped``.
"""

from __future__ import annotations

import ipaddress
import uuid

from zcli.sim.tables import q

_VM = "VmInstanceInventory"
_STRATEGY_STATE = {"InstantStart": "Running", "JustCreate": "Created", "CreateStopped": "Stopped"}


class VmFailure(Exception):
    """A VM call fails with an ErrorCode (code, description, details)."""

    def __init__(self, code: str, description: str, details: str):
        super().__init__(details)
        self.code, self.description, self.details = code, description, details


def _argerr(details: str) -> VmFailure:
    return VmFailure("SYS.1007", "One or more API argument is invalid", details)


def _state_err(vm: dict, op: str) -> VmFailure:
    return VmFailure("VM.1010", "Operation not allowed in the VM's current state",
                     f"the vm[uuid:{vm['uuid']}] is in state[{vm.get('state')}], {op} is not allowed")


def _as_list(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [s for s in value.split(",") if s]
    return [str(v) for v in value]


class Vms:
    """VM lifecycle against a store.

    Args:
        store: the simulator's store.
        writer: the :class:`~zcli.sim.writes.Writer` (its tables' ``line``/``family`` and ``update``).
    """

    def __init__(self, store, writer):
        self.store = store
        self.writer = writer

    def one(self, inv: str, uuid_, field: str = "uuid", type_: str | None = None) -> dict:
        found = self.store.inventories(inv, "uuid = ?", [uuid_], limit=1, depth=0) if uuid_ else []
        if not found:
            kind = type_ or inv.replace("Inventory", "VO")
            raise _argerr(f"invalid field[{field}], resource[uuid:{uuid_}, type:{kind}] is not found")
        return found[0]

    def _insert(self, cur, inv: str, row: dict) -> None:
        for table in self.writer.line(inv):
            self.store.insert_many(cur, table, [row])

    # --- create ------------------------------------------------------------------------------
    def check_create(self, params: dict) -> None:
        """The API interceptor's checks, before anything is written (SYS.1007 on a bad argument)."""
        if not params.get("instanceOfferingUuid") and (params.get("cpuNum") in (None, "")
                                                       or params.get("memorySize") in (None, "")):
            raise _argerr("instanceOfferingUuid or cpuNum and memorySize must be set")
        if not params.get("imageUuid") and not params.get("diskAOs"):
            raise _argerr("missing mandatory field[imageUuid]")
        if (params.get("type") or "UserVm") == "UserVm" and not _as_list(params.get("l3NetworkUuids")):
            raise _argerr("missing mandatory field[l3NetworkUuids]: a user VM needs at least one L3 network")

    def fill_new(self, cur, row: dict, params: dict) -> None:
        """Derive what the server derives for a VM being created (``row``, not yet written) and write its
        NICs, IP addresses and volumes inside ``cur``'s transaction."""
        self.check_create(params)
        image = self.one("ImageInventory", params.get("imageUuid"), "imageUuid") if params.get("imageUuid") else {}
        offering = {}
        if params.get("instanceOfferingUuid"):
            offering = self.one("InstanceOfferingInventory", params["instanceOfferingUuid"], "instanceOfferingUuid")
        l3s = [self.one("L3NetworkInventory", u, "l3NetworkUuids") for u in _as_list(params.get("l3NetworkUuids"))]
        default_l3 = params.get("defaultL3NetworkUuid") or (l3s[0]["uuid"] if l3s else None)
        if default_l3 and l3s and default_l3 not in [n["uuid"] for n in l3s]:
            raise _argerr(f"the default L3 network[uuid:{default_l3}] is not in l3NetworkUuids")
        state = _STRATEGY_STATE.get(params.get("strategy") or "InstantStart", "Running")
        host = self.place(params, l3s)
        row.update(
            cpuNum=row.get("cpuNum") or offering.get("cpuNum"), memorySize=row.get("memorySize")
            or offering.get("memorySize"), cpuSpeed=offering.get("cpuSpeed", 0),
            reservedMemorySize=row.get("reservedMemorySize") or offering.get("reservedMemorySize", 0),
            allocatorStrategy=offering.get("allocatorStrategy") or "LeastVmPreferredHostAllocatorStrategy",
            type=row.get("type") or "UserVm", hypervisorType="KVM", state=state,
            platform=row.get("platform") or image.get("platform"), guestOsType=row.get("guestOsType")
            or image.get("guestOsType"), architecture=row.get("architecture") or image.get("architecture"),
            zoneUuid=host["zoneUuid"], clusterUuid=host["clusterUuid"],
            hostUuid=host["uuid"] if state == "Running" else None,
            lastHostUuid=host["uuid"] if state == "Running" else None,
            defaultL3NetworkUuid=default_l3, internalId=self._next_internal_id())
        for dev, l3 in enumerate(l3s):
            nic = {"uuid": uuid.uuid4().hex, "vmInstanceUuid": row["uuid"], "l3NetworkUuid": l3["uuid"],
                   "deviceId": dev, "mac": "fa:" + ":".join(f"{b:02x}" for b in uuid.uuid4().bytes[:5]),
                   "hypervisorType": "KVM", "driverType": "virtio", "type": "VNIC", "state": "enable",
                   "internalName": f"vnic{row['internalId']}.{dev}", "createDate": row["createDate"],
                   "lastOpDate": row["createDate"]}
            nic.update(self._allocate_ip(cur, l3["uuid"], nic["uuid"]))
            self._insert(cur, "VmNicInventory", nic)
        self._new_volumes(cur, row, params, image, host)

    def place(self, params: dict, l3s: list[dict]) -> dict:
        """The host a new VM goes to: an enabled, connected host of the L3 networks' zone, in the cluster
        or the host asked for, on a cluster its networks' L2 is attached to; the one with fewest VMs."""
        zones = {n.get("zoneUuid") for n in l3s} - {None}
        if len(zones) > 1:
            raise _argerr(f"the L3 networks {[n['uuid'] for n in l3s]} are in different zones")
        zone = params.get("zoneUuid") or next(iter(zones), None)
        if zones and zone not in zones:
            raise _argerr(f"the L3 networks are not in the zone[uuid:{zone}]")
        if params.get("hostUuid"):
            host = self.one("HostInventory", params["hostUuid"], "hostUuid")
            if zone and host.get("zoneUuid") != zone:
                raise _argerr(f"the host[uuid:{host['uuid']}] is not in the L3 networks' zone[uuid:{zone}]")
            return host
        where, bound = ["state = 'Enabled'", "status = 'Connected'"], []
        if zone:
            where.append("zoneUuid = ?")
            bound.append(zone)
        if params.get("clusterUuid"):
            self.one("ClusterInventory", params["clusterUuid"], "clusterUuid")
            where.append("clusterUuid = ?")
            bound.append(params["clusterUuid"])
        l2s = [n["l2NetworkUuid"] for n in l3s if n.get("l2NetworkUuid")]
        for l2 in l2s:
            # A network whose L2 is attached to no cluster at all (made in the simulator, where attaching
            # is not carried out) does not restrict placement.
            if self.store.count("L2NetworkClusterRefInventory", "l2NetworkUuid = ?", [l2]):
                where.append('clusterUuid IN (SELECT clusterUuid FROM "L2NetworkClusterRefInventory" '
                             "WHERE l2NetworkUuid = ?)")
                bound.append(l2)
        order = '(SELECT COUNT(*) FROM "VmInstanceInventory" v WHERE v.hostUuid = "HostInventory".uuid), name, uuid'
        hosts = self.store.inventories("HostInventory", " AND ".join(where), bound, order=order, limit=1, depth=0)
        if not hosts:
            raise VmFailure("HOST_ALLOCATION.1001", "No available host found",
                            f"no Enabled and Connected host found in zone[uuid:{zone}] for the VM")
        return hosts[0]

    def _next_internal_id(self) -> int:
        _, rows = self.store.read(f"SELECT MAX(internalId) FROM {q(_VM)}")
        return (rows[0][0] or 0) + 1

    def _new_volumes(self, cur, row: dict, params: dict, image: dict, host: dict) -> None:
        ps = params.get("primaryStorageUuidForRootVolume")
        if not ps:
            _, found = self.store.read('SELECT primaryStorageUuid FROM "PrimaryStorageClusterRefInventory" '
                                       "WHERE clusterUuid = ? ORDER BY rowid LIMIT 1", [host.get("clusterUuid")])
            if not found:
                _, found = self.store.read('SELECT uuid FROM "PrimaryStorageInventory" WHERE zoneUuid = ? '
                                           "ORDER BY rowid LIMIT 1", [host.get("zoneUuid")])
            ps = found[0][0] if found else None
        base = {"vmInstanceUuid": row["uuid"], "primaryStorageUuid": ps, "format": image.get("format") or "qcow2",
                "state": "Enabled", "status": "Ready", "isShareable": False, "createDate": row["createDate"],
                "lastOpDate": row["createDate"]}
        root = uuid.uuid4().hex
        row["rootVolumeUuid"] = root
        size = params.get("rootDiskSize") or image.get("size")
        self._insert(cur, "VolumeInventory", {**base, "uuid": root, "name": f"ROOT-for-{row.get('name')}",
                                              "type": "Root", "rootImageUuid": image.get("uuid"), "deviceId": 0,
                                              "size": size, "actualSize": image.get("actualSize"),
                                              "installPath": f"/zstack_ps/rootVolumes/{root}"})
        for dev, offering in enumerate(_as_list(params.get("dataDiskOfferingUuids")), start=1):
            disk = self.one("DiskOfferingInventory", offering, "dataDiskOfferingUuids")
            vol = uuid.uuid4().hex
            self._insert(cur, "VolumeInventory", {**base, "uuid": vol, "name": f"DATA-for-{row.get('name')}",
                                                  "type": "Data", "diskOfferingUuid": offering, "deviceId": dev,
                                                  "size": disk.get("diskSize"), "actualSize": 0,
                                                  "installPath": f"/zstack_ps/dataVolumes/{vol}"})

    # --- addresses ---------------------------------------------------------------------------
    def _allocate_ip(self, cur, l3: str, nic: str) -> dict:
        """Take the first free address of the L3's ranges (not its gateway, not one in use) for ``nic``;
        the NIC's address fields."""
        _, used_rows = self.store.read('SELECT ip FROM "UsedIpInventory" WHERE l3NetworkUuid = ? UNION '
                                       'SELECT ip FROM "VmNicInventory" WHERE l3NetworkUuid = ?', [l3, l3])
        used = {r[0] for r in used_rows if r[0]}
        ranges = self.store.inventories("IpRangeInventory", "l3NetworkUuid = ?", [l3], order="rowid", depth=0)
        for rng in ranges:
            try:
                first, last = ipaddress.ip_address(rng["startIp"]), ipaddress.ip_address(rng["endIp"])
            except (KeyError, ValueError):
                continue
            n = int(first)
            while n <= int(last):
                ip = str(ipaddress.ip_address(n))
                n += 1
                if ip in used or ip == rng.get("gateway"):
                    continue
                used_uuid = uuid.uuid4().hex
                fields = {"ip": ip, "netmask": rng.get("netmask"), "gateway": rng.get("gateway"),
                          "ipVersion": rng.get("ipVersion") or first.version}
                self._insert(cur, "UsedIpInventory", {"uuid": used_uuid, "ipRangeUuid": rng["uuid"],
                                                      "l3NetworkUuid": l3, "usedFor": "Vm", "vmNicUuid": nic,
                                                      "ipInLong": n - 1, **fields})
                return {"usedIpUuid": used_uuid, **fields}
        raise VmFailure("L3.1004", "Failed to allocate an IP address",
                        f"no free IP address in the IP ranges of the L3 network[uuid:{l3}]")

    def _set_nics(self, cur, where: str, bound: list, values: dict) -> None:
        sets = ", ".join(f"{q(k)} = ?" for k in values)
        for table in self.writer.family("VmNicInventory"):
            cur.execute(f"UPDATE {q(table)} SET {sets} WHERE {where}", [*values.values(), *bound])

    # --- lifecycle ---------------------------------------------------------------------------
    def destroy(self, uuid_: str) -> None:
        """State Destroyed, off its host, its NICs' addresses returned (the NICs stay, as under the
        server's default Delay policy, so that the VM can be recovered)."""
        vm = self.one(_VM, uuid_)
        if vm.get("state") == "Destroyed":
            return
        with self.store.transaction() as cur:
            cur.execute('DELETE FROM "UsedIpInventory" WHERE vmNicUuid IN '
                        '(SELECT uuid FROM "VmNicInventory" WHERE vmInstanceUuid = ?)', (uuid_,))
            self._set_nics(cur, "vmInstanceUuid = ?", [uuid_],
                           {"ip": None, "netmask": None, "gateway": None, "usedIpUuid": None})
        self.writer.update(_VM, uuid_, {"state": "Destroyed", "hostUuid": None})

    def recover(self, uuid_: str) -> dict:
        vm = self.one(_VM, uuid_)
        if vm.get("state") != "Destroyed":
            raise _state_err(vm, "recover")
        return self.writer.update(_VM, uuid_, {"state": "Stopped", "hostUuid": None})

    def expunge(self, uuid_: str) -> None:
        vm = self.one(_VM, uuid_)
        if vm.get("state") != "Destroyed":
            raise _state_err(vm, "expunge")
        self.writer.delete(_VM, uuid_)

    def power(self, uuid_: str, state: str) -> dict:
        """Start, stop, reboot, pause, resume. Starting a VM that has no host yet places it; starting one
        whose NICs lost their addresses (destroyed, then recovered) addresses them again."""
        vm = self.one(_VM, uuid_)
        if vm.get("state") in ("Destroyed", "Expunging"):
            raise _state_err(vm, "this operation")
        changes: dict = {"state": state, "hostUuid": None}
        if state in ("Running", "Paused"):
            host_uuid = vm.get("hostUuid") or vm.get("lastHostUuid")
            if not host_uuid:
                nets = self.store.inventories("VmNicInventory", "vmInstanceUuid = ?", [uuid_], depth=0)
                l3s = [self.one("L3NetworkInventory", n["l3NetworkUuid"]) for n in nets]
                host_uuid = self.place({"clusterUuid": vm.get("clusterUuid"), "zoneUuid": vm.get("zoneUuid")},
                                       l3s)["uuid"]
            changes.update(hostUuid=host_uuid, lastHostUuid=host_uuid)
            with self.store.transaction() as cur:
                for nic in self.store.inventories("VmNicInventory", "vmInstanceUuid = ? AND ip IS NULL", [uuid_],
                                                  depth=0):
                    self._set_nics(cur, "uuid = ?", [nic["uuid"]],
                                   self._allocate_ip(cur, nic["l3NetworkUuid"], nic["uuid"]))
        return self.writer.update(_VM, uuid_, changes)
