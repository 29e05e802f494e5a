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

import re
import uuid as uuidlib
from dataclasses import dataclass, field

from zcli.sim.naming import Names, as_list, verb_of
from zcli.sim.tables import q

ATTACH_VERBS = {"Attach": "Detach", "Add": "Remove", "Bind": "Unbind"}
DETACH_VERBS = {**{v: k for k, v in ATTACH_VERBS.items()}, "Delete": "Add"}


class LinkFailure(Exception):
    """The call is refused (``code``, ``details``): SYS.1007 as the API interceptors refuse arguments."""

    def __init__(self, details: str, code: str = "SYS.1007", description: str = "One or more API argument is invalid"):
        super().__init__(details)
        self.code, self.description, self.details = code, description, details


@dataclass
class Side:
    param: str  # the API parameter
    inventory: str | None  # what it names (None: a value, such as a DNS address)
    field: str  # the field of the holding table


@dataclass
class Link:
    kind: str  # "ref" or "fk"
    table: str  # the reference table, or the table of the side that holds the foreign key
    sides: list[Side] = field(default_factory=list)
    holder: str | None = None  # fk: the param whose row holds the key

    def describe(self) -> str:
        if self.kind == "children":
            return f"removes {self.table.removesuffix('Inventory')} rows of the resource named"
        if self.kind == "ref":
            return f"link rows in {self.table.removesuffix('Inventory')}"
        fk = next(s.field for s in self.sides if s.param != self.holder)
        return f"sets {self.table.removesuffix('Inventory')}.{fk}"


def _singular(name: str) -> str:
    return name[:-1] if name.endswith("Uuids") else name


class Links:
    """Plans and carries out link calls against a store (through a writer, for its tables)."""

    def __init__(self, catalog, store, writer):
        self.catalog = catalog
        self.store = store
        self.writer = writer
        self.names = Names(catalog, store.specs)
        self._plans: dict[str, Link | None] = {}
        self._field_inv: dict[tuple[str, str], str | None] = {}

    # --- planning ----------------------------------------------------------------------------
    def is_link_api(self, api) -> bool:
        """Attach*/Detach*, and Add/Remove/Bind/Unbind <X> To/From <Y> (AddLocalPrimaryStorage is a create)."""
        verb = verb_of(api.name)
        if "Remote" in api.name or api.name in ("AttachTagToResources", "DetachTagFromResources"):
            return False  # a remote cloud the simulator has not; tags are copied, not linked
        if verb in ("Attach", "Detach"):
            return True
        if verb == "Delete":  # DeleteVmNicFromSecurityGroup undoes AddVmNicToSecurityGroup
            return "From" in api.name and self.catalog.has_api("Add" + api.name[6:].replace("From", "To", 1))
        if verb in ATTACH_VERBS or verb in DETACH_VERBS:
            if not re.search(r"[a-z](To|From)[A-Z]", api.name):
                return False
            return self.names.name_nouns(api.name)[1] is not None or len(self.sides_of(api)) >= 2
        return False

    def sides_of(self, api) -> list[Side]:
        """The resources (and values) an attach names, each with the inventory it names."""
        first, second = self.names.name_nouns(api.name)
        sides: list[Side] = []
        for p in self.names.uuid_params(api):
            if not (p.required or p.location == "path"):
                continue
            inv = self.names.param_inventory(p.name, p.resource)
            sides.append(Side(p.name, inv, _singular(p.name)))
        if len(sides) == 1:
            # An optional list of the other side (AttachVipToVpcSharedQos vipUuids) is the second side then.
            for p in self.names.uuid_params(api):
                inv = self.names.param_inventory(p.name, p.resource)
                if not p.required and p.name.endswith("Uuids") and inv and inv != sides[0].inventory:
                    sides.append(Side(p.name, inv, _singular(p.name)))
                    break
        named = {s.inventory for s in sides}
        for s in sides:
            if s.inventory is None and s.param == "uuid":
                s.inventory = next((n for n in (first, second) if n and n not in named), first)
        return sides

    def _values(self, api, sides) -> list[Side]:
        """Required non-uuid parameters (a DNS address, a route prefix) that a reference row holds."""
        taken = {s.param for s in sides}
        return [Side(p.name, None, p.name) for p in api.params
                if p.required and p.name not in taken and p.kind in ("string", "int")]

    def _field_inventory(self, table: str, name: str) -> str | None:
        key = (table, name)
        if key not in self._field_inv:
            self._field_inv[key] = self.names.param_inventory(name) if name.endswith("Uuid") else None
        return self._field_inv[key]

    def _match(self, table: str, sides: list[Side]) -> dict[str, str] | None:
        """Side param → field of ``table`` holding it, or None when the table cannot hold them all."""
        kinds = self.store.specs[table].kinds
        out: dict[str, str] = {}
        for s in sides:
            if s.field in kinds and s.field not in out.values() and s.field != "uuid":
                out[s.param] = s.field
                continue
            found = None
            if s.inventory:
                for f in kinds:
                    if f not in out.values() and f != "uuid" and self._field_inventory(table, f) == s.inventory:
                        found = f
                        break
            if found is None and s.inventory and "resourceUuid" in kinds and "resourceUuid" not in out.values() \
                    and table.endswith("RefInventory") and len(sides) > 1:
                found = "resourceUuid"  # a reference to a resource of any kind (SshKeyPairRef, ResourceDirectoryRef)
            if found is None:
                return None
            out[s.param] = found
        return out

    def plan(self, api) -> Link | None:
        if api.name in self._plans:
            return self._plans[api.name]
        link = None
        verb = verb_of(api.name)
        if verb in DETACH_VERBS:
            counterpart = DETACH_VERBS[verb] + api.name[len(verb):].replace("From", "To", 1)
            if self.catalog.has_api(counterpart):
                link = self.plan(self.catalog.api(counterpart))
        if link is None:
            link = self._find(api)
        self._plans[api.name] = link
        return link

    def _find(self, api) -> Link | None:
        sides = self.sides_of(api)
        if not sides:
            return None
        invs = {s.inventory for s in sides}
        values = self._values(api, sides) if len(sides) == 1 else []
        exact = self._foreign_key(sides, exact=True)
        if exact is not None:
            return exact
        best = None
        phrases = self._phrases(api)
        collections = self._collections(invs)
        for table in self.store.specs:
            if table in invs or not self._may_hold(table, sides, phrases, collections):
                continue
            wanted = sides + values
            m = self._match(table, wanted)
            if m is None and values:
                wanted, m = sides, None  # a value the table has no field for: not this table
            if m is None or (len(sides) < 2 and not values):
                continue
            named_for = {f"{p}RefInventory" for p in phrases} | {f"Resource{p}RefInventory" for p in phrases}
            if "resourceUuid" in m.values() and table not in named_for:
                continue  # a reference to "any resource" only in the table named for it (SshKeyPairRef)
            # Reference tables beat nested collections.
            score = ("Ref" not in table, len(self.store.specs[table].kinds), table)
            if best is None or score < best[0]:
                best = (score, Link("ref", table, [Side(s.param, s.inventory, m[s.param]) for s in wanted]))
        if best is not None:
            return best[1]
        return self._children(api, sides)

    def _children(self, api, sides: list[Side]) -> Link | None:
        """Remove<Children>From<Parent>: rows of a child table that point at the parent, named by uuid or by a
        value (RemoveAttributesFromIAM2Organization, RemoveMonFromCephPrimaryStorage, RemoveLabelFromAlarm)."""
        if verb_of(api.name) not in DETACH_VERBS:
            return None
        parents = [s for s in sides if s.inventory in self.store.specs and not s.param.endswith("Uuids")]
        if not parents:
            return None
        parent = parents[0]
        second = self.names.name_nouns(api.name)[1]
        if second is not None and parent.inventory != second:
            return None
        m = re.match(r"[A-Z][a-z]+(.+?)(?:From|To)[A-Z]", api.name)
        word = re.sub(r"(ies|s)$", lambda x: "y" if x.group(1) == "ies" else "", m.group(1)) if m else ""
        if not word:
            return None
        for p in api.params:
            if p.name == parent.param or not p.required or p.name in ("systemTags", "userTags"):
                continue
            by_uuid = p.name.endswith(("Uuid", "Uuids")) or p.name == "uuid"
            named = self.names.param_inventory(p.name, p.resource) if by_uuid else None
            if by_uuid and named is None and p.name != "uuid":
                continue
            best = None
            for table, spec in self.store.specs.items():
                if table == parent.inventory or (by_uuid and "uuid" not in spec.kinds):
                    continue
                # The child rows are of the kind the name says (…Attribute, …Mon, …Label) or the uuid names.
                if (named and table != named) or not table.lower().endswith(word.lower() + "inventory"):
                    continue
                m2 = self._match(table, [parent])
                if m2 is None or m2[parent.param] == "uuid":
                    continue
                field = "uuid" if by_uuid else self._value_field(spec.kinds, p.name)
                if field is None:
                    continue
                score = (len(table), table)
                if best is None or score < best[0]:
                    best = (score, Link("children", table, [Side(parent.param, parent.inventory, m2[parent.param]),
                                                            Side(p.name, None, field)]))
            if best is not None:
                return best[1]
        return None

    @staticmethod
    def _value_field(kinds: dict, name: str) -> str | None:
        single = re.sub(r"(List|s)$", "", name)
        for tail in [single, *[t[:1].lower() + t[1:] for t in re.findall(r"[A-Z][a-z0-9]*", single)]]:
            if tail in kinds:
                return tail
        return None

    @staticmethod
    def _phrases(api) -> list[str]:
        """The noun phrases of an API's name: ``AttachPolicyRouteRuleSetToL3`` → PolicyRouteRuleSet, L3."""
        rest = api.name[len(verb_of(api.name)):]
        m = re.match(r"(.+?)(?:To|From)([A-Z].*)$", rest)
        parts = [m.group(1), m.group(2)] if m else [rest]
        return [re.sub(r"(ies|s)$", lambda x: "y" if x.group(1) == "ies" else "", p) for p in parts]

    def _collections(self, invs) -> set[str]:
        """Tables that are nested collections of the sides (a VM's NICs and CD-ROMs, an L3's DNS entries)."""
        out: set[str] = set()
        for inv in invs:
            if not inv:
                continue
            try:
                links = self.catalog.links(inv)
            except Exception:  # an inventory named only as a type
                continue
            out.update(link.target for link in links.values() if link.kind == "collection")
            spec = self.store.specs.get(inv)
            if spec is not None:
                out.update(f.target for f in spec.fills.values() if f.many)
        return out

    def _may_hold(self, table: str, sides: list[Side], phrases: list[str], collections: set[str]) -> bool:
        """A reference table (``...Ref``) or a nested collection of a side; a side of no known kind only in a
        table named for it (PolicyRouteRuleSetL3Ref for ruleSetUuid), never in another resource's table."""
        if not (table.endswith("RefInventory") or table in collections):
            return False
        stems = {s.param: re.sub(r"Uuids?$", "", s.param).lower() for s in sides}
        return all(s.inventory or any(p and p in table and stems[s.param] in p.lower() for p in phrases)
                   for s in sides)

    def _foreign_key(self, sides: list[Side], exact: bool) -> Link | None:
        """A link held by a key on one side: a field named as the other side's parameter (``exact``:
        VolumeInventory.vmInstanceUuid), else one that names the other side's inventory."""
        if len(sides) != 2:
            return None
        for holder, other in (sides, sides[::-1]):
            if holder.inventory is None or holder.inventory not in self.store.specs:
                continue
            if exact:
                m = {other.param: other.field} if other.field in self.store.specs[holder.inventory].kinds \
                    and other.field != "uuid" else None
            else:
                m = self._match(holder.inventory, [other])
            if m:
                return Link("fk", holder.inventory, [Side(holder.param, holder.inventory, "uuid"),
                                                     Side(other.param, other.inventory, m[other.param])],
                            holder=holder.param)
        return None

    # --- carrying out ------------------------------------------------------------------------
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
