"""Look at a workspace file before opening it: damaged, too new, someone else's, or fine.

A damaged file is never opened (SQLite would fail later, in the middle of
a sync) and never deleted: it is moved aside, with its write-ahead log, so
whatever can be rescued from it still can be, and the user is offered the
newest backup or a fresh workspace. The schema version is read here too, so a
file from a newer version of the app can be refused before anything touches it,
and so can an SQLite database of another program.

How hard to look: SQLite's full ``integrity_check`` also compares every index
with its table, which is what catches most bytes flipped in the middle of a
file, but its cost grows with the activity table's indexes (about 6 s for 500k
activities here, 80 times a copy of the file). So a file gets it in full when
it is small, or when its last session did not end cleanly (SQLite deletes the
write-ahead log when the last connection closes; a log left over means a crash,
a kill or a power cut, or another process has the file open). A big file that
was closed cleanly gets the ``quick_check`` of its whole structure, plus the
full check of every table but the big ones, which is all the window reads at
once. Either way every text read at once is decoded, since no SQLite check
looks inside a text, and a damaged text would fail the window later.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

COMPANIONS = ("-wal", "-shm")  # SQLite's files beside a workspace in WAL mode
FULL_CHECK_BYTES = 16 * 1024 * 1024  # at most ~0.7 s of full check on the development machine
# Grown by every sync; their own full check is what makes the full check slow.
BIG_TABLES = ("activity", "request_log", "activity_fts_docsize", "activity_fts_data", "activity_fts_idx")
# The search indexes; SQLite's own checks do not look inside them. The members' one is read at once.
SEARCH_INDEXES = ("member_fts", "activity_fts")
SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26
_DAMAGE_PHRASES = ("database disk image is malformed", "file is not a database", "malformed database schema",
                   "could not decode to utf-8")


class WorkspaceCorrupt(Exception):
    """The file is not a readable workspace; it was moved to ``set_aside``."""

    def __init__(self, path: Path, set_aside: Path, problem: str):
        super().__init__(f"{path.name} is damaged ({problem}); it was moved to {set_aside.name}.")
        self.path = path
        self.set_aside = set_aside
        self.problem = problem


class NotAWorkspace(Exception):
    """An SQLite database of another program: refused, left exactly as it was."""

    def __init__(self, path: Path):
        super().__init__(f"{path.name} is an SQLite database of another program, not an Ahoy Desktop workspace; "
                         "it was left as it was.")
        self.path = path


def is_damage(error: BaseException | None) -> bool:
    """True when a database error means the file itself is damaged (not locked, not full, not a bug).

    peewee wraps SQLite's errors (the original is its first argument); a text
    that is not UTF-8 can only come from damage, since SQLite stores what it is given.
    """
    seen = 0
    while error is not None and seen < 5:
        seen += 1
        if isinstance(error, sqlite3.DatabaseError):
            if (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB):
                return True
            if any(phrase in str(error).lower() for phrase in _DAMAGE_PHRASES):
                return True
        inner = error.args[0] if error.args and isinstance(error.args[0], BaseException) else None
        error = inner or error.__cause__
    return False


def stamp(now: datetime | None = None) -> str:
    """A UTC timestamp for file names, sorting in time order."""
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def closed_cleanly(path: str | Path) -> bool:
    """No write-ahead log beside the file: its last connection closed (or it never used one)."""
    return not Path(f"{path}-wal").exists()


def needs_full_check(path: str | Path) -> bool:
    path = Path(path)
    return path.stat().st_size <= FULL_CHECK_BYTES or not closed_cleanly(path)


def inspect_workspace_file(path: Path, full: bool | None = None) -> tuple[int, str | None]:
    """(schema version, problem or None) of an existing workspace file, read without changing it.

    ``full`` forces the full check on or off; by default ``needs_full_check`` decides.
    """
    path = Path(path)
    full = needs_full_check(path) if full is None else full
    con = sqlite3.connect(str(path), timeout=15)
    try:
        problem = _structure_problem(con, full) or _search_index_problem(con, full) or _text_problem(con, full)
        if problem is not None:
            return 0, problem
        has_info = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'workspace_info'"
                               ).fetchone()
        if not has_info:
            return 0, None
        row = con.execute("SELECT value FROM workspace_info WHERE key = 'schema_version'").fetchone()
        return (int(row[0]) if row else 0), None
    except sqlite3.OperationalError as exc:
        if is_damage(exc):
            return 0, str(exc)
        raise  # locked, unreadable folder, no permission: a problem, but not a damaged file
    except (sqlite3.DatabaseError, ValueError) as exc:
        return 0, str(exc)
    finally:
        con.close()


def _problems(rows: list[tuple]) -> str | None:
    return None if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows[:3])


def _tables(con: sqlite3.Connection) -> list[tuple[str, bool]]:
    """(name, has a rowid) of the ordinary tables; a virtual table's rows live in its shadow tables, listed too."""
    found = []
    for name, sql in con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"):
        sql = " ".join((sql or "").upper().split())
        if not sql.startswith("CREATE VIRTUAL"):
            found.append((name, "WITHOUT ROWID" not in sql))
    return found


def _structure_problem(con: sqlite3.Connection, full: bool) -> str | None:
    if full:
        return _problems(con.execute("PRAGMA integrity_check(20)").fetchall())
    problem = _problems(con.execute("PRAGMA quick_check(20)").fetchall())
    if problem is not None:
        return problem
    for table, _rowid in _tables(con):
        if table not in BIG_TABLES:
            problem = _problems(con.execute(f'PRAGMA integrity_check("{table}")').fetchall())
            if problem is not None:
                return problem
    return None


def _search_index_problem(con: sqlite3.Connection, full: bool) -> str | None:
    """FTS5's own check of a search index against what it indexes; it changes nothing (rolled back)."""
    present = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for index in SEARCH_INDEXES if full else SEARCH_INDEXES[:1]:
        if index not in present:
            continue
        try:
            con.execute(f"""INSERT INTO "{index}" ("{index}") VALUES ('integrity-check')""")
        except sqlite3.DatabaseError as exc:
            if "readonly" in str(exc):
                return None  # a copy on read-only media: the rest of the check still holds
            if not is_damage(exc):
                raise
            return f"the search index {index}: {exc}"
        finally:
            con.rollback()
    return None


def _text_problem(con: sqlite3.Connection, full: bool) -> str | None:
    """The first text that is not UTF-8 (it would stop the window when read), or None."""
    queries = []
    for table, has_rowid in _tables(con):
        if full or table not in BIG_TABLES:
            columns = [row[1] for row in con.execute(f'PRAGMA table_info("{table}")')]
            # One text per row: '|' between values keeps a broken end from pairing with the next value's start.
            joined = " || '|' || ".join(f"""coalesce(CASE WHEN typeof("{c}") = 'text' THEN "{c}" END, '')"""
                                        for c in columns)
            queries.append((table, f'SELECT {"rowid" if has_rowid else "NULL"}, {joined} FROM "{table}"'))
    con.text_factory = bytes  # SQLite hands the bytes over as stored; decoding them is the check
    try:
        for table, sql in queries:
            for row_id, text in con.execute(sql):
                try:
                    text.decode("utf-8")
                except UnicodeDecodeError:
                    where = f"row {row_id} of {table}" if row_id is not None else f"a row of {table}"
                    return f"{where} holds text that is not UTF-8"
    finally:
        con.text_factory = str
    return None


def check_workspace_file(path: str | Path) -> int:
    """The schema version of the file at ``path`` (0 for a new one).

    Raises WorkspaceCorrupt if damaged (the file is then moved aside) and
    NotAWorkspace for another program's database (left untouched).
    """
    path = Path(path)
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return 0
    if _foreign(path):
        raise NotAWorkspace(path)
    version, problem = inspect_workspace_file(path)
    if problem is not None:
        raise WorkspaceCorrupt(path, set_aside(path, "corrupt"), problem)
    return version


def _foreign(path: Path) -> bool:
    """An SQLite file holding tables, none of them ``workspace_info``: another program's database.

    Read without a lock or a log of our own (``immutable``), so nothing is
    written beside it or into it; a log it already has is read too (``ro``).
    An unreadable file is left to the damage check.
    """
    mode = "mode=ro" if Path(f"{path}-wal").exists() else "immutable=1"
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True, timeout=15)
    except sqlite3.Error:
        return False
    try:
        names = {name for (name,) in con.execute("SELECT name FROM sqlite_master")}
    except (sqlite3.Error, ValueError):  # not SQLite, or a name that is not UTF-8
        return False
    finally:
        con.close()
    return bool(names) and "workspace_info" not in names


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
