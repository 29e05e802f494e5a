"""Completion of the words after a non-query API: ``name=`` for its parameters, then their values.

Required parameters come first and say so in the menu; parameters already given are not offered
again. Values are the catalogue's valid values, booleans, and live uuids for parameters that name a
resource (``uuid``, ``l3NetworkUuids``...), each with the resource's name in the menu. Passwords
are never offered anything.
"""

from __future__ import annotations

from zcli.catalog import COMMON_PARAMS, Api, Catalog, Param
from zcli.completion.fuzzy import rank
from zcli.completion.suggestion import Entry, entry, entry_key, join_meta, short, since
from zcli.completion.values import BOOLEANS, filter_values, live_pairs
from zcli.completion.words import quote
from zcli.secrets import is_secret


class ParamCompleter:
    """Completes ``name=value`` words of non-query APIs; caches each API's entries.

    Args:
        catalog: the catalogue.
        live: optional live-value source (see :class:`zcli.completion.CompletionEngine`).
    """

    def __init__(self, catalog: Catalog, live=None):
        self.catalog = catalog
        self.live = live
        self._entries: dict[str, list[Entry]] = {}

    def entries(self, api: Api) -> list[Entry]:
        """``name=`` entries: required parameters first, then optional ones, then the common ones."""
        cached = self._entries.get(api.name)
        if cached is None:
            common = [c for c in COMMON_PARAMS if not api.param(c.name)]
            ordered = sorted(api.params, key=lambda p: not p.required) + common
            cached = self._entries[api.name] = [
                entry(p.name, p.name + "=",
                      join_meta("required" if p.required else "", p.type, short(p.desc), since(p.since)))
                for p in ordered]
        return cached

    def complete(self, api: Api, word: str, given: set[str]) -> list[tuple[str, str, str]]:
        """(text, display, meta) triples for the current ``word``; ``given`` holds names already set."""
        name, eq, value = word.partition("=")
        if not eq:
            return [(e.insert, e.insert, e.meta) for e in rank(word, self.entries(api), key=entry_key)
                    if e.key.name not in given]
        param = api.param(name) or next((c for c in COMMON_PARAMS if c.name == name), None)
        if param is None or is_secret(param.name):  # the one secret policy
            return []
        multi = param.kind == "list"
        *done, current = value.split(",") if multi else [value]
        candidates = [(b, "boolean") for b in BOOLEANS] if param.kind == "bool" else []
        candidates += [(str(v), "value") for v in param.values]
        candidates += self._live(param)
        return [(f"{name}={quote(','.join([*done, v]))}", v, meta)
                for v, meta in filter_values(current, candidates) if v not in done]

    def _live(self, param: Param) -> list[tuple[str, str]]:
        """Cached uuids of the resource a uuid parameter names (``VmInstanceVO`` → VmInstanceInventory),
        as (uuid, meta) pairs: the meta is the resource's name when the source knows it."""
        if self.live is None or not param.resource or not param.name.lower().endswith(("uuid", "uuids")):
            return []
        inventory = param.resource.removesuffix("VO") + "Inventory"
        if not self.catalog.has_inventory(inventory):
            return []
        return live_pairs(self.live.values(inventory, "uuid"))
