"""Hybrid-cloud calls: the management node's inventories and the remote cloud (:mod:`zcli.sim.remote`) together.

One mechanism for the shapes the hybrid and NAS families share, driven by the catalogue (the inventory a path
names, the reply's inventory) and by :mod:`zcli.sim.hybrid_model`:

* **create** (``Create*`` of a family, ``CreateHybridEip``, ``CreateEcsInstanceFromEcsImage``...): the remote
  object, with a remote id minted deterministically, and its local inventory; the server's checks (what it
  names exists, the remote refuses a bucket name taken or a vSwitch CIDR outside its VPC's);
* **import** (``Add*FromRemote``, ``AddAliyunNas*``): the local inventory of a remote object that exists,
  refused when the remote has none of that id or it is already added;
* **delete remote** (``Delete*Remote``, ``Delete*FromRemote``, ``DeleteEcsInstance``): both sides; refused, as
  Aliyun refuses (``DependencyViolation``), while other objects live under it; the objects that belong to it
  (a VPC's router and route entries, a group's rules) go with it;
* **delete local** (``Delete*Local``, ``DeleteAllEcsInstancesFromDataCenter``...): the local inventory only, with
  the local inventories placed in it (a VPC's vSwitches, a zone's instances); a later sync brings them back;
* **sync** (``Sync*FromRemote``): the family's local inventories under the resource named (a data center, a
  VPC, a router...) reconciled with the remote: what the remote has and the local lacks is added, what is
  gone removed, the rest updated, all stamped; the reply lists them.

Actions on remote objects (power, attach...) are in :mod:`zcli.sim.hybrid_actions`, reads of the remote and
backups in :mod:`zcli.sim.hybrid_reads`.
"""

from __future__ import annotations

import ipaddress

from zcli.sim.failures import argerr
from zcli.sim.hybrid_actions import Actions
from zcli.sim.hybrid_model import (
    DC,
    FAMILIES,
    family_of,
    find,
    local_uuid,
    one,
    path_of,
    region_of,
    rid_of,
    to_local,
    to_remote,
    under,
)
from zcli.sim.hybrid_reads import fail
from zcli.sim.naming import Names
from zcli.sim.remote import Remote

#: Objects that belong to their parent on the remote: deleted with it, never a reason to refuse.
_OWNED = {"VpcVirtualRouter", "VpcVirtualRouteEntry", "EcsSecurityGroupRule", "AliyunNasAccessRule"}
#: Delete* nouns that are not an inventory's name.
_NOUNS = {"AliyunNasAccessGroupRule": "AliyunNasAccessRuleInventory", "AliyunKeySecret": "HybridAccountInventory",
          "ConnectionBetweenL3NetWorkAndAliyunVSwitch": "ConnectionRelationShipInventory",
          "HybridKeySecret": "HybridAccountInventory", "AliyunMountTarget": "AliyunNasMountTargetInventory"}
#: Replies of a parent kind whose hybrid child the call makes (CreateAliyunNasFileSystem answers a NasFileSystem).
_CHILD = {"NasFileSystemInventory": "AliyunNasFileSystemInventory",
          "NasMountTargetInventory": "AliyunNasMountTargetInventory"}
_SUFFIXES = ("FromRemote", "Remote", "InLocal", "FromLocal", "Local")
_HYBRID = ("/hybrid", "/nas")


class Hybrid:
    kind = "hybrid"
    before = True

    def __init__(self, catalog, store, writer):
        self.catalog = catalog
        self.store = store
        self.writer = writer
        self.remote = Remote(store)
        self.names = Names(catalog, store.specs)
        self.actions = Actions(self)

    # --- planning ----------------------------------------------------------------------------
    def plan(self, api) -> str | None:
        found = self._shape(api)
        return found[1] if found else None

    def _shape(self, api) -> tuple[str, str] | None:
        name, path = api.name, api.path
        if not path.startswith(_HYBRID):
            return None
        action = self.actions.plan(api)
        if action:
            return "action", action
        reply, many = self.names.reply_inventory(api)
        reply = _CHILD.get(reply, reply)
        if name.startswith("Add") and family_of(reply) and not many:
            return "import", f"adds the {reply.removesuffix('Inventory')} the remote cloud has"
        if name.startswith("Create") and api.method == "POST" and family_of(reply) and not many:
            return "create", f"creates the remote {reply.removesuffix('Inventory')} and its local inventory"
        target = self.target(api)
        if name.startswith("Update") and target and "uuid" in {p.name for p in api.params} \
                and "Password" not in name and "op" not in {p.name for p in api.params}:
            where = "the remote object and its local inventory" if family_of(target) else "the local inventory"
            return "update", f"applies its fields to {where} ({target.removesuffix('Inventory')})"
        if name.startswith("Sync") and "Remote" in name and family_of(target):
            return "sync", f"reconciles the local {target.removesuffix('Inventory')} inventories with the remote"
        if api.method == "DELETE" and target:
            if (family_of(target) and ("Remote" in name or path.startswith("/nas"))) or name == "DeleteEcsInstance":
                return "delete-remote", f"deletes the remote {target.removesuffix('Inventory')} and its inventory"
            if name.endswith(("Local", "InLocal", "FromLocal")) or name in ("DeleteAliyunKeySecret",
                                                                            "DeleteConnectionBetweenL3NetWorkAndAliyunVSwitch"):
                keeps = " (the remote keeps it)" if family_of(target) else ""
                return "delete-local", f"deletes the local {target.removesuffix('Inventory')}{keeps}"
        if name == "DeleteAllEcsInstancesFromDataCenter":
            return "delete-local", "deletes the data center's local EcsInstance inventories (the remote keeps them)"
        return None

    def target(self, api) -> str | None:
        """The inventory an API acts on: the one its path names, else the noun of its name."""
        inv = self.writer.inventory_of(api)
        if inv and (family_of(inv) or inv in self.store.specs):
            return inv
        noun = api.name
        for verb in ("Delete", "Sync", "Update"):
            noun = noun.removeprefix(verb)
        for suffix in _SUFFIXES:
            noun = noun.removesuffix(suffix)
        noun = _NOUNS.get(noun, noun + "Inventory")
        return noun if noun in self.store.specs else None

    def run(self, api, params: dict):
        shape = self._shape(api)[0]
        if shape == "action":
            return self.actions.run(api, params)
        if shape == "import":
            return self.reply(api, self.import_(api, params))
        if shape == "create":
            reply = self.names.reply_inventory(api)[0]
            row = self.create(_CHILD.get(reply, reply), params)
            return self.reply(api, self.writer._get(reply, row["uuid"]) if reply != _CHILD.get(reply, reply) else row)
        if shape == "update":
            inv = self.target(api)
            fam = family_of(inv)
            self.get(inv, params.get("uuid"))
            changes = self.fields(fam, params) if fam else {k: v for k, v in params.items() if k != "password"}
            for k in (*(fam.born if fam else ()), "resourceUuid"):
                if k not in params:
                    changes.pop(k, None)
            row = self.writer.update(inv, params["uuid"], changes)
            if fam:
                self.publish(fam, row)
            return self.reply(api, row)
        if shape == "sync":
            rows = self.sync(self.target(api), *self.scope(api, params))
            return {api.reply_key or "inventories": rows} if self.names.reply_types(api) else None
        if api.name == "DeleteAllEcsInstancesFromDataCenter":
            dc = self.get(DC, params.get("uuid"))
            fam = FAMILIES["EcsInstanceInventory"]
            for row in self.store.inventories(fam.inv, depth=0):
                if under(self.store, fam, row, dc["uuid"]):
                    self.forget(fam.inv, row["uuid"])
            return None
        inv = self.target(api)
        row = one(self.store, inv, params.get("uuid"))
        if row is None:
            return None  # deleting what is gone succeeds, as the server's deletes do
        if shape == "delete-remote":
            self.delete_remote(inv, row)
        else:
            self.forget(inv, row["uuid"])
        return None

    def forget(self, inv: str, uuid_: str) -> None:
        """Delete a local inventory and, as the server's cascade does, the local inventories placed in it (a
        VPC's vSwitches and groups, a zone's instances and disks...); the remote keeps all of them."""
        for fam in FAMILIES.values():
            if fam.up and inv in fam.up[1]:
                for child in self.store.inventories(fam.inv, f'"{fam.up[0]}" = ?', [uuid_], depth=0):
                    self.forget(fam.inv, child["uuid"])
        self.writer.delete(inv, uuid_)

    def reply(self, api, row: dict):
        key = self.names.reply_key(api) or api.reply_key
        return {key: row} if key else None

    def scope(self, api, params: dict) -> tuple[str, str]:
        """(parameter, uuid) of the resource a sync reconciles under."""
        for p in api.params:
            if p.required and (p.name == "uuid" or p.name.endswith("Uuid")):
                return p.name, params.get(p.name)
        raise argerr(f"{api.name} names no resource to sync under")

    # --- helpers -----------------------------------------------------------------------------
    def get(self, inv: str, uuid_: str | None) -> dict:
        row = one(self.store, inv, uuid_)
        if row is None:
            raise argerr(f"invalid field[uuid], resource[uuid:{uuid_}, type:{inv}] is not found")
        return row

    def place(self, fam, row: dict) -> tuple[str, str, str]:
        """(region, remote id, path) of a local row."""
        region = region_of(self.store, fam, row)
        if region is None:
            raise argerr(f"{fam.kind}[uuid:{row.get('uuid')}] belongs to no data center")
        return region, rid_of(fam, row, self.store), path_of(self.store, fam, row)

    def publish(self, fam, row: dict) -> dict:
        """Write the remote twin of a local row."""
        region, rid, path = self.place(fam, row)
        self.remote.put(fam.kind, region, rid, path, to_remote(self.store, fam, row))
        return row

    def fields(self, fam, params: dict) -> dict:
        kinds = self.store.specs[fam.inv].kinds
        out = {k: v for k, v in fam.born.items()}
        for k, v in params.items():
            k = fam.aliases.get(k, k)
            if k in kinds and v is not None and k not in ("uuid", "password"):
                out[k] = v
        if params.get("resourceUuid"):
            out["resourceUuid"] = params["resourceUuid"]
        return out

    # --- create ------------------------------------------------------------------------------
    def create(self, inv: str, params: dict) -> dict:
        fam = FAMILIES[inv]
        row = self.fields(fam, params)
        for name, invs in fam.all_refs().items():
            if row.get(name) not in (None, "") and find(self.store, invs, row[name])[1] is None:
                raise argerr(f"invalid field[{name}], resource[uuid:{row[name]}, type:{invs[0]}] is not found")
        self.actions.derive(fam, row, params)
        if fam.up and not row.get(fam.up[0]):
            raise argerr(f"missing mandatory field[{fam.up[0]}]")
        region = region_of(self.store, fam, row)
        if region is None:
            raise argerr(f"the {fam.kind} names no data center")
        if fam.rid and not row.get(fam.rid):
            row[fam.rid] = self.remote.mint(fam.prefix, region, fam.kind, 20 if fam.prefix else 10)
        rid = rid_of(fam, row, self.store)
        if self.remote.get(fam.kind, region, rid) is not None:
            raise fail("ResourceAlreadyExists", f"the {fam.kind}[{rid}] already exists in {region}")
        created = self.writer.create(inv, row)
        self.publish(fam, created)
        self.actions.born(fam, created, params)
        return self.writer._get(inv, created["uuid"])

    # --- import ------------------------------------------------------------------------------
    def import_(self, api, params: dict) -> dict:
        inv = self.names.reply_inventory(api)[0]
        inv = _CHILD.get(inv, inv)
        fam = FAMILIES[inv]
        row = self.fields(fam, params)
        key = row.get(fam.rid) or params.get({"name": "groupName"}.get(fam.rid, ""))
        if not key:
            raise argerr(f"missing mandatory field[{fam.rid}]")
        within = {}
        if fam.inv == DC:
            region = key
        else:
            for name, invs in fam.all_refs().items():
                if row.get(name):
                    tinv, target = find(self.store, invs, row[name])
                    if target is None:
                        raise argerr(f"invalid field[{name}], resource[uuid:{row[name]}, type:{invs[0]}] is not found")
                    within[tinv] = target["uuid"]
            region = region_of(self.store, fam, row)
        body = self.remote.get(fam.kind, region, key) if region else None
        if body is None:
            raise fail("InvalidParameter.NotFound", f"the {fam.kind}[{key}] does not exist in region[{region}]")
        for r in self.store.inventories(inv, f'"{fam.rid}" = ?', [key], depth=0):
            if fam.inv == DC or (fam.up and r.get(fam.up[0]) == row.get(fam.up[0])):
                raise argerr(f"the {fam.kind}[{key}] is already added as [uuid:{r['uuid']}]")
        local = {**to_local(self.store, fam, body, within), **{k: v for k, v in row.items() if v not in (None, "")}}
        local[fam.rid] = key
        return self.writer.create(inv, local)

    # --- delete ------------------------------------------------------------------------------
    def delete_remote(self, inv: str, row: dict) -> None:
        fam = FAMILIES[inv]
        region, rid, _ = self.place(fam, row)
        children = self.remote.children(region, rid)
        blocking = [(k, r) for k, r in children if k not in _OWNED]
        if blocking:
            kind, child = blocking[0]
            raise fail(f"DependencyViolation.{kind}", f"the {fam.kind}[{rid}] still has {kind}[{child}]")
        for kind, child in children:
            self.remote.remove(kind, region, child)
            cfam = FAMILIES.get(kind + "Inventory")
            uuid_ = local_uuid(self.store, (cfam.inv,), child) if cfam else None
            if uuid_:
                self.writer.delete(cfam.inv, uuid_)
        self.remote.remove(fam.kind, region, rid)
        self.actions.gone(fam, row)
        self.writer.delete(inv, row["uuid"])

    # --- sync --------------------------------------------------------------------------------
    def sync(self, inv: str, param: str, scope_uuid: str | None) -> list[dict]:
        fam = FAMILIES[inv]
        kinds = (inv, DC, *self._ancestors(fam))
        scope_inv, scope = find(self.store, kinds, scope_uuid)
        if scope is None:
            names = ", ".join(k.removesuffix("Inventory") for k in kinds)
            raise argerr(f"invalid field[{param}], resource[uuid:{scope_uuid}] is not found (one of: {names})")
        sfam = FAMILIES[scope_inv]
        region, scope_rid, _ = self.place(sfam, scope)
        if scope_inv == inv:
            body = self.remote.get(fam.kind, region, scope_rid)
            remote = [(scope_rid, body)] if body is not None else []
        else:
            remote = self.remote.items(fam.kind, region, None if scope_inv == DC else scope_rid)
        within = {scope_inv: scope["uuid"]}
        local = {rid_of(fam, r, self.store): r for r in self.store.inventories(inv, depth=0)
                 if under(self.store, fam, r, scope["uuid"])}
        now = self.writer.now()
        kept = []
        for rid, body in remote:
            fields = to_local(self.store, fam, body, within)
            if fam.rid:
                fields[fam.rid] = rid
            mine = local.pop(rid, None)
            if mine is None and fam.rid:  # known locally under another parent's uuid (one synced back anew)
                found = local_uuid(self.store, (inv,), rid)
                mine = one(self.store, inv, found) if found else None
            if mine is None:
                kept.append(self.writer.create(inv, fields)["uuid"])
            else:
                changes = {k: v for k, v in fields.items() if k not in fam.local and v is not None}
                self.writer.update(inv, mine["uuid"], {**changes, "lastOpDate": now})
                kept.append(mine["uuid"])
        for rid, gone in local.items():
            if rid is not None:
                self.forget(inv, gone["uuid"])
        return [self.writer._get(inv, u) for u in kept]

    def _ancestors(self, fam) -> list[str]:
        out, todo = [], [fam]
        while todo:
            f = todo.pop()
            for inv in (f.up[1] if f.up else ()):
                if inv not in out:
                    out.append(inv)
                    todo.append(FAMILIES[inv])
        return out


def cidr_inside(inner: str, outer: str) -> bool:
    try:
        return ipaddress.ip_network(inner, strict=False).subnet_of(ipaddress.ip_network(outer, strict=False))
    except (ValueError, TypeError):
        return False
