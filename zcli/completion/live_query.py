"""The query that fetches live values for completion, and the values read from its reply. Pure: no I/O.

Both sources of live values use it: the zcli shell's background cache (:mod:`zcli.shell.live`, which
sends the grammar's request for :attr:`LiveQuery.words` through :class:`zcli.api.client.ApiClient`) and
the one-shot Tab of bash, zsh and fish (:mod:`zcli.completion.remote`, which sends
:meth:`LiveQuery.query_pairs` through ``http.client``). The one-shot Tab does not import the grammar's
parser: it costs about 8 ms (``hashlib`` among it), and the query of a live value has no condition to
encode; tests check that both forms ask for the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from zcli.catalog import Catalog

#: Values fetched at most per field.
LIMIT = 500

# Live values are plain, or (value, label) pairs such as (uuid, name of the resource).
Values = list[str] | list[tuple[str, str]]


@dataclass(frozen=True)
class LiveQuery:
    """One query for the values of ``field`` over the rows of an inventory.

    Attributes:
        api: the inventory's query API.
        field: the column whose values are wanted.
        label: a column fetched alongside, shown next to each value (``name`` for a ``uuid``), or None.
        limit: the most rows asked for.
    """

    api: str
    field: str
    label: str | None
    limit: int = LIMIT

    @property
    def words(self) -> list[str]:
        """The query as zcli words (``QueryVmInstance fields=uuid,name limit=500``), for the grammar."""
        columns = f"{self.field},{self.label}" if self.label else self.field
        return [self.api, f"fields={columns}", f"limit={self.limit}"]

    def query_pairs(self) -> list[tuple[str, str]]:
        """The query string's pairs, as :func:`zcli.grammar.build_request` makes them of :attr:`words`."""
        columns = f"{self.field},{self.label}" if self.label else self.field
        return [("limit", str(self.limit)), ("fields", columns)]

    def values(self, reply: Any) -> Values:
        """The distinct non-empty values of the reply's rows, in order; (value, label) pairs when a
        label was asked (the label of a value's first row, empty when it has none)."""
        rows = reply.get("inventories") if isinstance(reply, dict) else None
        seen: dict[str, str] = {}
        for row in rows if isinstance(rows, list) else ():
            value = row.get(self.field) if isinstance(row, dict) else None
            if value not in (None, "") and str(value) not in seen:
                seen[str(value)] = str(row.get(self.label) or "") if self.label else ""
        return list(seen.items()) if self.label else list(seen)


class LiveQueries:
    """Builds the :class:`LiveQuery` of an (inventory, field).

    Args:
        catalog: the catalogue (to find an inventory's query API and its fields).
        limit: the most values fetched for one field.
    """

    def __init__(self, catalog: Catalog, limit: int = LIMIT):
        self.catalog = catalog
        self.limit = limit
        self._apis: dict[str, str] | None = None

    def query_api(self, inventory: str) -> str | None:
        """The query API of ``inventory``: ``QueryX`` for ``XInventory`` when it exists, else the first
        (by name) that answers with that inventory."""
        cat = self.catalog
        preferred = "Query" + inventory.removesuffix("Inventory")
        # Nearly always the preferred one: a one-shot Tab then never walks every query API.
        if cat.has_api(preferred) and cat.api_summary(preferred).inventory == inventory:
            return preferred
        if self._apis is None:
            apis: dict[str, str] = {}
            for name in cat.query_api_names():
                inv = cat.api_summary(name).inventory
                if inv:
                    apis.setdefault(inv, name)
            self._apis = apis
        return self._apis.get(inventory)

    def get(self, inventory: str, field: str) -> LiveQuery | None:
        """The query for ``field`` over ``inventory``'s rows; None when no query API answers with it, or
        the field is not one a query may ask for (unknown, or hidden from the API).

        A uuid comes with its resource's name when the inventory has one (one query, both columns), so
        that a menu shows which resource each uuid is.
        """
        api = self.query_api(inventory)
        if api is None:
            return None
        fields = self.catalog.fields(inventory)
        if field not in fields or fields[field].hidden:
            return None
        label = "name" if field == "uuid" and "name" in fields and not fields["name"].hidden else None
        return LiveQuery(api, field, label, self.limit)
