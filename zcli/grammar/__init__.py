"""The command grammar: words → a validated command → an HTTP request. Pure functions, no I/O.

Names are imported on first use, so that ``zcli.grammar.operators`` (which shell completion
needs on every Tab) does not pull in the parser and the request builder.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "COMMON_PARAMS": "parse", "Command": "parse", "Condition": "parse", "parse_command": "parse",
    "Request": "request", "build_request": "request", "condition_to_q": "request",
    "split_line": "words", "split_list": "words",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'zcli.grammar' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"zcli.grammar.{module}"), name)
    globals()[name] = value
    return value
