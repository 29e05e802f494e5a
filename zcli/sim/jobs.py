"""Async API jobs: what ``GET /zstack/v1/api-jobs/{id}`` reports.

An async call is answered at once with 202 and the job's location; the work runs on a small pool
of worker threads (after an optional delay, so that clients see a job in progress). The job then
holds the HTTP status and body its poll answers with. Jobs live in memory, as on the real server a
restart forgets them: their ids then get 404 "the job has been expired".
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from zcli.sim.clock import SYSTEM, wait_until

#: A job's work: returns (HTTP status, body) for its poll.
Work = Callable[[], tuple[int, object]]

PROCESSING = None
_KEEP = 10_000  # finished jobs kept for polling; the oldest are forgotten first


class Jobs:
    """The job store of one simulator.

    Args:
        delay: seconds each job waits before it runs (on ``clock``).
        workers: worker threads.
        clock: the simulator's clock (:mod:`zcli.sim.clock`).
    """

    def __init__(self, delay: float = 0.0, workers: int = 4, clock=SYSTEM):
        self.delay = delay
        self.clock = clock
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sim-job")
        self._results: OrderedDict[str, tuple[int, object] | None] = OrderedDict()
        self._lock = threading.Lock()

    def submit(self, work: Work, job_id: str | None = None) -> str:
        """Queue ``work``; the job id (32 hex digits, like the server's message ids)."""
        job_id = job_id or uuid.uuid4().hex
        with self._lock:
            self._results[job_id] = PROCESSING
        self._pool.submit(self._run, job_id, work)
        return job_id

    def _run(self, job_id: str, work: Work) -> None:
        if self.delay and not wait_until(self.clock, self.clock.time() + self.delay, self._stop):
            return  # the simulator is closing: the job stays in progress, as an unfinished one does
        try:
            result = work()
        except Exception as exc:  # a bug in a handler must still end the job, as a failure
            from zcli.sim.auth import error

            result = (503, error("SYS.1000", "An internal error happened in the simulator", repr(exc)))
        with self._lock:
            self._results[job_id] = result
            self._results.move_to_end(job_id)
            while len(self._results) > _KEEP:
                oldest, value = next(iter(self._results.items()))
                if value is PROCESSING:
                    break
                del self._results[oldest]

    def poll(self, job_id: str) -> tuple[int, object] | bool | None:
        """(status, body) when done, PROCESSING (None) while running, False when unknown."""
        with self._lock:
            if job_id not in self._results:
                return False
            return self._results[job_id]

    def close(self) -> None:
        self._stop.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
