"""The catalogue as objects: APIs, their parameters, inventories, fields and cross-table links.

A :class:`Catalog` answers every question the rest of zcli asks about the ZStack API: which APIs
exist (with did-you-mean suggestions), their method, path and parameters, an inventory's fields
(inherited ones included), and how a dotted path such as ``vmNics.l3Network.l2Network.zone.name``
resolves across inventories. Objects are built on first use and cached.
"""

# Annotations are evaluated here, not kept as strings (no `from __future__ import annotations`):
# typing.NamedTuple compiles each string annotation of its fields, which start-up pays for.

from functools import cached_property
from typing import NamedTuple

from zcli.catalog.errors import UnknownName
from zcli.catalog.kinds import FieldKind, type_kind
from zcli.catalog.store import CatalogStore


def _close(word: str, candidates, cutoff: float) -> list[str]:
    import difflib  # only when a name is wrong: keeps it off the start-up path

    return difflib.get_close_matches(word, candidates, n=3, cutoff=cutoff)


class Param(NamedTuple):
    """A parameter of a non-query API; ``location`` is ``path``, ``query`` or ``body``."""

    name: str
    type: str = "String"
    required: bool = False
    values: tuple = ()
    range: tuple | None = None
    max_length: int | None = None
    location: str = "body"
    password: bool = False
    desc: str = ""
    since: str | None = None
    resource: str | None = None
    min_length: int | None = None
    nonempty: bool = False  # a list must hold something
    no_empty: bool = False  # an empty string is refused
    regex: str | None = None  # the whole value must match
    gone_ok: bool = False  # a uuid of a resource that no longer exists succeeds (deletes)

    @property
    def kind(self) -> FieldKind:
        return type_kind(self.type)

    @classmethod
    def from_record(cls, r: dict) -> "Param":
        rng = r.get("range")
        return cls(name=r["name"], type=r.get("type", "String"), required=bool(r.get("required")),
                   values=tuple(r.get("values") or ()), range=tuple(rng) if rng else None,
                   max_length=r.get("maxLength"), location=r.get("in", "body"),
                   password=bool(r.get("password")), desc=r.get("desc", ""), since=r.get("since"),
                   resource=r.get("resource"), min_length=r.get("minLength"), nonempty=bool(r.get("nonempty")),
                   no_empty=bool(r.get("noEmpty")), regex=r.get("regex"), gone_ok=bool(r.get("goneOk")))


#: Parameters every API accepts (``commonParams`` of the reference, declared on NeedReplyMessage);
#: they sit at the top level of a request body.
COMMON_PARAMS = (Param("systemTags", "List<String>", desc="system tags"),
                 Param("userTags", "List<String>", desc="user tags"))


class Api(NamedTuple):
    """One REST API of the catalogue."""

    name: str
    method: str
    path: str
    paths: tuple[str, ...] = ()
    action: bool = False
    body_key: str | None = None
    query: bool = False
    inventory: str | None = None
    sync: bool = True
    session: bool = True
    since: str | None = None
    category: str = ""
    doc_category: str | None = None
    title: str | None = None
    reply_key: str | None = None
    params: tuple[Param, ...] = ()
    #: The reply carries a ``SessionInventory`` (logins, RenewSession, LogOut): see :mod:`zcli.api.logins`.
    session_reply: bool = False

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None

    @classmethod
    def from_record(cls, r: dict) -> "Api":
        return cls(name=r["name"], method=r.get("method", "GET"), path=r.get("path", ""),
                   paths=tuple(r.get("paths") or ()), action=bool(r.get("action")), body_key=r.get("body"),
                   query=bool(r.get("query")), inventory=r.get("inventory"), sync=bool(r.get("sync")),
                   session=bool(r.get("session", True)), since=r.get("since"),
                   category=r.get("category", ""), doc_category=r.get("docCategory"),
                   title=r.get("title"), reply_key=r.get("replyKey"),
                   params=tuple(Param.from_record(p) for p in r.get("params") or ()),
                   session_reply="SessionInventory" in (r.get("replyTypes") or {}).values())


class Field(NamedTuple):
    """A field of an inventory; ``owner`` is the inventory that declares it."""

    name: str
    type: str
    owner: str
    desc: str = ""
    since: str | None = None
    hidden: bool = False
    deprecated: bool = False
    values: tuple = ()

    @property
    def kind(self) -> FieldKind:
        return type_kind(self.type)


class Link(NamedTuple):
    """A cross-table name on an inventory, leading to rows of ``target``.

    The rows of ``source`` match when ``source.source_key`` is among the ``target.target_key`` values
    of the matching target rows. ``kind`` is ``expanded`` (an expanded query) or ``collection`` (a
    queryable collection); for a collection of primitives (``L3NetworkInventory.dns``) ``value_field``
    names the target's column that holds the element. Aliases are resolved into the links they stand for.
    """

    name: str
    kind: str
    source: str
    target: str
    source_key: str
    target_key: str
    hidden: bool = False
    value_field: str | None = None


class Alias(NamedTuple):
    """A short name for a longer cross-table path, e.g. VmNic's ``securityGroup`` for
    ``securityGroupRef.securityGroup``."""

    name: str
    path: str


class Resolved(NamedTuple):
    """A dotted query path resolved to its final inventory and field.

    Attributes:
        path: the path as typed.
        inventory: the inventory that holds ``field``.
        field: the final field.
        hops: the links walked from the query's inventory, in order (aliases expanded).
        hidden: True when the user named a hidden expansion (completion does not offer those).
    """

    path: str
    inventory: str
    field: Field
    hops: tuple[Link, ...] = ()
    hidden: bool = False


class Inventory(NamedTuple):
    """An inventory: own fields, parent, and the cross-table names declared for it."""

    name: str
    parent: str | None
    title: str | None
    own_fields: tuple[Field, ...]
    links: dict[str, Link]
    aliases: dict[str, Alias]
    java_class: str | None = None  # e.g. org.zstack.header.vm.VmInstanceInventory (None for the AI family)

    @classmethod
    def from_record(cls, r: dict) -> "Inventory":
        name = r["name"]
        own = tuple(Field(name=f["name"], type=f.get("type", "String"), owner=name, desc=f.get("desc", ""),
                          since=f.get("since"), hidden=bool(f.get("hidden")),
                          deprecated=bool(f.get("deprecated")), values=tuple(f.get("values") or ()))
                    for f in r.get("fields") or ())
        links: dict[str, Link] = {}
        for e in r.get("expandedQueries") or ():
            links[e["name"]] = Link(e["name"], "expanded", name, e["inventory"], e["foreignKey"],
                                    e["expandedInventoryKey"], bool(e.get("hidden")))
        for c in r.get("queryableCollections") or ():
            if c["name"] in links:
                continue
            primitive = c.get("referencedColumnDeclared") and type_kind(c.get("elementType")) != "object"
            # An undeclared referencedColumn is the parent's primary key; a declared one is the child's value.
            source_key = "uuid" if c.get("referencedColumnDeclared") else c["referencedColumn"]
            links[c["name"]] = Link(c["name"], "collection", name, c["inventory"], source_key,
                                    c["joinColumn"], False, c["referencedColumn"] if primitive else None)
        aliases = {a["alias"]: Alias(a["alias"], a["expandedField"]) for a in r.get("aliases") or ()}
        return cls(name, r.get("parent"), r.get("title"), own, links, aliases, r.get("class"))


class ApiSummary(NamedTuple):
    """What a menu shows of an API, read from the index alone.

    Attributes:
        category: its category (``vm-instances``), or "".
        since: the version it came in, when known.
        query: whether it is a query API.
        inventory: the inventory it answers with, when known.
    """

    category: str
    since: str | None
    query: bool
    inventory: str | None


#: How many resolved paths a catalogue keeps (a line of 12,500 conditions repeats a few keys).
_RESOLVED_KEPT = 4096


class Catalog:
    """The ZStack API catalogue, loaded lazily from a :class:`CatalogStore`."""

    def __init__(self, store: CatalogStore | None = None):
        self.store = store or CatalogStore()
        self._apis: dict[str, Api] = {}
        self._inventories: dict[str, Inventory] = {}
        self._fields: dict[str, dict[str, Field]] = {}
        self._resolved: dict[tuple[str, str], Resolved] = {}  # a line repeats its keys: each resolved once

    # --- APIs -------------------------------------------------------------------------------
    @cached_property
    def api_names(self) -> tuple[str, ...]:
        """Every API name, sorted."""
        return tuple(sorted(self.store.api_index))

    def has_api(self, name: str) -> bool:
        return self.store.has("apis", name)

    def api(self, name: str) -> Api:
        """The API called ``name`` (case-sensitive, as zstack-cli).

        Raises:
            UnknownName: no such API; the message suggests close names.
        """
        found = self._apis.get(name)
        if found is not None:
            return found
        rec = self.store.api_record(name)
        if rec is None:
            raise UnknownName(f"unknown API '{name}'", word=name, suggestions=self.suggest_api(name))
        found = self._apis[name] = Api.from_record(rec)
        return found

    def suggest_api(self, name: str) -> list[str]:
        """Close API names for a misspelt one: a case-insensitive match first, then similar names."""
        low = name.lower()
        exact = [n for n in self.api_names if n.lower() == low]
        close = _close(name, self.api_names, 0.75)
        return list(dict.fromkeys(exact + close))[:3]

    def api_summary(self, name: str) -> ApiSummary:
        """What menus need of an API, from the index, without parsing the record."""
        entry = self.store.api_index[name]
        return ApiSummary(entry[2], entry[3], bool(entry[4]), entry[5])

    def api_route(self, name: str) -> tuple[str, list[str]]:
        """(method, [path, *optional paths]) from the index, without parsing the record."""
        entry = self.store.api_index[name]
        return entry[6], entry[7]

    def query_api_names(self) -> list[str]:
        return [n for n in self.api_names if self.store.api_index[n][4]]

    def categories(self) -> dict[str, list[str]]:
        """API names grouped by category, both sorted."""
        out: dict[str, list[str]] = {}
        for n in self.api_names:
            out.setdefault(self.store.api_index[n][2] or "other", []).append(n)
        return dict(sorted(out.items()))

    # --- inventories ------------------------------------------------------------------------
    def has_inventory(self, name: str) -> bool:
        """Whether the catalogue describes the inventory ``name`` (some are only named as types)."""
        return self.store.has("inventories", name)

    @cached_property
    def inventory_names(self) -> tuple[str, ...]:
        """Every inventory name, sorted."""
        return tuple(sorted(self.store.inventory_index))

    def inventory(self, name: str) -> Inventory:
        found = self._inventories.get(name)
        if found is None:
            rec = self.store.inventory_record(name)
            if rec is None:
                raise UnknownName(f"unknown inventory '{name}'", word=name)
            found = self._inventories[name] = Inventory.from_record(rec)
        return found

    def fields(self, inventory: str) -> dict[str, Field]:
        """Every field of ``inventory``, inherited ones first (as the server serialises them)."""
        cached = self._fields.get(inventory)
        if cached is not None:
            return cached
        chain: list[Inventory] = []
        name: str | None = inventory
        while name and self.has_inventory(name) and len(chain) < 16:
            inv = self.inventory(name)
            chain.append(inv)
            name = inv.parent
        out: dict[str, Field] = {}
        for inv in reversed(chain):
            for f in inv.own_fields:
                out[f.name] = f
        self._fields[inventory] = out
        return out

    def links(self, inventory: str) -> dict[str, Link]:
        """The cross-table names of ``inventory`` (expanded queries and queryable collections)."""
        return self.inventory(inventory).links

    def aliases(self, inventory: str) -> dict[str, Alias]:
        return self.inventory(inventory).aliases

    def resolve(self, inventory: str, path: str) -> Resolved:
        """Resolve a dotted query path from ``inventory`` to its final inventory and field.

        Each segment but the last names an expanded query, an alias or a queryable collection; the
        last names a field of the inventory reached (or a collection of primitives, such as ``dns``).

        Raises:
            UnknownName: a segment names nothing; the message says which, with suggestions.
        """
        found = self._resolved.get((inventory, path))
        if found is None:
            found = self._resolve(inventory, path)  # an unknown path raises each time: its error is not kept
            if len(self._resolved) >= _RESOLVED_KEPT:
                self._resolved.clear()
            self._resolved[inventory, path] = found
        return found

    def _resolve(self, inventory: str, path: str) -> Resolved:
        segments = path.split(".")
        if any(not s for s in segments):
            raise UnknownName(f"malformed field path '{path}'", word=path)
        hops: list[Link] = []
        hidden = False
        current = inventory
        typed: list[str] = []  # the user's segments walked so far, for suggestions
        pending = [(s, True) for s in segments]  # (segment, named by the user rather than an alias)
        while pending:
            seg, user_named = pending.pop(0)
            last = not pending
            fields = self.fields(current)
            known = self.has_inventory(current)
            links = self.links(current) if known else {}
            aliases = self.aliases(current) if known else {}
            link = links.get(seg)
            if last and seg in fields and (link is None or fields[seg].kind not in (FieldKind.LIST, FieldKind.OBJECT)):
                return Resolved(path, current, fields[seg], tuple(hops), hidden)
            if link is not None:
                hidden = hidden or (link.hidden and user_named)
                hops.append(link)
                if last:
                    target_fields = self.fields(link.target)
                    if link.value_field in target_fields:
                        return Resolved(path, link.target, target_fields[link.value_field], tuple(hops), hidden)
                    raise UnknownName(f"'{path}' names a table, not a field: add '.FIELD'", word=path,
                                     suggestions=[f"{path}.{n}" for n in list(target_fields)[:3]])
                current = link.target
            elif seg in aliases:
                pending[:0] = [(s, False) for s in aliases[seg].path.split(".")]
            else:
                candidates = list(fields) + [k for k, v in links.items() if not v.hidden] + list(aliases)
                close = _close(seg, candidates, 0.6)
                prefix = "".join(t + "." for t in typed)
                raise UnknownName(f"unknown field '{seg}' of {current}", word=path,
                                 suggestions=[prefix + c for c in close])
            if user_named:
                typed.append(seg)
        raise UnknownName(f"malformed field path '{path}'", word=path)  # pragma: no cover
