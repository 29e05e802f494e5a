"""``zcli help TOPIC``: a category is matched exactly; a word otherwise lists the APIs whose name holds it."""

from __future__ import annotations

import pytest

from zcli.catalog import Catalog
from zcli.commands.help import help_text


@pytest.fixture(scope="module")
def catalog():
    return Catalog()


def test_a_word_that_is_also_a_category_in_another_case_lists_the_names_too(catalog):
    assert "VM" in catalog.categories()
    text = help_text(catalog, "Vm")
    assert "APIs whose name holds 'Vm':" in text
    for name in ("QueryVmInstance", "StartVmInstance", "CreateVmInstance"):
        assert f"  {name} " in text
    assert "APIs of VM:" in text  # the category is shown as well, under its own heading


def test_an_exact_category_lists_that_category_alone(catalog):
    text = help_text(catalog, "VM")
    names = catalog.categories()["VM"]
    assert text.splitlines()[0] == "APIs of VM:" and len(text.splitlines()) == len(names) + 1
    assert "name holds" not in text


def test_the_shell_api_list_fits_a_narrow_terminal():
    from zcli.catalog import Catalog
    from zcli.commands.help import api_list
    from zcli.completion import BUILTINS

    text = api_list(Catalog(), 60, BUILTINS)
    assert text.startswith("Built-ins: help")
    assert all(len(line) <= 60 for line in text.splitlines() if " " in line.strip())


def test_the_overview_never_breaks_a_category_name_at_a_hyphen(catalog):
    text = help_text(catalog, None, width=80)
    listed = text.split("categories", 1)[1]
    hyphenated = [c for c in catalog.categories() if "-" in c]
    assert hyphenated
    for line in listed.splitlines():
        assert not line.rstrip().endswith("-"), line  # "pci-" / "device-specs" was the defect
    flat = " ".join(listed.split())
    for category in hyphenated:
        assert f"{category} (" in flat


def test_query_help_examples_come_from_the_inventorys_own_links(catalog):
    text = help_text(catalog, "QueryModelService")
    assert "zone.name" not in text  # ModelService has no zone link
    from zcli.commands.help import link_example

    example = link_example(catalog, "ModelServiceInventory")
    assert example and f"e.g. {example}" in text
    first = example.split(".")[0]
    assert first in catalog.links("ModelServiceInventory")
    catalog.resolve("ModelServiceInventory", example.split("=")[0])  # a path that resolves


def test_collections_of_values_are_fields_not_links(catalog):
    links = catalog.links("HostInventory")
    assert links["cpuNum"].value_field and links["availableCpuCapacity"].value_field
    text = help_text(catalog, "QueryHost")
    conditions, _, tree = text.partition("Cross-table names of HostInventory")
    assert "\n  cpuNum " in conditions and "\n  availableCpuCapacity " in conditions
    assert "cpuNum" not in tree and "availableCpuCapacity" not in tree
    assert "Links:" not in text
    assert "\n  zone. → ZoneInventory\n    " in tree  # an indented tree, one level under the other
    assert "\n  QueryHost\n" not in text  # the title that only repeats the API's name is not shown


def test_a_value_collection_that_is_no_field_is_listed_as_one(catalog):
    links = catalog.links("L3NetworkInventory")
    assert links["dns"].value_field
    text = help_text(catalog, "QueryL3Network")
    conditions, _, tree = text.partition("Cross-table names of")
    assert "\n  dns " in conditions and "dns" not in tree


def test_the_shell_help_shows_value_collections_as_fields(catalog):
    from zcli.commands.help import api_help

    text = api_help(catalog, catalog.api("QueryHost"), width=120)
    table, _, tree = text.partition("cross-table names of HostInventory")
    assert "(values)" not in text and "cpuNum" not in tree
    assert "│ cpuNum " in table
    assert "├── zone. → ZoneInventory" in tree
