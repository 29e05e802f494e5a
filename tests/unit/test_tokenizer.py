"""One tokenizer for the shell syntax: execution, completion, highlighting and secret spans split alike,
and agree on ``#`` comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from zcli.catalog import Catalog
from zcli.completion import CompletionEngine
from zcli.errors import UsageError
from zcli.grammar.words import comment_start, scan, split_line, split_words
from zcli.shell.lexer import ShellLexer
from zcli.shell.secrets import has_secret, mask, secret_spans

LINES = ["QueryZone name=a", "QueryZone name='a b' x\\ y ''", 'QueryZone name="a \\" b"', "QueryZone\tname=a\r",
         "QueryZone name=a#b '#1' # comment", "# all comment", "QueryZone name=\"x#y\" #"]


@pytest.fixture(scope="module")
def catalog():
    return Catalog()


def test_completion_and_execution_share_the_tokenizer():
    import zcli.completion.words as completion_words

    assert completion_words.split_words is split_words and completion_words.Word is scan.__globals__["Word"]
    for line in LINES:
        words, current = split_words(line)
        partial = [w.value for w in words] + ([current.value] if current.raw else [])
        assert partial == split_line(line), line  # the partial mode of a whole line reads what runs


def test_partial_mode_takes_an_open_quote_where_execution_refuses_it():
    words, current = split_words('QueryZone name="my v')
    assert [w.value for w in words] == ["QueryZone"] and current.value == "name=my v"
    with pytest.raises(UsageError, match="no closing quotation"):
        split_line('QueryZone name="my v')


def test_every_reader_agrees_on_comments(catalog):
    line = "QueryZone name=zone-1 # password=hunter2 nosuch=1"
    cut = comment_start(line)
    assert split_line(line) == ["QueryZone", "name=zone-1"]  # what runs
    assert CompletionEngine(catalog).complete(line) == []  # nothing is offered in a comment
    assert CompletionEngine(catalog).complete(line[:cut]) != []
    fragments = ShellLexer(catalog, {}).fragments(line)
    styles = "".join(("c" if style == "class:comment" else "s" if style == "class:secret" else ".") * len(text)
                     for style, text in fragments)
    assert set(styles[cut:]) <= {"c", "s"} and "c" not in styles[:cut]  # coloured as a comment from the #
    assert "error" not in "".join(style for style, _ in fragments)  # nosuch=1 in a comment is no error
    # a secret typed in a comment is still kept out of the history and off the screen
    assert has_secret(catalog, line) and "hunter2" not in mask(catalog, line)
    assert "hunter2" not in "".join(text for _, text in fragments)
    assert secret_spans(catalog, line) == [(line.index("hunter2"), line.index("hunter2") + 7)]


def test_there_is_no_other_tokenizer():
    root = Path(__file__).resolve().parents[2] / "zcli"
    users = [p.relative_to(root).as_posix() for p in root.rglob("*.py")
             if "import shlex" in p.read_text(encoding="utf-8")]
    assert users == ["output/pager.py"]  # $PAGER is a command for a POSIX shell, split as one splits it
    pieces = [p for p in root.rglob("*.py") if "_PIECE = re.compile" in p.read_text(encoding="utf-8")]
    assert [p.relative_to(root).as_posix() for p in pieces] == ["grammar/words.py"]
