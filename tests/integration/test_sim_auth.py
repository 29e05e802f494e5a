"""The simulator's auth, over HTTP: logins, logout, session checks and idle expiry, as the real server does them."""

from __future__ import annotations

import hashlib
import time

import requests

from tests.conftest import ADMIN_PASSWORD_SHA512, login


def test_login_by_account_returns_a_session_inventory(sim):
    r = requests.put(f"{sim.api}/accounts/login",
                     json={"logInByAccount": {"accountName": "admin", "password": ADMIN_PASSWORD_SHA512}})
    assert r.status_code == 200
    inv = r.json()["inventory"]
    assert len(inv["uuid"]) == 32
    assert inv["accountUuid"] == "36c27e8ff05c4780bf6d2fa65700f22e"
    assert inv["expiredDate"] and inv["createDate"]


def test_wrong_password_is_id_1000(sim):
    r = requests.put(f"{sim.api}/accounts/login",
                     json={"logInByAccount": {"accountName": "admin", "password": hashlib.sha512(b"nope").hexdigest()}})
    assert r.status_code == 503
    err = r.json()["error"]
    assert err["code"] == "ID.1000"
    assert err["description"] and err["details"]


def test_plain_password_is_refused(sim):
    body = {"logInByAccount": {"accountName": "admin", "password": "password"}}
    r = requests.put(f"{sim.api}/accounts/login", json=body)
    assert r.status_code == 503 and r.json()["error"]["code"] == "ID.1000"


def test_login_by_user(sim):
    body = {"logInByUser": {"accountName": "admin", "userName": "demo", "password": ADMIN_PASSWORD_SHA512}}
    r = requests.put(f"{sim.api}/accounts/users/login", json=body)
    assert r.status_code == 200
    session = r.json()["inventory"]["uuid"]
    q = requests.get(f"{sim.api}/zones", headers={"Authorization": f"OAuth {session}"})
    assert q.status_code == 200 and q.json()["inventories"]
    body["logInByUser"]["userName"] = "nobody"
    assert requests.put(f"{sim.api}/accounts/users/login", json=body).json()["error"]["code"] == "ID.1000"


def test_missing_authorization_is_400_plain_text(sim):
    r = requests.get(f"{sim.api}/zones")
    assert r.status_code == 400
    assert r.headers["Content-Type"].startswith("text/plain")
    assert "Authorization" in r.text


def test_authorization_must_be_oauth(sim, admin_session):
    r = requests.get(f"{sim.api}/zones", headers={"Authorization": f"Bearer {admin_session}"})
    assert r.status_code == 400 and "OAuth" in r.text


def test_unknown_session_is_id_1001(sim):
    r = requests.get(f"{sim.api}/zones", headers={"Authorization": "OAuth 0123456789abcdef0123456789abcdef"})
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "ID.1001"
    assert r.json()["error"]["description"] == ("The session is invalid, either wrong session id or the session "
                                                "has been expired")  # conf/errorCodes/identity.xml
    assert r.json()["error"]["details"] == "Session expired"  # Session.checkSessionExpired


def test_validate_and_logout(sim):
    session = login(sim.api)
    valid = requests.get(f"{sim.api}/accounts/sessions/{session}/valid")
    assert valid.status_code == 200 and valid.json() == {"valid": True}
    out = requests.delete(f"{sim.api}/accounts/sessions/{session}")
    assert out.status_code == 200 and out.json() == {}
    assert requests.get(f"{sim.api}/accounts/sessions/{session}/valid").json() == {"valid": False}
    r = requests.get(f"{sim.api}/zones", headers={"Authorization": f"OAuth {session}"})
    assert r.json()["error"]["code"] == "ID.1001"


def test_sessions_expire_after_the_idle_timeout():
    from zcli.sim.clock import ManualClock
    from zcli.sim.server import start_in_thread

    clock = ManualClock()
    handle = start_in_thread(idle_timeout=600, clock=clock)
    try:
        api = handle.url + "/v1"
        session = login(api)
        auth = {"Authorization": f"OAuth {session}"}
        for _ in range(3):  # each use renews the idle clock
            clock.advance(400)
            assert requests.get(f"{api}/zones", headers=auth).status_code == 200
        clock.advance(601)
        r = requests.get(f"{api}/zones", headers=auth)
        assert r.status_code == 503 and r.json()["error"]["code"] == "ID.1001"
    finally:
        handle.stop()


def test_async_call_with_a_bad_session_fails_in_its_job(sim):
    r = requests.post(f"{sim.api}/zones", json={"params": {"name": "never"}},
                      headers={"Authorization": "OAuth ffffffffffffffffffffffffffffffff"})
    assert r.status_code == 202
    job = r.json()["location"]
    for _ in range(100):
        j = requests.get(job)
        if j.status_code != 202:
            break
        time.sleep(0.02)
    assert j.status_code == 503 and j.json()["error"]["code"] == "ID.1001"
