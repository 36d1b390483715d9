"""The field mapping as the Mapping tab shows it, with real example values.

Each X field is shown with a value it really has in this workspace, taken
from the most active member whose stored X object carries it, so the
mapping reads in terms of people the user knows. Empty values (a blank bio)
make poor examples and are skipped. A field no member has is reported as
such rather than with an invented value.
"""

from __future__ import annotations

from dataclasses import dataclass

from .db.models import CustomField, Member
from .mapping import FieldMapping, converted, load_mapping
from .member_fields import BUILTIN_FIELDS, MemberField
from .xfields import MISSING, X_FIELDS, X_FIELDS_BY_KEY, XField, read_field

MAPPED, X_ONLY, MEMBER_ONLY = "mapped", "x_only", "member_only"


@dataclass(frozen=True)
class Example:
    """A real value of an X field and whose it is."""

    value: object
    member_id: int
    member_name: str


@dataclass(frozen=True)
class MappingRow:
    """One line of the mapping: an X field, the member field it fills, or both."""

    section: str  # MAPPED, X_ONLY (X field not mapped) or MEMBER_ONLY (member field with no source)
    x_field: XField | None
    member_field: MemberField | None
    rule: str | None
    example: Example | None  # None: no member has this X field (or there is no X field)


def _useful(value) -> bool:
    return value is not MISSING and value is not None and value != ""


def example_values(keys: list[str]) -> dict[str, Example]:
    """For each X field key, a non-empty value from the most active member who has one.

    Streams members from the most active down, decoding only the stored X
    object, and stops as soon as every field has its example.
    """
    found: dict[str, Example] = {}
    wanted = list(keys)
    query = (Member.select(Member.id, Member.name, Member.raw_x_user)
             .where(Member.raw_x_user.is_null(False))
             .order_by(Member.activity_count.desc(), Member.id)
             .tuples())
    for member_id, name, user in query.iterator():
        for key in wanted:
            value = read_field(user, key)
            if _useful(value):
                found[key] = Example(value, member_id, name)
        wanted = [key for key in wanted if key not in found]
        if not wanted:
            break
    return found


def member_fields() -> list[MemberField]:
    """The built-in member fields, then the workspace's custom ones."""
    custom = [MemberField(c.key, c.name, c.type, builtin=False)
              for c in CustomField.select().order_by(CustomField.id)]
    return [*BUILTIN_FIELDS, *custom]


def mapping_rows(mapping: list[FieldMapping] | None = None) -> list[MappingRow]:
    """The rows of the mapping view: mapped pairs, X fields not used, member fields with no source.

    ``mapping`` defaults to the one stored in the workspace, which the sync applies.
    """
    mapping = load_mapping() if mapping is None else mapping
    fields = {f.key: f for f in member_fields()}
    mapping = [m for m in mapping if m.x_field in X_FIELDS_BY_KEY and m.member_field in fields]
    examples = example_values([f.key for f in X_FIELDS])
    rows = [MappingRow(MAPPED, X_FIELDS_BY_KEY[m.x_field], fields[m.member_field], m.rule, examples.get(m.x_field))
            for m in mapping]
    used_x = {m.x_field for m in mapping}
    filled = {m.member_field for m in mapping}
    rows += [MappingRow(X_ONLY, f, None, None, examples.get(f.key)) for f in X_FIELDS if f.key not in used_x]
    rows += [MappingRow(MEMBER_ONLY, None, f, None, None) for f in fields.values() if f.key not in filled]
    return rows


# -- preview ------------------------------------------------------------------

PREVIEW_SIZE = 5


@dataclass(frozen=True)
class PreviewMember:
    """A member the preview shows: their name and stored X object (read, never written)."""

    member_id: int
    name: str
    user: dict


def preview_members(limit: int = PREVIEW_SIZE) -> list[PreviewMember]:
    """The most active members who have an X object: people the user is likely to recognise."""
    query = (Member.select(Member.id, Member.name, Member.raw_x_user)
             .where(Member.raw_x_user.is_null(False))
             .order_by(Member.activity_count.desc(), Member.id)
             .limit(limit).tuples())
    return [PreviewMember(member_id, name, user) for member_id, name, user in query]


def preview_values(user: dict | None, mapping: list[FieldMapping], types: dict[str, str]) -> dict[str, object]:
    """What each mapped member field would take from this X object (None: X gives nothing usable).

    ``types`` maps member field keys to their type. Hand-typed values and the
    "fill when empty" rule are not considered: this shows what X offers.
    """
    out: dict[str, object] = {}
    for m in mapping:
        member_type = types.get(m.member_field)
        if member_type is None or m.x_field not in X_FIELDS_BY_KEY:
            continue
        out[m.member_field] = converted(read_field(user, m.x_field), member_type)
    return out
