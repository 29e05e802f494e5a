"""The ZQL parser and the catalogue checks: a table of lines and their trees or errors, and properties
(no input raises anything but ZQLError; partial parses, completion and highlighting never raise)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zcli.catalog import load_catalog
from zcli.zql import ZQLError, is_zql
from zcli.zql.ast import Expr, Logic, walk
from zcli.zql.lexer import tokenize
from zcli.zql.parser import OPERATORS, parse, partial
from zcli.zql.schema import entity_name, schema_for
from zcli.zql.validate import check


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()  # read once: the catalogue is data, the same for every example


@pytest.fixture(scope="module")
def schema(catalog):
    return schema_for(catalog)


def one(text):
    [st_] = parse(text)
    return st_


# --- the lexer ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text,kinds", [
    ("query vminstance", ["keyword", "id"]),
    ("a='it''s'", ["id", "operator", "string"]),
    ('a="x y"', ["id", "operator", "string"]),
    ("a = -1.5", ["id", "operator", "float"]),
    ("a = 12", ["id", "operator", "int"]),
    ("a is  not\tnull", ["id", "operator"]),
    ("order   by x desc", ["keyword", "id", "keyword"]),
    ("a = true", ["id", "operator", "boolean"]),
    ("a = 'open", ["id", "operator", "error"]),
    ("a @ b", ["id", "error", "id"]),
    ("notin", ["id"]),  # a longer identifier is not the keyword
    ("a in list(1)", ["id", "operator", "keyword", "int", "punct"]),
])
def test_lexer_kinds(text, kinds):
    assert [t.kind for t in tokenize(text)[:-1]] == kinds


def test_lexer_single_quoted_string_unescapes_doubled_quote():
    assert tokenize("'it''s'")[0].value == "it's"


# --- statements ---------------------------------------------------------------------------------
def test_query_with_every_clause():
    s = one("query vminstance.name,uuid where state='Running' and vmNics.l3Network.name='pub' "
            "restrict by (zone.name = 'z') return with (total) group by state order by createDate desc, name asc "
            "limit 10 offset 5 filter by f{a{b}} named as 'n'")
    assert (s.kind, s.entity, s.fields) == ("query", "vminstance", ["name", "uuid"])
    assert isinstance(s.where, Logic) and s.where.op == "and"
    assert [e.path for e in walk(s.where)] == [["state"], ["vmNics", "l3Network", "name"]]
    assert s.restrict_by[0].entity == "zone" and s.restrict_by[0].path == ["name"]
    assert s.return_with == ["total"] and s.group_by == ["state"]
    assert [(o.path, o.direction) for o in s.order_by] == [(["createDate"], "desc"), (["name"], "asc")]
    assert (s.limit, s.offset, s.named_as) == (10, 5, "n")
    assert s.filter_by[0].name == "f" and s.filter_by[0].body == "a{b}"


@pytest.mark.parametrize("op", OPERATORS)
def test_every_operator(op):
    value = "" if op in ("is null", "is not null") else (" ('a', 'b')" if op in ("in", "not in", "has", "not has")
                                                         else " 'a'")
    s = one(f"query vminstance where name {op}{value}")
    assert s.where.op == op
    assert (s.where.value is None) == (op in ("is null", "is not null"))


def test_and_or_share_one_precedence_left_to_right_as_the_server_nests_them():
    w = one("query zone where a=1 or b=2 and c=3").where
    assert w.op == "and" and w.left.op == "or"
    w = one("query zone where a=1 or (b=2 and c=3)").where
    assert w.op == "or" and w.right.op == "and"


def test_values():
    w = one("query zone where a in (1, -2.5, true, 'x', \"y\")").where
    assert [v.kind for v in w.value.items] == ["int", "float", "boolean", "string", "string"]
    assert w.value.value == [1, -2.5, True, "x", "y"]
    sub = one("query vminstance where uuid in (query vmnic.vmInstanceUuid where ip='1')").where.value
    assert sub.kind == "subquery" and sub.query.entity == "vmnic" and sub.query.fields == ["vmInstanceUuid"]


def test_count_sum_search_functions_and_several_statements():
    a, b, c, d, e = parse("count vminstance group by state; sum volume.size by type where size > 1 named as 's';"
                          " search 'web' from vminstance,zone limit 2; query max(vminstance.cpuNum);"
                          " query distinct(vminstance.state);")
    assert (a.kind, a.group_by) == ("count", ["state"])
    assert (b.kind, b.fields, b.sum_by, b.named_as) == ("sum", ["size"], "type", "s")
    assert (c.kind, c.keyword, c.indexes, c.limit) == ("search", "web", ["vminstance", "zone"], 2)
    assert (d.function, d.entity, d.fields) == ("max", "vminstance", ["cpuNum"])
    assert e.function == "distinct"


@pytest.mark.parametrize("text,column,token,words", [
    ("", 1, "", "starts with"),
    ("select * from zone", 1, "select", "expected 'query'"),
    ("query", 6, "", "an entity name"),
    ("query vminstance where", 23, "", "a field name"),
    ("query vminstance where name", 28, "", "an operator"),
    ("query vminstance where name =", 30, "", "a value"),
    ("query vminstance where name = web", 31, "web", "must be quoted: 'web'"),
    ("query vminstance where name = 'web", 31, "'web", "not closed"),
    ("query vminstance where a=1 b=2", 28, "b", "'and'"),
    ("query vminstance order by name", 31, "", "'asc' or 'desc'"),
    ("query vminstance limit x", 24, "x", "a whole number"),
    ("query vminstance limit 1 where a=1", 26, "where", "'offset'"),
    ("query vminstance where (a=1", 28, "", "')'"),
    ("query vminstance where a @ 1", 26, "@", "not part of ZQL"),
    ("query vminstance inner join zone on a=b", 18, "inner", "joins are not supported"),
    ("count vminstance return with (total)", 18, "return with", "'group by'"),
    ("query zone;;", 12, ";", "'query'"),
])
def test_syntax_errors_name_the_column_and_the_token(text, column, token, words):
    with pytest.raises(ZQLError) as e:
        parse(text)
    assert (e.value.column, e.value.token) == (column, token)
    assert words in str(e.value)
    assert str(e.value).startswith(f"column {column}: ")
    assert "\n" not in str(e.value)


# --- names from the catalogue -------------------------------------------------------------------
def test_entity_names_follow_the_server_rule(schema):
    assert entity_name("VmInstanceInventory") == "vminstance"
    assert schema.inventory("vminstance") == "VmInstanceInventory"
    assert schema.inventory("VmInstance") == "VmInstanceInventory"  # the server matches case-insensitively
    assert schema.inventory("l3network") == "L3NetworkInventory"
    assert len(schema.entities) == len(load_catalog().inventory_names)


@pytest.mark.parametrize("text,token,suggestion", [
    ("query vminstanc", "vminstanc", "vminstance"),
    ("query vminstance where stat='x'", "stat", "state"),
    ("query vminstance where vmNics.l3Networ.name='x'", "vmNics.l3Networ.name", "vmNics.l3Network"),
    ("query vminstance.nme", "nme", "name"),
    ("count vminstance group by stat", "stat", "state"),
    ("query vminstance order by nam asc", "nam", "name"),
    ("sum volume.sise by type", "sise", "size"),
    ("sum volume.size by typ", "typ", "type"),
    ("query vminstance restrict by (zon.name='z')", "name", "zone"),
])
def test_unknown_names_say_did_you_mean(schema, text, token, suggestion):
    with pytest.raises(ZQLError) as e:
        check(text, schema)
    assert e.value.token == token
    assert any(s.startswith(suggestion) for s in e.value.suggestions), e.value.suggestions
    assert "did you mean" in str(e.value)


@pytest.mark.parametrize("text,words", [
    ("query vminstance where name in 'a'", "takes a list"),
    ("query vminstance where name = ('a', 'b')", "takes one value"),
    ("query vminstance where name has ('a')", "another table"),
    ("query count(vminstance.name)", "a function at 'count'"),  # a keyword, as in the grammar
    ("query foo(vminstance.name)", "unknown function"),
    ("query max(vminstance)", "takes ENTITY.FIELD"),
    ("sum volume by type", "must be specified"),
])
def test_semantic_errors(schema, text, words):
    with pytest.raises(ZQLError, match=words):
        check(text, schema)


@pytest.mark.parametrize("text", [
    "query vminstance where state='Running' and vmNics.l3Network.name='pub' order by createDate desc limit 10",
    "count vminstance group by state",
    "count vminstance group by state order by groupCount desc",
    "sum volume.size by type",
    "query vminstance where vmNics.ip has ('10.0.0.1')",
    "query vminstance where __systemTag__ = 'x'",
    "query vminstance where uuid in (query vmnic.vmInstanceUuid where ip like '10.%')",
    "query l3network where dns has ('8.8.8.8')",
    "query VmInstance.name",
])
def test_valid_lines_pass_the_checks(schema, text):
    assert check(text, schema)


def test_without_a_schema_unknown_names_pass():
    assert check("query nosuch where whatever = 1")


def test_is_zql():
    assert is_zql("query zone") and is_zql("  count zone") and is_zql("sum")
    assert not is_zql("QueryZone") and not is_zql("querying") and not is_zql("")


# --- properties ---------------------------------------------------------------------------------
_PIECES = ["query", "count", "sum", "search", "vminstance", "zone", ".", ",", ";", "(", ")", "{", "}", "where",
           "and", "or", "name", "vmNics", "l3Network", "state", "=", "!=", ">=", "<", "in", "not", "is", "null",
           "like", "has", "'x'", "'", '"', "1", "-2.5", "true", "order", "by", "asc", "desc", "limit", "offset",
           "group", "return", "with", "total", "named", "as", "restrict", "filter", "max", "distinct", "@", "\t",
           "é", "\x00", "--", "list("]
_LINES = st.lists(st.sampled_from(_PIECES), max_size=14).map(" ".join) | st.text(max_size=40)


@settings(max_examples=400)
@given(_LINES)
def test_no_input_raises_anything_but_the_parsers_error(schema, text):
    try:
        check(text, schema)
    except ZQLError as e:
        assert 1 <= e.column <= len(text) + 1
        assert "\n" not in str(e)


@settings(max_examples=300)
@given(_LINES)
def test_partial_parse_completion_and_highlighting_never_raise(catalog, schema, text):
    from zcli.zql.complete import ZQLCompleter
    from zcli.zql.highlight import highlight

    partial(text)
    for s in ZQLCompleter(catalog).complete(text):
        assert s.start <= 0 and -s.start <= len(text)
    pieces, _ = highlight(text, schema)
    assert all(0 <= p.start <= p.end <= len(text) for p in pieces)


_FIELD_OPS = st.sampled_from(["=", "!=", ">", "<", ">=", "<=", "like", "not like"])


@settings(max_examples=200)
@given(st.recursive(
    st.tuples(st.sampled_from(["name", "state", "vmNics.ip"]), _FIELD_OPS, st.sampled_from(["'a'", "1", "'x''y'"]))
    .map(lambda t: " ".join(t)),
    lambda inner: st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
    max_leaves=6))
def test_generated_conditions_parse_to_their_leaves(cond):
    s = one(f"query vminstance where {cond}")
    leaves = list(walk(s.where))
    assert all(isinstance(e, Expr) for e in leaves)
    assert len(leaves) == cond.count("'a'") + cond.count(" 1") + cond.count("'x''y'")
