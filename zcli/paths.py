"""Where zcli keeps its files: the config folder (config.toml, catalog.d/) and the state folder
(sessions, history). ``ZCLI_CONFIG_DIR`` and ``ZCLI_STATE_DIR`` override them (tests use these)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path


def config_dir(env: Mapping[str, str] = os.environ) -> Path:
    """The platform's config folder for zcli (``~/.config/zcli`` on Linux)."""
    if env.get("ZCLI_CONFIG_DIR"):
        return Path(env["ZCLI_CONFIG_DIR"])
    if sys.platform == "linux":
        return _xdg(env, "XDG_CONFIG_HOME", ".config")
    from platformdirs import user_config_dir

    return Path(user_config_dir("zcli", appauthor=False))


def state_dir(env: Mapping[str, str] = os.environ) -> Path:
    """The platform's state folder for zcli (``~/.local/state/zcli`` on Linux)."""
    if env.get("ZCLI_STATE_DIR"):
        return Path(env["ZCLI_STATE_DIR"])
    if sys.platform == "linux":
        return _xdg(env, "XDG_STATE_HOME", ".local/state")
    from platformdirs import user_state_dir

    return Path(user_state_dir("zcli", appauthor=False))


def _xdg(env: Mapping[str, str], variable: str, default: str) -> Path:
    """The XDG base directory ``variable`` (or ``~/DEFAULT``) with ``zcli`` under it, as platformdirs gives
    it on Linux; read here so that a one-shot command does not import platformdirs (start-up time)."""
    base = env.get(variable, "").strip()
    return Path(base or os.path.join(os.path.expanduser("~"), default)) / "zcli"


def private_dir(path: Path) -> Path:
    """Create ``path`` (mode 0700) if needed and tighten it if it is looser; return it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path
