"""Time ZQL completion over 1,000 fixed prefixes, beside q= completion over its own 1,000; print p50 and p99.

The ZQL prefixes (seeded: every run times the same set) cut whole statements built from the catalogue
at every kind of position: statement keywords, entities, ``entity.`` fields, ``where`` fields and
cross-table paths up to four hops, operators, values (enums, booleans, live values), ``and``/``or``,
``order by``/``group by``/``limit``/``return with``/``named as``, functions and several statements.
Both sets go through one :class:`~zcli.completion.CompletionEngine`, as the shell's Tab does. The first
pass starts from fresh engines (caches filling, as in a new shell), the second is warm.
Targets: ZQL p99 < 5 ms, and not above q=.

Run: ``.venv/bin/python benchmarks/bench_zql_completion.py``
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_completion import _Live, _report, _time
from bench_completion import prefixes as query_prefixes

from zcli.catalog import Catalog
from zcli.completion import CompletionEngine
from zcli.zql.schema import entity_name

_CLAUSES = [" order by {f} desc", " group by {f}", " limit 10", " offset 5", " return with (total)", " named as 'x'"]
_OPS = ["=", "!=", ">", "<=", "like", "in", "is null", "is not null", "not in"]


def _path(rng: random.Random, cat: Catalog, inv: str) -> tuple[str, str]:
    """A dotted path from ``inv`` (up to four hops) and the inventory it ends in."""
    parts: list[str] = []
    for _ in range(rng.randint(0, 4)):
        links = [n for n, lk in cat.links(inv).items() if not lk.hidden and not lk.value_field] \
            if inv in cat.store.inventory_index else []
        if not links or rng.random() < 0.4:
            break
        name = rng.choice(links)
        parts.append(name)
        inv = cat.links(inv)[name].target
    fields = [n for n, f in cat.fields(inv).items() if not f.hidden and f.kind in ("string", "int", "bool")] \
        if inv in cat.store.inventory_index else []
    parts.append(rng.choice(fields) if fields else "uuid")
    return ".".join(parts), inv


def _statement(rng: random.Random, cat: Catalog, inventories: list[str]) -> str:
    inv = rng.choice(inventories)
    ent = entity_name(inv)
    plain = [n for n, f in cat.fields(inv).items() if f.kind in ("string", "int")] or ["uuid"]
    head = rng.choice(["query", "query", "count"])
    text = f"{head} {ent}"
    if head == "query" and rng.random() < 0.3:
        text += "." + ",".join(rng.sample(plain, min(len(plain), rng.randint(1, 3))))
    conds = []
    for _ in range(rng.randint(1, 3)):
        path, _ = _path(rng, cat, inv)
        op = rng.choice(_OPS)
        value = "" if "null" in op else (" ('a', 'b')" if "in" in op else " 'Running'")
        conds.append(f"{path} {op}{value}")
    text += " where " + f" {rng.choice(['and', 'or'])} ".join(conds)
    for clause in rng.sample(_CLAUSES, rng.randint(0, 2)):
        text += clause.format(f=rng.choice(plain))
    return text


def zql_prefixes(cat: Catalog, n: int = 1000, seed: int = 11) -> list[str]:
    """``n`` ZQL completion inputs: statements cut at a random point, the same ones for a given seed."""
    rng = random.Random(seed)
    inventories = [i for i in cat.inventory_names if cat.fields(i)]
    out: list[str] = []
    while len(out) < n:
        text = _statement(rng, cat, inventories)
        if rng.random() < 0.1:
            text = f"count {entity_name(rng.choice(inventories))}; {text}"
        out.append(text[: rng.randint(6, len(text))])
    return out


def _best(engine: CompletionEngine, inputs: list[str]) -> tuple[list[float], int]:
    runs = [_time(engine, inputs) for _ in range(3)]
    return [min(t) for t in zip(*(r[0] for r in runs), strict=True)], runs[0][1]


def main() -> None:
    zql_inputs = zql_prefixes(Catalog())
    q_inputs = query_prefixes(Catalog())
    zql_engine = CompletionEngine(Catalog(), live=_Live())
    q_engine = CompletionEngine(Catalog(), live=_Live())
    _report("ZQL cold (first pass, caches filling)", *_time(zql_engine, zql_inputs))
    _report("q=  cold (first pass, caches filling)", *_time(q_engine, q_inputs))
    _report("ZQL warm (second pass)", *_time(zql_engine, zql_inputs))
    _report("q=  warm (second pass)", *_time(q_engine, q_inputs))
    # The machine is shared: the best of three runs of each prefix leaves out other processes' pauses.
    _report("ZQL warm, best of 3 per prefix", *_best(zql_engine, zql_inputs))
    _report("q=  warm, best of 3 per prefix", *_best(q_engine, q_inputs))
    fixed = ["query ", "query vminstance where ", "query vminstance where vmNics.", "count vminstance group by ",
             "query vminstance where state = "]
    _report("ZQL the note's screens (x200 each)", *_time(zql_engine, fixed * 200))


if __name__ == "__main__":
    main()
