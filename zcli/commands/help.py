"""Help from the catalogue alone (no network), at a given width.

``zcli help [TOPIC]`` (:func:`help_text`): plain text, the APIs by category, the APIs of a category or
matching a word, or one API. The shell's ``help`` (:func:`api_list`, :func:`api_help`): every API name
by category, and one API's fields or parameters as rich tables with its cross-table names as a tree.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from io import StringIO

from zcli.catalog import Api, Catalog
from zcli.errors import UsageError
from zcli.grammar.operators import SPECIAL_KEYS

#: How deep the shell help's tree of cross-table names goes (deeper paths are still completed by Tab).
TREE_DEPTH = 2

INTRO = """\
Usage: zcli [OPTIONS] API [ARG ...]     one command (zcli --help lists the options)
       zcli                              the interactive shell (Tab completes APIs, fields and values)
       zcli help CATEGORY|WORD|API       the APIs of a category, the APIs whose name holds WORD, one API

Arguments: queries take conditions such as name~=web cpuNum>=4 state?=Running,Stopped and
limit= start= sortBy= sortDirection= fields= count=true; other APIs take key=value parameters."""


def help_text(catalog: Catalog, topic: str | None = None, width: int = 100) -> str:
    """The help for ``topic``: None for the overview.

    Raises:
        UsageError: nothing matches ``topic``.
    """
    if not topic:
        return _overview(catalog, width)
    if catalog.has_api(topic):
        return _api(catalog, topic, width)
    cats = catalog.categories()
    if topic in cats:  # exact: "Vm" is a word of many API names, not the category "VM"
        return _listing(catalog, f"APIs of {topic}", cats[topic], width)
    low = topic.lower()
    sections = [_listing(catalog, f"APIs of {cat}", names, width) for cat, names in cats.items() if cat.lower() == low]
    matches = [n for n in catalog.api_names if low in n.lower()]
    if matches:
        sections.append(_listing(catalog, f"APIs whose name holds '{topic}'", matches, width))
    if sections:
        return "\n\n".join(sections)
    catalog.api(topic)  # raises UsageError with did-you-mean suggestions
    raise UsageError(f"no API or category '{topic}'", word=topic)  # pragma: no cover


def _overview(catalog: Catalog, width: int) -> str:
    cats = catalog.categories()
    listing = ", ".join(f"{c} ({len(n)})" for c, n in sorted(cats.items(), key=lambda kv: kv[0].lower()))
    # Category names hold hyphens (pci-device-specs): never break a name there.
    body = textwrap.fill(listing, width=width, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False)
    return (f"{INTRO}\n\n{len(catalog.api_names)} APIs in {len(cats)} categories "
            f"(zcli help CATEGORY lists one):\n{body}")


def _listing(catalog: Catalog, heading: str, names, width: int) -> str:
    names = sorted(names)
    pad = max(len(n) for n in names) + 2
    lines = [f"{heading}:"]
    for name in names:
        api = catalog.api(name)
        title = (api.title or "").split("(")[0].strip()
        lines.append(_cut(f"  {name.ljust(pad)}{api.method:<7}{title}", width))
    return "\n".join(lines)


def _api(catalog: Catalog, name: str, width: int) -> str:
    api = catalog.api(name)
    lines = [f"{api.name}: {api.method} /v1{api.path}" + ("" if api.sync else "  (async: polled to the end)")]
    if api.title and api.title != api.name:  # many titles are the API name again
        lines.append(f"  {api.title}")
    if api.since:
        lines.append(f"  since {api.since}; category {api.category}")
    if api.query and api.inventory:
        shown = _query_fields(catalog, api.inventory)
        example = link_example(catalog, api.inventory)
        reach = f"; dotted paths reach linked resources, e.g. {example}" if example else ""
        lines.append(f"\nConditions on {api.inventory} ({len(shown)} fields{reach}):")
        for name, kind, desc in shown:
            lines.append(_cut(f"  {name:<28}{kind:<10}{desc}", width))
        tree = [_cut("  " + "  " * depth + text, width) for depth, text in link_lines(catalog, api.inventory)]
        if tree:
            lines += [f"\nCross-table names of {api.inventory} (Tab completes deeper paths):", *tree]
        return "\n".join(lines)
    if api.params:
        lines.append("\nParameters (key=value):")
        for p in api.params:
            flags = "required" if p.required else ""
            extra = f" one of {','.join(map(str, p.values))}" if p.values else ""
            lines.append(_cut(f"  {p.name:<28}{p.kind:<8}{flags:<9}{p.desc}{extra}", width))
    return "\n".join(lines)


def _query_fields(catalog: Catalog, inventory: str) -> list[tuple[str, str, str]]:
    """(name, kind, description) of the fields a query of ``inventory`` can name: its visible fields, and
    its collections of primitive values (``L3NetworkInventory.dns``), which a user sees as fields too."""
    rows = [(f.name, f.kind, f.desc or "") for f in catalog.fields(inventory).values() if not f.hidden]
    have = {name for name, _, _ in rows}
    for link in catalog.links(inventory).values():
        if link.value_field and not link.hidden and link.name not in have:
            rows.append((link.name, "list", ""))
    return rows


def _links(catalog: Catalog, inventory: str) -> list:
    """The links of ``inventory`` a user follows with a dot (not hidden, not collections of values)."""
    if inventory not in catalog.store.inventory_index:
        return []
    return [link for link in catalog.links(inventory).values() if not link.hidden and not link.value_field]


def link_lines(catalog: Catalog, inventory: str, depth: int = 0, seen: tuple[str, ...] = ()):
    """(depth, text) of the cross-table names of ``inventory``, :data:`TREE_DEPTH` levels deep, as a tree."""
    for link in _links(catalog, inventory):
        yield depth, f"{link.name}. → {link.target}"
        if depth + 1 < TREE_DEPTH and link.target not in seen:
            yield from link_lines(catalog, link.target, depth + 1, (*seen, inventory))
    if inventory in catalog.store.inventory_index:
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


def _cut(line: str, width: int) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


# --- the shell's help ------------------------------------------------------------------------------------
def api_list(catalog: Catalog, width: int, builtins: Mapping[str, str]) -> str:
    """Every API, grouped by category, the names set in columns, after the shell's ``builtins``."""
    fit = max(width, 20)
    lines = [*textwrap.wrap("Built-ins: " + ", ".join(builtins), width=fit, subsequent_indent="  "),
             *textwrap.wrap("Type 'help API' for an API's fields or parameters; Tab completes.", width=fit), ""]
    for category, names in catalog.categories().items():
        lines.append(f"{category} ({len(names)})")
        lines += textwrap.wrap("  ".join(names), width=max(width - 2, 20), initial_indent="  ",
                               subsequent_indent="  ", break_on_hyphens=False)
    return "\n".join(lines) + "\n"


def api_help(catalog: Catalog, api: Api, *, width: int = 80, color: bool = False) -> str:
    """The shell's help text of ``api``: its fields (queries) or parameters as a table."""
    from rich.console import Console
    from rich.table import Table
    from rich.tree import Tree

    out = StringIO()
    console = Console(file=out, width=width, color_system="standard" if color else None, force_terminal=color,
                      highlight=False, soft_wrap=False)
    category, since, _, _ = catalog.api_summary(api.name)
    head = f"{api.name}  {api.method} {api.path}"
    title = api.title if api.title != api.name else ""
    about = " · ".join(p for p in (category, f"since {since}" if since else "", title or "") if p)
    console.print(head, markup=False)
    if about:
        console.print(about, markup=False)
    if api.query:
        inventory = api.inventory or ""
        table = Table(title=f"fields of {inventory}", title_justify="left", expand=False)
        for column in ("field", "type", "description", "since"):
            table.add_column(column, overflow="fold")
        fields = catalog.fields(inventory)
        for name, kind, desc in _query_fields(catalog, inventory):
            f = fields.get(name)
            table.add_row(name, f.type if f else kind, desc, (f.since if f else "") or "")
        console.print(table)
        console.print(_tree(catalog, inventory, Tree(f"cross-table names of {inventory}")))
        console.print("special keys: " + ", ".join(SPECIAL_KEYS), markup=False)
    else:
        table = Table(title="parameters (* required)", title_justify="left", expand=False)
        for column in ("parameter", "type", "values", "description", "since"):
            table.add_column(column, overflow="fold")
        for p in sorted(api.params, key=lambda p: not p.required):
            table.add_row(("* " if p.required else "  ") + p.name, p.type, ", ".join(map(str, p.values)),
                          p.desc or "", p.since or "")
        console.print(table)
    return out.getvalue()


def _tree(catalog: Catalog, inventory: str, tree):
    """``tree`` with the cross-table names of ``inventory`` added (:func:`link_lines`)."""
    nodes = {-1: tree}
    for depth, text in link_lines(catalog, inventory):
        nodes[depth] = nodes[depth - 1].add(text)
    return tree
