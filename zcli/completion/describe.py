"""One line about the word under the cursor (an API, a field path, a parameter), for the shell's toolbar.

Pure, like the engine: the catalogue in, text out.
"""

from __future__ import annotations

from collections.abc import Mapping

from zcli.catalog import Catalog
from zcli.catalog.errors import CatalogError
from zcli.completion.suggestion import join_meta, short, since
from zcli.completion.words import split_words
from zcli.errors import UsageError
from zcli.grammar.operators import SPECIAL_KEYS, TAG_KEYS, split_condition


def describe(catalog: Catalog, text: str, builtins: Mapping[str, str] | None = None) -> str:
    """Describe the last word of ``text`` (the line up to the end of the word under the cursor).

    Args:
        catalog: the catalogue.
        text: the line up to the end of the word to describe.
        builtins: the shell's built-ins, name → help.

    Returns:
        e.g. ``QueryVmInstance: vm-instances · query VmInstanceInventory · since 0.6`` or
        ``vmNics.l3Network.name: String · 资源名称 · since 0.6``; empty when there is nothing to say.
    """
    builtins = builtins or {}
    words, current = split_words(text)
    names = [w.value for w in words] + ([current.value] if current.raw else [])
    if names[:1] == ["watch"] and len(names) > 2:
        names = names[2:]
    if not names:
        return ""
    head = names[0]
    if len(names) == 1:
        return _describe_api(catalog, head) or (f"{head}: {builtins[head]}" if head in builtins else "")
    if not catalog.has_api(head):
        return ""
    api = catalog.api(head)
    word = names[-1]
    parts = split_condition(word)
    key = parts[0] if parts else word
    if api.query:
        if key in SPECIAL_KEYS:
            return f"{key}: {SPECIAL_KEYS[key]}"
        if key in TAG_KEYS:
            return f"{key}: {TAG_KEYS[key]}"
        try:
            resolved = catalog.resolve(api.inventory or "", key)
        except (UsageError, CatalogError):
            return ""
        f = resolved.field
        return f"{key}: " + join_meta(f.type, short(f.desc, 80), since(f.since),
                                      f"on {resolved.inventory}" if resolved.hops else "")
    param = api.param(key)
    if param is None:
        return ""
    values = f"one of {', '.join(map(str, param.values))}" if param.values else ""
    return f"{key}: " + join_meta("required" if param.required else "optional", param.type, values,
                                  short(param.desc, 80), since(param.since))


def _describe_api(catalog: Catalog, name: str) -> str:
    if not catalog.has_api(name):
        return ""
    category, version, is_query, inventory = catalog.api_summary(name)
    return f"{name}: " + join_meta(category, f"query {inventory}" if is_query else "", since(version))
