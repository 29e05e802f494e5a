"""Set*/Update*/Change*: the call's parameters applied to the resource it names.

The resource is the one the API's uuid parameter names (``uuid``, or ``vmNicUuid`` for ChangeVmNicState...),
of the inventory the reply holds or the API's name names. Each parameter that is a field of that inventory
is written to it (``stateEvent`` becomes its ``state``: enable → Enabled, maintain → Maintenance...). A
parameter the inventory has no field for is a setting the server keeps beside the resource, as a system
tag (``SetVmHostname hostname=web-1`` → ``hostname::web-1`` on the VM, so that ``__systemTag__`` queries and
the matching Get* read find it). A call that names no resource, or that would change nothing, is refused.
"""

from __future__ import annotations

import re
import uuid as uuidlib

from zcli.sim.naming import Names, as_list, verb_of
from zcli.sim.refs import LinkFailure, _now

STATE_EVENTS = {"enable": "Enabled", "disable": "Disabled", "maintain": "Maintenance",
                "preMaintain": "PreMaintenance", "ready": "Ready", "start": "Running", "stop": "Stopped"}
#: Parameters that are never a setting of the resource.
_NOT_SETTINGS = {"systemTags", "userTags", "resourceUuid", "tagUuids", "force", "deleteMode"}


def setting_name(api_name: str, inventory: str | None) -> str:
    """``SetVmHostname`` on a VM → ``hostname``; ``SetL3NetworkMtu`` → ``mtu``."""
    rest = api_name[len(verb_of(api_name)):]
    nouns = [inventory.removesuffix("Inventory")] if inventory else []
    nouns += ["VmInstance", "Vm", "Image", "Volume", "Host", "Nic"]
    for noun in nouns:
        if rest.startswith(noun) and len(rest) > len(noun):
            rest = rest[len(noun):]
            break
    return rest[:1].lower() + rest[1:]


class Setters:
    def __init__(self, catalog, store, writer):
        self.catalog = catalog
        self.store = store
        self.writer = writer
        self.names = Names(catalog, store.specs)

    def target(self, api) -> tuple[str, str] | None:
        """(parameter, inventory) of the resource the call acts on, or None."""
        reply, many = self.names.reply_inventory(api)
        reply = None if many else reply
        first = self.names.prefix_noun(api.name)
        params = self.names.uuid_params(api)
        named = {self.names.param_inventory(p.name, p.resource) for p in params if p.name != "uuid"}
        for p in params:
            if p.name == "uuid":
                # The name's own noun, unless another parameter names that kind (SetVmInstanceDefaultCdRom's
                # vmInstanceUuid: its uuid is the CD-ROM the reply holds).
                order = (first, reply) if first not in named else (reply,)
                inv = next((i for i in (*order, self.writer.inventory_of(api))
                            if i and "uuid" in self.store.specs.get(i, _Empty).kinds), None)
                if inv:
                    return p.name, inv
        for want in (reply, first):
            for p in params:
                if want and self.names.param_inventory(p.name, p.resource) == want and not p.name.endswith("Uuids") \
                        and "uuid" in self.store.specs[want].kinds:
                    return p.name, want
        if first is not None:
            # chassisUuid on PowerOnBaremetalChassis: a parameter named for the last word of the name's noun.
            for p in params:
                stem = re.sub(r"Uuid$", "", p.name)
                if p.required and stem != p.name and first.removesuffix("Inventory").lower().endswith(stem.lower()) \
                        and "uuid" in self.store.specs[first].kinds:
                    return p.name, first
        if reply is not None:
            return None  # the reply names the resource, and no parameter names one of its kind: refuse to guess
        for p in params:
            inv = self.names.param_inventory(p.name, p.resource)
            if p.required and inv and not p.name.endswith("Uuids") and "uuid" in self.store.specs[inv].kinds:
                return p.name, inv
        return None

    def run(self, api, params: dict):
        found = self.target(api)
        param, inv = found
        key = params.get(param)
        if key in (None, ""):
            raise LinkFailure(f"missing mandatory field[{param}]")
        row = self.writer._get(inv, key)
        kinds = self.store.specs[inv].kinds
        changes, settings = {}, {}
        for p in api.params:
            name = p.name
            if name == param or name in _NOT_SETTINGS or params.get(name) is None:
                continue
            value = params[name]
            if name in ("stateEvent", "statusEvent"):
                target = "state" if name == "stateEvent" else "status"
                if target in kinds:
                    changes[target] = STATE_EVENTS.get(str(value), str(value))
                    continue
            if name in kinds and name != "uuid":
                changes[name] = value
            elif not p.password:
                settings[name] = value
        if not changes and not settings and not any(p.password for p in api.params if params.get(p.name)):
            raise LinkFailure(f"{api.name} names nothing to change on {inv.removesuffix('Inventory')}[uuid:{key}]")
        if changes:
            row = self.writer.update(inv, key, changes)
        if settings:
            self._keep_settings(api, inv, key, settings)
        return self._reply(api, inv, row, params)

    def unsettable(self, api) -> bool:
        """A Delete<X><Setting> whose Set<X><Setting> keeps the setting (DeleteVmHostname, DeleteVolumeQos)."""
        if not api.name.startswith("Delete"):
            return False
        counterpart = "Set" + api.name[len("Delete"):]
        return self.catalog.has_api(counterpart) and self.target(api) is not None

    def unset(self, api, params: dict):
        """Forget a setting: its kept system tags, and the field of its name where the inventory has one."""
        param, inv = self.target(api)
        key = params.get(param)
        if key in (None, ""):
            raise LinkFailure(f"missing mandatory field[{param}]")
        self.writer._get(inv, key)
        setting = setting_name(api.name, inv)
        with self.store.transaction() as cur:
            cur.execute('DELETE FROM "SystemTagInventory" WHERE resourceUuid = ? AND tag LIKE ? ESCAPE \'\\\'',
                        (key, _like_prefix(f"{setting}::")))
        if setting in self.store.specs[inv].kinds:
            self.writer.update(inv, key, {setting: None})
        return None

    def _keep_settings(self, api, inv: str, key: str, settings: dict) -> None:
        setting = setting_name(api.name, inv)
        now = _now()
        rtype = inv.removesuffix("Inventory") + "VO"
        with self.store.transaction() as cur:
            for name, value in settings.items():
                text = ",".join(as_list(value)) if isinstance(value, list) else str(value).lower() \
                    if isinstance(value, bool) else str(value)
                prefix = f"{setting}::" if name.lower() == setting.lower() else f"{setting}::{name}::"
                cur.execute('DELETE FROM "SystemTagInventory" WHERE resourceUuid = ? AND tag LIKE ? ESCAPE \'\\\'',
                            (key, _like_prefix(prefix)))
                row = {"uuid": uuidlib.uuid4().hex, "resourceUuid": key, "resourceType": rtype, "tag": prefix + text,
                       "type": "System", "inherent": False, "createDate": now, "lastOpDate": now}
                self.store.insert_many(cur, "SystemTagInventory", [row])

    def _reply(self, api, inv: str, row: dict, params: dict):
        key = self.names.reply_key(api)
        if not key:
            types = self.names.reply_types(api)
            return {k: params.get(k, row.get(k)) for k in types if params.get(k, row.get(k)) is not None} or None
        reply, many = self.names.reply_inventory(api)
        if reply == inv or (reply and inv in self.writer.line(reply)):
            return {key: [row] if many else self.writer._get(reply, row["uuid"])}
        if reply:
            for f, v in row.items():
                if f.endswith("Uuid") and v and self.names.param_inventory(f) == reply:
                    return {key: self.writer._get(reply, v)}
            return {key: [] if many else {}}
        types = self.names.reply_types(api)
        return {k: params.get(k, row.get(k)) for k in types if params.get(k, row.get(k)) is not None}


def read_setting(store, resource_uuid: str, setting: str, name: str) -> str | None:
    """A setting kept by a Set* call on a resource (see :class:`Setters`), or None when never set."""
    for prefix in (f"{setting}::{name}::", f"{setting}::") if name.lower() != setting.lower() else (f"{setting}::",):
        _, rows = store.read('SELECT tag FROM "SystemTagInventory" WHERE resourceUuid = ? AND tag LIKE ? '
                             "ESCAPE '\\' ORDER BY rowid DESC LIMIT 1", (resource_uuid, _like_prefix(prefix)))
        if rows:
            value = rows[0][0][len(prefix):]
            if "::" not in value or prefix.count("::") > 1:
                return value
    return None


def _like_prefix(prefix: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", prefix) + "%"


class _Empty:
    kinds: dict[str, str] = {}  # noqa: RUF012 (never written)


__all__ = ["STATE_EVENTS", "Setters", "read_setting", "setting_name"]
