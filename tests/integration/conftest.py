"""Fixtures of the integration tests that several modules share."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def client():
    """A simulator in this process, logged in, behind the API-name-level client of test_sim_crud."""
    from tests.conftest import RunningSim, login
    from tests.integration.test_sim_crud import Client
    from zcli.sim.server import start_in_thread

    handle = start_in_thread(port=0)
    running = RunningSim(handle.host, handle.port, handle=handle)
    running.session = login(running.api)
    yield Client(running)
    running.stop()


@pytest.fixture(scope="module")
def api():
    """A simulator in this process, logged in, behind :class:`tests.integration.simapi.Api` (APIs by name)."""
    from tests.conftest import RunningSim, login
    from tests.integration.simapi import Api
    from zcli.sim.server import start_in_thread

    handle = start_in_thread(port=0)
    running = RunningSim(handle.host, handle.port, handle=handle)
    running.session = login(running.api)
    yield Api(running)
    running.stop()


@pytest.fixture(scope="module")
def reported():
    """A simulator in this process whose store a test may write what agents and other systems report
    (:func:`tests.integration.simapi.put`), then drive over HTTP: (Api, the simulator's writer)."""
    from tests.conftest import RunningSim, login
    from tests.integration.simapi import Api
    from zcli.sim.server import start_in_thread

    handle = start_in_thread(port=0)
    running = RunningSim(handle.host, handle.port, handle=handle)
    running.session = login(running.api)
    yield Api(running), handle.simulator.writer
    running.stop()
