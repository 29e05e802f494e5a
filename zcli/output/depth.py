"""Room on the Python stack for renderers that recurse once a level of a deeply nested reply.

A reply may nest :data:`zcli.limits.MAX_DEPTH` levels; PyYAML's representer takes several Python frames a
level, more than the interpreter's default recursion limit allows at that depth.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from zcli.limits import MAX_DEPTH

#: Python frames a level the deepest renderer (PyYAML) takes, with a margin.
FRAMES_PER_LEVEL = 8


def stack_depth() -> int:
    """The number of Python frames on the current thread's stack."""
    frame, depth = sys._getframe(), 0
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


@contextmanager
def deep_room(levels: int = MAX_DEPTH) -> Iterator[None]:
    """Within the block, room for ``levels`` levels of recursion at :data:`FRAMES_PER_LEVEL` frames each."""
    need = stack_depth() + levels * FRAMES_PER_LEVEL + 100
    old = sys.getrecursionlimit()
    if need > old:
        sys.setrecursionlimit(need)
    try:
        yield
    finally:
        if need > old:
            sys.setrecursionlimit(old)
