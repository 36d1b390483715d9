"""Activity per local calendar day, for the dashboard's chart.

Times are stored in UTC but a community manager thinks in their own days, so
days are cut at local midnights. Each local midnight is converted to UTC on
its own, which keeps a day 23 or 25 hours long across a DST change instead
of counting an hour twice or losing one, and works for zones whose offset is
not a whole number of hours. One GROUP BY query counts the whole window:
every row is placed in its day by comparing its time with the boundaries,
so no activity row is ever loaded into Python.

Likes and retweets come from X without a date; the sync dates them to when
it saw them. They are counted apart (``estimated``) so the chart can say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from peewee import Case, fn

from .db.models import Account, Activity

DEFAULT_DAYS = 30

KNOWN_KINDS = ("mention", "reply", "quote", "like", "retweet")
"""The kinds the sync writes today, in the order charts and tables show them."""


@dataclass(frozen=True)
class DayActivity:
    """One local calendar day: its UTC bounds and its counts per kind."""

    day: date
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive
    dated: dict[str, int] = field(default_factory=dict)  # kind -> activities with an exact time
    estimated: dict[str, int] = field(default_factory=dict)  # kind -> activities dated by the sync

    @property
    def total(self) -> int:
        return sum(self.dated.values()) + sum(self.estimated.values())


def ordered_kinds(kinds) -> list[str]:
    """Known kinds in their usual order, then any others alphabetically."""
    kinds = set(kinds)
    return [k for k in KNOWN_KINDS if k in kinds] + sorted(kinds - set(KNOWN_KINDS))


def local_date(moment: datetime, tz: tzinfo | None = None) -> date:
    """The calendar date of ``moment`` in ``tz`` (the system's zone when None)."""
    return (moment.astimezone(tz) if tz is not None else moment.astimezone()).date()


def local_midnight_utc(day: date, tz: tzinfo | None = None) -> datetime:
    """The UTC instant at which local ``day`` starts.

    A naive ``astimezone()`` asks the system for the offset in force on that
    very day (DST included); a fixed-offset tzinfo taken from "now" would not.
    Where midnight itself is skipped by a DST jump, this is the first instant
    of the day that exists.
    """
    midnight = datetime.combine(day, time())
    if tz is not None:
        return midnight.replace(tzinfo=tz).astimezone(UTC)
    return midnight.astimezone().astimezone(UTC)


def day_bounds(now: datetime, days: int = DEFAULT_DAYS, tz: tzinfo | None = None) -> list[tuple[date, datetime]]:
    """The last ``days`` local dates up to today, each with its UTC start, plus the end of today."""
    today = local_date(now, tz)
    dates = [today - timedelta(days=offset) for offset in range(days - 1, -2, -1)]
    return [(d, local_midnight_utc(d, tz)) for d in dates]


def daily_activity(now: datetime, days: int = DEFAULT_DAYS, tz: tzinfo | None = None) -> list[DayActivity]:
    """Activities per local day over the last ``days`` days (today included), oldest first."""
    bounds = day_bounds(now, days, tz)
    starts = [start for _, start in bounds]
    bucket = Case(None, [(Activity.occurred_at < end, index) for index, end in enumerate(starts[1:])])
    query = (Activity
             .select(bucket.alias("bucket"), Activity.kind, Activity.estimated, fn.COUNT(Activity.id))
             .where((Activity.occurred_at >= starts[0]) & (Activity.occurred_at < starts[-1]))
             .group_by(bucket, Activity.kind, Activity.estimated)
             .tuples())
    result = [DayActivity(day, start, end) for (day, start), (_, end) in zip(bounds, bounds[1:], strict=False)]
    for index, kind, estimated, count in query:
        counts = result[index].estimated if estimated else result[index].dated
        counts[kind] = counts.get(kind, 0) + count
    return result


def window_total(days: list[DayActivity]) -> int:
    return sum(d.total for d in days)


def has_account() -> bool:
    """Whether the workspace has ever had an account (its data stays after a disconnect)."""
    return Account.select().exists()
