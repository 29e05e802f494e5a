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
