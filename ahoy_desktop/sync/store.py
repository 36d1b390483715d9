"""The sync's writes: cursors and activities, idempotent and page-sized.

Every function here runs inside the page's transaction, so a page and the
cursor that says it was read are committed together or not at all.
"""

from __future__ import annotations

from ..db.models import Activity, SyncCursor
from ..db.sqlite import chunk_size


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


def existing_keys(account_id: int, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 900):
        chunk = keys[start:start + 900]
        found.update(
            k for (k,) in Activity.select(Activity.dedup_key)
            .where(Activity.account == account_id, Activity.dedup_key.in_(chunk)).tuples()
        )
    return found


ACTIVITY_COLUMNS = 10


def insert_activities(account_id: int, rows: list[dict]) -> list[dict]:
    """Insert the rows not stored yet; return those that were new."""
    known = existing_keys(account_id, [r["dedup_key"] for r in rows])
    fresh, seen = [], set(known)
    for row in rows:
        if row["dedup_key"] not in seen:
            seen.add(row["dedup_key"])
            fresh.append(row)
    size = chunk_size(ACTIVITY_COLUMNS)
    for start in range(0, len(fresh), size):
        Activity.insert_many(fresh[start:start + size]).on_conflict_ignore().execute()
    return fresh
