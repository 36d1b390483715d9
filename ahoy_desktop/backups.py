"""Copies of a workspace to go back to: daily, before a migration, or on request.

Backups live in a private ``backups`` folder beside the workspace, named
``<workspace name>.<kind>-<UTC time>.bak``; each is a complete, single-file
workspace. They are made with SQLite's online backup, so a sync writing at
the same moment is neither blocked nor copied half-done. One daily copy per
UTC day is kept for the last seven days; copies taken before a migration or
on request are kept apart and not counted. A "forget this person" is carried
into every copy too: a privacy request covers them.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QLockFile

from .db.file_check import COMPANIONS, inspect_workspace_file, set_aside, stamp
from .private_files import create_private_file, make_private, private_dir

log = logging.getLogger(__name__)

BACKUP_FOLDER = "backups"
DAILY = "daily"
MANUAL = "manual"
MIGRATION = "schema"  # followed by the version the file had, e.g. ``schema9``
KEEP_DAILY = 7

# One backup, restore or backup-cleaning of a workspace at a time, across
# processes: a daily copy that a scheduled ``sync`` starts just before the
# window's "forget" commits must not finish after the copies were cleaned.
_lock = threading.Lock()  # QLockFile is per process: threads of this one queue here first
PARTIAL_SUFFIX = ".part"  # a backup being written
RESTORING_SUFFIX = ".restoring"  # a backup being put in the workspace's place


def lock_path(workspace_path: str | Path) -> Path:
    return Path(f"{workspace_path}.backups.lock")


@contextmanager
def copies_locked(workspace_path: str | Path) -> Iterator[None]:
    """Hold the workspace's copies for this process alone (waits for another process to finish).

    QLockFile records the owner's pid and host, so a lock left by a killed
    process is taken over; the partial files such a process left are
    removed then too, since nobody is writing them any more.
    """
    with _lock:
        lock = QLockFile(str(lock_path(workspace_path)))
        lock.setStaleLockTime(0)  # stale only when its owner process is gone
        if not lock.lock():
            raise OSError(f"the backups of {Path(workspace_path).name} could not be locked ({lock.error()})")
        try:
            _remove_leftovers(Path(workspace_path))
            yield
        finally:
            lock.unlock()


def _remove_leftovers(workspace_path: Path) -> None:
    """Half-written copies from a copy that was killed: they hold member data and can never be restored."""
    folder = backups_dir(workspace_path)
    partial = re.compile(rf"^{re.escape(workspace_path.name)}\..+\.bak{re.escape(PARTIAL_SUFFIX)}$")
    leftovers = [p for p in folder.iterdir() if partial.match(p.name)] if folder.is_dir() else []
    leftovers.append(workspace_path.with_name(workspace_path.name + RESTORING_SUFFIX))
    for path in leftovers:
        if path.exists():
            log.info("removing %s, left by a copy that did not finish", path.name)
            path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Backup:
    path: Path
    kind: str  # DAILY, MANUAL or MIGRATION
    made_at: datetime
    schema: int | None = None  # for a migration backup: the version the file had


def backups_dir(workspace_path: str | Path) -> Path:
    return Path(workspace_path).parent / BACKUP_FOLDER


def _pattern(workspace_path: Path) -> re.Pattern:
    return re.compile(rf"^{re.escape(workspace_path.name)}\.(daily|manual|schema(\d+))-(\d{{8}}T\d{{6}}Z)(-\d+)?\.bak$")


def list_backups(workspace_path: str | Path) -> list[Backup]:
    """This workspace's backups, newest first."""
    workspace_path = Path(workspace_path)
    folder = backups_dir(workspace_path)
    if not folder.is_dir():
        return []
    pattern = _pattern(workspace_path)
    found = []
    for path in folder.iterdir():
        match = pattern.match(path.name)
        if match is None:
            continue
        kind, version, when, _n = match.groups()
        made_at = datetime.strptime(when, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        found.append(Backup(path, MIGRATION if version else kind, made_at, int(version) if version else None))
    return sorted(found, key=lambda b: (b.made_at, b.path.name), reverse=True)


def newest_backup(workspace_path: str | Path) -> Backup | None:
    backups = list_backups(workspace_path)
    return backups[0] if backups else None


def back_up_now(workspace_path: str | Path, *, kind: str = MANUAL, now: datetime | None = None) -> Path:
    """Copy the workspace (open or not, syncing or not) into its backups folder; return the copy."""
    workspace_path = Path(workspace_path)
    if not workspace_path.is_file():
        raise FileNotFoundError(f"no workspace at {workspace_path}")
    folder = private_dir(backups_dir(workspace_path))
    base = folder / f"{workspace_path.name}.{kind}-{stamp(now)}"
    target, n = base.with_name(base.name + ".bak"), 1
    while target.exists():
        n += 1
        target = base.with_name(f"{base.name}-{n}.bak")
    partial = target.with_name(target.name + PARTIAL_SUFFIX)
    with copies_locked(workspace_path):
        try:
            online_copy(workspace_path, partial)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return target


def online_copy(source: Path, target: Path) -> None:
    """SQLite's online backup into a new private single-file database (no write-ahead log)."""
    create_private_file(target)
    src = sqlite3.connect(str(source), timeout=15)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)  # one step: a consistent snapshot; WAL lets the sync keep writing meanwhile
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
        src.close()
    make_private(target)


def back_up_before_migration(workspace_path: str | Path, version: int, now: datetime | None = None) -> Path:
    return back_up_now(workspace_path, kind=f"{MIGRATION}{version}", now=now)


def daily_backup_due(workspace_path: str | Path, now: datetime | None = None) -> bool:
    """No daily copy yet on this UTC day (an empty or missing workspace needs none)."""
    workspace_path = Path(workspace_path)
    if not workspace_path.is_file() or workspace_path.stat().st_size == 0:
        return False
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    return not any(b.kind == DAILY and b.made_at.date() == today for b in list_backups(workspace_path))


def run_daily_backup(workspace_path: str | Path, now: datetime | None = None) -> Path | None:
    """Take today's copy if it is due, then keep only the newest seven daily ones (and no half-written one)."""
    now = now or datetime.now(UTC)
    made = back_up_now(workspace_path, kind=DAILY, now=now) if daily_backup_due(workspace_path, now) else None
    with copies_locked(workspace_path):  # checked at every open: what a killed copy left goes too
        prune_daily(workspace_path)
    return made


def prune_daily(workspace_path: str | Path, keep: int = KEEP_DAILY) -> list[Path]:
    """Delete daily copies beyond the newest ``keep``; other kinds are never pruned."""
    daily = [b for b in list_backups(workspace_path) if b.kind == DAILY]
    removed = []
    for backup in daily[keep:]:
        backup.path.unlink(missing_ok=True)
        removed.append(backup.path)
    return removed


def restore_backup(backup: Backup | Path, workspace_path: str | Path, now: datetime | None = None) -> Path | None:
    """Put a backup in the workspace's place (the workspace must be closed).

    The file it replaces is moved aside as ``<name>.replaced-<time>``, never
    deleted; that path is returned (None when there was no file).
    """
    source = backup.path if isinstance(backup, Backup) else Path(backup)
    workspace_path = Path(workspace_path)
    _version, problem = inspect_workspace_file(source)
    if problem is not None:
        raise ValueError(f"The backup {source.name} is damaged too ({problem}).")
    with copies_locked(workspace_path):
        replaced = set_aside(workspace_path, "replaced", now) if workspace_path.exists() else None
        for suffix in COMPANIONS:  # a stray log of the old file must not be replayed into the backup
            stray = Path(f"{workspace_path}{suffix}")
            if stray.exists():
                set_aside(stray, "replaced", now)
        partial = workspace_path.with_name(workspace_path.name + RESTORING_SUFFIX)
        try:
            online_copy(source, partial)
            os.replace(partial, workspace_path)
        finally:
            partial.unlink(missing_ok=True)
    return replaced


# -- forgetting a person in every copy ---------------------------------------------------


@dataclass(frozen=True)
class PersonToForget:
    """Who a "forget" removed, as a copy can recognise them.

    X user ids find them wherever they had an identity; a member id counts
    only together with the same first-seen time, since an id can be handed
    to someone else later.
    """

    x_user_ids: tuple[str, ...]
    members: tuple[tuple[int, str], ...]  # (member id, first_seen_at as stored)
    suppressed_at: str  # as stored


def copies_holding_workspace(workspace_path: str | Path) -> list[Path]:
    """Every copy of this workspace the app made or set aside: backups, replaced and damaged files."""
    workspace_path = Path(workspace_path)
    copies = [b.path for b in list_backups(workspace_path)]
    pattern = re.compile(rf"^{re.escape(workspace_path.name)}\.(replaced|corrupt)-\d{{8}}T\d{{6}}Z(-\d+)?$|"
                         rf"^{re.escape(workspace_path.name)}\.schema\d+\.bak$")
    copies += sorted(p for p in workspace_path.parent.iterdir() if pattern.match(p.name))
    return copies


def apply_forget_to_backups(workspace_path: str | Path, person: PersonToForget,
                            progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Remove the person from every copy of the workspace; return the copies that could not be cleaned.

    A damaged file set aside cannot always be edited; those are returned so
    the user can be told to delete them. ``progress(done, total)`` is told after each copy.
    """
    failed = []
    with copies_locked(workspace_path):  # also removes the partial copies a killed process left
        copies = copies_holding_workspace(workspace_path)
        for done, path in enumerate(copies, start=1):
            try:
                forget_in_copy(path, person)
            except sqlite3.Error as exc:
                log.warning("a person could not be removed from %s: %s", path.name, exc)
                failed.append(path)
            if progress is not None:
                progress(done, len(copies))
    return failed


def _tables(con: sqlite3.Connection) -> set[str]:
    return {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}


def _marks(values) -> str:
    return ", ".join("?" for _ in values)


def forget_in_copy(path: Path, person: PersonToForget) -> bool:
    """Delete the person from one copy, as in the workspace: secure delete overwrites what they left.

    Returns True if they were in it.
    """
    con = sqlite3.connect(str(path), timeout=15, isolation_level=None)
    try:
        con.execute("PRAGMA foreign_keys = ON")  # every per-member table cascades from "member"
        con.execute("PRAGMA secure_delete = ON")
        tables = _tables(con)
        if "member" not in tables:
            return False
        con.execute("BEGIN IMMEDIATE")
        try:
            member_ids = _members_in_copy(con, person, tables)
            _delete_members(con, member_ids, set(person.x_user_ids), tables)
            if person.x_user_ids and "suppressed_x_user" in tables:
                con.executemany('INSERT OR IGNORE INTO "suppressed_x_user" ("x_user_id", "suppressed_at") '
                                "VALUES (?, ?)", [(uid, person.suppressed_at) for uid in person.x_user_ids])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        if member_ids:  # fragments of their texts and posts leave both search indexes too
            for index in ("member_fts", "activity_fts"):
                if index in tables:
                    con.execute(f"INSERT INTO \"{index}\" (\"{index}\") VALUES ('optimize')")
    finally:
        con.close()
    make_private(path)
    return bool(member_ids)


def _members_in_copy(con: sqlite3.Connection, person: PersonToForget, tables: set[str]) -> set[int]:
    found: set[int] = set()
    if person.x_user_ids and "identity" in tables:
        found |= {m for (m,) in con.execute(f'SELECT "member_id" FROM "identity" WHERE "x_user_id" IN '
                                            f"({_marks(person.x_user_ids)})", person.x_user_ids)}
    for member_id, first_seen in person.members:
        row = con.execute('SELECT 1 FROM "member" WHERE "id" = ? AND "first_seen_at" = ?',
                          (member_id, first_seen)).fetchone()
        if row:
            found.add(member_id)
    return found


def _delete_members(con: sqlite3.Connection, member_ids: set[int], x_user_ids: set[str], tables: set[str]) -> None:
    """Delete members (their rows cascade), the merge records holding copies, and their ids in the request log."""
    ids = sorted(member_ids)
    post_ids: set[str] = set()
    if "activity" in tables:
        post_ids = {p for (p,) in con.execute(f'SELECT "post_id" FROM "activity" WHERE "member_id" IN ({_marks(ids)})',
                                              ids) if p}
    if "identity" in tables:
        x_user_ids = x_user_ids | {u for (u,) in con.execute(
            f'SELECT "x_user_id" FROM "identity" WHERE "member_id" IN ({_marks(ids)})', ids) if u}
    if "merge_record" in tables:  # undo records of merges into them hold copies of the absorbed
        survivors = ids
        while survivors:
            absorbed = [a for (a,) in con.execute(
                f'SELECT "absorbed_id" FROM "merge_record" WHERE "survivor_id" IN ({_marks(survivors)})', survivors)]
            con.execute(f'DELETE FROM "merge_record" WHERE "survivor_id" IN ({_marks(survivors)})', survivors)
            survivors = absorbed
    con.execute(f'DELETE FROM "member" WHERE "id" IN ({_marks(ids)})', ids)
    if "request_log" in tables:
        from .forget import scrub_request_log

        scrub_request_log(con.execute, x_user_ids | post_ids)
