"""Assemble a simulator (catalogue, database, demo world, HTTP server) and run it.

``open_simulator`` opens or seeds the database; ``start_in_thread`` serves it on a background
thread (``zcli --demo`` and tests); ``zcli sim`` serves it in the foreground (see :mod:`zcli.sim.cli`).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from zcli.sim.app import Simulator
from zcli.sim.clock import SYSTEM
from zcli.sim.http import SimHTTPServer, make_server


def open_simulator(db: str | None = None, scale: int = 1, seed: int = 1, *, catalog=None,
                   idle_timeout: float = 7200.0, job_delay: float = 0.0, clock=None,
                   job_expired_period: float | None = None,
                   server_version: str | None = None) -> tuple[Simulator, dict]:
    """A ready simulator, and facts about how it was opened (``seeded``: rows per inventory, or None
    when an existing database was reused; ``seconds``: time taken).

    An existing ``db`` file keeps its data: the world is seeded only into a new database. ``clock``
    (:mod:`zcli.sim.clock`, default the wall clock) times sessions, jobs and the dates of new resources.
    ``server_version`` is what GetVersion answers (default: the catalogue's newest release).
    """
    from zcli.catalog import Catalog
    from zcli.sim import configs, world
    from zcli.sim.store import Store

    started = time.perf_counter()
    catalog = catalog or Catalog()
    store = Store(catalog, db)
    fresh = store.meta("seeded") is None
    store.create_tables()  # IF NOT EXISTS: an old database gains the tables of a newer catalogue
    counts = None
    configs.seed(store)  # the server's global configurations (a database of an older simulator gains them)
    if fresh:
        counts = world.seed(store, seed, scale)
        store.create_indexes()
    extra = {} if job_expired_period is None else {"job_expired_period": job_expired_period}
    sim = Simulator(catalog, store, idle_timeout=idle_timeout, job_delay=job_delay, clock=clock or SYSTEM,
                    server_version=server_version, **extra)
    if fresh:
        sim.auth.seed_credentials()
        store.set_meta("seeded", f"seed={seed} scale={scale}")
    return sim, {"seeded": counts, "seconds": time.perf_counter() - started}


@dataclass
class SimHandle:
    """A simulator served on a background thread."""

    host: str
    port: int
    simulator: Simulator
    server: SimHTTPServer
    thread: threading.Thread
    info: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:8080/zstack``."""
        return f"http://{self.host}:{self.port}/zstack"

    def stop(self) -> None:
        """Stop serving and close the database (idempotent)."""
        if self.thread.is_alive():
            self.server.shutdown()
            self.thread.join()
        self.server.server_close()
        self.simulator.close()


def start_in_thread(host: str = "127.0.0.1", port: int = 0, db: str | None = None, scale: int = 1, seed: int = 1,
                    **options) -> SimHandle:
    """Serve a simulator on a background thread; ``port=0`` picks a free port.

    Extra keyword options go to :func:`open_simulator` (``idle_timeout``, ``job_delay``, ``catalog``, ``clock``,
    ``server_version``)
    and ``verbose``/``log`` and the bounds ``http_idle_timeout``, ``http_max_body``, ``http_workers``,
    ``http_max_connections`` to the HTTP server.
    """
    verbose = options.pop("verbose", False)
    log = options.pop("log", None)
    bounds = {k: options.pop("http_" + k) for k in ("idle_timeout", "max_body", "workers", "max_connections")
              if "http_" + k in options}
    sim, info = open_simulator(db, scale, seed, **options)
    server = make_server(sim, host, port, verbose=verbose, log=log, **bounds)
    thread = threading.Thread(target=server.serve_forever, name="zcli-sim", daemon=True)
    thread.start()
    return SimHandle(host, server.server_address[1], sim, server, thread, info)
