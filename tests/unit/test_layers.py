"""The house rules, read from the source: floors import only lower floors, no import circle, options declared
in the one table alone, modules of a readable size, and start-up imports kept light."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "zcli"

#: Each package (or top-level module) of zcli and its floor: a floor imports only its own and lower ones.
FLOORS = {
    "zcli": 0, "zcli.errors": 0, "zcli.options": 0, "zcli.limits": 0, "zcli.lazy": 0, "zcli.paths": 0,
    "zcli.record": 0,
    "zcli.catalog": 1, "zcli.sessions": 1, "zcli.privatefile": 1,
    "zcli.grammar": 2, "zcli.secrets": 2, "zcli.secret_input": 2,
    "zcli.api": 3, "zcli.output": 3, "zcli.config": 3,
    "zcli.commands": 4, "zcli.completion": 4, "zcli.zql": 4, "zcli.help": 4, "zcli.sim": 4,
    "zcli.core": 5,
    "zcli.cli": 6, "zcli.shell": 6, "zcli.__main__": 6,
}
#: The simulator is a side branch beside the client's floors: the catalogue and the ZQL parser are all of
#: zcli it may use (besides the leaf modules).
SIM_MAY_USE = {"zcli", "zcli.catalog", "zcli.limits", "zcli.zql", "zcli.sim"}


def modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imports(path: Path, name: str) -> list[tuple[str, bool]]:
    """The zcli modules ``path`` imports, each with whether the import is at module level (run on import)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    top = set(map(id, tree.body))
    guarded = set()
    for node in tree.body:  # `if TYPE_CHECKING:` blocks are never run
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            guarded.update(id(n) for n in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in guarded:
            continue
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                kept = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(kept + ([base] if base else []))
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        found += [(n, id(node) in top) for n in names if n == "zcli" or n.startswith("zcli.")]
    return found


def unit(module: str) -> str:
    """The package or top-level module that ``module`` belongs to (``zcli.grammar.parse``: ``zcli.grammar``)."""
    parts = module.split(".")
    return "zcli" if len(parts) == 1 else f"zcli.{parts[1]}"


def test_every_package_has_a_floor():
    """A new package or top-level module must be given its floor here."""
    assert {unit(m) for m in modules()} <= set(FLOORS)


def test_no_floor_imports_upward():
    wrong = []
    mods = modules()
    for name, path in mods.items():
        mine = unit(name)
        for target, _ in imports(path, name):
            while target not in mods:  # ``from zcli import __version__``: a name of the module zcli
                target = target.rpartition(".")[0]
            theirs = unit(target)
            if FLOORS[theirs] > FLOORS[mine]:
                wrong.append(f"{name} imports {target} ({mine}: floor {FLOORS[mine]}, {theirs}: {FLOORS[theirs]})")
            if mine == "zcli.sim" and theirs not in SIM_MAY_USE:
                wrong.append(f"{name} (the simulator) imports {target}")
    assert wrong == []


def test_no_import_circle_at_module_level():
    """Module-level imports form no cycle (an import inside a function runs later, when all are loaded)."""
    mods = modules()
    graph = {name: {t for t, top in imports(path, name) if top and t in mods and t != name}
             for name, path in mods.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt):], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    # a package's __init__ importing its own submodules, which import the package back, is Python's normal
    # way of exporting names: only a cycle between different modules' own code counts
    cycles = [c for c in cycles if not all(m == c[0] or m.startswith(c[0] + ".") or c[0].startswith(m + ".")
                                           for m in c)]
    assert cycles == []


#: One concept a module: no module of zcli is longer than this (split along a seam before it grows past).
MAX_LINES = 400


def test_modules_stay_readable():
    big = {str(p.relative_to(ROOT.parent)): len(p.read_text(encoding="utf-8").splitlines())
           for p in ROOT.rglob("*.py")}
    assert {p: n for p, n in big.items() if n > MAX_LINES} == {}


# --- options: declared in the one table alone --------------------------------------------------------------
def test_options_are_declared_in_the_one_table_alone():
    """No click or argparse option, and no literal list of the table's long flags, outside
    ``zcli/options.py`` (``zcli sim``'s own argparse parser excepted: completion reads it)."""
    from zcli.options import OPTIONS

    long_flags = {f for o in OPTIONS for f in o.flags if f.startswith("--")}
    allowed = {ROOT / "options.py", ROOT / "sim" / "cli.py"}
    found = []
    for path in ROOT.rglob("*.py"):
        if path in allowed:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        blamed = {id(k.value) for n in ast.walk(tree) if isinstance(n, ast.Call) for k in n.keywords
                  if k.arg == "word"}  # an error naming the option it blames declares nothing
        for node in ast.walk(tree):
            if id(node) in blamed:
                continue
            if isinstance(node, ast.Call):
                func = ast.unparse(node.func)
                literal = any(isinstance(a, ast.Constant) and isinstance(a.value, str) and a.value.startswith("-")
                              for a in node.args)
                if func.endswith(("option", "Option", "add_argument", "add_option")) and literal:
                    found.append(f"{path}:{node.lineno}: {func}(...)")
            if isinstance(node, ast.Constant) and node.value in long_flags:
                found.append(f"{path}:{node.lineno}: {node.value!r}")
    assert found == []


def test_click_the_plain_parser_completion_and_config_read_the_same_table():
    import click

    from zcli.cli import build_command
    from zcli.completion.oneshot import OPTIONS as COMPLETED
    from zcli.config import KEYS
    from zcli.options import CONFIG_KEYS, OPTIONS, VALUE_OPTIONS, line_option_help

    command = build_command()
    ctx = click.Context(command, **command.context_settings)
    helps = {name: p.help for p in command.get_params(ctx) if isinstance(p, click.Option) for name in p.opts}
    assert COMPLETED is OPTIONS and KEYS is CONFIG_KEYS
    for option in VALUE_OPTIONS:  # the same help text in click's --help and every completion menu
        assert all(helps[f] == option.help for f in option.flags), option.dest
    assert set(line_option_help()) == {"-o", "--output", "--query", "--all", "--no-validate"}


# --- start-up: what the plain path and the option table import ---------------------------------------------
def _loaded(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_the_option_table_imports_nothing_heavy():
    loaded = {m for m in _loaded("import zcli.options") if m.startswith("zcli")}
    assert loaded == {"zcli", "zcli.options"}


@pytest.mark.parametrize("heavy", ["click", "platformdirs", "zcli.output.stream", "prompt_toolkit", "rich", "yaml",
                                   "jmespath", "zcli.shell",
                                   "zcli.completion", "zcli.help", "zcli.sim"])
def test_the_plain_one_shot_path_does_not_load(heavy):
    """Parsing argv and making the core (what every one-shot command does first) stays off the heavy modules."""
    code = ("from zcli.options import parse_plain\nparse_plain(['QueryZone', '-o', 'json'])\n"
            "from zcli.core import Core, Environment\nfrom zcli.config import resolve\n"
            "import io\nenv = Environment(io.StringIO(), io.StringIO(), io.StringIO(), {'ZCLI_STATE_DIR': '/none'})\n"
            "Core.open(env, resolve({}, {}, {}), store=None)")
    assert not {m for m in _loaded(code) if m == heavy or m.startswith(heavy + ".")}


def test_one_edge_turns_failures_into_error_lines():
    """Failures become a line and a status in one place, :meth:`zcli.core.report.Report.guard`: the faces,
    the core and the commands catch no bare ``Exception`` (the shell's background fetch of live values
    excepted: it is no edge, it never reports)."""
    found = []
    for folder in ("cli.py", "core", "commands", "shell"):
        for path in sorted((ROOT / folder).rglob("*.py")) if (ROOT / folder).is_dir() else [ROOT / folder]:
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ExceptHandler) and node.type is not None \
                        and ast.unparse(node.type) in ("Exception", "BaseException"):
                    found.append(path.relative_to(ROOT).as_posix())
    assert sorted(found) == ["core/report.py", "shell/live.py"]
