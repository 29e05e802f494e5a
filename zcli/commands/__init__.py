"""Running commands: words → grammar → API client → a :class:`Result`, shared by the one-shot CLI and the shell.

``execute(words, ctx)`` runs one command; ``iter_pages(words, ctx)`` runs a query page by page
(``--all``). Logging in and out keeps and forgets the session (see :mod:`zcli.sessions`).
"""

from zcli.commands.context import Context, Result
from zcli.commands.execute import execute, iter_pages

__all__ = ["Context", "Result", "execute", "iter_pages"]
