"""ZQL in the shell under a real pseudo-terminal: type, Tab, read the menu, run, read the table."""

from __future__ import annotations

import re

import pytest

from tests.terminal.screen import ENTER, TAB

pytestmark = pytest.mark.timeout(120)


def menu_rows(screen: str) -> list[str]:
    lines = screen.splitlines()
    start = max(i for i, line in enumerate(lines) if line.startswith("zcli>"))
    return [line.strip() for line in lines[start + 1:] if line.strip() and "│" not in line][:-1]


def test_tab_after_query_lists_entities_with_their_inventory(term):
    term.send("query ")
    screen = term.wait_for("AccessControlListInventory")
    rows = menu_rows(screen)
    assert rows[0].startswith("accesscontrollist") and "AccessControlListInventory" in rows[0], screen
    term.send(TAB)
    term.wait_for("zcli> query accesscontrollist")  # Tab took the first one
    term.send("\x08" * len("accesscontrollist") + "vmins")
    screen = term.wait_for("VmInstanceInventory · QueryVmInstance")
    assert menu_rows(screen)[0].startswith("vminstance ")


def test_tab_after_where_lists_fields_and_tables_and_then_operators_and_values(term):
    term.send("query vminstance where ")
    term.wait_for("lastHostUuid")
    term.send(TAB)
    screen = term.wait_for("zcli> query vminstance where uuid")
    names = [r.split()[0] for r in menu_rows(screen)]
    assert names[:3] == ["uuid", "name", "description"], screen
    term.send("\x08" * len("uuid") + "state ")
    screen = term.wait_for("is not null")
    assert any(r.startswith("not like") for r in menu_rows(screen)), screen
    term.send("= ")
    screen = term.wait_for("'Running'")
    assert "'Stopped'" in screen


def test_tab_after_vm_nics_dot_lists_the_nic_fields_and_further_tables(term):
    term.send("query vminstance where vmNics.")
    term.wait_for("l3NetworkUuid")
    term.send(TAB)
    screen = term.wait_for("zcli> query vminstance where vmNics.uuid")
    names = [r.split()[0] for r in menu_rows(screen)]
    assert names[:3] == ["uuid", "vmInstanceUuid", "l3NetworkUuid"], screen
    term.send("\x08" * len("uuid") + "l3Network.l2Network.zo")  # deeper: the path at any depth
    screen = term.wait_for("zone.")
    assert "zoneUuid" in screen


def test_running_a_query_prints_the_table(term):
    term.send("query vminstance.name,state where state='Running' order by name asc limit 3" + ENTER)
    screen = term.wait_for("3 rows", timeout=20)
    assert re.search(r"name\s+state", screen), screen
    assert screen.count("Running") >= 3 and "Traceback" not in screen


def test_count_group_by_is_a_two_column_table_and_several_statements_are_titled(term):
    term.send("count vminstance group by state named as 'per state'; count zone" + ENTER)
    screen = term.wait_for("count zone:", timeout=20)
    assert "per state:" in screen
    assert re.search(r"state\s+count", screen), screen
    assert re.search(r"Running\s+\d+", screen), screen
    assert re.search(r"total: \d+", screen), screen


def test_a_wrong_name_is_one_line_with_did_you_mean_and_the_shell_stays_up(term):
    term.send("query vminstance where stat = 'x'" + ENTER)
    screen = term.wait_for("did you mean")
    line = next(ln for ln in screen.splitlines() if "did you mean" in ln)
    assert "column 24" in line and "'stat'" in line and "state" in line
    term.send("count zone" + ENTER)
    term.wait_for("total: ")


def test_unknown_field_is_underlined_and_keywords_coloured(term):
    term.send("query vminstance where stat = 1")
    term.wait_for("zcli> query vminstance where stat = 1")
    row = next(i for i, line in enumerate(term.screen.display) if line.startswith("zcli> query"))
    cells = [term.screen.buffer[row][x] for x in range(6, 6 + len("query vminstance where stat"))]
    assert cells[0].fg == "green" and cells[0].bold  # query
    assert cells[6].fg == "cyan"  # vminstance
    assert all(c.fg == "red" and c.underscore for c in cells[-4:]), cells[-1]


def test_watch_runs_a_zql_line_with_its_quotes(term):
    term.send("watch 0.5 count vminstance where state = 'Running' group by state" + ENTER)
    screen = term.wait_for("Every 0.5s:", timeout=20)
    term.wait_for("Running", timeout=10)
    assert "must be quoted" not in screen and "unknown API" not in screen
    term.send("\x03")
    term.wait_for("zcli>")
