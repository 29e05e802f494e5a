"""The simulator's global configurations, from the reference ``zstack-global-configs.json``.

``scripts/build_catalog.py`` calls :func:`build` beside the catalogue: it writes
``zcli/sim/data/global_configs.json`` (committed), one configuration a line:
``[category, name, defaultValue, type, description, validValues, resourceTypes]``, where ``type`` is the
Java class's simple name (``Integer``, ``Long``, ``Boolean``, ``Double``, ``String``).
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference" / "zstack-global-configs.json"
OUT = ROOT / "zcli" / "sim" / "data" / "global_configs.json"


def build(reference: Path = REFERENCE, out: Path = OUT) -> int:
    """Write the simulator's configurations from ``reference``; how many."""
    doc = json.loads(reference.read_text(encoding="utf-8"))
    rows = []
    for c in doc["globalConfigs"]:
        rows.append([c["category"], c["name"], c.get("defaultValue") or "", (c.get("type") or "String").split(".")[-1],
                     c.get("description") or "", list(c.get("validValues") or []), list(c.get("resourceTypes") or [])])
    rows.sort(key=lambda r: (r[0], r[1]))
    lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
    source = doc.get("source", {})
    head = json.dumps({"repo": source.get("repo"), "commit": source.get("commit")}, ensure_ascii=False)
    out.write_text(f'{{"source": {head},\n"configs": [\n{lines}\n]}}\n', encoding="utf-8")
    return len(rows)
