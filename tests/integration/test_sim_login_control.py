"""The simulator's login control, captcha and identity APIs over HTTP, with the server's rules
(``zcli/sim/logincontrol.py`` names the sources): a captcha after ``login.attempts.maximum`` failed logins of an
identity, LOGIN_CONTROL.1005/1003 with the server's texts, GetLoginCaptcha/RefreshCaptcha, locking and
UnlockIdentity, ValidatePassword, the two-factor state and secret reset, TokenIntrospection and
GetSupportedIdentityModels. The captcha's answer is read through the test-only door."""

from __future__ import annotations

import base64
import hashlib
import struct
import zlib

import pytest
import requests

from tests.conftest import RunningSim, login
from tests.integration.simapi import Api
from zcli.sim.clock import ManualClock
from zcli.sim.logins import totp
from zcli.sim.server import start_in_thread

GOOD = hashlib.sha512(b"password").hexdigest()
BAD = hashlib.sha512(b"wrong").hexdigest()


@pytest.fixture
def sim():
    clock = ManualClock()
    handle = start_in_thread(port=0, clock=clock)
    running = RunningSim(handle.host, handle.port, handle=handle, extra={"clock": clock})
    running.session = login(running.api)
    yield running
    running.stop()


def admin(sim) -> requests.Session:
    s = requests.Session()
    s.headers["Authorization"] = f"OAuth {sim.session}"
    return s


def set_config(sim, category: str, name: str, value: str) -> None:
    Api(sim).ok("UpdateGlobalConfig", category=category, name=name, value=value)


def log_in(sim, password: str = GOOD, account: str = "admin", token: str | None = None, **extra) -> requests.Response:
    """LogInByAccount; ``token``: a two-factor code, sent as the server reads it (system tag ``twofatoken::``)."""
    body = {"logInByAccount": {"accountName": account, "password": password, **extra}}
    if token is not None:
        body["systemTags"] = [f"twofatoken::{token}"]
    return requests.put(f"{sim.api}/accounts/login", json=body, timeout=10)


def captcha(sim, name: str = "admin", login_type: str = "account", **extra) -> dict:
    r = requests.get(f"{sim.api}/login/control/captcha",
                     params={"resourceName": name, "loginType": login_type, **extra}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def door(sim, captcha_uuid: str) -> str:
    r = requests.get(f"{sim.url}/_sim/captchas/{captcha_uuid}", timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["verifyCode"]


def error(r) -> dict:
    assert r.status_code == 503, r.text
    return r.json()["error"]


def fail(sim, times: int, account: str = "admin") -> None:
    for _ in range(times):
        assert error(log_in(sim, BAD, account))["code"] == "ID.1000"


def test_login_control_is_off_by_default_as_on_the_server(sim):
    fail(sim, 8)
    assert log_in(sim).status_code == 200
    assert captcha(sim) == {}


def test_a_captcha_is_needed_after_the_maximum_of_failed_logins(sim):
    set_config(sim, "loginControl", "login.control", "true")  # login.attempts.maximum stays 6
    fail(sim, 5)
    assert captcha(sim) == {}  # five failures: nothing to solve yet
    fail(sim, 1)
    refused = error(log_in(sim))  # the right password, but no captcha
    assert refused == {"code": "LOGIN_CONTROL.1005", "description": "Missing captcha",
                       "details": "Missing verify code. Get verify code through captcha related API: GetLoginCaptcha"}
    got = captcha(sim)
    png = base64.b64decode(got["captcha"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and struct.unpack(">II", png[16:24]) == (84, 28)
    assert zlib.decompress(png[png.index(b"IDAT") + 4:-16])  # a real, readable image
    wrong = error(log_in(sim, captchaUuid=got["captchaUuid"], verifyCode="00000"))
    assert wrong == {"code": "LOGIN_CONTROL.1003", "description": "Wrong captcha", "details": "Wrong verify code"}
    # the failure gave that captcha a new code: GetLoginCaptcha with its uuid shows the new image
    again = captcha(sim, captchaUuid=got["captchaUuid"])
    assert again["captchaUuid"] == got["captchaUuid"] and again["captcha"] != got["captcha"]
    code = door(sim, got["captchaUuid"])
    assert len(code) == 5 and code.isdigit()
    assert log_in(sim, captchaUuid=got["captchaUuid"], verifyCode=code).status_code == 200
    assert log_in(sim).status_code == 200  # a success sets the count back: no captcha now
    assert captcha(sim) == {}


def test_the_count_is_per_identity_and_a_wrong_password_with_the_right_captcha_fails(sim):
    set_config(sim, "loginControl", "login.control", "true")
    set_config(sim, "loginControl", "login.attempts.maximum", "2")
    fail(sim, 2)
    assert log_in(sim, account="secure", token=totp("JBSWY3DPEHPK3PXPJBSWY3DP", sim.extra["clock"].time())) \
        .status_code == 200  # another account counts apart
    got = captcha(sim)
    code = door(sim, got["captchaUuid"])
    assert error(log_in(sim, BAD, captchaUuid=got["captchaUuid"], verifyCode=code))["code"] == "ID.1000"
    assert error(log_in(sim, captchaUuid=got["captchaUuid"], verifyCode=code))["code"] == "LOGIN_CONTROL.1003"
    assert captcha(sim, name="nobody") == {}  # an unknown name says nothing of who exists
    assert captcha(sim, name="ldap-user", login_type="ldap") == {}


def test_refresh_captcha_gives_a_new_code(sim):
    set_config(sim, "loginControl", "login.control", "true")
    set_config(sim, "loginControl", "login.attempts.maximum", "1")
    fail(sim, 1)
    got = captcha(sim)
    first = door(sim, got["captchaUuid"])
    r = requests.get(f"{sim.api}/captcha/refresh", params={"uuid": got["captchaUuid"]}, timeout=10)
    assert r.status_code == 200 and r.json()["captchaUuid"] == got["captchaUuid"], r.text
    second = door(sim, got["captchaUuid"])
    assert second != first or r.json()["captcha"] != got["captcha"]
    assert log_in(sim, captchaUuid=got["captchaUuid"], verifyCode=second).status_code == 200
    r = requests.get(f"{sim.api}/captcha/refresh", params={"uuid": "f" * 32}, timeout=10)
    assert error(r)["code"] == "SYS.1003"
    assert requests.get(f"{sim.url}/_sim/captchas/{'f' * 32}", timeout=10).status_code == 404


def test_a_locked_identity_waits_or_is_unlocked(sim):
    set_config(sim, "passwordStrategy", "enable.lock.login.attempts.maximum", "true")
    set_config(sim, "passwordStrategy", "lock.login.attempts.maximum", "3")
    fail(sim, 3)
    locked = error(log_in(sim))
    assert (locked["code"], locked["description"]) == ("LOGIN_CONTROL.1002", "Target is locked")
    assert locked["details"] == "this user is locked, remaining time: 600 seconds"
    sim.extra["clock"].advance(601)  # the lock runs out
    assert log_in(sim).status_code == 200
    fail(sim, 3)
    assert error(log_in(sim))["code"] == "LOGIN_CONTROL.1002"
    r = requests.get(f"{sim.api}/login/control/unlock", params={"resourceName": "admin", "loginType": "account"},
                     timeout=10)
    assert r.status_code == 400  # UnlockIdentity needs a session
    session = log_in(sim, account="secure", token=totp("JBSWY3DPEHPK3PXPJBSWY3DP",
                                                              sim.extra["clock"].time())).json()["inventory"]["uuid"]
    r = requests.get(f"{sim.api}/login/control/unlock", params={"resourceName": "admin", "loginType": "account"},
                     headers={"Authorization": f"OAuth {session}"}, timeout=10)
    assert r.status_code == 200, r.text
    assert log_in(sim).status_code == 200


def test_validate_password_answers_available(sim):
    def validate(**p):
        return requests.put(f"{sim.api}/password/verify", json={"validatePassword": p}, timeout=10)

    assert validate(loginName="admin", password=GOOD, loginType="account").json() == {"available": True}
    assert validate(loginName="admin", password=BAD, loginType="account").json() == {"available": False}
    assert validate(loginName="ldap-user", password="password", loginType="ldap").json() == {"available": True}
    assert error(validate(loginName="admin", password=GOOD, loginType=""))["details"] == "AccountType cannot be empty"


def test_two_factor_state_and_secret_reset(sim):
    def state():
        return requests.get(f"{sim.api}/twofactorauthentication/state", timeout=10).json()

    assert state() == {"state": "Disable"}
    set_config(sim, "twofa", "twofa.enable", "true")
    assert state() == {"state": "Enable"}
    inv = Api(sim).ok("ResetTwoFactorAuthenticationSecret", name="secure", password=GOOD, type="account")["inventory"]
    assert inv["status"] == "NewCreated" and inv["secret"] != "JBSWY3DPEHPK3PXPJBSWY3DP"
    now = sim.extra["clock"].time()
    assert error(log_in(sim, account="secure", token=totp("JBSWY3DPEHPK3PXPJBSWY3DP", now)))["code"] == "ID.2002"
    assert log_in(sim, account="secure", token=totp(inv["secret"], now)).status_code == 200


def test_token_introspection_and_identity_models(sim):
    def introspect(token, kind="session"):
        r = requests.post(f"{sim.api}/token/introspect", json={"params": {"token": token, "tokenType": kind}},
                          timeout=10)
        assert r.status_code == 200, r.text
        return r.json()

    assert introspect(sim.session) == {"active": True}
    assert introspect("0" * 32) == {"active": False}
    assert introspect(sim.session, "jwt") == {"active": False}
    r = requests.get(f"{sim.api}/identity-models", timeout=10)
    assert r.json() == {"configs": ["IAM", "IAM2"]}


def test_get_login_procedures_names_login_control_and_its_captcha(sim):
    def procedures(name="admin"):
        r = requests.get(f"{sim.api}/login/procedures", params={"username": name, "loginType": "account"}, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()["procedures"]

    assert procedures() == []
    set_config(sim, "loginControl", "login.control", "true")
    set_config(sim, "loginControl", "login.attempts.maximum", "1")
    assert procedures() == [{"name": "loginControl", "order": 0, "properties": {"captchaUuid": "", "captcha": ""}}]
    fail(sim, 1)
    props = procedures()[0]["properties"]
    assert props["captchaUuid"] and base64.b64decode(props["captcha"]).startswith(b"\x89PNG")
    assert [p["name"] for p in procedures("secure")] == ["loginControl", "twoFactorAuthentication"]
