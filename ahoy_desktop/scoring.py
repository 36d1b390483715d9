"""What the Scoring tab shows: the points in force, the activity held, and the lockout.

Ahoy watches a newly connected account for a day before it proposes a scoring
setup, so the proposal rests on real activity rather than guesses. The rules
themselves live in ``scores``; this module reads them for display without
writing anything, so the tab can tick every second at no cost.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from peewee import fn

from .db import get_info
from .db.models import Activity
from .scores import DEFAULT_POINTS, LATEST_CLOCK_KEY, LOCKOUT, load_setup

__all__ = ["DEFAULT_POINTS", "LOCKOUT", "lockout_remaining", "latest_clock_seen", "points_now",
           "activity_counts_by_kind", "scoring_kinds"]


def lockout_remaining(now: datetime, start: datetime) -> timedelta:
    """How long until scoring can be configured: 24 h after ``start``, never negative."""
    return max(LOCKOUT - (now - start), timedelta(0))


def latest_clock_seen() -> datetime | None:
    """The latest time the workspace has seen: setting the clock back never extends the lockout."""
    value = get_info(LATEST_CLOCK_KEY)
    return Activity.occurred_at.python_value(value) if value else None  # stored as ``scores`` writes it


def points_now() -> dict[str, int | None]:
    """What each kind is worth under the setup in force (None: the kind is not tracked)."""
    setup = load_setup()
    return {kind: (points if kind in setup.tracked else None) for kind, points in setup.points.items()}


def activity_counts_by_kind() -> dict[str, int]:
    """How many activities of each kind the workspace holds (one indexed GROUP BY)."""
    return dict(Activity.select(Activity.kind, fn.COUNT(Activity.id)).group_by(Activity.kind).tuples())


def scoring_kinds(points: dict[str, int | None], counts: dict[str, int]) -> list[str]:
    """The kinds the setup knows, then any other kind the workspace holds."""
    return [*points, *sorted(k for k in counts if k not in points)]
