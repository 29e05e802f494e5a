"""Links the built-in attach/detach (:mod:`zcli.sim.refs`) cannot place, kept where the catalogue shows them.

:mod:`zcli.sim.refs` finds a link in a ``...Ref`` table, a nested collection or a key named for the other
side. Many links are kept otherwise, and this mechanism (joined through ``generic.MORE``) carries them out:

* **rows** of a table named for the owner that holds both sides, though not named ``...Ref`` or with a
  field named otherwise (AffinityGroupUsage: affinityGroupUuid, resourceUuid/resourceType;
  IPsecL3NetworkRef.connectionUuid; VpcSharedQosRefVip; CCSCertificateUserRef; ScsiLunHostRef). When the
  owner has a list field the catalogue does not fill that names those rows (AffinityGroup.usages,
  IPsecConnection.l3NetworkRefs, VpcSharedQos.vips), it is kept equal to them after every change;
* the owner's **list field** of the members (BareMetal2ProvisionNetwork.attachedClusterUuids,
  TicketFlowCollection.ticketTypeUuids, AutoScalingGroup.attachedTemplates: uuids for a ``...Uuids`` field,
  the members' inventories otherwise);
* the member's **key** behind the owner's nested collection (HostNetworkBonding.slaves:
  HostNetworkInterface.bondingUuid);
* **values** of the owner in a table named for both (VpcRouterDns: vpcRouterUuid, dns;
  CephPrimaryStorageMon: primaryStorageUuid, hostname);
* else, when both sides are resources and nothing in the catalogue holds the pair (host and VM scheduling
  rule groups, RoleAccountRefVO, which has no inventory), the simulator's own **relation table**
  (``_sim_relations``): the link is found again by its detach and refused when repeated.

The server's checks: each side exists, both are in the same host and zone when both have one, an attach is
not already there (a NIC already in another bonding is refused), a detach names a link that exists, except
where the server's handler removes what it finds and succeeds (DetachRoleFromAccount: RoleBase hard-deletes;
RemoveMonFromCephPrimaryStorage: CephPrimaryStorageBase removes the mons found).
"""

from __future__ import annotations

import uuid as uuidlib

from zcli.sim.failures import Failure, argerr
from zcli.sim.naming import Names, as_list, verb_of
from zcli.sim.refs import Links
from zcli.sim.refs_model import ATTACH_VERBS
from zcli.sim.relations_plan import Relation, RelationPlanner
from zcli.sim.tables import q

_STORE = "_sim_relations"
#: Detaches the server carries out whatever is linked (the handler removes what it finds: see the docstring).
_LENIENT = {"DetachRoleFromAccount", "RemoveMonFromCephPrimaryStorage", "RemoveMonFromCephBackupStorage"}
_SCOPES = ("hostUuid", "zoneUuid")
#: Families with semantics of their own elsewhere: remote clouds; IAM2 memberships (zcli/sim's identity modules).
_OTHERS = ("Remote", "IAM2")


class Relations(RelationPlanner):
    kind = "relation"
    before = True

    def __init__(self, catalog, store, writer):
        self.catalog = catalog
        self.store = store
        self.writer = writer
        self.names = Names(catalog, store.specs)
        self.builtin = Links(catalog, store, writer)
        self._plans: dict[str, Relation | None] = {}
        self._kept: list[Relation] | None = None
        writer.forgetters.append(self.forget)
        with store.transaction() as cur:
            cur.execute(f"CREATE TABLE IF NOT EXISTS {_STORE} (relation TEXT, owner TEXT, member TEXT, "
                        "createDate TEXT, PRIMARY KEY (relation, owner, member))")

    def relation(self, api) -> Relation | None:
        if api.name not in self._plans:
            found = None
            if self._link_api(api) and not any(w in api.name for w in _OTHERS) \
                    and api.category not in ("hybrid", "nas") \
                    and not (self.builtin.is_link_api(api) and self.builtin.plan(api) is not None):
                found = self.place(api)
            if found is not None and found.table and api.method == "POST" \
                    and self.writer._create_target(api, self.writer.inventory_of(api)) == found.table:
                found = None  # the generic create already writes the row (AddEmailAddressToSNSEmailEndpoint)
            self._plans[api.name] = found
        return self._plans[api.name]

    def plan(self, api) -> str | None:
        rel = self.relation(api)
        return rel.describe() if rel else None

    # --- carrying out ------------------------------------------------------------------------
    def run(self, api, params: dict):
        rel = self.relation(api)
        attach = verb_of(api.name) in ATTACH_VERBS
        owners = as_list(params.get(rel.owner.param))
        if not owners:
            raise argerr(f"missing mandatory field[{rel.owner.param}]")
        if rel.kind == "values":
            members = as_list(params.get(rel.member.param))
        else:
            members = as_list(params.get(rel.member.param)) if rel.member.param else []
        self._check(rel.owner.param, rel.owner.inventory, owners)
        if rel.kind != "values":
            self._check(rel.member.param, rel.member.inventory, members)
        if attach and not members:
            raise argerr(f"missing mandatory field[{rel.member.param}]")
        touched: list[str] = []
        for o in owners:
            if attach:
                self._scope(rel, o, members)
                self._attach(api, rel, o, members, params)
                touched += members
            else:
                touched += self._detach(api, rel, o, members)
            if rel.mirror:
                self._refresh(rel.owner.inventory, rel.owner_field, rel.mirror, rel, o)
        if rel.member_mirror:
            for m in dict.fromkeys(touched):
                self._refresh(rel.member.inventory, rel.member_field, rel.member_mirror, rel, m)
        return self._reply(api, rel, owners, members)

    def _check(self, param: str, inv: str, values: list[str]) -> None:
        if inv not in self.store.specs or "uuid" not in self.store.specs[inv].kinds:
            return
        for v in values:
            if not self.store.count(inv, "uuid = ?", [v]):
                raise argerr(f"invalid field[{param}], resource[uuid:{v}, type:{inv.replace('Inventory', 'VO')}] "
                             "is not found")

    def _scope(self, rel: Relation, owner: str, members: list[str]) -> None:
        """Both sides in the same host and zone, when both have one; the members of an owner that has none
        all in one (a bonding's NICs are one host's)."""
        if rel.kind == "values":
            return
        mine = dict(self._row(rel.owner.inventory, owner))
        if rel.kind == "fk":
            for m in self._linked(rel, owner):
                theirs = self._row(rel.member.inventory, m)
                for f in _SCOPES:
                    mine.setdefault(f, theirs.get(f))
        for m in members:
            theirs = self._row(rel.member.inventory, m)
            for f in _SCOPES:
                if rel.kind == "fk" and not mine.get(f):
                    mine[f] = theirs.get(f)
                if mine.get(f) and theirs.get(f) and mine[f] != theirs[f]:
                    raise Failure("SYS.1007", "One or more API argument is invalid",
                                  f"{rel.member.inventory.removesuffix('Inventory')}[uuid:{m}] is in "
                                  f"{f.removesuffix('Uuid')}[uuid:{theirs[f]}], not in the "
                                  f"{rel.owner.inventory.removesuffix('Inventory')}'s {f.removesuffix('Uuid')}"
                                  f"[uuid:{mine[f]}]")

    def _row(self, inv: str, uuid_: str) -> dict:
        if inv not in self.store.specs or "uuid" not in self.store.specs[inv].kinds:
            return {}
        found = self.store.inventories(inv, "uuid = ?", [uuid_], limit=1, depth=0)
        return found[0] if found else {}

    def _attach(self, api, rel: Relation, owner: str, members: list[str], params: dict) -> None:
        name = rel.owner.inventory.removesuffix("Inventory")
        linked = set(self._linked(rel, owner))
        for m in members:
            if m in linked:
                raise argerr(f"{rel.member.param}[{m}] is already attached to {name}[uuid:{owner}]")
        now = self.writer.now()
        if rel.kind == "list":
            current = self._list(rel, owner)
            add = members if rel.owner_field.endswith("Uuids") \
                else [self._row(rel.member.inventory, m) for m in members]
            self.writer.update(rel.owner.inventory, owner, {rel.owner_field: current + add})
        elif rel.kind == "fk":
            for m in members:
                held = self._row(rel.member.inventory, m).get(rel.member_field)
                if held:
                    raise argerr(f"{rel.member.inventory.removesuffix('Inventory')}[uuid:{m}] already belongs to "
                                 f"{name}[uuid:{held}]; detach it first")
            for m in members:
                self.writer.update(rel.member.inventory, m, {rel.member_field: owner})
        elif rel.kind == "store":
            with self.store.transaction() as cur:
                cur.executemany(f"INSERT INTO {_STORE} VALUES (?, ?, ?, ?)",
                                [(self._key(rel), owner, m, now) for m in members])
        else:
            spec = self.store.specs[rel.table]
            rows = []
            for m in members:
                row = {k: v for k, v in params.items() if k in spec.kinds and not isinstance(v, (list, dict))}
                row.update({rel.owner_field: owner, rel.member_field: m, "createDate": now, "lastOpDate": now})
                if rel.type_field:
                    row[rel.type_field] = rel.member.inventory.replace("Inventory", "VO")
                if "uuid" in spec.kinds:
                    row["uuid"] = uuidlib.uuid4().hex
                elif "id" in spec.kinds:
                    row["id"] = self._next_id(rel.table) + len(rows)
                rows.append(row)
            with self.store.transaction() as cur:
                for t in self.writer.line(rel.table):
                    self.store.insert_many(cur, t, rows)

    def _detach(self, api, rel: Relation, owner: str, members: list[str]) -> list[str]:
        linked = self._linked(rel, owner)
        name = rel.owner.inventory.removesuffix("Inventory")
        if not members:
            members = linked
            if not members and api.name not in _LENIENT:
                raise argerr(f"nothing is attached to {name}[uuid:{owner}]")
        missing = [m for m in members if m not in linked]
        if missing and api.name not in _LENIENT:
            raise argerr(f"{rel.member.param or 'member'}[{missing[0]}] is not attached to {name}[uuid:{owner}]")
        gone = [m for m in members if m in linked]
        if rel.kind == "list":
            keep = [v for v in self._list(rel, owner) if (v if isinstance(v, str) else v.get("uuid")) not in gone]
            self.writer.update(rel.owner.inventory, owner, {rel.owner_field: keep})
            return gone
        elif rel.kind == "fk":
            for m in gone:
                self.writer.update(rel.member.inventory, m, {rel.member_field: None})
            return gone
        elif rel.kind == "store":
            with self.store.transaction() as cur:
                cur.executemany(f"DELETE FROM {_STORE} WHERE relation = ? AND owner = ? AND member = ?",
                                [(self._key(rel), owner, m) for m in gone])
            return gone
        else:
            with self.store.transaction() as cur:
                for t in self.writer.family(rel.table):
                    if {rel.owner_field, rel.member_field} <= set(self.store.specs[t].kinds):
                        cur.executemany(f"DELETE FROM {q(t)} WHERE {q(rel.owner_field)} = ? AND "
                                        f"{q(rel.member_field)} = ?", [(owner, m) for m in gone])
        return gone

    def _linked(self, rel: Relation, owner: str) -> list[str]:
        """The members linked to ``owner`` now (values, for a ``values`` relation)."""
        if rel.kind == "list":
            return [v if isinstance(v, str) else v.get("uuid") for v in self._list(rel, owner)]
        if rel.kind == "fk":
            _, rows = self.store.read(f"SELECT uuid FROM {q(rel.table)} WHERE {q(rel.member_field)} = ?", [owner])
        elif rel.kind == "store":
            _, rows = self.store.read(f"SELECT member FROM {_STORE} WHERE relation = ? AND owner = ? ORDER BY rowid",
                                      [self._key(rel), owner])
        else:
            _, rows = self.store.read(f"SELECT {q(rel.member_field)} FROM {q(rel.table)} "
                                      f"WHERE {q(rel.owner_field)} = ? ORDER BY rowid", [owner])
        return [r[0] for r in rows]

    def _list(self, rel: Relation, owner: str) -> list:
        value = self._row(rel.owner.inventory, owner).get(rel.owner_field)
        return list(value) if isinstance(value, list) else []

    @staticmethod
    def _key(rel: Relation) -> str:
        return f"{rel.owner.inventory}:{rel.member.inventory}"

    def _next_id(self, table: str) -> int:
        _, rows = self.store.read(f"SELECT MAX(id) FROM {q(table)}")
        return (rows[0][0] or 0) + 1

    def _refresh(self, inv: str, key: str, field: str, rel: Relation, uuid_: str) -> None:
        """Keep ``inv``'s list ``field`` equal to the rows of the relation's table that name it."""
        if not self.store.count(inv, "uuid = ?", [uuid_]):
            return
        rows = self.store.inventories(rel.table, f"{q(key)} = ?", [uuid_], order="rowid", depth=0)
        self.writer.update(inv, uuid_, {field: rows})

    def _reply(self, api, rel: Relation, owners: list[str], members: list[str]):
        if not api.reply_key:
            return None
        inv, many = self.names.reply_inventory(api)
        uuids: list[str] = []
        for end, ids in ((rel.owner, owners), (rel.member, members)):
            if inv and (inv == end.inventory or inv in self.writer.line(end.inventory)
                        or end.inventory in self.writer.line(inv)):
                uuids = ids
                break
        items = [self._row(inv, u) for u in uuids] if inv else []
        items = [i for i in items if i]
        if inv and items:
            items = [self.writer._get(inv, i["uuid"]) for i in items]
        if many:
            return {api.reply_key: items}
        return {api.reply_key: items[0] if items else {}}

    # --- a deleted resource leaves its links ------------------------------------------------
    def _same(self, a: str, b: str) -> bool:
        return a in self.writer.line(b) or b in self.writer.line(a)

    def _relations(self) -> list[Relation]:
        """Every relation the catalogue's link APIs keep here, once (what a delete must clean)."""
        if self._kept is None:
            seen, out = set(), []
            for name in self.catalog.api_names:
                api = self.catalog.api(name)
                rel = self.relation(api) if self._link_api(api) else None
                key = rel and (rel.kind, rel.table, rel.owner_field, rel.member_field, rel.owner.inventory)
                if rel is not None and rel.kind in ("rows", "list", "fk", "values") and key not in seen:
                    seen.add(key)
                    out.append(rel)
            self._kept = out
        return self._kept

    def forget(self, inv: str, uuid_: str) -> None:
        """Remove what links ``uuid_`` (of kind ``inv``, about to be deleted), as the server's foreign keys
        cascade: relation table entries, usage/ref rows (and the mirrors that showed them), list entries; a
        member's key is cleared (a deleted bonding's interfaces stay, free), never its row deleted."""
        with self.store.transaction() as cur:
            cur.execute(f"DELETE FROM {_STORE} WHERE owner = ? OR member = ?", (uuid_, uuid_))
        for rel in self._relations():
            if rel.kind == "list" and self._same(inv, rel.member.inventory):
                field = rel.owner_field
                _, rows = self.store.read(f"SELECT uuid FROM {q(rel.owner.inventory)} WHERE {q(field)} LIKE ?",
                                          [f"%{uuid_}%"])
                for (owner,) in rows:
                    keep = [v for v in self._list(rel, owner) if (v if isinstance(v, str) else v.get("uuid")) != uuid_]
                    self.writer.update(rel.owner.inventory, owner, {field: keep})
            elif rel.kind == "fk" and self._same(inv, rel.owner.inventory):
                with self.store.transaction() as cur:
                    for t in self.writer.family(rel.table):
                        if rel.member_field in self.store.specs[t].kinds:
                            cur.execute(f"UPDATE {q(t)} SET {q(rel.member_field)} = NULL "
                                        f"WHERE {q(rel.member_field)} = ?", (uuid_,))
            elif rel.kind in ("rows", "values"):
                self._forget_rows(rel, inv, uuid_)

    def _forget_rows(self, rel: Relation, inv: str, uuid_: str) -> None:
        sides = [(rel.owner_field, rel.owner.inventory, rel.member_field, rel.member.inventory, rel.member_mirror)]
        if rel.kind == "rows":
            sides.append((rel.member_field, rel.member.inventory, rel.owner_field, rel.owner.inventory, rel.mirror))
        for field, kind, other, other_kind, mirror in sides:
            if not (self._same(inv, kind) or (field == "resourceUuid" and rel.type_field)):
                continue
            _, rows = self.store.read(f"SELECT {q(other)} FROM {q(rel.table)} WHERE {q(field)} = ?", [uuid_])
            if not rows:
                continue
            with self.store.transaction() as cur:
                cur.execute(f"DELETE FROM {q(rel.table)} WHERE {q(field)} = ?", (uuid_,))
            if mirror:
                for (o,) in rows:
                    self._refresh(other_kind, other, mirror, rel, o)

    def linked(self, owner_inventory: str, member_inventory: str, owner: str) -> list[str]:
        """Members kept in the relation table for ``owner`` (for reads of a relation the catalogue does not show)."""
        _, rows = self.store.read(f"SELECT member FROM {_STORE} WHERE relation = ? AND owner = ? ORDER BY rowid",
                                  [f"{owner_inventory}:{member_inventory}", owner])
        return [r[0] for r in rows]
