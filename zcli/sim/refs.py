"""Attach/detach, add/remove, bind/unbind: links between resources, found through the catalogue.

A link is held in one of two ways, both read from the catalogue's inventories:

* a **reference table** with a field for each side (``PrimaryStorageClusterRefInventory``: clusterUuid,
  primaryStorageUuid; ``L3NetworkDnsInventory``: l3NetworkUuid, dns; a VM's ``VmNicInventory``): attaching
  adds a row, detaching removes it;
* a **foreign key** on one side (``VolumeInventory.vmInstanceUuid``, ``EipInventory.vmNicUuid``): attaching
  sets it, detaching clears it.

The server's checks come first: each side exists, an attach is not already there (a volume attached to
another VM is refused too), a detach names a link that exists. A detach that names one side only
(``DetachEip uuid``) finds the link through its attach counterpart (``AttachEip``).
"""

from __future__ import annotations

import uuid as uuidlib

from zcli.sim.naming import Names, as_list, verb_of
from zcli.sim.refs_model import ATTACH_VERBS, Link, LinkFailure, Side
from zcli.sim.refs_plan import LinkPlanner
from zcli.sim.tables import q


class Links(LinkPlanner):
    """Plans and carries out link calls against a store (through a writer, for its tables)."""

    def __init__(self, catalog, store, writer):
        self.catalog = catalog
        self.store = store
        self.writer = writer
        self.names = Names(catalog, store.specs)
        self._plans: dict[str, Link | None] = {}
        self._field_inv: dict[tuple[str, str], str | None] = {}

    # --- planning ----------------------------------------------------------------------------
    def _exists(self, inv: str, value: str) -> bool:
        _, rows = self.store.read(f"SELECT 1 FROM {q(inv)} WHERE uuid = ? LIMIT 1", [value])
        return bool(rows)

    def _check_exists(self, side: Side, value: str) -> None:
        inv = side.inventory
        if inv and inv in self.store.specs and "uuid" in self.store.specs[inv].kinds and not self._exists(inv, value):
            kind = inv.replace("Inventory", "VO")
            raise LinkFailure(f"invalid field[{side.param}], resource[uuid:{value}, type:{kind}] is not found")

    def run(self, api, params: dict) -> dict | None:
        """Carry out a link call; the reply (its inventory), or None when the reply has no fields."""
        link = self.plan(api)
        attach = verb_of(api.name) in ATTACH_VERBS
        given = {s.param: as_list(params.get(s.param)) for s in link.sides if params.get(s.param) not in (None, "")}
        # A detach may name a side under its own parameter name (DetachEip's uuid is AttachEip's eipUuid).
        own = self.sides_of(api)
        for s in own:
            if s.param not in given and params.get(s.param) not in (None, ""):
                for ls in link.sides:
                    if ls.param not in given and ls.inventory and ls.inventory == s.inventory:
                        given[ls.param] = as_list(params[s.param])
        for s in link.sides:
            for v in given.get(s.param, ()):
                self._check_exists(s, v)
        rows = [v for s in own if s.inventory == link.table and link.kind == "ref"
                for v in as_list(params.get(s.param))]
        if not attach and rows:
            # The detach names a row of the reference table itself (DetachL3NetworkFromVm's vmNicUuid).
            for v in rows:
                self._check_exists(Side("uuid", link.table, "uuid"), v)
            given = {"uuid": rows}
            link = Link("ref", link.table, [Side("uuid", link.table, "uuid"), *link.sides])
            return self._reply(api, link, given, self._detach(link, given))
        if attach:
            missing = [s.param for s in link.sides if s.param not in given]
            if missing:
                raise LinkFailure(f"missing mandatory field[{missing[0]}]")
            touched = self._attach(link, given, params)
        else:
            if not given:
                raise LinkFailure(f"missing mandatory field[{link.sides[0].param}]")
            touched = self._detach(link, given)
        return self._reply(api, link, given, touched)

    def _remove_children(self, link: Link, given: dict) -> list[str]:
        parent, child = link.sides
        if parent.param not in given or child.param not in given:
            raise LinkFailure(f"missing mandatory field[{parent.param if parent.param not in given else child.param}]")
        owner = given[parent.param][0]
        removed = []
        with self.store.transaction() as cur:
            for v in given[child.param]:
                where = f"{q(parent.field)} = ? AND {q(child.field)} = ?"
                if not self.store.count(link.table, where, [owner, v]):
                    raise LinkFailure(f"no {link.table.removesuffix('Inventory')}[{child.field}:{v}] of "
                                      f"{parent.param}[{owner}]")
                for t in self.writer.family(link.table):
                    if {parent.field, child.field} <= set(self.store.specs[t].kinds):
                        cur.execute(f"DELETE FROM {q(t)} WHERE {where}", (owner, v))
                removed.append(v)
        return removed

    def _combos(self, link: Link, given: dict) -> list[dict]:
        combos = [{}]
        for s in link.sides:
            if s.param in given:
                combos = [{**c, s.field: v} for c in combos for v in given[s.param]]
        return combos

    def _attach(self, link: Link, given: dict, params: dict) -> list[str]:
        if link.kind == "fk":
            return self._attach_fk(link, given)
        table = link.table
        kinds = self.store.specs[table].kinds
        rows = []
        for combo in self._combos(link, given):
            where = " AND ".join(f"{q(k)} = ?" for k in combo)
            if self.store.count(table, where, list(combo.values())):
                pairs = ", ".join(f"{k}:{v}" for k, v in combo.items())
                raise LinkFailure(f"already attached: {table.removesuffix('Inventory')}[{pairs}] exists")
            row = dict(combo)
            if "resourceUuid" in row and "resourceType" in kinds:
                side = next(s for s in link.sides if s.field == "resourceUuid")
                row["resourceType"] = (side.inventory or "").replace("Inventory", "VO")
            for k, v in params.items():
                if k in kinds and k not in row and not isinstance(v, (list, dict)):
                    row[k] = v
            rows.append(row)
        if table == "VmNicInventory":
            return [self._add_nic(r["vmInstanceUuid"], r["l3NetworkUuid"]) for r in rows]
        now = _now()
        out = []
        with self.store.transaction() as cur:
            for row in rows:
                if "uuid" in kinds:
                    row["uuid"] = uuidlib.uuid4().hex
                elif "id" in kinds:
                    row["id"] = self._next_id(table)
                row.setdefault("createDate", now)
                row.setdefault("lastOpDate", now)
                for t in self.writer.line(table):
                    self.store.insert_many(cur, t, [row])
                out.append(row.get("uuid"))
        return out

    def _add_nic(self, vm_uuid: str, l3_uuid: str) -> str:
        """A new NIC of a VM on an L3 network, with an address from its ranges (as AttachL3NetworkToVm)."""
        vm = self.writer._get("VmInstanceInventory", vm_uuid)
        if vm.get("state") in ("Destroyed", "Expunging"):
            raise LinkFailure(f"the vm[uuid:{vm_uuid}] is in state[{vm.get('state')}], attaching is not allowed",
                              "VM.1010", "Operation not allowed in the VM's current state")
        _, rows = self.store.read('SELECT MAX(deviceId) FROM "VmNicInventory" WHERE vmInstanceUuid = ?', [vm_uuid])
        dev = (rows[0][0] if rows[0][0] is not None else -1) + 1
        now = _now()
        nic = {"uuid": uuidlib.uuid4().hex, "vmInstanceUuid": vm_uuid, "l3NetworkUuid": l3_uuid, "deviceId": dev,
               "mac": "fa:" + ":".join(f"{b:02x}" for b in uuidlib.uuid4().bytes[:5]), "hypervisorType": "KVM",
               "driverType": "virtio", "type": "VNIC", "state": "enable",
               "internalName": f"vnic{vm.get('internalId') or 0}.{dev}", "createDate": now, "lastOpDate": now}
        with self.store.transaction() as cur:
            nic.update(self.writer.vms._allocate_ip(cur, l3_uuid, nic["uuid"]))
            for t in self.writer.line("VmNicInventory"):
                self.store.insert_many(cur, t, [nic])
        return nic["uuid"]

    def _next_id(self, table: str) -> int:
        _, rows = self.store.read(f"SELECT MAX(id) FROM {q(table)}")
        return (rows[0][0] or 0) + 1

    def _attach_fk(self, link: Link, given: dict) -> list[str]:
        holder = next(s for s in link.sides if s.param == link.holder)
        other = next(s for s in link.sides if s.param != link.holder)
        target = given[other.param][0]
        for h in given[holder.param]:
            row = self.writer._get(link.table, h)
            current = row.get(other.field)
            if current:
                what = "already attached" if current == target else f"attached to {current}"
                raise LinkFailure(f"{link.table.removesuffix('Inventory')}[uuid:{h}] is {what}; detach it first")
            changes = {other.field: target, **self._attach_extras(link.table, row, other, target)}
            self.writer.update(link.table, h, changes)
        return list(given[holder.param])

    def _attach_extras(self, table: str, row: dict, other: Side, target: str) -> dict:
        """What the server fills in besides the key: a volume's device id and dates, an EIP's guest IP."""
        if table == "VolumeInventory" and other.field == "vmInstanceUuid":
            if row.get("type") == "Root":
                raise LinkFailure(f"the volume[uuid:{row['uuid']}] is a root volume; only data volumes attach")
            vm = self.writer._get("VmInstanceInventory", target)
            if vm.get("state") not in ("Running", "Stopped", "Paused"):
                raise LinkFailure(f"the vm[uuid:{target}] is in state[{vm.get('state')}], attaching is not allowed",
                                  "VM.1010", "Operation not allowed in the VM's current state")
            _, rows = self.store.read('SELECT MAX(deviceId) FROM "VolumeInventory" WHERE vmInstanceUuid = ?', [target])
            return {"deviceId": (rows[0][0] or 0) + 1, "lastAttachDate": _now(), "lastVmInstanceUuid": target}
        if table == "EipInventory" and other.field == "vmNicUuid":
            nic = self.store.inventories("VmNicInventory", "uuid = ?", [target], depth=0)
            return {"guestIp": nic[0].get("ip")} if nic else {}
        return {}

    def _detach(self, link: Link, given: dict) -> list[str]:
        if link.kind == "children":
            return self._remove_children(link, given)
        if link.kind == "fk":
            holder = next(s for s in link.sides if s.param == link.holder)
            other = next(s for s in link.sides if s.param != link.holder)
            holders = given.get(holder.param)
            if not holders:
                _, rows = self.store.read(f"SELECT uuid FROM {q(link.table)} WHERE {q(other.field)} = ?",
                                          [given[other.param][0]])
                holders = [r[0] for r in rows]
            if not holders:
                raise LinkFailure(f"nothing is attached to {other.param}[{given[other.param][0]}]")
            for h in holders:
                row = self.writer._get(link.table, h)
                if not row.get(other.field) or (other.param in given and row[other.field] not in given[other.param]):
                    raise LinkFailure(f"{link.table.removesuffix('Inventory')}[uuid:{h}] is not attached")
                if link.table.startswith((other.inventory or "?").removesuffix("Inventory")):
                    self.writer.delete(link.table, h)  # a part of the other side (a role's statement): removed
                    continue
                changes = {other.field: None}
                if link.table == "VolumeInventory":
                    changes.update(deviceId=None, lastDetachDate=_now())
                if link.table == "EipInventory":
                    changes["guestIp"] = None
                self.writer.update(link.table, h, changes)
            return holders
        combos = self._combos(link, given)
        removed = []
        with self.store.transaction() as cur:
            for combo in combos:
                where = " AND ".join(f"{q(k)} = ?" for k in combo)
                key = "uuid" if "uuid" in self.store.specs[link.table].kinds else "NULL"
                _, rows = self.store.read(f"SELECT {key} "
                                          f"FROM {q(link.table)} WHERE {where}", list(combo.values()))
                if not rows:
                    pairs = ", ".join(f"{k}:{v}" for k, v in combo.items())
                    raise LinkFailure(f"not attached: no {link.table.removesuffix('Inventory')}[{pairs}]")
                if link.table == "VmNicInventory":
                    cur.execute('DELETE FROM "UsedIpInventory" WHERE vmNicUuid IN '
                                f'(SELECT uuid FROM "VmNicInventory" WHERE {where})', list(combo.values()))
                for t in self.writer.family(link.table):
                    if all(k in self.store.specs[t].kinds for k in combo):
                        cur.execute(f"DELETE FROM {q(t)} WHERE {where}", list(combo.values()))
                removed.extend(r[0] for r in rows)
        return removed

    def _reply(self, api, link: Link, given: dict, touched: list) -> dict | None:
        if not api.reply_key:
            return None
        inv, many = self.names.reply_inventory(api)
        if inv is None:
            return {api.reply_key: [] if many else {}} if api.reply_key else None
        uuids: list[str] = []
        for s in link.sides:
            if s.inventory == inv and s.param in given:
                uuids = given[s.param]
                break
        if not uuids and inv in (link.table, *self.writer.line(link.table)):
            uuids = [t for t in touched if t]
        if not uuids:
            # The reply's resource is on the other side of the VM, e.g. AttachL3NetworkToVm answers the VM.
            for s in link.sides:
                if s.param in given and s.inventory:
                    found = self._owner(inv, s, given[s.param][0])
                    if found:
                        uuids = [found]
                        break
        items = [self.writer._get(inv, u) for u in uuids if self._exists(inv, u)]
        if many:
            return {api.reply_key: items}
        return {api.reply_key: items[0] if items else {}}

    def _owner(self, inv: str, side: Side, value: str) -> str | None:
        """The ``inv`` a side's row points at (a NIC's VM)."""
        if side.inventory not in self.store.specs:
            return None
        for f in self.store.specs[side.inventory].kinds:
            if f.endswith("Uuid") and self.names.param_inventory(f) == inv:
                _, rows = self.store.read(f"SELECT {q(f)} FROM {q(side.inventory)} WHERE uuid = ?", [value])
                if rows and rows[0][0]:
                    return rows[0][0]
        return None


def _now() -> str:
    from datetime import datetime

    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")
