#!/usr/bin/env python3
"""Build zcli's committed catalogue from the reference ``zstack-api.json``.

Usage: python scripts/build_catalog.py [REFERENCE_JSON [OUT_DIR]]

Writes ``zcli/catalog/data/records.jsonl`` (one compact record a line), ``index.json`` (names, byte offsets
and what completion needs without opening a record) and ``lookup.tsv`` (each name's offset, what one
command reads instead of the whole index). The package reads only these.

The reference's entries show each parameter's ``@APIParam`` as declared; where a message class overrides an
inherited one with ``@OverriddenApiParams`` (``url`` is optional for AddCephPrimaryStorage and
AddCephBackupStorage), the server checks the override. The reference lists those differences under
``validation.javaSdk.overlapCrossCheck`` (the Java SDK applies the overrides): :func:`apply_overrides` puts
them into the entries before they are compacted, so the catalogue checks what the server checks.
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


#: The server version of each reference commit (its VERSION file: MAJOR.MINOR.UPDATE), named in messages when the
#: server and the catalogue differ.
REFERENCE_VERSIONS = {"5a29293bd53c98a38488fb8b71d54531012d3dae": "5.2.1"}

#: The overlapCrossCheck lists and the reference parameter key each one sets to its ``javaSdk`` value.
OVERRIDE_LISTS = {"paramRequiredDiffs": "required", "paramMaxLengthDiffs": "maxLength",
                  "paramEmptyStringDiffs": "emptyString"}


def apply_overrides(ref: dict) -> list[str]:
    """Apply the ``@OverriddenApiParams`` of ``ref`` (see the module docstring) to its API entries, in place.

    Returns:
        One line per parameter changed, e.g. ``AddCephPrimaryStorage.url: required True -> False``.

    Raises:
        SystemExit: an override names an API or parameter the reference does not have (the data moved on).
    """
    checks = ref.get("validation", {}).get("javaSdk", {}).get("overlapCrossCheck", {})
    apis = {a["name"]: a for a in ref.get("apis", [])}
    changed = []
    for list_name, key in OVERRIDE_LISTS.items():
        for diff in checks.get(list_name) or ():
            api = apis.get(diff["api"])
            param = next((p for p in (api or {}).get("params") or () if p["name"] == diff["param"]), None)
            if param is None:
                raise SystemExit(f"override {list_name} names {diff['api']}.{diff['param']}, not in the reference")
            if param.get(key) != diff["javaSdk"]:
                changed.append(f"{diff['api']}.{diff['param']}: {key} {param.get(key)!r} -> {diff['javaSdk']!r}")
                param[key] = diff["javaSdk"]
    return changed


def main(argv: list[str]) -> int:
    ref_path = Path(argv[1]) if len(argv) > 1 else DEFAULT_REFERENCE
    ref = json.loads(ref_path.read_text(encoding="utf-8"))
    overridden = apply_overrides(ref)
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
        "overriddenApiParams": len(overridden),
        "version": REFERENCE_VERSIONS.get(ref.get("source", {}).get("commit")),
    }
    write_catalog(out, apis, inventories, meta)
    print(f"wrote {out}: {meta['counts']}")
    if len(argv) <= 2:  # the committed catalogue: the simulator's global configurations beside it
        from global_configs import OUT, build

        print(f"wrote {OUT}: {build()} global configurations")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
