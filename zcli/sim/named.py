"""Delete*/Remove* calls whose path is not their resource's own: the resource their name names.

``DeleteSecurityGroupRule ruleUuids=...`` deletes security group rules, ``RemoveAccessControlListEntry``
(``DELETE /access-control-lists/{aclUuid}/ipentries/{uuid}``) deletes that entry of that list. The
resource is found by the API's whole name (never a shorter tail of it: ``DeleteVmNicFromSecurityGroup``
names no ``SecurityGroup`` to delete), and the uuid parameter by what it names (``uuid``, or the one
uuid parameter of that kind, or the single list of uuids). The path's other variables must agree with
the row (the entry belongs to that list), or the call is refused: nothing else is ever deleted.
"""

from __future__ import annotations

import re

from zcli.sim.naming import Names, as_list
from zcli.sim.refs import LinkFailure


class NamedDeletes:
    def __init__(self, catalog, store, writer):
        self.store = store
        self.writer = writer
        self.names = Names(catalog, store.specs)

    def target(self, api) -> tuple[str, str] | None:
        """(inventory, uuid parameter) of a Delete*/Remove* that names its resource, else None."""
        verb = "Delete" if api.name.startswith("Delete") else "Remove" if api.name.startswith("Remove") else None
        if verb is None or api.method not in ("DELETE", "PUT", "POST") or re.search(r"[a-z](From|To)[A-Z]", api.name):
            return None
        noun = self.names.exact_noun(api.name[len(verb):])
        lists = [p for p in api.params if p.required and p.name.endswith("Uuids")]
        if noun is None and len(lists) == 1:
            noun = self.names.param_inventory(lists[0].name, lists[0].resource)
        if noun is None or "uuid" not in self.store.specs[noun].kinds:
            return None
        path_vars = re.findall(r"{(\w+)}", api.path)
        for p in api.params:
            named = p.name in ("uuid", "uuids") or self.names.param_inventory(p.name, p.resource) == noun
            if named and (not path_vars or path_vars[-1] == p.name or p.location != "path"):
                return noun, p.name
        if len(lists) == 1:
            return noun, lists[0].name
        return None

    def run(self, api, params: dict):
        noun, param = self.target(api)
        values = as_list(params.get(param))
        if not values:
            raise LinkFailure(f"missing mandatory field[{param}]")
        kinds = self.store.specs[noun].kinds
        owners = {v: params[v] for v in re.findall(r"{(\w+)}", api.path) if v != param and v in kinds}
        for value in values:
            found = self.store.inventories(noun, "uuid = ?", [value], depth=0)
            if not found:
                continue  # already gone: as the server, a delete of nothing succeeds
            for field, owner in owners.items():
                if found[0].get(field) != owner:
                    raise LinkFailure(f"{noun.removesuffix('Inventory')}[uuid:{value}] does not belong to "
                                      f"{field}[{owner}]")
        for value in values:
            self.writer.delete(noun, value)
        return None
