#!/usr/bin/env python3
"""Extract the server's system tag formats (facts: format and resource type) from its Java source.

Usage: python scripts/extract_system_tags.py [ZSTACK_SOURCE_DIR [OUT_JSON]]
(default /work/src/zstack → zcli/sim/data/system_tags.json, which is committed).

Each ``new SystemTag("fmt", XVO.class)`` / ``new PatternedSystemTag(...)`` outside tests becomes
``[format, "XVO"]``. Formats built with ``String.format`` or string constants of the same file are
resolved; a ``{token}`` segment stands for any value, as the server's ``TagUtils.isMatch`` reads it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_NEW = re.compile(r"new\s+(?:PatternedSystemTag|SystemTag)\s*\(\s*(.*?)\s*,\s*(\w+)\.class", re.S)
_CONST = re.compile(r'String\s+(\w+)\s*=\s*"([^"]*)"\s*;')
_FORMAT = re.compile(r'String\.format\(\s*"([^"]*)"\s*((?:,\s*[\w.]+\s*)*)\)\s*$', re.S)


def _value(expr: str, consts: dict[str, str]) -> str | None:
    expr = expr.strip()
    m = _FORMAT.fullmatch(expr)
    if m:
        args = [a.strip() for a in m.group(2).split(",") if a.strip()]
        fmt = re.sub(r"\{%s\}", "{token}", m.group(1))
        values = [consts.get(a.split(".")[-1]) for a in args[len(re.findall(r"\{%s\}", m.group(1))):]]
        for v in values:
            if v is None:
                return None
            fmt = fmt.replace("%s", v, 1)
        return None if "%s" in fmt else fmt
    out = []
    for part in re.split(r"\s*\+\s*", expr):
        part = part.strip()
        if len(part) >= 2 and part[0] == part[-1] == '"':
            out.append(part[1:-1])
        elif part.split(".")[-1] in consts:
            out.append(consts[part.split(".")[-1]])
        else:
            return None
    return "".join(out)


def extract(source: Path) -> list[list[str]]:
    found: set[tuple[str, str]] = set()
    for path in sorted(source.rglob("*.java")):
        text_path = str(path)
        if "/test/" in text_path or "/sdk/" in text_path:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if "SystemTag(" not in text:
            continue
        consts = dict(_CONST.findall(text))
        for m in _NEW.finditer(text):
            fmt = _value(m.group(1), consts)
            if fmt:
                found.add((fmt, m.group(2)))
    return [list(t) for t in sorted(found)]


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else Path("/work/src/zstack")
    out = Path(argv[2]) if len(argv) > 2 else ROOT / "zcli" / "sim" / "data" / "system_tags.json"
    tags = extract(source)
    lines = ",\n".join(json.dumps(t, ensure_ascii=False) for t in tags)
    out.write_text('{"source": "zstackio/zstack: new SystemTag/PatternedSystemTag declarations",\n"tags": [\n'
                   + lines + "\n]}\n", encoding="utf-8")
    print(f"wrote {out}: {len(tags)} system tag formats")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
