"""The query operators and special keys of the zcli grammar (zstack-cli's, with its bugs fixed).

A condition word is ``key<op>value``. The word is split at the first operator found scanning left
to right, the longest operator winning at each position (so ``a>=1`` is ``>=``, and ``a=b=c`` has the
value ``b=c``). ``=null`` and ``!=null`` become ``is null`` / ``not null`` on the wire.
"""

from __future__ import annotations

import re

# Longest first: at any position the longest operator that matches wins.
OPERATORS: tuple[str, ...] = ("!?=", "!~=", "!=", ">=", "<=", "?=", "~=", "=", ">", "<")

#: Operators that make sense for each kind of field (see zcli.catalog.type_kind).
OPERATORS_BY_KIND: dict[str, tuple[str, ...]] = {
    "string": ("=", "!=", "~=", "!~=", "?=", "!?=", ">", "<", ">=", "<="),
    "int": ("=", "!=", ">", "<", ">=", "<=", "?=", "!?="),
    "float": ("=", "!=", ">", "<", ">=", "<="),
    "bool": ("=", "!="),
    "timestamp": ("=", "!=", ">", "<", ">=", "<="),
    "list": ("=", "!=", "~=", "!~=", "?=", "!?="),
    "map": ("=", "!=", "~="),
    "object": ("=", "!="),
}

OPERATOR_HELP: dict[str, str] = {
    "=": "equal (=null: is null)",
    "!=": "not equal (!=null: not null)",
    ">": "greater than",
    "<": "less than",
    ">=": "greater or equal",
    "<=": "less or equal",
    "?=": "in: a,b,c",
    "!?=": "not in: a,b,c",
    "~=": "like: %wildcards%, added when absent",
    "!~=": "not like",
}

#: Special query keys, with what they take.
SPECIAL_KEYS: dict[str, str] = {
    "limit": "how many rows at most (integer)",
    "start": "skip this many rows (integer)",
    "count": "true: reply the total only",
    "replyWithCount": "true: add the total to the reply",
    "sortBy": "field to sort by",
    "sortDirection": "asc or desc",
    "fields": "comma-separated fields to return",
    "groupBy": "field to group by",
    "filterName": "server-side filter name",
}

#: Tag keys every query accepts.
TAG_KEYS: dict[str, str] = {
    "__systemTag__": "a system tag of the resource",
    "__userTag__": "a user tag of the resource",
    "__tagUuid__": "the uuid of a tag on the resource",
}


# The operators as one pattern, in OPERATORS' order: a search stops at the first position where one matches,
# and there takes the first alternative that does, the longest (linear time, however long the word).
_OPERATOR = re.compile("|".join(re.escape(op) for op in OPERATORS))


def split_condition(word: str) -> tuple[str, str, str] | None:
    """Split ``key<op>value`` at its first operator; None when the word holds no operator."""
    m = _OPERATOR.search(word)
    if m is None:
        return None
    return word[:m.start()], m.group(), word[m.end():]
