"""The member columns an export knows, as plain Python values, and a one-call export of them.

Values are typed for the writers: ids and handles as text, counts and
number fields as numbers, times as aware UTC datetimes, custom dates as
dates, yes/no fields as booleans, empty as None. Headers are the fields'
labels, which the importer maps back to the same fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from peewee import DateTimeField

from ..db import bulk
from ..db.models import CustomField, Member
from ..member_fields import BUILTIN_FIELDS, DATE, NUMBER, YES_NO
from .csv_export import write_csv
from .import_plan import NOTES, TAGS, X_USER_ID
from .xlsx_export import write_xlsx

ACTIVITY_COUNT, FIRST_ACTIVE, LAST_ACTIVE = "activity_count", "first_active_at", "last_active_at"
CHUNK = 500
ID_SEPARATOR = ";"


@dataclass(frozen=True)
class ExportColumn:
    key: str
    header: str
    custom_type: str | None = None  # the type of a custom field


def export_columns() -> list[ExportColumn]:
    """Every column an export can hold, in the order they are offered."""
    builtin = [ExportColumn(f.key, f.label) for f in BUILTIN_FIELDS]
    columns = [*builtin[:2], ExportColumn(X_USER_ID, "X user id"), *builtin[2:], ExportColumn(TAGS, "Tags"),
               ExportColumn(NOTES, "Notes")]
    columns += [ExportColumn(c.key, c.name, c.type) for c in CustomField.select().order_by(CustomField.name)]
    columns += [ExportColumn(ACTIVITY_COUNT, "Activity count"), ExportColumn(FIRST_ACTIVE, "First active (UTC)"),
                ExportColumn(LAST_ACTIVE, "Last active (UTC)")]
    return columns


def _custom_value(field_type: str, text: str | None):
    if text is None or text == "":
        return None
    try:
        if field_type == NUMBER:
            return int(text) if text.lstrip("+-").isdigit() else float(text)
        if field_type == DATE:
            return date.fromisoformat(text)
        if field_type == YES_NO:
            return text == "true"
    except ValueError:
        pass  # a value stored before its field's type said otherwise: shown as the text it is
    return text


def _member_values(chunk: list[int], keys: list[str]) -> dict[int, dict[str, object]]:
    """Column values of these members, read as plain tuples (building model objects costs more than the SQL)."""
    if not keys:
        return {i: {} for (i,) in bulk.select_in('SELECT "id" FROM "member" WHERE "id" IN', (), chunk)}
    columns = ", ".join(f'"{key}"' for key in keys)
    times = {key for key in keys if isinstance(getattr(Member, key), DateTimeField)}
    found = {}
    for member_id, *values in bulk.select_in(f'SELECT "id", {columns} FROM "member" WHERE "id" IN', (), chunk):
        found[member_id] = {key: _utc(value) if key in times else value
                            for key, value in zip(keys, values, strict=True)}
    return found


def _utc(value) -> datetime | None:
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value


def member_rows(member_ids: list[int] | None, columns: list[ExportColumn]) -> Iterator[list[object]]:
    """One row of values per member, in the order of ``member_ids`` (all members by id when None)."""
    if member_ids is None:
        member_ids = [i for (i,) in Member.select(Member.id).order_by(Member.id).tuples()]
    member_columns = [c.key for c in columns if c.custom_type is None and c.key not in (X_USER_ID, NOTES)]
    for start in range(0, len(member_ids), CHUNK):
        chunk = member_ids[start:start + CHUNK]
        members = _member_values(chunk, member_columns)
        ids: dict[int, list[str]] = {}
        for member_id, uid in bulk.select_in(
                'SELECT "member_id", "x_user_id" FROM "identity" WHERE "x_user_id" IS NOT NULL AND "member_id" IN',
                (), chunk):
            ids.setdefault(member_id, []).append(uid)
        custom: dict[tuple[int, str], str] = {
            (m, k): v for m, k, v in bulk.select_in(
                'SELECT "member_id", "field_key", "value" FROM "member_custom_value" WHERE "member_id" IN', (), chunk)}
        notes = dict(bulk.select_in('SELECT "member_id", "text" FROM "member_note" WHERE "member_id" IN', (), chunk))
        for member_id in chunk:
            values = members.get(member_id)
            if values is None:
                continue  # deleted since the list was made
            row = []
            for column in columns:
                if column.key == X_USER_ID:
                    row.append(ID_SEPARATOR.join(sorted(ids.get(member_id, []), key=int)) or None)
                elif column.key == NOTES:
                    row.append(notes.get(member_id) or None)
                elif column.custom_type is not None:
                    row.append(_custom_value(column.custom_type, custom.get((member_id, column.key))))
                else:
                    value = values[column.key]
                    row.append(None if value == "" else value)
            yield row


def export_members(path: str | Path, member_ids: list[int] | None = None,
                   column_keys: list[str] | None = None) -> int:
    """Write members to ``path``: an Excel workbook for ``.xlsx``, CSV otherwise; return the row count.

    ``column_keys`` picks and orders columns (all known columns when None).
    """
    known = {c.key: c for c in export_columns()}
    if column_keys is None:
        columns = list(known.values())
    else:
        missing = [k for k in column_keys if k not in known]
        if missing:
            raise KeyError(f"unknown member columns: {', '.join(missing)}")
        columns = [known[k] for k in column_keys]
    headers = [c.header for c in columns]
    writer = write_xlsx if Path(path).suffix.lower() == ".xlsx" else write_csv
    return writer(path, headers, member_rows(member_ids, columns))
