"""The time ranges a dashboard shows, cut into buckets of local hours, days or weeks.

Times are stored in UTC but a community manager thinks in their own days, so
buckets are cut at local boundaries. Each boundary is converted to UTC on its
own, which keeps a day 23 or 25 hours long across a daylight-saving change
instead of counting an hour twice or losing one, and works for zones whose
offset is not a whole number of hours.

``tz=None`` everywhere means the system's zone, asked afresh for every instant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

HOUR, DAY, WEEK = "hour", "day", "week"
RANGE_24H, RANGE_7D, RANGE_30D, RANGE_90D, RANGE_12M, RANGE_ALL, RANGE_CUSTOM = (
    "24h", "7d", "30d", "90d", "12m", "all", "custom")
RANGES = (RANGE_24H, RANGE_7D, RANGE_30D, RANGE_90D, RANGE_12M, RANGE_ALL, RANGE_CUSTOM)
DAYS_IN_RANGE = {RANGE_7D: 7, RANGE_30D: 30, RANGE_90D: 90, RANGE_12M: 365}
MAX_DAILY_DAYS = 90
"""Past this many days, charts count per week so bars stay readable."""
OFFSET_PROBE_STEP = timedelta(hours=6)  # no zone changes offset twice within six hours
MIDNIGHT_SEARCH = timedelta(hours=3)  # no DST jump is longer


def local_date(moment: datetime, tz: tzinfo | None = None) -> date:
    """The calendar date of ``moment`` in ``tz``."""
    return (moment.astimezone(tz) if tz is not None else moment.astimezone()).date()


def _in_zone(moment: datetime, tz: tzinfo | None) -> datetime:
    return moment.astimezone(tz) if tz is not None else moment.astimezone()


def local_midnight_utc(day: date, tz: tzinfo | None = None) -> datetime:
    """The UTC instant at which local ``day`` starts.

    Where midnight itself is skipped by a DST jump (Chile, for one, moves
    from 00:00 straight to 01:00), this is the first instant of the day that
    exists. Converting the missing midnight directly would guess an offset,
    and the system's zone guesses the later one: the day would start an hour
    early, inside the day before.
    """
    midnight = datetime.combine(day, time())
    guess = (midnight.replace(tzinfo=tz) if tz is not None else midnight.astimezone()).astimezone(UTC)
    if _in_zone(guess, tz).replace(tzinfo=None) == midnight:
        return guess
    low, high = guess - MIDNIGHT_SEARCH, guess + MIDNIGHT_SEARCH  # the day's first instant is in between
    while high - low > timedelta(microseconds=1):
        middle = low + (high - low) / 2
        low, high = (middle, high) if _in_zone(middle, tz).date() < day else (low, middle)
    return high


def utc_offset_minutes(moment: datetime, tz: tzinfo | None = None) -> int:
    local = _in_zone(moment, tz)
    return int(local.utcoffset().total_seconds() // 60)


@dataclass(frozen=True)
class Bucket:
    """One bar of a chart: a local hour, day or week, with its UTC bounds."""

    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive
    label: datetime | date  # local start: a datetime for hours, a date for days and weeks
    last_day: date | None = None  # the last local day in it (days and weeks)

    @property
    def days(self) -> int:
        """Local days in the bucket: 7 for a whole week, fewer for the first or last week of a range."""
        return (self.last_day - self.label).days + 1 if self.last_day is not None else 0


@dataclass(frozen=True)
class Period:
    """A range of time shown by the dashboard, and how its charts are bucketed."""

    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive
    unit: str  # HOUR, DAY or WEEK
    first_day: date | None = None  # local date of the first day (DAY and WEEK)
    last_day: date | None = None  # local date of the last day, included

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    def previous(self, tz: tzinfo | None = None) -> Period:
        """The range of the same length just before this one, for comparisons."""
        if self.unit == HOUR or self.first_day is None:
            return Period(self.start - self.length, self.start, self.unit)
        days = (self.last_day - self.first_day).days + 1
        last = self.first_day - timedelta(days=1)
        return days_period(last - timedelta(days=days - 1), last, tz)


def days_period(first: date, last: date, tz: tzinfo | None = None) -> Period:
    """Local days ``first`` to ``last`` included, by day up to 90 days, by week past that."""
    if last < first:
        first, last = last, first
    unit = DAY if (last - first).days + 1 <= MAX_DAILY_DAYS else WEEK
    return Period(local_midnight_utc(first, tz), local_midnight_utc(last + timedelta(days=1), tz), unit, first, last)


def period_for(choice: str, now: datetime, tz: tzinfo | None = None, *, earliest: datetime | None = None,
               custom: tuple[date, date] | None = None) -> Period:
    """The period a range choice means at ``now``.

    ``earliest`` is the first moment the workspace knows of (for "all time");
    ``custom`` the first and last local dates the user picked.
    """
    today = local_date(now, tz)
    if choice == RANGE_24H:
        local_now = now.astimezone(tz) if tz is not None else now.astimezone()
        hour_start = local_now.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
        end = hour_start + timedelta(hours=1)
        return Period(end - timedelta(hours=24), end, HOUR)
    if choice in DAYS_IN_RANGE:
        return days_period(today - timedelta(days=DAYS_IN_RANGE[choice] - 1), today, tz)
    if choice == RANGE_ALL:
        first = local_date(earliest, tz) if earliest is not None else today
        return days_period(min(first, today), today, tz)
    if choice == RANGE_CUSTOM:
        if custom is None:
            raise ValueError("a custom range needs its first and last day")
        return days_period(custom[0], custom[1], tz)
    raise ValueError(f"unknown range {choice!r}")


def buckets(period: Period, tz: tzinfo | None = None) -> list[Bucket]:
    """The period's bars, oldest first; weeks start on Monday and the first and last may be partial."""
    if period.unit == HOUR:
        count = round(period.length / timedelta(hours=1))
        starts = [period.start + timedelta(hours=i) for i in range(count)]
        return [Bucket(s, s + timedelta(hours=1), s.astimezone(tz) if tz else s.astimezone()) for s in starts]
    days = [period.first_day + timedelta(days=i) for i in range((period.last_day - period.first_day).days + 1)]
    if period.unit == WEEK:
        days = [d for i, d in enumerate(days) if i == 0 or d.weekday() == 0]
    ends = [*days[1:], period.last_day + timedelta(days=1)]
    return [Bucket(local_midnight_utc(d, tz), local_midnight_utc(e, tz), d, e - timedelta(days=1))
            for d, e in zip(days, ends, strict=True)]


def offset_segments(start: datetime, end: datetime, tz: tzinfo | None = None) -> list[tuple[datetime, datetime, int]]:
    """Split [start, end) into spans of one constant UTC offset: (start, end, minutes east of UTC).

    Inside such a span, a local wall-clock reading is the UTC time plus the
    offset, which SQLite can compute per row (``datetime(t, '+N minutes')``).
    A zone changes offset a couple of times a year, so a range has few spans.
    """
    segments: list[tuple[datetime, datetime, int]] = []
    segment_start, offset = start, utc_offset_minutes(start, tz)
    probe = start
    while probe < end:
        step_end = min(probe + OFFSET_PROBE_STEP, end)
        last = step_end if step_end < end else end - timedelta(microseconds=1)
        if utc_offset_minutes(last, tz) == offset:
            probe = step_end
            continue
        low, high = probe, last  # the offset changes somewhere in (low, high]
        while high - low > timedelta(microseconds=1):
            middle = low + (high - low) / 2
            low, high = (middle, high) if utc_offset_minutes(middle, tz) == offset else (low, middle)
        segments.append((segment_start, high, offset))
        segment_start, offset, probe = high, utc_offset_minutes(high, tz), high
    segments.append((segment_start, end, offset))
    return segments
