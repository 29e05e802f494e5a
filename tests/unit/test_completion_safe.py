"""Completion of server values: a candidate wider than the cap, or holding a control, bidi or invisible
character, is not offered; a label is cut and shown safe, in the engine and in every shell's lines."""

from __future__ import annotations

import re

import pytest

from zcli.catalog import Catalog
from zcli.completion import CompletionEngine
from zcli.completion.oneshot import complete_line
from zcli.completion.scripts import format_result
from zcli.limits import COMPLETION_WIDTH

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b]")
HUGE = "z" * 5_000_000  # a zone named with five megabytes


class Live:
    def __init__(self, answers):
        self.answers = answers

    def values(self, inventory, field):
        return self.answers.get((inventory, field))


@pytest.fixture(scope="module")
def catalog():
    return Catalog()


def engine_for(catalog):
    return CompletionEngine(catalog, live=Live({
        ("ZoneInventory", "uuid"): [("u-huge", HUGE), ("u-evil", "zone\x1b]0;pwned\x07\u202e"), ("u-ok", "ok")],
        ("ZoneInventory", "name"): [HUGE, "evil\x1b[2J", "bidi\u202etxt", "zero\u200bwidth", "fine"],
    }), builtins={})


def test_the_engine_drops_huge_and_unsafe_values_and_cuts_labels(catalog):
    engine = engine_for(catalog)
    names = engine.complete("QueryZone name=")
    assert [s.text for s in names] == ["name=fine", "name=null"]
    uuids = {s.text: s.meta for s in engine.complete("QueryZone uuid=")}
    assert set(uuids) == {"uuid=u-huge", "uuid=u-evil", "uuid=u-ok", "uuid=null"}
    assert len(uuids["uuid=u-huge"]) == COMPLETION_WIDTH
    assert uuids["uuid=u-evil"] == "zone\\x1b]0;pwned\\x07\\u202e"


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("line", ["zcli QueryZone name=", "zcli QueryZone uuid=", "zcli QueryZone uuid=u-"])
def test_shell_lines_are_bounded_and_safe(catalog, shell, line):
    result = complete_line(line, lambda parsed: engine_for(catalog))
    lines = format_result(shell, result, listing=True)
    out = "\n".join(lines)
    assert len(out) < 10 * COMPLETION_WIDTH
    assert RAW.search(out) is None, out
    assert len(lines) <= 5
