"""Turn entries in the reference format (``zstack-api.json``) into zcli's compact catalogue records.

Used by ``scripts/build_catalog.py`` for the committed catalogue and at run time for a user's own
catalogue files (see README, "Newer servers"), so that both go through one normalisation.
"""

from __future__ import annotations

import re
from typing import Any

_PARAM_KEYS = {
    "type": "type",
    "required": "required",
    "validValues": "values",
    "numberRange": "range",
    "maxLength": "maxLength",
    "minLength": "minLength",
    "in": "in",
    "password": "password",
    "desc": "desc",
    "since": "since",
    "resourceType": "resource",
    "nonempty": "nonempty",
}


def _drop_empty(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v not in (None, False, "", [], {})}


def category_of(path: str) -> str:
    """The API's category: the first segment of its REST path (``ai/<second>`` for the AI family).

    The reference's own ``category`` is missing for most APIs and mixes languages, so the path,
    which every API has, gives one uniform grouping (``vm-instances``, ``hosts``, ``ai/model-services``).
    """
    segments = [s for s in path.split("/") if s and not s.startswith("{")]
    if not segments or segments[0] == "null":
        return "other"
    if segments[0] == "ai" and len(segments) > 1:
        return "ai/" + segments[1]
    return segments[0]


def compact_param(p: dict[str, Any]) -> dict[str, Any]:
    out = {"name": p["name"]}
    for src, dst in _PARAM_KEYS.items():
        if src in p:
            out[dst] = p[src]
    # What the server's API layer checks besides (ApiMessageParamValidator, PortApiValidator).
    out["noEmpty"] = p.get("emptyString") is False
    out["regex"] = (p.get("validRegexValues") or "").strip() or None
    out["goneOk"] = bool(p.get("successIfResourceNotExisting"))
    out = _drop_empty(out)
    out.setdefault("in", "body")
    return out


def compact_api(a: dict[str, Any]) -> dict[str, Any]:
    """One API in the reference format → its compact record."""
    path = a.get("path") or "null"
    paths = list(a.get("optionalPaths") or []) or list(a.get("optionalPathsGuess") or [])
    if path == "null" and paths:
        # GetFreeIp & co: the source has a literal "null"; the Java SDK uses the first optional path.
        path, paths = paths[0], paths[1:]
    out = {
        "name": a["name"],
        "method": a.get("method", "GET"),
        "path": path,
        "paths": paths,
        "action": bool(a.get("isAction")),
        "body": a.get("parameterName"),
        "query": bool(a.get("query")),
        "inventory": a.get("inventory"),
        "sync": bool(a.get("sync", a.get("method") == "GET")),
        "session": a.get("needSession", True) is not False,
        "since": a.get("since"),
        "category": category_of(path),
        "docCategory": a.get("category"),
        "title": a.get("title"),
        "replyKey": a.get("responseAllTo"),
        "replyFields": a.get("responseFields"),
        # The reply's own fields and their types (responseClassFields), for the simulator's Get* reads.
        "replyTypes": {f["name"]: f.get("type") for f in a.get("responseClassFields") or () if f.get("name")},
        "source": a.get("source"),
        "params": [compact_param(p) for p in a.get("params") or []],
    }
    out = _drop_empty(out)
    out["session"] = out.get("session", False)  # keep an explicit False: login APIs need no session
    return out


def compact_inventory(name: str, inv: dict[str, Any], values: dict[str, list] | None = None) -> dict[str, Any]:
    """One inventory in the reference format → its compact record.

    Args:
        name: the inventory's simple class name.
        inv: the reference entry.
        values: known valid values by field name, gathered from the parameters of the APIs
            that return this inventory (e.g. ImageInventory.mediaType from AddImage).
    """
    docs = inv.get("docs") or {}
    values = values or {}
    fields = []
    for f in inv.get("fields") or []:
        doc = docs.get(f["name"]) or {}
        fields.append(
            _drop_empty(
                {
                    "name": f["name"],
                    "type": f.get("type", "String"),
                    "desc": doc.get("desc"),
                    "since": doc.get("since"),
                    "hidden": bool(f.get("apiNoSee")),
                    "deprecated": bool(f.get("deprecated")),
                    "values": values.get(f["name"]),
                }
            )
        )
    expanded = [
        _drop_empty(
            {
                "name": e["name"],
                "inventory": e["inventory"],
                "foreignKey": e["foreignKey"],
                "expandedInventoryKey": e["expandedInventoryKey"],
                "hidden": bool(e.get("hidden")),
            }
        )
        for e in inv.get("expandedQueries") or []
    ]
    aliases = [{"alias": a["alias"], "expandedField": a["expandedField"]} for a in inv.get("aliases") or []]
    collections = [
        _drop_empty(
            {
                "name": c["name"],
                "inventory": c["inventory"],
                "joinColumn": c["joinColumn"],
                "referencedColumn": c["referencedColumn"],
                "referencedColumnDeclared": bool(c.get("referencedColumnDeclared")),
                "elementType": c.get("elementType"),
            }
        )
        for c in inv.get("queryableCollections") or []
    ]
    return _drop_empty(
        {
            "name": name,
            "class": inv.get("class"),
            "parent": inv.get("parent"),
            "title": inv.get("docTitle"),
            "fields": fields,
            "expandedQueries": expanded,
            "aliases": aliases,
            "queryableCollections": collections,
        }
    )


_INVENTORY_TYPE = re.compile(r"^(?:List<)?(\w+Inventory)>?$")


def field_values_by_inventory(apis: list[dict[str, Any]]) -> dict[str, dict[str, list]]:
    """Valid values of inventory fields, learnt from the parameters of APIs that return the inventory."""
    out: dict[str, dict[str, list]] = {}
    for a in apis:
        # Only creates and updates set a field to a value; an action's "state" is an event (enable/disable).
        if not a["name"].startswith(("Create", "Add", "Update")):
            continue
        for rf in a.get("responseClassFields") or []:
            m = _INVENTORY_TYPE.match(rf.get("type") or "")
            if not m:
                continue
            known = out.setdefault(m.group(1), {})
            for p in a.get("params") or []:
                for value in p.get("validValues") or ():
                    if value not in known.setdefault(p["name"], []):
                        known[p["name"]].append(value)
    return {inv: {k: v for k, v in fields.items() if v} for inv, fields in out.items()}


def compact_reference(doc: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    """A whole document in the reference format (``{"apis": [...], "inventories": {...}}``, either key
    optional) → its compact API and inventory records."""
    raw_apis = doc.get("apis", [])
    values = field_values_by_inventory(raw_apis)
    return ([compact_api(a) for a in raw_apis],
            [compact_inventory(n, inv, values.get(n)) for n, inv in doc.get("inventories", {}).items()])
