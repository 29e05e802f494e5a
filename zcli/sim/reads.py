"""Get* reads: the API's reply fields, computed from the world.

* **Computed** (one function each, listed in ``COMPUTED``): capacities are sums over hosts, storage and
  VMs; IP capacity and free IPs come from the ranges and the used IPs; candidates follow placement rules
  (zone, cluster attachments, state); a console address comes from the VM's host.
* **Inventories** (reply ``inventory``/``inventories`` of a table): candidates (``GetCandidate...``,
  ``...Attachable...``, ``...Candidates``) are the rows of the reply's kind in the named resource's zone that
  are not linked to it yet, through the link the matching Attach API uses; other reads answer the named
  resource, or the rows whose fields equal the parameters given.
* **Settings** (``Get<X><Setting>`` with scalar reply fields): the named resource's own fields of those
  names, else the setting its ``Set<X><Setting>`` kept (see :mod:`zcli.sim.setters`).
"""

from __future__ import annotations

import ipaddress

from zcli.sim.naming import Names, as_list, verb_of
from zcli.sim.refs import LinkFailure
from zcli.sim.setters import read_setting, setting_name
from zcli.sim.tables import q


def _in(column: str, values: list) -> tuple[str, list]:
    return f"{q(column)} IN ({', '.join('?' * len(values))})", list(values)


class Reads:
    def __init__(self, catalog, store, writer, links, setters):
        self.catalog = catalog
        self.store = store
        self.writer = writer
        self.links = links
        self.setters = setters
        self.names = Names(catalog, store.specs)
        self.computed = {
            "GetCpuMemoryCapacity": self.cpu_memory, "GetPrimaryStorageCapacity": self.ps_capacity,
            "GetBackupStorageCapacity": self.bs_capacity, "GetIpAddressCapacity": self.ip_capacity,
            "GetVmConsoleAddress": self.console, "GetFreeIp": self.free_ips, "GetFreeIpOfL3Network": self.free_ips,
            "GetFreeIpOfIpRange": self.free_ips, "CheckIpAvailability": self.ip_available,
            "GetCandidateZonesClustersHostsForCreatingVm": self.vm_destinations,
            "GetVmAttachableDataVolume": self.attachable_volumes, "GetVmAttachableL3Network": self.attachable_l3s,
            "GetHypervisorTypes": self.distinct("HostInventory", "hypervisorType", "hypervisorTypes"),
            "GetPrimaryStorageTypes": self.distinct("PrimaryStorageInventory", "type", "primaryStorageTypes"),
            "GetBackupStorageTypes": self.distinct("BackupStorageInventory", "type", "backupStorageTypes"),
            "GetL2NetworkTypes": self.distinct("L2NetworkInventory", "type", "l2NetworkTypes"),
            "GetL3NetworkTypes": self.distinct("L3NetworkInventory", "type", "l3NetworkTypes"),
            "GetVSwitchTypes": self.distinct("L2NetworkInventory", "vSwitchType", "vSwitchTypes"),
            "GetHostAllocatorStrategies": self.distinct("InstanceOfferingInventory", "allocatorStrategy",
                                                        "hostAllocatorStrategies"),
            "GetPrimaryStorageAllocatorStrategies": self.distinct("DiskOfferingInventory", "allocatorStrategy",
                                                                  "primaryStorageAllocatorStrategies"),
            "GetVmHostname": self.vm_hostname,
        }

    # --- planning ----------------------------------------------------------------------------
    def plan(self, api) -> str | None:
        if api.name in self.computed:
            return "computed from the world"
        if verb_of(api.name) != "Get":
            return None
        inv, _ = self.names.reply_inventory(api)
        if inv is not None:
            if self._is_candidates(api):
                return f"candidates: {inv.removesuffix('Inventory')} rows not yet linked"
            return f"reads {inv.removesuffix('Inventory')} rows"
        types = self.names.reply_types(api)
        target = self.setters.target(api)
        if target and types and all(not t.startswith(("List", "Map")) for t in types.values()):
            return "the resource's fields and kept settings"
        return None

    def _is_candidates(self, api) -> bool:
        n = api.name
        return "Candidate" in n or "Attachable" in n or "ForAttaching" in n

    def run(self, api, params: dict):
        fn = self.computed.get(api.name)
        if fn is not None:
            return fn(params)
        inv, many = self.names.reply_inventory(api)
        if inv is not None:
            rows = self.candidates(api, inv, params) if self._is_candidates(api) else self.rows(api, inv, params)
            key = api.reply_key or "inventories"
            return {key: rows if many else (rows[0] if rows else {})}
        return self.settings(api, params)

    # --- generic -----------------------------------------------------------------------------
    def rows(self, api, inv: str, params: dict) -> list[dict]:
        kinds = self.store.specs[inv].kinds
        where, bound = [], []
        for p in api.params:
            value = params.get(p.name)
            if value in (None, ""):
                continue
            named = self.names.param_inventory(p.name, p.resource)
            if p.name == "uuid" or named == inv:
                col = "uuid"
            elif p.name in kinds:
                col = p.name
            elif p.name.endswith("Uuids") and p.name[:-1] in kinds:
                col = p.name[:-1]
            else:
                continue
            values = as_list(value)
            if named and named in self.store.specs and named != inv:
                for v in values:
                    self.writer._get(named, v)
            clause, b = _in(col, values)
            where.append(clause)
            bound += b
        if not where and any(p.required for p in api.params):
            raise LinkFailure(f"{api.name}: none of its parameters selects {inv.removesuffix('Inventory')} rows")
        return self.store.inventories(inv, " AND ".join(where), bound, order="rowid", limit=1000)

    def candidates(self, api, inv: str, params: dict) -> list[dict]:
        """Rows of ``inv`` that could be linked to the resource named: in its zone, enabled, not linked yet."""
        named = []
        for p in self.names.uuid_params(api):
            if params.get(p.name) in (None, ""):
                continue
            other = self.names.param_inventory(p.name, p.resource)
            if other and other in self.store.specs and other != inv:
                named.append((other, self.writer._get(other, as_list(params[p.name])[0])))
        kinds = self.store.specs[inv].kinds
        where, bound = [], []
        for other, row in named:
            if "zoneUuid" in kinds and row.get("zoneUuid"):
                where.append('"zoneUuid" = ?')
                bound.append(row["zoneUuid"])
            link = self._link_between(inv, other)
            if link is not None:
                mine = next(s for s in link.sides if s.inventory == inv)
                theirs = next(s for s in link.sides if s.inventory == other)
                if link.kind == "ref":
                    where.append(f"uuid NOT IN (SELECT {q(mine.field)} FROM {q(link.table)} "
                                 f"WHERE {q(theirs.field)} = ?)")
                    bound.append(row["uuid"])
                elif link.table == inv:
                    where.append(f"{q(theirs.field)} IS NULL")
                else:
                    where.append("uuid != ?")
                    bound.append(row.get(mine.field) or "")
        for col, bad in (("state", "Disabled"), ("status", "Disconnected")):
            if col in kinds:
                where.append(f"({q(col)} IS NULL OR {q(col)} != ?)")
                bound.append(bad)
        return self.store.inventories(inv, " AND ".join(where), bound, order="rowid", limit=1000)

    def _link_between(self, a: str, b: str):
        for name in self.catalog.api_names:
            if not name.startswith(("Attach", "Add", "Bind")):
                continue
            first, second = self.names.name_nouns(name)
            if {first, second} == {a, b}:
                link = self.links.plan(self.catalog.api(name))
                if link and {s.inventory for s in link.sides} >= {a, b}:
                    return link
        return None

    def settings(self, api, params: dict) -> dict:
        param, inv = self.setters.target(api)
        key = params.get(param)
        if key in (None, ""):
            raise LinkFailure(f"missing mandatory field[{param}]")
        row = self.writer._get(inv, key)
        setting = setting_name(api.name, inv)
        out = {}
        for name in self.names.reply_types(api):
            if row.get(name) is not None:
                out[name] = row[name]
            else:
                value = read_setting(self.store, key, setting, name)
                if value is not None:
                    out[name] = value
        return out

    # --- computed ----------------------------------------------------------------------------
    def _scope(self, params: dict, table: str, keys: dict[str, str]) -> tuple[str, list]:
        where, bound = [], []
        for param, col in keys.items():
            values = as_list(params.get(param))
            if values:
                clause, b = _in(col, values)
                where.append(clause)
                bound += b
        return " AND ".join(where), bound

    def cpu_memory(self, params: dict) -> dict:
        """Totals over the hosts in scope; available = total less what their running VMs take."""
        where, bound = self._scope(params, "HostInventory", {"zoneUuids": "zoneUuid", "clusterUuids": "clusterUuid",
                                                             "hostUuids": "uuid", "hypervisorType": "hypervisorType"})
        hosts = 'SELECT uuid FROM "HostInventory"' + (f" WHERE {where}" if where else "")
        _, rows = self.store.read(
            "SELECT COALESCE(SUM(totalCpuCapacity),0), COALESCE(SUM(totalMemoryCapacity),0), COALESCE(SUM(cpuNum),0) "
            'FROM "HostInventory"' + (f" WHERE {where}" if where else ""), bound)
        t_cpu, t_mem, n_cpu = rows[0]
        _, used = self.store.read(
            'SELECT COALESCE(SUM(cpuNum),0), COALESCE(SUM(memorySize),0) FROM "VmInstanceInventory" WHERE '
            f"state IN ('Running','Paused','Starting','Rebooting') AND hostUuid IN ({hosts})", bound)
        return {"totalCpu": t_cpu, "availableCpu": max(t_cpu - used[0][0], 0), "totalMemory": t_mem,
                "availableMemory": max(t_mem - used[0][1], 0), "managedCpuNum": n_cpu, "resourceType": "HostVO"}

    def ps_capacity(self, params: dict) -> dict:
        where, bound = self._scope(params, "PrimaryStorageInventory",
                                   {"zoneUuids": "zoneUuid", "primaryStorageUuids": "uuid"})
        clusters = as_list(params.get("clusterUuids"))
        if clusters:
            clause, b = _in("clusterUuid", clusters)
            where = " AND ".join(filter(None, [where, 'uuid IN (SELECT primaryStorageUuid FROM '
                                               f'"PrimaryStorageClusterRefInventory" WHERE {clause})']))
            bound += b
        _, rows = self.store.read(
            "SELECT COALESCE(SUM(totalCapacity),0), COALESCE(SUM(availableCapacity),0), "
            "COALESCE(SUM(COALESCE(totalPhysicalCapacity,totalCapacity)),0), "
            "COALESCE(SUM(COALESCE(availablePhysicalCapacity,availableCapacity)),0) "
            'FROM "PrimaryStorageInventory"' + (f" WHERE {where}" if where else ""), bound)
        return dict(zip(("totalCapacity", "availableCapacity", "totalPhysicalCapacity", "availablePhysicalCapacity"),
                        rows[0], strict=True))

    def bs_capacity(self, params: dict) -> dict:
        where, bound = self._scope(params, "BackupStorageInventory", {"backupStorageUuids": "uuid"})
        zones = as_list(params.get("zoneUuids"))
        if zones:
            clause, b = _in("zoneUuid", zones)
            where = " AND ".join(filter(None, [where, 'uuid IN (SELECT backupStorageUuid FROM '
                                               f'"BackupStorageZoneRefInventory" WHERE {clause})']))
            bound += b
        _, rows = self.store.read("SELECT COALESCE(SUM(totalCapacity),0), COALESCE(SUM(availableCapacity),0) "
                                  'FROM "BackupStorageInventory"' + (f" WHERE {where}" if where else ""), bound)
        return {"totalCapacity": rows[0][0], "availableCapacity": rows[0][1]}

    def _ranges(self, params: dict) -> list[dict]:
        where, bound = self._scope(params, "IpRangeInventory", {"ipRangeUuids": "uuid", "ipRangeUuid": "uuid",
                                                                "l3NetworkUuids": "l3NetworkUuid",
                                                                "l3NetworkUuid": "l3NetworkUuid"})
        zones = as_list(params.get("zoneUuids"))
        if zones:
            clause, b = _in("zoneUuid", zones)
            where = " AND ".join(filter(None, [where, f'l3NetworkUuid IN (SELECT uuid FROM "L3NetworkInventory" '
                                               f"WHERE {clause})"]))
            bound += b
        for name, inv in (("l3NetworkUuid", "L3NetworkInventory"), ("ipRangeUuid", "IpRangeInventory")):
            if params.get(name):
                self.writer._get(inv, params[name])
        return self.store.inventories("IpRangeInventory", where, bound, order="rowid", depth=0)

    def _used(self, rng: dict) -> set[str]:
        _, rows = self.store.read('SELECT ip FROM "UsedIpInventory" WHERE ipRangeUuid = ? OR '
                                  "(ipRangeUuid IS NULL AND l3NetworkUuid = ?)",
                                  [rng["uuid"], rng.get("l3NetworkUuid")])
        return {r[0] for r in rows if r[0]}

    @staticmethod
    def _span(rng: dict) -> tuple[int, int, int] | None:
        try:
            first, last = ipaddress.ip_address(rng["startIp"]), ipaddress.ip_address(rng["endIp"])
        except (KeyError, ValueError):
            return None
        return int(first), int(last), first.version

    def ip_capacity(self, params: dict) -> dict:
        totals = {4: [0, 0], 6: [0, 0]}
        for rng in self._ranges(params):
            span = self._span(rng)
            if span is None:
                continue
            first, last, version = span
            # A used IP belongs to its range (UsedIpVO.ipRangeUuid), as the server counts it.
            used = self.store.count("UsedIpInventory", '"ipRangeUuid" = ?', [rng["uuid"]])
            totals[version][0] += last - first + 1
            totals[version][1] += used
        (t4, u4), (t6, u6) = totals[4], totals[6]
        return {"totalCapacity": t4 + t6, "availableCapacity": t4 + t6 - u4 - u6, "usedIpAddressNumber": u4 + u6,
                "ipv4TotalCapacity": t4, "ipv4AvailableCapacity": t4 - u4, "ipv4UsedIpAddressNumber": u4,
                "ipv6TotalCapacity": t6, "ipv6AvailableCapacity": t6 - u6, "ipv6UsedIpAddressNumber": u6,
                "resourceType": "L3NetworkVO" if params.get("l3NetworkUuids") else "ZoneVO"}

    def free_ips(self, params: dict) -> dict:
        limit = int(params.get("limit") or 100)
        start = params.get("start")
        out = []
        for rng in self._ranges(params):
            span = self._span(rng)
            if span is None:
                continue
            first, last, _ = span
            used = self._used(rng) | {rng.get("gateway")}
            n = max(first, int(ipaddress.ip_address(start)) if start else first)
            while n <= last and len(out) < limit:
                ip = str(ipaddress.ip_address(n))
                n += 1
                if ip not in used:
                    out.append({"ipRangeUuid": rng["uuid"], "ip": ip, "netmask": rng.get("netmask"),
                                "gateway": rng.get("gateway")})
            if len(out) >= limit:
                break
        return {"inventories": out}

    def ip_available(self, params: dict) -> dict:
        ip = params.get("ip")
        try:
            n = int(ipaddress.ip_address(ip))
        except ValueError as e:
            raise LinkFailure(f"invalid field[ip], {ip} is not an IP address") from e
        for rng in self._ranges(params):
            span = self._span(rng)
            if span and span[0] <= n <= span[1]:
                if ip == rng.get("gateway"):
                    return {"available": False, "reason": "the IP is the gateway of the range"}
                if ip in self._used(rng):
                    return {"available": False, "reason": "the IP is in use"}
                return {"available": True}
        return {"available": False, "reason": "the IP is not in any IP range of the L3 network"}

    def console(self, params: dict) -> dict:
        vm = self.writer._get("VmInstanceInventory", params.get("uuid"))
        if vm.get("state") != "Running" or not vm.get("hostUuid"):
            raise LinkFailure(f"the vm[uuid:{vm['uuid']}] is in state[{vm.get('state')}]; its console is only "
                              "reachable while it runs", "VM.1010", "Operation not allowed in the VM's current state")
        host = self.writer._get("HostInventory", vm["hostUuid"])
        return {"hostIp": host.get("managementIp"), "port": 5900 + int(vm.get("internalId") or 0),
                "protocol": "vnc", "path": None}

    def vm_destinations(self, params: dict) -> dict:
        l3s = [self.writer._get("L3NetworkInventory", u) for u in as_list(params.get("l3NetworkUuids"))]
        if params.get("imageUuid"):
            self.writer._get("ImageInventory", params["imageUuid"])
        zones = {n.get("zoneUuid") for n in l3s} - {None}
        where, bound = ["state = 'Enabled'", "status = 'Connected'"], []
        for z in zones:
            where.append("zoneUuid = ?")
            bound.append(z)
        for param, col in (("zoneUuid", "zoneUuid"), ("clusterUuid", "clusterUuid")):
            if params.get(param):
                where.append(f"{col} = ?")
                bound.append(params[param])
        for n in l3s:
            if n.get("l2NetworkUuid") and self.store.count("L2NetworkClusterRefInventory", "l2NetworkUuid = ?",
                                                           [n["l2NetworkUuid"]]):
                where.append('clusterUuid IN (SELECT clusterUuid FROM "L2NetworkClusterRefInventory" '
                             "WHERE l2NetworkUuid = ?)")
                bound.append(n["l2NetworkUuid"])
        cpu, mem = params.get("cpuNum"), params.get("memorySize")
        if params.get("instanceOfferingUuid"):
            off = self.writer._get("InstanceOfferingInventory", params["instanceOfferingUuid"])
            cpu, mem = cpu or off.get("cpuNum"), mem or off.get("memorySize")
        if cpu:
            where.append("availableCpuCapacity >= ?")
            bound.append(int(cpu))
        if mem:
            where.append("availableMemoryCapacity >= ?")
            bound.append(int(mem))
        hosts = self.store.inventories("HostInventory", " AND ".join(where), bound, order="rowid", depth=0)
        clusters = sorted({h["clusterUuid"] for h in hosts})
        zone_ids = sorted({h["zoneUuid"] for h in hosts})
        return {"zones": self.store.inventories("ZoneInventory", *_in("uuid", zone_ids), order="rowid")
                if zone_ids else [],
                "clusters": self.store.inventories("ClusterInventory", *_in("uuid", clusters), order="rowid")
                if clusters else [], "hosts": hosts}

    def attachable_volumes(self, params: dict) -> dict:
        vm = self.writer._get("VmInstanceInventory", params.get("vmInstanceUuid"))
        where = ("type = 'Data' AND vmInstanceUuid IS NULL AND state = 'Enabled' AND "
                 "(status IS NULL OR status IN ('Ready', 'NotInstantiated'))")
        bound = []
        if vm.get("zoneUuid"):
            where += ' AND (primaryStorageUuid IS NULL OR primaryStorageUuid IN (SELECT uuid FROM ' \
                     '"PrimaryStorageInventory" WHERE zoneUuid = ?))'
            bound.append(vm["zoneUuid"])
        return {"inventories": self.store.inventories("VolumeInventory", where, bound, order="rowid")}

    def attachable_l3s(self, params: dict) -> dict:
        vm = self.writer._get("VmInstanceInventory", params.get("vmInstanceUuid"))
        where = ("state = 'Enabled' AND uuid NOT IN "
                 '(SELECT l3NetworkUuid FROM "VmNicInventory" WHERE vmInstanceUuid = ?)')
        bound = [vm["uuid"]]
        if vm.get("zoneUuid"):
            where += " AND zoneUuid = ?"
            bound.append(vm["zoneUuid"])
        return {"inventories": self.store.inventories("L3NetworkInventory", where, bound, order="rowid")}

    def vm_hostname(self, params: dict) -> dict:
        vm = self.writer._get("VmInstanceInventory", params.get("uuid"))
        return {"hostname": read_setting(self.store, vm["uuid"], "hostname", "hostname")}

    def distinct(self, inv: str, column: str, key: str):
        def read(params: dict) -> dict:
            _, rows = self.store.read(f"SELECT DISTINCT {q(column)} FROM {q(inv)} WHERE {q(column)} IS NOT NULL "
                                      f"ORDER BY 1")
            return {key: [r[0] for r in rows]}
        return read


def _within(ip: str, first: int, last: int) -> bool:
    try:
        return first <= int(ipaddress.ip_address(ip)) <= last
    except ValueError:
        return False
