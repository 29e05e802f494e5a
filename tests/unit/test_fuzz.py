"""Hypothesis fuzzing of the tokenizer, the shell's lexer, the grammar and one-shot argv: nothing raises but
the documented errors, the fast tokenizer reads lines exactly as shlex does, and no argv ends in an internal
error. Bounded: each property runs a fixed number of examples (the suite's profile is derandomized)."""

from __future__ import annotations

import io
import shlex

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zcli.catalog import Catalog
from zcli.completion.words import split_words
from zcli.errors import ExitStatus, UsageError
from zcli.grammar import parse_command, split_line
from zcli.grammar.words import comment_start

CATALOG = Catalog()
#: Characters that matter to the splitter, then some that do not.
TRICKY = " \t\r\n\\'\"#=<>!?~,;|&$`*[](){}" + "ab0_.-:@/%" + "\x00\x1b\x0b\x0c\xa0\u2028\u202e区"
lines = st.text(alphabet=st.sampled_from(TRICKY), max_size=40) | st.text(max_size=40)


def shlex_words(line: str) -> list[str] | str:
    lexer = shlex.shlex(line[:comment_start(line)], posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError as exc:
        return f"error: {str(exc).lower()}"


@settings(max_examples=600)
@given(line=lines)
def test_the_tokenizer_reads_lines_as_shlex_does(line):
    try:
        got: list[str] | str = split_line(line)
    except UsageError as exc:
        got = "error: " + str(exc).removeprefix("cannot split the line: ")
    assert got == shlex_words(line)


@settings(max_examples=400)
@given(line=st.text(alphabet=st.sampled_from("ab= \\'\"x,"), max_size=30))
def test_completion_words_agree_with_the_tokenizer(line):
    words, current = split_words(line)  # never raises, whatever the line
    try:
        expected = split_line(line)
    except UsageError:
        return
    got = [w.value for w in words] + ([current.value] if current.raw else [])
    assert got == expected
    for w in words:
        assert line[w.start:w.start + len(w.raw)] == w.raw


@pytest.fixture(scope="module")
def lexer():
    from zcli.shell.lexer import ShellLexer

    return ShellLexer(CATALOG, {"watch": "", "help": ""}, {"-o": ("", True), "--query": ("", True)})


api_names = st.sampled_from(["QueryZone", "QueryVmInstance", "CreateZone", "LogInByAccount", "AddImage",
                             "UpdateZone", "DeleteZone", "watch", "help", "NoSuchApi"])
words = st.text(alphabet=st.sampled_from(TRICKY), max_size=12) | st.sampled_from(
    ["name=", "password=x", "uuid?=a,b", "-o", "json", "--query", "limit=1", "url=http://u:p@h", "'a b'"])


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(api=api_names, rest=st.lists(words, max_size=6))
def test_the_lexer_never_fails_and_keeps_the_lines_shape(lexer, api, rest):
    line = " ".join([api, *rest])
    fragments = lexer.fragments(line)
    text = "".join(t for _, t in fragments)
    assert len(text) == len(line)
    for (style, piece), start in zip(fragments, _starts(fragments), strict=True):
        if style != "class:secret":
            assert line[start:start + len(piece)] == piece


def _starts(fragments):
    at = 0
    for _, piece in fragments:
        yield at
        at += len(piece)


@settings(max_examples=300)
@given(api=api_names, rest=st.lists(words, max_size=6), validate=st.booleans())
def test_the_grammar_raises_nothing_but_usage_errors(api, rest, validate):
    try:
        parse_command([api, *rest], CATALOG, validate=validate)
    except UsageError:
        pass


OPTION_WORDS = ["-o", "json", "csv", "--query", "inventories[0]", "abs(@)", "--timeout", "inf", "1e309", "0",
                "-2", "--url", "http://[::1", "http://127.0.0.1:1/zstack", "-H", "bad host", "-p", "99999",
                "--all", "--no-validate", "--no-color", "--profile", "none", "--keep-going", "--insecure",
                "--", "-x", "--output=yaml", "--timeout=nan", "help", "QueryZone", "LogOut", "name=a"]


@settings(max_examples=150, deadline=None)
@given(argv=st.lists(st.sampled_from(OPTION_WORDS) | st.text(alphabet=st.sampled_from(TRICKY), max_size=8),
                     max_size=6))
def test_one_shot_argv_ends_with_a_documented_status(tmp_path_factory, argv):
    from zcli import cli
    from zcli.core import Environment

    folder = tmp_path_factory.mktemp("argv")
    env = {"ZCLI_STATE_DIR": str(folder / "state"), "ZCLI_CONFIG_DIR": str(folder / "config"),
           "ZCLI_URL": "http://127.0.0.1:1/zstack"}  # nothing listens there: no command can reach a server
    out, err = io.StringIO(), io.StringIO()
    status = cli.run([*argv], Environment(io.StringIO(""), out, err, env))
    assert status in {s.value for s in ExitStatus} - {ExitStatus.INTERNAL.value}, err.getvalue()
    assert "Traceback" not in err.getvalue() and "internal error" not in err.getvalue()
    if status:
        assert err.getvalue().count("\n") >= 1
