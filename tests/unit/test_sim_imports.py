"""The simulator imports nothing of zcli but the catalogue (and the ZQL language it executes)."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
import zcli.sim.cli, zcli.sim.server, zcli.sim.app, zcli.sim.http
from zcli.sim.server import open_simulator
sim, _ = open_simulator()
sim.handle("GET", "/zstack/v1/zones", [("q", "name=zone-1")], {"Authorization": "OAuth x"}, b"", "http://x")
sim.handle("GET", "/zstack/v1/zql", [("zql", "query vminstanc")], {"Authorization": "OAuth x"}, b"", "http://x")
sim.close()
print("\\n".join(sorted(m for m in sys.modules if m.startswith("zcli"))))
"""


def test_the_simulator_imports_only_the_catalogue_of_zcli():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True, timeout=120).stdout
    others = [m for m in out.split() if m != "zcli" and not m.startswith(("zcli.sim", "zcli.catalog", "zcli.zql"))]
    assert others == []
    zql = {m for m in out.split() if m.startswith("zcli.zql")}
    language = {"zcli.zql", "zcli.zql.ast", "zcli.zql.errors", "zcli.zql.lexer", "zcli.zql.cursor", "zcli.zql.parser",
                "zcli.zql.schema"}
    assert zql <= language  # the language alone, never its completion or presentation
