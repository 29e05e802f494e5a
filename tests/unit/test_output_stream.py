"""StreamWriter: pages written as they arrive, with the same text as one render of the whole list."""

from __future__ import annotations

import io
import json

import pytest

from zcli.output import StreamWriter, render

ROWS = [{"uuid": f"{i:032x}", "name": f"vm-{i}" if i % 3 else f"机器-{i}", "cpuNum": i, "tags": ["a"] * (i % 2)}
        for i in range(7)]
PAGES = [ROWS[0:3], ROWS[3:6], ROWS[6:7]]


class Recorder(io.StringIO):
    """A stream that remembers what had been written at each flush."""

    def __init__(self):
        super().__init__()
        self.flushed: list[str] = []

    def flush(self):
        self.flushed.append(self.getvalue())


def stream(fmt: str, pages=PAGES, **kwargs) -> Recorder:
    out = Recorder()
    with StreamWriter(fmt, out, **kwargs) as writer:
        for page in pages:
            writer.write(page)
    return out


@pytest.mark.parametrize("fmt", ["json", "yaml", "table", "csv", "tsv", "jsonl", "value"])
def test_stream_equals_one_render_of_all_rows(fmt):
    assert stream(fmt).getvalue() == render({"inventories": ROWS}, fmt)


def test_json_is_one_valid_document_written_page_by_page():
    out = stream("json")
    assert json.loads(out.getvalue()) == {"inventories": ROWS}
    # each page reached the stream before the next was written: the first flush holds the first page only
    first = out.flushed[0]
    assert first.startswith('{\n  "inventories": [\n    {\n')
    assert first.count('"uuid"') == 3
    assert json.loads(first + "\n  ]\n}") == {"inventories": ROWS[:3]}


def test_json_and_yaml_with_no_rows_are_still_documents():
    assert json.loads(stream("json", pages=[]).getvalue()) == {"inventories": []}
    assert stream("yaml", pages=[[]]).getvalue() == "inventories: []\n"


def test_csv_header_written_once():
    text = stream("csv").getvalue()
    lines = text.splitlines()
    assert lines[0] == "uuid,name,cpuNum,tags"
    assert sum(line.startswith("uuid,") for line in lines) == 1
    assert len(lines) == 1 + len(ROWS)
    assert lines[1] == f"{0:032x},机器-0,0,[]"


def test_csv_columns_fixed_by_the_first_page():
    pages = [[{"a": 1, "b": 2}], [{"a": 3, "c": 4}]]
    assert stream("csv", pages=pages).getvalue() == "a,b\n1,2\n3,\n"


def test_jsonl_and_value_write_each_page_at_once():
    out = stream("jsonl")
    assert [len(f.splitlines()) for f in out.flushed] == [3, 6, 7]
    assert [json.loads(line) for line in out.getvalue().splitlines()] == ROWS
    values = stream("value", pages=[[{"uuid": "u1"}], [{"uuid": "u2"}, {"uuid": "u3"}]]).getvalue()
    assert values == "u1\nu2\nu3\n"


def test_table_header_once_and_stable_columns():
    text = stream("table", width=80).getvalue()
    lines = text.splitlines()
    assert lines[0] == "uuid                              name    cpuNum  tags"
    assert lines[1].startswith("--------------------------------  ------")
    assert len(lines) == 2 + len(ROWS) + 1
    assert sum(line.startswith("uuid ") for line in lines) == 1
    assert lines[8] == f"{6:032x}  机器-6       6  []"
    assert lines[9] == "7 rows"


def test_table_stream_of_one_row_is_a_record():
    text = stream("table", pages=[[{"uuid": "u1", "name": "a"}], []]).getvalue()
    assert text == render({"inventories": [{"uuid": "u1", "name": "a"}]}, "table") == "uuid: u1\nname: a\n1 row\n"


def test_table_stream_of_nothing():
    assert stream("table", pages=[]).getvalue() == "(no results)\n"


def test_table_stream_widths_come_from_every_page_not_the_first():
    """Issue 9: widths taken from the first page cut later names (``qwen-infer-…``, ``测试虚拟机-…``)."""
    pages = [[{"name": "a", "n": 1}, {"name": "b", "n": 2}],
             [{"name": "qwen-infer-11", "n": 300}, {"name": "测试虚拟机-2", "n": 4}]]
    out = stream("table", pages=pages)
    assert out.getvalue() == ("name             n\n"
                              "-------------  ---\n"
                              "a                1\n"
                              "b                2\n"
                              "qwen-infer-11  300\n"
                              "测试虚拟机-2     4\n"
                              "4 rows\n")
    assert "…" not in out.getvalue()


def test_table_stream_keeps_only_the_shown_columns_texts():
    """What a table gathers to the end is the texts of its columns, not the rows (nested values dropped)."""
    writer = StreamWriter("table", io.StringIO(), width=80, fields=["name"])
    writer.write([{"name": f"n{i}", "big": ["x" * 100] * 10} for i in range(3)])
    assert writer._cells.texts == [["n0"], ["n1"], ["n2"]]
    writer.close()


def test_write_after_close_is_refused_and_close_is_idempotent():
    out = io.StringIO()
    writer = StreamWriter("json", out)
    writer.close()
    writer.close()
    assert json.loads(out.getvalue()) == {"inventories": []}
    with pytest.raises(ValueError):
        writer.write(ROWS)


def test_table_stream_of_query_values_one_a_line():
    assert stream("table", pages=[["a", "b"], ["c\x1b"]]).getvalue() == "a\nb\nc\\x1b\n"


@pytest.mark.parametrize("fmt", ["json", "yaml", "table", "csv", "jsonl", "value"])
@pytest.mark.parametrize("pages", [PAGES, [ROWS[:1]], []])
def test_a_total_is_written_as_render_writes_it(fmt, pages):
    out = io.StringIO()
    with StreamWriter(fmt, out, width=100) as writer:
        writer.total = 57
        for page in pages:
            writer.write(page)
    rows = [row for page in pages for row in page]
    assert out.getvalue() == render({"inventories": rows, "total": 57}, fmt, width=100)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "value", "table"])
def test_streamed_fields_asked_are_exactly_the_columns(fmt):
    pages = [[{"name": "a", "state": "Running"}], [{"state": "Stopped", "name": "b"}]]
    asked = ["name", "description", "state"]
    got = stream(fmt, pages, inventory="VmInstanceInventory", fields=asked).getvalue()
    assert got == render({"inventories": pages[0] + pages[1]}, fmt, inventory="VmInstanceInventory", fields=asked)
    if fmt != "table":
        assert got.splitlines()[0] in ("name,description,state", "name\tdescription\tstate", "a\t\tRunning")
    else:
        assert [w.lower() for w in got.splitlines()[0].split()] == asked
