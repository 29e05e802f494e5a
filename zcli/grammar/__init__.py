"""The command grammar: words → a validated command → an HTTP request. Pure functions, no I/O."""

from zcli.grammar.parse import COMMON_PARAMS, Command, Condition, parse_command
from zcli.grammar.request import Request, build_request, condition_to_q
from zcli.grammar.words import split_line, split_list

__all__ = ["COMMON_PARAMS", "Command", "Condition", "Request", "build_request", "condition_to_q", "parse_command",
           "split_line", "split_list"]
