"""Special query keys are typed values once parsed: nothing downstream re-reads their text."""

from __future__ import annotations

import pytest

from zcli.catalog import Catalog
from zcli.commands.execute import asked_fields
from zcli.errors import UsageError
from zcli.grammar import build_request, parse_command
from zcli.grammar.special import QueryOptions, SortDirection


@pytest.fixture(scope="module")
def catalog():
    return Catalog()


def test_the_special_keys_are_typed(catalog):
    cmd = parse_command(["QueryZone", "limit=20", "start=5", "count=TRUE", "replyWithCount=false",
                         "sortBy=name", "sortDirection=desc", "fields=uuid,name,uuid"], catalog)
    assert cmd.options == QueryOptions(limit=20, start=5, count=True, reply_with_count=False, sort_by="name",
                                       sort_direction=SortDirection.DESC, fields=("uuid", "name"))
    pairs = build_request(cmd).query
    assert [p for p in pairs if p[0] != "q"] == [("limit", "20"), ("start", "5"), ("count", "true"),
                                                 ("replyWithCount", "false"), ("sort", "-name"),
                                                 ("fields", "uuid,name")]


def test_fields_are_split_once_with_the_escape(catalog):
    """``fields=`` was checked with the ``\\,`` escape, then re-split with a plain split(","): now the
    columns are the very names the grammar read."""
    cmd = parse_command(["QueryZone", "fields=uuid,a\\,b"], catalog, validate=False)
    assert cmd.options.fields == ("uuid", "a,b")
    assert asked_fields(cmd) == ["uuid", "a,b"]


def test_paging_changes_values_not_text(catalog):
    cmd = parse_command(["QueryZone", "limit=2"], catalog)
    page = cmd.options.page(2, 4)
    assert (page.limit, page.start) == (2, 4) and cmd.options.start is None  # frozen: a copy
    with pytest.raises(AttributeError):
        cmd.options.limit = 3  # type: ignore[misc]


@pytest.mark.parametrize("word", ["limit=-1", "limit=x", "start=2147483648", "count=maybe", "sortDirection=up"])
def test_bad_special_values_are_usage_errors(catalog, word):
    with pytest.raises(UsageError):
        parse_command(["QueryZone", word], catalog)
