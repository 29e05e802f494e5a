"""Matching a typed prefix against names: prefix matches first, then fuzzy (subsequence) ones.

``qms`` finds ``QueryModelService``: its letters appear in order. Fuzzy matches are ranked so that
the ones whose capitals (camel humps) spell the query come first, then the most compact ones (the
shortest stretch of the name that holds the letters), then the shortest names.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Name:
    """A candidate name with what matching needs precomputed.

    Attributes:
        name: the name.
        weight: breaks ties between equally good fuzzy matches, lower first (e.g. documented APIs).
    """

    name: str
    weight: int = 0

    @cached_property
    def lower(self) -> str:
        return self.name.lower()

    @cached_property
    def humps(self) -> str:
        """The first letter and every capital, lower-cased: ``QueryModelService`` → ``qms``."""
        return (self.name[:1] + "".join(c for c in self.name[1:] if c.isupper())).lower()


def _is_subsequence(query: str, text: str) -> bool:
    it = iter(text)
    return all(c in it for c in query)


def _span(query: str, text: str) -> int:
    """The length of the shortest stretch of ``text`` holding ``query``'s letters in order."""
    best = len(text) + 1
    first = query[0]
    pos = text.find(first)
    while pos != -1:
        j = pos + 1
        for c in query[1:]:
            j = text.find(c, j)
            if j == -1:
                return best
            j += 1
        best = min(best, j - pos)
        pos = text.find(first, pos + 1)
    return best


def _identity(item):
    return item


def rank(query: str, items: Sequence[T], *, key: Callable[[T], Name] = _identity, fuzzy: bool = True) -> list[T]:
    """The items whose name matches ``query``: prefix matches (case-insensitive, in the given order),
    then fuzzy ones, best first.

    Args:
        query: what was typed; empty matches every item.
        items: the candidates, in the order prefix matches should keep.
        key: gives an item's :class:`Name` (the item itself by default).
        fuzzy: also return subsequence matches (only for queries of three letters or more).
    """
    if not query:
        return list(items)
    low = query.lower()
    prefix = [i for i in items if key(i).lower.startswith(low)]
    if not fuzzy or len(low) < 3:
        return prefix  # two letters match most names in some order: noise, and slow over 1,936 APIs
    # ``[^a]*a[^b]*b...`` anchored at the start tests for a subsequence in C, in one pass.
    pattern = re.compile("".join(f"[^{re.escape(c)}]*{re.escape(c)}" for c in low))
    scored = []
    for i in items:
        n = key(i)
        if n.lower.startswith(low) or pattern.match(n.lower) is None:
            continue
        scored.append((_hump_score(low, n.humps), n.weight, _span(low, n.lower), len(n.name), n.name, i))
    scored.sort(key=lambda s: s[:5])
    return prefix + [s[5] for s in scored]


class Ranker:
    """:func:`rank` over a fixed list of many items (the ~1,950 API names), with what matching needs
    computed once: the lower-cased names joined in one text, so that the prefix and subsequence tests
    run as one regular-expression scan in C instead of a Python loop over every name.

    Args:
        items: the candidates, in the order prefix matches should keep.
        key: gives an item's :class:`Name`.
    """

    def __init__(self, items: Sequence[T], *, key: Callable[[T], Name] = _identity):
        self.items = list(items)
        self.names = [key(i) for i in self.items]
        lows = [n.lower for n in self.names]
        self._text = "\n".join(lows)  # names never hold a newline
        self._starts, pos = [], 0
        for low in lows:
            self._starts.append(pos)
            pos += len(low) + 1

    def _indexes(self, pattern: str) -> list[int]:
        """Indexes of the names matched by ``pattern`` anchored at a name's start, in order."""
        starts = self._starts
        return [bisect_right(starts, m.start()) - 1 for m in re.finditer(pattern, self._text, re.MULTILINE)]

    def rank(self, query: str, *, fuzzy: bool = True) -> list[T]:
        """As :func:`rank` (same order, same results) over this ranker's items."""
        if not query:
            return list(self.items)
        low = query.lower()
        if "\n" in low:
            return []
        prefix = self._indexes("^" + re.escape(low))
        out = [self.items[i] for i in prefix]
        if not fuzzy or len(low) < 3:
            return out
        pattern = "^" + "".join(f"[^{re.escape(c)}\n]*{re.escape(c)}" for c in low)
        skip = set(prefix)
        scored = []
        for i in self._indexes(pattern):
            if i in skip:
                continue
            n = self.names[i]
            scored.append((_hump_score(low, n.humps), n.weight, _span(low, n.lower), len(n.name), n.name, i))
        scored.sort(key=lambda s: s[:5])
        return out + [self.items[s[5]] for s in scored]


def _hump_score(query: str, humps: str) -> int:
    """0 when the capitals spell the query, 1 when they start with it, 2 when they hold it, else 3."""
    if humps == query:
        return 0
    if humps.startswith(query):
        return 1
    return 2 if _is_subsequence(query, humps) else 3


def names(items: Iterable[str]) -> list[Name]:
    """Wrap plain strings as :class:`Name` candidates."""
    return [Name(i) for i in items]
