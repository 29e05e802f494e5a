"""An API's parameters checked as the server's API layer checks them, before the API is carried out.

The rules are those of ``@APIParam`` as the server's validators apply them (``ApiMessageParamValidator``:
required, maxLength/minLength, validValues, validRegexValues, nonempty, null elements, emptyString,
numberRange; ``PortApiValidator``: a uuid of a ``resourceType`` names an existing resource of that type,
or, for deletes marked ``successIfResourceNotExisting``, the API succeeds doing nothing;
``ApiMediatorImpl``: a create's ``resourceUuid`` is a ZStack uuid). Values must also fit their Java type
(an Integer is a 32-bit int, a Long a 64-bit one), as the server's JSON decoding requires.
A failure is an ErrorCode: SYS.1007 for an invalid argument, SYS.1003 for a resource not found.
"""

from __future__ import annotations

import re

ZSTACK_UUID = re.compile(r"[0-9a-f]{8}[0-9a-f]{4}[1-5][0-9a-f]{3}[89ab][0-9a-f]{3}[0-9a-f]{12}")
_INT32 = ("int", "integer", "short", "byte")
_INT64 = ("long", "biginteger")
_FLOAT = ("float", "double", "bigdecimal", "number")
_RANGES = {"int": (-(1 << 31), (1 << 31) - 1), "long": (-(1 << 63), (1 << 63) - 1)}


class ParamError(Exception):
    """A parameter the server's API layer refuses: ``code`` (SYS.1007, SYS.1003) and details."""

    def __init__(self, code: str, details: str):
        super().__init__(details)
        self.code = code
        self.details = details


class Gone(Exception):
    """A ``successIfResourceNotExisting`` uuid names nothing: the API succeeds without doing anything."""


def _arg(details: str) -> ParamError:
    return ParamError("SYS.1007", details)


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 80 else f"{text[:77]}... ({len(text)} characters)"


def _java(value) -> str:
    """``value.toString()`` as Java writes it (``true``, not ``True``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _scalar_type(java: str) -> str:
    t = java.strip().lower()
    if t in _INT32:
        return "int"
    if t in _INT64:
        return "long"
    if t in _FLOAT:
        return "float"
    if t == "boolean":
        return "bool"
    if t.startswith(("list", "set", "collection")) or t.endswith("[]"):
        return "list"
    if t.startswith(("map", "hashmap", "linkedhashmap")):
        return "map"
    if t in ("string", "char", "character"):
        return "string"
    return "object"


def _typed(name: str, kind: str, value, from_query: bool):
    """``value`` as the Java type ``kind`` decodes it; ParamError when it cannot be one."""
    if kind in ("int", "long"):
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise _arg(f"field[{name}] must be an integer, but got {_short(value)}")
        if isinstance(value, str):
            text = value.strip()
            if not re.fullmatch(r"[+-]?\d{1,20}", text):
                raise _arg(f"field[{name}] must be an integer, but got {_short(value)}")
            value = int(text)
        elif not isinstance(value, (int, float)):
            raise _arg(f"field[{name}] must be an integer, but got {_short(value)}")
        low, high = _RANGES[kind]
        if not low <= int(value) <= high:
            raise _arg(f"field[{name}] is out of the range of a Java {kind}: {_short(value)}")
        return int(value)
    if kind == "float":
        if isinstance(value, str) and from_query:
            try:
                return float(value)
            except ValueError:
                raise _arg(f"field[{name}] must be a number, but got {_short(value)}") from None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _arg(f"field[{name}] must be a number, but got {_short(value)}")
        if abs(value) > 1.8e308:
            raise _arg(f"field[{name}] is out of the range of a Java double")
        return value
    if kind == "bool":
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if not isinstance(value, bool):
            raise _arg(f"field[{name}] must be a boolean (true or false), but got {_short(value)}")
        return value
    if kind == "string":
        if isinstance(value, (dict, list)):
            raise _arg(f"field[{name}] must be a string, but got a JSON {type(value).__name__}")
        return value
    if kind == "list":
        if isinstance(value, str) and from_query:
            return [v for v in value.split(",") if v]
        if not isinstance(value, list):
            raise _arg(f"field[{name}] must be a list, but got {_short(value)}")
        return value
    if kind == "map" and not isinstance(value, dict):
        raise _arg(f"field[{name}] must be a map, but got {_short(value)}")
    return value


def check_params(api, params: dict, exists, *, from_query: bool = False) -> None:
    """Check ``params`` (path variables included) against ``api``'s declared parameters.

    Args:
        api: the catalogue's API.
        params: the parameters as received.
        exists: ``exists(resource_type, uuid) -> bool | None``: whether a resource of that VO type exists
            (None when the simulator keeps no table for the type: not checked).
        from_query: the parameters came as a query string (GET/DELETE): scalars are text.

    Raises:
        ParamError: the first parameter the server would refuse.
        Gone: a ``successIfResourceNotExisting`` uuid names nothing (the API succeeds doing nothing).
    """
    message = f"API{api.name}Msg"
    for p in api.params:
        value = params.get(p.name)
        if value is None:
            if p.required:
                raise _arg(f"field[{p.name}] of message[{message}] is mandatory, can not be null")
            continue
        kind = _scalar_type(p.type)
        value = _typed(p.name, kind, value, from_query)
        if isinstance(value, str):
            if p.max_length is not None and len(value) > p.max_length:
                raise _arg(f"field[{p.name}] of message[{message}] exceeds max length of string. "
                           f"expected was <= {p.max_length}, actual was {len(value)}")
            if p.min_length and len(value) < p.min_length:
                raise _arg(f"field[{p.name}] of message[{message}] less than the min length of string. "
                           f"expected was >= {p.min_length}, actual was {len(value)}")
        items = value if isinstance(value, list) else [value]
        if p.values:
            allowed = [str(v) for v in p.values]
            for v in items:
                if _java(v) not in allowed:
                    raise _arg(f"valid value for field[{p.name}] of message[{message}] are {allowed}, "
                               f"but {_short(_java(v))} found")
        if p.regex and not isinstance(value, (list, dict)):
            try:
                matched = re.fullmatch(p.regex, _java(value))
            except re.error:  # a Java-only construct: not checked
                matched = True
            if not matched:
                raise _arg(f"valid regex value for field[{p.name}] of message[{message}] are {p.regex}, "
                           f"but {_short(value)} found")
        if isinstance(value, list):
            if p.nonempty and not value:
                raise _arg(f"field[{p.name}] must be a nonempty list")
            if any(v is None for v in value):
                raise _arg(f"field[{p.name}] cannot contain a NULL element")
        if p.no_empty:
            if value == "":
                raise _arg(f"field[{p.name}] cannot be an empty string")
            if isinstance(value, list) and "" in value:
                raise _arg(f"field[{p.name}] cannot contain any empty string")
        if p.range and isinstance(value, int) and not isinstance(value, bool):
            low, high = p.range
            if not low <= value <= high:
                raise _arg(f"field[{p.name}] must be in range of [{low}, {high}]")
        if p.resource:
            _check_resource(p, value, exists)
    uuid_ = params.get("resourceUuid")
    own = api.param("resourceUuid")  # a create's own uuid (a tag's resourceUuid names the tagged resource)
    asked = uuid_ is not None and own is not None and own.resource is None and api.method == "POST"
    if asked and (not isinstance(uuid_, str) or not ZSTACK_UUID.fullmatch(uuid_)):
        raise _arg(f"resourceUuid[{_short(uuid_)}] is not a valid uuid. A valid uuid is a UUID(v4 recommended) "
                   "with '-' stripped. see http://en.wikipedia.org/wiki/Universally_unique_identifier for format "
                   "of UUID, the regular expression uses to validate a UUID is "
                   "'[0-9a-f]{8}[0-9a-f]{4}[1-5][0-9a-f]{3}[89ab][0-9a-f]{3}[0-9a-f]{12}'")


def _check_resource(p, value, exists) -> None:
    if isinstance(value, list):
        missing = [v for v in value if isinstance(v, str) and exists(p.resource, v) is False]
        if missing:
            raise ParamError("SYS.1003", f"invalid field[{p.name}], resource[uuids:{missing}, type:{p.resource}] "
                                         "not found")
        return
    if not isinstance(value, str) or exists(p.resource, value) is not False:
        return
    if p.gone_ok:
        if not ZSTACK_UUID.fullmatch(value) and not re.fullmatch(r"[0-9a-f]{32}", value):
            raise ParamError("SYS.1003", f"invalid value[{_short(value)}] of field [{p.name}]")
        raise Gone(value)
    raise ParamError("SYS.1003",
                     f"invalid field[{p.name}], resource[uuid:{_short(value)}, type:{p.resource}] not found")
