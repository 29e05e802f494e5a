"""The embedded ZStack simulator: the REST API of a management node, served from SQLite.

``zcli sim`` runs it as a server (:mod:`zcli.sim.cli`); ``zcli --demo`` and the tests start it on a
background thread with :func:`zcli.sim.server.start_in_thread`. Everything it knows about the API
comes from the catalogue (:mod:`zcli.catalog`).
"""
