"""Schema-driven completion: a pure engine over the catalogue, shared by the shell and shell completion.

``CompletionEngine(catalog, live=None).complete(text_before_cursor) -> list[Suggestion]``.
Names are imported on first use, so that a Tab on a global option does not load the engine.
"""

from __future__ import annotations

import importlib

_EXPORTS = {"BUILTINS": "engine", "CompletionEngine": "engine", "Suggestion": "suggestion"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'zcli.completion' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"zcli.completion.{module}"), name)
    globals()[name] = value
    return value
