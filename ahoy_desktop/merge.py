"""Two members who are one person become one, and the merge can be undone later.

The user picks, field by field, whose value the merged member keeps.
Identities, activities, tags and notes of the absorbed member move to the
survivor. A value picked where the two differed is marked manual: a later
sync of either X identity must not undo the choice.

Undo works after syncs have run: the record in the database holds both
members as they were, and activities go back by identity, so the absorbed
member also gets whatever their X identities did since the merge. Work done
by hand on the merged member since (fields typed, tags, the note, custom
values) is not thrown away: the record also holds the merged member as the
merge left it, and what differs now is applied to the restored survivor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from .db.models import CustomField, Identity, Member, MemberCustomValue, MemberNote, MergeRecord, database_proxy
from .db.sqlite import write_transaction
from .member_fields import BUILTIN_FIELDS
from .member_rows import (
    bring_scores_current,
    free_member_id,
    insert_rows,
    read_rows,
    recount,
    update_row,
    without_lost_stages,
)
from .notes_tags import SEPARATOR, note_of, refresh_tag_copy, store_tags, tags_of, unique_tags
from .sync.store import refresh_member_stats

SURVIVOR, OTHER = "survivor", "other"
MANUAL = "manual"
STAT_COLUMNS = ("activity_count", "first_active_at", "last_active_at")
# Rows that belong to one member and are copied whole into the undo record.
OWN_TABLES = ("member_custom_value", "member_tag", "member_note", "member_score")
NOTE_JOINER = "\n\n"


class MergeError(ValueError):
    """A merge or undo that cannot be done; the message says why and nothing was changed."""


@dataclass(frozen=True)
class MergeField:
    key: str
    label: str
    survivor_value: object
    other_value: object
    custom: bool = False


@dataclass(frozen=True)
class MergeInfo:
    record_id: int
    survivor_id: int
    absorbed_id: int
    absorbed_name: str
    absorbed_handle: str
    merged_at: datetime


def _empty(value) -> bool:
    return value is None or value == ""


def merge_fields(survivor_id: int, other_id: int) -> list[MergeField]:
    """Every built-in field, then every custom field either member has a value for."""
    survivor, other = _member(survivor_id), _member(other_id)
    fields = [MergeField(f.key, f.label, getattr(survivor, f.key), getattr(other, f.key)) for f in BUILTIN_FIELDS]
    values = {(v.member_id, v.field_key): v.value for v in MemberCustomValue.select().where(
        MemberCustomValue.member.in_([survivor_id, other_id]))}
    for custom in CustomField.select().order_by(CustomField.name_lower):
        mine, theirs = values.get((survivor_id, custom.key)), values.get((other_id, custom.key))
        if not (_empty(mine) and _empty(theirs)):
            fields.append(MergeField(custom.key, custom.name, mine, theirs, custom=True))
    return fields


def default_choices(fields: list[MergeField]) -> dict[str, str]:
    """The survivor's value wins, unless it has none and the other member has one."""
    return {f.key: OTHER if _empty(f.survivor_value) and not _empty(f.other_value) else SURVIVOR for f in fields}


def merged_values(fields: list[MergeField], choices: dict[str, str]) -> dict[str, object]:
    """What the merged member will hold, field by field (the preview)."""
    defaults = default_choices(fields)
    return {f.key: f.other_value if choices.get(f.key, defaults[f.key]) == OTHER else f.survivor_value
            for f in fields}


def merged_note(survivor_note: str, other_note: str) -> str:
    return NOTE_JOINER.join(n for n in (survivor_note, other_note) if n)


def _member(member_id: int) -> Member:
    member = Member.get_or_none(Member.id == member_id)
    if member is None:
        raise MergeError("That member no longer exists; the list may be out of date.")
    return member


def _snapshot(member_id: int) -> dict:
    snap = {"member": read_rows("member", '"id" = ?', [member_id])[0]}
    for table in OWN_TABLES:
        snap[table] = read_rows(table, '"member_id" = ?', [member_id])
    return snap


def merge(survivor_id: int, other_id: int, choices: dict[str, str], now: datetime) -> int:
    """Merge ``other_id`` into ``survivor_id``; return the id of the record that undoes it."""
    if survivor_id == other_id:
        raise MergeError("A member cannot be merged with themselves.")
    unknown = set(choices.values()) - {SURVIVOR, OTHER}
    if unknown:
        raise MergeError(f"Unknown choice {sorted(unknown)[0]!r}: each field keeps the survivor's or the other's.")
    with write_transaction(database_proxy):
        survivor, other = _member(survivor_id), _member(other_id)
        bring_scores_current(now)
        fields = merge_fields(survivor_id, other_id)
        absorbed = _snapshot(other_id)
        absorbed["stage_change"] = read_rows("stage_change", '"member_id" = ?', [other_id])
        absorbed["dismissed_pair"] = read_rows("dismissed_pair", '"member_low_id" = ? OR "member_high_id" = ?',
                                               [other_id, other_id])
        absorbed["identity_ids"] = [i for (i,) in Identity.select(Identity.id).where(
            Identity.member == other_id).tuples()]
        absorbed["activity_ids"] = [a for (a,) in database_proxy.obj.execute_sql(
            f'SELECT "id" FROM "activity" WHERE "member_id" = {database_proxy.obj.param}', (other_id,))]
        snapshot = {"survivor": _snapshot(survivor_id), "absorbed": absorbed}

        defaults = default_choices(fields)
        chosen = {f.key: choices.get(f.key, defaults[f.key]) for f in fields}
        _write_builtin(survivor, other, [f for f in fields if not f.custom], chosen)
        _write_custom(survivor_id, other_id, [f for f in fields if f.custom], chosen, now)
        _write_tags_and_note(survivor_id, other_id, now)

        db, p = database_proxy.obj, database_proxy.obj.param
        db.execute_sql(f'UPDATE "identity" SET "member_id" = {p} WHERE "member_id" = {p}', (survivor_id, other_id))
        db.execute_sql(f'UPDATE "activity" SET "member_id" = {p} WHERE "member_id" = {p}', (survivor_id, other_id))
        Member.delete().where(Member.id == other_id).execute()
        refresh_member_stats({survivor_id})
        before = _last_stage_change(survivor_id)
        recount([survivor_id], now)
        snapshot["stage_changes_by_merge"] = [i for (i,) in db.execute_sql(
            f'SELECT "id" FROM "stage_change" WHERE "member_id" = {p} AND "id" > {p}', (survivor_id, before))]
        snapshot["merged"] = _hand_work(survivor_id)
        record = MergeRecord.create(survivor_id=survivor_id, absorbed_id=other_id, merged_at=now, snapshot=snapshot)
    return record.id


def _hand_work(member_id: int) -> dict:
    """What the user can change by hand on a member, as comparable plain values."""
    member = read_rows("member", '"id" = ?', [member_id])[0]
    manual = member["manual_fields"]
    custom = read_rows("member_custom_value", '"member_id" = ?', [member_id])
    return {"fields": {f.key: member[f.key] for f in BUILTIN_FIELDS},
            "manual": sorted(json.loads(manual) if isinstance(manual, str) else manual or []),
            "tags": tags_of(member_id), "note": note_of(member_id),
            "custom": {r["field_key"]: [r["value"], r["source"]] for r in custom}}


def _merged_as_left(snap: dict) -> dict:
    """The merged member as the merge left it; for records made before that was kept, what it must have been."""
    if "merged" in snap:
        return snap["merged"]
    survivor, absorbed = snap["survivor"], snap["absorbed"]

    def tags(part: dict) -> list[str]:
        return [r["tag"] for r in part["member_tag"]]

    def note(part: dict) -> str:
        return part["member_note"][0]["text"] if part["member_note"] else ""

    # Field values are unknown (each was either member's): a value now unlike both counts as later work.
    return {"fields": None, "manual": None, "tags": unique_tags([*tags(survivor), *tags(absorbed)]),
            "note": merged_note(note(survivor), note(absorbed)), "custom": None}


def _write_builtin(survivor: Member, other: Member, fields: list[MergeField], chosen: dict[str, str]) -> None:
    manual = set(survivor.manual_fields or ())
    updates = {Member.first_seen_at: min(survivor.first_seen_at, other.first_seen_at)}
    for f in fields:
        takes_other = chosen[f.key] == OTHER
        value = f.other_value if takes_other else f.survivor_value
        source_manual = f.key in (other.manual_fields or ()) if takes_other else f.key in manual
        decided = not _empty(f.survivor_value) and not _empty(f.other_value) and f.survivor_value != f.other_value
        if source_manual or decided:
            manual.add(f.key)
        else:
            manual.discard(f.key)
        updates[getattr(Member, f.key)] = value
    if survivor.raw_x_user is None and other.raw_x_user is not None:
        updates.update({Member.raw_x_user: other.raw_x_user, Member.x_fields: other.x_fields,
                        Member.x_user_updated_at: other.x_user_updated_at})
    updates[Member.manual_fields] = sorted(manual)
    Member.update(updates).where(Member.id == survivor.id).execute()


def _write_custom(survivor_id: int, other_id: int, fields: list[MergeField], chosen: dict[str, str],
                  now: datetime) -> None:
    rows = {(v.member_id, v.field_key): v for v in MemberCustomValue.select().where(
        MemberCustomValue.member.in_([survivor_id, other_id]))}
    for f in fields:
        decided = not _empty(f.survivor_value) and not _empty(f.other_value) and f.survivor_value != f.other_value
        source = rows.get((other_id if chosen[f.key] == OTHER else survivor_id, f.key))
        if source is None:
            MemberCustomValue.delete().where(MemberCustomValue.member == survivor_id,
                                             MemberCustomValue.field_key == f.key).execute()
            continue
        values = {"value": source.value, "source": MANUAL if decided else source.source,
                  "updated_at": source.updated_at if source.member_id == survivor_id and not decided else now}
        MemberCustomValue.insert(member=survivor_id, field_key=f.key, **values).on_conflict(
            conflict_target=[MemberCustomValue.member, MemberCustomValue.field_key],
            update={getattr(MemberCustomValue, k): v for k, v in values.items()}).execute()


def _write_tags_and_note(survivor_id: int, other_id: int, now: datetime) -> None:
    store_tags(survivor_id, unique_tags([*tags_of(survivor_id), *tags_of(other_id)]))
    note = merged_note(note_of(survivor_id), note_of(other_id))
    if note:
        MemberNote.insert(member=survivor_id, text=note, updated_at=now).on_conflict(
            conflict_target=[MemberNote.member], update={MemberNote.text: note, MemberNote.updated_at: now}).execute()


def _last_stage_change(member_id: int) -> int:
    db = database_proxy.obj
    return db.execute_sql(f'SELECT COALESCE(MAX("id"), 0) FROM "stage_change" WHERE "member_id" = {db.param}',
                          (member_id,)).fetchone()[0]


# -- undo ------------------------------------------------------------------------


def merges_into(member_id: int) -> list[MergeInfo]:
    """The merges that can still be undone into this member, newest first."""
    infos = []
    for record in MergeRecord.select().where(MergeRecord.survivor_id == member_id).order_by(MergeRecord.id.desc()):
        absorbed = record.snapshot["absorbed"]["member"]
        infos.append(MergeInfo(record.id, record.survivor_id, record.absorbed_id, absorbed.get("name") or "",
                               absorbed.get("x_handle") or "", record.merged_at))
    return infos


@dataclass(frozen=True)
class UndoneMerge:
    survivor_id: int
    absorbed_id: int
    moved: tuple[int, int] | None  # a member who had taken the absorbed id: (old id, new id)
    kept: tuple[str, ...] = ()  # what was done by hand since the merge and kept: field labels, "tags", "note"


def undo_merge(record_id: int, now: datetime) -> UndoneMerge:
    """Give the absorbed member back, as they were, with every activity of their identities since."""
    with write_transaction(database_proxy):
        record = MergeRecord.get_or_none(MergeRecord.id == record_id)
        if record is None:
            raise MergeError("This merge was already undone.")
        survivor_id, absorbed_id = record.survivor_id, record.absorbed_id
        snap = record.snapshot
        _check_undoable(record)
        bring_scores_current(now)
        moved_to = free_member_id(absorbed_id)
        db, p = database_proxy.obj, database_proxy.obj.param
        absorbed = snap["absorbed"]
        insert_rows("member", [absorbed["member"]])
        identity_ids = absorbed["identity_ids"]
        x_ids = []
        if identity_ids:
            marks = ", ".join(p for _ in identity_ids)
            db.execute_sql(f'UPDATE "identity" SET "member_id" = {p} WHERE "id" IN ({marks})',
                           (absorbed_id, *identity_ids))
            x_ids = [x for (x,) in db.execute_sql(
                f'SELECT "x_user_id" FROM "identity" WHERE "id" IN ({marks}) AND "x_user_id" IS NOT NULL',
                identity_ids)]
        _give_back_activities(survivor_id, absorbed_id, x_ids, absorbed["activity_ids"])
        now_held = _hand_work(survivor_id)

        for table in OWN_TABLES:
            db.execute_sql(f'DELETE FROM "{table}" WHERE "member_id" = {p}', (survivor_id,))
            insert_rows(table, without_lost_stages(snap["survivor"][table]), keep_id=False)
            insert_rows(table, without_lost_stages(absorbed[table]), keep_id=False)
        update_row("member", snap["survivor"]["member"], skip=STAT_COLUMNS)
        insert_rows("stage_change", without_lost_stages(absorbed["stage_change"]), keep_id=False)
        alive = {m for (m,) in Member.select(Member.id).tuples()} if absorbed["dismissed_pair"] else set()
        insert_rows("dismissed_pair", [r for r in absorbed["dismissed_pair"]
                                       if r["member_low_id"] in alive and r["member_high_id"] in alive], keep_id=False)
        by_merge = snap.get("stage_changes_by_merge") or []
        if by_merge:
            db.execute_sql(f'DELETE FROM "stage_change" WHERE "id" IN ({", ".join(p for _ in by_merge)})', by_merge)
        kept = _keep_later_work(survivor_id, snap, _merged_as_left(snap), now_held, now)
        refresh_member_stats({survivor_id, absorbed_id})
        for member_id in (survivor_id, absorbed_id):
            refresh_tag_copy(member_id)
        recount([survivor_id, absorbed_id], now)
        record.delete_instance()
    return UndoneMerge(survivor_id, absorbed_id, (absorbed_id, moved_to) if moved_to is not None else None, kept)


def _keep_later_work(survivor_id: int, snap: dict, merged: dict, held: dict, now: datetime) -> tuple[str, ...]:
    """Apply to the restored survivor what was done by hand on the merged member since; return what it was.

    Values a sync changed are left out: the next sync brings them again.
    """
    kept = []
    before = {f.key: snap["survivor"]["member"][f.key] for f in BUILTIN_FIELDS}
    absorbed = {f.key: snap["absorbed"]["member"][f.key] for f in BUILTIN_FIELDS}
    restored_manual = set(_manual_of(snap["survivor"]["member"]))
    updates, manual = {}, set(restored_manual)
    for f in BUILTIN_FIELDS:
        value, by_hand = held["fields"][f.key], f.key in held["manual"]
        if merged["fields"] is None:
            changed = by_hand and value not in (before[f.key], absorbed[f.key])
        else:
            was_by_hand = f.key in merged["manual"]
            changed = (value, by_hand) != (merged["fields"][f.key], was_by_hand) and (by_hand or was_by_hand)
        if changed:
            updates[getattr(Member, f.key)] = value
            (manual.add if by_hand else manual.discard)(f.key)
            kept.append(f.label)
    if updates:
        updates[Member.manual_fields] = sorted(manual)
        Member.update(updates).where(Member.id == survivor_id).execute()

    added = [t for t in held["tags"] if t.casefold() not in {m.casefold() for m in merged["tags"]}]
    removed = {t.casefold() for t in merged["tags"]} - {t.casefold() for t in held["tags"]}
    if added or removed:
        mine = [r["tag"] for r in snap["survivor"]["member_tag"]]
        store_tags(survivor_id, unique_tags([*(t for t in mine if t.casefold() not in removed), *added]))
        kept.append("tags")

    if held["note"] != merged["note"]:
        mine = snap["survivor"]["member_note"][0]["text"] if snap["survivor"]["member_note"] else ""
        written = held["note"]
        if merged["note"] and written.startswith(merged["note"]):  # added to the end: only that is new
            written = merged_note(mine, written[len(merged["note"]):].strip())
        _store_note(survivor_id, written, now)
        kept.append("note")

    customs = {c.key: c.name for c in CustomField.select()}
    for key in sorted(set(held["custom"]) | set(merged["custom"] or {})):
        value = held["custom"].get(key)
        if merged["custom"] is None:
            if value is None or value[1] != MANUAL:
                continue
            mine = [r for r in snap["survivor"]["member_custom_value"] if r["field_key"] == key]
            theirs = [r for r in snap["absorbed"]["member_custom_value"] if r["field_key"] == key]
            if value[0] in [r["value"] for r in mine + theirs]:
                continue
        else:
            was = merged["custom"].get(key)
            by_hand = any(v is not None and v[1] == MANUAL for v in (value, was))
            if value == was or not by_hand:
                continue
        if value is None:
            MemberCustomValue.delete().where(MemberCustomValue.member == survivor_id,
                                             MemberCustomValue.field_key == key).execute()
        else:
            values = {"value": value[0], "source": value[1], "updated_at": now}
            MemberCustomValue.insert(member=survivor_id, field_key=key, **values).on_conflict(
                conflict_target=[MemberCustomValue.member, MemberCustomValue.field_key],
                update={getattr(MemberCustomValue, k): v for k, v in values.items()}).execute()
        kept.append(customs.get(key, key))
    return tuple(kept)


def _manual_of(row: dict) -> list[str]:
    manual = row.get("manual_fields")
    return json.loads(manual) if isinstance(manual, str) else list(manual or [])


def _store_note(member_id: int, text: str, now: datetime) -> None:
    if text:
        MemberNote.insert(member=member_id, text=text, updated_at=now).on_conflict(
            conflict_target=[MemberNote.member], update={MemberNote.text: text, MemberNote.updated_at: now}).execute()
    else:
        MemberNote.delete().where(MemberNote.member == member_id).execute()


def _check_undoable(record: MergeRecord) -> None:
    if not Member.select().where(Member.id == record.survivor_id).exists():
        raise MergeError("The merged member was since merged into someone else or forgotten: "
                         "undo that first.")
    later = (MergeRecord.select().where(MergeRecord.survivor_id == record.survivor_id, MergeRecord.id > record.id)
             .order_by(MergeRecord.id.desc()).first())
    if later is not None:
        name = later.snapshot["absorbed"]["member"].get("name") or later.snapshot["absorbed"]["member"].get("x_handle")
        raise MergeError(f"Undo the later merge with {name or 'another member'} first.")
    ids = record.snapshot["absorbed"]["identity_ids"]
    elsewhere = Identity.select().where(Identity.id.in_(ids), Identity.member != record.survivor_id).exists() \
        if ids else False
    if elsewhere:
        raise MergeError("Some of the merged identities now belong to another member: undo that first.")


def _give_back_activities(survivor_id: int, absorbed_id: int, x_ids: list[str], activity_ids: list[int]) -> None:
    """Activities of the absorbed identities (by X user id, so later syncs' too) go back."""
    db, p = database_proxy.obj, database_proxy.obj.param
    for start in range(0, len(x_ids), 500):
        part = x_ids[start:start + 500]
        db.execute_sql(f'UPDATE "activity" SET "member_id" = {p} WHERE "member_id" = {p} AND "x_user_id" IN '
                       f'({", ".join(p for _ in part)})', (absorbed_id, survivor_id, *part))
    for start in range(0, len(activity_ids), 500):
        part = activity_ids[start:start + 500]
        db.execute_sql(f'UPDATE "activity" SET "member_id" = {p} WHERE "member_id" = {p} AND "x_user_id" IS NULL '
                       f'AND "id" IN ({", ".join(p for _ in part)})', (absorbed_id, survivor_id, *part))


def merged_tags_text(survivor_id: int, other_id: int) -> str:
    """The tags the merged member will have, for the preview."""
    return SEPARATOR.join(unique_tags([*tags_of(survivor_id), *tags_of(other_id)]))
