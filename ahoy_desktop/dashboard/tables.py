"""Each chart's numbers as a table, for CSV export.

Headers are plain English column names: a CSV is read by spreadsheets and
scripts, which want stable names more than translated ones. Times are local
ISO 8601 (with their UTC offset for hours), as the charts show them. Counted
by week, each row says how many days its week holds: the first and last
weeks of a range are often partial.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

from ..private_files import make_private
from .periods import Bucket
from .queries import ActivitySeries, FollowerLine, GrowthSeries, Heatmap, StageSeries, TopMember

Table = tuple[list[str], list[list[object]]]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def bucket_text(bucket: Bucket) -> str:
    label = bucket.label
    return label.isoformat(timespec="minutes") if isinstance(label, datetime) else label.isoformat()


def _period(buckets: list[Bucket]) -> tuple[list[str], Callable[[Bucket], list[object]]]:
    """The columns naming each row's period: its start, and for weeks the days it holds."""
    if any(b.days > 1 for b in buckets):
        return ["period_start", "days_in_period"], lambda b: [bucket_text(b), b.days]
    return ["period_start"], lambda b: [bucket_text(b)]


def activity_table(series: ActivitySeries) -> Table:
    kinds = series.kinds()
    estimated = [k for k in kinds if any(counts.get(k) for counts in series.estimated)]
    period, cells = _period(series.buckets)
    headers = [*period, *kinds, *[f"{k}_estimated" for k in estimated], "total"]
    rows = []
    for index, bucket in enumerate(series.buckets):
        dated = [series.dated[index].get(k, 0) for k in kinds]
        guessed = [series.estimated[index].get(k, 0) for k in estimated]
        rows.append([*cells(bucket), *dated, *guessed, series.bucket_total(index)])
    return headers, rows


def growth_table(series: GrowthSeries) -> Table:
    period, cells = _period(series.buckets)
    rows = [[*cells(b), new, estimated, running]
            for b, new, estimated, running in zip(series.buckets, series.new, series.new_estimated, series.running,
                                                  strict=True)]
    return [*period, "new_members", "of_which_joined_by_estimated_activity", "total_members"], rows


def followers_table(lines: list[FollowerLine]) -> Table:
    rows = [[line.username, when.isoformat(timespec="seconds"), followers]
            for line in lines for when, followers in line.points]
    return ["account", "synced_at_utc", "followers"], rows


STAGES_TODAY = "today"


def stages_table(series: StageSeries) -> Table:
    headers = ["as_of_utc", *series.names, "moves_caused_by_setup_changes"]
    rows = []
    for bucket, counts, moves in zip(series.buckets, series.counts, series.setup_moves, strict=True):
        known = series.history_start is not None and bucket.end > series.history_start
        # Before the first recorded change nothing is known: empty cells, not zeros.
        cells = [counts.get(n, 0) for n in series.names] if known else [None] * len(series.names)
        rows.append([bucket.end.isoformat(timespec="seconds"), *cells, moves if known else None])
    rows.append([STAGES_TODAY, *[series.today.get(n, 0) for n in series.names], None])  # the split now
    return headers, rows


def top_members_table(members: list[TopMember]) -> Table:
    rows = [[m.name, m.handle, m.activities, m.score, m.stage] for m in members]  # handles without "@", as X has them
    return ["name", "handle", "activities_in_range", "score_30_days", "stage"], rows


HEATMAP_LEFT_OUT = "not placed: likes and retweets whose time is estimated"


def heatmap_table(heatmap: Heatmap) -> Table:
    """Weekdays by hour, each with its total, then a row for what has no hour: the totals add up to the range."""
    rows = [[WEEKDAYS[d], *heatmap.counts[d], sum(heatmap.counts[d])] for d in range(7)]
    rows.append([HEATMAP_LEFT_OUT, *[None] * 24, heatmap.left_out])
    return ["weekday", *[f"{h:02d}" for h in range(24)], "total"], rows


def safe_cell(value: object) -> object:
    """A text a spreadsheet would run as a formula gets a leading apostrophe; numbers stay as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        try:
            float(value)
        except ValueError:
            return "'" + value
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_csv(path: str | Path, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """UTF-8 with a byte-order mark so spreadsheets read the accents right."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])
    make_private(path)
