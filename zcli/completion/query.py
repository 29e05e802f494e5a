"""Completion of the words after a query API: field paths, operators, special keys and values.

A condition word is ``path<op>value``. While the path is typed, the engine offers the fields of the
inventory reached so far, its cross-table names as ``name.`` (expanded queries, queryable collections
and aliases; hidden expansions are not offered) and, at the top level, the special and tag keys.
Once the path names a field, the operators valid for its kind follow; after the operator, values.
Fields may be given twice (``cpuNum>=2 cpuNum<=8``); special keys already used are not offered again.
"""

from __future__ import annotations

import re

from zcli.catalog import Catalog, Field, type_kind
from zcli.catalog.errors import CatalogError
from zcli.catalog.kinds import element_type
from zcli.completion.fuzzy import rank
from zcli.completion.suggestion import Entry, entry, entry_key, join_meta, short, since
from zcli.completion.values import BOOLEANS, filter_values, live_pairs
from zcli.completion.words import quote
from zcli.errors import UsageError
from zcli.grammar.operators import OPERATOR_HELP, OPERATORS_BY_KIND, SPECIAL_KEYS, TAG_KEYS, split_condition

# A field name followed by the start of an operator that is not complete yet (``name!``, ``cpuNum!?``).
_PARTIAL_OP = re.compile(r"(.*?)([!?~]+)")
_PRIMITIVE = ("string", "int", "float", "bool", "timestamp")
# Special keys whose value is a field name of the queried inventory; ``fields`` takes several.
_FIELD_KEYS = ("fields", "sortBy", "groupBy")
_KEY_VALUES = {"count": BOOLEANS, "replyWithCount": BOOLEANS, "sortDirection": ("asc", "desc")}


class QueryCompleter:
    """Completes condition words for query APIs; caches the entries of each inventory.

    Args:
        catalog: the catalogue.
        live: optional live-value source (see :class:`zcli.completion.CompletionEngine`).
    """

    def __init__(self, catalog: Catalog, live=None):
        self.catalog = catalog
        self.live = live
        self._levels: dict[str, tuple[list[Entry], dict[str, Field]]] = {}

    # --- entries of one level of a path -------------------------------------------------------
    def level(self, inventory: str) -> tuple[list[Entry], dict[str, Field]]:
        """(entries, completable fields by name) for one inventory: fields, then cross-table names."""
        cached = self._levels.get(inventory)
        if cached is not None:
            return cached
        cat = self.catalog
        known = cat.has_inventory(inventory)
        fields = cat.fields(inventory) if known else {}
        links = cat.links(inventory) if known else {}
        aliases = cat.aliases(inventory) if known else {}
        entries: list[Entry] = []
        completable: dict[str, Field] = {}
        for name, f in fields.items():
            link = links.get(name)
            if f.hidden or (link is not None and link.value_field is None and f.kind in ("list", "object")):
                continue  # hidden, or a table offered below as ``name.``
            if link is None and _holds_objects(f):
                continue  # nested objects the server cannot compare
            if link is not None and link.value_field:
                f = cat.fields(link.target).get(link.value_field, f)  # a collection of primitives
            completable[name] = f
            entries.append(entry(name, name, join_meta(f.type, short(f.desc), since(f.since))))
        for name, link in links.items():
            if link.hidden or link.value_field:
                continue
            what = "expanded" if link.kind == "expanded" else "collection"
            entries.append(entry(name, name + ".", f"→ {link.target} ({what})"))
        for name, alias in aliases.items():
            entries.append(entry(name, name + ".", f"→ {alias.path} (alias)"))
        self._levels[inventory] = (entries, completable)
        return entries, completable

    def walk(self, inventory: str, segments: list[str]) -> str | None:
        """The inventory reached from ``inventory`` through the cross-table names ``segments``."""
        cat = self.catalog
        pending = list(segments)
        current = inventory
        hops = 0
        while pending:
            seg = pending.pop(0)
            if not cat.has_inventory(current) or hops > 64:
                return None
            link = cat.links(current).get(seg)
            if link is not None and not link.value_field:
                current = link.target
                hops += 1
                continue
            alias = cat.aliases(current).get(seg)
            if alias is None:
                return None
            pending[:0] = alias.path.split(".")
            hops += 1
        return current

    # --- the current word ---------------------------------------------------------------------
    def complete(self, inventory: str, word: str, used: set[str]) -> list[tuple[str, str, str]]:
        """(text, display, meta) triples for the current ``word`` of a query on ``inventory``.

        Args:
            inventory: the query API's inventory.
            word: the current word, unquoted.
            used: the keys of the other words (special keys among them are not offered again).
        """
        parts = split_condition(word)
        if parts is not None and parts[0]:
            return self._values(inventory, *parts)
        return self._keys(inventory, word, used)

    def _keys(self, inventory: str, word: str, used: set[str]) -> list[tuple[str, str, str]]:
        head, dot, last = word.rpartition(".")
        target = self.walk(inventory, head.split(".")) if dot else inventory
        if target is None:
            return []
        prefix = head + dot
        entries, completable = self.level(target)
        out: list[tuple[str, str, str]] = []
        partial = _PARTIAL_OP.fullmatch(last)
        if partial and partial.group(1) in completable:  # ``name!`` → ``name!=``, ``name!~=``...
            f = completable[partial.group(1)]
            return [(word[: len(word) - len(partial.group(2))] + op, op, OPERATOR_HELP[op])
                    for op in OPERATORS_BY_KIND[f.kind] if op.startswith(partial.group(2))]
        if last in completable:
            f = completable[last]
            out = [(word + op, op, OPERATOR_HELP[op]) for op in OPERATORS_BY_KIND[f.kind]]
        if not dot:
            entries = entries + self._top_keys(used)
        for en in rank(last, entries, key=entry_key):
            if en.insert == last:
                continue  # already offered as operators
            out.append((prefix + en.insert, en.insert, en.meta))
        return out

    def _top_keys(self, used: set[str]) -> list[Entry]:
        out = [entry(k, k + "=", short(h)) for k, h in SPECIAL_KEYS.items() if k not in used]
        out += [entry(k, k, short(h)) for k, h in TAG_KEYS.items()]
        return out

    # --- values -------------------------------------------------------------------------------
    def _values(self, inventory: str, key: str, op: str, value: str) -> list[tuple[str, str, str]]:
        head = f"{key}{op}"
        if key in SPECIAL_KEYS:
            return self._special_values(inventory, key, head, value)
        if key in TAG_KEYS:
            return []
        try:
            resolved = self.catalog.resolve(inventory, key)
        except (UsageError, CatalogError):
            return []
        f = resolved.field
        out: list[tuple[str, str, str]] = []
        longer = op + "="
        if not value and longer in OPERATORS_BY_KIND.get(f.kind, ()):  # ``cpuNum>`` may become ``cpuNum>=``
            out.append((head[: -len(op)] + longer, longer, OPERATOR_HELP[longer]))
        multi = op in ("?=", "!?=")
        done, current = _split_multi(value) if multi else ([], value)
        candidates: list[tuple[str, str]] = []
        if f.kind == "bool":
            candidates += [(b, "boolean") for b in BOOLEANS]
        candidates += [(str(v), "value") for v in f.values]
        # Live values before ``null``: after ``name=`` an operator wants a name, and rarely a null test.
        candidates += self._live(resolved.inventory, f)
        if op in ("=", "!="):
            candidates.append(("null", "is null" if op == "=" else "is not null"))
        out += [(head + quote(",".join([*done, v]) if multi else v), v, meta)
                for v, meta in filter_values(current, candidates) if v not in done]
        return out

    def _special_values(self, inventory: str, key: str, head: str, value: str) -> list[tuple[str, str, str]]:
        if key in _KEY_VALUES:
            return [(head + v, v, "") for v, _ in filter_values(value, [(v, "") for v in _KEY_VALUES[key]])]
        if key not in _FIELD_KEYS:
            return []
        entries, completable = self.level(inventory)
        multi = key == "fields"
        done, current = _split_multi(value) if multi else ([], value)
        pool = [e for e in entries
                if e.insert in completable and e.insert not in done
                and (multi or completable[e.insert].kind in _PRIMITIVE)]
        return [(head + ",".join([*done, e.insert]), e.insert, e.meta) for e in rank(current, pool, key=entry_key)]

    def _live(self, inventory: str, f: Field) -> list[tuple[str, str]]:
        """Cached server values for uuid and name fields (and ``xxxUuid`` fields through their link), as
        (value, meta) pairs: a uuid's meta is its resource's name when the source knows it."""
        if self.live is None:
            return []
        target, column = inventory, f.name
        if f.name not in ("uuid", "name"):
            if not f.name.endswith("Uuid") or not self.catalog.has_inventory(inventory):
                return []
            link = next((lk for lk in self.catalog.links(inventory).values()
                         if lk.source_key == f.name and lk.target_key == "uuid"), None)
            if link is None:
                return []
            target, column = link.target, "uuid"
        return live_pairs(self.live.values(target, column))


def _holds_objects(f: Field) -> bool:
    """True for an object field or a list of objects (``List<UsedIpInventory>``)."""
    if f.kind == "object":
        return True
    return f.kind == "list" and type_kind(element_type(f.type)) == "object"


def _split_multi(value: str) -> tuple[list[str], str]:
    """``a,b,c`` → (["a", "b"], "c"): the finished items of a comma list and the one being typed."""
    *done, current = value.split(",")
    return done, current
