"""Help pages from the catalogue alone (no network): the overview, a category, a word, one API.

``zcli help [TOPIC]``, ``zcli API --help`` and the shell's ``help [TOPIC]`` all come here, so the two
faces say the same thing (the same route, the same fields); only the overview's first lines, which say
how to use the face, differ.
"""

from __future__ import annotations

from collections.abc import Mapping

from zcli.catalog import Api, Catalog
from zcli.errors import UsageError
from zcli.grammar.operators import SPECIAL_KEYS
from zcli.help.model import Columns, Heading, Page, Para, Tree

#: How deep the tree of cross-table names goes (deeper paths are still completed by Tab).
TREE_DEPTH = 2

ONESHOT_USAGE = (
    "Usage: zcli [OPTIONS] API [ARG ...] runs one command (zcli --help lists the options); zcli alone opens "
    "the interactive shell, where Tab completes APIs, fields and values. zcli help CATEGORY|WORD|API shows "
    "the APIs of a category, the APIs whose name holds WORD, or one API (as zcli API --help does).")
SHELL_USAGE = (
    "Type an API and its arguments (Tab completes APIs, fields, operators and values). help CATEGORY|WORD|API "
    "shows the APIs of a category, the APIs whose name holds WORD, or one API; help BUILTIN one built-in.")
ARGUMENTS = ("Arguments: queries take conditions such as name~=web cpuNum>=4 state?=Running,Stopped and "
             "limit= start= sortBy= sortDirection= fields= count=true; other APIs take key=value parameters.")


def route(api: Api) -> str:
    """The API's method and REST path as the server serves it: ``GET /v1/zones``."""
    return f"{api.method} /v1{api.path}"


def help_page(catalog: Catalog, topic: str | None = None, *, builtins: Mapping[str, str] | None = None) -> Page:
    """The help page for ``topic``: None for the overview.

    Args:
        catalog: the catalogue.
        topic: an API, a category, a word of API names, a built-in (the shell's), or None.
        builtins: the shell's built-ins and what each does; None in the one-shot face.

    Raises:
        UsageError: nothing matches ``topic`` (with did-you-mean suggestions for an API name).
    """
    if not topic:
        return _overview(catalog, builtins)
    if builtins and topic in builtins:
        return Page((Para(f"{topic}: {builtins[topic]}"),))
    if catalog.has_api(topic):
        return api_page(catalog, catalog.api(topic))
    cats = catalog.categories()
    if topic.lower() == "zql":  # the language, then the category's APIs
        from zcli.help.zql import zql_page

        return Page((*zql_page(catalog).blocks, *((_listing(catalog, "APIs of zql", cats["zql"]),)
                                                  if "zql" in cats else ())))
    if topic in cats:  # exact: "Vm" is a word of many API names, not the category "VM"
        return Page((_listing(catalog, f"APIs of {topic}", cats[topic]),))
    low = topic.lower()
    blocks = []
    if topic == low:  # a ZQL entity (vminstance): its fields and links, then the APIs holding the word
        from zcli.help.zql import entity_page

        entity = entity_page(catalog, topic)
        blocks = list(entity.blocks) if entity is not None else []
    blocks += [_listing(catalog, f"APIs of {cat}", names) for cat, names in cats.items() if cat.lower() == low]
    matches = [n for n in catalog.api_names if low in n.lower()]
    if matches:
        blocks.append(_listing(catalog, f"APIs whose name holds '{topic}'", matches))
    if blocks:
        return Page(tuple(blocks))
    from zcli.catalog import CatalogError

    try:
        catalog.api(topic)
    except CatalogError as exc:  # the catalogue's own error (did-you-mean included), as the command line's
        raise UsageError.of(exc) from None
    raise UsageError(f"no API or category '{topic}'", word=topic)  # pragma: no cover


def _overview(catalog: Catalog, builtins: Mapping[str, str] | None) -> Page:
    cats = catalog.categories()
    # A no-break space binds each category to its count: "appcenter (22)" is never split over two lines.
    listing = ", ".join(f"{c}\u00a0({len(n)})" for c, n in sorted(cats.items(), key=lambda kv: kv[0].lower()))
    blocks = [Para(SHELL_USAGE if builtins is not None else ONESHOT_USAGE), Para(ARGUMENTS)]
    if builtins:
        blocks.append(Columns("Built-ins", None, tuple((name, text.removeprefix("shell: "))
                                                         for name, text in builtins.items())))
    blocks += [Para(f"{len(catalog.api_names)} APIs in {len(cats)} categories (help CATEGORY lists one):"),
               Para(listing)]
    return Page(tuple(blocks))


def _listing(catalog: Catalog, title: str, names) -> Columns:
    rows = []
    for name in sorted(names):
        api = catalog.api(name)
        about = (api.title or "").split("(")[0].strip()
        rows.append((name, api.method, "" if about == name else about))
    return Columns(title, None, tuple(rows))


def api_page(catalog: Catalog, api: Api) -> Page:
    """One API: its route, what it is, and its query fields (with the cross-table names) or parameters."""
    blocks: list = [Heading(f"{api.name}: {route(api)}" + ("" if api.sync else " (async: polled to the end)"))]
    about = [p for p in (api.title if api.title and api.title != api.name else "",  # many titles repeat the name
                         f"category {api.category}" if api.category else "", f"since {api.since}" if api.since else "")
             if p]
    if about:
        blocks.append(Para("; ".join(about)))
    if api.query and api.inventory:
        inventory = api.inventory
        shown = query_fields(catalog, inventory)
        example = link_example(catalog, inventory)
        reach = f"; dotted paths reach linked resources, e.g. {example}" if example else ""
        blocks.append(Columns(f"Conditions on {inventory} ({len(shown)} fields{reach})",
                              ("field", "type", "description"), tuple(shown)))
        blocks.append(Tree(f"Cross-table names of {inventory} (Tab completes deeper paths)",
                           tuple(link_lines(catalog, inventory))))
        blocks.append(Para("Special keys: " + ", ".join(SPECIAL_KEYS)))
    elif api.params:
        rows = []
        for p in sorted(api.params, key=lambda p: not p.required):
            text = " ".join(t for t in ("required." if p.required else "", _sentence(p.desc),
                                        f"One of: {', '.join(map(str, p.values))}." if p.values else "",
                                        f"Since {p.since}." if p.since else "") if t)
            rows.append((p.name, p.type, text))
        blocks.append(Columns("Parameters (key=value)", ("parameter", "type", "description"), tuple(rows)))
        from zcli.secrets import is_secret, secret_help

        secret = [p.name for p in api.params if is_secret(p.name)]
        if secret:
            blocks.append(Para(secret_help(secret)))
    return Page(tuple(blocks))


def _sentence(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if not text or text.endswith((".", "。", "!", "?")) else text + "."


def query_fields(catalog: Catalog, inventory: str) -> list[tuple[str, str, str]]:
    """(name, type, description) of the fields a query of ``inventory`` can name: its visible fields, and
    its collections of primitive values (``L3NetworkInventory.dns``), which a user sees as fields too."""
    rows = []
    for f in catalog.fields(inventory).values():
        if not f.hidden:
            rows.append((f.name, f.type, " ".join(t for t in (_sentence(f.desc), f"Since {f.since}." if f.since else "")
                                                  if t)))
    have = {name for name, _, _ in rows}
    for link in catalog.links(inventory).values():
        if link.value_field and not link.hidden and link.name not in have:
            rows.append((link.name, "List", ""))
    return rows


def _links(catalog: Catalog, inventory: str) -> list:
    """The links of ``inventory`` a user follows with a dot (not hidden, not collections of values)."""
    if inventory not in catalog.inventory_names:
        return []
    return [link for link in catalog.links(inventory).values() if not link.hidden and not link.value_field]


def link_lines(catalog: Catalog, inventory: str, depth: int = 0, seen: tuple[str, ...] = ()):
    """(depth, text) of the cross-table names of ``inventory``, :data:`TREE_DEPTH` levels deep, as a tree."""
    for link in _links(catalog, inventory):
        yield depth, f"{link.name}. → {link.target}"
        if depth + 1 < TREE_DEPTH and link.target not in seen:
            yield from link_lines(catalog, link.target, depth + 1, (*seen, inventory))
    if inventory in catalog.inventory_names:
        for name, alias in catalog.aliases(inventory).items():
            yield depth, f"{name}. = {alias.path}"


def link_example(catalog: Catalog, inventory: str) -> str | None:
    """A condition through one of ``inventory``'s own links (``zone.name=z1``), or None when it has none."""
    for link in _links(catalog, inventory):
        fields = catalog.fields(link.target)
        for name in ("name", "uuid", *fields):
            f = fields.get(name)
            if f is not None and not f.hidden and f.kind == "string":
                return f"{link.name}.{name}={'NAME' if name == 'name' else 'VALUE'}"
    return None
