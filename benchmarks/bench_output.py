"""Renderer speed: 10,000 VM-like rows as a table, json, csv, and streamed in pages of 1,000.

Run: .venv/bin/python benchmarks/bench_output.py
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROWS = 10_000
STATES = ("Running", "Stopped", "Starting", "Error")


def make_rows(n: int) -> list[dict]:
    """Rows shaped like a ZStack VmInstanceInventory, with a CJK name now and then."""
    return [{
        "uuid": f"{i:032x}", "name": f"vm-{i}" if i % 7 else f"虚拟机-{i}", "description": "benchmark row",
        "zoneUuid": f"{i % 3:032x}", "clusterUuid": f"{i % 5:032x}", "hostUuid": f"{i % 50:032x}",
        "platform": "Linux", "architecture": "x86_64", "type": "UserVm", "hypervisorType": "KVM",
        "memorySize": 2 ** 30 * (1 + i % 16), "cpuNum": 1 + i % 16, "state": STATES[i % 4],
        "createDate": "Jan 1, 2024 10:00:00 AM", "lastOpDate": "Jan 1, 2024 10:00:00 AM",
        "vmNics": [{"uuid": f"{i:032x}", "ip": f"10.0.{i // 256 % 256}.{i % 256}", "l3NetworkUuid": "0" * 32}],
        "allVolumes": [], "guestOsType": "CentOS 7",
    } for i in range(n)]


def timed(fn, repeat: int = 5) -> float:
    """Median wall time of ``fn()`` in milliseconds, after one warm-up run."""
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


def import_cost(preload: str = "") -> str:
    """Time to import zcli.output and render a small reply as JSON, in a new process.

    ``preload`` is imported first, untimed (the one-shot path has click and requests loaded anyway).
    Bytecode is cached in a temporary folder (this environment may set PYTHONDONTWRITEBYTECODE, which
    would time the compiler rather than the import), and the first run, which fills it, is not counted.
    """
    code = (f"{preload}\nimport time; t=time.perf_counter(); from zcli.output import render; render({{}}, 'json');"
            "import sys; print(time.perf_counter()-t, int('yaml' in sys.modules), int('rich' in sys.modules))")
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PYTHONPYCACHEPREFIX": cache}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        runs = [subprocess.check_output([sys.executable, "-c", code], text=True, env=env).split()
                for _ in range(12)][2:]
    ms = statistics.median(float(r[0]) for r in runs) * 1e3
    return f"{ms:.1f} ms (yaml imported: {runs[0][1] == '1'}, rich imported: {runs[0][2] == '1'})"


def main() -> None:
    from zcli.output import StreamWriter, render

    reply = {"inventories": make_rows(ROWS)}
    pages = [reply["inventories"][i:i + 1000] for i in range(0, ROWS, 1000)]

    def stream(fmt: str) -> None:
        writer = StreamWriter(fmt, io.StringIO(), width=120)
        for page in pages:
            writer.write(page)
        writer.close()

    print(f"{ROWS:,} rows, median of 5 runs:")
    for fmt, kwargs in (("table", {"width": 120}), ("table", {"width": 120, "color": True}),
                        ("table", {"width": 120, "inventory": "VmInstanceInventory"}), ("json", {}), ("csv", {}),
                        ("jsonl", {}), ("value", {}), ("yaml", {})):
        label = fmt + "".join(f" {k}={v}" for k, v in kwargs.items())
        print(f"  render {label:<52} {timed(lambda f=fmt, k=kwargs: render(reply, f, **k)):8.1f} ms")
    for fmt in ("table", "json", "csv", "jsonl"):
        print(f"  StreamWriter {fmt:<5} (10 pages of 1,000)                   "
              f"{timed(lambda f=fmt: stream(f)):8.1f} ms")
    print(f"import zcli.output + render json, new process:           {import_cost()}")
    print(f"the same after click and requests are imported (one-shot): {import_cost('import click, requests')}")


if __name__ == "__main__":
    main()
