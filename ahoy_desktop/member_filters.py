"""Which members to show: a small filter that turns into SQL and into JSON.

A ``MemberFilter`` is plain data, so a segment can store it as JSON and the
table, the count and the export all read the same SQL. Every part narrows
the list (they combine with AND); within a part, any of the values chosen
will do (stage A or stage B).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime, time, timedelta

from .custom_fields import CustomFieldError, normalized_value
from .db.models import CustomField
from .member_columns import FIXED_COLUMNS, NOTES, X_USER_ID
from .member_fields import BUILTIN_BY_KEY, DATE, NUMBER, TEXT, YES_NO
from .notes_tags import tag_key

NO_STAGE = 0  # in ``stages``: members with no stage
CONTAINS, EQUALS, ABOVE, BELOW, IS_EMPTY, NOT_EMPTY = "contains", "equals", "above", "below", "empty", "not_empty"
BEFORE, AFTER = "before", "after"  # for date fields (above and below mean the same there)
OPERATORS = (CONTAINS, EQUALS, ABOVE, BELOW, BEFORE, AFTER, IS_EMPTY, NOT_EMPTY)
_CUSTOM_KEY = re.compile(r"^custom_\d+$")

# Why a condition cannot run, as codes the window puts in words (``condition_problem``).
UNKNOWN_FIELD, UNKNOWN_TEST, NEEDS_VALUE, NOT_A_NUMBER, NOT_A_DAY, NOT_YES_NO = (
    "unknown_field", "unknown_test", "needs_value", "not_a_number", "not_a_day", "not_yes_no")
NUMBER_TESTS = (EQUALS, ABOVE, BELOW, IS_EMPTY, NOT_EMPTY)
DATE_TESTS = (EQUALS, BEFORE, AFTER, IS_EMPTY, NOT_EMPTY)
YES_NO_TESTS = (EQUALS, IS_EMPTY, NOT_EMPTY)
TEXT_TESTS = (CONTAINS, EQUALS, IS_EMPTY, NOT_EMPTY)


class FilterError(ValueError):
    """A filter that cannot run (an unknown field, a number that is not one); the message says why."""

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class FieldCondition:
    """One test of a member field: ``location contains "Berlin"``, ``followers above 1000``."""

    field: str
    operator: str
    value: str = ""


@dataclass(frozen=True)
class MemberFilter:
    stages: tuple[int, ...] = ()  # stage ids; NO_STAGE for members without one
    accounts: tuple[int, ...] = ()  # members who came through any of these accounts
    kinds: tuple[str, ...] = ()  # members with at least one activity of any of these kinds
    active_within_days: int | None = None  # last active at most this many days ago
    inactive_for_days: int | None = None  # last active more than this many days ago (or never)
    active_from: str | None = None  # ISO day, inclusive (UTC)
    active_to: str | None = None  # ISO day, inclusive (UTC)
    tags: tuple[str, ...] = ()  # members carrying every one of these tags
    conditions: tuple[FieldCondition, ...] = ()

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) not in (None, ()) for f in fields(self))

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> MemberFilter:
        """A filter read back from JSON; unknown keys (from a newer version) are ignored."""
        try:
            data = json.loads(text)
            if not isinstance(data, dict):
                raise TypeError("not an object")
            conditions = tuple(FieldCondition(str(c["field"]), str(c["operator"]), str(c.get("value", "")))
                               for c in data.get("conditions", ()))
            known = {f.name for f in fields(cls)} - {"conditions"}
            values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known}
            return cls(**values, conditions=conditions)
        except (ValueError, TypeError, KeyError) as exc:
            raise FilterError(f"This saved filter cannot be read ({exc}).") from None


def field_expression(key: str) -> tuple[str, str]:
    """The SQL for a member field's value on member ``m``, and the field's type."""
    if key in BUILTIN_BY_KEY:
        return f'm."{key}"', BUILTIN_BY_KEY[key].type
    if key in (X_USER_ID, NOTES):
        return next(c.value_sql for c in FIXED_COLUMNS if c.key == key), TEXT
    if _CUSTOM_KEY.match(key):
        custom = CustomField.get_or_none(CustomField.key == key)
        if custom is not None:
            value = (f'(SELECT v."value" FROM "member_custom_value" v WHERE v."member_id" = m."id" '
                     f"AND v.\"field_key\" = '{key}')")
            return value, custom.type
    raise FilterError(f"There is no member field {key!r}.", UNKNOWN_FIELD)


def _number(text: str) -> float:
    try:
        return float(text.replace(",", "").replace(" ", "").strip())
    except ValueError:
        raise FilterError(f"“{text}” is not a number.") from None


def tests_for(field_type: str) -> tuple[str, ...]:
    """The tests that make sense for a field of this type, in the order offered."""
    return {NUMBER: NUMBER_TESTS, DATE: DATE_TESTS, YES_NO: YES_NO_TESTS}.get(field_type, TEXT_TESTS)


def condition_problem(condition: FieldCondition) -> str | None:
    """Why the condition cannot run (a code), or None: asked before a condition is added."""
    try:
        _condition(condition)
    except FilterError as exc:
        return exc.code
    return None


def _condition(condition: FieldCondition) -> tuple[str, list]:
    expr, kind = field_expression(condition.field)
    op, value = condition.operator, condition.value.strip()
    if op not in OPERATORS:
        raise FilterError(f"Unknown condition {op!r}.", UNKNOWN_TEST)
    if op == IS_EMPTY:
        return f"coalesce({expr}, '') = ''", []
    if op == NOT_EMPTY:
        return f"coalesce({expr}, '') <> ''", []
    if not value:
        raise FilterError("This condition needs a value.", NEEDS_VALUE)
    if kind == DATE:
        day = _day_text(value)
        if op in (BEFORE, BELOW, AFTER, ABOVE):
            return (f"(coalesce({expr}, '') <> '' AND substr({expr}, 1, 10) {'<' if op in (BEFORE, BELOW) else '>'} ?)",
                    [day])
        if op == EQUALS:
            return f"substr(coalesce({expr}, ''), 1, 10) = ?", [day]
    if op in (ABOVE, BELOW, BEFORE, AFTER):
        number = _number_of(value)
        return (f"({expr} IS NOT NULL AND {expr} <> '' AND CAST({expr} AS REAL) "
                f"{'>' if op in (ABOVE, AFTER) else '<'} ?)", [number])
    if op == EQUALS:
        if kind == NUMBER:
            return f"({expr} IS NOT NULL AND {expr} <> '' AND CAST({expr} AS REAL) = ?)", [_number_of(value)]
        if kind == YES_NO:
            return f"coalesce({expr}, '') = ?", [_yes_no(value)]
        return f"lower(coalesce({expr}, '')) = lower(?)", [value]
    return f"instr(lower(coalesce({expr}, '')), lower(?)) > 0", [value]


def _number_of(text: str) -> float:
    try:
        return _number(text)
    except FilterError as exc:
        raise FilterError(str(exc), NOT_A_NUMBER) from None


def _day_text(text: str) -> str:
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise FilterError(f"“{text}” is not a day (write it as 2026-12-03).", NOT_A_DAY) from None


def _yes_no(text: str) -> str:
    try:
        return normalized_value(YES_NO, text)
    except CustomFieldError:
        raise FilterError(f"“{text}” is not yes or no.", NOT_YES_NO) from None


def _day(text: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
    except ValueError:
        raise FilterError(f"“{text}” is not a day (write it as 2026-12-03).") from None


def _stored(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def filter_clauses(spec: MemberFilter, now: datetime) -> list[tuple[str, list]]:
    """The filter as SQL conditions on member ``m`` (joined to its score ``s``), one per part."""
    clauses: list[tuple[str, list]] = []
    if spec.stages:
        stage_ids = [s for s in spec.stages if s != NO_STAGE]
        parts = []
        if stage_ids:
            parts.append(f'm."id" IN (SELECT "member_id" FROM "member_score" WHERE "stage_id" IN '
                         f'({", ".join("?" for _ in stage_ids)}))')
        if NO_STAGE in spec.stages:
            parts.append('m."id" NOT IN (SELECT "member_id" FROM "member_score" WHERE "stage_id" IS NOT NULL)')
        clauses.append(("(" + " OR ".join(parts) + ")", stage_ids))
    if spec.accounts:
        clauses.append((f'm."id" IN (SELECT "member_id" FROM "activity" WHERE "account_id" IN '
                        f'({", ".join("?" for _ in spec.accounts)}))', list(spec.accounts)))
    if spec.kinds:
        clauses.append((f'm."id" IN (SELECT "member_id" FROM "activity" WHERE "kind" IN '
                        f'({", ".join("?" for _ in spec.kinds)}))', list(spec.kinds)))
    if spec.active_within_days is not None:
        clauses.append(('m."last_active_at" >= ?', [_stored(now - timedelta(days=spec.active_within_days))]))
    if spec.inactive_for_days is not None:
        clauses.append(('(m."last_active_at" IS NULL OR m."last_active_at" < ?)',
                        [_stored(now - timedelta(days=spec.inactive_for_days))]))
    if spec.active_from:
        clauses.append(('m."last_active_at" >= ?', [_stored(_day(spec.active_from))]))
    if spec.active_to:
        clauses.append(('m."last_active_at" < ?', [_stored(_day(spec.active_to) + timedelta(days=1))]))
    for tag in spec.tags:
        clauses.append(('m."id" IN (SELECT "member_id" FROM "member_tag" WHERE "tag_key" = ?)', [tag_key(tag)]))
    clauses.extend(_condition(c) for c in spec.conditions)
    return clauses


def with_parts(spec: MemberFilter, **changes) -> MemberFilter:
    """A copy of the filter with some parts replaced (lists become tuples)."""
    return MemberFilter(**{**asdict(spec), "conditions": spec.conditions,
                           **{k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}})

