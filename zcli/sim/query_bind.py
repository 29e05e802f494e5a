"""The parameters of a GET or DELETE, read from its query string as the server's RestServer binds them.

Facts from ``rest/.../RestServer.java`` (``handleApi`` for GET/DELETE, ``normalizeCollectionParameters``,
``Api.mapQueryParameterToApiFieldValue`` and ``Api.queryParameterToApiFieldValue``):

* the query pairs are grouped by name (``getParameterMap``: every value of a repeated name, in order);
* ``name.N`` with an integer ``N`` is an item of the list ``name``, in the order of ``N``;
* any other ``name.key`` is the entry ``key`` of the map ``name`` (the name is cut at its dots: ``a.b.c`` is key
  ``b``, and two names giving the same key are a 400). A map whose values are collections
  (``Map<String, List<String>>``) takes every value of the pair, any other map exactly one;
* a collection parameter takes every value of its name (a comma is no separator), any other parameter
  exactly one: several values of a single-valued parameter are a 400;
* a name the API does not declare is ignored (the server logs it and goes on).

:func:`bind_query` returns the parameters or raises :class:`BadQueryParameter` with the server's text.
"""

from __future__ import annotations

from zcli.catalog.model import COMMON_PARAMS


class BadQueryParameter(Exception):
    """A query string the server answers with HTTP 400; the message is the server's text."""


def _collection(type_: str) -> bool:
    return type_.split("<", 1)[0].strip().lower() in ("list", "set", "collection", "arraylist", "hashset")


def _map_of_collections(type_: str) -> bool:
    """Whether a ``Map<K, V>`` parameter's values are collections."""
    if "<" not in type_ or "," not in type_:
        return False
    return _collection(type_[type_.index("<") + 1:-1].split(",", 1)[1].strip())


def bind_query(api, pairs: list[tuple[str, str]]) -> dict:
    """``api``'s parameters from the decoded query ``pairs`` of a GET or DELETE (see the module's rules)."""
    declared = {p.name: p for p in (*api.params, *COMMON_PARAMS)}
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    indexed: dict[str, list[tuple[int, str]]] = {}
    for name in list(grouped):
        if "." not in name:
            continue
        head, key = name.split(".")[:2]
        try:
            index = int(key)
        except ValueError:
            continue
        indexed.setdefault(head, []).append((index, grouped.pop(name)[0]))
    for head, items in indexed.items():
        grouped[head] = [v for _, v in sorted(items, key=lambda item: item[0])]
    out: dict = {}
    for name, values in grouped.items():
        if "." in name:
            head, key = name.split(".")[:2]
            param = declared.get(head)
            if param is None:
                continue  # unknown map query parameter: ignored
            entries = out.setdefault(head, {})
            if not isinstance(entries, dict):
                continue
            if key in entries:
                raise BadQueryParameter(f"duplicate map query parameter[{name}], there has been a parameter "
                                        "with the same map key")
            if _map_of_collections(param.type):
                entries[key] = list(values)
            else:
                if len(values) > 1:
                    raise BadQueryParameter(f"Invalid query parameter[{name}], only one value is allowed for the "
                                            "parameter but multiple values found")
                entries[key] = values[0]
            continue
        param = declared.get(name)
        if param is None:
            continue  # unknown query parameter: ignored
        if _collection(param.type):
            out[name] = list(values)
        elif len(values) > 1:
            raise BadQueryParameter(f"Invalid query parameter[{name}], only one value is allowed for the parameter "
                                    "but multiple values found")
        else:
            out[name] = values[0]
    return out
