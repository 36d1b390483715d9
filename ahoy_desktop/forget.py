""""Forget this person": a privacy request, carried out in full.

The member and everything about them leaves the workspace: identities and
handle history, activities, custom values, tags, notes, scores and stage
history, dismissed duplicate pairs and the undo records of merges into them
(which hold copies). SQLite's secure delete overwrites the freed space, both
search indexes are merged (a deleted row's trigrams stay in older index
segments until then) and the write-ahead log is emptied, so none of their
text is left readable in the file.
Their X user ids stay in a suppression list, and nothing else: no sync
stores them or their activity again. The workspace's backups (and files it
set aside) get the same deletion and suppression; exported files are outside
the app's reach, and the app says so.

Undo is possible until the app closes: the copy it needs is kept in memory
only, never written to disk. Undo brings the person back into the workspace,
not into the backups.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .backups import PersonToForget, apply_forget_to_backups
from .db.models import SuppressedXUser, database_proxy
from .db.sqlite import write_transaction
from .member_rows import bring_scores_current, free_member_id, insert_rows, read_rows, recount, without_lost_stages
from .search import purge_deleted_text
from .sync.store import refresh_member_stats

log = logging.getLogger(__name__)

# Tables holding a member's own rows, restored in this order (parents first).
MEMBER_TABLES = ("member_custom_value", "member_tag", "member_note", "member_score", "stage_change")


@dataclass
class Forgotten:
    """What one "forget" removed, held in memory so it can be undone until the app closes."""

    member_id: int
    name: str
    handle: str
    x_user_ids: list[str]
    forgotten_at: datetime
    rows: dict = field(repr=False)  # table -> rows as stored
    copies_not_cleaned: list[Path] = field(default_factory=list)  # damaged set-aside files: delete by hand


def _in(column: str, values: list) -> tuple[str, list]:
    if not values:
        return "0 = 1", []
    return f'"{column}" IN ({", ".join("?" for _ in values)})', list(values)


def forget_member(member_id: int, now: datetime,
                  backups_progress: Callable[[int, int], None] | None = None) -> Forgotten:
    """Delete a member and everything about them, here and in the backups; keep only their X user ids.

    ``backups_progress(done, total)`` follows the backups, which take a while on a large workspace.
    """
    forgotten = forget_in_workspace(member_id, now)
    forgotten.copies_not_cleaned = forget_in_backups(forgotten, backups_progress)
    return forgotten


def forget_in_workspace(member_id: int, now: datetime) -> Forgotten:
    """The workspace's part of a forget: rows, search index fragments and old page images all go."""
    db = database_proxy.obj
    previous = db.execute_sql("PRAGMA secure_delete").fetchone()[0]
    db.execute_sql("PRAGMA secure_delete = ON")
    try:
        with write_transaction(database_proxy):
            forgotten = _forget(member_id, now)
            purge_deleted_text(db.execute_sql)
        _empty_write_ahead_log(db)
    finally:
        db.execute_sql(f"PRAGMA secure_delete = {int(previous)}")
    return forgotten


def _empty_write_ahead_log(db) -> None:
    """Copy the log into the file and truncate it: its older page images still hold what was deleted."""
    busy, _log_frames, _copied = db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:  # a reader held on past the busy timeout; the next checkpoint overwrites the log
        log.warning("the write-ahead log could not be emptied after a forget: another connection was reading")


def forget_in_backups(forgotten: Forgotten, progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Carry a forget into every copy of the open workspace; return the copies that could not be cleaned."""
    workspace_path = Path(database_proxy.obj.database)
    if not workspace_path.is_file():
        return []
    return apply_forget_to_backups(workspace_path, person_to_forget(forgotten), progress)


def person_to_forget(forgotten: Forgotten) -> PersonToForget:
    """How backups recognise the person: X ids, and member ids (theirs and those merged into them)."""
    members = [(m["id"], m["first_seen_at"]) for m in forgotten.rows["member"]]
    for record in forgotten.rows["merge_record"]:
        snapshot = record["snapshot"]
        absorbed = (json.loads(snapshot) if isinstance(snapshot, str) else snapshot)["absorbed"]["member"]
        members.append((absorbed["id"], absorbed["first_seen_at"]))
    return PersonToForget(tuple(forgotten.x_user_ids), tuple(members),
                          SuppressedXUser.suppressed_at.db_value(forgotten.forgotten_at))


def _forget(member_id: int, now: datetime) -> Forgotten:
    members = read_rows("member", '"id" = ?', [member_id])
    if not members:
        raise LookupError(f"no member {member_id}")
    rows: dict[str, list[dict]] = {"member": members}
    rows["identity"] = read_rows("identity", '"member_id" = ?', [member_id])
    identity_ids = [r["id"] for r in rows["identity"]]
    rows["handle_history"] = read_rows("handle_history", *_in("identity_id", identity_ids))
    rows["activity"] = read_rows("activity", '"member_id" = ?', [member_id])
    for table in MEMBER_TABLES:
        rows[table] = read_rows(table, '"member_id" = ?', [member_id])
    rows["dismissed_pair"] = read_rows("dismissed_pair", '"member_low_id" = ? OR "member_high_id" = ?',
                                       [member_id, member_id])
    rows["merge_record"] = _merge_records_holding(member_id)
    x_user_ids = sorted(r["x_user_id"] for r in rows["identity"] if r["x_user_id"])

    db, p = database_proxy.obj, database_proxy.obj.param
    record_ids = [r["id"] for r in rows["merge_record"]]
    for table, (where, params) in (("merge_record", _in("id", record_ids)),
                                   ("activity", ('"member_id" = ?', [member_id])),
                                   ("handle_history", _in("identity_id", identity_ids)),
                                   ("identity", ('"member_id" = ?', [member_id])),
                                   *((t, ('"member_id" = ?', [member_id])) for t in MEMBER_TABLES),
                                   ("dismissed_pair", ('"member_low_id" = ? OR "member_high_id" = ?',
                                                       [member_id, member_id])),
                                   ("member", ('"id" = ?', [member_id]))):
        db.execute_sql(f'DELETE FROM "{table}" WHERE {where.replace("?", p)}', params)
    scrub_request_log(database_proxy.obj.execute_sql, set(x_user_ids) | {r["post_id"] for r in rows["activity"]})
    for x_user_id in x_user_ids:
        SuppressedXUser.insert(x_user_id=x_user_id, suppressed_at=now).on_conflict_ignore().execute()
    member = members[0]
    return Forgotten(member_id, member.get("name") or "", member.get("x_handle") or "", x_user_ids, now, rows)


def _merge_records_holding(member_id: int) -> list[dict]:
    """Undo records of merges into this member, and of merges into those absorbed: all hold copies."""
    found, survivors = [], [member_id]
    while survivors:
        records = read_rows("merge_record", *_in("survivor_id", survivors))
        found.extend(records)
        survivors = [r["absorbed_id"] for r in records]
    return found


def scrub_request_log(execute: Callable, ids: set[str]) -> None:
    """Take the person's user and post ids out of the request log (its counts stay as they were).

    ``execute(sql, params)`` runs SQL on the workspace or on a backup of it.
    """
    if not ids:
        return
    for row_id, resources, included in execute(
            'SELECT "id", "resource_ids", "included_user_ids" FROM "request_log" '
            'WHERE "resource_ids" IS NOT NULL OR "included_user_ids" IS NOT NULL').fetchall():
        lists = [json.loads(v) if v else None for v in (resources, included)]
        kept = [[i for i in values if i not in ids] if values is not None else None for values in lists]
        if kept != lists:
            execute('UPDATE "request_log" SET "resource_ids" = ?, "included_user_ids" = ? WHERE "id" = ?',
                    [*(json.dumps(k) if k is not None else None for k in kept), row_id])


def undo_forget(forgotten: Forgotten, now: datetime) -> int:
    """Put a forgotten member back and lift the suppression; return their member id.

    The member keeps their id (a member created since under it moves to a new
    one); other rows get fresh ids, and their activities are counted anew.
    """
    with write_transaction(database_proxy):
        rows = forgotten.rows
        member_id = forgotten.member_id
        bring_scores_current(now)  # before the activities come back under new ids
        free_member_id(member_id)
        insert_rows("member", rows["member"])
        identity_of = {}
        for identity in rows["identity"]:
            clash = read_rows("identity", '"x_user_id" = ?', [identity["x_user_id"]]) if identity["x_user_id"] else []
            if clash:
                raise LookupError(f"X user {identity['x_user_id']} is already someone else's identity.")
            identity_of[identity["id"]] = insert_rows("identity", [identity], keep_id=False)[0]
        insert_rows("handle_history", [{**h, "identity_id": identity_of[h["identity_id"]]}
                                       for h in rows["handle_history"]], keep_id=False)
        insert_rows("activity", rows["activity"], keep_id=False)
        for table in MEMBER_TABLES:
            insert_rows(table, without_lost_stages(rows[table]), keep_id=False)
        alive = {m for (m,) in database_proxy.obj.execute_sql('SELECT "id" FROM "member"')}
        insert_rows("dismissed_pair", [r for r in rows["dismissed_pair"]
                                       if r["member_low_id"] in alive and r["member_high_id"] in alive], keep_id=False)
        insert_rows("merge_record", rows["merge_record"], keep_id=False)
        SuppressedXUser.delete().where(SuppressedXUser.x_user_id.in_(forgotten.x_user_ids)).execute()
        refresh_member_stats({member_id})
        recount([member_id], now)
    return member_id


def is_suppressed(x_user_id: str) -> bool:
    return SuppressedXUser.select().where(SuppressedXUser.x_user_id == x_user_id).exists()


def suppressed_count() -> int:
    return SuppressedXUser.select().count()
