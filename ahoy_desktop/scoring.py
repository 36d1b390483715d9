"""Scoring: what each kind of activity is worth, and when it can be configured.

Ahoy watches a newly connected account for a day before it proposes a scoring
setup, so the proposal rests on real activity rather than guesses. Until then
the default points apply.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from peewee import fn

from .dashboard import ordered_kinds
from .db.models import Activity

LOCKOUT = timedelta(hours=24)

DEFAULT_POINTS: dict[str, int] = {
    "mention": 3,
    "reply": 4,
    "quote": 5,
    "like": 1,
    "retweet": 2,
}


def lockout_remaining(now: datetime, start: datetime) -> timedelta:
    """How long until scoring can be configured: 24 h after ``start``, never negative."""
    return max(LOCKOUT - (now - start), timedelta(0))


def activity_counts_by_kind() -> dict[str, int]:
    """How many activities of each kind the workspace holds (one indexed GROUP BY)."""
    return dict(Activity.select(Activity.kind, fn.COUNT(Activity.id)).group_by(Activity.kind).tuples())


def scoring_kinds(counts: dict[str, int]) -> list[str]:
    """The scored kinds, then any other kind the workspace holds."""
    return list(DEFAULT_POINTS) + [k for k in ordered_kinds(counts) if k not in DEFAULT_POINTS]
