"""zcli: an interactive shell and one-shot command line for the ZStack cloud REST API."""

__version__ = "0.1.0"
