"""The dashboard's numbers, counted in SQL over the local database.

Every chart is one grouped query (or two) that never loads activity rows into
Python: rows are placed in local hours, days or weekdays by SQLite itself,
adding the zone's UTC offset in force at each row's time (a range has few
offsets; see ``periods.offset_segments``). Likes and retweets come from X
without a date; the sync dates them to when it saw them, and they are counted
apart (``estimated``) so charts can say so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from functools import cached_property

from ..db.models import Account, Stage, database_proxy
from .periods import DAY, HOUR, Bucket, Period, buckets, offset_segments

KNOWN_KINDS = ("mention", "reply", "quote", "like", "retweet")
"""The kinds the sync writes today, in the order charts and tables show them."""
TOP_MEMBERS = 10


def ordered_kinds(kinds) -> list[str]:
    """Known kinds in their usual order, then any others alphabetically."""
    kinds = set(kinds)
    return [k for k in KNOWN_KINDS if k in kinds] + sorted(kinds - set(KNOWN_KINDS))


def sql_time(moment: datetime) -> str:
    """A UTC instant written as the database stores times (naive UTC text, sortable)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def _parse_sql_time(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass(frozen=True)
class Scope:
    """What the dashboard looks at: a period, one account or all, and the zone days are cut in.

    Its buckets and UTC offsets are worked out once and shared by every query.
    """

    period: Period
    account_id: int | None = None
    tz: tzinfo | None = None

    @cached_property
    def bucket_list(self) -> list[Bucket]:
        return buckets(self.period, self.tz)

    @cached_property
    def offsets(self) -> list[tuple[datetime, datetime, int]]:
        return offset_segments(self.period.start, self.period.end, self.tz)

    def where(self, column: str = '"occurred_at"', period: Period | None = None,
              account_column: str = '"account_id"') -> tuple[str, list]:
        period = period or self.period
        sql = f"{column} >= ? AND {column} < ?"
        params: list = [sql_time(period.start), sql_time(period.end)]
        if self.account_id is not None:
            sql += f" AND {account_column} = ?"
            params.append(self.account_id)
        return sql, params


def _local_modifier(column: str, scope: Scope) -> tuple[str, list]:
    """An SQL expression giving the '+N minutes' that turns ``column`` into local wall-clock time."""
    segments = scope.offsets
    if len(segments) == 1:
        return "?", [f"{segments[0][2]:+d} minutes"]
    cases, params = [], []
    for _seg_start, seg_end, offset in segments[:-1]:
        cases.append(f"WHEN {column} < ? THEN ?")
        params += [sql_time(seg_end), f"{offset:+d} minutes"]
    params.append(f"{segments[-1][2]:+d} minutes")
    return f"CASE {' '.join(cases)} ELSE ? END", params


def _bucket_sql(column: str, scope: Scope) -> tuple[str, list]:
    """An SQL expression giving the index of the bucket (0, 1, …) that the UTC time in ``column`` falls in.

    SQLite places rows in buckets itself, so a query returns one row per
    bucket rather than per local day or hour, and Python never walks them.
    Hours are whole hours from the period's start; days and weeks are counted
    from the local date, weeks from the Monday on or before the first day
    (the first week may start later, on the first day: see ``buckets``).
    """
    period = scope.period
    if period.unit == HOUR:
        return f"(CAST(strftime('%s', {column}) AS INTEGER) - ?) / 3600", [int(period.start.timestamp())]
    modifier, params = _local_modifier(column, scope)
    day = f"CAST(julianday(date({column}, {modifier})) - julianday(?) AS INTEGER)"
    params = [*params, period.first_day.isoformat()]
    if period.unit == DAY:
        return day, params
    return f"({day} + ?) / 7", [*params, period.first_day.weekday()]


def _run(sql: str, params: list) -> list[tuple]:
    return database_proxy.execute_sql(sql, params).fetchall()


# -- activities over time -------------------------------------------------------


@dataclass
class ActivitySeries:
    """Activities per bucket and kind, dated ones apart from estimated likes and retweets."""

    buckets: list[Bucket]
    dated: list[dict[str, int]]
    estimated: list[dict[str, int]]

    def kinds(self) -> list[str]:
        return ordered_kinds({k for counts in self.dated + self.estimated for k in counts})

    def bucket_total(self, index: int) -> int:
        return sum(self.dated[index].values()) + sum(self.estimated[index].values())

    @property
    def total(self) -> int:
        return sum(self.bucket_total(i) for i in range(len(self.buckets)))

    @property
    def estimated_total(self) -> int:
        return sum(sum(counts.values()) for counts in self.estimated)


@dataclass
class LocalCounts:
    """Activities by bucket, kind and estimated, and by local weekday and hour (dated only)."""

    by_bucket: list[tuple[int, str, int, int]]  # (bucket index, kind, estimated, activities)
    by_weekday_hour: list[tuple[str, str, int]]  # (SQLite weekday, Sunday = 0; hour; activities)
    estimated: int  # activities left out of by_weekday_hour: their time is estimated


def _whole_hour_offsets(scope: Scope) -> bool:
    return all(offset % 60 == 0 for *_span, offset in scope.offsets)


def local_counts(scope: Scope) -> LocalCounts | None:
    """One pass over the period's activities for both the activity chart and the weekly rhythm.

    Rows are first counted per UTC hour (cutting the stored text costs little
    per row), and only those few thousand hourly counts are moved to local
    time. Where the zone's offset is not whole hours an hour can straddle two
    local days, so None: the callers then work per row.
    """
    if not _whole_hour_offsets(scope):
        return None
    where, params = scope.where()
    hour = "(h || ':00:00')"
    bucket, bucket_params = _bucket_sql(hour, scope)
    modifier, modifier_params = _local_modifier(hour, scope)
    rows = _run(f'WITH hourly AS MATERIALIZED (SELECT substr("occurred_at", 1, 13) AS h, "kind" AS kind, '
                f'"estimated" AS est, COUNT(*) AS n FROM "activity" WHERE {where} GROUP BY h, kind, est) '
                f"SELECT 0, {bucket}, kind, est, SUM(n) FROM hourly GROUP BY 2, 3, 4 "
                f"UNION ALL SELECT 1, strftime('%w', {hour}, {modifier}), strftime('%H', {hour}, {modifier}), 0, "
                "SUM(n) FROM hourly WHERE est = 0 GROUP BY 2, 3 "
                "UNION ALL SELECT 2, NULL, NULL, 1, SUM(n) FROM hourly WHERE est <> 0",
                params + bucket_params + modifier_params + modifier_params)
    return LocalCounts([(index, kind, est, n) for part, index, kind, est, n in rows if part == 0],
                       [(weekday, hour_of_day, n) for part, weekday, hour_of_day, _est, n in rows if part == 1],
                       sum(n or 0 for part, *_keys, n in rows if part == 2))


def activity_series(scope: Scope, local: LocalCounts | None = None) -> ActivitySeries:
    bucket_list = scope.bucket_list
    series = ActivitySeries(bucket_list, [{} for _ in bucket_list], [{} for _ in bucket_list])
    local = local if local is not None else local_counts(scope)
    if local is not None:
        rows = local.by_bucket
    else:
        bucket, bucket_params = _bucket_sql('"occurred_at"', scope)
        where, params = scope.where()
        rows = _run(f'SELECT {bucket} AS b, "kind", "estimated", COUNT(*) FROM "activity" WHERE {where} '
                    f'GROUP BY b, "kind", "estimated"', bucket_params + params)
    for index, kind, estimated, count in rows:
        if 0 <= index < len(bucket_list):
            counts = series.estimated[index] if estimated else series.dated[index]
            counts[kind] = counts.get(kind, 0) + count
    return series


# -- member growth --------------------------------------------------------------


def _first_activity_sql(scope: Scope) -> tuple[str, list]:
    """Each member's first activity (through the chosen account); read from the (member, time) index alone."""
    where, params = ("", [])
    if scope.account_id is not None:
        where, params = ' WHERE "account_id" = ?', [scope.account_id]
    sql = f'SELECT "member_id" AS member_id, MIN("occurred_at") AS first FROM "activity"{where} GROUP BY "member_id"'
    return sql, params


@dataclass
class GrowthSeries:
    """New members per bucket (joined on their first activity) and the running total."""

    buckets: list[Bucket]
    new: list[int]
    new_estimated: list[int]  # of ``new``: joined through a like or retweet whose time is estimated
    before: int  # members who joined before the period
    before_previous: int = 0  # members who joined before the previous period of the same length

    @property
    def running(self) -> list[int]:
        totals, total = [], self.before
        for count in self.new:
            total += count
            totals.append(total)
        return totals

    @property
    def total_new(self) -> int:
        return sum(self.new)


_BEFORE_PREVIOUS, _BEFORE_PERIOD = -2, -1  # bucket numbers for members who joined before the period


def member_growth(scope: Scope) -> GrowthSeries:
    """One pass over every member's first activity gives the new members per bucket and the totals before."""
    bucket_list = scope.bucket_list
    previous = scope.period.previous(scope.tz)
    firsts, first_params = _first_activity_sql(scope)
    bucket, bucket_params = _bucket_sql("first", scope)
    account = ' AND a."account_id" = ?' if scope.account_id is not None else ""
    # Estimated when no activity at that first moment has a real time (likes and retweets found by a sync).
    estimated = (f'NOT EXISTS (SELECT 1 FROM "activity" a WHERE a."member_id" = f.member_id '
                 f'AND a."occurred_at" = f.first AND a."estimated" = 0{account})')
    rows = _run(f"SELECT CASE WHEN first < ? THEN {_BEFORE_PREVIOUS} WHEN first < ? THEN {_BEFORE_PERIOD} "
                f"ELSE {bucket} END AS b, CASE WHEN first < ? THEN 0 ELSE {estimated} END AS e, COUNT(*) "
                f"FROM ({firsts}) f WHERE first < ? GROUP BY b, e",
                [sql_time(previous.start), sql_time(scope.period.start)] + bucket_params
                + [sql_time(scope.period.start)] + ([scope.account_id] if account else [])
                + first_params + [sql_time(scope.period.end)])
    series = GrowthSeries(bucket_list, [0] * len(bucket_list), [0] * len(bucket_list), 0)
    for index, is_estimated, count in rows:
        if index == _BEFORE_PREVIOUS:
            series.before_previous += count
            series.before += count
        elif index == _BEFORE_PERIOD:
            series.before += count
        elif 0 <= index < len(bucket_list):
            series.new[index] += count
            if is_estimated:
                series.new_estimated[index] += count
    return series


# -- the account's followers ----------------------------------------------------


@dataclass
class FollowerLine:
    account_id: int
    username: str
    points: list[tuple[datetime, int]]  # (UTC time of the sync, followers then)


def follower_lines(scope: Scope) -> list[FollowerLine]:
    """Each account's follower count at every sync in the period, plus the last one before it."""
    accounts = Account.select().order_by(Account.id)
    if scope.account_id is not None:
        accounts = accounts.where(Account.id == scope.account_id)
    lines = []
    for account in accounts:
        rows = _run('SELECT "taken_at", "followers_count" FROM "account_snapshot" '
                    'WHERE "account_id" = ? AND "followers_count" IS NOT NULL AND "taken_at" < ? AND "taken_at" >= '
                    '(SELECT COALESCE(MAX("taken_at"), ?) FROM "account_snapshot" WHERE "account_id" = ? '
                    'AND "followers_count" IS NOT NULL AND "taken_at" < ?) ORDER BY "taken_at"',
                    [account.id, sql_time(scope.period.end), sql_time(scope.period.start), account.id,
                     sql_time(scope.period.start)])
        lines.append(FollowerLine(account.id, account.username, [(_parse_sql_time(t), n) for t, n in rows]))
    return lines


# -- stages ---------------------------------------------------------------------


@dataclass
class StageSeries:
    """How many members each stage held at the end of every bucket, from the recorded stage changes."""

    buckets: list[Bucket]
    names: list[str]  # stages in range order, then names only history still knows
    colours: dict[str, str]
    counts: list[dict[str, int]]  # at each bucket's end
    setup_moves: list[int]  # members moved by an edit of the scoring setup, per bucket (not member movement)
    history_start: datetime | None  # the first recorded change; nothing is known before it
    today: dict[str, int] = field(default_factory=dict)  # the split now, from the scores
    unstaged_today: int = 0


def stage_series(scope: Scope) -> StageSeries:
    """Stages belong to members, not accounts: this chart covers every account."""
    bucket_list = scope.bucket_list
    stages = list(Stage.select().order_by(Stage.min_points, Stage.id))
    names = [s.name for s in stages]
    colours = {s.name: s.colour for s in stages}
    start, end = sql_time(scope.period.start), sql_time(scope.period.end)
    # Each member's stage at the start: the target of their latest change before it.
    state = dict(_run(
        'SELECT "to_name", COUNT(*) FROM (SELECT "to_name", ROW_NUMBER() OVER (PARTITION BY "member_id" '
        'ORDER BY "at" DESC, "id" DESC) AS rn FROM "stage_change" WHERE "at" < ?) WHERE rn = 1 GROUP BY "to_name"',
        [start]))
    # The changes in the period, counted per bucket in SQL: the end-of-bucket counts only need the sums.
    bucket, bucket_params = _bucket_sql('"at"', scope)
    grouped = _run(f'SELECT {bucket} AS b, "from_name", "to_name", "cause", COUNT(*) FROM "stage_change" '
                   'WHERE "at" >= ? AND "at" < ? GROUP BY b, "from_name", "to_name", "cause"',
                   bucket_params + [start, end])
    moves: list[list[tuple[str, str, str, int]]] = [[] for _ in bucket_list]
    for index, old, new, cause, n in grouped:
        if 0 <= index < len(bucket_list):
            moves[index].append((old, new, cause, n))
    first = _run('SELECT MIN("at") FROM "stage_change"', [])[0][0]
    counts, setup_moves = [], [0] * len(bucket_list)
    for index, bucket_moves in enumerate(moves):
        for old, new, cause, n in bucket_moves:
            if old:
                state[old] = state.get(old, 0) - n
            state[new] = state.get(new, 0) + n
            if cause == "setup" and old:  # a member's first stage is not a move, whatever assigned it
                setup_moves[index] += n
        counts.append({name: n for name, n in state.items() if name and n > 0})
    for name in sorted({n for c in counts for n in c} - set(names)):
        names.append(name)
    today_rows = _run('SELECT st."name", COUNT(*) FROM "member_score" s LEFT JOIN "stage" st ON st."id" = s."stage_id" '
                      'GROUP BY st."name"', [])
    today = {name: n for name, n in today_rows if name is not None}
    unstaged = sum(n for name, n in today_rows if name is None)
    return StageSeries(bucket_list, names, colours, counts, setup_moves,
                       _parse_sql_time(first) if first else None, today, unstaged)


# -- most active members --------------------------------------------------------


@dataclass(frozen=True)
class TopMember:
    member_id: int
    name: str
    handle: str
    activities: int  # in the period
    score: int  # over the last 30 days
    stage: str
    stage_colour: str


def top_members(scope: Scope, limit: int = TOP_MEMBERS) -> list[TopMember]:
    where, params = scope.where('a."occurred_at"', account_column='a."account_id"')
    rows = _run(
        f'SELECT t.member_id, m."name", m."x_handle", t.n, COALESCE(s."score", 0), COALESCE(st."name", \'\'), '
        f'COALESCE(st."colour", \'\') FROM (SELECT a."member_id" AS member_id, COUNT(*) AS n FROM "activity" a '
        f'WHERE {where} GROUP BY a."member_id" ORDER BY n DESC, a."member_id" LIMIT ?) t '
        'JOIN "member" m ON m."id" = t.member_id LEFT JOIN "member_score" s ON s."member_id" = t.member_id '
        'LEFT JOIN "stage" st ON st."id" = s."stage_id" ORDER BY t.n DESC, t.member_id', params + [limit])
    return [TopMember(*row) for row in rows]


# -- when people interact -------------------------------------------------------


@dataclass
class Heatmap:
    """Activities by local weekday (Monday first) and hour.

    Likes and retweets whose time is estimated are left out (and counted in
    ``left_out``): their time is when a sync saw them, not when people acted.
    """

    counts: list[list[int]]  # [weekday][hour]
    left_out: int = 0

    @property
    def total(self) -> int:
        return sum(sum(row) for row in self.counts)


def weekday_hours(scope: Scope, local: LocalCounts | None = None) -> Heatmap:
    local = local if local is not None else local_counts(scope)
    if local is not None:
        rows, left_out = local.by_weekday_hour, local.estimated
    else:
        modifier, key_params = _local_modifier('"occurred_at"', scope)
        where, params = scope.where()
        rows = _run(f"SELECT strftime('%w', \"occurred_at\", {modifier}) AS d, "
                    f"strftime('%H', \"occurred_at\", {modifier}) AS h, COUNT(*) FROM \"activity\" "
                    f"WHERE \"estimated\" = 0 AND {where} GROUP BY d, h", key_params + key_params + params)
        left_out = _run(f'SELECT COUNT(*) FROM "activity" WHERE "estimated" <> 0 AND {where}', params)[0][0]
    counts = [[0] * 24 for _ in range(7)]
    for weekday, hour, count in rows:
        counts[(int(weekday) + 6) % 7][int(hour)] += count  # SQLite counts from Sunday
    return Heatmap(counts, left_out)


# -- summary --------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    value: int
    previous: int  # the same figure over the previous period of the same length

    @property
    def change(self) -> int:
        return self.value - self.previous


@dataclass(frozen=True)
class Summary:
    total_members: Figure  # joined by the end of the period (previous: by its start)
    new_members: Figure
    active_members: Figure
    activities: Figure
    without_activity: int  # members with no activity at all (imported, not yet seen on X)


def summary(scope: Scope, growth: GrowthSeries | None = None) -> Summary:
    period, previous = scope.period, scope.period.previous(scope.tz)
    growth = growth if growth is not None else member_growth(scope)
    before_previous, before_period = growth.before_previous, growth.before
    by_end = before_period + growth.total_new

    def counts(p: Period) -> tuple[int, int]:
        where, params = scope.where(period=p)
        return _run(f'SELECT COUNT(*), COUNT(DISTINCT "member_id") FROM "activity" WHERE {where}', params)[0]

    now_counts, previous_counts = counts(period), counts(previous)
    without = 0
    if scope.account_id is None:
        without = _run('SELECT COUNT(*) FROM "member" m WHERE NOT EXISTS '
                       '(SELECT 1 FROM "activity" a WHERE a."member_id" = m."id")', [])[0][0]
    return Summary(
        total_members=Figure(by_end, before_period),
        new_members=Figure(by_end - before_period, before_period - before_previous),
        active_members=Figure(now_counts[1], previous_counts[1]),
        activities=Figure(now_counts[0], previous_counts[0]),
        without_activity=without,
    )


# -- everything at once ---------------------------------------------------------


def earliest_time() -> datetime | None:
    """The first moment the workspace knows of: its first activity or first connection."""
    first = _run('SELECT MIN(t) FROM (SELECT MIN("occurred_at") AS t FROM "activity" '
                 'UNION ALL SELECT MIN("connected_at") FROM "account")', [])[0][0]
    return _parse_sql_time(first) if first else None


def has_account() -> bool:
    """Whether the workspace has ever had an account (its data stays after a disconnect)."""
    return Account.select().exists()


@dataclass
class DashboardData:
    scope: Scope
    has_account: bool
    summary: Summary
    activity: ActivitySeries
    growth: GrowthSeries
    followers: list[FollowerLine]
    stages: StageSeries
    top: list[TopMember]
    heatmap: Heatmap


def load_dashboard(scope: Scope, stop: Callable[[], bool] | None = None) -> DashboardData | None:
    """Every chart's numbers for one scope (run off the UI thread); shared passes are made once.

    ``stop`` is asked between the queries: when it says the answer is no
    longer wanted, the rest is not counted and None is returned.
    """
    stop = stop or (lambda: False)
    growth = member_growth(scope)
    if stop():
        return None
    local = local_counts(scope)
    if stop():
        return None
    figures = summary(scope, growth)
    if stop():
        return None
    followers = follower_lines(scope)
    stages = stage_series(scope)
    if stop():
        return None
    return DashboardData(
        scope=scope,
        has_account=has_account(),
        summary=figures,
        activity=activity_series(scope, local),
        growth=growth,
        followers=followers,
        stages=stages,
        top=top_members(scope),
        heatmap=weekday_hours(scope, local),
    )
