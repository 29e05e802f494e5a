"""``python -m zcli`` and the ``zcli`` console script.

``zcli __complete ...`` (run by the shell completion scripts on every Tab) is routed here, before the
CLI and click are imported: a Tab must be quick.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["__complete"]:
        from zcli.completion.scripts import complete_main

        return complete_main(args[1:])
    from zcli.cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
