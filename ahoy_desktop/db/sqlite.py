"""Everything SQLite-specific, in one place.

The models and queries stay portable; this module holds what only SQLite has:
the connection pragmas, the online backup, the integrity check, and the
bulk-insert fast path used by the sync's storage.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from peewee import SqliteDatabase

# SQLite allows 32766 variables per statement since 3.32; stay well under it.
MAX_VARIABLES = 30000

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",  # with WAL: durable at each checkpoint, consistent always
    "busy_timeout": 15000,  # the app and a scheduled `sync` may share a file
    "cache_size": -32000,
    "temp_store": "memory",
    # Deleted content is overwritten, on every platform's build: what a forgotten person wrote
    # must not linger in pages freed earlier (an edit, a search index merge).
    "secure_delete": 1,
}


def open_sqlite(path: str | Path) -> SqliteDatabase:
    """Open (creating if needed) a workspace file with the app's pragmas."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteDatabase(str(path), pragmas=PRAGMAS, check_same_thread=False)


def open_existing_sqlite(path: str | Path) -> SqliteDatabase:
    """Open a workspace file that must already exist: a reader elsewhere never creates one."""
    return SqliteDatabase(Path(path).resolve().as_uri() + "?mode=rw", uri=True, pragmas=PRAGMAS,
                          check_same_thread=False)


def chunk_size(columns: int) -> int:
    """Rows per multi-row INSERT that keep under SQLite's variable limit."""
    return max(1, MAX_VARIABLES // max(1, columns))


def backup_to(source: str | Path, target: str | Path) -> None:
    """Copy a live workspace with SQLite's online backup (safe during a sync)."""
    src = sqlite3.connect(str(source))
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def write_transaction(db):
    """A transaction that takes the write lock at once (BEGIN IMMEDIATE).

    The app and a scheduled sync may write the same file: taking the lock up
    front makes the other wait (busy timeout) instead of failing on a read
    that turns into a write, and lets ``bulk`` hand out new ids safely.
    """
    return db.atomic(lock_type="IMMEDIATE")
