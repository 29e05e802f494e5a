"""Sizes: byte counts shown as sizes in tables and records, exact in every other format."""

from __future__ import annotations

import json

import pytest

from zcli.catalog import Catalog
from zcli.output import StreamWriter, render
from zcli.output.sizes import human_size, is_size_field, size_fields

IMAGES = [{"uuid": "a" * 32, "name": "centos", "size": 40 << 30, "actualSize": 3 << 30},
          {"uuid": "b" * 32, "name": "qwen", "size": 1536 << 20, "actualSize": 512}]


@pytest.mark.parametrize(("value", "text"), [
    (0, "0 B"), (1023, "1023 B"), (1024, "1 KiB"), (1536, "1.5 KiB"), (32 << 30, "32 GiB"), (10 << 40, "10 TiB"),
    (1500000000, "1.4 GiB"), ((1 << 40) - 1, "1 TiB"),
])
def test_human_size(value, text):
    assert human_size(value) == text


@pytest.mark.parametrize("value", [-1, 2.5, True, "40", None])
def test_what_is_not_a_byte_count_stays_as_it_is(value):
    assert human_size(value) is None


def test_which_fields_are_sizes_comes_from_the_catalogue_types_and_names():
    catalog = Catalog()
    assert size_fields("ImageInventory", catalog) == {"size", "actualSize"}
    assert {"totalCapacity", "availableCapacity", "availablePhysicalCapacity"} <= size_fields(
        "PrimaryStorageInventory", catalog)
    host = size_fields("HostInventory", catalog)
    assert "totalMemoryCapacity" in host and "totalCpuCapacity" not in host  # CPUs are counted, not bytes
    assert "memorySize" in size_fields("VmInstanceInventory", catalog)
    assert "requestMemory" not in size_fields("ModelServiceInventory", catalog)  # MiB, by the API
    assert not is_size_field("sizeWithGB", "Integer") and not is_size_field("replicatedSize", "Integer")
    assert not is_size_field("bandwidthSize", "long")
    assert size_fields(None) == frozenset() and size_fields("NoSuchInventory", catalog) == frozenset()


def test_a_table_shows_sizes_and_json_csv_keep_exact_bytes():
    reply = {"inventories": IMAGES}
    table = render(reply, "table", inventory="ImageInventory", width=100, catalog=Catalog())
    assert "40 GiB" in table and "1.5 GiB" in table and "512 B" in table and str(40 << 30) not in table
    assert json.loads(render(reply, "json", inventory="ImageInventory"))["inventories"][0]["size"] == 40 << 30
    csv = render(reply, "csv", inventory="ImageInventory", fields=["name", "size"])
    assert csv == f"name,size\ncentos,{40 << 30}\nqwen,{1536 << 20}\n"
    # sizes are right-aligned as the numbers they are
    line = next(row for row in table.splitlines() if "qwen" in row)
    assert line.endswith("1.5 GiB       512 B")


def test_a_record_shows_sizes_too():
    text = render({"inventory": IMAGES[0]}, "table", inventory="ImageInventory", width=80)
    assert "size:       40 GiB" in text and "actualSize: 3 GiB" in text


def test_without_an_inventory_numbers_stay_numbers():
    assert str(40 << 30) in render({"inventories": IMAGES}, "table", width=100)


def test_a_stream_shows_sizes_as_render_does():
    import io

    out = io.StringIO()
    with StreamWriter("table", out, inventory="ImageInventory", width=100) as writer:
        writer.write(IMAGES[:1])
        writer.write(IMAGES[1:])
    assert out.getvalue() == render({"inventories": IMAGES}, "table", inventory="ImageInventory", width=100)
