"""``watch SECONDS COMMAND``: run a read-only API again and again, until Ctrl-C.

Only what changes nothing can be watched: queries, and the other APIs the catalogue gives as ``GET``
(``GetVersion``, ``CheckElaborationContent``...), but not the few ``GET`` APIs whose name says they act
(``SyncDataCenterFromRemote``, ``RefreshCaptcha``, ``UnlockIdentity``...). ``watch 1 CreateZone ...`` left
eight zones behind. Ctrl-C stops it at once, whatever it is doing: the request, a job wait, the pause.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from zcli.errors import ExitStatus, UsageError, ZcliError

#: The shortest pause between two runs: a watch is for a person to read, and each run is a request.
MIN_SECONDS = 0.5
#: The longest: a day.
MAX_SECONDS = 86400.0
#: GET APIs whose name says they change something.
ACTING_VERBS = ("Sync", "Refresh", "Unlock", "Reconnect", "Clean", "Delete", "Create", "Update", "Set")


def interval(text: str) -> float:
    """The seconds of ``watch SECONDS``.

    Raises:
        UsageError: not a finite number from :data:`MIN_SECONDS` to :data:`MAX_SECONDS`.
    """
    try:
        seconds = float(text)
    except ValueError:
        raise UsageError(f"'{text}' is not a number of seconds", word=text) from None
    if not math.isfinite(seconds):
        raise UsageError(f"'{text}' is not a number of seconds: give a finite one", word=text)
    if seconds < MIN_SECONDS:
        raise UsageError(f"watch needs {MIN_SECONDS:g} seconds at least between runs", word=text)
    if seconds > MAX_SECONDS:
        raise UsageError(f"watch waits at most {MAX_SECONDS:g} seconds between runs", word=text)
    return seconds


def is_read_only(api) -> bool:
    """True when the catalogue says ``api`` changes nothing: a query, or a synchronous GET that does not
    act by name."""
    if api.query:
        return True
    return api.method == "GET" and api.sync and not api.name.startswith(ACTING_VERBS)


def check_watchable(words: list[str], catalog, builtins) -> None:
    """Refuse what ``watch`` must not run.

    Raises:
        UsageError: a built-in, an unknown API (with suggestions), or an API that changes something.
    """
    name = words[0]
    if name in builtins:
        raise UsageError(f"watch runs an API, not '{name}'", word=name)
    from zcli.zql import is_zql

    if is_zql(name):  # ZQL only reads
        return
    from zcli.catalog import CatalogError

    try:
        api = catalog.api(name)
    except CatalogError as exc:  # unknown: the catalogue's own error, with did-you-mean, as a usage error
        raise UsageError.of(exc) from None
    if not is_read_only(api):
        raise UsageError(f"watch runs queries and other read-only APIs; {name} ({api.method}) changes things, "
                         "run it once", word=name)


def watch(run: Callable[[], str], show: Callable[[str], None], seconds: float, sleep: Callable[[float], None],
          error_line: Callable[[str], str] = lambda message: f"error: {message}") -> None:
    """Call ``run`` and ``show`` what it gives, then pause ``seconds``, until Ctrl-C.

    An API or transport error is shown in place of the result, and watching goes on; Ctrl-C, whether it
    comes as KeyboardInterrupt or as an interrupted job wait (an :class:`~zcli.errors.Interrupted`), ends
    the watch at once. A usage error ends it too: the next run would say the same. ``error_line`` makes
    the line shown for an error's message (the shell's report masks secrets in it).
    """
    try:
        while True:
            try:
                body = run()
            except UsageError:
                raise
            except ZcliError as exc:
                if exc.status == ExitStatus.INTERRUPTED:
                    return
                body = error_line(str(exc))
            show(body)
            sleep(seconds)
    except KeyboardInterrupt:
        return
