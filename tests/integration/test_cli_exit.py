"""Exit statuses (DESIGN.md §1) and their one-line messages: 0, 1, 2, 3, 4, 130; never a traceback."""

from __future__ import annotations

import signal
import socket

import pytest

from tests.integration.clirun import Zcli, login_args
from zcli.sessions import SessionStore


@pytest.fixture
def z(tmp_path, sim, admin_session):
    SessionStore(tmp_path / "state").save(sim.url, "admin", admin_session)
    return Zcli(tmp_path, ZCLI_URL=sim.url)


def one_line(ran) -> str:
    assert "Traceback" not in ran.err
    assert ran.err.count("\n") == 1, ran.err
    assert ran.err.startswith("zcli: ")
    return ran.err


def test_0_done(z):
    ran = z.run("QueryZone")
    assert ran.status == 0 and ran.err == ""


def test_1_api_error_gives_code_description_details(z):
    ran = z.run("StartVmInstance", "uuid=00000000000000000000000000000000")
    assert ran.status == 1
    code, description, details = one_line(ran).removeprefix("zcli: ").split(": ", 2)
    assert code == "SYS.1003"  # resource not found, as the server's PortApiValidator answers
    assert description == "A resource can not be found"
    assert "00000000000000000000000000000000" in details and "not found" in details
    ran = z.run(*login_args("not-it"))
    assert ran.status == 1 and "ID.1000" in one_line(ran)


@pytest.mark.parametrize("args,word", [
    (["QueryVmInstanc"], "QueryVmInstanc"),
    (["QueryVmInstance", "nmae=x"], "nmae"),
    (["QueryVmInstance", "cpuNum>=many"], "cpuNum>=many"),
    (["QueryVmInstance", "limit=ten"], "limit=ten"),
    (["CreateZone", "nme=z"], "nme=z"),
    (["QueryVmInstance", "-o", "xml"], "xml"),
    (["--bogus", "QueryZone"], "--bogus"),
    (["QueryVmInstance", "count=maybe"], "count=maybe"),
    (["-p", "0", "QueryZone"], "-p"),
    (["--timeout", "soon", "QueryZone"], "soon"),
    (["--url", "ftp://mn", "QueryZone"], "ftp://mn"),
    (["CreateZone", "name=a", "name=b"], "name=b"),
    (["QueryVmInstance", "vmNics.l3Network.zzz=1"], "vmNics.l3Network.zzz=1"),
    (["help", "QueryZone", "extra"], "extra"),
    (["QueryVmInstance", "limit=99999999999999999999"], "limit=99999999999999999999"),  # a Java Integer
    (["QueryVmInstance", "cpuNum>=3000000000"], "cpuNum>=3000000000"),
    (["QueryVmInstance", "sortBy=vmNics"], "sortBy=vmNics"),  # a list: the server cannot sort by it
    (["QueryVmInstance", "groupBy=allVolumes"], "groupBy=allVolumes"),
])
def test_2_bad_command_line_names_the_word_and_sends_nothing(z, args, word):
    ran = z.run(*args, "--debug")
    assert ran.status == 2
    assert "debug: >" not in ran.err  # nothing was sent
    assert f"'{word}'" in one_line(ran)  # one line, quoting the offending word


def test_3_nothing_listening_names_the_endpoint(z):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/zstack"
    SessionStore(z.state).save(url, "admin", "x")
    ran = z.run("--url", url, "QueryZone")
    assert ran.status == 3
    assert url in one_line(ran) and "connection refused" in ran.err
    ran = z.run("--url", url, *login_args())
    assert ran.status == 3 and url in one_line(ran)


def test_3_a_reply_that_is_not_the_apis(z, sim):
    url = f"http://{sim.host}:{sim.port}/not-zstack"
    SessionStore(z.state).save(url, "admin", "x")
    ran = z.run("--url", url, "QueryZone")
    assert ran.status == 3 and url in one_line(ran)


def test_4_not_logged_in(tmp_path, sim):
    ran = Zcli(tmp_path, ZCLI_URL=sim.url).run("QueryZone")
    assert ran.status == 4
    assert "not logged in" in one_line(ran) and sim.url in ran.err and "LogInByAccount" in ran.err


def test_130_interrupted(z):
    """Ctrl-C during a batch's request: the batch is read whole first, then its line waits on a server that
    has taken the connection and never answers; SIGINT then ends it with 130."""
    import subprocess

    with socket.create_server(("127.0.0.1", 0)) as server:
        url = f"http://127.0.0.1:{server.getsockname()[1]}/zstack"
        SessionStore(z.state).save(url, "admin", "x")
        proc = z.popen("--url", url, "-o", "value", "-f", "-", stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
        proc.stdin.write("QueryZone fields=name\n")
        proc.stdin.close()
        proc.stdin = None  # closed: communicate() must not flush it
        server.settimeout(20)
        conn, _ = server.accept()  # the request is on its way, and waits for the reply
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
        conn.close()
    assert proc.returncode == 130
    assert "Traceback" not in err and "interrupted" in err


def test_2_a_bare_field_hints_that_the_shell_took_the_operator(z, tmp_path):
    ran = z.run("QueryVmInstance", "state=Running", "cpuNum")  # what bash leaves of cpuNum>=4
    assert ran.status == 2 and "'cpuNum>=4'" in one_line(ran) and "redirection" in ran.err


def test_a_batch_line_may_end_in_a_comment(z):
    ran = z.run("-o", "value", "-f", "-", input="QueryZone fields=name limit=1   # the first zone\n"
                                                "QueryZone fields=name limit=1 name!=a#b # mid-word # is data\n")
    assert ran.status == 0, ran.err
    assert ran.err == "" and len(ran.out.splitlines()) == 2


@pytest.mark.parametrize("args", [["UpdateZone", "uuid=", "name=x"], ["DeleteZone", "uuid="]])
def test_2_an_empty_path_parameter_is_a_usage_error_and_nothing_is_sent(tmp_path, sim, args):
    # Second pass, S3: it used to go out as /v1/zones//actions and come back as "HTTP 405 ... check the URL".
    z = Zcli(tmp_path, ZCLI_URL=sim.url)  # not even logged in: the words are checked first
    ran = z.run(*args)
    assert ran.status == 2 and "uuid needs a value" in one_line(ran)
    ran = z.run("--debug", *args)
    assert ran.status == 2 and "debug: >" not in ran.err and "check the URL" not in ran.err
