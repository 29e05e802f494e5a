"""``zcli help [TOPIC]``: the APIs by category, the APIs of a category or matching a word, or one API.

Plain text at a given width, from the catalogue alone (no network).
"""

from __future__ import annotations

import textwrap

from zcli.catalog import Catalog
from zcli.errors import UsageError

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
    low = topic.lower()
    for cat, names in cats.items():
        if cat.lower() == low:
            return _listing(catalog, f"APIs of {cat}", names, width)
    matches = [n for n in catalog.api_names if low in n.lower()]
    if matches:
        return _listing(catalog, f"APIs whose name holds '{topic}'", matches, width)
    catalog.api(topic)  # raises UsageError with did-you-mean suggestions
    raise UsageError(f"no API or category '{topic}'", word=topic)  # pragma: no cover


def _overview(catalog: Catalog, width: int) -> str:
    cats = catalog.categories()
    listing = ", ".join(f"{c} ({len(n)})" for c, n in sorted(cats.items(), key=lambda kv: kv[0].lower()))
    body = textwrap.fill(listing, width=width, initial_indent="  ", subsequent_indent="  ")
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
    if api.title:
        lines.append(f"  {api.title}")
    if api.since:
        lines.append(f"  since {api.since}; category {api.category}")
    if api.query and api.inventory:
        fields = catalog.fields(api.inventory)
        shown = [f for f in fields.values() if not f.hidden]
        lines.append(f"\nConditions on {api.inventory} ({len(shown)} fields; dotted paths reach linked "
                     "resources, e.g. zone.name=z1):")
        for f in shown:
            lines.append(_cut(f"  {f.name:<28}{f.kind:<10}{f.desc}", width))
        links = sorted(catalog.links(api.inventory))
        if links:
            lines.append(textwrap.fill("Links: " + ", ".join(links), width=width, subsequent_indent="  "))
        return "\n".join(lines)
    if api.params:
        lines.append("\nParameters (key=value):")
        for p in api.params:
            flags = "required" if p.required else ""
            extra = f" one of {','.join(map(str, p.values))}" if p.values else ""
            lines.append(_cut(f"  {p.name:<28}{p.kind:<8}{flags:<9}{p.desc}{extra}", width))
    return "\n".join(lines)


def _cut(line: str, width: int) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"
