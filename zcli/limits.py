"""The documented bounds on what zcli reads and waits for (README: "Limits").

Nothing a server sends, nor any input file, may make zcli wait forever or grow without bound: each
bound is named here, once, and the layers that enforce it import it.
"""

from __future__ import annotations

#: The largest reply body zcli reads, in bytes, after decompression (a gzip body inflating to a gigabyte
#: stops here). ``ZCLI_MAX_REPLY_MB`` raises it; a reply past it is refused (exit 3).
MAX_REPLY_BYTES = 256 * 1024 * 1024
#: The environment variable that sets :data:`MAX_REPLY_BYTES`, in megabytes (``0``: no limit).
MAX_REPLY_ENV = "ZCLI_MAX_REPLY_MB"
#: The deepest nesting of lists and maps a reply may have (the ZStack API's replies nest a few levels).
MAX_DEPTH = 512
#: The longest line of a batch file (``-f``) or of piped input, in characters.
MAX_LINE = 1024 * 1024
#: The longest ``--timeout`` or ``watch`` interval, in seconds (a week): beyond, timers overflow.
MAX_SECONDS = 7 * 24 * 3600.0
#: Without ``--timeout``: the longest wait to connect, for each read, and for one whole HTTP exchange
#: (connect, headers and body: a body trickling a byte a second stops here), in seconds.
CONNECT_SECONDS = 5.0
READ_SECONDS = 60.0
EXCHANGE_SECONDS = 300.0
#: Without ``--timeout``, when the server names no ``apiTimeout``: the longest wait for an async job.
JOB_SECONDS = 3 * 3600.0
#: Extra time allowed past the server's own ``apiTimeout`` for its reply to come (plus a tenth of it).
JOB_GRACE_SECONDS = 5.0
#: The widest completion candidate and label, in characters: a longer candidate is not offered, a longer
#: label is cut (a resource named with five megabytes must not make a Tab print gigabytes).
COMPLETION_WIDTH = 200
