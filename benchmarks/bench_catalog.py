"""Catalogue load time: index + one API + its inventory's fields, in a fresh process and warm.

Run: .venv/bin/python benchmarks/bench_catalog.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

COLD = (
    "import time; t=time.perf_counter(); from zcli.catalog import load_catalog; c=load_catalog();"
    "c.fields(c.api('QueryVmInstance').inventory); print(time.perf_counter()-t)"
)


def main() -> None:
    cold = [float(subprocess.check_output([sys.executable, "-c", COLD])) for _ in range(15)]
    from zcli.catalog import Catalog

    warm = []
    for _ in range(50):
        t = time.perf_counter()
        cat = Catalog()
        cat.fields(cat.api("QueryVmInstance").inventory)
        warm.append(time.perf_counter() - t)
    t = time.perf_counter()
    cat = Catalog()
    for name in cat.api_names:
        cat.api(name)
    for name in cat.inventory_names:
        cat.fields(name)
    everything = time.perf_counter() - t
    print(f"import + load + one API, new process: median {statistics.median(cold) * 1e3:.1f} ms, "
          f"min {min(cold) * 1e3:.1f} ms")
    print(f"load + one API, modules imported:     median {statistics.median(warm) * 1e3:.2f} ms")
    print(f"every API and inventory parsed:       {everything * 1e3:.0f} ms "
          f"({len(cat.api_names)} APIs, {len(cat.inventory_names)} inventories)")


if __name__ == "__main__":
    main()
