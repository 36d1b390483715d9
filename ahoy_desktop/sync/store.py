"""The sync's writes: cursors and activities, idempotent and page-sized.

Every function here runs inside the page's transaction, so a page and the
cursor that says it was read are committed together or not at all.
"""

from __future__ import annotations

from ..db import bulk
from ..db.models import Activity, Member, SyncCursor, database_proxy


def get_cursor(account_id: int, name: str) -> str | None:
    row = SyncCursor.get_or_none(SyncCursor.account == account_id, SyncCursor.name == name)
    return row.value if row else None


def set_cursor(account_id: int, name: str, value: str | None) -> None:
    if value is None:
        SyncCursor.delete().where(SyncCursor.account == account_id, SyncCursor.name == name).execute()
        return
    SyncCursor.insert(account=account_id, name=name, value=value).on_conflict(
        conflict_target=[SyncCursor.account, SyncCursor.name], update={SyncCursor.value: value}
    ).execute()


ACTIVITY_COLUMNS = ("account", "member", "x_user_id", "kind", "post_id", "target_post_id", "occurred_at",
                    "estimated", "text", "dedup_key")


def insert_activities(account_id: int, rows: list[dict]) -> list[dict]:
    """Insert the rows not stored yet; return those that were new.

    One ``INSERT ... ON CONFLICT DO NOTHING`` for the page; only when some rows
    were already there does a range scan past the previous last id say which.
    """
    if not rows:
        return []
    db = database_proxy.obj
    last_id = db.execute_sql('SELECT MAX("id") FROM "activity"').fetchone()[0] or 0
    inserted = bulk.insert_ignore(Activity, ACTIVITY_COLUMNS, [tuple(row[c] for c in ACTIVITY_COLUMNS) for row in rows])
    if inserted == len(rows):
        return rows
    new_keys = {key for (key,) in db.execute_sql(
        f'SELECT "dedup_key" FROM "activity" WHERE "id" > {db.param} AND "account_id" = {db.param}',
        (last_id, account_id))}
    fresh, seen = [], set()
    for row in rows:
        if row["dedup_key"] in new_keys and row["dedup_key"] not in seen:
            seen.add(row["dedup_key"])
            fresh.append(row)
    return fresh


def refresh_member_stats(member_ids: set[int]) -> None:
    """Recount activity count and first / last activity of these members."""
    if not member_ids:
        return
    db = database_proxy.obj
    p = db.param
    db.cursor().executemany(
        f'UPDATE "member" SET '
        f'"activity_count" = (SELECT COUNT(*) FROM "activity" a WHERE a."member_id" = {p}), '
        f'"first_active_at" = (SELECT MIN(a."occurred_at") FROM "activity" a WHERE a."member_id" = {p}), '
        f'"last_active_at" = (SELECT MAX(a."occurred_at") FROM "activity" a WHERE a."member_id" = {p}) '
        f'WHERE "id" = {p}',
        [(m, m, m, m) for m in sorted(member_ids)],
    )


def add_to_member_stats(rows: list[dict]) -> None:
    """Fold newly inserted activities into their members' count and first / last times."""
    stats: dict[int, list] = {}
    for row in rows:
        when = row["occurred_at"]
        entry = stats.setdefault(row["member"], [0, when, when])
        entry[0] += 1
        entry[1] = min(entry[1], when)
        entry[2] = max(entry[2], when)
    if not stats:
        return
    db = database_proxy.obj
    p = db.param
    to_db = Member.first_active_at.db_value
    db.cursor().executemany(
        f'UPDATE "member" SET "activity_count" = "activity_count" + {p}, '
        f'"first_active_at" = CASE WHEN "first_active_at" IS NULL OR "first_active_at" > {p} '
        f'THEN {p} ELSE "first_active_at" END, '
        f'"last_active_at" = CASE WHEN "last_active_at" IS NULL OR "last_active_at" < {p} '
        f'THEN {p} ELSE "last_active_at" END WHERE "id" = {p}',
        [(n, to_db(first), to_db(first), to_db(last), to_db(last), member)
         for member, (n, first, last) in stats.items()],
    )
