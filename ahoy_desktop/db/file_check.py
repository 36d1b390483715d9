"""Look at a workspace file before opening it: damaged, too new, or fine.

A damaged file is never opened (SQLite would fail later, in the middle of
a sync) and never deleted: it is moved aside, with its write-ahead log, so
whatever can be rescued from it still can be, and the user is offered the
newest backup or a fresh workspace. The schema version is read here too, so a
file from a newer version of the app can be refused before anything touches it.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

COMPANIONS = ("-wal", "-shm")  # SQLite's files beside a workspace in WAL mode


class WorkspaceCorrupt(Exception):
    """The file is not a readable workspace; it was moved to ``set_aside``."""

    def __init__(self, path: Path, set_aside: Path, problem: str):
        super().__init__(f"{path.name} is damaged ({problem}); it was moved to {set_aside.name}.")
        self.path = path
        self.set_aside = set_aside
        self.problem = problem


def stamp(now: datetime | None = None) -> str:
    """A UTC timestamp for file names, sorting in time order."""
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def inspect_workspace_file(path: Path) -> tuple[int, str | None]:
    """(schema version, problem or None) of an existing workspace file, read without changing it."""
    con = sqlite3.connect(str(path), timeout=15)
    try:
        rows = con.execute("PRAGMA quick_check").fetchall()
        if rows != [("ok",)]:
            return 0, "; ".join(str(r[0]) for r in rows[:3])
        has_info = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'workspace_info'"
                               ).fetchone()
        if not has_info:
            return 0, None
        row = con.execute("SELECT value FROM workspace_info WHERE key = 'schema_version'").fetchone()
        return (int(row[0]) if row else 0), None
    except sqlite3.OperationalError:
        raise  # locked, unreadable folder, no permission: a problem, but not a damaged file
    except (sqlite3.DatabaseError, ValueError) as exc:
        return 0, str(exc)
    finally:
        con.close()


def check_workspace_file(path: str | Path) -> int:
    """The schema version of the file at ``path`` (0 for a new one); raise WorkspaceCorrupt if damaged."""
    path = Path(path)
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return 0
    version, problem = inspect_workspace_file(path)
    if problem is not None:
        raise WorkspaceCorrupt(path, set_aside(path, "corrupt"), problem)
    return version


def set_aside(path: str | Path, reason: str, now: datetime | None = None) -> Path:
    """Move a workspace file and its companions to ``<name>.<reason>-<timestamp>``; never deletes."""
    path = Path(path)
    base = path.with_name(f"{path.name}.{reason}-{stamp(now)}")
    target, n = base, 1
    while target.exists():
        n += 1
        target = base.with_name(f"{base.name}-{n}")
    os.replace(path, target)
    for suffix in COMPANIONS:
        companion = Path(f"{path}{suffix}")
        if companion.exists():
            os.replace(companion, Path(f"{target}{suffix}"))
    return target
