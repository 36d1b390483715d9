"""Members as a person browsing them sees them: listed, counted, shown, edited by hand.

The list is sorted and filtered in SQL and read one window at a time with a
keyset (the sort key of the last row read), so each scroll step of a 100k
member workspace costs one scan that keeps only a window of rows: no query
ever brings every member into Python. A row's position for the same order
is a count of the rows before its key, so the window can be opened on it.

A value typed by hand is *manual*: its key joins ``Member.manual_fields`` and
no sync overwrites it (see ``mapping.py``) until the user takes X's value back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from peewee import JOIN

from .clock import SYSTEM_CLOCK
from .db import bulk
from .db.models import Account, Activity, HandleHistory, Identity, Member, OwnPost, database_proxy
from .db.sqlite import write_transaction
from .mapping import ALWAYS, FieldMapping, apply_mapping, load_mapping, planned_values
from .member_columns import (
    ACTIVITY,
    DAY_KIND,
    FIRST_SEEN,
    HANDLE,
    INT_KIND,
    LAST_ACTIVE,
    NAME,
    REAL_KIND,
    SCORE,
    STAGE,
    TEXT_KIND,
    YES_NO_KIND,
    MemberColumn,
    columns_by_key,
)
from .member_fields import BUILTIN_BY_KEY, NUMBER
from .member_filters import MemberFilter, filter_clauses
from .search import SearchMatches, normalized, search_clause
from .sync.posts import LIKE, RETWEET

SORT_NAME, SORT_HANDLE, SORT_ACTIVITY, SORT_LAST_ACTIVE, SORT_FIRST_SEEN, SORT_STAGE, SORT_SCORE = (
    NAME, HANDLE, ACTIVITY, LAST_ACTIVE, FIRST_SEEN, STAGE, SCORE)

_ROW_COLUMNS = ('m."id", m."name", m."x_handle", m."activity_count", m."last_active_at", m."first_seen_at", '
                'COALESCE(s."score", 0), COALESCE(st."name", \'\'), COALESCE(st."colour", \'\')')
_BASE_WIDTH = 9
# Each member with their score and stage (a member never scored has neither).
_FROM = ('"member" m LEFT JOIN "member_score" s ON s."member_id" = m."id" '
         'LEFT JOIN "stage" st ON st."id" = s."stage_id"')
_USES_SCORE = re.compile(r'\b(?:s|st)\."')
EXPORT_WINDOW = 2000


@dataclass(frozen=True)
class MemberQuery:
    """Which members, in which order: what the table shows.

    ``sort`` is a column key (``member_columns``). ``now`` anchors a filter's
    relative ranges ("active in the last 30 days") to the app's clock.
    """

    search: str = ""
    sort: str = SORT_LAST_ACTIVE
    descending: bool = True
    filter: MemberFilter = MemberFilter()
    now: datetime | None = None

    @property
    def narrowed(self) -> bool:
        """True when the search or the filter leaves members out."""
        return bool(normalized(self.search) or self.filter)


@dataclass(frozen=True)
class MemberRow:
    id: int
    name: str
    handle: str
    activity_count: int
    last_active_at: datetime | None
    first_seen_at: datetime
    score: int = 0
    stage: str = ""
    stage_colour: str = ""
    # Values of the extra columns asked for, in their order, as SQLite stores them.
    values: tuple = ()
    # The row's raw sort key, as SQLite computed it: where the next window starts.
    key: tuple = field(default=(), compare=False, repr=False)


def _order(query: MemberQuery) -> list[tuple[str, bool]]:
    found = columns_by_key([query.sort])
    if not found or not found[0].sortable:
        raise ValueError(f"unknown member sort: {query.sort!r}")
    return [(expr, fixed if fixed is not None else not query.descending) for expr, fixed in found[0].sort]


def _after(order: list[tuple[str, bool]], key: tuple) -> tuple[str, list]:
    """SQL true for rows that come after ``key`` in ``order`` (directions may differ)."""
    alternatives, params = [], []
    for i, (expr, ascending) in enumerate(order):
        equal = [f"{e} = ?" for e, _ in order[:i]]
        alternatives.append("(" + " AND ".join([*equal, f"{expr} {'>' if ascending else '<'} ?"]) + ")")
        params.extend([*key[:i], key[i]])
    return "(" + " OR ".join(alternatives) + ")", params


def _run(sql: str, params: list):
    """Run SQL written with ``?`` placeholders in the database's own style."""
    db = database_proxy.obj
    return db.execute_sql(sql.replace("?", db.param), params)


def _where(clauses: list[tuple[str, list]]) -> tuple[str, list]:
    parts = [(sql, params) for sql, params in clauses if sql]
    if not parts:
        return "", []
    return " WHERE " + " AND ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]


def _narrowing(query: MemberQuery, matches: SearchMatches | None = None) -> list[tuple[str, list]]:
    """The search and the filter as SQL conditions on ``m``; the search read from ``matches`` if given."""
    now = query.now or SYSTEM_CLOCK.now()
    found = matches.clause(query.search) if matches is not None else search_clause(query.search)
    return [found, *filter_clauses(query.filter, now)]


def _from_for(*sql: str) -> str:
    """The member table, joined to score and stage only when ``sql`` reads them: every join costs a lookup."""
    return _FROM if any(_USES_SCORE.search(part) for part in sql) else '"member" m'


def _select(query: MemberQuery, columns: list[MemberColumn] | None) -> tuple[str, int]:
    extra = "".join(f", {c.value_sql}" for c in columns or ())
    keys = ", ".join(expr for expr, _ in _order(query))
    return f"SELECT {_ROW_COLUMNS}{extra}, {keys} FROM {_FROM}", len(columns or ())


def list_members(query: MemberQuery, limit: int, after: MemberRow | None = None,
                 columns: list[MemberColumn] | None = None, matches: SearchMatches | None = None) -> list[MemberRow]:
    """Up to ``limit`` members in the query's order, starting after the row ``after``.

    ``columns`` adds those columns' values to each row (``MemberRow.values``).
    ``matches`` keeps the search's members between windows (see ``SearchMatches``).
    """
    order = _order(query)
    clauses = _narrowing(query, matches)
    if after is not None:
        clauses.append(_after(order, after.key))
    where, params = _where(clauses)
    select, extra = _select(query, columns)
    order_by = ", ".join(f"{expr} {'ASC' if asc else 'DESC'}" for expr, asc in order)
    # The window's ids first, then their values: SQLite would compute every column of every
    # member it sorts, and some columns (accounts, custom fields) are subqueries.
    window = f'SELECT m."id" FROM {_from_for(where, order_by)}{where} ORDER BY {order_by} LIMIT ?'
    sql = f'{select} WHERE m."id" IN ({window}) ORDER BY {order_by}'
    return _member_rows(_run(sql, [*params, limit]).fetchall(), extra, len(order))


def members_by_id(ids: list[int], query: MemberQuery,
                  columns: list[MemberColumn] | None = None) -> dict[int, MemberRow]:
    """The rows of these members as ``query`` lists them (search and filter ignored), keys included."""
    select, extra = _select(query, columns)
    rows = bulk.select_in(f'{select} WHERE m."id" IN', (), list(ids))
    return {row.id: row for row in _member_rows(rows, extra, len(_order(query)))}


def _member_rows(rows: list[tuple], extra: int, width: int) -> list[MemberRow]:
    end = _BASE_WIDTH + extra
    return [MemberRow(r[0], r[1] or "", r[2] or "", r[3] or 0, _utc(r[4]), _utc(r[5]), score=r[6], stage=r[7],
                      stage_colour=r[8], values=tuple(r[_BASE_WIDTH:end]), key=tuple(r[-width:]))
            for r in rows]


def _utc(value) -> datetime | None:
    """A stored time as aware UTC; ``fromisoformat`` is many times faster than peewee's parsing."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
        except ValueError:
            pass
    return Member.first_seen_at.python_value(value)


def count_members(search: str = "", member_filter: MemberFilter | None = None, now: datetime | None = None,
                  matches: SearchMatches | None = None) -> int:
    """How many members match ``search`` and ``member_filter`` (all of them when both are empty)."""
    query = MemberQuery(search=search, filter=member_filter or MemberFilter(), now=now)
    where, params = _where(_narrowing(query, matches))
    return _run(f'SELECT COUNT(*) FROM "member" m{where}', params).fetchone()[0]


def count_for(query: MemberQuery, matches: SearchMatches | None = None) -> int:
    """How many members the query lists."""
    return count_members(query.search, query.filter, query.now, matches)


def member_position(member_id: int, query: MemberQuery) -> int | None:
    """The row index of a member in the query's order, or None if it does not match."""
    order = _order(query)
    narrowing = _narrowing(query)
    where, params = _where([*narrowing, ('m."id" = ?', [member_id])])
    keys = ", ".join(expr for expr, _ in order)
    found = _run(f"SELECT {keys} FROM {_FROM}{where}", params).fetchone()
    if found is None:
        return None
    before = _after([(expr, not asc) for expr, asc in order], tuple(found))
    where, params = _where([*narrowing, before])
    return _run(f"SELECT COUNT(*) FROM {_FROM}{where}", params).fetchone()[0]


# -- the view as plain values, for export -------------------------------------------


def export_value(column: MemberColumn, row: MemberRow, value):
    """A column's value as a plain Python value: str, int, float, bool, datetime (aware UTC) or None."""
    if column.key == NAME:
        return row.name
    if column.key == HANDLE:
        return row.handle
    if column.key == STAGE:
        return row.stage
    if column.key == SCORE:
        return row.score
    if column.key == ACTIVITY:
        return row.activity_count
    if column.key == LAST_ACTIVE:
        return row.last_active_at
    if column.key == FIRST_SEEN:
        return row.first_seen_at
    if value is None or value == "":
        return None if column.kind != TEXT_KIND else ""
    if column.kind == INT_KIND:
        return int(value)
    if column.kind == REAL_KIND:
        number = float(value)
        return int(number) if number.is_integer() else number
    if column.kind == DAY_KIND:
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    if column.kind == YES_NO_KIND:
        return value == "true"
    return str(value)


def export_view(query: MemberQuery, column_keys: list[str] | tuple[str, ...]) -> tuple[list[str], Iterator[tuple]]:
    """The view as the table shows it: headers and rows of plain values, in column order.

    Rows are read in keyset windows, so a 100k member export never holds
    them all; the database must stay open while the rows are consumed.
    """
    columns = columns_by_key(column_keys)
    headers = [c.header for c in columns]

    def rows() -> Iterator[tuple]:
        last = None
        while True:
            window = list_members(query, EXPORT_WINDOW, last, columns)
            for row in window:
                yield tuple(export_value(c, row, v) for c, v in zip(columns, row.values, strict=True))
            if len(window) < EXPORT_WINDOW:
                return
            last = window[-1]

    return headers, rows()


# -- one member ------------------------------------------------------------


@dataclass(frozen=True)
class HandleSeen:
    handle: str
    seen_at: datetime


@dataclass(frozen=True)
class IdentityInfo:
    x_user_id: str | None
    handle: str
    first_seen_at: datetime
    history: list[HandleSeen]  # oldest first, the current handle included


@dataclass(frozen=True)
class MemberDetail:
    id: int
    values: dict[str, object]  # built-in field key -> stored value
    manual: frozenset[str]
    x_values: dict[str, object]  # what X's stored user object gives each mapped field
    identities: list[IdentityInfo]
    activity_count: int
    first_active_at: datetime | None
    last_active_at: datetime | None
    last_active_estimated: bool  # the latest activity is a like or retweet, dated when Ahoy saw it
    first_seen_at: datetime
    raw_x_user: dict | None = None  # the stored X profile: what custom fields mapped to X would hold


def member_detail(member_id: int, mapping: list[FieldMapping] | None = None) -> MemberDetail | None:
    member = Member.get_or_none(Member.id == member_id)
    if member is None:
        return None
    identities = []
    for identity in Identity.select().where(Identity.member == member_id).order_by(Identity.first_seen_at,
                                                                                   Identity.id):
        history = [HandleSeen(h.handle, h.seen_at) for h in
                   HandleHistory.select().where(HandleHistory.identity == identity.id)
                   .order_by(HandleHistory.seen_at, HandleHistory.id)]
        identities.append(IdentityInfo(identity.x_user_id, identity.handle, identity.first_seen_at, history))
    return MemberDetail(
        id=member.id,
        values={key: getattr(member, key) for key in BUILTIN_BY_KEY},
        manual=frozenset(member.manual_fields or ()),
        x_values=x_values(member.raw_x_user, mapping),
        identities=identities,
        activity_count=member.activity_count,
        first_active_at=member.first_active_at,
        last_active_at=member.last_active_at,
        last_active_estimated=member.last_active_at is not None and not Activity.select().where(
            Activity.member == member_id, Activity.occurred_at == member.last_active_at,
            Activity.estimated == False).exists(),  # noqa: E712
        first_seen_at=member.first_seen_at,
        raw_x_user=member.raw_x_user,
    )


def x_values(raw_user: dict | None, mapping: list[FieldMapping] | None = None) -> dict[str, object]:
    """The value each mapped built-in field takes from X's user object, ignoring manual marks.

    ``mapping`` is the workspace's own unless given. Rules are ignored too: a
    "fill empty" field still has a value from X to go back to.
    """
    return planned_values(raw_user or {}, load_mapping() if mapping is None else mapping, {}, set())


@dataclass(frozen=True)
class TimelineItem:
    id: int
    kind: str
    occurred_at: datetime
    estimated: bool
    text: str  # as X sent it (escaped): unescape for display only
    post_id: str  # the member's post, or the account's own post liked / retweeted
    target_post_id: str  # the account's own post it replies to, quotes, likes... ("" if none)
    target_text: str  # the account's own post it replies to, quotes, likes... ("" if unknown)
    account_handle: str

    @property
    def link_post_id(self) -> str:
        """The post a link opens: for a like or retweet, the account's own post."""
        if self.kind in (LIKE, RETWEET) and self.target_post_id:
            return self.target_post_id
        return self.post_id


def member_timeline(member_id: int, limit: int, offset: int = 0) -> list[TimelineItem]:
    """A member's activities, newest first, a page at a time (the (member, time) index serves it)."""
    query = (Activity.select(Activity.id, Activity.kind, Activity.occurred_at, Activity.estimated, Activity.text,
                             Activity.post_id, Activity.target_post_id, OwnPost.text, Account.username)
             .join(Account, on=(Account.id == Activity.account))
             .switch(Activity)
             .join(OwnPost, join_type=JOIN.LEFT_OUTER,
                   on=((OwnPost.account == Activity.account) & (OwnPost.post_id == Activity.target_post_id)))
             .where(Activity.member == member_id)
             .order_by(Activity.occurred_at.desc(), Activity.id.desc())
             .limit(limit).offset(offset))
    return [TimelineItem(i, kind, when, bool(estimated), text or "", post_id, target_id or "", target or "",
                         handle or "")
            for i, kind, when, estimated, text, post_id, target_id, target, handle in query.tuples()]


def post_url(post_id: str) -> str:
    """Where a post opens on X, whoever wrote it."""
    return f"https://x.com/i/web/status/{post_id}"


# -- editing by hand ---------------------------------------------------------


class InvalidFieldValue(ValueError):
    """A value typed by hand that the field cannot hold."""

    def __init__(self, key: str, text: str, message: str):
        super().__init__(message)
        self.key, self.text = key, text


def parse_field_value(key: str, text: str):
    """The value a field stores for what was typed: None when empty, an int for a number field."""
    member_field = BUILTIN_BY_KEY[key]
    text = text.strip()
    if member_field.type == NUMBER:
        if not text:
            return None
        try:
            return int(text.replace(",", "").replace("_", "").replace(" ", ""))
        except ValueError:
            raise InvalidFieldValue(key, text, f"{member_field.label} must be a whole number, like 1200.") from None
    if not text and getattr(Member, key).null:
        return None
    return text


def set_field_by_hand(member_id: int, key: str, text: str):
    """Store a typed value and mark the field manual, so syncs leave it alone; return the value."""
    value = parse_field_value(key, text)
    with write_transaction(database_proxy):
        manual = set(_manual_fields(member_id)) | {key}
        Member.update({getattr(Member, key): value, Member.manual_fields: sorted(manual)}).where(
            Member.id == member_id).execute()
    return value


def use_x_value(member_id: int, key: str, mapping: list[FieldMapping] | None = None):
    """Forget a typed value: the field follows X again, from the stored user object; return the value.

    With no value from X (a field the mapping does not fill, or one X did
    not return) the field is emptied: X's value is "nothing".
    """
    parse_field_value(key, "")  # an unknown key fails here, before any write
    mapping = load_mapping() if mapping is None else mapping
    sources = [FieldMapping(m.x_field, m.member_field, ALWAYS) for m in mapping if m.member_field == key]
    column = getattr(Member, key)
    with write_transaction(database_proxy):
        manual = set(_manual_fields(member_id)) - {key}
        Member.update({column: None if column.null else "", Member.manual_fields: sorted(manual)}).where(
            Member.id == member_id).execute()
        apply_mapping(sources, SYSTEM_CLOCK.now(), member_ids=[member_id])  # the time only dates custom values
    return Member.select(column).where(Member.id == member_id).scalar()


def _manual_fields(member_id: int) -> list[str]:
    member = Member.select(Member.manual_fields).where(Member.id == member_id).get_or_none()
    if member is None:
        raise LookupError(f"no member {member_id}")
    return list(member.manual_fields or ())
