"""The sync's writes: cursors and activities, idempotent and page-sized.

Every function here runs inside the page's transaction, so a page and the
cursor that says it was read are committed together or not at all.
"""

from __future__ import annotations

from ..db import bulk
from ..db.models import Activity, SyncCursor, database_proxy


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
