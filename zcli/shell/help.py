"""``help API``: an API's fields (queries) or parameters (other APIs) as a table, and its cross-table
names as a tree, rendered with rich at the terminal's width."""

from __future__ import annotations

from io import StringIO

from zcli.catalog import Api, Catalog
from zcli.grammar.operators import SPECIAL_KEYS

#: How deep the tree of cross-table names goes (deeper paths are still completed by Tab).
TREE_DEPTH = 2


def api_help(catalog: Catalog, api: Api, *, width: int = 80, color: bool = False) -> str:
    """The help text of ``api``."""
    from rich.console import Console
    from rich.table import Table
    from rich.tree import Tree

    out = StringIO()
    console = Console(file=out, width=width, color_system="standard" if color else None, force_terminal=color,
                      highlight=False, soft_wrap=False)
    category, since, _, _ = catalog.api_summary(api.name)
    head = f"{api.name}  {api.method} {api.path}"
    about = " · ".join(p for p in (category, f"since {since}" if since else "", api.title or "") if p)
    console.print(head, markup=False)
    if about:
        console.print(about, markup=False)
    if api.query:
        inventory = api.inventory or ""
        table = Table(title=f"fields of {inventory}", title_justify="left", expand=False)
        for column in ("field", "type", "description", "since"):
            table.add_column(column, overflow="fold")
        for name, f in catalog.fields(inventory).items():
            if not f.hidden:
                table.add_row(name, f.type, f.desc or "", f.since or "")
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


def _tree(catalog: Catalog, inventory: str, tree, depth: int = 1, seen: tuple[str, ...] = ()):
    if inventory not in catalog.store.inventory_index:
        return tree
    for name, link in catalog.links(inventory).items():
        if link.hidden:
            continue
        node = tree.add(f"{name}. → {link.target}" if not link.value_field else f"{name} (values)")
        if depth < TREE_DEPTH and not link.value_field and link.target not in seen:
            _tree(catalog, link.target, node, depth + 1, (*seen, inventory))
    for name, alias in catalog.aliases(inventory).items():
        tree.add(f"{name}. = {alias.path}")
    return tree
