"""Running the real ``zcli`` in a subprocess, with its config and state folders in a temporary place."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: Environment variables of the user's that would change what zcli does.
_SCRUB = ("NO_COLOR", "PAGER", "COLUMNS")


@dataclass
class Ran:
    """A finished run."""

    status: int
    out: str
    err: str


class Zcli:
    """``zcli`` with private folders: ``run(*args)`` runs it and returns a :class:`Ran`."""

    def __init__(self, tmp: Path, **env: str):
        self.state = tmp / "state"
        self.config = tmp / "config"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("ZCLI_") and k not in _SCRUB}
        self.env.update(ZCLI_STATE_DIR=str(self.state), ZCLI_CONFIG_DIR=str(self.config), PYTHONIOENCODING="utf-8")
        self.env.update(env)

    def run(self, *args: str, input: str | None = None, env: dict | None = None, timeout: float = 60) -> Ran:
        done = subprocess.run([sys.executable, "-m", "zcli", *args], input=input, capture_output=True, text=True,
                              encoding="utf-8", env={**self.env, **(env or {})}, timeout=timeout)
        return Ran(done.returncode, done.stdout, done.stderr)

    def popen(self, *args: str, **kwargs) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "zcli", *args], env=self.env, text=True, encoding="utf-8",
                                **kwargs)

    def session_files(self) -> list[Path]:
        folder = self.state / "sessions"
        return sorted(folder.iterdir()) if folder.is_dir() else []

    def write_config(self, text: str) -> Path:
        self.config.mkdir(parents=True, exist_ok=True)
        path = self.config / "config.toml"
        path.write_text(text, encoding="utf-8")
        return path


def login_args(password: str = "password") -> list[str]:
    return ["LogInByAccount", "accountName=admin", f"password={password}"]
