"""Keeping an open shell's session alive: RenewSession before the server's idle timeout would end it.

The server renews a session to now + ``session.timeout`` on every call (``AuthorizationManager.evaluateSession``
→ ``Session.renewSession``), and ends it once ``expiredDate`` passes (``Session.checkSessionExpired``). A shell
left open longer than the timeout would find its session gone. zcli does both halves of the choice the issue
leaves: ``RenewSession`` works as a command (its new expiry is kept), and an open shell renews by itself.

The rule: the idle timeout is the login's ``expiredDate - createDate`` (the server's ``session.timeout``,
7,200 s by default); once :data:`RENEW_AT` of it has passed since the last renewal or login, a background
thread calls RenewSession (with its own HTTP connection), checking every :data:`TICK` seconds at most.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime

#: The part of the idle timeout after which the session is renewed.
RENEW_AT = 0.5
#: The longest pause between two checks, in seconds.
TICK = 60.0
DEFAULT_TIMEOUT = 7200.0
_PRINTED = "%b %d, %Y %I:%M:%S %p"


def idle_timeout(login: dict | None) -> float:
    """The server's idle timeout as the login shows it (``expiredDate - createDate``), else the default."""
    try:
        created = datetime.strptime(str((login or {}).get("created")), _PRINTED)
        expires = datetime.strptime(str((login or {}).get("expires")), _PRINTED)
    except ValueError:
        return DEFAULT_TIMEOUT
    seconds = (expires - created).total_seconds()
    return seconds if seconds > 0 else DEFAULT_TIMEOUT


class Renewer:
    """Renews a session in the background while a shell is open.

    Args:
        renew: sends RenewSession for the session in use (returns nothing; raises on failure).
        timeout: the idle timeout in seconds.
        clock, wait: a monotonic clock and a pause that an Event can cut short (injectable for tests).
    """

    def __init__(self, renew: Callable[[], None], timeout: float, *, clock: Callable[[], float] = time.monotonic):
        self.renew = renew
        self.timeout = timeout
        self.clock = clock
        self.last = clock()
        self.failures = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def due(self) -> bool:
        """Whether the session should be renewed now."""
        return self.clock() - self.last >= self.timeout * RENEW_AT

    def tick(self) -> bool:
        """Renew when due; True when it renewed. A failure is counted, and tried again at the next tick."""
        if not self.due():
            return False
        try:
            self.renew()
        except Exception:  # the next command says what is wrong (an expired session: log in again)
            self.failures += 1
            return False
        self.last = self.clock()
        return True

    def start(self) -> None:
        """Tick on a daemon thread until :meth:`stop`."""
        pause = max(1.0, min(TICK, self.timeout * RENEW_AT / 4))

        def run() -> None:
            while not self._stop.wait(pause):
                self.tick()

        self._thread = threading.Thread(target=run, name="zcli-renew", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
