#!/usr/bin/env python3
"""Build zcli's committed catalogue from the reference ``zstack-api.json``.

Usage: python scripts/build_catalog.py [REFERENCE_JSON [OUT_DIR]]

Writes ``zcli/catalog/data/records.jsonl`` (one compact record a line) and ``index.json`` (names,
byte offsets and what completion needs without opening a record). The package reads only these.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zcli.catalog.compact import compact_reference  # noqa: E402
from zcli.catalog.store import write_catalog  # noqa: E402

DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference" / "zstack-api.json"


def main(argv: list[str]) -> int:
    ref_path = Path(argv[1]) if len(argv) > 1 else DEFAULT_REFERENCE
    ref = json.loads(ref_path.read_text(encoding="utf-8"))
    apis, inventories = compact_reference(ref)
    out = Path(argv[2]) if len(argv) > 2 else ROOT / "zcli" / "catalog" / "data"
    meta = {
        "reference": ref.get("source", {}).get("repo"),
        "commit": ref.get("source", {}).get("commit"),
        "counts": {
            "apis": len(apis),
            "queries": sum(bool(a.get("query")) for a in apis),
            "inventories": len(inventories),
        },
    }
    write_catalog(out, apis, inventories, meta)
    print(f"wrote {out}: {meta['counts']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
