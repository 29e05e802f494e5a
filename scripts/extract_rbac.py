#!/usr/bin/env python3
"""Extract the server's RBAC permissions (facts: API patterns and target resources) from its Java source.

Usage: python scripts/extract_rbac.py [ZSTACK_SOURCE_DIR [REFERENCE_JSON [OUT_JSON]]]
(defaults /work/src/zstack, ../shared/reference/zstack-api.json → zcli/sim/data/rbac.json, committed).

Each ``permissionBuilder() ... .build()`` of an RBACInfo.java outside tests becomes
``{"name", "adminOnly": [...], "normal": [...], "targets": [...]}``: an API named by its class becomes its
full class name, a string stays the pattern the server matches (``org.zstack.header.vm.**``). ``classes``
maps each API of the reference to its message class (``CreateVmInstance`` → ``org.zstack.header.vm.
APICreateVmInstanceMsg``) where the reference names one.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_BLOCK = re.compile(r"permissionBuilder\(\)(.*?)\.build\(\)", re.S)
_CALL = re.compile(r"\.(name|adminOnlyAPIs|normalAPIs|targetResources)\s*\((.*?)\)\s*(?=\.|$)", re.S)


def _items(args: str, classes: dict[str, str]) -> list[str]:
    out = []
    for part in re.findall(r'"([^"]*)"|(\w+)\.class', args):
        text, cls = part
        out.append(text if text else classes.get(cls, cls))
    return out


def extract(src: Path, reference: Path) -> dict:
    apis = json.loads(reference.read_text(encoding="utf-8"))["apis"]
    full = {a["name"]: a["class"] for a in apis if str(a.get("class", "")).endswith("Msg")}
    simple = {c.rsplit(".", 1)[-1]: c for c in full.values()}
    permissions = []
    for path in sorted(src.rglob("RBACInfo.java")):
        if "/test/" in str(path):
            continue
        text = re.sub(r"//[^\n]*", "", path.read_text(encoding="utf-8", errors="replace"))
        for block in _BLOCK.findall(text):
            entry = {"name": None, "adminOnly": [], "normal": [], "targets": []}
            for call, args in _CALL.findall(block + "."):
                if call == "name":
                    entry["name"] = (re.findall(r'"([^"]*)"', args) or [None])[0]
                else:
                    key = {"adminOnlyAPIs": "adminOnly", "normalAPIs": "normal", "targetResources": "targets"}[call]
                    entry[key] += _items(args, simple) if key != "targets" else re.findall(r"(\w+)\.class", args)
            if entry["adminOnly"] or entry["normal"]:
                permissions.append(entry)
    return {"permissions": permissions, "classes": dict(sorted(full.items()))}


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else Path("/work/src/zstack")
    ref = Path(argv[2]) if len(argv) > 2 else ROOT / ".." / "shared" / "reference" / "zstack-api.json"
    out = Path(argv[3]) if len(argv) > 3 else ROOT / "zcli" / "sim" / "data" / "rbac.json"
    data = extract(src, ref)
    out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {out}: {len(data['permissions'])} permissions, {len(data['classes'])} API classes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
