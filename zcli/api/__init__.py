"""The HTTP side of zcli: a client for the ZStack REST API (transport, auth, retries, async jobs).

Nothing here prints; failures are raised as :mod:`zcli.errors` exceptions. ``requests`` is imported
only when the first request is sent, so that commands which never send stay fast.
"""
