"""The README's command examples are valid commands of the catalogue (docs that fail are defects)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zcli.catalog import Catalog
from zcli.grammar import parse_command, split_line

README = Path(__file__).resolve().parents[2] / "README.md"
# Inline examples such as `QueryVmInstance name~=qwen ...` and shell lines such as `zcli -H mn1 QueryZone ...`.
_INLINE = re.compile(r"`((?:Query|Create|Start|Stop|Delete|Destroy|LogIn)\w* [^`]*)`")
_SHELL = re.compile(r"^zcli (?:-H \S+ |-p \S+ |--demo )*((?:Query|Create|Start|Stop|LogIn)\w*(?: [^#|\n]*)?)", re.M)


_VALUED_OPTIONS = {"-o", "--output", "-H", "--host", "-p", "--port", "--query", "--url", "--profile", "-f"}


def _examples() -> list[str]:
    text = README.read_text(encoding="utf-8")
    out = []
    from zcli.shell.redirect import split_redirect

    for line in _INLINE.findall(text) + _SHELL.findall(text):
        line = split_redirect(" ".join(line.split()))[0]  # a shell line's | COMMAND or > FILE is not the API's
        words, skip = [], False
        for w in split_line(line.replace("…", "x").replace("...", "x")):
            if skip:
                skip = False
            elif w.startswith("-"):
                skip = w in _VALUED_OPTIONS
            else:
                words.append(w)
        out.append(" ".join(words))
    return out


@pytest.mark.parametrize("line", _examples())
def test_readme_example_is_a_valid_command(line):
    # Options (-o json, --all) are the CLI's, not the grammar's, and were taken out above.
    parse_command(split_line(line), Catalog())


def test_the_readme_has_examples():
    assert len(_examples()) >= 5
