"""Completion of a ZQL line from the catalogue. Pure: live values come from the engine's non-blocking source.

The text before the cursor is split into the fragment being typed (a name, a number, an open string,
or the first words of a two-word keyword such as ``order b``) and what precedes it. The parser reads
the preceding text as far as it goes and says what its end expects (:class:`~zcli.zql.cursor.Expect`):
statement keywords, entities with their inventory, fields after ``entity.`` (several, comma-separated),
fields and dotted cross-table paths in ``where``/``restrict by``, the operators valid for the field, then
values (booleans, enums, live values, quoted as ZQL wants them), and the clause keywords that may follow.
"""

from __future__ import annotations

import re

from zcli.catalog import Catalog
from zcli.catalog.errors import CatalogError
from zcli.completion.fuzzy import Ranker, rank
from zcli.completion.query import QueryCompleter
from zcli.completion.suggestion import Entry, Suggestion, entry, entry_key, join_meta, short
from zcli.zql.cursor import Expect
from zcli.zql.lexer import PHRASES
from zcli.zql.parser import FUNCTIONS, partial
from zcli.zql.schema import OPERATOR_HELP, TAG_FIELDS, schema_for

_WORD_TAIL = re.compile(r"[A-Za-z0-9_]*\Z")
_BLANKS = re.compile(r"[ \t\r\n]+")
_KEYWORD_HELP = {
    "query": "query ENTITY[.FIELD,...] [where ...]: rows", "count": "count ENTITY [where ...] [group by F]: a count",
    "sum": "sum ENTITY.FIELD by FIELD: totals per value", "search": "search 'TEXT' [from ENTITY]: full-text",
    "where": "conditions", "and": "both conditions", "or": "either condition", "order by": "order by FIELD asc|desc",
    "group by": "group by FIELD[,FIELD]", "limit": "limit N: at most N rows", "offset": "offset N: skip N rows",
    "return with": "return with (total)", "named as": "named as 'NAME': the result's name",
    "restrict by": "restrict by (ENTITY.FIELD = VALUE)", "filter by": "filter by NAME{...}",
    "asc": "ascending", "desc": "descending", "by": "by FIELD", "from": "from ENTITY[,ENTITY]",
}
_FUNCTION_HELP = {"distinct": "distinct rows", "max": "the largest value", "min": "the smallest value",
                  "avg": "the mean value"}


def quote(value: str) -> str:
    """A string as a ZQL literal: single quotes, a quote inside doubled."""
    return "'" + value.replace("'", "''") + "'"


def split_fragment(text: str) -> tuple[str, str]:
    """(text before the fragment, the fragment being typed)."""
    # An open string: from its quote to the end.
    quote_at = _open_quote(text)
    if quote_at is not None:
        return text[:quote_at], text[quote_at:]
    start = _WORD_TAIL.search(text).start()
    # The first words of a two-word keyword (``order b``, ``is not ``) belong to the fragment.
    words = [m.start() for m in re.finditer(r"[A-Za-z]+", text[max(0, start - 24):start])]
    base = max(0, start - 24)
    for w in words:
        norm = _BLANKS.sub(" ", text[base + w:])
        if " " in norm and any(p.startswith(norm) and p != norm for p in PHRASES):
            return text[:base + w], text[base + w:]
    return text[:start], text[start:]


def _open_quote(text: str) -> int | None:
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"":
            j = i + 1
            while j < n:
                if text[j] == c:
                    if c == "'" and text.startswith("''", j):
                        j += 2
                        continue
                    break
                j += 1
            if j >= n:
                return i
            i = j + 1
            continue
        i += 1
    return None


class ZQLCompleter:
    """Suggestions for a ZQL line; entries are cached per entity.

    Args:
        catalog: the catalogue.
        live: the engine's live-value source (``values(inventory, field)``, never blocking), or None.
    """

    def __init__(self, catalog: Catalog, live=None):
        self.catalog = catalog
        self.schema = schema_for(catalog)
        self.live = live
        self.paths = QueryCompleter(catalog, live)  # the q= completer's levels: the same fields and links
        self._entities: Ranker | None = None
        self._columns: dict[str, list[Entry]] = {}

    def complete(self, text: str) -> list[Suggestion]:
        """Suggestions for the fragment that ends ``text`` (a ZQL line up to the cursor)."""
        before, fragment = split_fragment(text)
        parser = partial(before)
        start = -len(fragment)
        typed = _BLANKS.sub(" ", fragment)
        out: list[Suggestion] = []
        seen: set[str] = set()
        keywords: list[tuple[str, str]] = []
        for e in dict.fromkeys(parser.expected):  # the same expectation may be recorded twice
            if e.kind == "keyword":
                keywords += [(w, _KEYWORD_HELP.get(w, OPERATOR_HELP.get(w, ""))) for w in e.words]
                continue
            for text_, display, meta in self._expect(e, typed):
                if text_ not in seen:
                    seen.add(text_)
                    out.append(Suggestion(text_, start, display, meta))
        for w, meta in keywords:
            if w.startswith(typed) and w not in seen:
                seen.add(w)
                out.append(Suggestion(w + " ", start, w, meta))
        if not typed and not before.strip():
            out = [Suggestion(w + " ", 0, w, _KEYWORD_HELP[w]) for w in ("query", "count", "sum", "search")]
        return out

    # --- one expectation ----------------------------------------------------------------------
    def _expect(self, e: Expect, typed: str) -> list[tuple[str, str, str]]:
        if e.kind == "entity":
            return [(en.insert, en.insert, en.meta) for en in self._entity_ranker().rank(typed)]
        if e.kind == "function":
            return [(f + "(", f + "(", _FUNCTION_HELP[f]) for f in FUNCTIONS if f.startswith(typed) and typed]
        if e.kind == "field":
            return self._fields(e, typed)
        if e.kind == "operator":
            ops = self.schema.operators(e.entity, list(e.path))
            return [(op + " ", op, OPERATOR_HELP[op]) for op in ops if op.startswith(typed)]
        if e.kind == "value":
            return self._values(e, typed)
        if e.kind == "name" and e.words:
            return [(w, w, "the total of rows matching, before limit") for w in e.words if w.startswith(typed)]
        return []

    def _entity_ranker(self) -> Ranker:
        if self._entities is None:
            self._entities = Ranker([entry(name, name, short(self.schema.describe(name), 70))
                                     for name in self.schema.entities], key=entry_key)
        return self._entities

    def _fields(self, e: Expect, typed: str) -> list[tuple[str, str, str]]:
        if e.role in ("where", "restrict"):
            inv = self.schema.inventory(e.entity)
            if inv is None:
                return []
            target = self.paths.walk(inv, list(e.path)) if e.path else inv
            if target is None:
                return []
            entries, _ = self.paths.level(target)
            out = [(en.insert, en.insert, en.meta) for en in rank(typed, entries, key=entry_key)]
            if not e.path:
                out += [(k, k, h) for k, h in TAG_FIELDS.items() if k.startswith(typed) and typed.startswith("_")]
            return out
        entries = self._column_entries(e.entity, e.role)
        done = set(e.done)
        return [(en.insert, en.insert, en.meta) for en in rank(typed, entries, key=entry_key)
                if en.insert not in done]

    def _column_entries(self, entity: str, role: str) -> list[Entry]:
        key = f"{entity}\0{role}"
        cached = self._columns.get(key)
        if cached is None:
            inv = self.schema.inventory(entity)
            fields = self.catalog.fields(inv) if inv and role == "target" else self.schema.plain_fields(entity)
            cached = [entry(n, n, join_meta(f.type, short(f.desc))) for n, f in fields.items() if not f.hidden]
            if role == "order" and entity:
                cached.append(entry("groupCount", "groupCount", "the count of a count … group by"))
            self._columns[key] = cached
        return cached

    def _values(self, e: Expect, typed: str) -> list[tuple[str, str, str]]:
        if len(e.path) == 1 and e.path[0] in TAG_FIELDS:
            return []
        try:
            r = self.schema.resolve(e.entity, list(e.path))
        except CatalogError:
            return []
        f = r.field
        candidates: list[tuple[str, str]] = []
        if f.kind == "bool":
            candidates += [("true", "boolean"), ("false", "boolean")]
        candidates += [(quote(str(v)), "value") for v in f.values]
        candidates += [(quote(v), meta) for v, meta in self.paths._live(r.inventory, f)]
        if e.op in ("in", "not in", "has", "not has") and not typed:
            candidates.insert(0, ("(", "a list: ('a', 'b')"))
        if not typed:
            return [(v, v, meta) for v, meta in candidates]
        # A fragment is matched with or without its opening quote, against the value and its label.
        low = (typed[1:] if typed[:1] in "'\"" else typed).lower()
        first, then = [], []
        for v, meta in candidates:
            plain = (v[1:-1].replace("''", "'") if v.startswith("'") else v).lower()
            if plain.startswith(low):
                first.append((v, v, meta))
            elif low in plain or (meta not in ("value", "boolean", "live") and low in meta.lower()):
                then.append((v, v, meta))
        return first + then
