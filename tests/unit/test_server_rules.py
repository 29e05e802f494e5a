"""The server's reading of what zcli sends (issue 10): operator order, ``?=`` lists, ``~=``, ``k==x``, maps on
GET/DELETE and timestamps; table-driven from RestServer.handleQueryApi and QueryFacadeImpl."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zcli.catalog import load_catalog
from zcli.errors import UsageError
from zcli.grammar import build_request, parse_command
from zcli.grammar.server_rules import (
    SERVER_OPERATOR_ORDER,
    like_value,
    map_query_pairs,
    server_split,
    split_by_whole_separator,
)
from zcli.grammar.timestamps import to_server_timestamp


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def test_the_order_is_the_servers():
    # RestServer.QUERY_OP_MAPPING, "DO NOT change the order"
    assert SERVER_OPERATOR_ORDER == ("!=", ">=", "<=", "!?=", "!~=", "~=", "?=", "=", ">", "<", "is null",
                                     "not null")


# StringUtils.splitByWholeSeparator(text, sep, 2): empty pieces dropped, the rest in the last piece.
@pytest.mark.parametrize(("text", "sep", "pieces"), [
    ("a=b", "=", ["a", "b"]),
    ("a==b", "=", ["a", "b"]),
    ("a=b=c", "=", ["a", "b=c"]),
    ("a==b=c", "=", ["a", "b=c"]),
    ("=a", "=", ["a"]),
    ("a=", "=", ["a"]),
    ("", "=", []),
    ("a is null", "is null", ["a "]),
])
def test_split_by_whole_separator(text, sep, pieces):
    assert split_by_whole_separator(text, sep, 2) == pieces


def _commons_lang_split(text: str, sep: str, limit: int) -> list[str]:
    """splitByWholeSeparator as commons-lang writes it, a piece a turn (the fast two-piece path must agree)."""
    pieces: list[str] = []
    begin = 0
    while begin < len(text):
        end = text.find(sep, begin)
        if end < 0:
            pieces.append(text[begin:])
            break
        if end > begin:
            if len(pieces) + 1 == limit:
                pieces.append(text[begin:])
                break
            pieces.append(text[begin:end])
        begin = end + len(sep)
    return pieces


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="a=!<> ", max_size=12), st.sampled_from(["=", "!=", "==", "!?=", "is null"]))
def test_split_in_two_is_the_servers_split(text, sep):
    for limit in (2, 3):
        assert split_by_whole_separator(text, sep, limit) == _commons_lang_split(text, sep, limit)


# The operator-order rule: what the server reads for each q= text (handleQueryApi).
@pytest.mark.parametrize(("q", "read"), [
    ("name=vm1", ("name", "=", "vm1")),
    ("name=a!=b", ("name=a", "!=", "b")),                 # != is tried before =
    ("description=x>=y", ("description=x", ">=", "y")),   # >= is tried before =
    ("name=a<=b", ("name=a", "<=", "b")),
    ("name!=a=b", ("name", "!=", "a=b")),
    ("name>a=b", ("name>a", "=", "b")),                   # = before >
    ("name<a>b", ("name<a", ">", "b")),                   # > before <
    ("name?=a,b!?=c", ("name?=a,b", "!?=", "c")),
    ("name~=a?=b", ("name", "~=", "a?=b")),
    ("name?=a~=b", ("name?=a", "~=", "b")),               # ~= before ?=
    ("k==x", ("k", "=", "x")),                            # the leading = of the value is dropped
    ("cpuNum>=4", ("cpuNum", ">=", "4")),
    ("name is null", ("name", "is null", None)),
    ("name not null", ("name", "not null", None)),
    ("name=is null", ("name", "=", "is null")),
    ("name=", None),                                      # no key-value pair: refused
    ("name", None),                                       # no operator: refused
])
def test_server_split(q, read):
    assert server_split(q) == read


# Typed words that reach the server as another condition are refused (exit 2), with what to do instead.
@pytest.mark.parametrize(("word", "says"), [
    ("name=a!=b", "would read this as 'name=a != b'"),
    ("description=x>=y", "would read this as 'description=x >= y'"),
    ("name>a=b", "would read this as 'name>a = b'"),
    ("name<a>b", "would read this as 'name<a > b'"),
    ("name>a<=b", "would read this as 'name>a <= b'"),
    ("name~=a!=b", "would read this as 'name~=%a != b%'"),
    ("name?=a,b!=c", "would read this as 'name?=a,b != c'"),
    ("name==x", "drops the '=' that begins the value"),
    ("name=", "empty value"),
    ("__systemTag__=a!=b", "would read this as '__systemTag__=a != b'"),
])
def test_values_the_server_splits_elsewhere_are_refused(cat, word, says):
    with pytest.raises(UsageError) as exc:
        parse_command(["QueryVmInstance", word], cat)
    assert says in str(exc.value)
    assert "ZQL" in str(exc.value) or "null" in str(exc.value)


@pytest.mark.parametrize("word", ["name=a=b", "name!=a=b", "name~=a=b", "description=x>y", "name!=a<=b", "name?=a,b=c",
                                  "name=is null", "cpuNum>=4", "name=null", "name!=null"])
def test_values_the_server_reads_as_typed_are_sent(cat, word):
    cmd = parse_command(["QueryVmInstance", word], cat)
    [(_, q)] = [p for p in build_request(cmd).query if p[0] == "q"]
    c = cmd.conditions[0]
    assert server_split(q)[0] == c.path


def test_refused_even_without_validation(cat):
    with pytest.raises(UsageError, match="would read this as"):
        parse_command(["QueryVmInstance", "noSuchField=a!=b"], cat, validate=False)


def test_escaped_comma_in_an_in_list_is_refused(cat):
    for op in ("?=", "!?="):
        with pytest.raises(UsageError, match="has no escape"):
            parse_command(["QueryVmInstance", f"name{op}a\\,b,c"], cat)
    assert parse_command(["QueryVmInstance", "name?=a,b"], cat).conditions[0].value == "a,b"


@pytest.mark.parametrize(("value", "sent"), [
    ("vm", "%vm%"), ("vm%", "vm%"), ("%vm", "%vm"), ("vm_1", "vm_1"), ("_", "_"), ("", "%%"),
])
def test_like_adds_percent_only_when_the_value_holds_neither_percent_nor_underscore(cat, value, sent):
    assert like_value(value) == sent
    if value:
        q = dict(build_request(parse_command(["QueryVmInstance", f"name~={value}"], cat)).query)["q"]
        assert q == f"name~={sent}"


@pytest.mark.parametrize(("value", "pairs"), [
    ({"p1": ["DHCP", "DNS"]}, [("networkServices.p1", "DHCP"), ("networkServices.p1", "DNS")]),
    ({"p1": "DHCP", "p2": ["SNAT"]}, [("networkServices.p1", "DHCP"), ("networkServices.p2", "SNAT")]),
    ({}, []),
])
def test_map_query_pairs(value, pairs):
    assert map_query_pairs("networkServices", value, "w") == pairs


@pytest.mark.parametrize(("value", "says"), [
    ({"a.b": "x"}, "cuts a map key"), ({"0": "x"}, "list index"), ({"k": {"n": 1}}, "text or numbers"),
    (["x"], "JSON object"),
])
def test_map_keys_the_server_reads_otherwise_are_refused(value, says):
    with pytest.raises(UsageError, match=says):
        map_query_pairs("m", value, "w")


def test_a_single_valued_map_refuses_a_list():
    with pytest.raises(UsageError, match="one value"):
        map_query_pairs("clientInfo", {"k": ["a", "b"]}, "w", collection=False)


def test_detach_network_service_sends_the_map_as_the_server_binds_it(cat):
    cmd = parse_command(["DetachNetworkServiceFromL3Network", "l3NetworkUuid=l3",
                         'networkServices={"prov":["DHCP","Eip"]}'], cat)
    req = build_request(cmd)
    assert req.method == "DELETE" and req.path == "/l3-networks/l3/network-services"
    assert req.query == [("networkServices.prov", "DHCP"), ("networkServices.prov", "Eip")]


@pytest.mark.parametrize(("typed", "sent"), [
    ("2024-03-01 11:37:00", "2024-03-01 11:37:00"),
    ("2024-3-1 1:37:00", "2024-03-01 01:37:00"),
    ("2024-03-01T11:37:00", "2024-03-01 11:37:00"),
    ("2024-03-01 11:37:00.250", "2024-03-01 11:37:00.250"),
    ("2024-03-01", "2024-03-01 00:00:00"),
    ("Mar 1, 2024 11:37:00 AM", "2024-03-01 11:37:00"),
    ("Mar 1, 2024 12:05:09 AM", "2024-03-01 00:05:09"),
    ("Dec 31, 2024 12:00:00 PM", "2024-12-31 12:00:00"),
    ("Sep 9, 2024 11:37:00 pm", "2024-09-09 23:37:00"),
])
def test_timestamps_accepted_and_converted(typed, sent):
    assert to_server_timestamp(typed, "w") == sent


@pytest.mark.parametrize("typed", ["garbage", "2024-02-30", "2024-03-01 25:00:00", "Foo 1, 2024 1:00:00 AM",
                                   "Mar 1, 2024 13:00:00 PM", "1709292000", ""])
def test_timestamps_refused(typed):
    with pytest.raises(UsageError, match="is not a time the server reads"):
        to_server_timestamp(typed, "w")


def test_timestamp_condition_is_converted_before_sending(cat):
    cmd = parse_command(["QueryVmInstance", "createDate>Mar 1, 2024 11:37:00 AM"], cat)
    assert dict(build_request(cmd).query)["q"] == "createDate>2024-03-01 11:37:00"
    with pytest.raises(UsageError):
        parse_command(["QueryVmInstance", "createDate>garbage"], cat)


def test_group_by_carries_a_note(cat):
    cmd = parse_command(["QueryVmInstance", "groupBy=state"], cat)
    assert cmd.notes and "ignores groupBy" in cmd.notes[0] and "ZQL" in cmd.notes[0]
    assert not parse_command(["QueryVmInstance", "name=x"], cat).notes
