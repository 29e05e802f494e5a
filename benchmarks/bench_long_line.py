"""Long values cost linear time: a 100,000-character line parsed, highlighted and checked (secrets, grammar).

Each figure is the best of a few runs, in milliseconds; the goal is under 100 ms for each step. Shapes:
one long value (``name=xxxx...``), a long URL-like value (``url=http://u:xxxx...`` with no ``@``, the shape
that made the URL-password pattern backtrack), many short words, and quotes and backslashes.

Run: .venv/bin/python benchmarks/bench_long_line.py
"""

from __future__ import annotations

import time

N = 100_000
LINES = {
    "one long value": "CreateZone name=" + "x" * N,
    "url without @": "AddImage name=i url=http://u:" + "p" * N,
    "many scheme-like words": "AddImage name=i url=" + "a://b:" * (N // 6),
    "many words": "QueryVmInstance " + " ".join(f"name={i}" for i in range(N // 8)),
    "quotes and escapes": "CreateZone name='" + "a\\b" * (N // 3) + "'",
    "a secret": "LogInByAccount accountName=admin password=" + "s" * N,
}


def best(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def main() -> None:
    from zcli.catalog import load_catalog
    from zcli.grammar import parse_command, split_line
    from zcli.secrets import mask_text, url_password_spans
    from zcli.shell.lexer import ShellLexer
    from zcli.shell.secrets import secret_spans

    catalog = load_catalog()
    catalog.api("CreateZone")
    lexer = ShellLexer(catalog, {})
    print(f"{'line':<24}{'chars':>9}{'split':>9}{'lex':>9}{'secrets':>9}{'urlpw':>9}{'mask':>9}{'parse':>9}  (ms)")
    worst = 0.0
    for name, line in LINES.items():
        def parse(line=line):
            try:
                parse_command(split_line(line), catalog)
            except Exception:  # a too-long or unknown value is the grammar's error: its cost counts
                pass

        figures = [best(lambda line=line: split_line(line)), best(lambda line=line: lexer.fragments(line)),
                   best(lambda line=line: secret_spans(catalog, line)),
                   best(lambda line=line: url_password_spans(line, "url")),
                   best(lambda line=line: mask_text(line)), best(parse)]
        worst = max(worst, *figures)
        print(f"{name:<24}{len(line):>9}" + "".join(f"{f:>9.1f}" for f in figures))
    print(f"worst step: {worst:.1f} ms (goal: under 100 ms)")


if __name__ == "__main__":
    main()
