"""LDAP search filters (RFC 4515) over the simulated directory's entries: ``(&(objectClass=person)(cn=a*))``.

:func:`parse` turns a filter into a predicate on an entry's attributes (a dict of lower-cased attribute name →
list of values). Comparison is case-insensitive, as the directory's usual matching rules are; ``*`` in a value
is a wildcard and ``attr=*`` tests presence. ``>=``, ``<=`` and ``~=`` compare as text. A filter that does not
parse raises :class:`FilterError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Predicate = Callable[[dict], bool]
_MAX_DEPTH = 64


class FilterError(ValueError):
    pass


def parse(text: str) -> Predicate:
    text = (text or "").strip()
    if not text:
        raise FilterError("an empty filter")
    if not text.startswith("("):
        text = f"({text})"
    pred, end = _filter(text, 0, 0)
    if end != len(text):
        raise FilterError(f"unexpected text after the filter at {end}")
    return pred


def _filter(s: str, i: int, depth: int) -> tuple[Predicate, int]:
    if depth > _MAX_DEPTH:
        raise FilterError("the filter nests too deep")
    if i >= len(s) or s[i] != "(":
        raise FilterError(f"expected ( at {i}")
    i += 1
    if i < len(s) and s[i] in "&|":
        op, i = s[i], i + 1
        parts = []
        while i < len(s) and s[i] == "(":
            p, i = _filter(s, i, depth + 1)
            parts.append(p)
        pred = (lambda e, ps=parts: all(p(e) for p in ps)) if op == "&" else \
            (lambda e, ps=parts: any(p(e) for p in ps))
    elif i < len(s) and s[i] == "!":
        inner, i = _filter(s, i + 1, depth + 1)
        pred = lambda e, p=inner: not p(e)  # noqa: E731
    else:
        end = s.find(")", i)
        if end < 0:
            raise FilterError("a condition is not closed")
        pred, i = _item(s[i:end]), end
    if i >= len(s) or s[i] != ")":
        raise FilterError(f"expected ) at {i}")
    return pred, i + 1


def _item(text: str) -> Predicate:
    m = re.fullmatch(r"([A-Za-z][\w.;-]*)(=|>=|<=|~=)(.*)", text, re.S)
    if not m:
        raise FilterError(f"not a condition: {text}")
    attr, op, value = m.group(1).lower(), m.group(2), _unescape(m.group(3))
    if op == "=" and value == "*":
        return lambda e: bool(e.get(attr))
    if op == "=" and "*" in value:
        value = re.sub(r"\*+", "*", value)  # one wildcard for a run of them: no runaway backtracking
        rx = re.compile("".join(".*" if part == "*" else re.escape(part) for part in re.split(r"(\*)", value)),
                        re.I | re.S)
        return lambda e: any(rx.fullmatch(str(v)) for v in e.get(attr, ()))
    want = value.lower()
    if op in ("=", "~="):
        return lambda e: any(str(v).lower() == want for v in e.get(attr, ()))
    if op == ">=":
        return lambda e: any(str(v).lower() >= want for v in e.get(attr, ()))
    return lambda e: any(str(v).lower() <= want for v in e.get(attr, ()))


def _unescape(value: str) -> str:
    return re.sub(r"\\([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), value)
