"""Segments: filters saved under a name, to pick again in the Members tab.

Names are unique ignoring case. The filter is stored as JSON, so a segment
saved by a newer version (with parts this one does not know) still opens,
with those parts left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from peewee import fn

from .db.models import SavedSegment, database_proxy
from .db.sqlite import write_transaction
from .member_filters import MemberFilter
from .search import normalized

MAX_NAME = 80


class SegmentError(ValueError):
    """A segment change that was refused; the message says why."""


@dataclass(frozen=True)
class Segment:
    id: int
    name: str
    filter: MemberFilter
    search: str


def _segment(row: SavedSegment) -> Segment:
    return Segment(row.id, row.name, MemberFilter.from_json(row.filter_json), row.search)


def list_segments() -> list[Segment]:
    return [_segment(row) for row in SavedSegment.select().order_by(fn.LOWER(SavedSegment.name), SavedSegment.id)]


def get_segment(segment_id: int) -> Segment | None:
    row = SavedSegment.get_or_none(SavedSegment.id == segment_id)
    return _segment(row) if row is not None else None


def _check_name(name: str, exclude_id: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise SegmentError("A segment needs a name.")
    if len(name) > MAX_NAME:
        raise SegmentError(f"A segment name can be at most {MAX_NAME} characters.")
    clash = SavedSegment.get_or_none(SavedSegment.name_lower == name.casefold())
    if clash is not None and clash.id != exclude_id:
        raise SegmentError(f"There is already a segment called “{clash.name}”.")
    return name


def create_segment(name: str, member_filter: MemberFilter, now: datetime, search: str = "") -> Segment:
    with write_transaction(database_proxy):
        name = _check_name(name)
        row = SavedSegment.create(name=name, name_lower=name.casefold(), filter_json=member_filter.to_json(),
                                  search=normalized(search), created_at=now, updated_at=now)
    return _segment(row)


def update_segment(segment_id: int, member_filter: MemberFilter, now: datetime, search: str = "") -> Segment:
    """Store a new filter under an existing segment's name."""
    with write_transaction(database_proxy):
        changed = SavedSegment.update(filter_json=member_filter.to_json(), search=normalized(search),
                                      updated_at=now).where(SavedSegment.id == segment_id).execute()
    if not changed:
        raise SegmentError("That segment no longer exists.")
    return get_segment(segment_id)


def rename_segment(segment_id: int, new_name: str, now: datetime) -> Segment:
    with write_transaction(database_proxy):
        if SavedSegment.get_or_none(SavedSegment.id == segment_id) is None:
            raise SegmentError("That segment no longer exists.")
        name = _check_name(new_name, exclude_id=segment_id)
        SavedSegment.update(name=name, name_lower=name.casefold(), updated_at=now).where(
            SavedSegment.id == segment_id).execute()
    return get_segment(segment_id)


def delete_segment(segment_id: int) -> bool:
    with write_transaction(database_proxy):
        return SavedSegment.delete().where(SavedSegment.id == segment_id).execute() > 0
