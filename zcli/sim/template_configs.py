"""Global configuration templates: a template's values applied to the global configs, reset, reverted.

Closed source; the facts are the reference's inventories: GlobalConfigTemplate (a template) and TemplateConfig
(its entries: category, name, value, defaultValue). What the simulator chose:

* ``ApplyTemplateConfig``: each entry's value (checked as UpdateGlobalConfig checks it) becomes the global
  config's value; the values they replace are kept, for a revert;
* ``RevertTemplateConfig``: the global configs get back the values the last apply replaced (refused when the
  template was not applied);
* ``ResetTemplateConfig``: the template's entries get back their default values (the global configs are
  not touched until the template is applied again).
"""

from __future__ import annotations

from zcli.sim.acting import Family
from zcli.sim.configs import check_value
from zcli.sim.failures import operr

_TEMPLATE = "GlobalConfigTemplateInventory"
_ENTRY = "TemplateConfigInventory"
_GLOBAL = "GlobalConfigInventory"


class TemplateConfigs(Family):
    kind = "config templates"

    def table(self) -> dict:
        return {"ApplyTemplateConfig": ("the template's values become the global configs'", self.apply),
                "RevertTemplateConfig": ("the global configs the last apply changed get their values back",
                                         self.revert),
                "ResetTemplateConfig": ("the template's entries get back their defaults", self.reset)}

    def _entries(self, params: dict) -> tuple[dict, list[dict]]:
        template = self.get(_TEMPLATE, params.get("templateUuid"), "templateUuid")
        entries = self.rows(_ENTRY, "templateUuid = ?", [template["uuid"]])
        if not entries:
            raise operr(f"the template[uuid:{template['uuid']}] has no configuration")
        return template, entries

    def _set(self, category: str, name: str, value: str) -> None:
        self.set_where(_GLOBAL, {"value": value}, "category = ? AND name = ?", [category, name])

    def apply(self, params: dict):
        template, entries = self._entries(params)
        before = {}
        for e in entries:
            found = self.rows(_GLOBAL, "category = ? AND name = ?", [e.get("category"), e.get("name")])
            if not found:
                raise operr(f"Unable to find GlobalConfig[category: {e.get('category')}, name: {e.get('name')}]")
            value = e.get("value") if e.get("value") is not None else e.get("defaultValue")
            before[f"{e['category']}/{e['name']}"] = found[0].get("value")
            check_value(e["category"], e["name"], str(value if value is not None else ""))
        for e in entries:
            value = e.get("value") if e.get("value") is not None else e.get("defaultValue")
            self._set(e["category"], e["name"], str(value))
        self.remember(template["uuid"], "replaced", before)
        return None

    def revert(self, params: dict):
        template, _ = self._entries(params)
        before = self.recall(template["uuid"], "replaced")
        if not before:
            raise operr(f"the template[uuid:{template['uuid']}] was not applied: there is nothing to revert")
        for key, value in before.items():
            category, name = key.split("/", 1)
            self._set(category, name, value)
        self.remember(template["uuid"], "replaced", {})
        return None

    def reset(self, params: dict):
        template, entries = self._entries(params)
        for e in entries:
            self.set_where(_ENTRY, {"value": e.get("defaultValue")}, "templateUuid = ? AND category = ? AND name = ?",
                           [template["uuid"], e.get("category"), e.get("name")])
        return None
