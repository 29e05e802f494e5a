"""Global and resource configurations, as the server keeps them.

The 310 global configurations of the open-source server (``zcli/sim/data/global_configs.json``, built by
``scripts/build_catalog.py`` from the reference) fill the ``GlobalConfigInventory`` table, so that
QueryGlobalConfig answers them all. UpdateGlobalConfig checks the value against the configuration's Java
type and valid values (the server's messages); ResetGlobalConfig puts every default back.

A configuration bound to resource types (``@BindResourceConfig``) can be set per resource with
UpdateResourceConfig (a ``ResourceConfigInventory`` row), read with GetResourceConfig(s), queried with
QueryResourceConfig and removed with DeleteResourceConfig. A resource's effective value is its own
resource config, else the nearest one up its chain (VM → host → cluster → zone, counting only the types
the configuration is bound to), else the global value.
"""

from __future__ import annotations

import json
import re
import uuid as uuidlib
from functools import cache
from pathlib import Path

from zcli.sim.failures import Failure, argerr

_DATA = Path(__file__).with_name("data") / "global_configs.json"
_GLOBAL = "GlobalConfigInventory"
_RESOURCE = "ResourceConfigInventory"
#: How a resource's chain goes up: the field of the row that names the next resource, and its type.
_UP = (("hostUuid", "HostVO"), ("clusterUuid", "ClusterVO"), ("zoneUuid", "ZoneVO"))
_LEVEL = {"VmInstanceVO": 0, "HostVO": 1, "ClusterVO": 2, "ZoneVO": 3}


@cache
def definitions() -> dict[tuple[str, str], dict]:
    """(category, name) → the configuration: default, type, description, validValues, resourceTypes."""
    out = {}
    for category, name, default, type_, desc, values, types in json.loads(_DATA.read_text(encoding="utf-8"))["configs"]:
        out[(category, name)] = {"default": default, "type": type_, "description": desc, "values": values,
                                 "types": types}
    from zcli.sim.logincontrol import premium_definitions  # login control's premium configs

    return {**premium_definitions(), **out}


def seed(store) -> int:
    """Fill the global configuration table of a new database; how many rows."""
    if store.count(_GLOBAL):
        return 0
    rows = [{"id": i, "category": c, "name": n, "description": d["description"], "defaultValue": d["default"],
             "value": d["default"]} for i, ((c, n), d) in enumerate(sorted(definitions().items()), start=1)]
    with store.transaction() as cur:
        store.insert_many(cur, _GLOBAL, rows)
    return len(rows)


def check_value(category: str, name: str, value: str) -> str:
    """``value`` as the configuration's type accepts it (the server's GlobalConfig validation), else SYS.1007."""
    d = definitions()[(category, name)]
    kind = d["type"]
    where = f"GlobalConfig[category:{category}, name:{name}]"
    if kind in ("Integer", "Long"):
        bits = 31 if kind == "Integer" else 63
        ok = re.fullmatch(r"[+-]?\d{1,19}", value) is not None and -(1 << bits) <= int(value) < (1 << bits)
        if not ok:
            raise argerr(f"{where} is of type {kind}, the value[{value}] cannot be converted to that type, "
                         f'For input string: "{value}"')
    elif kind == "Double":
        try:
            float(value)
        except ValueError:
            raise argerr(f"{where} is of type {kind}, the value[{value}] cannot be converted to that type, "
                         f'For input string: "{value}"') from None
    elif kind == "Boolean" and value.lower() not in ("true", "false"):
        raise argerr(f"{where}'s value[{value}] is not a valid boolean string[true, false].")
    if d["values"] and value not in d["values"]:
        raise argerr(f"{value} is not a valid value. Valid values are {d['values']}")
    return value


class Configs:
    """The configuration APIs against the writer's store."""

    PLAN = "configurations: the server's 310 global configs, type-checked; per-resource values up the chain"

    def __init__(self, writer):
        self.writer = writer
        self.store = writer.store

    def handlers(self) -> dict:
        return {"UpdateGlobalConfig": self.update_global, "ResetGlobalConfig": self.reset_global,
                "GetGlobalConfigOptions": self.options, "UpdateResourceConfig": self.update_resource,
                "GetResourceConfig": self.get_resource, "GetResourceConfigs": self.get_resources,
                "DeleteResourceConfig": self.delete_resource, "GetResourceBindableConfig": self.bindable,
                "UpdateResourceConfigs": self.update_resources}

    # --- global --------------------------------------------------------------------------------
    def _definition(self, category: str, name: str, message: str = "Unable to find GlobalConfig[category: {c}, "
                    "name: {n}]") -> dict:
        d = definitions().get((category, name))
        if d is None:
            raise argerr(message.format(c=category, n=name))
        return d

    def _row(self, category: str, name: str) -> dict:
        found = self.store.inventories(_GLOBAL, "category = ? AND name = ?", [category, name], limit=1, depth=0)
        if not found:
            raise argerr(f"Unable to find GlobalConfig[category: {category}, name: {name}]")
        return found[0]

    def global_value(self, category: str, name: str) -> str:
        return self._row(category, name).get("value", "")

    def update_global(self, api, params: dict, account=None):
        category, name = params["category"], params["name"]
        self._definition(category, name)
        value = check_value(category, name, str(params.get("value") if params.get("value") is not None else ""))
        with self.store.transaction() as cur:
            cur.execute(f'UPDATE "{_GLOBAL}" SET value = ? WHERE category = ? AND name = ?', (value, category, name))
        return self.writer._reply(api, self._row(category, name))

    def reset_global(self, api, params: dict, account=None):
        with self.store.transaction() as cur:
            cur.execute(f'UPDATE "{_GLOBAL}" SET value = defaultValue')
        return None

    def options(self, api, params: dict, account=None):
        d = self._definition(params["category"], params["name"])
        return {"options": {"validValue": d["values"], "type": d["type"], "defaultValue": d["default"]}}

    def bindable(self, api, params: dict, account=None):
        category = params.get("category")
        out = [{"category": c, "name": n, "description": d["description"], "bindResourceTypes": d["types"]}
               for (c, n), d in sorted(definitions().items()) if d["types"] and (not category or c == category)]
        return {"bindableConfigs": out}

    # --- per resource --------------------------------------------------------------------------
    def _bindable(self, category: str, name: str) -> dict:
        d = self._definition(category, name, "no global config[category:{c}, name:{n}] found")
        if not d["types"]:
            raise argerr(f"global config[category:{category}, name:{name}] cannot bind resource")
        return d

    def _resource(self, resource_uuid: str) -> tuple[str, dict]:
        """The VO type and row of the resource with that uuid (SYS.1006 when there is none)."""
        from zcli.sim.tags import resource_type_of

        try:
            rtype = resource_type_of(self.writer, resource_uuid)
        except Failure:
            raise Failure("SYS.1006", "An operation failed", f"cannot find resource[uuid: {resource_uuid}]") from None
        table = self.writer.table_of(rtype)
        return rtype, self.store.inventories(table, "uuid = ?", [resource_uuid], limit=1, depth=0)[0]

    def chain(self, resource_uuid: str) -> list[tuple[str, str]]:
        """(uuid, VO type) of the resource and the ones above it, nearest first: VM → host → cluster → zone."""
        rtype, row = self._resource(resource_uuid)
        out = [(resource_uuid, rtype)]
        level = _LEVEL.get(rtype, 0)
        while True:
            for field, up in _UP:
                if _LEVEL[up] > level and row.get(field):
                    table = self.writer.table_of(up)
                    found = self.store.inventories(table, "uuid = ?", [row[field]], limit=1, depth=0) if table else []
                    if found:
                        out.append((row[field], up))
                        row, level = found[0], _LEVEL[up]
                        break
            else:
                return out

    def _configs_of(self, category: str, name: str, uuids: list[str]) -> dict[str, dict]:
        marks = ", ".join("?" * len(uuids))
        rows = self.store.inventories(_RESOURCE, f"category = ? AND name = ? AND resourceUuid IN ({marks})",
                                      [category, name, *uuids], depth=0)
        return {r["resourceUuid"]: r for r in rows}

    def effective(self, category: str, name: str, resource_uuid: str) -> tuple[str, list[dict]]:
        """The effective value for a resource, and the resource configs on its chain (nearest first)."""
        d = self._bindable(category, name)
        chain = [(u, t) for u, t in self.chain(resource_uuid) if t in d["types"]]
        found = self._configs_of(category, name, [u for u, _ in chain]) if chain else {}
        effective = [found[u] for u, _ in chain if u in found]
        value = effective[0]["value"] if effective else self.global_value(category, name)
        return value, effective

    def _checked(self, category: str, name: str, ruuid: str, value) -> tuple[str, str, dict]:
        """(resource type, value, definition) of a new per-resource value, checked as the interceptor does."""
        d = self._bindable(category, name)
        rtype, _ = self._resource(ruuid)
        if rtype not in d["types"]:
            raise Failure("SYS.1006", "An operation failed",
                          f"ResourceConfig [category:{category}, name:{name}] cannot bind to resourceType: {rtype}")
        return rtype, check_value(category, name, str(value if value is not None else "")), d

    def update_resource(self, api, params: dict, account=None):
        category, name, ruuid = params["category"], params["name"], params["resourceUuid"]
        return self.writer._reply(api, self._set(category, name, ruuid, *self._checked(category, name, ruuid,
                                                                                        params.get("value"))))

    def update_resources(self, api, params: dict, account=None):
        """UpdateResourceConfigs: every entry is checked before any is set (the interceptor), then each is set,
        and the reply holds, per entry, the name, the effective value and the configs on the chain."""
        ruuid, entries = params["resourceUuid"], params.get("resourceConfigs") or []
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise argerr("resourceConfigs must be a list of {category, name, value}")
        checked = [(str(e.get("category", "")), str(e.get("name", "")),
                    self._checked(str(e.get("category", "")), str(e.get("name", "")), ruuid, e.get("value")))
                   for e in entries]
        out = []
        for category, name, (rtype, value, d) in checked:
            self._set(category, name, ruuid, rtype, value, d)
            effective_value, effective = self.effective(category, name, ruuid)
            out.append({"name": name, "value": effective_value, "effectiveConfigs": effective})
        return {"inventories": out}

    def _set(self, category: str, name: str, ruuid: str, rtype: str, value: str, d: dict) -> dict:
        mine = self._configs_of(category, name, [ruuid]).get(ruuid)
        if mine:
            made = self.writer.update(_RESOURCE, mine["uuid"], {"value": value})
        else:
            row = {"uuid": uuidlib.uuid4().hex, "resourceUuid": ruuid, "resourceType": rtype, "category": category,
                   "name": name, "value": value, "description": d["description"]}
            row["createDate"] = row["lastOpDate"] = self.writer.now()
            with self.store.transaction() as cur:
                self.store.insert_many(cur, _RESOURCE, [row])
            made = self.writer._get(_RESOURCE, row["uuid"])
        return made

    def get_resource(self, api, params: dict, account=None):
        value, effective = self.effective(params["category"], params["name"], params["resourceUuid"])
        return {"value": value, "effectiveConfigs": effective}

    def get_resources(self, api, params: dict, account=None):
        names = params.get("names") or []
        names = [n for n in (names.split(",") if isinstance(names, str) else names) if n]
        configs = []
        for name in names:
            value, effective = self.effective(params["category"], name, params["resourceUuid"])
            configs.append({"name": name, "value": value, "effectiveConfigs": effective})
        return {"configs": configs}

    def delete_resource(self, api, params: dict, account=None):
        category, name, ruuid = params["category"], params["name"], params["resourceUuid"]
        self._bindable(category, name)
        mine = self._configs_of(category, name, [ruuid]).get(ruuid)
        if mine:
            self.writer.delete(_RESOURCE, mine["uuid"])
        return None
