"""What the server says, shown whole (issue 10): the ErrorCode's cause chain in every face, and replies that are
not inventories in the shape of the API."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.integration.clirun import Zcli
from zcli.api.replies import api_error, error_levels, mismatch_hint
from zcli.errors import ApiError
from zcli.output.formats import render

#: An error as real servers nest them: the root cause at the bottom.
CHAIN = {"code": "SYS.1006", "description": "An operation failed", "details": "failed to start the vm",
         "elaboration": "错误信息: check the host's capacity",
         "cause": {"code": "HOST.1003", "description": "Host failure", "details": "kvmagent answered 500",
                   "cause": {"code": "SYS.1000", "description": "An internal error", "details": "libvirt: no space"}}}


def test_every_level_is_a_line_with_its_elaboration():
    exc = api_error(CHAIN, 503)
    assert isinstance(exc, ApiError)
    assert str(exc).splitlines() == [
        "SYS.1006: An operation failed: failed to start the vm (错误信息: check the host's capacity)",
        "caused by HOST.1003: Host failure: kvmagent answered 500",
        "caused by SYS.1000: An internal error: libvirt: no space",
    ]
    assert exc.error == CHAIN


def test_error_code_lists_and_loops_are_followed_safely():
    listed = {"code": "A", "causes": [{"code": "B"}, {"code": "C", "cause": {"code": "D"}}]}
    assert [lvl["code"] for lvl in error_levels(listed)] == ["A", "B", "C", "D"]
    loop: dict = {"code": "L"}
    loop["cause"] = loop
    assert len(error_levels(loop)) <= 21


def test_a_missing_field_names_both_versions():
    error = {"code": "SYS.1000", "details": "inventory class[ZoneInventory] not having field[colour]"}
    assert mismatch_hint(error, "server 5.4.0, catalogue 5.2.1") == \
        "the server and zcli's catalogue differ: server 5.4.0, catalogue 5.2.1"
    assert mismatch_hint({"code": "SYS.1007", "details": "name too long"}, "v") == ""


@pytest.fixture
def failing():
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            data = json.dumps({"error": CHAIN}).encode()
            self.send_response(503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/zstack"
    srv.shutdown()


def test_one_shot_prints_the_chain_one_line_a_level(tmp_path, failing):
    ran = Zcli(tmp_path, ZCLI_URL=failing).run("QueryZone", env={"ZCLI_ACCESS_KEY_ID": "k",
                                                                 "ZCLI_ACCESS_KEY_SECRET": "s"})
    assert ran.status == 1
    assert ran.err.splitlines() == ["zcli: SYS.1006: An operation failed: failed to start the vm "
                                    "(错误信息: check the host's capacity)",
                                    "  caused by HOST.1003: Host failure: kvmagent answered 500",
                                    "  caused by SYS.1000: An internal error: libvirt: no space"]


def test_json_output_puts_the_whole_error_on_stderr(tmp_path, failing):
    ran = Zcli(tmp_path, ZCLI_URL=failing).run("QueryZone", "-o", "json", env={"ZCLI_ACCESS_KEY_ID": "k",
                                                                               "ZCLI_ACCESS_KEY_SECRET": "s"})
    assert ran.status == 1 and ran.out == ""
    assert json.loads(ran.err) == {"error": CHAIN}


def test_a_batch_shows_the_chain(tmp_path, failing):
    ran = Zcli(tmp_path, ZCLI_URL=failing).run("-f", "-", input="QueryZone\n",
                                               env={"ZCLI_ACCESS_KEY_ID": "k", "ZCLI_ACCESS_KEY_SECRET": "s"})
    assert ran.status == 1
    assert "caused by SYS.1000: An internal error: libvirt: no space" in ran.err


def test_the_report_prints_a_line_a_level_and_keeps_other_text_on_one_line():
    from io import StringIO

    from zcli.core.environment import Environment
    from zcli.core.report import Report

    env = Environment(stdin=StringIO(), stdout=StringIO(), stderr=StringIO(), env={})
    Report(env).error(str(api_error(CHAIN, 503)))
    assert env.stderr.getvalue().splitlines()[2] == "  caused by SYS.1000: An internal error: libvirt: no space"
    env.stderr.truncate(0)
    env.stderr.seek(0)
    Report(env).error("a server text\nwith a line break")
    assert env.stderr.getvalue() == "zcli: a server text with a line break\n"


@pytest.mark.parametrize(("reply", "shape"), [
    ({"version": "5.4.0"}, "version: 5.4.0"),                                  # top-level fields: a record
    ({"procedures": [{"name": "twofactor", "order": 1}, {"name": "captcha", "order": 2}]}, "captcha"),  # a table
])
def test_non_inventory_replies_keep_their_shape(reply, shape):
    text = render(reply, "table", width=80)
    assert shape in text
    if "procedures" in reply:
        assert "name" in text.splitlines()[0] and "2 rows" in text


def test_the_renewer_renews_before_the_idle_timeout():
    from zcli.api.renewal import Renewer, idle_timeout

    now = [0.0]
    calls = []
    renewer = Renewer(lambda: calls.append(now[0]), 7200, clock=lambda: now[0])
    now[0] = 3599
    assert not renewer.tick() and calls == []
    now[0] = 3600
    assert renewer.tick() and calls == [3600]
    now[0] = 3600 + 3599
    assert not renewer.tick()
    assert idle_timeout({"created": "Dec 1, 2026 10:00:00 AM", "expires": "Dec 1, 2026 10:30:00 AM"}) == 1800
    assert idle_timeout(None) == 7200


def test_a_failed_renewal_is_tried_again():
    from zcli.api.renewal import Renewer

    now = [5000.0]

    def fail():
        raise OSError("down")

    renewer = Renewer(fail, 7200, clock=lambda: now[0])
    now[0] += 3600
    assert not renewer.tick() and renewer.failures == 1 and renewer.due()


def test_the_renewer_follows_a_new_login_and_keeps_its_timeout():
    from zcli.api.renewal import Renewer

    now, session, timeout, calls = [0.0], [None], [7200.0], []
    renewer = Renewer(lambda: calls.append(now[0]), lambda: timeout[0], clock=lambda: now[0],
                      session=lambda: session[0])
    now[0] = 5000
    assert not renewer.tick() and calls == []  # no session: nothing to renew
    session[0], timeout[0] = "s1", 4.0  # a login inside the shell, with a 4 s timeout: counted from now
    assert not renewer.tick() and renewer.timeout == 4.0
    now[0] += 2
    assert renewer.tick() and calls == [5002]
    timeout[0] = 6.0  # the login's expiry moved (a renewal): the timeout read at login stays
    now[0] += 2
    assert renewer.tick() and calls == [5002, 5004] and renewer.pause() == 1.0


def test_the_test_only_clock_file_moves_the_renewers_clock(tmp_path):
    from zcli.api.renewal import TEST_CLOCK_ENV, clock_from

    assert clock_from({}) is __import__("time").monotonic
    path = tmp_path / "clock"
    path.write_text("1000")
    clock = clock_from({TEST_CLOCK_ENV: str(path)})
    first = clock()
    path.write_text("3000.5")
    assert 2000 <= clock() - first < 2010
