"""The command grammar: words → a validated command → an HTTP request. Pure functions, no I/O.

Names are imported on first use, so that ``zcli.grammar.operators`` (which shell completion
needs on every Tab) does not pull in the parser and the request builder.
"""

from __future__ import annotations

from zcli.lazy import lazy_exports

_EXPORTS = {
    "Command": "parse", "Condition": "parse", "parse_command": "parse",
    "Request": "request", "build_request": "request", "condition_to_q": "request",
    "split_line": "words", "split_list": "words",
}

__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
