"""A bracketed paste of several lines, through a real PromptSession (pipe input)."""

from __future__ import annotations

from prompt_toolkit import PromptSession
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from zcli.shell.paste import Pasted, paste_keys

START, END = "\x1b[200~", "\x1b[201~"


def lines_run(keys: str) -> tuple[list[str], Pasted]:
    """The lines a prompt loop gets for ``keys``: each prompt's line, then the pasted lines in turn."""
    pasted = Pasted()
    got = []
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        session = PromptSession("> ", input=pipe, output=DummyOutput(), history=InMemoryHistory(),
                                key_bindings=paste_keys(pasted))
        while True:
            line = pasted.next_line()
            if line is None:
                try:
                    line = session.prompt(default=pasted.take_rest())
                except EOFError:
                    break
            got.append(line)
            if line == "exit":
                break
    return got, pasted


def test_each_pasted_line_is_a_command_of_its_own():
    got, _ = lines_run(f"{START}QueryZone\nname=foo\n{END}exit\r")
    assert got == ["QueryZone", "name=foo", "exit"]


def test_the_paste_completes_the_line_being_typed_and_a_last_piece_waits_at_the_prompt():
    got, _ = lines_run(f"Query{START}Zone\r\nQueryCluster\nQueryHo{END}st\r{START}exit{END}\r")
    assert got == ["QueryZone", "QueryCluster", "QueryHost", "exit"]


def test_a_one_line_paste_is_typed_text():
    got, _ = lines_run(f"{START}QueryZone name=a{END} limit=1\rexit\r")
    assert got == ["QueryZone name=a limit=1", "exit"]


def test_dropping_forgets_what_did_not_run():
    pasted = Pasted()
    assert pasted.add("a\nb\nc") is None and pasted.first() == "a"
    assert pasted.next_line() == "b"
    pasted.drop()
    assert pasted.next_line() is None and pasted.take_rest() == ""
