#!/usr/bin/env python3
"""Write the simulator's coverage table, IMPLEMENTATION_COVERAGE.md, from the catalogue and the simulator.

Usage: python scripts/sim_coverage.py [--check]

Every non-query API is called once through the simulator with its required parameters filled from the
demo world (see zcli/sim/coverage.py). ``--check`` writes nothing and exits 1 when the file is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zcli.sim.coverage import measure, render  # noqa: E402

TABLE = ROOT / "IMPLEMENTATION_COVERAGE.md"


def main(argv: list[str]) -> int:
    outcomes = measure()
    text = render(outcomes)
    total = len(outcomes)
    unsupported = sum(o.result == "unsupported" for o in outcomes)
    if "--check" in argv:
        current = TABLE.read_text(encoding="utf-8") if TABLE.exists() else ""
        if current != text:
            print(f"{TABLE.name} is stale: run python scripts/sim_coverage.py", file=sys.stderr)
            return 1
        return 0
    TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE}: {total} non-query APIs, {unsupported} not supported ({100 * unsupported / total:.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
