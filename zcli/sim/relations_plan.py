"""How a link the built-in planner (:mod:`zcli.sim.refs_plan`) cannot place is held: the planning half of
:mod:`zcli.sim.relations` (see there for what each holder means).

The sides are every uuid parameter of the API, required or not, each resolved to an inventory by, in order:
its ``resourceType`` or name stem; the words of its stem (``hostGroupUuid``: host, group) or, for ``uuid``,
of the path segment before it (``/affinity-groups/{g}/vm-instances/{uuid}``: vm, instance), found among the
inventories the API's name and reply name; a nested collection of another side named as the parameter
(``slaveUuids`` → HostNetworkBonding's ``slaves``, HostNetworkInterface rows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zcli.catalog.errors import UnknownName
from zcli.sim.naming import verb_of
from zcli.sim.refs_model import ATTACH_VERBS, DETACH_VERBS

_SKIP = {"systemTags", "userTags", "resourceUuid", "tagUuids"}


def words(name: str) -> list[str]:
    """``hostGroupUuid`` → host, group; ``IPsecL3NetworkRef`` → ipsec, l3, network, ref (singular)."""
    name = re.sub(r"(Uuids?|Inventory)$", "", name)
    found = re.findall(r"[A-Z]?[a-z0-9]+|[A-Z0-9]+(?![a-z])", name.replace("-", " ").replace("_", " "))
    return [_singular(w.lower()) for w in found]


def first_word(name: str) -> str:
    """The leading word of a name, its capitals kept together: IPsecL3NetworkRef → ipsec, VpcSharedQos → vpc."""
    m = re.match(r"[A-Z0-9]*[a-z0-9]*", name)
    return (m.group(0) if m else name).lower()


def named_by(want: list[str], inventory: str) -> bool:
    """Every word of ``want`` is in the inventory's name (``ipsec`` in IPsecConnection)."""
    low = inventory.lower()
    return bool(want) and all(w in low for w in want)


def _singular(w: str) -> str:
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith(("ss", "us")) and len(w) > 3:
        return w[:-1]
    return w


@dataclass
class End:
    param: str
    inventory: str
    many: bool  # a list parameter


@dataclass
class Relation:
    """A link between an owner and its members, and where it is kept.

    kind: ``rows`` (a table of pairs: ``table``, ``owner_field``, ``member_field``, ``type_field`` for a
    resourceUuid/resourceType pair), ``list`` (the owner's list field ``owner_field``: uuids, or the members'
    inventories), ``fk`` (the member's key ``member_field``), ``store`` (the simulator's relation table),
    ``values`` (rows of ``table`` holding a value of the owner, ``member_field``, that is no resource).
    """

    kind: str
    owner: End
    member: End
    table: str | None = None
    owner_field: str | None = None
    member_field: str | None = None
    type_field: str | None = None
    mirror: str | None = None  # the owner's list field that shows the rows (AffinityGroup.usages)
    member_mirror: str | None = None  # the member's (CCSCertificateUserRef rows: none on the user)

    def describe(self) -> str:
        o, m = self.owner.inventory.removesuffix("Inventory"), self.member.inventory.removesuffix("Inventory")
        if self.kind == "rows":
            return f"{self.table.removesuffix('Inventory')} rows link {o} and {m}" + \
                (f" (shown in {o}.{self.mirror})" if self.mirror else "")
        if self.kind == "values":
            return f"{self.table.removesuffix('Inventory')} rows hold the {self.member_field} values of {o}" + \
                (f" (shown in {o}.{self.mirror})" if self.mirror else "")
        if self.kind == "list":
            return f"{o}.{self.owner_field} lists its {m}s"
        if self.kind == "fk":
            return f"sets {m}.{self.member_field} to the {o}"
        return f"the simulator's relation table links {o} and {m} (the catalogue holds no field for it)"


class RelationPlanner:
    """Mixed into :class:`~zcli.sim.relations.Relations`: needs ``catalog``, ``store``, ``names``, ``writer``."""

    def _link_api(self, api) -> bool:
        verb = verb_of(api.name)
        if verb not in ATTACH_VERBS and verb not in DETACH_VERBS:
            return False
        if verb == "Delete" and not self.catalog.has_api("Add" + api.name[6:].replace("From", "To", 1)):
            return False  # DeleteExportedImageFromBackupStorage undoes an export, not a link
        return bool(re.search(r"[a-z0-9](To|From)[A-Z]", api.name))

    def _pool(self, api) -> list[str]:
        """Inventories the API's name and reply name, the candidates for a parameter named by words."""
        rest = api.name[len(verb_of(api.name)):]
        parts = re.split(r"(?<=[a-z0-9])(?:To|From)(?=[A-Z])", rest, maxsplit=1)
        out = []
        for part in parts:
            single = re.sub(r"(ies|s)$", lambda x: "y" if x.group(1) == "ies" else "", part)
            for found in (self.names.exact_noun(part), self.names.exact_noun(single), self.names.noun(single)):
                if found and found not in out:
                    out.append(found)
        reply, _ = self.names.reply_inventory(api)
        if reply and reply not in out:
            out.append(reply)
        return out

    def ends(self, api) -> list[End]:
        """Every uuid parameter of ``api`` with the inventory it names (those that name none left out)."""
        pool = self._pool(api)
        out: list[End] = []
        unresolved = []
        for p in api.params:
            if p.name in _SKIP or not (p.name == "uuid" or re.search(r"Uuids?$", p.name)):
                continue
            inv = None if p.name == "uuid" else self.names.param_inventory(p.name, p.resource)
            if inv is not None and inv not in pool and not p.resource:
                # certificateUuid on AttachCCSCertificateToUser is the CCSCertificate the name says.
                inv = next((i for i in pool if i.endswith(inv) and i != inv), inv)
            if inv is None or inv not in self.store.specs:
                want = self._path_words(api, p.name) if p.name == "uuid" else words(p.name)
                taken = {e.inventory for e in out}
                inv = next((i for i in pool if i not in taken and named_by(want, i)), None)
                if inv is None and p.name == "uuid":
                    # /vpc/virtual-routers/{uuid}/dns: the resource the reply holds, else the path's.
                    reply = self.names.reply_inventory(api)[0]
                    inv = next((i for i in (reply, self.writer.inventory_of(api))
                                if i and i not in taken and i in self.store.specs), None)
            many = p.kind == "list" or p.name.endswith("Uuids")
            if inv is None:
                unresolved.append((p.name, many))
            else:
                out.append(End(p.name, inv, many))
        for name, many in unresolved:
            stem = name.removesuffix("Uuids").removesuffix("Uuid")
            for e in list(out):
                target = self._collection(e.inventory, stem)
                if target:
                    out.append(End(name, target, many))
                    break
        return out

    def _path_words(self, api, param: str) -> list[str]:
        segs = [s for s in api.path.split("/") if s]
        mark = "{" + param + "}"
        if mark in segs:
            i = segs.index(mark)
            for seg in reversed(segs[:i]):
                if not seg.startswith("{"):
                    return words(seg)
        return []

    def _collection(self, inv: str, stem: str) -> str | None:
        try:
            links = self.catalog.links(inv)
        except UnknownName:
            return None
        for link in links.values():
            if link.kind == "collection" and _singular(link.name.lower()) == _singular(stem.lower()):
                return link.target
        return None

    # --- where the link is kept --------------------------------------------------------------
    def place(self, api) -> Relation | None:
        verb = verb_of(api.name)
        if verb in DETACH_VERBS and verb not in ATTACH_VERBS:
            counterpart = DETACH_VERBS[verb] + api.name[len(verb):].replace("From", "To", 1)
            if self.catalog.has_api(counterpart):
                found = self.place(self.catalog.api(counterpart))
                if found is not None:
                    return self._rename(api, found)
        ends = self.ends(api)
        if len(ends) == 2:
            return self._between(*ends)
        if len(ends) == 1:
            return self._values(api, ends[0])
        return None

    def _rename(self, api, rel: Relation) -> Relation | None:
        """The counterpart's relation under this API's parameter names (by the inventory each names)."""
        mine = {e.inventory: e for e in self.ends(api)}
        if rel.kind == "values":
            owner = mine.get(rel.owner.inventory)
            value = next((p.name for p in api.params if p.required and p.name not in _SKIP
                          and p.name != (owner.param if owner else None)), None)
            if owner is None or value is None:
                return None
            return Relation(**{**rel.__dict__, "owner": owner, "member": End(value, rel.member.inventory, False)})
        owner, member = mine.get(rel.owner.inventory), mine.get(rel.member.inventory)
        if owner is None and member is not None and rel.kind == "rows":
            # DetachCCSCertificateFromUser names the user only: the same rows, seen from the other side.
            return Relation("rows", member, End("", rel.owner.inventory, True), rel.table, rel.member_field,
                            rel.owner_field, None, rel.member_mirror, rel.mirror)
        if owner is None:
            return None
        if member is None:
            # RemoveVmFromAffinityGroup's ``uuid`` (a query parameter) is the VM its Add names in its path.
            rest = [p for p in api.params if p.name not in _SKIP and p.name != owner.param
                    and (p.name == "uuid" or re.search(r"Uuids?$", p.name))]
            if len(rest) == 1:
                member = End(rest[0].name, rel.member.inventory, rest[0].kind == "list")
        return Relation(**{**rel.__dict__, "owner": owner, "member": member or End("", rel.member.inventory, True)})

    def _between(self, a: End, b: End) -> Relation | None:
        for owner, member in ((a, b), (b, a)):
            found = self._rows(owner, member)
            if found:
                return found
        for owner, member in ((a, b), (b, a)):
            found = self._list_field(owner, member) or self._fk(owner, member)
            if found:
                return found
        if a.inventory in self.store.specs and b.inventory in self.store.specs:
            # Neither side nor any table holds it: the group-like side (named first in the path) owns it.
            return Relation("store", a, b)
        return None

    def _field_for(self, table: str, field: str, end: End) -> bool:
        if field == "uuid":
            return False
        if field == end.param.removesuffix("s") or field == end.param:
            return True
        if not field.endswith("Uuid") or field == "uuid":
            return False
        named = self.names.param_inventory(field)
        if named is not None:
            return named == end.inventory or end.inventory in self.writer.line(named) \
                or named in self.writer.line(end.inventory)
        return named_by(words(field), end.inventory)  # IPsecL3NetworkRef.connectionUuid

    def _rows(self, owner: End, member: End) -> Relation | None:
        first = first_word(owner.inventory)
        best = None
        for table, spec in self.store.specs.items():
            if table in (owner.inventory, member.inventory) or first_word(table) != first:
                continue
            tw = words(table)
            if not any(w in tw for w in ("ref", "usage")):
                continue
            of = next((f for f in spec.kinds if self._field_for(table, f, owner)), None)
            mf = next((f for f in spec.kinds if f != of and self._field_for(table, f, member)), None)
            tf = None
            if mf is None and "resourceUuid" in spec.kinds and "resource" not in tw:
                # A usage of any resource (AffinityGroupUsage); never an ownership table (AccountResourceRef).
                mf, tf = "resourceUuid", "resourceType" if "resourceType" in spec.kinds else None
            if of is None or mf is None:
                continue
            score = (mf == "resourceUuid", len(table))
            if best is None or score < best[0]:
                best = (score, Relation("rows", owner, member, table, of, mf, tf, self._mirror(owner.inventory, table),
                                        self._mirror(member.inventory, table)))
        return best[1] if best else None

    def _mirror(self, owner: str, table: str) -> str | None:
        """The owner's list field that shows the rows of ``table``, when no catalogue link fills it."""
        spec = self.store.specs.get(owner)
        if spec is None:
            return None
        tw = set(words(table))
        for f, kind in spec.kinds.items():
            if kind == "list" and f not in spec.fills and set(words(f)) <= tw:
                return f
        return None

    def _list_field(self, owner: End, member: End) -> Relation | None:
        spec = self.store.specs.get(owner.inventory)
        if spec is None:
            return None
        mw = words(member.inventory)
        wanted = {f"attached{w.title()}Uuids" for w in mw} | {f"attached{w.title()}s" for w in mw[-1:]}
        wanted |= {member.param if member.param.endswith("Uuids") else member.param + "s"}
        for f in spec.kinds:
            if spec.kinds[f] == "list" and f not in spec.fills and f in wanted:
                return Relation("list", owner, member, owner.inventory, f)
        return None

    def _fk(self, owner: End, member: End) -> Relation | None:
        try:
            links = self.catalog.links(owner.inventory)
        except UnknownName:
            return None
        for link in links.values():
            if link.kind == "collection" and link.target == member.inventory and link.source_key == "uuid" \
                    and link.target_key in self.store.specs[member.inventory].kinds:
                return Relation("fk", owner, member, member.inventory, None, link.target_key)
        return None

    def _values(self, api, owner: End) -> Relation | None:
        """Add<Value>To<X> / Remove<Value>From<X>: rows of a table named for X and the value, holding X's key
        and the value (VpcRouterDns: vpcRouterUuid, dns; CephPrimaryStorageMon: primaryStorageUuid, hostname)."""
        if owner.many or owner.inventory not in self.store.specs:
            return None
        value = next((p for p in api.params if p.required and p.name not in _SKIP and p.name != owner.param
                      and p.kind in ("string", "list")), None)
        m = re.match(r"[A-Z][a-z]+([A-Z][A-Za-z0-9]*?)(?:To|From)[A-Z]", api.name)
        if value is None or not m:
            return None
        vw = words(m.group(1))[-1]
        first = first_word(owner.inventory)
        for table, spec in self.store.specs.items():
            tw = words(table)
            if table == owner.inventory or first_word(table) != first or tw[-1] != vw:
                continue
            key = next((f for f in spec.kinds if f.endswith("Uuid") and self._field_for(table, f, owner)), None)
            field = self._value_field(spec.kinds, value.name)
            if key and field:
                return Relation("values", owner, End(value.name, table, value.kind == "list"), table, key, field,
                                None, self._mirror(owner.inventory, table))
        return None

    @staticmethod
    def _value_field(kinds: dict, name: str) -> str | None:
        single = re.sub(r"(List|s)$", "", name)
        for tail in [name, single, *[t[:1].lower() + t[1:] for t in re.findall(r"[A-Z][a-z0-9]*", single)]]:
            if tail in kinds and tail != "uuid":
                return tail
        return None
