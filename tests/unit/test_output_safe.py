"""Server text on a terminal: every renderer and message line shows control, bidi and invisible characters
as escapes; data piped stays exact; JSON escapes C1 and bidi always; csv quotes a bare CR (RFC 4180)."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import unicodedata

import pytest

from zcli.output import StreamWriter, render
from zcli.output.formats import FORMATS
from zcli.output.safe import UNSAFE, document_text, escape_char, json_escape, message_line, terminal_text

#: What an attacker names a zone: a title change, a clipboard write through tmux, a screen clear, a bell,
#: a NUL, a C1 CSI, a right-to-left override, an isolate and a zero-width space.
EVIL = "z\x1b]0;owned\x07\x1b]52;c;ZWNobyBoaQ==\x07\x1b[2J\x00\x9b31m\u202etxt.exe\u2066\u200bend"
#: Any raw character that must not reach a terminal (tab and line feed excepted: documents are laid out).
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
REPLY = {"inventories": [{"uuid": "u1", "name": EVIL, "description": "a\rb"},
                         {"uuid": "u2", "name": "ok", EVIL: "key"}]}


def test_terminal_text_escapes_controls_bidi_and_invisible_characters():
    assert terminal_text("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert terminal_text("\x07\x00\x7f\x9b") == "\\x07\\x00\\x7f\\x9b"
    for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]:
        assert terminal_text(chr(code)) == f"\\u{code:04x}"
    assert terminal_text("\U000e0041") == "\\U000e0041"  # a tag character ("ASCII smuggling")
    assert terminal_text("区域-1 ü 🙂 soft\xadhyphen") == "区域-1 ü 🙂 soft\xadhyphen"  # text stays text
    assert terminal_text("a\nb\tc", keep="\n\t") == "a\nb\tc"
    assert RAW.search(terminal_text(EVIL)) is None


def test_every_invisible_format_character_is_escaped():
    # Category Cf: invisible formatting (bidi, zero width, tags). The few drawn ones are left as text.
    drawn = {0x00AD, *range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD,
             *range(0x13430, 0x13440)}
    for code in range(sys.maxunicode + 1):
        if unicodedata.category(chr(code)) == "Cf" and code not in drawn:
            assert re.fullmatch(UNSAFE, chr(code)), f"U+{code:04X} reaches the terminal raw"


def test_escapes_are_consistent():
    assert escape_char("\x1b") == "\\x1b"
    assert escape_char("\u202e") == "\\u202e"
    assert message_line("boom \x1b]0;x\x07\nnext") == "boom \\x1b]0;x\\x07 next"


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_lets_server_text_reach_a_terminal_raw(fmt):
    text = render(REPLY, fmt, width=200, terminal=True)
    assert RAW.search(text) is None, f"{fmt}: {text!r}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_stream_on_a_terminal_is_safe_too(fmt):
    out = io.StringIO()
    with StreamWriter(fmt, out, width=200, terminal=True) as writer:
        writer.write(REPLY["inventories"])
        writer.write([{"uuid": "u3", "name": "\x1b[2J"}])
    assert RAW.search(out.getvalue()) is None, f"{fmt}: {out.getvalue()!r}"


def test_piped_data_stays_exact():
    rows = list(csv.reader(io.StringIO(render(REPLY, "csv"), newline="")))
    assert rows[1][rows[0].index("name")] == EVIL
    assert rows[1][rows[0].index("description")] == "a\rb"
    tsv = render({"inventories": [{"name": EVIL}]}, "tsv")
    assert tsv == f"name\n{EVIL}\n"
    assert render({"inventories": [{"name": EVIL}]}, "value") == f"{EVIL}\n"
    import yaml

    assert yaml.safe_load(render(REPLY, "yaml")) == REPLY


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_escapes_c1_and_bidi_always_and_keeps_the_value(fmt):
    text = render(REPLY, fmt)
    assert "\x9b" not in text and "\u202e" not in text and "\u200b" not in text and "\x1b" not in text
    assert "\\u009b" in text and "\\u202e" in text
    docs = [json.loads(line) for line in text.splitlines()] if fmt == "jsonl" else [json.loads(text)]
    assert docs[0] == (REPLY if fmt == "json" else REPLY["inventories"][0])
    assert "区域" in render({"name": "区域"}, fmt)  # non-ASCII text stays text


def test_json_escape_writes_surrogate_pairs_beyond_the_first_plane():
    text = json_escape(json.dumps("\U000e0041", ensure_ascii=False))
    assert text == '"\\udb40\\udc41"' and json.loads(text) == "\U000e0041"


def test_csv_quotes_a_bare_carriage_return():
    text = render({"inventories": [{"a": "x\ry", "b": "plain"}]}, "csv")
    assert text == 'a,b\n"x\ry",plain\n'
    assert render({"inventories": [{"a": ""}]}, "csv") == 'a\n""\n'
    assert render({"inventories": [{"a": 'q"u,o'}]}, "csv") == 'a\n"q""u,o"\n'


def test_csv_on_a_terminal_escapes_the_carriage_return():
    assert render({"inventories": [{"a": "x\ry"}]}, "csv", terminal=True) == 'a\n"x\\x0dy"\n'


def test_table_header_keys_and_record_labels_are_escaped():
    table = render({"inventories": [{"uuid": "1", "k\x1b[2J": "v"}, {"uuid": "2", "k\x1b[2J": "w"}]}, "table")
    assert "\x1b" not in table and "k\\x1b[2J" in table
    record = render({"inventory": {"k\u202eey": "v\x07"}}, "table")
    assert record == "k\\u202eey: v\\x07\n"


def test_document_text_keeps_layout():
    assert document_text("a\tb\nc\x1b\r") == "a\tb\nc\\x1b\\x0d"


def test_json_escape_misses_no_character_of_any_plane():
    """Its byte pre-filter (start-up: a long document skips the slow character class) lets every character
    the class escapes through: each one, alone or among text, is escaped exactly as the class does it."""
    from zcli.output.safe import _JSON_UNSAFE, _json_escape_match

    every = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    assert json_escape(every + "\n") == re.sub(_JSON_UNSAFE, _json_escape_match, every + "\n")
    for ch in re.findall(_JSON_UNSAFE, "\x7f" + every):
        assert json_escape(f'"名前 {ch}"\n') != f'"名前 {ch}"\n', hex(ord(ch))
    assert json_escape('"名前 — “quoted” é"\n') == '"名前 — “quoted” é"\n'
