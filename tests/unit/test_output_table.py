"""Tables and records, rendered at fixed widths and compared as exact strings (colour off unless said)."""

from __future__ import annotations

import re

import wcwidth
from hypothesis import given, settings
from hypothesis import strategies as st

from zcli.output import render
from zcli.output.cells import cell_text, display_width, state_colour, truncate, wrap
from zcli.output.columns import table_columns

U1, U2, U3 = (f"{i}f1e2d3c4b5a69788796a5b4c3d2e1f0" for i in range(3))
VMS = [
    {"uuid": U1, "name": "web-1", "description": "front end", "state": "Running", "cpuNum": 2,
     "memorySize": 2147483648, "hypervisorType": "KVM", "vmNics": [{"ip": "10.0.0.2"}], "systemTags": ["ha"],
     "createDate": "Jan 1, 2024 10:00:00 AM"},
    {"uuid": U2, "name": "database-primary-with-a-long-name", "description": None, "state": "Stopped",
     "cpuNum": 16, "memorySize": 17179869184, "hypervisorType": "KVM", "vmNics": [], "systemTags": [],
     "createDate": "Jan 2, 2024 10:00:00 AM"},
    {"uuid": U3, "name": "batch", "description": "nightly jobs", "state": "Starting", "cpuNum": 8,
     "memorySize": 8589934592, "hypervisorType": "KVM", "vmNics": [{"ip": "10.0.0.4"}, {"ip": "10.0.1.4"}],
     "systemTags": ["gpu"], "createDate": "Jan 3, 2024 10:00:00 AM"},
]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def widths(text: str) -> list[int]:
    """Display widths of the lines, measured by wcwidth (not by the code under test)."""
    return [wcwidth.wcswidth(line) for line in text.splitlines()]


def test_table_at_natural_width():
    assert render({"inventories": VMS}, "table", width=120) == (
        "uuid                              name                               state     cpuNum   memorySize  hypervisorType\n"  # noqa: E501
        "--------------------------------  ---------------------------------  --------  ------  -----------  --------------\n"  # noqa: E501
        f"{U1}  web-1                              Running        2   2147483648  KVM\n"
        f"{U2}  database-primary-with-a-long-name  Stopped       16  17179869184  KVM\n"
        f"{U3}  batch                              Starting       8   8589934592  KVM\n"
        "3 rows\n"
    )


def test_table_at_80_drops_low_priority_columns_and_cuts_the_name():
    text = render({"inventories": VMS}, "table", width=80)
    assert text == (
        "uuid                              name                          state     cpuNum\n"
        "--------------------------------  ----------------------------  --------  ------\n"
        f"{U1}  web-1                         Running        2\n"
        f"{U2}  database-primary-with-a-lon…  Stopped       16\n"
        f"{U3}  batch                         Starting       8\n"
        "3 rows\n"
    )
    assert max(widths(text)) == 80


def test_table_at_40_keeps_uuid_whole_and_name_cut():
    text = render({"inventories": VMS}, "table", width=40)
    assert text == (
        "uuid                              name\n"
        "--------------------------------  ------\n"
        f"{U1}  web-1\n"
        f"{U2}  datab…\n"
        f"{U3}  batch\n"
        "3 rows\n"
    )
    assert max(widths(text)) <= 40


def test_table_narrower_than_a_uuid_cuts_it_as_a_last_resort():
    text = render({"inventories": VMS}, "table", width=20)
    assert text.splitlines()[2] == U1[:19] + "…"
    assert max(widths(text)) == 20


def test_numbers_and_states_are_never_cut_others_are():
    rows = [{"name": "x" * 30, "state": "Disconnected", "size": 123456789012, "note": "y" * 30}] * 2
    text = render({"inventories": rows}, "table", width=50)
    assert text == (
        "name                    state                 size\n"
        "----------------------  ------------  ------------\n"
    ) + f"{'x' * 21}…  Disconnected  123456789012\n" * 2 + "2 rows\n"


def test_shrinking_spreads_over_the_widest_columns():
    rows = [{"a": "a" * 30, "b": "b" * 30, "c": "c" * 4}] * 2
    text = render({"inventories": rows}, "table", width=40)
    assert text.splitlines()[2] == f"{'a' * 15}…  {'b' * 15}…  cccc"
    assert max(widths(text)) == 40


def test_cjk_text_stays_aligned():
    rows = [{"name": "数据库-主", "zone": "华东一区", "cpuNum": 2},
            {"name": "web", "zone": "us-east", "cpuNum": 16},
            {"name": "ｱｲｳ混合mix", "zone": "é́", "cpuNum": 4}]
    text = render({"inventories": rows}, "table", width=80)
    assert text == (
        "name        zone      cpuNum\n"
        "----------  --------  ------\n"
        "数据库-主   华东一区       2\n"
        "web         us-east       16\n"
        "ｱｲｳ混合mix  é́              4\n"
        "3 rows\n"
    )
    assert len(set(widths(text)[:-1])) == 1  # the last column is numeric, so right-aligned: every line ends together


def test_cjk_cut_to_width_keeps_alignment():
    rows = [{"name": "中文名字很长很长很长很长", "cpuNum": 1}, {"name": "ascii-name-that-is-long", "cpuNum": 22}]
    text = render({"inventories": rows}, "table", width=20)
    assert len(set(widths(text)[:-1])) == 1
    assert max(widths(text)) <= 20
    assert "…" in text.splitlines()[2]


def test_colour_marks_states_and_header_only_when_asked():
    rows = [{"uuid": U1, "state": s} for s in ("Running", "Stopped", "Error", "Migrating", "Connected")]
    plain = render({"inventories": rows}, "table", width=80)
    assert "\x1b" not in plain
    coloured = render({"inventories": rows}, "table", width=80, color=True)
    assert coloured.splitlines()[0] == "\x1b[1muuid                              state\x1b[0m"
    assert [line.split("  ")[-1] for line in coloured.splitlines()[2:-1]] == [
        "\x1b[32mRunning\x1b[0m", "\x1b[33mStopped\x1b[0m", "\x1b[31mError\x1b[0m", "\x1b[36mMigrating\x1b[0m",
        "\x1b[32mConnected\x1b[0m"]
    assert ANSI.sub("", coloured) == plain


def test_state_colours():
    assert state_colour("Ready") == "\x1b[32m"
    assert state_colour("Disabled") == "\x1b[33m"
    assert state_colour("Disconnected") == "\x1b[31m"
    assert state_colour("Connecting") == "\x1b[36m"
    assert state_colour("KVM") is None


def test_nested_values_are_compact_in_tables():
    rows = [{"uuid": "u1", "name": "a", "vmNics": [{"ip": "1"}, {"ip": "2"}], "tags": ["x", "y"],
             "meta": {"k": "v", "n": 1}, "big": {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}, "e": []},
            {"uuid": "u2", "name": "b", "vmNics": [{"ip": "3"}], "tags": [], "meta": {}, "big": {"x": [1]},
             "e": None}]
    assert render({"inventories": rows}, "table", width=80) == (
        "uuid  name  vmNics     tags  meta      big\n"
        "----  ----  ---------  ----  --------  --------\n"
        "u1    a     [2 items]  x, y  k=v, n=1  {5 keys}\n"
        "u2    b     [1 item]   []    {}        {1 key}\n"
        "2 rows\n"
    )


def test_limited_fields_show_exactly_those_in_order():
    rows = [{"name": "a", "uuid": U1, "vmNics": []}, {"name": "b", "uuid": U2, "vmNics": [{"ip": "1"}]}]
    text = render({"inventories": rows}, "table", width=80, inventory="VmInstanceInventory")
    assert text.splitlines()[0] == "name  uuid                              vmNics"


def test_default_columns_of_a_full_inventory_use_the_catalogue():
    from zcli.catalog import Catalog

    fields = Catalog().fields("VmInstanceInventory")
    row = {n: (1 if f.kind == "int" else [] if f.kind == "list" else f"v-{n}") for n, f in fields.items()}
    columns = [k for k, _ in table_columns([row, row], "VmInstanceInventory")]
    assert columns == ["uuid", "name", "state", "hypervisorType", "memorySize", "cpuNum"]
    # without the catalogue, the same choice from the rows alone
    assert [k for k, _ in table_columns([row, row])] == columns


def test_default_columns_skip_long_text_and_keep_row_order_of_others():
    row = {"uuid": "u", "name": "n", "description": "d", "readme": "r", "zoneUuid": "z", "framework": "vllm",
           "createDate": "today", "requestCpu": 4, "size": 10, "version": "1"}
    columns = table_columns([row, row])
    assert [k for k, _ in columns] == ["uuid", "name", "framework", "requestCpu", "size", "version"]
    priority = dict(columns)
    assert priority["size"] < priority["framework"] < priority["requestCpu"]


def test_one_row_is_a_record_with_every_field():
    text = render({"inventories": VMS[:1]}, "table", width=60)
    assert text == (
        f"uuid:           {U1}\n"
        "name:           web-1\n"
        "description:    front end\n"
        "state:          Running\n"
        "cpuNum:         2\n"
        "memorySize:     2147483648\n"
        "hypervisorType: KVM\n"
        "vmNics:         [1 item]\n"
        "                - 10.0.0.2\n"
        "systemTags:     ha\n"
        "createDate:     Jan 1, 2024 10:00:00 AM\n"
        "1 row\n"
    )


def test_record_wraps_long_values_and_summarises_lists_of_maps():
    reply = {"inventory": {"uuid": "u", "state": "Running", "vmNics": [{"ip": "1"}, {"ip": "2"}],
                           "readme": "line one\nline two is a rather long line that needs wrapping across forty",
                           "tags": ["a", "b"], "none": None, "m": {"a": 1}, "e": []}}
    text = render(reply, "table", width=40)
    assert text == (
        "uuid:   u\n"
        "state:  Running\n"
        "vmNics: [2 items]\n"
        "        - 1\n"
        "        - 2\n"
        "readme: line one\n"
        "        line two is a rather long line\n"
        "        that needs wrapping across forty\n"
        "tags:   a, b\n"
        "none:\n"
        'm:      {"a": 1}\n'
        "e:      []\n"
    )
    assert max(widths(text)) <= 40


def test_record_summarises_a_list_of_maps_an_item_a_line():
    nic = {"uuid": "62397bc701762741bab9f87ff5059285", "ip": "10.1.0.11", "mac": "fa:00:00:00:00:01",
           "netmask": "255.255.0.0"}
    volume = {"uuid": "v" * 32, "name": "ROOT-for-vm", "installPath": "/a/very/long/path" * 10}
    text = render({"inventory": {"name": "vm", "vmNics": [nic], "allVolumes": [volume] * 12,
                                 "rules": [{"port": 22, "protocol": "TCP", "cidrs": ["0.0.0.0/0"]}],
                                 "m": {"a": 1}}}, "table", width=60)
    assert text == (
        "name:       vm\n"
        "vmNics:     [1 item]\n"
        "            - 62397bc701762741bab9f87ff5059285  10.1.0.11\n"
        "allVolumes: [12 items]\n"
        + "            - ROOT-for-vm  vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\n" * 10
        + "              ... 2 more (-o json shows them all)\n"
        "rules:      [1 item]\n"
        "            - port=22, protocol=TCP\n"
        'm:          {"a": 1}\n'
    )
    assert "/a/very/long/path" in render({"inventory": {"allVolumes": [volume]}}, "json")


def test_record_item_lines_are_cut_to_the_width():
    item = {"name": "n" * 80}
    text = render({"inventory": {"items": [item], "b": 1}}, "table", width=40)
    assert text == "items: [1 item]\n       - " + "n" * 30 + "…\nb:     1\n"


def test_record_colours_state_values():
    text = render({"inventory": {"name": "h", "status": "Connected"}}, "table", color=True)
    assert text == "\x1b[1mname:  \x1b[0m h\n\x1b[1mstatus:\x1b[0m \x1b[32mConnected\x1b[0m\n"


def test_non_inventory_replies_render_as_records_or_tables():
    assert render({"hypervisorTypes": ["KVM", "ESX"]}, "table") == "hypervisorTypes: KVM, ESX\n"
    assert render({}, "table") == ""
    results = {"results": [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]}
    assert render(results, "table") == "a  b\n-  -\n1  x\n2  y\n2 rows\n"
    assert render(["x", "y"], "table") == "x\ny\n"


def test_total_with_rows_is_a_footer():
    rows = [{"uuid": U1, "name": "a"}, {"uuid": U2, "name": "b"}]
    text = render({"inventories": rows, "total": 57}, "table", width=80)
    assert text.endswith(f"{U2}  b\nshowing 2 of 57\n")
    many = render({"inventories": rows, "total": 1200}, "table", width=80)
    assert many.endswith("\nshowing 2 of 1,200\n")


def test_control_characters_never_reach_the_terminal():
    rows = [{"name": "evil\x1b[31mred\nnext"}, {"name": "ok"}]
    text = render({"inventories": rows}, "table", width=80)
    assert "\x1b" not in text
    assert text.splitlines()[2] == "evil\\x1b[31mred next"
    assert render(["a\x1b[2Jb", "c"], "table") == "a\\x1b[2Jb\nc\n"
    assert render("x\x07", "table") == "x\\x07\n"


def test_cell_helpers():
    assert cell_text(None) == ""
    assert cell_text(True) == "true"
    assert cell_text([1, "a", None]) == "1, a, "
    assert truncate("abcdef", 4) == "abc…"
    assert truncate("中文中文", 5) == "中文…"
    assert display_width("中a\u0301") == 3
    assert display_width("a\xad𠀀") == 4  # a soft hyphen takes a cell, as terminals (and wcwidth) draw it
    assert wrap("中文中文中", 4) == ["中文", "中文", "中"]


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.fixed_dictionaries({
    "uuid": st.text(alphabet="0123456789abcdef", min_size=32, max_size=32),
    "name": st.text(alphabet=st.sampled_from("abc 数据库ｱé-"), max_size=40),
    "state": st.sampled_from(["Running", "Stopped", "Disconnected"]),
    "cpuNum": st.integers(0, 10 ** 12),
    "note": st.text(max_size=50),
}), min_size=2, max_size=5), width=st.integers(10, 160))
def test_every_line_fits_the_width(rows, width):
    text = render({"inventories": rows}, "table", width=width)
    lines = text.splitlines()
    assert max(widths(text)) <= width
    assert len(lines) == len(rows) + 3
    assert lines[-1] == f"{len(rows)} rows"


def test_long_header_over_short_numbers_is_cut_to_the_column():
    rows = [{"name": "n" * 30, "availableMemoryCapacity": 1, "ipmiPowerStatus": "On"}] * 2
    text = render({"inventories": rows}, "table", width=40)
    assert text == (
        "name              available…  ipmiPower…\n"
        "----------------  ----------  ----------\n"
    ) + f"{'n' * 15}…           1  On\n" * 2 + "2 rows\n"
