"""The terminal tests' shared fixture: the real shell under a pseudo-terminal, at its first prompt."""

from __future__ import annotations

import pytest

from tests.terminal.screen import Terminal


@pytest.fixture
def term(tmp_path):
    """A shell (``zcli --demo`` under a pty, see :class:`tests.terminal.screen.Terminal`) showing ``zcli>``."""
    t = Terminal(tmp_path)
    t.wait_for("zcli>")
    yield t
    t.close()
