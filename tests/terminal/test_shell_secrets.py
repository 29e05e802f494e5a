"""What the shell shows and keeps of secrets, under a real pseudo-terminal (issue 12, Secrets): a value typed
apart from its key (``password =PW``), password system tags, and credentials in a ``connect`` URL never reach
the screen, the history file or the toolbar."""

from __future__ import annotations

import pytest

from tests.terminal.screen import CTRL_C, ENTER

pytestmark = pytest.mark.timeout(90)


@pytest.mark.parametrize("line, secret", [
    ("LogInByAccount accountName=admin password =Typo1Pw", "Typo1Pw"),
    ("LogInByAccount accountName=admin password= Typo2Pw", "Typo2Pw"),
    ("CreateVmInstance name=v instanceOfferingUuid=x imageUuid=y l3NetworkUuids=z "
     "systemTags=consolePassword::Tag1Pw,hostname::h1", "Tag1Pw"),
    ("CreateSystemTag resourceType=VmInstanceVO resourceUuid=u tag=rootPassword::Tag2Pw", "Tag2Pw"),
])
def test_secrets_never_reach_the_screen_or_the_history(term, tmp_path, line, secret):
    term.send(line)
    screen = term.settle()
    assert secret not in screen and "*" * len(secret) in screen, screen  # drawn as stars while typed
    term.send(ENTER)
    screen = term.settle()
    assert secret not in screen, screen
    term.send("QueryZone fields=name" + ENTER)  # a plain line: it is kept, the secret line is not
    term.wait_for("zone-1")
    term.close()
    saved = (tmp_path / "history").read_text()
    assert "QueryZone fields=name" in saved and secret not in saved, saved


def test_connect_with_credentials_is_refused_and_kept_nowhere(term, tmp_path):
    screen = term.wait_for("admin")
    toolbar = screen.splitlines()[-1]
    term.send("connect http://bob:Conn1Pw@127.0.0.1:9/zstack")
    assert "Conn1Pw" not in term.settle()
    term.send(ENTER)
    term.wait_for("must not hold credentials")
    screen = term.settle()
    assert "Conn1Pw" not in screen and "bob:*****@" in screen, screen
    assert screen.splitlines()[-1] == toolbar  # still connected where it was
    term.send(CTRL_C)
    term.close()
    assert "Conn1Pw" not in (tmp_path / "history").read_text()
