"""``python -m zcli`` and the ``zcli`` console script.

``zcli __complete ...`` (run by the shell completion scripts on every Tab) is routed here, before the
CLI and click are imported: a Tab must be quick.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    if argv is None:  # the process's own entry: the console script, python -m zcli
        _freeze_start_up()
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["__complete"]:
        from zcli.completion.scripts import complete_main

        return complete_main(args[1:])
    from zcli.cli import run

    return run(args)


def _freeze_start_up() -> None:
    """Start-up time is a feature: what is alive when zcli starts (the interpreter's own objects) lives until
    the process ends, so the cyclic garbage collector is told not to walk it again (:func:`gc.freeze`) in each
    full collection and in the last one at exit. Objects made later are collected as ever. With the freeze of
    what opening the core adds (:func:`zcli.cli._freeze_what_lasts`), a plain query spends about 10 ms less CPU
    (``benchmarks/bench_oneshot.py``)."""
    import gc

    gc.freeze()


if __name__ == "__main__":
    sys.exit(main())
