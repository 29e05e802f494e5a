"""``zcli sim``: the simulator as a standalone server for any ZStack client (curl, SDKs, zcli).

It prints the URL it serves once it is ready (tests and scripts read that line), and stops
cleanly on Ctrl-C or SIGTERM: the server stops, running jobs finish, the database is closed.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

# The documented exit statuses (README): the simulator imports nothing of zcli but the catalogue.
_OK, _USAGE, _TRANSPORT = 0, 2, 3


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``zcli sim`` (shell completion reads its options from it)."""
    p = argparse.ArgumentParser(prog="zcli sim", description="Serve the ZStack REST API (/zstack/v1) from SQLite, "
                                "with a demo world. Log in as admin / password.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    p.add_argument("--db", metavar="FILE", help="keep the data in FILE across restarts (default: throwaway)")
    p.add_argument("--scale", type=int, default=1, metavar="N",
                   help="multiply the demo world (20 VMs per unit; 5000 gives 100,000 VMs)")
    p.add_argument("--seed", type=int, default=1, metavar="N", help="random seed of the demo world (default 1)")
    p.add_argument("--session-timeout", type=float, default=7200.0, metavar="SECONDS",
                   help="idle time after which a session expires (default 7200)")
    p.add_argument("--job-delay", type=float, default=0.0, metavar="SECONDS",
                   help="how long each async job stays in progress (default 0)")
    p.add_argument("--job-expiry", type=float, default=10800.0, metavar="SECONDS",
                   help="seconds a finished async job is kept for polling (the server's "
                        "rest.completedApi.expiredPeriod, default 10800)")
    p.add_argument("--server-version", metavar="VERSION",
                   help="the version GetVersion answers (default: the catalogue's newest release); for testing "
                        "a client against a server older or newer than its catalogue")
    p.add_argument("--verbose", "-v", action="store_true", help="log every request to stderr")
    return p


def simulator_options(argv: list[str]) -> dict:
    """What ``zcli sim ARGV`` passes to :func:`~zcli.sim.server.open_simulator` (SystemExit on bad words)."""
    args = parser().parse_args(argv)
    return {"db": args.db, "scale": args.scale, "seed": args.seed, "idle_timeout": args.session_timeout,
            "job_delay": args.job_delay, "job_expired_period": args.job_expiry, "server_version": args.server_version}


def main(argv: list[str], out=None, err=None) -> int:
    """Run ``zcli sim`` with ``argv`` (the words after ``sim``); the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = parser().parse_args(argv)
    except SystemExit as e:  # argparse has printed its message or --help
        return int(e.code or 0) and _USAGE
    if args.scale < 1:
        print("zcli sim: --scale must be at least 1", file=err)
        return _USAGE
    from zcli.sim.http import make_server
    from zcli.sim.server import open_simulator

    try:
        sim, info = open_simulator(**simulator_options(argv))
    except Exception as exc:  # e.g. a --db file that is not a database
        print(f"zcli sim: cannot open the database: {exc}", file=err)
        return _USAGE
    try:
        server = make_server(sim, args.host, args.port, verbose=args.verbose,
                             log=lambda line: print(line, file=err, flush=True))
    except OSError as exc:
        sim.close()
        print(f"zcli sim: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=err)
        return _TRANSPORT

    def on_term(signum, frame):
        # Not an exception raised wherever the main thread happens to be: serve_forever returns, and the
        # finally below closes everything in order. shutdown() waits for serve_forever: another thread asks.
        threading.Thread(target=server.shutdown, name="zcli-sim-stop", daemon=True).start()

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        # The banner is printed inside the try: a signal right after it (tests and scripts read it) stops cleanly.
        port = server.server_address[1]
        what = (f"seeded {info['seeded'].get('VmInstanceInventory', 0)} VMs" if info["seeded"]
                else f"reusing {args.db}")
        print(f"zcli sim: serving http://{args.host}:{port}/zstack ({what} in {info['seconds']:.2f} s; "
              "log in as admin / password; Ctrl-C to stop)", file=out, flush=True)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
        sim.close()
        print("zcli sim: stopped", file=out, flush=True)
    return _OK
