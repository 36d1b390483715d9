"""One sync per account at a time, even across processes.

The app and a scheduled ``python main.py sync`` may share one workspace file.
QLockFile (QtCore, no GUI) records the owner's pid and host, so a lock left
by a killed process is recognised as stale and taken over.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QLockFile


class SyncBusy(Exception):
    """Another process (or thread) is syncing this account right now."""


BUSY_MESSAGE = "Another Ahoy Desktop window or a scheduled sync is already syncing this account."


_held_here: set[str] = set()
_held_guard = threading.Lock()


@contextmanager
def account_lock(db_path: str | Path, account_id: int):
    path = str(Path(f"{db_path}.sync-{account_id}.lock").resolve())
    with _held_guard:
        if path in _held_here:
            raise SyncBusy(BUSY_MESSAGE)
        _held_here.add(path)
    lock = QLockFile(path)
    lock.setStaleLockTime(0)  # stale only when its owner process is gone
    try:
        if not lock.tryLock(0):
            raise SyncBusy(BUSY_MESSAGE)
        try:
            yield
        finally:
            lock.unlock()
    finally:
        with _held_guard:
            _held_here.discard(path)
