"""Words → a validated :class:`Command`, checked against the catalogue before anything is sent."""

from __future__ import annotations

import re
from typing import Any

from zcli.catalog import COMMON_PARAMS, Api, Catalog, FieldKind
from zcli.catalog.errors import CatalogError
from zcli.errors import UsageError
from zcli.grammar.operators import OPERATORS_BY_KIND, SPECIAL_KEYS, TAG_KEYS, split_condition
from zcli.grammar.server_rules import check_typed_condition
from zcli.grammar.special import QueryOptions, SortDirection
from zcli.grammar.values import check_scalar, convert_param, hash_passwords, int_range, is_secret, parse_bool
from zcli.grammar.words import split_list
from zcli.record import Factory, Record
from zcli.secrets import MASK, looks_secret
from zcli.secrets.values import masked, part_spans
from zcli.secrets.words import word_secret_kinds

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
#: The largest limit= or start= (a Java Integer on the server).
INT_MAX = int_range("Integer")[1]
#: What a query with ``groupBy=`` is told (on stderr): ``RestServer.handleQueryApi`` sets it on the message, and
#: ``QueryFacadeImpl.queryUseZQL``, which every query goes through since ZQL (2018), never reads it.
GROUP_BY_NOTE = ("the server ignores groupBy (every query goes through ZQL, which does not read it): the rows "
                 "come back ungrouped; to count per group, send ZQL: zcli 'count vminstance group by state'")
#: Kinds of field a query cannot sort or group by.
NON_SCALAR_KINDS = (FieldKind.LIST, FieldKind.MAP, FieldKind.OBJECT)


class Condition(Record):
    """One query condition as typed: ``path``, operator, and value (``null`` for null tests)."""

    path: str
    op: str
    value: str


class Command(Record):
    """A parsed, validated command.

    Attributes:
        api: the API called.
        conditions: query conditions (query APIs only).
        options: the special query keys (limit, start, count, replyWithCount, sortBy, sortDirection,
            fields, groupBy, filterName) as typed values (:class:`~zcli.grammar.special.QueryOptions`).
        params: parameters of a non-query API, converted to their JSON values.
        secret_params: the names among ``params`` that hold secrets (never print, log or store them).
        notes: what the user should know although the command is sent (for stderr), e.g. that the server
            ignores ``groupBy``.
    """

    api: Api
    conditions: list[Condition] = Factory(list)
    options: QueryOptions = QueryOptions()
    params: dict[str, Any] = Factory(dict)
    secret_params: set[str] = Factory(set)
    notes: list[str] = Factory(list)


def parse_command(words: list[str], catalog: Catalog, *, validate: bool = True) -> Command:
    """Parse ``API key<op>value ...`` into a :class:`Command`.

    Args:
        words: the words of the line, the API name first.
        catalog: the catalogue to check against.
        validate: when False, names the catalogue does not know are let through (``--no-validate``);
            known names are still checked.

    Raises:
        UsageError: naming the offending word, with suggestions where one is close.
    """
    if not words:
        raise UsageError("nothing to run: type an API name, e.g. QueryVmInstance")
    try:
        api = catalog.api(words[0])
    except CatalogError as exc:  # the catalogue's own error, as the command line's
        raise UsageError.of(exc) from None
    cmd = Command(api)
    kinds = word_secret_kinds(words[1:])  # each word split at its operator, once for both uses
    apart = [kind for kind, _ in kinds]  # a secret typed apart from its key (password =PW) is never quoted back
    for i, (word, (_, parts)) in enumerate(zip(words[1:], kinds, strict=True)):
        if parts is None or not parts[0]:
            _refuse_apart(words[1:], apart, i)
            raise UsageError(f"'{word}' is not {_word_hint(catalog, api, word)}", word=word)
        try:
            if api.query:
                _add_query_word(cmd, catalog, word, *parts, validate=validate)
            else:
                _add_param_word(cmd, word, *parts, validate=validate)
        except UsageError as exc:
            raise _masked(exc, word, *parts, api) from None
    if not api.query:
        _check_required(cmd)
        hash_passwords(api.name, cmd.params)
    return cmd


def _refuse_apart(words: list[str], apart: list[str | None], i: int) -> None:
    """Raise the usage error for word ``i`` when it belongs to a secret typed apart from its key
    (``password =PW``, ``password= PW``, ``password = PW``), naming the key and never the value."""
    if not any(apart[i:i + 3]):
        return
    key = words[i]
    for word in reversed(words[:i + 1]):
        parts = split_condition(word)
        name = word if parts is None else parts[0]
        if name and looks_secret(name):
            key = name
            break
    raise UsageError(f"'{key}={MASK}': a value typed apart from its key; join them, with no space around the '='",
                     word=f"{key}={MASK}")


def _word_hint(catalog: Catalog, api: Api, word: str) -> str:
    """What a word without an operator should have been; a bare field name most likely lost its ``>``/``<``
    to the shell (``cpuNum>=4`` unquoted in bash redirects to a file named ``=4``)."""
    if not api.query:
        return "key=value"
    hint = "key<op>value, e.g. name=vm1 or cpuNum>=4"
    if api.inventory and word in catalog.fields(api.inventory):
        hint += (f"; if you typed {word}>... or {word}<..., the shell took > or < as a redirection:"
                 f" quote the word, e.g. '{word}>=4'")
    return hint


def _masked(exc: UsageError, word: str, key: str, op: str, value: str, api: Api) -> UsageError:
    """``exc`` with the value of ``word`` masked when its key holds a secret or is close to a secret name,
    or with the password of a URL's credentials masked, so that no face (shell, one-shot, batch) ever quotes
    a secret back."""
    if looks_secret(key):
        from zcli.secrets.redactor import mask_message  # an error path: the redactor stays off plain commands

        reason, shown = mask_message(exc.reason, word, key, value)
        return UsageError(reason, word=shown, suggestions=exc.suggestions)
    spans = part_spans(value, key)
    if not spans:
        return exc
    masked_value = masked(value, spans)
    shown = word[: len(word) - len(value)] + masked_value if word.endswith(value) else key + op + masked_value
    reason = exc.reason.replace(word, shown).replace(value, masked_value)
    for start, end in spans:  # a message may quote one item of a list
        reason = reason.replace(value[start:end], MASK)
    return UsageError(reason, word=shown, suggestions=exc.suggestions)


def _add_query_word(cmd: Command, catalog: Catalog, word: str, key: str, op: str, value: str,
                    *, validate: bool) -> None:
    inventory = cmd.api.inventory or ""
    if key in SPECIAL_KEYS:
        if op != "=":
            raise UsageError(f"'{word}': {key} takes '=', not '{op}'", word=word)
        if cmd.options.given(key):
            raise UsageError(f"'{word}': {key} is given twice", word=word)
        cmd.options = cmd.options.with_key(key, _special_value(catalog, inventory, word, key, value, validate))
        if key == "groupBy":
            cmd.notes.append(GROUP_BY_NOTE)
        return
    if key in TAG_KEYS:
        check_typed_condition(word, key, op, value)
        cmd.conditions.append(Condition(key, op, value))
        return
    try:
        resolved = catalog.resolve(inventory, key)
    except CatalogError as exc:
        if not validate:
            check_typed_condition(word, key, op, value)
            cmd.conditions.append(Condition(key, op, value))
            return
        specials = [k for k in (*SPECIAL_KEYS, *TAG_KEYS) if k.lower() == key.lower()]
        raise UsageError(f"'{word}': {exc.reason}", word=word, suggestions=specials + exc.suggestions) from None
    kind = resolved.field.kind
    if value == "null" and op in ("=", "!="):
        check_typed_condition(word, key, op, value)
        cmd.conditions.append(Condition(key, op, value))
        return
    allowed = OPERATORS_BY_KIND.get(kind, OPERATORS_BY_KIND["string"])
    if op not in allowed:
        raise UsageError(f"'{word}': operator '{op}' does not apply to {resolved.field.type} field '{key}'"
                         f" (use {' '.join(allowed)})", word=word)
    if kind == FieldKind.TIMESTAMP:
        from zcli.grammar.timestamps import to_server_timestamp

        value = to_server_timestamp(value, word)
    check_typed_condition(word, key, op, value)
    values = split_list(value) if op in ("?=", "!?=") else [value]
    if op in ("?=", "!?=") and not values:
        raise UsageError(f"'{word}': '{op}' needs a comma-separated list of values", word=word)
    for v in values:
        check_scalar(kind, v, word, resolved.field.type)
    cmd.conditions.append(Condition(key, op, value))


def _special_value(catalog: Catalog, inventory: str, word: str, key: str, value: str, validate: bool) -> Any:
    """The typed value of the special key ``key`` (see :class:`~zcli.grammar.special.QueryOptions`).

    Raises:
        UsageError: not a value of its kind, or (with ``validate``) a field the inventory does not have.
    """
    if key in ("limit", "start"):  # Java Integers on the server
        if not (value.isascii() and value.isdigit()) or int(value) > INT_MAX:
            raise UsageError(f"'{word}': {key} takes a whole number from 0 to {INT_MAX}", word=word)
        return int(value)
    if key in ("count", "replyWithCount"):
        return parse_bool(value, word)
    if key == "sortDirection":
        if value not in ("asc", "desc"):
            raise UsageError(f"'{word}': sortDirection is asc or desc", word=word)
        return SortDirection(value)
    names = split_list(value) if key == "fields" else [value]
    if key in ("sortBy", "fields", "groupBy") and validate and inventory:
        if not names:
            raise UsageError(f"'{word}': {key} needs a field name", word=word)
        fields = catalog.fields(inventory)
        scalar_only = key in ("sortBy", "groupBy")  # the server sorts and groups by a column, not a list
        for name in names:
            if name not in fields or fields[name].hidden:
                from difflib import get_close_matches

                close = get_close_matches(name, [n for n, f in fields.items() if not f.hidden], n=3)
                raise UsageError(f"'{word}': unknown field '{name}' of {inventory}", word=word, suggestions=close)
            if scalar_only and fields[name].kind in NON_SCALAR_KINDS:
                raise UsageError(f"'{word}': {key} takes a field holding one value; '{name}' is a "
                                 f"{fields[name].type}", word=word)
    if key == "fields":
        return tuple(dict.fromkeys(names))
    return value


def _add_param_word(cmd: Command, word: str, key: str, op: str, value: str, *, validate: bool) -> None:
    if op != "=":
        raise UsageError(f"'{word}': parameters take '=', not '{op}'", word=word)
    api = cmd.api
    if not value.strip() and key in path_params(api):  # sent, it would make /zones//actions: a wrong URL
        raise UsageError(f"'{word}': {key} needs a value (it is part of the path {api.path})", word=word)
    param = api.param(key) or next((p for p in COMMON_PARAMS if p.name == key), None)
    if param is None:
        if validate:
            from difflib import get_close_matches

            names = [p.name for p in api.params] + [p.name for p in COMMON_PARAMS]
            close = get_close_matches(key, names, n=3, cutoff=0.6)
            raise UsageError(f"'{word}': {api.name} has no parameter '{key}'", word=word, suggestions=close)
        cmd.params[key] = value
        return
    secret = is_secret(key)
    if key in cmd.params:
        shown = f"{key}=*****" if secret else word  # never quote a secret back (_masked hides URL passwords)
        raise UsageError(f"'{shown}': {key} is given twice", word=shown)
    try:
        cmd.params[key] = convert_param(api.name, param, value, word)
    except UsageError:
        if secret:  # the message would quote the secret: say less
            raise UsageError(f"{key}=*****: not a valid {param.type}", word=key) from None
        raise
    if secret:
        cmd.secret_params.add(key)


def path_params(api: Api) -> set[str]:
    """The names of the parameters that fill ``{placeholders}`` of any of the API's paths."""
    names = {p.name for p in api.params if p.location == "path"}
    for template in (api.path, *api.paths):
        names.update(_PLACEHOLDER.findall(template))
    return names


#: Required parameters zcli fills itself when left out: the session in use (commands.execute.run).
FILLED_BY_ZCLI = {("LogOut", "sessionUuid"), ("RenewSession", "sessionUuid")}


def _check_required(cmd: Command) -> None:
    missing = [p.name for p in cmd.api.params
               if p.required and p.name not in cmd.params and (cmd.api.name, p.name) not in FILLED_BY_ZCLI]
    if missing:
        raise UsageError(f"{cmd.api.name}: missing required parameter{'s' if len(missing) > 1 else ''} "
                         f"{', '.join(missing)}", word=cmd.api.name)
