"""Help: one model of each help page (:mod:`zcli.help.topics` builds it from the catalogue), rendered as
plain text (:mod:`zcli.help.plain`) or with rich (:mod:`zcli.help.rich`). Both faces use it: ``zcli help
TOPIC``, ``zcli API --help`` and the shell's ``help TOPIC`` print the same page.
"""

from __future__ import annotations

from zcli.help.model import Page


def render_help(page: Page, *, width: int, rich: bool = False, color: bool = False) -> str:
    """``page`` as text at ``width`` columns: with rich (a terminal) or plain (pipes and files)."""
    if rich:
        from zcli.help.rich import render_rich

        return render_rich(page, width, color=color)
    from zcli.help.plain import render_plain

    return render_plain(page, width)


def help_page(*args, **kwargs) -> Page:
    """See :func:`zcli.help.topics.help_page`."""
    from zcli.help.topics import help_page as build

    return build(*args, **kwargs)


def help_text(catalog, topic: str | None = None, *, width: int, rich: bool = False, color: bool = False,
              builtins=None) -> str:
    """The help page for ``topic`` rendered at ``width``: both faces call this (see
    :func:`zcli.help.topics.help_page` for the topics and the errors)."""
    return render_help(help_page(catalog, topic, builtins=builtins), width=width, rich=rich, color=color)
