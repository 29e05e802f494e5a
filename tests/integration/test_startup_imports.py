"""Start-up time is a feature: a plain one-shot query imports only what it uses (issue 9, speed).

The real ``zcli`` runs ``QueryVmInstance limit=50 -o json`` against the simulator, as a user runs it (folders
from the XDG variables, a kept session), under ``python -X importtime``, which names every module the process
imports. What importing requests loads itself is left out: only what zcli adds is judged.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

#: What a plain query must not import, each for a reason:
NOT_ON_THE_PLAIN_PATH = {
    # the shell, help and the click parser (help, --version and malformed command lines alone)
    "click", "rich", "prompt_toolkit", "pygments", "platformdirs",
    # formats and options other than -o json: --query, -o yaml, tables, csv/tsv/value cells
    "jmespath", "yaml", "zcli.output.stream", "zcli.output.table", "zcli.output.record", "zcli.output.cells",
    # dataclasses (and what it imports): about 0.4 ms a class, 3 ms the module (zcli.record says why)
    "dataclasses", "inspect", "ast", "dis",
    # difflib (suggestions for a wrong name, a name close to a secret), uuid and platform (async job ids),
    # signal (the shell's Ctrl-C), tomllib (a config file), the access key's signing
    "difflib", "uuid", "platform", "signal", "tomllib", "hmac", "zcli.api.accesskey",
    # a user's own catalogue files; the faces and layers a query never reaches
    "zcli.catalog.compact", "zcli.shell", "zcli.completion", "zcli.help", "zcli.sim", "zcli.commands.batch",
    "zcli.commands.zql", "zcli.zql.parser",
}


def _imported(args: list[str], env: dict) -> tuple[set[str], subprocess.CompletedProcess]:
    done = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True, text=True, env=env,
                          timeout=60, check=False)
    names = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    return names, done


@pytest.fixture
def user_env(tmp_path, sim):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZCLI_", "XDG_"))}
    env.update(XDG_STATE_HOME=str(tmp_path / "state"), XDG_CONFIG_HOME=str(tmp_path / "config"), ZCLI_URL=sim.url,
               HOME=str(tmp_path))
    login = subprocess.run([sys.executable, "-m", "zcli", "LogInByAccount", "accountName=admin", "password=password"],
                           capture_output=True, text=True, env=env, timeout=60, check=False)
    assert login.returncode == 0, login.stderr
    return env


def test_a_plain_query_imports_only_what_it_uses(user_env):
    requests_loads, _ = _imported(["-c", "import requests"], user_env)
    loaded, done = _imported(["-m", "zcli", "QueryVmInstance", "limit=50", "-o", "json"], user_env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert isinstance(json.loads(done.stdout)["inventories"], list)
    assert "zcli.catalog.store" in loaded and "requests" in loaded  # the check sees the process's imports
    added = loaded - requests_loads
    assert sorted(m for m in added if m in NOT_ON_THE_PLAIN_PATH or m.split(".")[0] in NOT_ON_THE_PLAIN_PATH
                  or any(m.startswith(p + ".") for p in NOT_ON_THE_PLAIN_PATH)) == []


def test_the_process_freezes_what_lasts_and_only_its_own(user_env):
    """The console script's process moves what start-up made out of the collector's way (gc.freeze); the CLI
    run inside another process (a test, a program using zcli) leaves that process's collector alone."""
    import gc
    import io

    from zcli.cli import run
    from zcli.core.environment import Environment

    code = ("import gc, sys\nfrom zcli.__main__ import main\nsys.argv = ['zcli', 'QueryZone', '-o', 'json']\n"
            "status = main()\nprint(status, gc.get_freeze_count() > 0, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=user_env, timeout=60,
                          check=False)
    assert done.stderr.split()[-2:] == ["0", "True"], done.stderr[-2000:]
    assert json.loads(done.stdout)["inventories"]

    assert gc.get_freeze_count() == 0
    out = io.StringIO()
    assert run(["QueryZone", "-o", "json"], Environment(io.StringIO(), out, io.StringIO(), user_env)) == 0
    assert json.loads(out.getvalue())["inventories"] and gc.get_freeze_count() == 0
