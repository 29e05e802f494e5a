"""The shell under a real pseudo-terminal, as a person uses it: ``python -m zcli --demo``, typing, Tab,
reading the screen (pyte renders what the program draws)."""

from __future__ import annotations

import re

import pytest

from tests.terminal.screen import CTRL_C, CTRL_D, CTRL_R, ENTER, TAB, Terminal

pytestmark = pytest.mark.timeout(90)


def menu_rows(screen: str) -> list[str]:
    """The rows of the completion menu (everything between the prompt line and the toolbar)."""
    lines = screen.splitlines()
    start = max(i for i, line in enumerate(lines) if line.startswith("zcli>"))
    return [line.strip() for line in lines[start + 1:] if line.strip() and " · " in line and "│" not in line]


def test_tab_after_query_model_service_lists_fields_with_type_and_description(term):
    term.send("QueryModelService ")
    term.wait_for("requestCpu")
    term.send(TAB)
    screen = term.settle()
    rows = menu_rows(screen)
    assert rows[0].startswith("uuid") and "String" in rows[0]
    assert any(re.match(r"requestCpu\s+Integer · 请求CPU数量 · since 5\.1\.8", r) for r in rows), screen
    assert "zcli> QueryModelService uuid" in screen  # Tab took the first one
    toolbar = screen.splitlines()[-1]
    assert re.search(r"http://127\.0\.0\.1:\d+/zstack · admin │ uuid: String", toolbar), toolbar


def test_cross_table_names_are_offered_as_name_dot(term):
    term.send("QueryModelService model")
    screen = term.wait_for("modelServiceRefs.")
    assert "modelCenter." in screen and "→ ModelCenterInventory (expanded)" in screen
    assert "modelServiceImages." in screen


def test_tab_after_vm_nics_dot_lists_the_nic_fields_and_further_tables(term):
    term.send("QueryVmInstance vmNics.")
    term.wait_for("l3NetworkUuid")
    term.send(TAB)
    screen = term.settle()
    rows = menu_rows(screen)
    names = [r.split()[0] for r in rows]
    assert names[:3] == ["uuid", "vmInstanceUuid", "l3NetworkUuid"], screen
    assert "zcli> QueryVmInstance vmNics.uuid" in screen
    term.send("\x08" * len("uuid") + "l3Network.l2Network.zo")  # deeper: the path at any depth
    screen = term.wait_for("zone.")
    assert "zoneUuid" in screen


def test_fuzzy_first_word_and_running_a_query(term):
    term.send("qms")
    screen = term.wait_for("QueryModelService")
    assert "ai/model-services · since 5.2.1" in screen
    term.send(TAB + " fields=uuid,name limit=2" + ENTER)
    screen = term.wait_for("qwen-chat", timeout=10)
    assert re.search(r"uuid\s+name", screen), screen
    assert screen.count("zcli> ") >= 1 and "Traceback" not in screen


def test_live_names_from_the_server(term):
    term.send("QueryVmInstance name=")
    screen = term.wait_for("live")  # fetched in the background; the menu refreshes
    assert "vm-2" in screen or "qwen" in screen, screen


def test_a_bad_line_is_one_line_and_the_shell_stays_up(term):
    term.send("QueryVmInstanc" + ENTER)
    screen = term.wait_for("zcli: unknown API 'QueryVmInstanc'")
    assert "Traceback" not in screen
    term.send("set output json" + ENTER)
    term.wait_for("output json")


def test_password_is_masked_and_kept_out_of_history(term, tmp_path):
    term.send("LogInByAccount accountName=admin password=password" + ENTER)
    term.send("QueryZone count=true" + ENTER)
    screen = term.wait_for("total: 2")
    assert "password=********" in screen and "password=password" not in screen
    term.send(CTRL_D)
    assert term.close() == 0
    saved = (tmp_path / "history").read_text()
    assert "QueryZone count=true" in saved and "LogInByAccount" not in saved
    assert (tmp_path / "history").stat().st_mode & 0o077 == 0
    again = Terminal(tmp_path)  # the history persists: Up in a new shell brings the last line back
    try:
        again.wait_for("zcli>")
        again.send("\x1b[A")
        again.wait_for("zcli> QueryZone count=true")
        again.send("\x1b[A")
        assert "LogInByAccount" not in again.settle()
    finally:
        assert again.close() == 0


def test_ctrl_c_clears_the_line_and_ctrl_r_searches_history(term):
    term.send("set output yaml" + ENTER)
    term.wait_for("output yaml")
    term.send("QueryZone name=abc")
    term.wait_for("name=abc")
    term.send(CTRL_C)
    screen = term.settle()
    assert screen.splitlines()[-2 if "│" in screen.splitlines()[-1] else -1].rstrip().endswith("zcli>") or \
        screen.count("zcli> QueryZone name=abc") == 1
    term.send(CTRL_R + "output y")
    screen = term.wait_for("reverse-i-search")
    assert "set output yaml" in screen
    term.send(CTRL_C + "set o")  # auto-suggest: the rest of a line from the history, drawn after the cursor
    screen = term.wait_for("zcli> set output yaml")
    assert "reverse-i-search" not in screen


def test_exit_gives_status_0(term):
    term.send("exit" + ENTER)
    assert term.close() == 0


def row_of(screen: str, needle: str) -> str:
    return next((line for line in screen.splitlines() if needle in line), "")


def test_parameters_required_first_and_uuids_shown_with_their_names(term):
    term.send("StartVmInstance ")
    screen = term.wait_for("required")
    rows = menu_rows(screen)
    assert rows[0].startswith("uuid=") and "required · String" in rows[0], screen
    term.send("uuid=")
    screen = term.wait_for("qwen-infer-1")  # fetched in the background with the uuids
    assert re.search(r"\b[0-9a-f]{32}\s+qwen-infer-1\b", row_of(screen, "qwen-infer-1")), screen
    term.send("infer-11")  # part of a name finds the uuid
    term.wait_for("zcli> StartVmInstance uuid=infer-11")

    def narrowed(screen: str) -> bool:  # the menu drawn again for what was typed (in its thread)
        return bool(re.search(r"\b[0-9a-f]{32}\s+qwen-infer-11\b", screen)) and "vm-2" not in screen

    screen = term.wait_until(narrowed)
    assert narrowed(screen), screen
    term.send(TAB)
    screen = term.wait_until(lambda s: re.search(r"zcli> StartVmInstance uuid=[0-9a-f]{32}", s))
    assert re.search(r"zcli> StartVmInstance uuid=[0-9a-f]{32}", screen), screen


def test_use_completes_profile_names(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text('[profiles.lab]\nport = 9\n[profiles.prod]\nport = 10\n')
    t = Terminal(tmp_path)
    try:
        t.wait_for("zcli>")
        t.send("use ")
        screen = t.wait_for("prod")
        assert re.search(r"lab\s+profile", screen) and re.search(r"prod\s+profile", screen), screen
        t.send("p")
        t.wait_for("zcli> use p")
        assert "lab" not in t.wait_until(lambda s: "lab" not in s)  # the menu narrowed (in its thread)
        t.send(TAB)
        t.wait_for("zcli> use prod")
    finally:
        assert t.close() == 0


def test_unknown_words_are_highlighted_as_errors(term):
    term.send("QueryVmInstanc")
    term.wait_for("zcli> QueryVmInstanc")
    row = next(i for i, line in enumerate(term.screen.display) if line.startswith("zcli> QueryVmInstanc"))
    cells = [term.screen.buffer[row][x] for x in range(6, 6 + len("QueryVmInstanc"))]
    assert all(c.fg == "red" and c.underscore for c in cells), cells[0]
    term.send("e nosuchfield=1")
    term.wait_for("nosuchfield=1")
    cells = [term.screen.buffer[row][x] for x in range(6, 6 + len("QueryVmInstance nosuchfield"))]
    assert all(c.fg == "green" and c.bold for c in cells[:15]), cells[0]
    assert all(c.fg == "red" and c.underscore for c in cells[16:]), cells[16]


def test_watch_repeats_until_ctrl_c_and_the_shell_stays_up(term):
    term.send("watch 0.5 QueryZone count=true" + ENTER)
    term.wait_for("Every 0.5s: QueryZone count=true")
    term.send(CTRL_C)
    term.wait_for("zcli>")
    term.send("quit" + ENTER)
    assert term.close() == 0


def test_results_go_through_the_pager_on_a_terminal(tmp_path):
    t = Terminal(tmp_path, env={"PAGER": "sed s/^/PAGED:/"})
    try:
        t.wait_for("zcli>")
        t.send("QueryZone fields=name" + ENTER)
        screen = t.wait_for("PAGED:zone-1")
        assert "PAGED:name" in screen
    finally:
        assert t.close() == 0


def test_enter_on_a_highlighted_completion_accepts_it_and_runs_nothing(term):
    term.send("DeleteZone uuid=")
    term.settle()
    term.send(TAB)
    term.settle()
    term.send("\x1b[B")  # Down: highlight a value
    term.settle()
    term.send(ENTER)
    screen = term.settle(quiet=0.6)
    assert "DeleteZone: done" not in screen
    prompt = [line for line in screen.splitlines() if line.startswith("zcli>")][-1]
    assert re.match(r"zcli> DeleteZone uuid=\S+", prompt), screen  # the line is still there, with the value
    term.send(CTRL_C)
