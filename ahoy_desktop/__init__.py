"""Ahoy Desktop core: sync an X account's community into a local database.

Headless by design: nothing in this package imports Qt's widget or GUI modules, so the
command line, the tests and the sync worker run without a display.
"""

__version__ = "0.1.0"
