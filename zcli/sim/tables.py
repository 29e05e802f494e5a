"""How an inventory becomes a SQLite table, and a row becomes an inventory again.

One table per inventory, named after it, with one column per field of the catalogue (inherited ones
included). Scalars keep their SQLite type; lists, maps and objects are kept as JSON text. A list or
object field that shares its name with one of the inventory's links (``VmInstanceInventory.vmNics``,
``L3NetworkInventory.dns``) has no column: it is filled from the linked table when a reply is built,
so that it always agrees with the rows a cross-table query sees.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from zcli.catalog.errors import UnknownName

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SQL_TYPES = {"int": "INTEGER", "bool": "INTEGER", "float": "REAL"}


def q(name: str) -> str:
    """Quote an SQL identifier (inventory and field names may be SQL keywords: type, state, group)."""
    return '"' + name.replace('"', '""') + '"'


def zstack_time(stored: str | None) -> str | None:
    """``2024-05-01 13:04:05`` → ``May 1, 2024 1:04:05 PM``, the way the server's Gson writes dates.

    Timestamps are stored sortable (and compared that way by ``createDate>2024-01-01``); the reply
    shows them as the real server does.
    """
    if not stored or len(stored) < 19 or stored[4] != "-":
        return stored
    try:
        year, month, day = int(stored[0:4]), int(stored[5:7]), int(stored[8:10])
        hour = int(stored[11:13])
    except ValueError:
        return stored
    half = "AM" if hour < 12 else "PM"
    return f"{_MONTHS[month - 1]} {day}, {year} {hour % 12 or 12}:{stored[14:19]} {half}"


@dataclass(frozen=True)
class Fill:
    """A field filled from a linked table: rows of ``target`` whose ``target_key`` equals our ``source_key``."""

    name: str
    target: str
    source_key: str
    target_key: str
    value_field: str | None
    many: bool


@dataclass
class TableSpec:
    """The table of one inventory.

    Attributes:
        inventory: the inventory (and table) name.
        columns: stored field names, in the catalogue's order.
        kinds: column → kind (see ``zcli.catalog.type_kind``).
        visible: fields a reply shows (not ``apiNoSee``), in order, filled ones included.
        fills: fields filled from linked tables.
    """

    inventory: str
    columns: list[str]
    kinds: dict[str, str]
    visible: list[str]
    fills: dict[str, Fill] = field(default_factory=dict)

    def ddl(self) -> str:
        cols = ", ".join(f"{q(c)} {_SQL_TYPES.get(self.kinds[c], 'TEXT')}" for c in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {q(self.inventory)} ({cols or 'rowid_placeholder TEXT'})"

    def encode(self, row: dict) -> tuple:
        """A dict of field values → a tuple in column order (missing fields are NULL)."""
        out = []
        for c in self.columns:
            v = row.get(c)
            if v is not None:
                kind = self.kinds[c]
                if kind == "bool":
                    v = 1 if v is True or str(v).lower() == "true" else 0
                elif kind in ("list", "map", "object") or isinstance(v, (list, dict)):
                    v = json.dumps(v, ensure_ascii=False)
            out.append(v)
        return tuple(out)

    def decode(self, names: list[str], values: tuple) -> dict:
        """A fetched row → an inventory dict as the server serialises it (nulls left out)."""
        out: dict = {}
        for name, v in zip(names, values, strict=True):
            if v is None:
                continue
            kind = self.kinds.get(name)
            if kind == "bool":
                v = bool(v)
            elif kind == "timestamp":
                v = zstack_time(v)
            elif kind in ("list", "map", "object") and isinstance(v, str):
                try:
                    v = json.loads(v)
                except ValueError:
                    pass
            out[name] = v
        return out


def build_spec(catalog, inventory: str) -> TableSpec:
    """The table of ``inventory`` as the catalogue describes it."""
    fields = catalog.fields(inventory)
    try:
        links = catalog.links(inventory)
    except UnknownName:  # an inventory named only as a type: no record, no links
        links = {}
    columns: list[str] = []
    kinds: dict[str, str] = {}
    seen: set[str] = set()  # SQLite column names are case-insensitive
    fills: dict[str, Fill] = {}
    visible: list[str] = []
    for name, f in fields.items():
        link = links.get(name)
        if link is not None and f.kind in ("list", "object") and link.target != inventory:
            fills[name] = Fill(name, link.target, link.source_key, link.target_key, link.value_field,
                               f.kind == "list")
        elif name.lower() not in seen:
            seen.add(name.lower())
            columns.append(name)
            kinds[name] = f.kind
        if not f.hidden:
            visible.append(name)
    return TableSpec(inventory, columns, kinds, visible, fills)


def index_columns(catalog, specs: dict[str, TableSpec]) -> set[tuple[str, str]]:
    """(table, column) pairs worth an index: uuid, name, and both ends of every link."""
    wanted: set[tuple[str, str]] = set()
    for inv, spec in specs.items():
        for c in ("uuid", "name"):
            if c in spec.kinds:
                wanted.add((inv, c))
        try:
            links = catalog.links(inv)
        except UnknownName:
            continue
        for link in links.values():
            if link.source_key in spec.kinds:
                wanted.add((inv, link.source_key))
            target = specs.get(link.target)
            if target is not None and link.target_key in target.kinds:
                wanted.add((link.target, link.target_key))
    return wanted
