"""The special keys of a query (``limit``, ``start``, ``count``, ``sortBy``, ``fields``...) as typed values.

They are checked and converted once, when the words are parsed: ``limit=20`` becomes the number 20,
``count=TRUE`` the boolean True, ``fields=uuid,name`` the tuple ``("uuid", "name")`` (split as every list
value is, ``\\,`` standing for a comma). Nothing downstream re-parses their text: the request is written
from these values (:meth:`QueryOptions.pairs`), ``--all`` pages by changing them
(:meth:`QueryOptions.page`), and the output's columns come from :attr:`QueryOptions.fields`.
"""

# Annotations are evaluated here, not kept as strings (no `from __future__ import annotations`):
# typing.NamedTuple compiles each string annotation of its fields, which start-up pays for.

from enum import StrEnum
from typing import NamedTuple


class SortDirection(StrEnum):
    ASC = "asc"
    DESC = "desc"


#: Each special key as typed → its attribute of :class:`QueryOptions`.
ATTRIBUTES = {"limit": "limit", "start": "start", "count": "count", "replyWithCount": "reply_with_count",
              "sortBy": "sort_by", "sortDirection": "sort_direction", "fields": "fields", "groupBy": "group_by",
              "filterName": "filter_name"}


class QueryOptions(NamedTuple):
    """A query's special keys, typed; None (or an empty ``fields``) where not given."""

    limit: int | None = None
    start: int | None = None
    count: bool | None = None
    reply_with_count: bool | None = None
    sort_by: str | None = None
    sort_direction: SortDirection | None = None
    fields: tuple[str, ...] = ()
    group_by: str | None = None
    filter_name: str | None = None

    def given(self, key: str) -> bool:
        """Whether the special key ``key`` (as typed: ``replyWithCount``) was given."""
        value = getattr(self, ATTRIBUTES[key])
        return value != () and value is not None

    def with_key(self, key: str, value: object) -> "QueryOptions":
        """These options with the special key ``key`` (as typed) set to its typed ``value``."""
        return self._replace(**{ATTRIBUTES[key]: value})

    def page(self, limit: int, start: int) -> "QueryOptions":
        """The options for one page of ``--all``."""
        return self._replace(limit=limit, start=start)

    def pairs(self) -> list[tuple[str, str]]:
        """The REST query pairs they are sent as (after the ``q`` conditions)."""
        out: list[tuple[str, str]] = []
        for key, value in (("limit", self.limit), ("start", self.start)):
            if value is not None:
                out.append((key, str(value)))
        for key, flag in (("count", self.count), ("replyWithCount", self.reply_with_count)):
            if flag is not None:
                out.append((key, "true" if flag else "false"))
        if self.sort_by is not None:
            out.append(("sort", ("-" if self.sort_direction == SortDirection.DESC else "+") + self.sort_by))
        if self.fields:
            out.append(("fields", ",".join(self.fields)))
        for key, value in (("groupBy", self.group_by), ("filterName", self.filter_name)):
            if value is not None:
                out.append((key, value))
        return out
