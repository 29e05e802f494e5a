"""ZQL names from the catalogue: entities, their inventories, fields and the operators each field takes.

An entity is named after its inventory class as the server names it
(``queryTargetNameFromInventoryClass``): the class name lower-cased, less ``inventory``
(``VmInstanceInventory`` → ``vminstance``). The server matches entity names case-insensitively.
Fields and dotted paths resolve through the catalogue's expanded queries, aliases and queryable
collections (:meth:`zcli.catalog.Catalog.resolve`), as ``q=`` conditions do.
"""

from __future__ import annotations

from zcli.catalog import Catalog, Resolved
from zcli.catalog.errors import CatalogError, UnknownName

#: The tag pseudo-fields every entity takes in a condition (ZQLMetadata).
TAG_FIELDS: dict[str, str] = {
    "__systemTag__": "a system tag of the resource",
    "__userTag__": "a user tag of the resource",
    "__tagUuid__": "the uuid of a tag on the resource",
}
_COMPARE = ("=", "!=", ">", ">=", "<", "<=")
_SETS = ("in", "not in")
_NULLS = ("is null", "is not null")
#: The operators offered for each kind of field (zcli.catalog.type_kind); ``has``/``not has`` are added
#: when the path crosses to another table (a row matches when its rows there hold every value listed).
OPERATORS_BY_KIND: dict[str, tuple[str, ...]] = {
    "string": (*_COMPARE[:2], "like", "not like", *_SETS, *_NULLS, *_COMPARE[2:]),
    "int": (*_COMPARE, *_SETS, *_NULLS),
    "float": (*_COMPARE, *_NULLS),
    "timestamp": (*_COMPARE, *_NULLS),
    "bool": ("=", "!=", *_NULLS),
    "list": ("=", "!=", "like", "not like", *_SETS, *_NULLS),
    "map": ("=", "!=", "like", *_NULLS),
    "object": ("=", "!=", *_NULLS),
}
TAG_OPERATORS: tuple[str, ...] = ("=", "!=", "like", "not like", "in", "not in", "has", "not has", *_NULLS)
OPERATOR_HELP: dict[str, str] = {
    "=": "equal", "!=": "not equal", ">": "greater than", ">=": "greater or equal", "<": "less than",
    "<=": "less or equal", "in": "one of ('a', 'b')", "not in": "none of ('a', 'b')",
    "like": "SQL pattern: % any, _ one", "not like": "not matching the pattern", "is null": "no value",
    "is not null": "any value", "has": "the collection holds all of ('a', 'b')",
    "not has": "the collection holds none of ('a', 'b')",
}


def entity_name(inventory: str) -> str:
    """The ZQL entity of an inventory class: ``VmInstanceInventory`` → ``vminstance``."""
    return inventory.lower().removesuffix("inventory")


class Schema:
    """The catalogue seen from ZQL; built lazily, cached (one per catalogue)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._entities: dict[str, str] | None = None
        self._lower: dict[str, str] = {}
        self._query_api: dict[str, str] | None = None

    @property
    def entities(self) -> dict[str, str]:
        """Entity name → inventory name, sorted by entity."""
        if self._entities is None:
            found = {entity_name(n): n for n in self.catalog.inventory_names}
            self._entities = dict(sorted(found.items()))
            self._lower = {k.lower(): k for k in self._entities}
        return self._entities

    def inventory(self, entity: str) -> str | None:
        """The inventory an entity names (case-insensitively, as the server matches), None when none."""
        ents = self.entities
        found = ents.get(entity)
        if found is None:
            key = self._lower.get(entity.lower())
            found = ents[key] if key else None
        return found

    def query_api(self, inventory: str) -> str | None:
        """The query API answering with ``inventory`` (``QueryVmInstance``), None when none does."""
        if self._query_api is None:
            self._query_api = {}
            for name in self.catalog.query_api_names():
                inv = self.catalog.api_summary(name).inventory
                if inv and (inv not in self._query_api or len(name) < len(self._query_api[inv])):
                    self._query_api[inv] = name
        return self._query_api.get(inventory)

    def describe(self, entity: str) -> str:
        """An entity's menu text: its inventory, its query API and its title where the catalogue has one."""
        inv = self.inventory(entity) or entity
        try:
            title = self.catalog.inventory(inv).title
        except CatalogError:
            title = None
        api = self.query_api(inv)
        return " · ".join(p for p in (inv, api, (title or "").strip().splitlines()[0] if title else "") if p)

    def suggest_entity(self, name: str) -> list[str]:
        import difflib

        return difflib.get_close_matches(name.lower(), list(self.entities), n=3, cutoff=0.6)

    def resolve(self, entity: str, path: list[str]) -> Resolved:
        """A condition's dotted path from an entity. Raises the catalogue's error (with suggestions) for a wrong one."""
        inv = self.inventory(entity)
        if inv is None:
            raise UnknownName(f"unknown entity '{entity}'", word=entity, suggestions=self.suggest_entity(entity))
        return self.catalog.resolve(inv, ".".join(path))

    def operators(self, entity: str, path: list[str]) -> tuple[str, ...]:
        """The operators valid after ``path``: by the final field's kind, ``has`` through collections."""
        if len(path) == 1 and path[0] in TAG_FIELDS:
            return TAG_OPERATORS
        try:
            r = self.resolve(entity, path)
        except CatalogError:
            return ()
        ops = OPERATORS_BY_KIND.get(r.field.kind, OPERATORS_BY_KIND["string"])
        if r.hops:
            ops = (*ops, "has", "not has")
        return ops

    def plain_fields(self, entity: str) -> dict:
        """The entity's own columns (what ``group by``, ``order by``, ``sum`` and ``query e.f`` take)."""
        inv = self.inventory(entity)
        if inv is None:
            return {}
        return {n: f for n, f in self.catalog.fields(inv).items() if f.kind not in ("list", "object", "map")}


_SCHEMAS: dict[int, Schema] = {}


def schema_for(catalog: Catalog) -> Schema:
    """The one :class:`Schema` of a catalogue (its caches live as long as the catalogue)."""
    found = _SCHEMAS.get(id(catalog))
    if found is None or found.catalog is not catalog:
        found = _SCHEMAS[id(catalog)] = Schema(catalog)
    return found
