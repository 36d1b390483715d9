"""Scores follow time: activity leaving the 30-day window lowers them without a sync."""

from __future__ import annotations

from datetime import timedelta

from ahoy_desktop.db.models import MemberScore, StageChange
from ui.score_keeper import ScoreKeeper


def test_scores_drop_as_activity_leaves_the_window(synced_sample_context, qtbot):
    sample_context = synced_sample_context
    assert MemberScore.select().where(MemberScore.score > 0).exists()
    keeper = ScoreKeeper(sample_context)
    changes = []
    sample_context.changed.connect(changes.append)
    sample_context.clock.advance(timedelta(days=31))
    keeper.check()
    qtbot.waitUntil(lambda: keeper._thread is None, timeout=60_000)
    assert not MemberScore.select().where(MemberScore.score > 0).exists()
    assert StageChange.select().where(StageChange.cause == "time").count() > 0
    assert len(changes) == 1 and changes[0].scoring_changed
    keeper.stop()
