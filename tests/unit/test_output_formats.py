"""Renderers other than the table: json, yaml, csv, tsv, jsonl and value, as exact strings."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from zcli.errors import UsageError
from zcli.output import FORMATS, render

UUID1 = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
UUID2 = "1f1e2d3c4b5a69788796a5b4c3d2e1f0"
ROWS = [
    {"uuid": UUID1, "name": "web-1", "description": None, "state": "Running", "cpuNum": 2, "ha": True,
     "vmNics": [{"ip": "10.0.0.2"}], "tags": {"env": "prod"}},
    {"uuid": UUID2, "name": "模型服务", "description": 'tab\there, "quoted", comma', "state": "Stopped", "cpuNum": 16,
     "ha": False, "vmNics": [], "tags": {}},
]
REPLY = {"inventories": ROWS, "schema": {"inventories[0].tags": "java.util.HashMap"}}


def test_formats_listed():
    assert FORMATS == ("table", "json", "yaml", "csv", "tsv", "jsonl", "value")


def test_json_is_the_reply_less_schema_indented_with_text_kept():
    text = render({"inventories": [{"uuid": UUID1, "name": "模型"}], "schema": {"x": "y"}}, "json")
    assert text == (
        '{\n'
        '  "inventories": [\n'
        '    {\n'
        f'      "uuid": "{UUID1}",\n'
        '      "name": "模型"\n'
        '    }\n'
        '  ]\n'
        '}\n'
    )


def test_json_round_trips_every_value():
    assert json.loads(render(REPLY, "json")) == {"inventories": ROWS}


def test_yaml_block_style_with_unicode():
    text = render({"inventories": [{"name": "模型", "cpuNum": 2, "tags": ["a", "b"], "none": None}]}, "yaml")
    assert text == (
        "inventories:\n"
        "- name: 模型\n"
        "  cpuNum: 2\n"
        "  tags:\n"
        "  - a\n"
        "  - b\n"
        "  none: null\n"
    )
    assert yaml.safe_load(render(REPLY, "yaml")) == {"inventories": ROWS}


def test_csv_header_rows_and_nested_values_as_compact_json():
    assert render(REPLY, "csv") == (
        "uuid,name,description,state,cpuNum,ha,vmNics,tags\n"
        f'{UUID1},web-1,,Running,2,true,"[{{""ip"":""10.0.0.2""}}]","{{""env"":""prod""}}"\n'
        f'{UUID2},模型服务,"tab\there, ""quoted"", comma",Stopped,16,false,[],{{}}\n'
    )


def test_csv_parses_back_with_the_csv_module():
    import csv
    import io

    parsed = list(csv.DictReader(io.StringIO(render(REPLY, "csv"))))
    assert parsed[1]["description"] == 'tab\there, "quoted", comma'
    assert json.loads(parsed[0]["vmNics"]) == [{"ip": "10.0.0.2"}]


def test_tsv_escapes_tabs_and_newlines():
    reply = {"inventories": [{"name": "a\tb", "description": "line1\nline2\\"}, {"name": "c", "description": None}]}
    assert render(reply, "tsv") == "name\tdescription\na\\tb\tline1\\nline2\\\\\nc\t\n"


def test_jsonl_one_compact_inventory_a_line():
    assert render(REPLY, "jsonl") == (
        f'{{"uuid":"{UUID1}","name":"web-1","description":null,"state":"Running","cpuNum":2,"ha":true,'
        '"vmNics":[{"ip":"10.0.0.2"}],"tags":{"env":"prod"}}\n'
        f'{{"uuid":"{UUID2}","name":"模型服务","description":"tab\\there, \\"quoted\\", comma","state":"Stopped",'
        '"cpuNum":16,"ha":false,"vmNics":[],"tags":{}}\n'
    )


def test_value_one_uuid_a_line_with_fields_uuid():
    reply = {"inventories": [{"uuid": UUID1}, {"uuid": UUID2}]}
    assert render(reply, "value") == f"{UUID1}\n{UUID2}\n"


def test_value_several_columns_are_tab_separated():
    reply = {"inventories": [{"uuid": UUID1, "name": "a", "cpuNum": 1}, {"uuid": UUID2, "name": "b"}]}
    assert render(reply, "value") == f"{UUID1}\ta\t1\n{UUID2}\tb\t\n"


def test_value_of_a_query_result_list_and_scalar():
    assert render(["a", "b", 3], "value") == "a\nb\n3\n"
    assert render(7, "value") == "7\n"


@pytest.mark.parametrize(("fmt", "expected"), [
    ("json", '{\n  "total": 42\n}\n'),
    ("yaml", "total: 42\n"),
    ("csv", "total\n42\n"),
    ("tsv", "total\n42\n"),
    ("jsonl", '{"total":42}\n'),
    ("value", "42\n"),
    ("table", "total: 42\n"),
])
def test_total_only_reply(fmt, expected):
    assert render({"total": 42}, fmt) == expected


@pytest.mark.parametrize(("fmt", "expected"), [
    ("json", '{\n  "inventories": []\n}\n'),
    ("yaml", "inventories: []\n"),
    ("csv", ""),
    ("tsv", ""),
    ("jsonl", ""),
    ("value", ""),
    ("table", "(no results)\n"),
])
def test_empty_results(fmt, expected):
    assert render({"inventories": []}, fmt) == expected


def test_single_inventory_reply_is_one_row():
    reply = {"inventory": {"uuid": UUID1, "name": "web-1"}}
    assert render(reply, "csv") == f"uuid,name\n{UUID1},web-1\n"
    assert render(reply, "jsonl") == f'{{"uuid":"{UUID1}","name":"web-1"}}\n'
    assert render(reply, "json") == f'{{\n  "inventory": {{\n    "uuid": "{UUID1}",\n    "name": "web-1"\n  }}\n}}\n'


def test_csv_columns_follow_the_catalogue_whatever_is_null():
    # The server leaves null fields out; with the inventory known, every row has the same columns.
    from zcli.catalog import Catalog

    names = [n for n, f in Catalog().fields("ZoneInventory").items() if not f.hidden]
    full = {n: f"v-{n}" for n in names if n != "description"}
    text = render({"inventories": [full, full]}, "csv", inventory="ZoneInventory")
    header, first, _ = text.splitlines()
    assert header.split(",") == names
    assert first.split(",")[names.index("description")] == ""


def test_unknown_inventory_falls_back_on_the_rows():
    reply = {"inventories": [{"a": 1, "b": 2}]}
    assert render(reply, "csv", inventory="NoSuchInventory") == "a,b\n1,2\n"


def test_unknown_format_is_a_usage_error_with_suggestion():
    with pytest.raises(UsageError) as err:
        render({}, "jsn")
    assert "json" in str(err.value)
    assert err.value.word == "jsn"


def test_json_output_imports_neither_yaml_nor_rich_nor_the_catalogue():
    code = ("import sys; from zcli.output import render; render({'inventories': [{'a': 1}]}, 'json');"
            "print(sorted(m for m in ('yaml', 'rich', 'zcli.catalog', 'csv', 'zcli.output.table') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --query results that are lists of lists (``inventories[].[name,uuid]``) print rows, as aws-cli's text does.
PAIRS = [["zone-1", UUID1], ["zone 2", UUID2]]


@pytest.mark.parametrize(("fmt", "expected"), [
    ("tsv", f"zone-1\t{UUID1}\nzone 2\t{UUID2}\n"),
    ("value", f"zone-1\t{UUID1}\nzone 2\t{UUID2}\n"),
    ("csv", f"zone-1,{UUID1}\nzone 2,{UUID2}\n"),
])
def test_a_list_of_lists_prints_rows_of_columns(fmt, expected):
    assert render(PAIRS, fmt) == expected


def test_a_list_of_lists_keeps_nested_cells_as_json_and_escapes_tsv():
    assert render([["a,b", ["x", 1]]], "csv") == '"a,b","[""x"",1]"\n'
    assert render([["a\tb", None]], "tsv") == "a\\tb\t\n"


def test_value_escapes_newlines_tabs_and_backslashes_as_tsv_does():
    reply = {"inventories": [{"uuid": UUID1, "description": "line1\nline2\tTAB \\ end\r"}]}
    assert render(reply, "value") == f"{UUID1}\tline1\\nline2\\tTAB \\\\ end\\r\n"
    assert render(reply, "value") == render(reply, "tsv").split("\n", 1)[1]
    assert render(["a\nb"], "value") == "a\\nb\n"


# The server leaves null fields out of rows: fields= decides the columns, not the data.
SPARSE = {"inventories": [{"name": "a", "state": "Running"}, {"state": "Stopped", "name": "b"}]}
ASKED = ["name", "description", "state"]


@pytest.mark.parametrize(("fmt", "expected"), [
    ("csv", "name,description,state\na,,Running\nb,,Stopped\n"),
    ("tsv", "name\tdescription\tstate\na\t\tRunning\nb\t\tStopped\n"),
    ("value", "a\t\tRunning\nb\t\tStopped\n"),
])
def test_fields_asked_are_exactly_the_columns_in_order(fmt, expected):
    assert render(SPARSE, fmt, inventory="VmInstanceInventory", fields=ASKED) == expected


def test_fields_asked_are_the_table_columns_in_order():
    text = render(SPARSE, "table", inventory="VmInstanceInventory", width=80, fields=["state", "description", "name"])
    header = text.splitlines()[0].split()
    assert header == ["state", "description", "name"], text
    one = render({"inventories": SPARSE["inventories"][:1]}, "table", width=80, fields=ASKED)
    assert "description" in one  # a lone row (a record) names the asked field too
