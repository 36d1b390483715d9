"""Reads off the UI thread on the private pool: a newer read wins, older ones are skipped or stopped."""

from __future__ import annotations

import threading

from ahoy_desktop.db.models import database_proxy
from ui.background import BackgroundQuery

ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT COUNT(*) FROM n"


def test_a_pooled_read_superseded_before_its_turn_never_runs(db_path, qtbot):
    query = BackgroundQuery()
    ran, results = [], []
    query.finished.connect(results.append)
    started, gate = threading.Event(), threading.Event()
    query.run(lambda: (started.set(), gate.wait(5), ran.append(1))[2] or 1)
    assert started.wait(5)
    query.run(lambda: ran.append(2) or 2)
    query.run(lambda: ran.append(3) or 3)
    gate.set()
    qtbot.waitUntil(lambda: not query.busy)
    assert query.wait(5_000)
    assert results == [3] and ran == [1, 3]


def test_a_pooled_read_running_when_superseded_is_interrupted(db_path, qtbot):
    query = BackgroundQuery()
    results, started = [], threading.Event()
    query.finished.connect(results.append)

    def endless():
        started.set()
        return database_proxy.execute_sql(ENDLESS).fetchone()[0]  # ends only when interrupted

    query.run(endless)
    assert started.wait(5)
    query.run(lambda: "newer")
    qtbot.waitUntil(lambda: not query.busy, timeout=10_000)
    assert query.wait(5_000)
    assert results == ["newer"]
