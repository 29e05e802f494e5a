"""Schema-driven completion: a pure engine over the catalogue, shared by the shell and shell completion.

``CompletionEngine(catalog, live=None).complete(text_before_cursor) -> list[Suggestion]``.
Names are imported on first use, so that a Tab on a global option does not load the engine.
"""

from __future__ import annotations

from zcli.lazy import lazy_exports

_EXPORTS = {"CompletionEngine": "engine", "Suggestion": "suggestion"}

__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
