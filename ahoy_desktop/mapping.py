"""Which X field fills which member field, and the rule for overwriting.

A value typed by hand is ``manual`` and no rule ever overwrites it. The rule
"always" updates from X on every sync; "fill_empty" writes only when the
member field has no value yet. A field X did not return leaves the member
field as it is. Values come from each member's own stored X user object, so
a mapping can be re-applied at any time without an API call.

The mapping is applied in SQL (see ``db/json_sql.py``), by the sync for the
members of each page and by ``reapply_all`` for everyone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .db.json_sql import presence, value
from .db.models import CustomField, FieldMappingRule, Member, MemberCustomValue, database_proxy
from .db.sqlite import write_transaction
from .member_fields import BUILTIN_BY_KEY, CHOICE, DATE, NUMBER, TEXT, URL, YES_NO
from .xfields import MISSING, X_FIELDS_BY_KEY, as_text, read_field

ALWAYS = "always"
FILL_EMPTY = "fill_empty"
RULES = (ALWAYS, FILL_EMPTY)
NOT_NULL_COLUMNS = {"name", "x_handle"}


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

# Which kinds of X value each type of member field takes.
ACCEPTS = {
    TEXT: {"text", "number", "date", "bool", "url"},
    NUMBER: {"number"},
    DATE: {"date"},
    URL: {"url"},
    YES_NO: {"bool"},
    CHOICE: set(),
}
KIND_WORDS = {"text": "text", "number": "a count", "date": "a date", "bool": "a yes/no value", "url": "a web address"}
TYPE_WORDS = {TEXT: "a text field", NUMBER: "a number field", DATE: "a date field", URL: "a URL field",
              YES_NO: "a yes/no field", CHOICE: "a one-of-a-list field"}


class MappingError(ValueError):
    """A mapping that cannot be saved, with the reason in words."""


def member_field_type(member_field: str) -> str | None:
    builtin = BUILTIN_BY_KEY.get(member_field)
    if builtin is not None:
        return builtin.type
    custom = CustomField.get_or_none(CustomField.key == member_field)
    return custom.type if custom else None


def refusal(x_field: str, member_field: str) -> str | None:
    """Why ``x_field`` cannot fill ``member_field``, or None when it can."""
    source = X_FIELDS_BY_KEY.get(x_field)
    if source is None:
        return f"X gives no field called {x_field!r}."
    member_type = member_field_type(member_field)
    if member_type is None:
        return f"There is no member field called {member_field!r}."
    if source.kind in ACCEPTS.get(member_type, set()):
        return None
    if member_type == CHOICE:
        return "A one-of-a-list field is filled by hand: X's values may not be among its choices."
    return (f"{source.label} is {KIND_WORDS[source.kind]}, and {TYPE_WORDS[member_type]} "
            f"cannot hold it. Choose a text field, or a field of the same type.")


def load_mapping() -> list[FieldMapping]:
    return [FieldMapping(r.x_field, r.member_field, r.rule)
            for r in FieldMappingRule.select().order_by(FieldMappingRule.id)]


def validate(mapping: list[FieldMapping]) -> None:
    seen: set[str] = set()
    for m in mapping:
        if m.member_field in seen:
            raise MappingError(f"{m.member_field!r} has two sources; a member field takes one.")
        seen.add(m.member_field)
        if m.rule not in RULES:
            raise MappingError(f"Unknown rule {m.rule!r}.")
        reason = refusal(m.x_field, m.member_field)
        if reason:
            raise MappingError(reason)


def save_mapping(mapping: list[FieldMapping]) -> None:
    """Replace the workspace's mapping (validated first; nothing changes if it is refused)."""
    validate(mapping)
    with write_transaction(database_proxy):
        FieldMappingRule.delete().execute()
        if mapping:
            FieldMappingRule.insert_many(
                [{"member_field": m.member_field, "x_field": m.x_field, "rule": m.rule} for m in mapping]).execute()


def changed_entries(old: list[FieldMapping], new: list[FieldMapping]) -> list[FieldMapping]:
    """The entries of ``new`` that need applying: added, or with another source or rule.

    A member field that lost its source keeps the values it has.
    """
    before = set(old)
    return [m for m in new if m not in before]


# -- applying ---------------------------------------------------------------


def apply_mapping(mapping: list[FieldMapping], now: datetime, *, member_ids: list[int] | None = None,
                  id_range: tuple[int, int] | None = None) -> int:
    """Write mapped values from stored X objects; return how many values changed.

    Limited to ``member_ids`` or to ids in ``id_range`` (inclusive). Call
    inside a write transaction.
    """
    if member_ids is not None and not member_ids:
        return 0
    db = database_proxy.obj
    p = db.param
    if member_ids is not None:
        where, params = f'"id" IN ({", ".join(p for _ in member_ids)})', list(member_ids)
    elif id_range is not None:
        where, params = f'"id" BETWEEN {p} AND {p}', list(id_range)
    else:
        where, params = "1 = 1", []
    changed = 0
    for m in mapping:
        if BUILTIN_BY_KEY.get(m.member_field):
            sql, extra = _builtin_sql(m, where)
            changed += db.execute_sql(sql, [*extra, *params]).rowcount
        else:
            member_type = member_field_type(m.member_field)
            if member_type is None:
                continue
            sql = _custom_sql(m, member_type, where)
            changed += db.execute_sql(sql, [m.member_field, Member.first_seen_at.db_value(now), *params]).rowcount
    return changed


def _builtin_sql(m: FieldMapping, where: str) -> tuple[str, list]:
    column = m.member_field
    member_type = BUILTIN_BY_KEY[column].type
    new = value(m.x_field, member_type)
    if column in NOT_NULL_COLUMNS:
        new = f"COALESCE({new}, '')"
    conditions = [where, presence(m.x_field), f"instr(\"manual_fields\", '\"{column}\"') = 0",
                  f'"{column}" IS NOT {new}']
    if m.rule == FILL_EMPTY:
        conditions.append(f"(\"{column}\" IS NULL OR \"{column}\" = '')")
    return f'UPDATE "member" SET "{column}" = {new} WHERE ' + " AND ".join(conditions), []


def _custom_sql(m: FieldMapping, member_type: str, where: str) -> str:
    p = database_proxy.obj.param
    table = f'"{MemberCustomValue._meta.table_name}"'
    guard = [f"{table}.\"source\" <> 'manual'", f'{table}."value" IS NOT excluded."value"']
    if m.rule == FILL_EMPTY:
        guard.append(f"({table}.\"value\" IS NULL OR {table}.\"value\" = '')")
    return (
        f'INSERT INTO {table} ("member_id", "field_key", "value", "source", "updated_at") '
        f"SELECT \"id\", {p}, {value(m.x_field, member_type)}, 'x', {p} FROM \"member\" "
        f"WHERE {where} AND {presence(m.x_field)} "
        f'ON CONFLICT ("member_id", "field_key") DO UPDATE SET "value" = excluded."value", '
        f'"updated_at" = excluded."updated_at" WHERE ' + " AND ".join(guard)
    )


def reapply_all(mapping: list[FieldMapping], now: datetime, *, chunk: int = 5000,
                progress: Callable[[int, int], None] | None = None,
                cancel: threading.Event | None = None) -> int:
    """Re-apply the mapping to every member, a chunk of ids per short transaction.

    Short transactions keep a sync (or the window) from waiting long for the
    write lock; ``progress(done, total)`` is called after each chunk.
    """
    db = database_proxy.obj
    low, high = db.execute_sql('SELECT MIN("id"), MAX("id") FROM "member"').fetchone()
    total = Member.select().count()
    if low is None:
        if progress:
            progress(0, 0)
        return 0
    changed, start = 0, low
    while start <= high:
        if cancel is not None and cancel.is_set():
            break
        end = start + chunk - 1
        with write_transaction(database_proxy):
            changed += apply_mapping(mapping, now, id_range=(start, end))
        if progress:
            done = db.execute_sql(f'SELECT COUNT(*) FROM "member" WHERE "id" <= {db.param}', (end,)).fetchone()[0]
            progress(min(done, total), total)
        start = end + 1
    return changed


def converted(value_, member_type: str):
    """An X value as a member field of ``member_type`` holds it (None if it can't)."""
    if value_ is None or value_ is MISSING:
        return None
    if member_type == NUMBER:
        if isinstance(value_, bool):
            return None
        try:
            return int(value_)
        except (TypeError, ValueError):
            return None
    return as_text(value_)


def planned_values(user: dict, mapping: list[FieldMapping], current: dict, manual: set[str]) -> dict:
    """The built-in member fields this user object sets, given current values and manual ones."""
    out = {}
    for m in mapping:
        field = BUILTIN_BY_KEY.get(m.member_field)
        if field is None or m.member_field in manual:
            continue
        found = read_field(user, m.x_field)
        if found is MISSING:
            continue
        if m.rule == FILL_EMPTY and current.get(m.member_field) not in (None, ""):
            continue
        out[m.member_field] = converted(found, field.type)
    return out
