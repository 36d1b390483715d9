"""The columns a members table (or an export of it) can show, and the SQL behind each.

Every column has a value expression on member ``m`` (with its score ``s`` and
stage ``st`` joined) and a sort: a list of never-NULL expressions and their
direction, ending in the member id so every order is total and a keyset
window can start after any row. Custom fields are columns too, one each.
"""

from __future__ import annotations

from dataclasses import dataclass

from .db.models import CustomField
from .member_fields import BUILTIN_FIELDS, DATE, NUMBER, TEXT

# Kinds of value, for display and export: text, a whole number, a time, a stage badge.
TEXT_KIND, INT_KIND, REAL_KIND, TIME_KIND, STAGE_KIND, DAY_KIND, YES_NO_KIND = (
    "text", "int", "real", "time", "stage", "day", "yes_no")

NAME, HANDLE, STAGE, SCORE, ACTIVITY, LAST_ACTIVE, FIRST_SEEN, FOLLOWERS, ACCOUNTS, TAGS = (
    "name", "handle", "stage", "score", "activity", "last_active", "first_seen", "followers", "accounts", "tags")
X_USER_ID, NOTES = "x_user_id", "notes"  # the keys the importer reads them back into
ID_SEPARATOR = ";"

# (expression, direction): None follows the direction asked for; True keeps empty values last either way.
SortKey = list[tuple[str, bool | None]]


@dataclass(frozen=True)
class MemberColumn:
    key: str
    header: str  # in English; the UI shows its own translation for the built-in ones
    kind: str
    value_sql: str
    sort: tuple[tuple[str, bool | None], ...]
    sortable: bool = True
    custom: bool = False


def _empty_last(expr: str) -> str:
    return f"CASE WHEN coalesce({expr}, '') = '' THEN 1 ELSE 0 END"


def _text_sort(expr: str) -> tuple:
    return ((_empty_last(expr), True), (f"lower(coalesce({expr}, ''))", None), ('m."id"', None))


def _number_sort(expr: str) -> tuple:
    return ((_empty_last(expr), True), (f"coalesce(CAST({expr} AS REAL), 0)", None), ('m."id"', None))


# Per account, does the member have an activity through it: read through the member's own activities
# (the member index) and stop at the first one found, so a member with thousands of activities costs
# no more than one with a single activity. (The unary + keeps SQLite off the account index, which
# would read every activity of the account for each member.)
_ACCOUNTS_SQL = ('(SELECT group_concat(ac."username", \', \') FROM "account" ac WHERE EXISTS '
                 '(SELECT 1 FROM "activity" a WHERE a."member_id" = m."id" AND +a."account_id" = ac."id"))')

# A member's X user ids as their digits, in number order (ids of one length sort as text).
_X_USER_IDS_SQL = (f'(SELECT group_concat("x_user_id", \'{ID_SEPARATOR}\') FROM '
                   '(SELECT i."x_user_id" FROM "identity" i WHERE i."member_id" = m."id" AND i."x_user_id" IS NOT NULL '
                   'ORDER BY length(i."x_user_id"), i."x_user_id"))')
_NOTES_SQL = '(SELECT n."text" FROM "member_note" n WHERE n."member_id" = m."id")'

FIXED_COLUMNS: list[MemberColumn] = [
    MemberColumn(NAME, "Name", TEXT_KIND, 'm."name"',
                 (("CASE WHEN m.\"name\" = '' THEN 1 ELSE 0 END", True), ('lower(m."name")', None),
                  ('m."id"', None))),
    MemberColumn(HANDLE, "Handle", TEXT_KIND, 'm."x_handle"',
                 (("CASE WHEN m.\"x_handle\" = '' THEN 1 ELSE 0 END", True), ('lower(m."x_handle")', None),
                  ('m."id"', None))),
    # Stages in range order (members with none last); then score within a stage.
    MemberColumn(STAGE, "Stage", STAGE_KIND, 'coalesce(st."name", \'\')',
                 (('CASE WHEN st."id" IS NULL THEN 1 ELSE 0 END', True), ('coalesce(st."min_points", 0)', None),
                  ('coalesce(s."score", 0)', None), ('m."id"', None))),
    MemberColumn(SCORE, "Score", INT_KIND, 'coalesce(s."score", 0)',
                 (('coalesce(s."score", 0)', None), ('m."id"', None))),
    MemberColumn(ACTIVITY, "Activity", INT_KIND, 'm."activity_count"',
                 (('m."activity_count"', None), ('m."id"', None))),
    MemberColumn(LAST_ACTIVE, "Last active", TIME_KIND, 'm."last_active_at"',
                 (('CASE WHEN m."last_active_at" IS NULL THEN 1 ELSE 0 END', True),
                  ('coalesce(m."last_active_at", \'\')', None), ('m."id"', None))),
    MemberColumn(FIRST_SEEN, "First seen", TIME_KIND, 'm."first_seen_at"',
                 (('m."first_seen_at"', None), ('m."id"', None))),
    MemberColumn(FOLLOWERS, "Followers", INT_KIND, 'm."followers"', _number_sort('m."followers"')),
    MemberColumn(ACCOUNTS, "Accounts", TEXT_KIND, _ACCOUNTS_SQL, _text_sort(_ACCOUNTS_SQL)),
    MemberColumn(TAGS, "Tags", TEXT_KIND, 'm."tags"', _text_sort('m."tags"')),
    MemberColumn(X_USER_ID, "X user id", TEXT_KIND, _X_USER_IDS_SQL, _number_sort(_X_USER_IDS_SQL)),
    MemberColumn(NOTES, "Notes", TEXT_KIND, _NOTES_SQL, _text_sort(_NOTES_SQL)),
]
_SHOWN_ELSEWHERE = {"name", "x_handle", "followers", "tags"}
FIELD_COLUMNS: list[MemberColumn] = [
    MemberColumn(f.key, f.label, INT_KIND if f.type == NUMBER else TEXT_KIND, f'm."{f.key}"',
                 _number_sort(f'm."{f.key}"') if f.type == NUMBER else _text_sort(f'm."{f.key}"'))
    for f in BUILTIN_FIELDS if f.key not in _SHOWN_ELSEWHERE
]
DEFAULT_VISIBLE = (NAME, HANDLE, STAGE, SCORE, ACTIVITY, LAST_ACTIVE, FIRST_SEEN, FOLLOWERS, ACCOUNTS, TAGS)
_CUSTOM_KINDS = {NUMBER: REAL_KIND, DATE: DAY_KIND, "yes_no": YES_NO_KIND, TEXT: TEXT_KIND}


def custom_column(field: CustomField) -> MemberColumn:
    value = (f'(SELECT v."value" FROM "member_custom_value" v WHERE v."member_id" = m."id" '
             f"AND v.\"field_key\" = '{field.key}')")
    kind = _CUSTOM_KINDS.get(field.type, TEXT_KIND)
    sort = _number_sort(value) if kind == REAL_KIND else _text_sort(value)
    return MemberColumn(field.key, field.name, kind, value, sort, custom=True)


def all_columns() -> list[MemberColumn]:
    """Every column the workspace can show: the fixed ones, the other built-in fields, its custom fields."""
    customs = [custom_column(f) for f in CustomField.select().order_by(CustomField.id)]
    return [*FIXED_COLUMNS, *FIELD_COLUMNS, *customs]


def columns_by_key(keys: list[str] | tuple[str, ...] | None = None) -> list[MemberColumn]:
    """The columns for these keys in this order (unknown keys, e.g. a deleted field, are skipped)."""
    known = {c.key: c for c in all_columns()}
    if keys is None:
        return list(known.values())
    return [known[k] for k in keys if k in known]


def export_keys(visible: list[str] | tuple[str, ...]) -> list[str]:
    """The columns an export of the view writes: those shown, with the X user id always among them.

    Without the id a file read back could not tell apart two people of the
    same name, nor find a member whose handle changed; it goes after the handle.
    """
    keys = list(visible)
    if X_USER_ID not in keys:
        anchor = next((k for k in (HANDLE, NAME) if k in keys), None)
        keys.insert(keys.index(anchor) + 1 if anchor is not None else 0, X_USER_ID)
    return keys


def parse_visible(text: str, available: list[str]) -> list[str]:
    """The remembered "key,key,..." list, keeping only keys that still exist (the default if none)."""
    keys = [k for k in (text or "").split(",") if k in available]
    return list(dict.fromkeys(keys)) or [k for k in DEFAULT_VISIBLE if k in available]
