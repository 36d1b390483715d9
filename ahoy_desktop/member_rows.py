"""Rows of a member copied out and put back exactly: what merge undo and forget undo share.

Rows are read as SQLite stores them (text, numbers, NULL), so writing them
back gives the same bytes, with no conversion in between, and they fit in a
JSON document as they are.
"""

from __future__ import annotations

from datetime import datetime

from . import scores
from .db import get_info, set_info
from .db.models import Member, database_proxy


def _q(name: str) -> str:
    return f'"{name}"'


def read_rows(table: str, where: str, params: list | tuple = ()) -> list[dict]:
    """Every row of ``table`` matching ``where`` (SQL with ``?``), as column -> stored value."""
    db = database_proxy.obj
    cursor = db.execute_sql(f"SELECT * FROM {_q(table)} WHERE {where.replace('?', db.param)}", list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def insert_rows(table: str, rows: list[dict], *, keep_id: bool = True) -> list[int]:
    """Insert rows as read by ``read_rows``; without ``keep_id`` they get new ids. Returns the ids."""
    db = database_proxy.obj
    ids = []
    for row in rows:
        row = dict(row) if keep_id else {k: v for k, v in row.items() if k != "id"}
        columns = ", ".join(_q(c) for c in row)
        marks = ", ".join(db.param for _ in row)
        cursor = db.execute_sql(f"INSERT INTO {_q(table)} ({columns}) VALUES ({marks})", list(row.values()))
        ids.append(cursor.lastrowid)
    return ids


def update_row(table: str, row: dict, skip: tuple[str, ...] = ()) -> None:
    """Write back every column of a row read by ``read_rows`` (but ``skip``), by its id."""
    db = database_proxy.obj
    values = {k: v for k, v in row.items() if k != "id" and k not in skip}
    sets = ", ".join(f"{_q(k)} = {db.param}" for k in values)
    db.execute_sql(f'UPDATE {_q(table)} SET {sets} WHERE "id" = {db.param}', [*values.values(), row["id"]])


STAGE_COLUMNS = ("stage_id", "from_stage_id", "to_stage_id")


def without_lost_stages(rows: list[dict]) -> list[dict]:
    """Rows with references to stages deleted since they were copied set to none (as deleting a stage does)."""
    if not any(c in row for row in rows for c in STAGE_COLUMNS):
        return rows
    stages = {s for (s,) in database_proxy.obj.execute_sql('SELECT "id" FROM "stage"')}
    return [{k: (None if k in STAGE_COLUMNS and v not in stages else v) for k, v in row.items()} for row in rows]


def member_references() -> list[tuple[str, str]]:
    """(table, column) of every foreign key to ``member``, whoever declared the model."""
    return [(field.model._meta.table_name, field.column_name) for field in Member._meta.backrefs]


def free_member_id(member_id: int) -> int | None:
    """Make ``member_id`` free again for a member being restored; return where its holder went.

    Ids are handed out as the highest plus one, so a member created after a
    merge or a forget can take the id of the one removed. That newcomer moves to
    a fresh id (its rows follow it) so the restored member gets its own id back.
    Call inside a write transaction.
    """
    db = database_proxy.obj
    p = db.param
    taken = db.execute_sql(f'SELECT 1 FROM "member" WHERE "id" = {p}', (member_id,)).fetchone()
    if taken is None:
        return None
    new_id = db.execute_sql('SELECT MAX("id") FROM "member"').fetchone()[0] + 1
    row = read_rows("member", '"id" = ?', [member_id])[0]
    row["id"] = new_id
    insert_rows("member", [row])
    for table, column in member_references():
        db.execute_sql(f'UPDATE {_q(table)} SET {_q(column)} = {p} WHERE {_q(column)} = {p}', (new_id, member_id))
    for column in ("survivor_id", "absorbed_id"):
        db.execute_sql(f'UPDATE "merge_record" SET {_q(column)} = {p} WHERE {_q(column)} = {p}', (new_id, member_id))
    db.execute_sql(f'DELETE FROM "member" WHERE "id" = {p}', (member_id,))
    return new_id


def bring_scores_current(now: datetime) -> None:
    """Count every activity stored so far, so none is left for the next incremental update to add again."""
    scores.update_scores(now)


def recount(member_ids: list[int], now: datetime) -> None:
    """Recount these members' scores from their activities; every activity stored now counts as scored.

    Call after ``bring_scores_current`` in the same write transaction: the
    only activities stored since are these members' own.
    """
    as_of = get_info(scores.SCORES_AS_OF_KEY)
    at = max(now, Member.first_seen_at.python_value(as_of)) if as_of else now
    scores.recompute(at, member_ids=sorted(set(member_ids)), cause=scores.ACTIVITY)
    last = database_proxy.obj.execute_sql('SELECT MAX("id") FROM "activity"').fetchone()[0] or 0
    set_info(scores.SCORED_THROUGH_KEY, str(last))

