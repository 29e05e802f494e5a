"""Help: one model (zcli.help.topics) rendered plainly or with rich, the same pages in both faces."""

from __future__ import annotations

import re

import pytest

from zcli.catalog import Catalog
from zcli.help import help_page, help_text, render_help
from zcli.help.model import Columns, Page
from zcli.help.plain import wrap_cells
from zcli.help.topics import link_example, route
from zcli.output.cells import display_width
from zcli.shell.builtins import builtin_help

BUILTINS = builtin_help()  # the shell's


@pytest.fixture(scope="module")
def catalog():
    return Catalog()


def plain(catalog, topic, width=100):
    return help_text(catalog, topic, width=width)


def test_a_word_that_is_also_a_category_in_another_case_lists_the_names_too(catalog):
    assert "VM" in catalog.categories()
    text = plain(catalog, "Vm")
    assert "APIs whose name holds 'Vm':" in text
    for name in ("QueryVmInstance", "StartVmInstance", "CreateVmInstance"):
        assert f"  {name} " in text
    assert "APIs of VM:" in text  # the category is shown as well, under its own heading


def test_an_exact_category_lists_that_category_alone(catalog):
    text = plain(catalog, "VM")
    names = catalog.categories()["VM"]
    assert text.splitlines()[0] == "APIs of VM:" and len(text.splitlines()) == len(names) + 1
    assert "name holds" not in text


def test_the_overview_never_breaks_a_category_name_or_its_count(catalog):
    for rich in (False, True):
        text = help_text(catalog, None, width=80, rich=rich)
        listed = text.split("categories", 1)[1]
        hyphenated = [c for c in catalog.categories() if "-" in c]
        for line in listed.splitlines():
            assert not line.rstrip().endswith("-"), line  # "pci-" / "device-specs" was the defect
            assert not line.startswith("("), line  # "appcenter" / "(22)" split over two lines
            assert display_width(line.rstrip()) <= 80
        flat = " ".join(listed.split())
        for category in hyphenated:
            assert f"{category} (" in flat
        assert "\u00a0" not in text


def test_query_help_examples_come_from_the_inventorys_own_links(catalog):
    text = plain(catalog, "QueryModelService", width=200)
    assert "zone.name" not in text  # ModelService has no zone link
    example = link_example(catalog, "ModelServiceInventory")
    assert example and f"e.g. {example}" in text
    assert example.split(".")[0] in catalog.links("ModelServiceInventory")
    catalog.resolve("ModelServiceInventory", example.split("=")[0])  # a path that resolves


def test_collections_of_values_are_fields_not_links(catalog):
    links = catalog.links("HostInventory")
    assert links["cpuNum"].value_field and links["availableCpuCapacity"].value_field
    text = plain(catalog, "QueryHost")
    conditions, _, tree = text.partition("Cross-table names of HostInventory")
    assert "\n  cpuNum " in conditions and "\n  availableCpuCapacity " in conditions
    assert "cpuNum" not in tree and "availableCpuCapacity" not in tree
    assert "\n  zone. → ZoneInventory\n    " in tree  # an indented tree, one level under the other
    assert "\n  QueryHost\n" not in text  # the title that only repeats the API's name is not shown
    rich = help_text(catalog, "QueryHost", width=100, rich=True)
    assert "├── zone. → ZoneInventory" in rich and "\n  cpuNum " in rich


def test_a_value_collection_that_is_no_field_is_listed_as_one(catalog):
    assert catalog.links("L3NetworkInventory")["dns"].value_field
    conditions, _, tree = plain(catalog, "QueryL3Network").partition("Cross-table names of")
    assert "\n  dns " in conditions and "dns" not in tree


@pytest.mark.parametrize("rich", [False, True])
def test_both_renderers_say_the_same_route_and_the_same_fields(catalog, rich):
    """Issue 9: the shell showed ``POST /zones``, one-shot ``POST /v1/zones``."""
    text = help_text(catalog, "CreateZone", width=80, rich=rich)
    assert text.splitlines()[0] == "CreateZone: POST /v1/zones (async: polled to the end)"
    assert route(catalog.api("QueryZone")) == "GET /v1/zones"
    assert re.search(r"\n  name +String +required\. ", text)


@pytest.mark.parametrize("rich", [False, True])
@pytest.mark.parametrize("width", [80, 60])
def test_at_80_columns_names_are_whole_and_lines_fit(catalog, rich, width):
    api = catalog.api("CreateVmInstance")
    text = help_text(catalog, "CreateVmInstance", width=width, rich=rich)
    words = set(re.findall(r"[A-Za-z0-9_]+", text))
    for p in api.params:
        assert p.name in words, p.name  # never broken mid-word
    for line in text.splitlines():
        if display_width(line) > width:  # only a term longer than the width may pass it, and stays whole
            assert len(line.split()) == 1 or line.split()[0] in {p.name for p in api.params}, line


def test_piped_help_has_no_run_together_columns_and_no_cut_value_lists(catalog):
    text = plain(catalog, "CreateVmInstance", width=80)
    for p in catalog.api("CreateVmInstance").params:
        line = next(ln for ln in text.splitlines() if ln.startswith(f"  {p.name} ") or ln == f"  {p.name}"
                    or ln.startswith(f"  {p.name}  "))
        assert re.match(rf"  {re.escape(p.name)}(  |$)", line), line  # two spaces at least after a name
    assert "…" not in text
    flat = " ".join(text.split())
    for p in catalog.api("CreateVmInstance").params:
        if p.values:
            assert "One of: " + ", ".join(map(str, p.values)) + "." in flat  # every value, in full


def test_an_often_empty_column_takes_no_space(catalog):
    text = plain(catalog, "CreateZone", width=80)
    header = next(line for line in text.splitlines() if line.strip().startswith("parameter"))
    assert header.split() == ["parameter", "type", "description"]  # values and since: in the text
    table = Columns("t", ("a", "b", "c"), (("x", "", "text"), ("y", "", "")))
    assert render_help(Page((table,)), width=40) == "t:\n  a  c\n  x  text\n  y\n"


def test_a_term_longer_than_its_column_gets_a_line_of_its_own(catalog):
    text = plain(catalog, "CreateVmInstance", width=80)
    lines = text.splitlines()
    i = next(i for i, ln in enumerate(lines) if ln.startswith("  primaryStorageUuidForRootVolume"))
    assert lines[i].split() == ["primaryStorageUuidForRootVolume", "String"]
    assert lines[i + 1].startswith(" " * 20) and "Since 1.8." in " ".join(lines[i + 1:i + 3])


def test_cjk_text_wraps_between_characters_within_the_width():
    assert wrap_cells("计算规格UUID。指定云主机的CPU", 10) == ["计算规格", "UUID。指定", "云主机的", "CPU"]
    assert wrap_cells("a " + "b" * 30 + " c", 10) == ["a", "b" * 30, "c"]


def test_the_shell_overview_lists_the_built_ins(catalog):
    text = help_text(catalog, None, width=60, builtins=BUILTINS)
    assert "Built-ins:" in text and "\n  watch " in text and "\n  history " in text
    assert help_text(catalog, "watch", width=60, builtins=BUILTINS).startswith("watch: ")
    assert "Built-ins" not in help_text(catalog, None, width=60)


def test_unknown_topic_is_a_usage_error_with_suggestions(catalog):
    from zcli.errors import UsageError

    with pytest.raises(UsageError) as info:
        help_page(catalog, "QueryZoen")
    assert "QueryZone" in str(info.value)
