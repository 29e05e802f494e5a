"""Logins under a real pseudo-terminal (issue 10): the shell's ``whoami`` built-in, the background renewal of an
idle shell's session (time injected: the simulator's ManualClock and the shell's test-only clock file,
``ZCLI_TEST_CLOCK_FILE``), and the captcha the server's login control asks for, shown and asked for on a
terminal, in the shell and in a one-shot command."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pexpect
import pytest
import requests

from tests.conftest import ADMIN_PASSWORD_SHA512, login
from tests.integration.simapi import Api
from tests.terminal.screen import ENTER, Terminal
from zcli.sim.clock import ManualClock
from zcli.sim.logincontrol import of
from zcli.sim.logins import TWO_FACTOR_SECRET, totp
from zcli.sim.server import start_in_thread

pytestmark = pytest.mark.timeout(120)

LOGIN = "LogInByAccount accountName=admin password=password"


class Sim:
    """A simulator in this process, on a ManualClock, logging the requests it serves."""

    def __init__(self, **options):
        self.clock = ManualClock()
        self.requests: list[str] = []
        self.handle = start_in_thread(port=0, clock=self.clock, verbose=True, log=self.requests.append, **options)
        self.url = f"http://{self.handle.host}:{self.handle.port}/zstack"
        self.api = self.url + "/v1"
        self.auth = self.handle.simulator.auth

    def stop(self):
        self.handle.stop()


@pytest.fixture
def sim():
    running = Sim()
    yield running
    running.stop()


def shell(tmp_path, sim, **env) -> Terminal:
    t = Terminal(tmp_path, args=("--url", sim.url), env=env)
    t.wait_for("zcli>")
    return t


def test_whoami_is_a_shell_built_in(tmp_path, sim):
    t = shell(tmp_path, sim)
    try:
        t.send("whoami" + ENTER)
        t.wait_for("not logged in")
        t.send(LOGIN + ENTER)
        t.wait_until(lambda s: s.count("zcli>") >= 3)
        t.send("whoami" + ENTER)
        screen = t.wait_for("expires")
        record = screen[screen.rindex("whoami"):]
        assert sim.url in record and re.search(r"account:\s+admin", record), record
        assert re.search(r"login:\s+account", record) and re.search(r"expires:\s+\w{3} \d", record), record
        kept = next(iter(sim.auth._expires))
        assert kept not in record  # whoami never shows the session uuid: it is a credential
    finally:
        t.close()


def test_an_idle_shell_renews_its_session_before_it_expires(tmp_path):
    sim = Sim(idle_timeout=4.0)  # the server's session.timeout: 4 s of the simulator's clock
    clock_file = tmp_path / "clock"
    clock_file.write_text("0")
    t = shell(tmp_path, sim, ZCLI_TEST_CLOCK_FILE=str(clock_file))
    try:
        t.send(LOGIN + ENTER)
        t.wait_until(lambda s: s.count("zcli>") >= 2 and len(sim.auth._expires) == 1)
        session, (expires, _) = next(iter(sim.auth._expires.items()))
        logged_in = sim.clock.time()
        assert expires == logged_in + 4.0
        # 3 s pass on both clocks while the shell sits idle: past half the timeout, before its end
        sim.clock.advance(3)
        clock_file.write_text("3")
        deadline = time.monotonic() + 20
        while sim.auth._expires[session][0] <= expires and time.monotonic() < deadline:
            t.pump(0.2)
        assert sim.auth._expires[session][0] == logged_in + 3 + 4.0, "the idle shell did not renew its session"
        assert any(f"/accounts/sessions/{session}/renew" in line for line in sim.requests), sim.requests[-5:]
        # 6 s after the login: the login's own expiry (4 s) has passed, and the next command still works
        sim.clock.advance(3)
        clock_file.write_text("6")
        t.send("QueryZone fields=name" + ENTER)
        screen = t.wait_for("zone-1")
        answer = screen[screen.rindex("QueryZone fields=name"):]
        assert "ID.1001" not in answer and "log in" not in answer.lower() and "2 rows" in answer, screen
    finally:
        t.close()
        sim.stop()


def _fail_logins(sim, times: int) -> None:
    api = Api(type("S", (), {"api": sim.api, "session": login(sim.api)}))
    api.ok("UpdateGlobalConfig", category="loginControl", name="login.control", value="true")
    api.ok("UpdateGlobalConfig", category="loginControl", name="login.attempts.maximum", value=str(times))
    for _ in range(times):
        r = requests.put(f"{sim.api}/accounts/login", json={"logInByAccount": {
            "accountName": "admin", "password": ADMIN_PASSWORD_SHA512[::-1]}}, timeout=10)
        assert r.status_code == 503


def _answer_the_captcha(t: Terminal, sim) -> str:
    screen = t.wait_for("captcha code:")
    path = re.search(r"the image is in (\S+\.png);", screen.replace("\n", ""))
    assert path, screen
    assert Path(path.group(1)).read_bytes().startswith(b"\x89PNG")
    assert Path(path.group(1)).stat().st_mode & 0o077 == 0  # private to its owner
    uuids = _captcha_rows(sim)
    assert len(uuids) == 1, uuids
    code = of(sim.auth).answer(uuids[0])  # the test-only door: what a person reads off the image
    t.send(code + ENTER)
    return screen


def _captcha_rows(sim) -> list[str]:
    _, rows = sim.auth.store.read("SELECT uuid FROM _sim_captcha WHERE verifyCode != ''")
    return [r[0] for r in rows]


def test_the_shell_shows_the_captcha_and_asks_for_its_code(tmp_path, sim):
    _fail_logins(sim, 2)
    t = shell(tmp_path, sim)
    try:
        t.send(LOGIN + ENTER)
        screen = _answer_the_captcha(t, sim)
        assert "the server wants a captcha" in screen
        t.wait_until(lambda s: s.count("zcli>") >= 2)
        t.send("whoami" + ENTER)
        screen = t.wait_for("expires")
        assert re.search(r"account:\s+admin", screen[screen.rindex("whoami"):]), screen
    finally:
        t.close()


def test_the_shell_asks_for_the_second_factor(tmp_path, sim):
    t = shell(tmp_path, sim)
    try:
        t.send("LogInByAccount accountName=secure password=password" + ENTER)
        t.wait_for("two-factor code")
        t.send(totp(TWO_FACTOR_SECRET, sim.clock.time()) + ENTER)
        t.wait_until(lambda s: s.count("zcli>") >= 2)
        t.send("whoami" + ENTER)
        screen = t.wait_for("expires")
        assert re.search(r"account:\s+secure", screen[screen.rindex("whoami"):]), screen
    finally:
        t.close()


def test_a_one_shot_login_on_a_terminal_asks_for_the_captcha(tmp_path, sim):
    _fail_logins(sim, 2)
    t = Terminal(tmp_path, args=("--url", sim.url, *LOGIN.split()))
    try:
        _answer_the_captcha(t, sim)
        t.child.expect(pexpect.EOF, timeout=20)
        t.child.close()
        assert t.child.exitstatus == 0, t.text()
    finally:
        t.close()
    ran = Terminal(tmp_path, args=("--url", sim.url, "whoami", "-o", "json"))
    ran.child.expect(pexpect.EOF, timeout=20)
    assert '"account": "admin"' in ran.child.before
