"""One-shot start-up: a query of 50 inventories printed as JSON, against ``python -c "import requests"``.

The target (issue 9): the one-shot query takes at most 1.2x the wall time of importing requests.
It runs the installed ``zcli`` console script (``python -m zcli`` when there is none), as a user would:
its folders are found through the XDG variables (so platformdirs is paid for, as on a user's machine),
and bytecode is cached (in a temporary folder) for both commands, as after a pip install. Runs both
commands alternately, many times, against a ``zcli sim`` on loopback, and prints the medians and the
ratio. ``python benchmarks/bench_oneshot.py [RUNS]``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

TARGET = 1.2


def wall(cmd: list[str], env: dict) -> tuple[float, bytes]:
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode()}")
    return elapsed, done.stdout


def main(runs: int = 30) -> None:
    import requests

    from zcli.sessions import SessionStore

    sim = subprocess.Popen([sys.executable, "-m", "zcli", "sim", "--port", "0", "--scale", "3"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        banner = sim.stdout.readline()
        url = "http://" + banner.split("serving http://", 1)[1].split()[0].rstrip("/")
        import hashlib

        login = {"logInByAccount": {"accountName": "admin", "password": hashlib.sha512(b"password").hexdigest()}}
        session = requests.put(f"{url}/v1/accounts/login", json=login, timeout=10).json()["inventory"]["uuid"]
        with tempfile.TemporaryDirectory() as tmp:
            SessionStore(os.path.join(tmp, "state", "zcli")).save(url, "admin", session)
            env = {k: v for k, v in os.environ.items() if not k.startswith("ZCLI_")}
            env.update(XDG_STATE_HOME=os.path.join(tmp, "state"), XDG_CONFIG_HOME=os.path.join(tmp, "config"),
                       ZCLI_URL=url,
                       # as installed (pip writes bytecode): cache it, in a private place, for both commands
                       PYTHONPYCACHEPREFIX=os.path.join(tmp, "pycache"))
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            baseline_cmd = [sys.executable, "-c", "import requests"]
            script = os.path.join(os.path.dirname(sys.executable), "zcli")
            zcli = [script] if os.path.exists(script) else [sys.executable, "-m", "zcli"]
            zcli_cmd = [*zcli, "QueryVmInstance", "limit=50", "-o", "json"]
            _, out = wall(zcli_cmd, env)
            count = len(json.loads(out)["inventories"])
            assert count == 50, f"expected 50 inventories, got {count}"
            for _ in range(3):  # warm the file cache
                wall(baseline_cmd, env)
                wall(zcli_cmd, env)
            base, ours = [], []
            for _ in range(runs):
                base.append(wall(baseline_cmd, env)[0])
                ours.append(wall(zcli_cmd, env)[0])
    finally:
        sim.terminate()
        sim.wait(timeout=10)
    b, o = statistics.median(base), statistics.median(ours)
    print(f"runs: {runs} each, alternating; {count} inventories printed as JSON; zcli is {zcli[-1]}")
    print(f"python -c 'import requests'          median {b * 1000:7.1f} ms  (min {min(base) * 1000:.1f})")
    print(f"zcli QueryVmInstance limit=50 -o json median {o * 1000:7.1f} ms  (min {min(ours) * 1000:.1f})")
    print(f"ratio {o / b:.2f}x of the medians, {min(ours) / min(base):.2f}x of the minimums "
          f"(target <= {TARGET}x): {'OK' if o / b <= TARGET else 'OVER'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
