"""Matching a typed prefix against names: prefix matches first, then fuzzy (subsequence) ones.

``qms`` finds ``QueryModelService``: its letters appear in order. Fuzzy matches are ranked so that
the ones whose capitals (camel humps) spell the query come first, then the most compact ones (the
shortest stretch of the name that holds the letters), then the shortest names.
"""

from __future__ import annotations

import re
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
