"""Which APIs the shell asks about before running them (y/N), as pgcli asks before a ``DROP``.

Destructive APIs are those that delete, destroy or wipe something, by the verb their name starts with:
``Delete*``, ``Destroy*``, ``Expunge*``, ``Remove*``, ``Clean*`` (trash, caches), ``Reclaim*``,
``Reimage*`` (a VM's root disk), ``Revert*`` (to a snapshot or backup: later data goes), ``Reset*``,
``Terminate*`` and ``Shutdown*``, and the same after ``Batch`` (``BatchDeleteVolumeSnapshot``).
``Detach*`` is not asked about: what it undoes, ``Attach*`` does again. Only the shell asks (``set
confirm off`` stops it); one-shot commands and batches never do.
"""

from __future__ import annotations

DESTRUCTIVE_VERBS = ("Delete", "Destroy", "Expunge", "Remove", "Clean", "Reclaim", "Reimage", "Revert", "Reset",
                     "Terminate", "Shutdown")


def is_destructive(name: str) -> bool:
    """True when the API ``name`` deletes, destroys or wipes something."""
    return name.removeprefix("Batch").startswith(DESTRUCTIVE_VERBS)


def question(line: str, endpoint: str) -> str:
    """What the shell asks before running the (masked) ``line`` against ``endpoint``."""
    return f"{line}\n  on {endpoint}: this deletes or overwrites data. Run it? [y/N] "


def is_yes(answer: str | None) -> bool:
    """Only y or yes (any case) runs the command; anything else, Enter alone included, does not."""
    return (answer or "").strip().lower() in ("y", "yes")
