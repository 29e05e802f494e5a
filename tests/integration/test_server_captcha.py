"""The client's captcha path against the simulator's login control (zcli/api/extra_auth.py, zcli/sim/logincontrol.py):
in a script zcli exits 4 and names what to pass (GetLoginCaptcha, captchaUuid=, verifyCode=); given them, the
login goes through; a wrong code and a locked identity exit 4 too. The terminal half is in
tests/terminal/test_shell_login.py."""

from __future__ import annotations

import json

import pytest

from tests.conftest import RunningSim, login
from tests.integration.clirun import Zcli
from tests.integration.simapi import Api
from zcli.sim.logincontrol import of
from zcli.sim.server import start_in_thread


@pytest.fixture
def sim():
    handle = start_in_thread(port=0)
    running = RunningSim(handle.host, handle.port, handle=handle)
    running.session = login(running.api)
    api = Api(running)
    api.ok("UpdateGlobalConfig", category="loginControl", name="login.control", value="true")
    api.ok("UpdateGlobalConfig", category="loginControl", name="login.attempts.maximum", value="2")
    yield running
    running.stop()


@pytest.fixture
def z(tmp_path, sim):
    z = Zcli(tmp_path, ZCLI_URL=sim.url)
    for _ in range(2):
        assert z.run("LogInByAccount", "accountName=admin", "password=wrong").status == 1
    return z


def test_in_a_script_a_captcha_exits_4_naming_what_to_pass(z):
    ran = z.run("LogInByAccount", "accountName=admin", "password=password")
    assert ran.status == 4, ran.err
    line = ran.err.strip()
    assert "LOGIN_CONTROL.1005" in line and "GetLoginCaptcha resourceName=admin loginType=account" in line, line
    assert "captchaUuid=UUID verifyCode=CODE" in line and "password" not in line.replace("password=", ""), line
    assert len(line.splitlines()) == 1


def test_the_captcha_named_gets_the_login_through(z, sim):
    got = z.run("GetLoginCaptcha", "resourceName=admin", "loginType=account", "-o", "json")
    assert got.status == 0, got.err
    captcha = json.loads(got.out)
    code = of(sim.handle.simulator.auth).answer(captcha["captchaUuid"])  # the test-only door
    ran = z.run("LogInByAccount", "accountName=admin", "password=password",
                f"captchaUuid={captcha['captchaUuid']}", f"verifyCode={code}")
    assert ran.status == 0, ran.err
    assert json.loads(z.run("whoami", "-o", "json").out)["account"] == "admin"


def test_a_wrong_captcha_exits_4(z):
    captcha = json.loads(z.run("GetLoginCaptcha", "resourceName=admin", "loginType=account", "-o", "json").out)
    ran = z.run("LogInByAccount", "accountName=admin", "password=password",
                f"captchaUuid={captcha['captchaUuid']}", "verifyCode=nope")
    assert ran.status == 4 and "LOGIN_CONTROL.1003" in ran.err and "Wrong verify code" in ran.err, ran.err


def test_the_ldap_login_names_its_login_type(tmp_path, sim):
    z = Zcli(tmp_path, ZCLI_URL=sim.url)
    for _ in range(2):
        assert z.run("LogInByLdap", "uid=ldap-user", "password=wrong").status == 1
    ran = z.run("LogInByLdap", "uid=ldap-user", "password=password")
    assert ran.status == 4 and "GetLoginCaptcha resourceName=ldap-user loginType=ldap" in ran.err, ran.err


def test_a_locked_identity_exits_4_naming_unlock_identity(tmp_path, sim):
    api = Api(sim)
    api.ok("UpdateGlobalConfig", category="passwordStrategy", name="enable.lock.login.attempts.maximum", value="true")
    api.ok("UpdateGlobalConfig", category="passwordStrategy", name="lock.login.attempts.maximum", value="3")
    z = Zcli(tmp_path, ZCLI_URL=sim.url)
    for _ in range(3):
        z.run("LogInByAccount", "accountName=admin", "password=wrong")
    ran = z.run("LogInByAccount", "accountName=admin", "password=password")
    assert ran.status == 4 and "LOGIN_CONTROL.1002" in ran.err, ran.err
    assert "UnlockIdentity resourceName=admin loginType=account" in ran.err


def test_validate_password_and_the_secret_reset_hash_account_passwords(tmp_path, sim):
    z = Zcli(tmp_path, ZCLI_URL=sim.url)
    ran = z.run("ValidatePassword", "loginName=admin", "password=password", "loginType=account", "-o", "json")
    assert ran.status == 0 and json.loads(ran.out) == {"available": True}, ran.err + ran.out
    ran = z.run("ValidatePassword", "loginName=ldap-user", "password=password", "loginType=ldap", "-o", "json")
    assert ran.status == 0 and json.loads(ran.out) == {"available": True}, ran.err + ran.out
    assert z.run("LogInByAccount", "accountName=admin", "password=password").status == 0
    ran = z.run("ResetTwoFactorAuthenticationSecret", "name=secure", "password=password", "type=account", "-o", "json")
    assert ran.status == 0 and json.loads(ran.out)["inventory"]["status"] == "NewCreated", ran.err + ran.out
