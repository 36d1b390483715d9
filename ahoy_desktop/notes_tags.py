"""A member's tags and notes: what the user writes about people, never touched by a sync.

Tags live one per row in ``member_tag`` so the member list can filter on them
in SQL; a tag is stored as typed (tidied) with a folded key, so "VIP" and
"vip" are one tag. ``member.tags`` keeps a comma-separated copy for display,
search and export, rewritten whenever the tags change. Notes are one text per
member in ``member_note``; an empty note is no row.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from .db.models import Member, MemberNote, MemberTag, database_proxy
from .db.sqlite import write_transaction

MAX_TAG_LENGTH = 50
SEPARATOR = ", "


class InvalidTag(ValueError):
    """A tag that cannot be stored; the message says why and nothing was changed."""

    def __init__(self, tag: str, message: str):
        super().__init__(message)
        self.tag = tag


def tidy_tag(text: str) -> str:
    """A tag as stored: Unicode-normalised, spaces collapsed, no commas (they separate tags)."""
    text = unicodedata.normalize("NFKC", text).replace(",", " ")
    return re.sub(r"\s+", " ", text).strip()


def tag_key(tag: str) -> str:
    return tidy_tag(tag).casefold()


def parse_tags(text: str) -> list[str]:
    """Tags from a comma-separated list: tidied, empty ones dropped, the first spelling of each kept."""
    return unique_tags(text.split(","))


def unique_tags(tags) -> list[str]:
    """Tidied tags, each once (ignoring case), in the order given; raises InvalidTag for a long one."""
    seen, out = set(), []
    for raw in tags:
        tag = tidy_tag(raw)
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise InvalidTag(tag, f"A tag can be at most {MAX_TAG_LENGTH} characters; “{tag[:20]}…” is longer.")
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            out.append(tag)
    return out


def tags_of(member_id: int) -> list[str]:
    """A member's tags, alphabetically (ignoring case)."""
    return [t for (t,) in MemberTag.select(MemberTag.tag).where(MemberTag.member == member_id)
            .order_by(MemberTag.tag_key).tuples()]


def set_tags(member_id: int, tags) -> list[str]:
    """Replace a member's tags; return them as stored. Raises LookupError for an unknown member."""
    tags = unique_tags(tags)
    with write_transaction(database_proxy):
        if not Member.select().where(Member.id == member_id).exists():
            raise LookupError(f"no member {member_id}")
        store_tags(member_id, tags)
    return tags_of(member_id)


def store_tags(member_id: int, tags: list[str]) -> None:
    """Write already tidied tags and the display copy. Call inside a write transaction."""
    MemberTag.delete().where(MemberTag.member == member_id).execute()
    if tags:
        MemberTag.insert_many([{"member": member_id, "tag": t, "tag_key": t.casefold()} for t in tags]).execute()
    refresh_tag_copy(member_id)


def refresh_tag_copy(member_id: int) -> None:
    """Rewrite ``member.tags`` from the tag rows (None when there are none)."""
    tags = tags_of(member_id)
    Member.update(tags=SEPARATOR.join(tags) if tags else None).where(Member.id == member_id).execute()


def add_tag(member_id: int, tag: str) -> list[str]:
    return set_tags(member_id, [*tags_of(member_id), tag])


def remove_tag(member_id: int, tag: str) -> list[str]:
    key = tag_key(tag)
    return set_tags(member_id, [t for t in tags_of(member_id) if t.casefold() != key])


def all_tags() -> list[tuple[str, int]]:
    """Every tag in use with how many members have it, for completion and filters."""
    rows = database_proxy.obj.execute_sql(
        'SELECT MIN("tag"), COUNT(*) FROM "member_tag" GROUP BY "tag_key" ORDER BY "tag_key"').fetchall()
    return [(tag, count) for tag, count in rows]


def note_of(member_id: int) -> str:
    row = MemberNote.get_or_none(MemberNote.member == member_id)
    return row.text if row else ""


def set_note(member_id: int, text: str, now: datetime) -> None:
    """Store a member's notes as typed (only surrounding blank lines dropped); empty removes them."""
    text = text.strip("\n\r ")
    with write_transaction(database_proxy):
        if not Member.select().where(Member.id == member_id).exists():
            raise LookupError(f"no member {member_id}")
        if not text:
            MemberNote.delete().where(MemberNote.member == member_id).execute()
            return
        MemberNote.insert(member=member_id, text=text, updated_at=now).on_conflict(
            conflict_target=[MemberNote.member],
            update={MemberNote.text: text, MemberNote.updated_at: now}).execute()


def backfill_tags_from_column() -> int:
    """Turn the comma-separated ``member.tags`` values of an older workspace into tag rows.

    Used by the migration; over-long tags are cut rather than refused, so no
    value is lost. Returns how many members had tags.
    """
    rows = database_proxy.obj.execute_sql(
        'SELECT "id", "tags" FROM "member" WHERE "tags" IS NOT NULL AND trim("tags") <> \'\'').fetchall()
    for member_id, text in rows:
        tags = unique_tags(tidy_tag(t)[:MAX_TAG_LENGTH] for t in text.split(","))
        store_tags(member_id, tags)
    return len(rows)
