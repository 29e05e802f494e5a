"""``help zql`` and ``help ENTITY``, and the shaping of ZQLQuery replies into sections."""

from __future__ import annotations

import pytest

from zcli.catalog import load_catalog
from zcli.help import help_page, help_text
from zcli.help.model import Columns, Tree
from zcli.zql.parser import parse
from zcli.zql.results import sections
from zcli.zql.schema import schema_for
from zcli.zql.validate import check


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_help_zql_explains_the_language_with_examples_that_pass_the_checks(catalog):
    page = help_page(catalog, "zql")
    examples = next(b for b in page.blocks if isinstance(b, Columns) and b.title == "Examples")
    texts = [row[0] for row in examples.rows]
    assert any(t.startswith("count ") and "group by" in t for t in texts)
    assert any(t.startswith("sum ") for t in texts)
    assert any(";" in t for t in texts)
    for t in texts:
        check(t, schema_for(catalog))
    text = help_text(catalog, "zql", width=100)
    assert "ZQLQuery" in text and "not has" in text and "return with (total)" in text
    assert help_text(catalog, "ZQL", width=100) == text


def test_help_entity_shows_fields_and_links_like_help_query(catalog):
    page = help_page(catalog, "vminstance")
    fields = next(b for b in page.blocks if isinstance(b, Columns) and b.title.startswith("Fields of vminstance"))
    assert ("state" in [r[0] for r in fields.rows]) and ("cpuNum" in [r[0] for r in fields.rows])
    tree = next(b for b in page.blocks if isinstance(b, Tree))
    assert (0, "vmNics. → VmNicInventory") in tree.items
    query_page = help_page(catalog, "QueryVmInstance")
    assert next(b.rows for b in query_page.blocks if isinstance(b, Columns)) == fields.rows
    assert "QueryVmInstance" in help_text(catalog, "vminstance", width=100)  # the APIs holding the word follow


def test_a_word_that_is_no_entity_keeps_its_listing(catalog):
    text = help_text(catalog, "Vm", width=100)
    assert "ZQL entity" not in text and "QueryVmInstance" in text


# --- results --------------------------------------------------------------------------------------
def _inv(entity):
    return schema_for(load_catalog()).inventory(entity)


def test_query_rows_with_total_and_fields():
    text = "query vminstance.name,state where state='Running' return with (total)"
    [s] = sections({"results": [{"inventories": [{"name": "a", "state": "Running"}], "total": 7}]}, parse(text), _inv)
    assert (s.title, s.rows, s.inventory, s.fields, s.total) == (
        None, [{"name": "a", "state": "Running"}], "VmInstanceInventory", ["name", "state"], 7)


def test_count_group_by_becomes_a_two_column_table():
    reply = {"results": [{"inventoryCounts": [[{"state": "Running"}, 15], [{"state": "Stopped"}, 5]], "total": 20}]}
    [s] = sections(reply, parse("count vminstance group by state"), _inv)
    assert s.fields == ["state", "count"]
    assert s.rows == [{"state": "Running", "count": 15}, {"state": "Stopped", "count": 5}]
    assert s.total == 20
    [s] = sections({"results": [{"total": 20}]}, parse("count vminstance"), _inv)
    assert (s.rows, s.total) == (None, 20)


def test_sum_rows_aggregates_and_several_statements_with_names():
    text = "sum volume.size by type; query max(vminstance.cpuNum) named as 'biggest'; count zone"
    reply = {"results": [{"inventories": [["Root", 10], ["Data", 20]]},
                         {"inventoryAggregateFunctions": [[{"cpuNum": 8}, 8]], "name": "biggest"},
                         {"total": 2}]}
    a, b, c = sections(reply, parse(text), _inv)
    assert (a.title, a.fields, a.rows) == ("sum volume.size by type", ["type", "size"],
                                           [{"type": "Root", "size": 10}, {"type": "Data", "size": 20}])
    assert (b.title, b.fields, b.rows) == ("biggest", ["cpuNum", "max"], [{"cpuNum": 8, "max": 8}])
    assert (c.title, c.total) == ("count zone", 2)


def test_a_reply_without_statements_is_still_shaped():
    [s] = sections({"results": [{"inventories": [["x", 1]]}]}, None)
    assert s.rows == [{"by": "x", "sum": 1}]
    assert sections({"results": "junk"}, None) == []


def test_the_readme_zql_examples_pass_the_checks(catalog):
    import re
    import shlex
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    lines = re.findall(r"^zcli ((?:'|\")?(?:query|count|sum) .*)$", text, re.M)
    assert len(lines) >= 4
    for line in lines:
        check(" ".join(shlex.split(line)), schema_for(catalog))


def test_render_zql_tables_titles_and_totals(catalog):
    import re

    from zcli.zql.present import render_zql

    text = "count vminstance group by state named as 'per state'; query vminstance.name return with (total) limit 2;" \
           " count zone"
    reply = {"results": [{"inventoryCounts": [[{"state": "Running"}, 15]], "total": 15, "name": "per state"},
                         {"inventories": [{"name": "a"}, {"name": "b\x1b[2J"}], "total": 9},
                         {"total": 2}]}
    out = render_zql(reply, parse(text), width=80, catalog=catalog, terminal=True)
    assert out.startswith("per state:\n")
    assert re.search(r"state\s+count\n.*Running\s+15", out, re.S)  # one group: still a two-column table
    assert "showing 2 of 9" in out and "\x1b" not in out
    assert out.rstrip().endswith("count zone:\ntotal: 2")
