"""Which rows a reply holds, and which of their fields become columns.

A query's reply holds rows (``{"inventories": [...]}``), an action's reply one record
(``{"inventory": {...}}``), and a few replies something else (``{"total": 5}``). Tables show a
default set of columns: uuid, name, state and status, then the fields that matter most for most
resources, then the first few short scalar fields (then, if room is left, uuids, dates and nested
values), at most :data:`MAX_COLUMNS`, the same for every row.
When the caller limited the fields (``fields=uuid,name``), the rows hold only those keys, and exactly
those are shown. The catalogue's field order is used when the inventory is known, but is not needed.
"""

from __future__ import annotations

from typing import Any

MAX_COLUMNS = 6
LEAD = ("uuid", "name", "state", "status")
# Chosen in this order after LEAD: what an operator looks at first, across resources.
IMPORTANT = ("managementIp", "ip", "cpuNum", "memorySize", "hypervisorType", "type", "category", "size",
             "platform", "framework", "version", "requestCpu", "requestMemory", "format", "mediaType",
             "vmInstanceUuid", "hostUuid", "accountName")
# Free text too long for a table cell; the record view and the other formats still show it.
LONG_TEXT = {"description", "readme", "yaml", "parameters", "startCommand", "containerCommand", "containerArgs",
             "installPath", "url", "md5Sum", "content", "script", "userdata", "sshKey", "publicKey", "certificate"}
_NESTED_KINDS = {"list", "map", "object"}
_REPLY_META = ("total", "success")


def strip_schema(reply: Any) -> Any:
    """The reply less the server's ``schema`` map (it describes types, not data)."""
    if isinstance(reply, dict) and "schema" in reply:
        return {k: v for k, v in reply.items() if k != "schema"}
    return reply


def reply_rows(reply: Any) -> list | None:
    """The rows a reply holds, or None when it is a single record or a scalar.

    ``{"inventories": [...]}`` gives its list; ``{"inventory": {...}}`` a one-row list; a reply
    holding one list of maps (besides ``total``) that list; a JSON list itself.
    """
    if isinstance(reply, list):
        return reply
    if not isinstance(reply, dict):
        return None
    if isinstance(reply.get("inventories"), list):
        return reply["inventories"]
    if isinstance(reply.get("inventory"), dict):
        return [reply["inventory"]]
    rest = [v for k, v in reply.items() if k not in _REPLY_META]
    if len(rest) == 1 and isinstance(rest[0], list) and rest[0] and all(isinstance(x, dict) for x in rest[0]):
        return rest[0]
    return None


def flat_rows(reply: Any) -> list:
    """The rows of csv, tsv, jsonl and value output: the reply's rows, else the reply as one row."""
    rows = reply_rows(reply)
    return [reply] if rows is None else rows


def row_keys(rows: list) -> list[str]:
    """Every key of the rows that are maps, in first-seen order."""
    keys: dict[str, None] = {}
    for row in rows:
        if isinstance(row, dict):
            keys.update(dict.fromkeys(row))
    return list(keys)


def field_kinds(inventory: str | None, catalog=None) -> dict[str, str]:
    """The inventory's visible fields and their kinds, in the catalogue's order; {} when unknown."""
    if not inventory:
        return {}
    try:
        if catalog is None:
            from zcli.catalog import Catalog  # lazily: json output must not pay for the catalogue

            catalog = Catalog()
        fields = catalog.fields(inventory)
    except Exception:  # a renderer never fails for want of metadata: it falls back on the rows
        return {}
    return {name: f.kind for name, f in fields.items() if not f.hidden}


def is_limited(keys: list[str], kinds: dict[str, str]) -> bool:
    """True when the rows hold few enough keys that the caller must have chosen them (``fields=``)."""
    return len(keys) <= max(MAX_COLUMNS, len(kinds) // 2)


def data_columns(rows: list, inventory: str | None = None, catalog=None) -> list[str]:
    """Columns of csv, tsv and value output: every field, in the catalogue's order when it is known.

    Using the catalogue's list makes the columns the same whichever fields happen to be null (the
    server leaves those out), which is what a script, or a stream of pages, needs.
    """
    keys = row_keys(rows)
    kinds = field_kinds(inventory, catalog)
    if not kinds or is_limited(keys, kinds):
        return keys
    return [*kinds, *(k for k in keys if k not in kinds)]


def _first_value(rows: list, key: str) -> Any:
    for row in rows:
        if isinstance(row, dict) and row.get(key) is not None:
            return row[key]
    return None


def table_columns(rows: list, inventory: str | None = None, catalog=None) -> list[tuple[str, int]]:
    """The table's columns as ``(key, priority)`` in display order; priority 0 matters most.

    When the terminal is too narrow, columns go in the order of falling priority.
    """
    keys = row_keys(rows)
    kinds = field_kinds(inventory, catalog)
    if is_limited(keys, kinds):
        return [(k, i) for i, k in enumerate(keys)]
    present = set(keys)
    order = [k for k in kinds if k in present] + [k for k in keys if k not in kinds]
    position = {k: i for i, k in enumerate(order)}

    def scalar(key: str) -> bool:
        kind = kinds.get(key)
        if kind is not None:
            return kind not in _NESTED_KINDS
        return not isinstance(_first_value(rows, key), (list, dict))

    def short(key: str) -> bool:
        return scalar(key) and key not in LONG_TEXT

    def plain(key: str) -> bool:
        timestamp = kinds.get(key) == "timestamp" or key.endswith("Date")
        return short(key) and not timestamp and not key.endswith("Uuid")

    def compact(key: str) -> bool:
        return key not in LONG_TEXT

    chosen = [k for k in LEAD if k in present]
    for candidates, test in ((IMPORTANT, short), (order, plain), (order, short), (order, compact)):
        for key in candidates:
            if len(chosen) >= MAX_COLUMNS:
                break
            if key in present and key not in chosen and test(key):
                chosen.append(key)
    priority = {k: i for i, k in enumerate(chosen)}
    lead = [k for k in chosen if k in LEAD]
    rest = sorted((k for k in chosen if k not in LEAD), key=position.__getitem__)
    return [(k, priority[k]) for k in lead + rest]
