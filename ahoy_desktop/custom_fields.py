"""Custom member fields: create, rename, delete, and check values against their type.

A custom field's ``key`` never changes, so renaming keeps its values and the
mappings that fill it. Names are unique ignoring case, among custom fields
and the built-in ones.

A value typed by hand into a member's custom field is stored as ``manual``,
like a built-in field's: the mapping never overwrites it until the user takes
X's value back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from peewee import fn

from .db.models import CustomField, FieldMappingRule, MemberCustomValue, database_proxy
from .db.sqlite import write_transaction
from .mapping import ALWAYS, FieldMapping, apply_mapping, converted, load_mapping
from .member_fields import BUILTIN_FIELDS, CHOICE, DATE, NUMBER, TEXT, URL, YES_NO
from .xfields import MISSING, read_field

TYPES = (TEXT, NUMBER, DATE, URL, YES_NO, CHOICE)
MAX_NAME = 60
YES_WORDS = {"yes", "true", "1", "y"}
NO_WORDS = {"no", "false", "0", "n"}


class CustomFieldError(ValueError):
    """A change to custom fields that was refused; the message says why."""


def custom_fields() -> list[CustomField]:
    return list(CustomField.select().order_by(fn.LOWER(CustomField.name)))


def _check_name(name: str, exclude_key: str | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise CustomFieldError("A field needs a name.")
    if len(name) > MAX_NAME:
        raise CustomFieldError(f"A field name can be at most {MAX_NAME} characters.")
    lower = name.lower()
    if any(lower in (f.label.lower(), f.key.lower()) for f in BUILTIN_FIELDS):
        raise CustomFieldError(f"“{name}” is already a built-in member field.")
    clash = CustomField.get_or_none(CustomField.name_lower == lower)
    if clash is not None and clash.key != exclude_key:
        raise CustomFieldError(f"There is already a field called “{clash.name}”.")
    return name


def _check_choices(field_type: str, choices: list[str] | None) -> list[str] | None:
    if field_type != CHOICE:
        return None
    cleaned = []
    for choice in choices or []:
        choice = choice.strip()
        if choice and choice.lower() not in {c.lower() for c in cleaned}:
            cleaned.append(choice)
    if not cleaned:
        raise CustomFieldError("A one-of-a-list field needs at least one choice.")
    return cleaned


def create_custom_field(name: str, field_type: str, now: datetime, choices: list[str] | None = None) -> CustomField:
    if field_type not in TYPES:
        raise CustomFieldError(f"Unknown field type {field_type!r}.")
    name = _check_name(name)
    choices = _check_choices(field_type, choices)
    with write_transaction(database_proxy):
        number = (CustomField.select(fn.MAX(CustomField.id)).scalar() or 0) + 1
        key = f"custom_{number}"
        while CustomField.select().where(CustomField.key == key).exists():
            number += 1
            key = f"custom_{number}"
        return CustomField.create(key=key, name=name, name_lower=name.lower(), type=field_type, choices=choices,
                                  created_at=now)


def rename_custom_field(key: str, new_name: str) -> CustomField:
    field = CustomField.get_or_none(CustomField.key == key)
    if field is None:
        raise CustomFieldError("That field no longer exists.")
    name = _check_name(new_name, exclude_key=key)
    CustomField.update(name=name, name_lower=name.lower()).where(CustomField.key == key).execute()
    return CustomField.get(CustomField.key == key)


def members_with_value(key: str) -> int:
    """How many members hold a (non-empty) value in this field: said before deleting it."""
    return (MemberCustomValue.select()
            .where(MemberCustomValue.field_key == key, MemberCustomValue.value.is_null(False),
                   MemberCustomValue.value != "")
            .count())


def delete_custom_field(key: str) -> int:
    """Delete a custom field, its values and the mappings that fill it; return how many values went."""
    with write_transaction(database_proxy):
        removed = MemberCustomValue.delete().where(MemberCustomValue.field_key == key).execute()
        FieldMappingRule.delete().where(FieldMappingRule.member_field == key).execute()
        CustomField.delete().where(CustomField.key == key).execute()
    return removed


def normalized_value(field_type: str, text: str, choices: list[str] | None = None) -> str:
    """A value typed or imported for a field of this type, as stored; CustomFieldError if it does not fit."""
    text = (text or "").strip()
    if not text:
        return ""
    if field_type in (TEXT,):
        return text
    if field_type == NUMBER:
        try:
            number = float(text.replace(",", "")) if any(c in text for c in ".eE") else int(text.replace(",", ""))
        except ValueError:
            raise CustomFieldError(f"“{text}” is not a number.") from None
        return str(number)
    if field_type == DATE:
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            raise CustomFieldError(f"“{text}” is not a date (write it as 2026-12-03).") from None
    if field_type == URL:
        if not text.lower().startswith(("http://", "https://")):
            raise CustomFieldError(f"“{text}” is not a web address (it should start with https://).")
        return text
    if field_type == YES_NO:
        if text.lower() in YES_WORDS:
            return "true"
        if text.lower() in NO_WORDS:
            return "false"
        raise CustomFieldError(f"“{text}” is not yes or no.")
    if field_type == CHOICE:
        for choice in choices or []:
            if choice.lower() == text.lower():
                return choice
        raise CustomFieldError(f"“{text}” is not one of: {', '.join(choices or [])}.")
    raise CustomFieldError(f"Unknown field type {field_type!r}.")


# -- one member's values -----------------------------------------------------------

MANUAL = "manual"


@dataclass(frozen=True)
class CustomValue:
    """A custom field as one member holds it."""

    key: str
    name: str
    type: str
    choices: tuple[str, ...]
    value: str  # as stored; "" for none
    manual: bool  # typed (or imported) by hand: syncs leave it alone
    x_value: str | None  # what the member's X profile gives it through the mapping; None when nothing maps to it


def member_custom_values(member_id: int, raw_x_user: dict | None = None, mapping=None) -> list[CustomValue]:
    """Every custom field of the workspace, by name, with this member's value (empty ones too)."""
    mapping = load_mapping() if mapping is None else mapping
    stored = {v.field_key: v for v in MemberCustomValue.select().where(MemberCustomValue.member == member_id)}
    values = []
    for field in custom_fields():
        row = stored.get(field.key)
        sources = [m.x_field for m in mapping if m.member_field == field.key]
        x_value = None
        if sources:
            found = read_field(raw_x_user or {}, sources[0])
            x_value = "" if found is MISSING else str(converted(found, field.type) or "")
        values.append(CustomValue(field.key, field.name, field.type, tuple(field.choices or ()),
                                  (row.value or "") if row else "", bool(row and row.source == MANUAL), x_value))
    return values


def set_custom_value_by_hand(member_id: int, key: str, text: str, now: datetime) -> str:
    """Store a typed value (checked against the field's type) as manual; return it as stored."""
    field = CustomField.get_or_none(CustomField.key == key)
    if field is None:
        raise CustomFieldError("That field no longer exists.")
    value = normalized_value(field.type, text, field.choices)
    with write_transaction(database_proxy):
        MemberCustomValue.insert(member=member_id, field_key=key, value=value, source=MANUAL, updated_at=now) \
            .on_conflict(conflict_target=[MemberCustomValue.member, MemberCustomValue.field_key],
                         update={MemberCustomValue.value: value, MemberCustomValue.source: MANUAL,
                                 MemberCustomValue.updated_at: now}).execute()
    return value


def use_x_custom_value(member_id: int, key: str, now: datetime, mapping=None) -> str:
    """Forget a typed value: the field follows X again, from the stored profile; return the value ("" for none)."""
    mapping = load_mapping() if mapping is None else mapping
    sources = [FieldMapping(m.x_field, key, ALWAYS) for m in mapping if m.member_field == key]
    with write_transaction(database_proxy):
        MemberCustomValue.delete().where(MemberCustomValue.member == member_id,
                                         MemberCustomValue.field_key == key).execute()
        apply_mapping(sources, now, member_ids=[member_id])
    row = MemberCustomValue.get_or_none(MemberCustomValue.member == member_id, MemberCustomValue.field_key == key)
    return (row.value or "") if row else ""
