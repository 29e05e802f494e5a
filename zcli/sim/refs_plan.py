"""How an attach/detach API's link is held: the planning half of :mod:`zcli.sim.refs` (see there).

A link is found only in a reference table (``...Ref``) or a nested collection of one of its sides, or as a
key on one side named for the other; a side of no known kind only in a table named for it. Never in
another resource's own table.
"""

from __future__ import annotations

import re

from zcli.catalog.errors import UnknownName
from zcli.sim.naming import verb_of
from zcli.sim.refs_model import ATTACH_VERBS, DETACH_VERBS, Link, Side, singular


class LinkPlanner:
    """Mixed into :class:`~zcli.sim.refs.Links`: needs ``catalog``, ``store``, ``names`` and the caches."""

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
            sides.append(Side(p.name, inv, singular(p.name)))
        if len(sides) == 1:
            # An optional list of the other side (AttachVipToVpcSharedQos vipUuids) is the second side then.
            for p in self.names.uuid_params(api):
                inv = self.names.param_inventory(p.name, p.resource)
                if not p.required and p.name.endswith("Uuids") and inv and inv != sides[0].inventory:
                    sides.append(Side(p.name, inv, singular(p.name)))
                    break
        named = {s.inventory for s in sides}
        for s in sides:
            if s.inventory is None and s.param == "uuid":
                s.inventory = next((n for n in (first, second) if n and n not in named), first)
            elif s.inventory is None:
                # projectUuid on AttachIAM2ProjectToIAM2Organization: the phrase of the name it stands for.
                for phrase in self._phrases(api):
                    if _words_in(s.param, phrase) and self.names.exact_noun(phrase):
                        s.inventory = self.names.exact_noun(phrase)
                        break
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
            if s.field in kinds and s.field not in out.values() and s.field != "uuid" and self._same_kind(table, s):
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

    def _same_kind(self, table: str, s: Side) -> bool:
        """A field named as the side's parameter holds that side: its own kind agrees, or, when the field's
        kind is unknown, the table is named for the side (MonitorGroupTemplateRef.templateUuid is a monitor
        template, not AttachAutoScalingTemplateToGroup's)."""
        if s.inventory is None:
            return True
        kind = self._field_inventory(table, s.field)
        if kind is not None:
            return kind == s.inventory or s.inventory in self.writer.line(kind) or kind in self.writer.line(s.inventory)
        return s.inventory.removesuffix("Inventory") in table

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
            except UnknownName:  # an inventory named only as a type
                continue
            out.update(link.target for link in links.values() if link.kind == "collection")
            spec = self.store.specs.get(inv)
            if spec is not None:
                out.update(f.target for f in spec.fills.values() if f.many)
        return out

    def _may_hold(self, table: str, sides: list[Side], phrases: list[str], collections: set[str]) -> bool:
        """A reference table (``...Ref``) or a nested collection of a side; a side of no known kind only in a
        table named for it (PolicyRouteRuleSetL3Ref for ruleSetUuid), never in another resource's table."""
        base = table.removesuffix("Inventory")
        # A table named for both sides (AlarmAction for AddActionToAlarm, MonitorGroupInstance) links them too.
        joined = len(phrases) == 2 and base in (phrases[0] + phrases[1], phrases[1] + phrases[0])
        if not (table.endswith("RefInventory") or table in collections or joined):
            return False
        return all(s.inventory or any(p and p in table and _words_in(s.param, p) for p in phrases) for s in sides)

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


def _words_in(param: str, phrase: str) -> bool:
    """``mdevSpecUuid`` and ``MdevDeviceSpec``: every word of the parameter's stem is a word of the phrase."""
    stem = re.sub(r"Uuids?$", "", param)
    words = [w.lower() for w in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", stem)]
    have = {w.lower() for w in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", phrase)}
    return bool(words) and all(w in have for w in words)
