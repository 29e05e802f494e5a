"""The face-neutral core: one object both faces (the one-shot CLI and the shell) drive.

It owns the environment (:mod:`zcli.core.environment`), the connection, the frozen run options and the
outcome of a run (:mod:`zcli.core.outcome`), the one error report with its redaction
(:mod:`zcli.core.report`), and what a result prints as (:mod:`zcli.core.present`).
Names are imported on first use.
"""

from __future__ import annotations

from zcli.lazy import lazy_exports

_EXPORTS = {
    "Core": "app", "connect": "app", "run_options": "app",
    "Environment": "environment",
    "Outcome": "outcome", "RunOptions": "outcome",
    "Report": "report",
}

__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
