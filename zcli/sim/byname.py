"""A simulator mechanism whose APIs are named one by one (see ``generic.MORE``).

A subclass gives :meth:`ByName.operations`: each API's name, mapped to how it is carried out (a phrase for
the coverage table) and the function of the call's parameters that carries it out. ``plan`` and ``run``
follow from that table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class ByName:
    kind = ""
    before = True

    def __init__(self, catalog, store, writer):
        self.catalog = catalog
        self.store = store
        self.writer = writer
        self.ops = self.operations()

    def operations(self) -> dict[str, tuple[str, Callable[[dict], Any]]]:
        """API name → (how, function of the parameters)."""
        raise NotImplementedError

    def plan(self, api) -> str | None:
        found = self.ops.get(api.name)
        return found[0] if found else None

    def run(self, api, params: dict):
        return self.ops[api.name][1](params)
