"""The one-shot face (placeholder until the CLI issue lands)."""

from __future__ import annotations


def run(argv: list[str]) -> int:
    from zcli import __version__

    print(f"zcli {__version__}")
    return 0
