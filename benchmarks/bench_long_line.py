"""Long values cost linear time: a 100,000-character line parsed, highlighted and checked (secrets, grammar).

Each figure is the median of a few runs, in milliseconds (the machine is shared: a median, not a best, is what a
user sees); the goal is under 100 ms for each step. Shapes: one long value (``name=xxxx...``), a long URL-like
value (``url=http://u:xxxx...`` with no ``@``, the shape that made the URL-password pattern backtrack), many
short words (one key repeated, and many keys, operators and kinds), and quotes and backslashes.

Run: .venv/bin/python benchmarks/bench_long_line.py
"""

from __future__ import annotations

import statistics
import time

N = 100_000
LINES = {
    "one long value": "CreateZone name=" + "x" * N,
    "url without @": "AddImage name=i url=http://u:" + "p" * N,
    "many scheme-like words": "AddImage name=i url=" + "a://b:" * (N // 6),
    "many words": "QueryVmInstance " + " ".join(f"name={i}" for i in range(N // 8)),
    "many k=v words": "QueryVmInstance " + " ".join(
        f"{k}{i}" for i in range(N // 11) for k in ("name=", "cpuNum>=", "state!=", "uuid?=")[i % 4:i % 4 + 1]),
    "quotes and escapes": "CreateZone name='" + "a\\b" * (N // 3) + "'",
    "a secret": "LogInByAccount accountName=admin password=" + "s" * N,
}


def median(fn, runs: int = 5) -> tuple[float, float]:
    """The median wall-clock and CPU (this process's) times of ``fn``, in milliseconds."""
    wall, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        fn()
        cpu.append(time.process_time() - used)
        wall.append(time.perf_counter() - started)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def main() -> None:
    from zcli.catalog import load_catalog
    from zcli.grammar import parse_command, split_line
    from zcli.secrets.values import mask_text, url_password_spans
    from zcli.shell.lexer import ShellLexer
    from zcli.shell.secrets import secret_spans

    catalog = load_catalog()
    catalog.api("CreateZone")
    lexer = ShellLexer(catalog, {})
    header = f"{'line':<24}{'chars':>9}{'split':>9}{'lex':>9}{'secrets':>9}{'urlpw':>9}{'mask':>9}{'parse':>9}"
    rows = []
    for name, line in LINES.items():
        def parse(line=line):
            try:
                parse_command(split_line(line), catalog)
            except Exception:  # a too-long or unknown value is the grammar's error: its cost counts
                pass

        figures = [median(lambda line=line: split_line(line)), median(lambda line=line: lexer.fragments(line)),
                   median(lambda line=line: secret_spans(catalog, line)),
                   median(lambda line=line: url_password_spans(line, "url")),
                   median(lambda line=line: mask_text(line)), median(parse)]
        rows.append((name, len(line), figures))
    for title, which in (("wall clock", 0), ("CPU time of this process (what a loaded machine does not inflate)", 1)):
        print(f"{title}, median of 5 runs:")
        print(header + "  (ms)")
        for name, size, figures in rows:
            print(f"{name:<24}{size:>9}" + "".join(f"{f[which]:>9.1f}" for f in figures))
        worst = max(f[which] for _, _, figures in rows for f in figures)
        print(f"worst step: {worst:.1f} ms (goal: under 100 ms)\n")


if __name__ == "__main__":
    main()
