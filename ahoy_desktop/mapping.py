"""Which X field fills which member field, and the rule for overwriting.

A value typed by hand is ``manual`` and no rule ever overwrites it. The rule
"always" updates from X on every sync; "fill_empty" writes only when the
member field has no value yet. A field X did not return leaves the member
field as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .db import bulk
from .db.models import MemberCustomValue
from .member_fields import BUILTIN_BY_KEY, NUMBER
from .xfields import MISSING, as_text, read_field

ALWAYS = "always"
FILL_EMPTY = "fill_empty"


@dataclass(frozen=True)
class FieldMapping:
    x_field: str
    member_field: str
    rule: str = ALWAYS


DEFAULT_MAPPING: list[FieldMapping] = [
    FieldMapping("name", "name"),
    FieldMapping("username", "x_handle"),
    FieldMapping("profile_image_url", "avatar"),
    FieldMapping("description", "bio"),
    FieldMapping("location", "location"),
    FieldMapping("website", "website"),
    FieldMapping("followers_count", "followers"),
]


def converted(value, member_type: str):
    """An X value as a member field of ``member_type`` holds it (None if it can't)."""
    if value is None or value is MISSING:
        return None
    if member_type == NUMBER:
        if isinstance(value, bool):
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    return as_text(value)


def planned_values(user: dict, mapping: list[FieldMapping], current: dict, manual: set[str]) -> dict:
    """The built-in member fields this user object sets, given current values and manual ones."""
    out = {}
    for m in mapping:
        field = BUILTIN_BY_KEY.get(m.member_field)
        if field is None or m.member_field in manual:
            continue
        value = read_field(user, m.x_field)
        if value is MISSING:
            continue
        if m.rule == FILL_EMPTY and current.get(m.member_field) not in (None, ""):
            continue
        out[m.member_field] = converted(value, field.type)
    return out


def apply_custom_mapping(member_ids_users: list[tuple[int, dict]], mapping: list[FieldMapping],
                         now: datetime) -> None:
    """Write mapped X values into custom fields, honouring rules and manual values."""
    custom = [m for m in mapping if m.member_field not in BUILTIN_BY_KEY]
    if not custom:
        return
    names = ("member", "field_key", "value", "source", "updated_at")
    for rule, guard in ((ALWAYS, NOT_MANUAL), (FILL_EMPTY, f"{NOT_MANUAL} AND {IS_EMPTY}")):
        rows = []
        for member_id, user in member_ids_users:
            for m in custom:
                value = read_field(user, m.x_field)
                if m.rule == rule and value is not MISSING:
                    rows.append((member_id, m.member_field, as_text(value), "x", now))
        bulk.upsert(MemberCustomValue, names, rows, conflict=("member", "field_key"),
                    update=("value", "updated_at"), where=guard)


_TABLE = f'"{MemberCustomValue._meta.table_name}"'
NOT_MANUAL = f"{_TABLE}.\"source\" <> 'manual'"
IS_EMPTY = f"({_TABLE}.\"value\" IS NULL OR {_TABLE}.\"value\" = '')"
