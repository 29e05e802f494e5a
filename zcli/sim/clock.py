"""The simulator's time: a real clock, or one a test moves by hand.

Everything in the simulator that depends on time (session idle timeouts, job delays, long-job
progress, dates written on new resources) reads it from one clock, passed through
:class:`~zcli.sim.app.Simulator`, :func:`~zcli.sim.server.open_simulator` and
:func:`~zcli.sim.server.start_in_thread`. Tests give a :class:`ManualClock` and call ``advance``
instead of sleeping against real timeouts.

A clock has ``time()`` (epoch seconds) and ``sleep(seconds)``. ``sleep`` may return early (a
waiter re-checks ``time()``): on a manual clock it wakes when the clock is advanced, or after a
short real pause so that a shutdown is never blocked.
"""

from __future__ import annotations

import threading
import time as _time


class SystemClock:
    """The wall clock."""

    def time(self) -> float:
        return _time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            _time.sleep(seconds)


class ManualClock:
    """A clock that moves only when ``advance`` is called (thread-safe).

    Args:
        start: the epoch seconds it starts at (default: 2024-05-01 00:00:00 UTC).
    """

    def __init__(self, start: float = 1714521600.0):
        self._now = float(start)
        self._cond = threading.Condition()

    def time(self) -> float:
        with self._cond:
            return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward and wake every waiter."""
        with self._cond:
            self._now += max(0.0, float(seconds))
            self._cond.notify_all()

    def sleep(self, seconds: float) -> None:
        """Wait until the clock is advanced (by anyone), at most a short real pause."""
        if seconds <= 0:
            return
        with self._cond:
            self._cond.wait(timeout=0.05)


def wait_until(clock, deadline: float, stop: threading.Event | None = None) -> bool:
    """Block until ``clock`` reaches ``deadline`` (epoch seconds); False when ``stop`` was set first."""
    while True:
        if stop is not None and stop.is_set():
            return False
        remaining = deadline - clock.time()
        if remaining <= 0:
            return True
        clock.sleep(min(remaining, 0.05))


SYSTEM = SystemClock()
