"""Time from starting zcli to a ready prompt (target < 0.5 s), in a real pseudo-terminal.

Two cases, each run RUNS times (median and max printed):

* ``zcli --url URL``: the shell against a server already running (a ``zcli sim`` started once here),
  as an operator starts it every day;
* ``zcli --demo``: the same plus starting the embedded simulator in-process and logging in.

"Ready" is the moment the prompt ``zcli>`` has been drawn. Run: ``.venv/bin/python benchmarks/bench_shell_start.py``
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import pexpect

RUNS = 7


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _time_to_prompt(args: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    child = pexpect.spawn(sys.executable, ["-m", "zcli", *args], env=env, dimensions=(40, 120), timeout=20)
    child.expect("zcli>")
    elapsed = time.perf_counter() - t0
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    return elapsed


def _report(label: str, times: list[float]) -> None:
    print(f"{label}: median {statistics.median(times) * 1000:.0f} ms, min {min(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {len(times)} runs")


def main() -> None:
    state = tempfile.mkdtemp(prefix="zcli-bench-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZCLI_")}
    env.update({"ZCLI_STATE_DIR": state, "ZCLI_CONFIG_DIR": state, "TERM": "xterm", "PAGER": "cat"})
    port = _free_port()
    sim = subprocess.Popen([sys.executable, "-m", "zcli", "sim", "--port", str(port)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/zstack"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        _time_to_prompt(["--url", url], env)  # warm the file cache
        _report("zcli --url (shell on a running server)", [_time_to_prompt(["--url", url], env) for _ in range(RUNS)])
        _report("zcli --demo (simulator started in-process + login)",
                [_time_to_prompt(["--demo"], env) for _ in range(RUNS)])
    finally:
        sim.terminate()
        sim.wait(10)


if __name__ == "__main__":
    main()
