"""ZQL completion through the completion engine: a table of positions, and every position of whole lines
(the token under the cursor is always among the suggestions), with live values from a fake source."""

from __future__ import annotations

import pytest

from zcli.catalog import load_catalog
from zcli.completion import CompletionEngine
from zcli.zql.complete import quote, split_fragment
from zcli.zql.highlight import highlight
from zcli.zql.schema import schema_for


class _Live:
    def values(self, inventory, field):
        if (inventory, field) == ("L3NetworkInventory", "name"):
            return ["pub", "private-1", "it's"]
        if (inventory, field) == ("VmInstanceInventory", "name"):
            return ["web-1", "db-1"]
        return None


@pytest.fixture(scope="module")
def engine():
    return CompletionEngine(load_catalog(), live=_Live())


def texts(engine, line):
    return [s.text for s in engine.complete(line)]


def test_first_word_offers_the_statement_keywords(engine):
    assert "query " in texts(engine, "que")
    assert "count " in texts(engine, "cou")
    assert {"query ", "count ", "sum ", "search "} <= set(texts(engine, ""))


def test_entities_with_their_inventory_and_query_api(engine):
    found = {s.text: s for s in engine.complete("query ")}
    assert "vminstance" in found and "l3network" in found
    assert "VmInstanceInventory" in found["vminstance"].meta and "QueryVmInstance" in found["vminstance"].meta
    assert texts(engine, "query vminst")[0] == "vminstance"
    assert engine.complete("query vminst")[0].start == -len("vminst")


def test_fields_after_entity_dot_one_or_several(engine):
    assert "name" in texts(engine, "query vminstance.")
    after = texts(engine, "query vminstance.name,")
    assert "uuid" in after and "name" not in after


def test_where_offers_fields_and_cross_table_paths(engine):
    out = texts(engine, "query vminstance where ")
    assert "state" in out and "vmNics." in out and "zone." in out
    nic = texts(engine, "query vminstance where vmNics.")
    assert "ip" in nic and "l3Network." in nic
    deep = texts(engine, "query vminstance where vmNics.l3Network.l2Network.zone.")
    assert "name" in deep


def test_operators_valid_for_the_field(engine):
    assert texts(engine, "query vminstance where state ") == [
        "= ", "!= ", "like ", "not like ", "in ", "not in ", "is null ", "is not null ", "> ", ">= ", "< ", "<= "]
    assert "like " not in texts(engine, "query vminstance where cpuNum ")
    assert "has " in texts(engine, "query vminstance where vmNics.ip ")
    assert "has " not in texts(engine, "query vminstance where name ")
    assert texts(engine, "query vminstance where name is ") == ["is null ", "is not null "]
    assert texts(engine, "query vminstance where name is not ") == ["is not null "]
    assert texts(engine, "query vminstance where name not ") == ["not like ", "not in "]


def test_values_enums_booleans_and_live_values_quoted(engine):
    assert texts(engine, "query vminstance where state = ") == ["'Stopped'", "'Running'"]
    assert texts(engine, "query vminstance where state = 'Ru") == ["'Running'"]
    assert texts(engine, "query vminstance where state = Ru") == ["'Running'"]
    assert "'pub'" in texts(engine, "query vminstance where vmNics.l3Network.name = ")
    assert "'it''s'" in texts(engine, "query vminstance where vmNics.l3Network.name = 'it")
    assert texts(engine, "query l3network where system = ")[:2] == ["true", "false"]
    assert texts(engine, "query vminstance where state in ")[0] == "("
    assert "'Running'" in texts(engine, "query vminstance where state in ('Stopped', ")


def test_clauses_after_a_condition(engine):
    out = texts(engine, "query vminstance where state = 'Running' ")
    assert out[:2] == ["and ", "or "]
    assert {"order by ", "limit ", "offset ", "group by ", "return with ", "named as ", "filter by ",
            "restrict by "} <= set(out)
    assert texts(engine, "query vminstance order by createDate ") == ["asc ", "desc "]
    assert texts(engine, "query vminstance ord") == ["order by "]
    assert texts(engine, "query vminstance order b") == ["order by "]
    assert texts(engine, "query vminstance limit 10 ") == ["offset ", "filter by ", "named as "]
    assert texts(engine, "query vminstance return with (") == ["total"]
    assert "by " in texts(engine, "sum volume.size ")
    assert "type" in texts(engine, "sum volume.size by ")
    assert "state" in texts(engine, "count vminstance group by ")
    assert "groupCount" in texts(engine, "count vminstance group by state order by ")


def test_functions(engine):
    out = texts(engine, "query ma")
    assert "max(" in out
    assert "cpuNum" in texts(engine, "query max(vminstance.")


def test_after_an_error_nothing_is_offered(engine):
    assert texts(engine, "query vminstance where name = web ") == []


def test_split_fragment():
    assert split_fragment("query vm") == ("query ", "vm")
    assert split_fragment("query vminstance where name = 'a b") == ("query vminstance where name = ", "'a b")
    assert split_fragment("query vminstance order b") == ("query vminstance ", "order b")
    assert split_fragment("query vminstance where name is not ") == ("query vminstance where name ", "is not ")
    assert quote("it's") == "'it''s'"


# --- every position of whole lines ---------------------------------------------------------------
_LINES = [
    "query vminstance where state = 'Running' and vmNics.l3Network.name = 'pub' order by createDate desc limit 10",
    "count vminstance where name is not null or cpuNum in (1, 2) group by state",
    "sum volume.size by type where type = 'Data' named as 'n'",
    "query vminstance.name,uuid where vmNics.ip has ('1') return with (total) offset 2",
]
_NOT_COMPLETED = ("int", "float", "punct")


@pytest.mark.parametrize("line", _LINES)
def test_every_position_offers_the_token_under_the_cursor(engine, line):
    from zcli.zql.lexer import tokenize

    tokens = [t for t in tokenize(line) if t.kind != "eof"]
    checked = 0
    for i in range(len(line) + 1):
        before, fragment = split_fragment(line[:i])
        start = len(before)
        tok = next((t for t in tokens if t.start == start), None)
        if tok is None or tok.kind in _NOT_COMPLETED:
            continue
        if tok.kind == "string" and tok.value not in ("Running", "pub"):
            continue  # a free string: nothing to offer but live values
        offered = [s for s in engine.complete(line[:i]) if -s.start == len(fragment)]
        assert any(line[start:].startswith(s.text.rstrip()) for s in offered), (line[:i], tok)
        checked += 1
    assert checked > len(line) // 2


def test_highlighting_classes_and_errors():
    schema = schema_for(load_catalog())
    line = "query vminstance where state = 'Running' and cpuNum > 2"
    pieces, error = highlight(line, schema)
    cls = {line[p.start:p.end]: p.cls for p in pieces}
    assert error is None
    assert cls == {"query": "keyword", "vminstance": "entity", "where": "keyword", "state": "field", "=": "operator",
                   "'Running'": "string", "and": "keyword", "cpuNum": "field", ">": "operator", "2": "number"}
    _, error = highlight("query vminstance where stat = 'x'", schema)
    assert (error.start, error.end) == (23, 27)
    _, error = highlight("query vminstance where stat = 'x'")  # no schema: names are not checked
    assert error is None


# --- the one-shot Tab (bash, zsh, fish) ----------------------------------------------------------
@pytest.mark.parametrize("line,value,space", [
    ("zcli query vmins", "vminstance", True),
    ("zcli query vminstance wh", "where", True),
    ("zcli query vminstance where vmNics.l3", "vmNics.l3Network.", False),
    ("zcli query vminstance where state = ", "'Running'", True),
    ("zcli query vminstance where state = \\'Ru", "'Running'", True),  # the shell word's ZQL quote kept
    ("zcli -o json count vminstance group by st", "state", True),
    ("zcli query vminstance order b", "by", True),  # the earlier word stays: this one gets the rest
    ("zcli query vminstance where name is not n", "null", True),
])
def test_one_shot_tab_completes_zql_words(engine, line, value, space):
    from zcli.completion.oneshot import complete_line

    found = {c.value: c.space for c in complete_line(line, lambda parsed: engine).candidates}
    assert found.get(value) == space, found
