"""Write the good rows of an import plan, all of them or none, in one transaction.

Imported values are the user's own data: every field a row fills joins the
member's manual fields (custom values are stored as ``manual``), so no sync
overwrites them. Tags join the member's tags; a note replaces the note. A
row's X user ids become identities; a handle without an id becomes an
identity waiting for its id, which the next sync fills in when it meets
that handle, ignoring case (see ``sync/members.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..custom_fields import create_custom_field
from ..db import bulk
from ..db.models import HandleHistory, Identity, Member, MemberCustomValue, MemberNote, database_proxy
from ..db.sqlite import write_transaction
from ..member_fields import TEXT
from ..notes_tags import store_tags, tags_of, unique_tags
from ..sync.members import suppressed_among
from .import_plan import NEW_FIELD, ImportPlan, PlannedRow, existing_members


class ImportOutdated(RuntimeError):
    """The workspace changed between the check and the import (a sync ran): nothing was written."""


@dataclass
class ImportResult:
    members_added: set[int] = field(default_factory=set)
    members_updated: set[int] = field(default_factory=set)
    fields_created: list[str] = field(default_factory=list)  # keys of new custom fields


def write_import(plan: ImportPlan, now: datetime) -> ImportResult:
    """Write every planned row in one transaction; any failure leaves the workspace as it was."""
    result = ImportResult()
    with write_transaction(database_proxy):
        _check_still_matching(plan.rows)
        new_keys = {}
        for index, name in plan.new_field_names().items():
            key = create_custom_field(" ".join(name.split()), TEXT, now).key
            new_keys[f"{NEW_FIELD}:{index}"] = key
            result.fields_created.append(key)
        new_rows = [r for r in plan.rows if r.member_id is None]
        old_rows = [r for r in plan.rows if r.member_id is not None]
        added = _insert_members(new_rows, now)
        _update_members(old_rows, now)
        written = [*zip(added, new_rows, strict=True), *((r.member_id, r) for r in old_rows)]
        _write_custom_values(written, new_keys, now)
        _write_tags_and_notes(written, now)
        result.members_added = set(added)
        result.members_updated = {r.member_id for r in old_rows}
    return result


def _check_still_matching(rows: list[PlannedRow]) -> None:
    """Matches are decided again under the write lock: a sync in between must not make duplicates."""
    by_id, by_handle = existing_members(rows)
    if suppressed_among(sorted({u for r in rows for u in r.x_user_ids})):
        raise ImportOutdated("Someone in the file was forgotten since the check.")
    for row in rows:
        found = {by_id[u] for u in row.x_user_ids if u in by_id}
        if not found and row.handle:
            found = by_handle.get(row.handle.lower(), set())
        expected = set() if row.member_id is None else {row.member_id}
        if found != expected:
            raise ImportOutdated(f"Row {row.number} now matches other members than when it was checked.")


def _insert_members(rows: list[PlannedRow], now: datetime) -> list[int]:
    if not rows:
        return []
    columns = sorted({key for r in rows for key in r.builtin})
    defaults = {key: getattr(Member, key).default for key in columns}
    member_rows = [(now, sorted(r.builtin), *(r.builtin.get(key, defaults[key]) for key in columns))
                   for r in rows]
    member_ids = bulk.insert_new_ids(Member, ("first_seen_at", "manual_fields", *columns), member_rows)
    identities = []
    for member_id, row in zip(member_ids, rows, strict=True):
        identities += _new_identities(member_id, row, now)
    _insert_identities(identities, now)
    return member_ids


def _new_identities(member_id: int, row: PlannedRow, now: datetime) -> list[tuple]:
    """(member, x_user_id, handle) of the identities a row brings: the handle goes with the first id."""
    if not row.x_user_ids:
        return [(member_id, None, row.handle)] if row.handle else []
    return [(member_id, uid, row.handle if i == 0 else "") for i, uid in enumerate(row.x_user_ids)]


def _insert_identities(identities: list[tuple], now: datetime) -> None:
    ids = bulk.insert_new_ids(Identity, ("member", "x_user_id", "handle", "handle_lower", "first_seen_at"),
                              [(m, uid, h, h.lower(), now) for m, uid, h in identities])
    bulk.insert_ignore(HandleHistory, ("identity", "handle", "seen_at"),
                       [(i, h, now) for i, (_, _, h) in zip(ids, identities, strict=True) if h])


def _update_members(rows: list[PlannedRow], now: datetime) -> None:
    identities = []
    for row in rows:
        member = Member.select(Member.manual_fields).where(Member.id == row.member_id).get()
        manual = sorted(set(member.manual_fields or ()) | set(row.builtin))
        if row.builtin:
            Member.update({**{getattr(Member, k): v for k, v in row.builtin.items()},
                           Member.manual_fields: manual}).where(Member.id == row.member_id).execute()
        identities += _missing_identities(row)
    _insert_identities(identities, now)


def _missing_identities(row: PlannedRow) -> list[tuple]:
    """The row's X user ids the member does not have yet; a waiting handle takes the first."""
    have = list(Identity.select().where(Identity.member == row.member_id))
    known = {i.x_user_id for i in have if i.x_user_id}
    new_ids = [u for u in row.x_user_ids if u not in known]
    waiting = next((i for i in have if i.x_user_id is None and row.handle
                    and i.handle_lower == row.handle.lower()), None)
    if waiting is not None and new_ids:
        Identity.update(x_user_id=new_ids.pop(0)).where(Identity.id == waiting.id).execute()
    if not have and not new_ids and row.handle:
        return [(row.member_id, None, row.handle)]
    return [(row.member_id, uid, "") for uid in new_ids]


def _write_custom_values(rows: list[tuple[int, PlannedRow]], new_keys: dict[str, str], now: datetime) -> None:
    values = [(member_id, new_keys.get(key, key), value, "manual", now)
              for member_id, row in rows for key, value in row.custom.items()]
    bulk.upsert(MemberCustomValue, ("member", "field_key", "value", "source", "updated_at"), values,
                conflict=("member", "field_key"), update=("value", "source", "updated_at"))


def _write_tags_and_notes(rows: list[tuple[int, PlannedRow]], now: datetime) -> None:
    """Tags join the member's own (none is taken away); a note replaces the one there was."""
    for member_id, row in rows:
        if row.tags:
            store_tags(member_id, unique_tags([*tags_of(member_id), *row.tags]))
        if row.note:
            MemberNote.insert(member=member_id, text=row.note, updated_at=now).on_conflict(
                conflict_target=[MemberNote.member],
                update={MemberNote.text: row.note, MemberNote.updated_at: now}).execute()
