"""Redirects and TLS, against loopback servers (issue 12, Secrets): a redirect to another scheme, host or port
is not followed (nothing is sent there), ``--debug`` shows every redirect, ``--insecure`` warns once, and a
hostname-mismatch TLS error is shown whole. The HTTPS servers use a self-signed certificate made at test time."""

from __future__ import annotations

import json

import pytest

from tests.integration.clirun import Zcli
from tests.integration.httpfix import make_cert, serve

LOGIN = ["LogInByAccount", "accountName=admin", "password=password"]
SESSION = {"inventory": {"uuid": "f" * 32, "accountUuid": "a" * 32}}


@pytest.fixture
def other():
    """The other origin: answers a login, and records whether anything reached it."""
    server = serve(lambda m, p, b: (200, {}, json.dumps(SESSION).encode()))
    yield server
    server.stop()


def _redirecting(to: str, code: int = 307, **kwargs):
    return serve(lambda m, p, b: (code, {"Location": to + p}, b""), **kwargs)


def test_a_redirect_from_https_to_http_is_not_followed(tmp_path, other):
    cert = make_cert(tmp_path, "IP:127.0.0.1")
    origin = _redirecting(other.url, cert=cert)
    try:
        z = Zcli(tmp_path, ZCLI_URL=origin.url + "/zstack", ZCLI_CA_BUNDLE=str(cert[0]))
        ran = z.run("--debug", *LOGIN)
    finally:
        origin.stop()
    assert ran.status == 3, ran
    assert "another origin" in ran.err and "not followed" in ran.err
    assert f"redirects to {other.url}/zstack/v1/accounts/login" in ran.err  # --debug shows the redirect
    assert other.seen == []  # the password hash never reached the plain-HTTP server
    assert z.session_files() == []  # and no session of its is kept


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_port_is_not_followed(tmp_path, other, code):
    origin = _redirecting(other.url, code=code)
    try:
        ran = Zcli(tmp_path, ZCLI_URL=origin.url + "/zstack").run(*LOGIN)
    finally:
        origin.stop()
    assert ran.status == 3 and "another origin" in ran.err, ran
    assert other.seen == []


def test_a_redirect_within_the_origin_is_followed_and_shown(tmp_path):
    def answer(method, path, body):
        if path.startswith("/old/"):
            return 308, {"Location": path.replace("/old/", "/zstack/", 1)}, b""
        return 200, {}, json.dumps(SESSION).encode()

    server = serve(answer)
    try:
        z = Zcli(tmp_path, ZCLI_URL=server.url + "/old")
        ran = z.run("--debug", *LOGIN, "-o", "json")
    finally:
        server.stop()
    assert ran.status == 0, ran
    assert "< 308" in ran.err and f"redirects to {server.url}/zstack/v1/accounts/login" in ran.err
    login = [s for s in server.seen if s.path.endswith("/accounts/login")]  # then GetVersion, once per endpoint
    assert [s.method for s in login] == ["PUT", "PUT"]  # a 308 keeps the method and the body
    assert login[0].body == login[1].body


def test_a_redirect_loop_stops(tmp_path):
    server = serve(lambda m, p, b: (307, {"Location": p}, b""))
    try:
        ran = Zcli(tmp_path, ZCLI_URL=server.url + "/zstack").run(*LOGIN)
    finally:
        server.stop()
    assert ran.status == 3 and "redirects" in ran.err, ran
    assert len(server.seen) == 6


@pytest.mark.parametrize("how", [["--insecure"], "env"])
def test_insecure_warns_once_on_stderr(tmp_path, how):
    cert = make_cert(tmp_path, "DNS:elsewhere.test")
    server = serve(lambda m, p, b: (200, {}, json.dumps(SESSION).encode()), cert=cert)
    try:
        z = Zcli(tmp_path, ZCLI_URL=server.url + "/zstack")
        args, env = (how, {}) if isinstance(how, list) else ([], {"ZCLI_INSECURE": "1"})
        ran = z.run(*args, *LOGIN, "-o", "json", env=env)
    finally:
        server.stop()
    assert ran.status == 0, ran
    assert ran.err.count("warning") == 1 and "not verified" in ran.err, ran.err
    assert "InsecureRequestWarning" not in ran.err


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_hostname_mismatch_is_shown_whole(tmp_path, host):
    cert = make_cert(tmp_path, "DNS:elsewhere.test")
    server = serve(lambda m, p, b: (200, {}, b"{}"), cert=cert)
    try:
        url = server.url.replace("127.0.0.1", host) + "/zstack"
        ran = Zcli(tmp_path, ZCLI_URL=url, ZCLI_CA_BUNDLE=str(cert[0])).run(*LOGIN)
    finally:
        server.stop()
    assert ran.status == 3, ran
    assert f"mismatch, certificate is not valid for '{host}' (see --ca-bundle" in ran.err, ran.err
    assert len(ran.err.strip().splitlines()) == 1


def test_no_credentials_from_netrc_are_sent(tmp_path):
    server = serve(lambda m, p, b: (200, {}, json.dumps(SESSION).encode()))
    try:
        home = tmp_path / "home"
        home.mkdir()
        (home / ".netrc").write_text("machine 127.0.0.1 login admin password Netrc1Secret\n")
        (home / ".netrc").chmod(0o600)
        ran = Zcli(tmp_path, ZCLI_URL=server.url + "/zstack").run(*LOGIN, "-o", "json", env={"HOME": str(home)})
    finally:
        server.stop()
    assert ran.status == 0, ran
    # a login (and the GetVersion after it) goes without a header
    assert [s.headers.get("Authorization") for s in server.seen] == [None] * len(server.seen)


@pytest.mark.parametrize("how", ["file", "stdin"])
def test_a_secret_read_from_a_file_or_stdin_is_masked_where_the_server_quotes_it(tmp_path, how):
    """A server error that quotes the secret back, bare, shows no secret: the secret read is remembered."""
    from zcli.sessions import SessionStore

    def answer(method, path, body):
        typed = json.loads(body)["params"]["password"]
        error = {"code": "SYS.1000", "description": "refused", "details": f"could not add the host with {typed}"}
        return 503, {}, json.dumps({"error": error}).encode()

    server = serve(answer)
    try:
        SessionStore(tmp_path / "state").save(server.url + "/zstack", "admin", "s" * 32)
        (tmp_path / "pw").write_text("Read1Secret\n")
        source = f"@{tmp_path / 'pw'}" if how == "file" else "@-"
        ran = Zcli(tmp_path, ZCLI_URL=server.url + "/zstack").run(
            "AddKVMHost", "username=root", f"password={source}", "name=h", "managementIp=10.0.0.9",
            "clusterUuid=" + "c" * 32, input="Read1Secret\n" if how == "stdin" else None)
    finally:
        server.stop()
    assert ran.status == 1, ran
    assert b"Read1Secret" in server.seen[0].body  # the server got the secret from the file
    assert "could not add the host" in ran.err and "Read1Secret" not in ran.err, ran.err
