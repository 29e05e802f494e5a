"""Fixtures for the shell-completion tests; the shell drivers are in :mod:`tests.shellcomp.shells`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.shellcomp.shells import BashSession, FishSession, ZshSession, need


@pytest.fixture(scope="module")
def shell_env(tmp_path_factory) -> dict[str, str]:
    """An environment whose ``zcli`` is this checkout's, with empty config and state folders.

    The virtual environment's bin folder goes first on PATH (``ZCLI_SHELLCOMP_BIN``, when set, before
    it: to test another installation). HOME is private too, so fish and zsh read no user files.
    """
    tmp = tmp_path_factory.mktemp("shellcomp")
    bin_dirs = [str(Path(sys.executable).parent)]
    if os.environ.get("ZCLI_SHELLCOMP_BIN"):
        bin_dirs.insert(0, os.environ["ZCLI_SHELLCOMP_BIN"])
    home = tmp / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZCLI_", "NO_COLOR"))}
    env.update(PATH=os.pathsep.join([*bin_dirs, env.get("PATH", "")]), HOME=str(home),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
               ZCLI_STATE_DIR=str(tmp / "state"), ZCLI_CONFIG_DIR=str(tmp / "config"),
               TERM="xterm", LC_ALL="C.UTF-8", ZDOTDIR=str(home))
    return env


def _interactive(kind, name: str, shell_env, tmp_path_factory):
    """An interactive ``name`` shell with the zcli completion loaded, closed after the module."""
    need(name)
    session = kind(shell_env, tmp_path_factory.mktemp(name))
    yield session
    session.close()


@pytest.fixture(scope="module")
def zsh(shell_env, tmp_path_factory):
    """An interactive zsh with compinit and the zcli completion loaded."""
    yield from _interactive(ZshSession, "zsh", shell_env, tmp_path_factory)


@pytest.fixture(scope="module")
def bash_tty(shell_env, tmp_path_factory):
    """An interactive bash with the zcli completion loaded."""
    yield from _interactive(BashSession, "bash", shell_env, tmp_path_factory)


@pytest.fixture(scope="module")
def fish_tty(shell_env, tmp_path_factory):
    """An interactive fish with the zcli completion loaded."""
    yield from _interactive(FishSession, "fish", shell_env, tmp_path_factory)
