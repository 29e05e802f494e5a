"""Shared fixtures: a running ``zcli sim`` and a logged-in admin session.

* ``sim`` (session): a ``zcli sim`` subprocess on a free loopback port; ``.url`` is the base URL
  (``http://127.0.0.1:PORT/zstack``), ``.api`` the ``/zstack/v1`` prefix, ``.host``, ``.port``.
* ``admin_session`` (session): a session uuid from a real ``LogInByAccount`` as admin/password.
* ``fresh_sim`` (function): a simulator of its own, started in-process, for tests that change data;
  same attributes, plus ``.session`` (an admin session on it).
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field

import pytest
import requests
from hypothesis import settings

ADMIN_PASSWORD_SHA512 = hashlib.sha512(b"password").hexdigest()


@dataclass
class RunningSim:
    """Where a simulator answers."""

    host: str
    port: int
    process: subprocess.Popen | None = None
    handle: object = None
    session: str | None = None
    banner: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/zstack"

    @property
    def api(self) -> str:
        return f"{self.url}/v1"

    def stop(self) -> None:
        if self.handle is not None:
            self.handle.stop()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


# A test run started as a background job (no job control) inherits SIGINT ignored, and so would every
# zcli it starts: an ignored SIGINT survives exec, so the Ctrl-C tests would test nothing real. A handler
# of our own does not survive exec: the children start with SIGINT at its default, as under a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


# Property tests run the same examples on every run: a failure they find is found again, and CI
# never fails on an example no earlier run tried. Run with HYPOTHESIS_PROFILE=explore to search afresh.
settings.register_profile("zcli", derandomize=True, deadline=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "zcli"))


#: Every simulator process the tests started, so that none outlives the test run (see _reap_sims).
_SPAWNED: list[subprocess.Popen] = []


@pytest.fixture(scope="session", autouse=True)
def _reap_sims():
    """Kill any simulator a failing or interrupted test left running."""
    yield
    for proc in _SPAWNED:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def spawn_sim(*args: str, env: dict | None = None) -> RunningSim:
    """Start ``zcli sim --port 0 ARGS`` and wait for its banner (the URL it serves)."""
    proc = subprocess.Popen([sys.executable, "-m", "zcli", "sim", "--port", "0", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8",
                            env={**os.environ, **(env or {})})
    _SPAWNED.append(proc)
    banner = proc.stdout.readline()
    if "serving http://" not in banner:
        proc.kill()
        raise RuntimeError(f"zcli sim did not start: {banner!r} {proc.stderr.read()!r}")
    hostport = banner.split("serving http://", 1)[1].split("/", 1)[0]
    host, port = hostport.rsplit(":", 1)
    return RunningSim(host, int(port), process=proc, banner=banner)


def login(api: str, account: str = "admin", password_sha512: str = ADMIN_PASSWORD_SHA512) -> str:
    """Log in through the REST API; the session uuid."""
    r = requests.put(f"{api}/accounts/login",
                     json={"logInByAccount": {"accountName": account, "password": password_sha512}}, timeout=10)
    r.raise_for_status()
    return r.json()["inventory"]["uuid"]


@pytest.fixture(scope="session")
def sim():
    running = spawn_sim()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def admin_session(sim) -> str:
    return login(sim.api)


@pytest.fixture
def fresh_sim():
    from zcli.sim.server import start_in_thread

    handle = start_in_thread(port=0)
    running = RunningSim(handle.host, handle.port, handle=handle)
    running.session = login(running.api)
    yield running
    running.stop()
