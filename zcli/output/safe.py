"""Server text made safe to show: the one place that decides what may reach a terminal.

Any tenant can name a resource, and a name is printed in an administrator's terminal. A name holding
``ESC ] 0 ; ... BEL`` would set the terminal's title, ``ESC ] 52`` write the clipboard, ``ESC [ 2J`` clear
the screen; a right-to-left override (U+202E) makes ``exe.txt`` read ``txt.exe``; a zero-width space makes
two different names look the same. So, on a terminal, every such character is shown as an escape:

* C0 controls, DEL and C1 controls as ``\\xNN`` (``\\x1b``, ``\\x07``, ``\\x9b``);
* bidi embeddings, overrides, isolates and marks, zero-width and other invisible format characters,
  and the Unicode line and paragraph separators as ``\\uXXXX`` (``\\u202e``, ``\\u200b``) or
  ``\\UXXXXXXXX`` beyond the first plane (tag characters).

The same escapes everywhere: table cells, records, header keys, csv/tsv/value/json/yaml on a terminal,
error lines, completion labels. Data written to a pipe or a file stays exact (:func:`terminal_text` is
applied only for a terminal), except JSON, whose own ``\\uXXXX`` escapes keep the data exact while
making C1 and bidi characters visible wherever the text is shown (:func:`json_escape`).
"""

from __future__ import annotations

import re
from functools import cache

# Invisible format characters (Unicode category Cf, less the soft hyphen that terminals draw as "-", and
# less the few Cf characters that are drawn, such as the Arabic number signs): bidi marks (U+061C, U+200E,
# U+200F), embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069), zero-width space, joiners
# and word joiner (U+200B-U+200D, U+2060-U+2064), deprecated format controls (U+206A-U+206F), the
# byte-order mark (U+FEFF), interlinear annotations (U+FFF9-U+FFFB), shorthand format controls, musical
# symbol format controls and the tag characters (U+E0001, U+E0020-U+E007F: "ASCII smuggling"); plus the
# Mongolian vowel separator and the line and paragraph separators (U+2028, U+2029), which some terminals
# and viewers take as line breaks.
_INVISIBLE = ("\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
              "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
#: Characters never shown raw on a terminal: C0 controls, DEL, C1 controls and the invisible ones above.
UNSAFE = f"[\x00-\x1f\x7f-\x9f{_INVISIBLE}]"  # (as text: compiled by re on first use, then kept)
# What JSON text must escape beyond what json.dumps does (it escapes C0 controls, not DEL, C1 or bidi).
_JSON_UNSAFE = f"[\x7f-\x9f{_INVISIBLE}]"
# Whitespace a table cell shows as a space (a cell is one line).
_BLANKS = str.maketrans("\t\n\r\v\f", "     ")


def escape_char(ch: str) -> str:
    """The visible form of one unsafe character: ``\\x1b``, ``\\u202e``, ``\\U000e0041``."""
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _escape_match(m: re.Match) -> str:
    return escape_char(m.group())


def is_safe(text: str) -> bool:
    """Whether ``text`` holds nothing :func:`terminal_text` would escape."""
    return (text.isascii() and text.isprintable()) or re.search(UNSAFE, text) is None


def terminal_text(text: str, keep: str = "") -> str:
    """``text`` with every control, bidi and invisible character shown as an escape (see the module).

    Args:
        text: text that may hold server data.
        keep: characters to leave as they are: the line breaks and tabs of a whole document zcli laid out
            (csv, yaml, json on a terminal), which are its own and move no cursor but to the next line.
    """
    if text.isascii() and text.isprintable():  # nearly every string: no regex at all
        return text
    if not keep:
        return re.sub(UNSAFE, _escape_match, text)
    return re.sub(UNSAFE, lambda m: m.group() if m.group() in keep else escape_char(m.group()), text)


def document_text(text: str) -> str:
    """A whole rendered document (csv, tsv, value, json, yaml output) for a terminal: its line breaks and
    tabs kept, every other unsafe character escaped; a carriage return too (it would let a value overwrite
    the line it is on)."""
    return terminal_text(text, keep="\n\t")


def cell_line(text: str) -> str:
    """One line of a table cell, a record or a message: tabs and line breaks as spaces, the rest escaped."""
    if text.isascii() and text.isprintable():
        return text
    return terminal_text(text.translate(_BLANKS))


def message_line(text: str) -> str:
    """An error or note for stderr: one line, whitespace runs collapsed, every unsafe character escaped.

    Applied whether or not stderr is a terminal: a message is for a person (a log file is read in one too).
    """
    return " ".join(terminal_text(" ".join(text.split())).split())


def json_escape(text: str) -> str:
    """JSON text with DEL, C1, bidi and invisible characters written as ``\\uXXXX`` escapes.

    The JSON value is unchanged (a parser reads the same string back); only its text differs, so it is
    applied to JSON output whether it goes to a terminal or a pipe. Characters beyond the first plane
    become a surrogate pair, as JSON requires.
    """
    if text.isascii() and text.isprintable():
        return text
    # A whole document is long (50 inventories: 140,000 characters) and the class is slow to test a
    # character at a time: first drop, in C, every byte of its UTF-8 form that cannot begin one of them.
    if not text.encode("utf-8", "surrogatepass").translate(None, _not_json_unsafe_leads()):
        return text
    return re.sub(_JSON_UNSAFE, _json_escape_match, text)


@cache
def _not_json_unsafe_leads() -> bytes:
    """Every byte but those that begin the UTF-8 form of a character :data:`_JSON_UNSAFE` matches."""
    leads = set()
    chars = "\x7f-\x9f" + _INVISIBLE
    at = 0
    while at < len(chars):  # single characters and ranges (FIRST-LAST) of a few hundred at most
        span = 3 if chars[at + 1:at + 2] == "-" else 1
        first, last = chars[at], chars[at + span - 1]
        leads.update(chr(code).encode("utf-8")[0] for code in range(ord(first), ord(last) + 1))
        at += span
    return bytes(b for b in range(256) if b not in leads)


def _json_escape_match(m: re.Match) -> str:
    code = ord(m.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
