"""Keeping an open shell's session alive: RenewSession before the server's idle timeout would end it.

The server renews a session to now + ``session.timeout`` on every call (``AuthorizationManager.evaluateSession``
→ ``Session.renewSession``), and ends it once ``expiredDate`` passes (``Session.checkSessionExpired``). A shell
left open longer than the timeout would find its session gone. zcli does both halves of the choice the issue
leaves: ``RenewSession`` works as a command (its new expiry is kept), and an open shell renews by itself.

The rule: the idle timeout is the login's ``expiredDate - createDate`` (the server's ``session.timeout``,
7,200 s by default); once :data:`RENEW_AT` of it has passed since the last renewal or login, a background
thread calls RenewSession (with its own HTTP connection), checking every :data:`TICK` seconds at most. Each
check asks which session is in use: a login inside the shell (another session, maybe another timeout) is
followed, its timeout read once and its idle time counted from the moment it is seen.

**Test-only:** ``ZCLI_TEST_CLOCK_FILE`` names a file holding a number of seconds that the renewer adds to its
monotonic clock (read at each check), so that a terminal test can move the shell's time forward without
sleeping (``tests/terminal/test_shell_login.py``). It is meant for tests alone and changes nothing else.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

#: The part of the idle timeout after which the session is renewed.
RENEW_AT = 0.5
#: The longest pause between two checks, in seconds (a check is local and cheap; a login inside the shell is seen
#: within it).
TICK = 5.0
DEFAULT_TIMEOUT = 7200.0
_PRINTED = "%b %d, %Y %I:%M:%S %p"
#: The test-only clock (see the module's docstring).
TEST_CLOCK_ENV = "ZCLI_TEST_CLOCK_FILE"


def clock_from(env: Mapping[str, str]) -> Callable[[], float]:
    """The renewer's clock: ``time.monotonic``, moved forward by the seconds in the test-only clock file when
    ``ZCLI_TEST_CLOCK_FILE`` names one."""
    path = env.get(TEST_CLOCK_ENV)
    if not path:
        return time.monotonic

    def clock() -> float:
        try:
            return time.monotonic() + float(Path(path).read_text(encoding="ascii").strip() or 0)
        except (OSError, ValueError):
            return time.monotonic()

    return clock


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
        timeout: the idle timeout in seconds, or a function giving it from the login in use, read when a session
            is first seen (a renewal moves the expiry, not the login's timeout: it is not read again).
        clock: a monotonic clock (injectable for tests).
        session: gives the session in use (None: the renewer does not follow sessions); a session not seen
            before counts from the moment it is seen.
    """

    def __init__(self, renew: Callable[[], None], timeout: float | Callable[[], float], *,
                 clock: Callable[[], float] = time.monotonic, session: Callable[[], str | None] | None = None):
        self.renew = renew
        self._timeout = timeout
        self.timeout = self._read_timeout()
        self.clock = clock
        self.last = clock()
        self.failures = 0
        self._session = session
        self._seen = session() if session else None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _read_timeout(self) -> float:
        return float(self._timeout()) if callable(self._timeout) else float(self._timeout)

    def due(self) -> bool:
        """Whether the session should be renewed now."""
        if self._session is not None:
            current = self._session()
            if current != self._seen:  # a new login: its idle time starts now, with its own timeout
                self._seen, self.last, self.timeout = current, self.clock(), self._read_timeout()
            if not current:
                return False
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

    def pause(self) -> float:
        """How long to wait before the next check: a quarter of the renewal interval, within [1 s, TICK]."""
        return max(1.0, min(TICK, self.timeout * RENEW_AT / 4))

    def start(self) -> None:
        """Tick on a daemon thread until :meth:`stop`."""

        def run() -> None:
            while not self._stop.wait(self.pause()):
                self.tick()

        self._thread = threading.Thread(target=run, name="zcli-renew", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
