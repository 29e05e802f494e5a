"""Time the completion engine over 1,000 fixed prefixes spanning the whole catalogue; print p50 and p99.

The prefixes (seeded, so every run times the same set) are API-name prefixes and fuzzy initials, query
fields, cross-table paths up to five hops deep, operators, values (booleans, enums, special keys) and
the parameters and values of non-query APIs. The first pass starts from a fresh engine (its caches fill
on the way, as in a new shell); the second pass is warm. Target: p99 < 5 ms.

Run: ``.venv/bin/python benchmarks/bench_completion.py``
"""

from __future__ import annotations

import random
import statistics
import time

from zcli.catalog import Catalog
from zcli.completion import CompletionEngine


class _Live:
    """A live source with a cached answer for every uuid and name field, as after a few minutes of use."""

    def values(self, inventory: str, field: str) -> list[str]:
        return [f"{inventory[:6].lower()}-{field}-{i:02d}" for i in range(40)]


def _api_word(rng: random.Random, name: str) -> str:
    choice = rng.random()
    if choice < 0.6:
        return name[: rng.randint(1, len(name))]
    humps = name[0] + "".join(c for c in name[1:] if c.isupper())
    return humps.lower()[: rng.randint(2, max(2, len(humps)))]


def _query_line(rng: random.Random, cat: Catalog, api: str) -> str:
    inv = cat.api_summary(api)[3]
    path: list[str] = []
    for _ in range(rng.randint(0, 5)):
        links = [n for n, lk in cat.links(inv).items() if not lk.hidden and not lk.value_field] \
            if inv in cat.store.inventory_index else []
        if not links:
            break
        name = rng.choice(links)
        path.append(name)
        inv = cat.links(inv)[name].target
    fields = [n for n, f in cat.fields(inv).items() if not f.hidden] if inv in cat.store.inventory_index else []
    head = "".join(p + "." for p in path)
    roll = rng.random()
    if not fields or roll < 0.25:
        return f"{api} {head}"
    f = rng.choice(fields)
    if roll < 0.55:
        return f"{api} {head}{f[: rng.randint(1, len(f))]}"
    if roll < 0.7:
        return f"{api} {head}{f}"
    if roll < 0.85:
        return f"{api} {head}{f}{rng.choice(['=', '!=', '?=', '>'])}"
    return f"{api} limit=10 {rng.choice(['fields=uuid,', 'sortBy=', 'sortDirection=', 'count=', 'na'])}"


def _param_line(rng: random.Random, cat: Catalog, api: str) -> str:
    params = cat.api(api).params
    if not params or rng.random() < 0.3:
        return f"{api} "
    p = rng.choice(params)
    if rng.random() < 0.5:
        return f"{api} {p.name[: rng.randint(1, len(p.name))]}"
    return f"{api} {p.name}="


def prefixes(cat: Catalog, n: int = 1000, seed: int = 7) -> list[str]:
    """``n`` completion inputs spread over the catalogue, the same ones for a given seed."""
    rng = random.Random(seed)
    queries = cat.query_api_names()
    others = [a for a in cat.api_names if a not in set(queries)]
    out: list[str] = []
    while len(out) < n:
        roll = rng.random()
        if roll < 0.25:
            out.append(_api_word(rng, rng.choice(cat.api_names)))
        elif roll < 0.75:
            out.append(_query_line(rng, cat, rng.choice(queries)))
        else:
            out.append(_param_line(rng, cat, rng.choice(others)))
    return out


def _time(engine: CompletionEngine, inputs: list[str]) -> tuple[list[float], int]:
    times, total = [], 0
    for text in inputs:
        t0 = time.perf_counter()
        total += len(engine.complete(text))
        times.append((time.perf_counter() - t0) * 1000)
    return times, total


def _report(label: str, times: list[float], total: int) -> None:
    q = statistics.quantiles(times, n=100)
    print(f"{label}: n={len(times)} p50={q[49]:.3f} ms p99={q[98]:.3f} ms max={max(times):.3f} ms "
          f"mean={statistics.fmean(times):.3f} ms suggestions={total}")


def main() -> None:
    cat = Catalog()
    inputs = prefixes(cat)
    engine = CompletionEngine(Catalog(), live=_Live())  # a fresh catalogue: nothing parsed yet
    _report("cold (first pass, caches filling)", *_time(engine, inputs))
    _report("warm (second pass)", *_time(engine, inputs))
    _report("empty line (every API and built-in)", *_time(engine, [""] * 200))


if __name__ == "__main__":
    main()
