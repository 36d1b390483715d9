"""Numbered schema migrations, one transaction each.

The version lives in the workspace itself (``WorkspaceInfo['schema_version']``).
A file from a newer version of the app is refused rather than damaged; an
older file is backed up (see ``backups``) before it is migrated.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from peewee import Database

from . import models


class WorkspaceTooNew(Exception):
    """The file was written by a newer Ahoy Desktop; it is left as it was."""

    def __init__(self, version: int, latest: int):
        super().__init__(f"This workspace was made by a newer version of Ahoy Desktop (schema {version}; this "
                         f"version knows up to {latest}). Update Ahoy Desktop to open it; the file was left as it was.")
        self.version = version
        self.latest = latest


V2_MODELS = [models.CustomField, models.FieldMappingRule]
V3_MODELS = [models.EventPoints, models.Stage, models.MemberScore, models.StageChange]
V1_MODELS = [
    models.WorkspaceInfo, models.Account, models.AccountSnapshot, models.Member, models.Identity,
    models.HandleHistory, models.MemberCustomValue, models.OwnPost, models.Activity, models.SyncCursor,
    models.SyncRun, models.RequestLog,
]


def _initial_schema(db: Database) -> None:
    db.create_tables(V1_MODELS)


def _mapping_and_custom_fields(db: Database) -> None:
    """Custom member fields, and the field mapping stored in the workspace (seeded with the default)."""
    from ..mapping import DEFAULT_MAPPING

    db.create_tables(V2_MODELS)
    models.FieldMappingRule.insert_many(
        [{"member_field": m.member_field, "x_field": m.x_field, "rule": m.rule} for m in DEFAULT_MAPPING]
    ).execute()


def _scoring(db: Database) -> None:
    """Scores, stages and their history; an index to find activity leaving the 30-day window."""
    db.create_tables(V3_MODELS)
    db.execute_sql('CREATE INDEX IF NOT EXISTS "activity_occurred_member" ON "activity" ("occurred_at", "member_id")')


def _x_accounts(db: Database) -> None:
    """Sign-in facts of real X accounts and the queue of tokens to revoke (the tokens stay in the keychain)."""
    db.create_tables([models.AccountAuth, models.PendingRevocation])


def _usage_index(db: Database) -> None:
    """The usage meter reads an account's requests by UTC day."""
    db.execute_sql('CREATE INDEX IF NOT EXISTS "requestlog_account_day" ON "request_log" ("account_id", "utc_day")')


def _tags_notes_merges(db: Database) -> None:
    """Tags as rows (filterable), notes, undoable merges and dismissed duplicate pairs.

    Existing comma-separated tags become rows. Tags are no longer a field the
    X mapping fills: a mapping rule into them is dropped, its values kept as tags.
    """
    from ..notes_tags import backfill_tags_from_column

    db.create_tables([models.MemberTag, models.MemberNote, models.MergeRecord, models.DismissedPair])
    backfill_tags_from_column()
    models.FieldMappingRule.delete().where(models.FieldMappingRule.member_field == "tags").execute()


def _suppressed_x_users(db: Database) -> None:
    """X users who asked to be forgotten: only their ids, so no sync brings them back."""
    db.create_tables([models.SuppressedXUser])


def _member_search(db: Database) -> None:
    """Full-text search over members' texts and what they said, kept current by triggers; filled here."""
    from ..search import create_search_index

    create_search_index(db)


def _segments(db: Database) -> None:
    """Saved member filters (segments)."""
    db.create_tables([models.SavedSegment])


def _dashboard_index(db: Database) -> None:
    """Activity by time with who and what: the dashboard's and the scores' range counts read the index alone."""
    db.execute_sql('CREATE INDEX IF NOT EXISTS "activity_occurred_member_kind" '
                   'ON "activity" ("occurred_at", "member_id", "kind", "estimated")')
    db.execute_sql('DROP INDEX IF EXISTS "activity_occurred_member"')


# (version, description, step). Append only; never edit a released step.
MIGRATIONS: list[tuple[int, str, Callable[[Database], None]]] = [
    (1, "initial schema", _initial_schema),
    (2, "field mapping and custom fields", _mapping_and_custom_fields),
    (3, "scoring", _scoring),
    (4, "member search", _member_search),
    (5, "segments", _segments),
    (6, "tags, notes, merges and duplicates", _tags_notes_merges),
    (7, "forgotten people", _suppressed_x_users),
    (8, "X accounts: sign-in and revocations", _x_accounts),
    (9, "usage meter index", _usage_index),
    (10, "dashboard index", _dashboard_index),
]

MIGRATIONS.sort(key=lambda entry: entry[0])
LATEST_VERSION = MIGRATIONS[-1][0]


def schema_version(db: Database) -> int:
    if not db.table_exists(models.WorkspaceInfo._meta.table_name):
        return 0
    row = models.WorkspaceInfo.get_or_none(models.WorkspaceInfo.key == "schema_version")
    return int(row.value) if row else 0


def refuse_if_too_new(version: int) -> None:
    if version > LATEST_VERSION:
        raise WorkspaceTooNew(version, LATEST_VERSION)


def migrate(db: Database, path: Path | None = None) -> int:
    """Bring the workspace to the latest schema; return the version it had."""
    current = schema_version(db)
    refuse_if_too_new(current)
    if 0 < current < LATEST_VERSION and path is not None:
        from ..backups import back_up_before_migration

        back_up_before_migration(path, current)
    for version, _description, step in MIGRATIONS:
        if version <= current:
            continue
        with db.atomic():
            step(db)
            models.WorkspaceInfo.insert(key="schema_version", value=str(version)).on_conflict(
                conflict_target=[models.WorkspaceInfo.key],
                update={models.WorkspaceInfo.value: str(version)},
            ).execute()
    return current
