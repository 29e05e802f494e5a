"""Word splitting of a partly typed line, quoting of completed words, and fuzzy ranking."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zcli.catalog import Catalog
from zcli.completion.fuzzy import Name, Ranker, rank
from zcli.completion.words import quote, split_words

SPLITS = [
    ("", [], ("", "", 0)),
    ("Query", [], ("Query", "Query", 0)),
    ("Query ", ["Query"], ("", "", 6)),
    ("Q  a=b c", ["Q", "a=b"], ("c", "c", 7)),
    ("Q name='my vm'", ["Q"], ("name=my vm", "name='my vm'", 2)),
    ('Q name="my v', ["Q"], ("name=my v", 'name="my v', 2)),  # open quote: the current word
    ("Q name='a b", ["Q"], ("name=a b", "name='a b", 2)),
    ("Q a\\ b", ["Q"], ("a b", "a\\ b", 2)),
    ('Q "a\\"b"', ["Q"], ('a"b', '"a\\"b"', 2)),
    ("Q 'x' ", ["Q", "x"], ("", "", 6)),
    ("Q a\\", ["Q"], ("a", "a\\", 2)),  # a lone trailing backslash
]


@pytest.mark.parametrize(("text", "done", "current"), SPLITS)
def test_split_words(text, done, current):
    words, cur = split_words(text)
    assert [w.value for w in words] == done
    assert (cur.value, cur.raw, cur.start) == current


@given(st.lists(st.text(alphabet="ab =\"'\\,.", max_size=8), max_size=5))
def test_split_words_agrees_with_shlex_on_closed_lines(parts):
    line = " ".join(parts)
    try:
        expected = shlex.split(line)
    except ValueError:
        split_words(line)  # never raises, even where shlex does
        return
    words, cur = split_words(line)
    got = [w.value for w in words] + ([cur.value] if cur.raw else [])
    assert got == expected
    for w in words:
        assert line[w.start:w.start + len(w.raw)] == w.raw


@pytest.mark.parametrize(("value", "quoted"), [
    ("vm1", "vm1"),
    ("a,b", "a,b"),
    ("my vm", "'my vm'"),
    ("it's", '"it\'s"'),
    ('say "hi" it\'s $x', '"say \\"hi\\" it\'s $x"'),
    ("", "''"),
])
def test_quote(value, quoted):
    assert quote(value) == quoted
    assert shlex.split(quoted) == [value]


def test_rank_prefix_then_fuzzy_then_nothing_else():
    names = [Name(n) for n in ("QueryZone", "QueryModelService", "QueryModelServiceInstanceGroup", "CreateZone")]
    assert [n.name for n in rank("querym", names)] == ["QueryModelService", "QueryModelServiceInstanceGroup"]
    assert [n.name for n in rank("qms", names)] == ["QueryModelService", "QueryModelServiceInstanceGroup"]
    assert [n.name for n in rank("zone", names)] == ["QueryZone", "CreateZone"]  # fuzzy: shortest first
    assert rank("xyz", names) == []
    assert [n.name for n in rank("", names)] == [n.name for n in names]
    assert [n.name for n in rank("qms", names, fuzzy=False)] == []


def test_rank_weight_breaks_ties():
    names = [Name("QueryMiniStorage", weight=1), Name("QueryModelService", weight=0)]
    assert [n.name for n in rank("qms", names)] == ["QueryModelService", "QueryMiniStorage"]


def test_rank_prefers_camel_humps():
    names = [Name("aQmxxxxs"), Name("QueryModelService")]
    assert rank("qms", names)[0].name == "QueryModelService"


_API_NAMES = [Name(n, weight=i % 2) for i, n in enumerate(Catalog().api_names)]
_RANKER = Ranker(_API_NAMES)


@pytest.mark.parametrize("query", ["", "q", "Qu", "qms", "Cre", "aata", "vmnic", "zzz", "a.b", "[x", "^Q", "e\\",
                                   "QueryVmInstance", "querymodelservicex"])
def test_ranker_agrees_with_rank_over_every_api(query):
    assert _RANKER.rank(query) == rank(query, _API_NAMES)
    assert _RANKER.rank(query, fuzzy=False) == rank(query, _API_NAMES, fuzzy=False)


@given(st.text(alphabet="abcdeqmsvzQMS.*[]\\^$\n ", max_size=6))
def test_ranker_agrees_with_rank_on_any_text(query):
    assert _RANKER.rank(query) == ([] if "\n" in query else rank(query, _API_NAMES))
