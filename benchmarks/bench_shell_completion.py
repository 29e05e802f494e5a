"""Wall time of one Tab in bash, zsh or fish: the ``zcli __complete`` process the scripts start.

Each figure runs the real command as the completion scripts run it (a new process each time), for a
few kinds of word: API names, a deep cross-table path, operators, enum values, parameters; then the
whole bash completion function (bash itself included); then live values from a local simulator with
a kept session, and a kept session whose server is absent. The goal is under 150 ms a Tab.

Run: .venv/bin/python benchmarks/bench_shell_completion.py [--runs 30] [--zcli PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDBREAKS = " \t\n\"'><=;|&(:"
LINES = [
    ("API names", "zcli Query"),
    ("fuzzy API name", "zcli qmsig"),
    ("global options", "zcli --"),
    ("deep path", "zcli QueryVmInstance vmNics.l3Network.l2Network.zone."),
    ("operators", "zcli QueryVmInstance cpuNum"),
    ("enum values", "zcli QueryVmInstance type="),
    ("parameters", "zcli CreateVmInstance name=vm1 "),
]


def measure(argv: list[str], runs: int, env: dict[str, str]) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return times


def report(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"  {label:<34} median {statistics.median(times) * 1e3:6.1f} ms   p95 {p95 * 1e3:6.1f} ms   "
          f"max {ordered[-1] * 1e3:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--zcli", default=str(Path(sys.executable).parent / "zcli"))
    args = parser.parse_args()
    zcli = args.zcli
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ZCLI_STATE_DIR": f"{tmp}/state", "ZCLI_CONFIG_DIR": f"{tmp}/config",
               "PATH": f"{Path(zcli).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        for shell in ("bash",):
            measure([zcli, "__complete", shell, "zcli Q", WORDBREAKS], 3, env)  # warm the .pyc files
        print(f"zcli __complete, one new process per Tab ({args.runs} runs each):")
        for label, line in LINES:
            report(label, measure([zcli, "__complete", "bash", line, WORDBREAKS], args.runs, env))
        if shutil.which("bash"):
            driver = (f"source {ROOT / 'completions/zcli.bash'}; COMP_LINE=$1; COMP_POINT=${{#1}}; "
                      "COMP_WORDS=(zcli QueryVmInstance vmNics.l3Network.); COMP_CWORD=2; _zcli")
            line = "zcli QueryVmInstance vmNics.l3Network."
            print("whole bash completion function (bash + zcli):")
            report("deep path", measure(["bash", "--norc", "-c", driver, "bash", line], args.runs, env))
        live(zcli, env, args.runs)


def live(zcli: str, env: dict[str, str], runs: int) -> None:
    """Live values: a local simulator with a kept session, then the same session with no server."""
    sys.path.insert(0, str(ROOT))
    from tests.conftest import login
    from zcli.sessions import SessionStore
    from zcli.sim.server import start_in_thread

    handle = start_in_thread(port=0)
    try:
        url = handle.url
        SessionStore(env["ZCLI_STATE_DIR"]).save(url, "admin", login(f"{url}/v1"))
        print("live values (kept session, local simulator):")
        report("VM uuids (StartVmInstance uuid=)",
               measure([zcli, "__complete", "bash", f"zcli --url {url} StartVmInstance uuid=", WORDBREAKS], runs, env))
        report("L3 names across tables",
               measure([zcli, "__complete", "bash", f"zcli --url {url} QueryVmInstance vmNics.l3Network.name=",
                        WORDBREAKS], runs, env))
    finally:
        handle.stop()
    print("kept session, server gone (connection refused):")
    report("VM uuids", measure([zcli, "__complete", "bash", f"zcli --url {url} StartVmInstance uuid=", WORDBREAKS],
                               runs, env))


if __name__ == "__main__":
    main()
