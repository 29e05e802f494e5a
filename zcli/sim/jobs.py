"""Async API jobs: what ``GET /zstack/v1/api-jobs/{id}`` reports, kept in the database as the server keeps them.

Facts from the server's source (``rest/.../RestServer.java``, ``MysqlAsyncRestStore.java``):

* An async call is answered at once with 202, the job's ``location`` and ``apiTimeout`` (milliseconds); the
  job id is the message id, which a client may choose with ``X-Job-UUID`` (32 characters, else 400 "Invalid
  header[X-Job-UUID], it must be a UUID with '-' stripped"). A POST, PUT or DELETE whose job uuid is already
  kept is refused: 400 "Duplicate job uuid[...]"; the client then polls the job it already started.
* Jobs are rows (``AsyncRestVO``): a restart keeps them. A finished job is deleted once older than
  ``rest.completedApi.expiredPeriod`` (10,800 s by default); its poll then answers 404 "the job has been
  expired".

Here the rows are in the simulator's SQLite store; a job still running when the simulator stopped is
failed on the next start (its work did not survive). The work runs on a small pool of worker threads,
after an optional delay, so that clients see a job in progress.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from zcli.sim.clock import SYSTEM, wait_until

#: A job's work: returns (HTTP status, body) for its poll.
Work = Callable[[], tuple[int, object]]

PROCESSING = None
#: ``rest.completedApi.expiredPeriod``: seconds a finished job is kept.
DEFAULT_EXPIRED_PERIOD = 10_800.0
#: ``apiTimeout`` of the 202 reply when the client sent no ``X-API-Timeout`` (milliseconds).
DEFAULT_API_TIMEOUT_MS = 1_800_000
_TABLE = "_sim_job"
_KEEP_IN_MEMORY = 10_000  # jobs of a simulator without a store


class DuplicateJob(Exception):
    """A job with this uuid is kept already."""


class Jobs:
    """The job store of one simulator.

    Args:
        delay: seconds each job waits before it runs (on ``clock``).
        workers: worker threads.
        clock: the simulator's clock (:mod:`zcli.sim.clock`).
        store: the simulator's store (jobs are kept in its database); None keeps them in memory.
        expired_period: seconds a finished job is kept (``rest.completedApi.expiredPeriod``).
    """

    def __init__(self, delay: float = 0.0, workers: int = 4, clock=SYSTEM, *, store=None,
                 expired_period: float = DEFAULT_EXPIRED_PERIOD):
        self.delay = delay
        self.clock = clock
        self.store = store
        self.expired_period = expired_period
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sim-job")
        self._memory: dict[str, tuple[float, tuple[int, object] | None]] = {}
        self._lock = threading.Lock()
        if store is not None:
            from zcli.sim.auth import error

            lost = json.dumps(error("SYS.1000", "An internal error happened in the simulator",
                                    "the simulator stopped while the job ran"))
            with store.transaction() as cur:
                cur.execute(f"CREATE TABLE IF NOT EXISTS {_TABLE} (uuid TEXT PRIMARY KEY, state TEXT, "
                            "status INTEGER, body TEXT, createDate REAL)")
                cur.execute(f"UPDATE {_TABLE} SET state = 'done', status = 503, body = ? WHERE state = 'processing'",
                            (lost,))

    def exists(self, job_id: str) -> bool:
        """Whether a job of this uuid is kept (running, or finished and not yet expired)."""
        return self.poll(job_id) is not False

    def submit(self, work: Work, job_id: str | None = None) -> str:
        """Queue ``work`` under ``job_id`` (made when None: 32 hex digits, like the server's message ids).

        Raises:
            DuplicateJob: a job of ``job_id`` is kept already.
        """
        job_id = job_id or uuid.uuid4().hex
        now = self.clock.time()
        with self._lock:
            if self.store is not None:
                import sqlite3

                try:
                    with self.store.transaction() as cur:
                        cur.execute(f"INSERT INTO {_TABLE} (uuid, state, createDate) VALUES (?, 'processing', ?)",
                                    (job_id, now))
                except sqlite3.IntegrityError:
                    raise DuplicateJob(job_id) from None
            else:
                if job_id in self._memory:
                    raise DuplicateJob(job_id)
                self._memory[job_id] = (now, PROCESSING)
        self._pool.submit(self._run, job_id, work)
        return job_id

    def _run(self, job_id: str, work: Work) -> None:
        if self.delay and not wait_until(self.clock, self.clock.time() + self.delay, self._stop):
            return  # the simulator is closing: the job stays in progress (failed on the next start)
        try:
            result = work()
        except Exception as exc:  # a bug in a handler must still end the job, as a failure
            from zcli.sim.auth import error

            result = (503, error("SYS.1000", "An internal error happened in the simulator", repr(exc)))
        with self._lock:
            if self.store is not None:
                with self.store.transaction() as cur:
                    cur.execute(f"UPDATE {_TABLE} SET state = 'done', status = ?, body = ? WHERE uuid = ?",
                                (result[0], json.dumps(result[1]), job_id))
                return
            created = self._memory.get(job_id, (self.clock.time(), None))[0]
            self._memory[job_id] = (created, result)
            if len(self._memory) > _KEEP_IN_MEMORY:
                for old in [k for k, (_, r) in self._memory.items() if r is not PROCESSING][:len(self._memory)
                                                                                          - _KEEP_IN_MEMORY]:
                    del self._memory[old]

    def poll(self, job_id: str) -> tuple[int, object] | bool | None:
        """(status, body) when done, PROCESSING (None) while running, False when unknown or expired."""
        horizon = self.clock.time() - self.expired_period
        if self.store is None:
            with self._lock:
                entry = self._memory.get(job_id)
                if entry is None:
                    return False
                if entry[1] is not PROCESSING and entry[0] < horizon:
                    del self._memory[job_id]
                    return False
                return entry[1]
        _, rows = self.store.read(f"SELECT state, status, body, createDate FROM {_TABLE} WHERE uuid = ?", (job_id,))
        if not rows:
            return False
        state, status, body, created = rows[0]
        if state != "done":
            return PROCESSING
        if created < horizon:  # MysqlAsyncRestStore's cleanup: done and older than the period
            with self.store.transaction() as cur:
                cur.execute(f"DELETE FROM {_TABLE} WHERE state = 'done' AND createDate < ?", (horizon,))
            return False
        return status, json.loads(body)

    def close(self) -> None:
        self._stop.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
