"""A :class:`Command` → the HTTP request the ZStack REST API expects (method, path, query, body)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from zcli.catalog import COMMON_PARAMS, Api
from zcli.errors import UsageError
from zcli.grammar.parse import Command
from zcli.grammar.server_rules import condition_q, map_query_pairs
from zcli.record import Record

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_COMMON = {p.name for p in COMMON_PARAMS}


class Request(Record):
    """An HTTP request, relative to the API's base (``/zstack/v1``).

    Attributes:
        method: GET, POST, PUT or DELETE.
        path: the path with its parameters filled in, e.g. ``/vm-instances/UUID/actions``.
        query: the query-string pairs, in order (``q`` repeats, one per condition).
        body: the JSON body, or None.
        api: the API this request calls.
    """

    method: str
    path: str
    query: list[tuple[str, str]]
    body: dict[str, Any] | None
    api: Api


def condition_to_q(path: str, op: str, value: str) -> str:
    """The REST ``q=`` form of one condition (DESIGN.md §1)."""
    return condition_q(path, op, value)


def build_request(cmd: Command) -> Request:
    """Build the request for ``cmd``.

    Raises:
        UsageError: a path parameter is missing.
    """
    api = cmd.api
    if api.query:
        # A few queries carry a field in their path (/vm-instances/{vmInstanceUuid}/...): an equality
        # condition on that field fills it.
        equal = {c.path: c.value for c in cmd.conditions if c.op == "=" and c.value not in ("null", "")}
        return Request("GET", _fill(path_template(api, equal, (api.path,)), equal), _query_pairs(cmd), None, api)
    template = path_template(api, cmd.params)
    path = _fill(template, cmd.params)
    used = set(_PLACEHOLDER.findall(template))
    query: list[tuple[str, str]] = []
    body_params: dict[str, Any] = {}
    top: dict[str, Any] = {}
    for name, value in cmd.params.items():
        if name in used:
            continue
        param = api.param(name)
        where = param.location if param else ("query" if api.method in ("GET", "DELETE") else "body")
        if api.method in ("GET", "DELETE") or where == "query":
            if isinstance(value, dict) or (param is not None and param.kind == "map"):
                query.extend(map_query_pairs(name, value, f"{name}=...", collection=_map_of_lists(param)))
                continue
            query.extend((name, _query_text(v)) for v in (value if isinstance(value, list) else [value]))
        elif name in _COMMON:
            top[name] = value
        else:
            body_params[name] = value
    body = None
    if api.method in ("POST", "PUT"):
        body = {api.body_key: body_params} if api.body_key else dict(body_params)
        body.update(top)
    return Request(api.method, path, query, body, api)


def _map_of_lists(param) -> bool | None:
    """Whether a map parameter's values are collections (``Map<String, List<String>>``); None when unknown."""
    if param is None or "<" not in (param.type or ""):
        return None
    inner = param.type[param.type.index("<") + 1:-1]
    value_type = inner.split(",", 1)[1].strip().lower() if "," in inner else ""
    return value_type.startswith(("list", "set", "collection")) if value_type else None


def _query_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _query_pairs(cmd: Command) -> list[tuple[str, str]]:
    pairs = [("q", condition_to_q(c.path, c.op, c.value)) for c in cmd.conditions]
    pairs += cmd.options.pairs()
    return pairs


def path_template(api: Api, params: dict[str, Any], paths: tuple[str, ...] = ()) -> str:
    """The API's path, or the optional path, whose placeholders the given parameters fill best."""
    candidates = list(paths) or [api.path, *api.paths]
    filled = [t for t in candidates if all(n in params for n in _PLACEHOLDER.findall(t))]
    if filled:
        return max(filled, key=lambda t: len(_PLACEHOLDER.findall(t)))
    missing = [n for n in _PLACEHOLDER.findall(api.path) if n not in params]
    raise UsageError(f"{api.name}: missing {', '.join(n + '=...' for n in missing)} (part of the path)",
                     word=api.name)


def _fill(template: str, params: dict[str, Any]) -> str:
    """``template`` with each ``{name}`` replaced by ``params[name]``, URL-quoted.

    Raises:
        UsageError: a parameter is empty (it would make ``/zones//actions``, a path no server has).
    """
    def value(m: re.Match) -> str:
        text = str(params[m.group(1)])
        if not text.strip():
            raise UsageError(f"'{m.group(1)}=': {m.group(1)} needs a value (it is part of the path {template})",
                             word=f"{m.group(1)}=")
        return quote(text, safe="")

    return _PLACEHOLDER.sub(value, template)
