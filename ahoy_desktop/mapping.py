"""Which X field fills which member field, and the rule for overwriting.

A value typed by hand is ``manual`` and no rule ever overwrites it. The rule
"always" updates from X on every sync; "fill_empty" writes only when the
member field has no value yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from peewee import EXCLUDED

from .db.models import MemberFieldValue
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


def mapped_values(user: dict, mapping: list[FieldMapping]) -> list[tuple[FieldMapping, str | None]]:
    """(mapping, value) for every mapped field X returned in ``user``."""
    out = []
    for m in mapping:
        value = read_field(user, m.x_field)
        if value is not MISSING:
            out.append((m, as_text(value)))
    return out


def apply_mapping(member_ids_users: list[tuple[int, dict]], mapping: list[FieldMapping], now: datetime) -> None:
    """Write mapped X values for these members, honouring rules and manual values."""
    not_manual = MemberFieldValue.source != "manual"
    is_empty = MemberFieldValue.value.is_null() | (MemberFieldValue.value == "")
    for rule, may_write in ((ALWAYS, not_manual), (FILL_EMPTY, not_manual & is_empty)):
        rows = [
            {"member": member_id, "field_key": m.member_field, "value": value, "source": "x", "updated_at": now}
            for member_id, user in member_ids_users
            for m, value in mapped_values(user, mapping)
            if m.rule == rule
        ]
        for start in range(0, len(rows), 500):
            MemberFieldValue.insert_many(rows[start:start + 500]).on_conflict(
                conflict_target=[MemberFieldValue.member, MemberFieldValue.field_key],
                update={MemberFieldValue.value: EXCLUDED.value, MemberFieldValue.updated_at: EXCLUDED.updated_at},
                where=may_write,
            ).execute()
