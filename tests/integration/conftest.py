"""Fixtures of the integration tests that several modules share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def _running_sim() -> Iterator:
    """A simulator in this process on a free loopback port, logged in as admin (stopped after the module)."""
    from tests.conftest import RunningSim, login
    from zcli.sim.server import start_in_thread

    handle = start_in_thread(port=0)
    running = RunningSim(handle.host, handle.port, handle=handle)
    running.session = login(running.api)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def client():
    """A simulator behind the API-name-level client of test_sim_crud."""
    from tests.integration.test_sim_crud import Client

    with _running_sim() as running:
        yield Client(running)


@pytest.fixture(scope="module")
def api():
    """A simulator behind :class:`tests.integration.simapi.Api` (APIs by name)."""
    from tests.integration.simapi import Api

    with _running_sim() as running:
        yield Api(running)


@pytest.fixture(scope="module")
def reported():
    """A simulator whose store a test may write what agents and other systems report
    (:func:`tests.integration.simapi.put`), then drive over HTTP: (Api, the simulator's writer)."""
    from tests.integration.simapi import Api

    with _running_sim() as running:
        yield Api(running), running.handle.simulator.writer
