"""The dashboard's counting service: answers every count once, and a newer count stops older ones."""

from __future__ import annotations

import multiprocessing
import pickle
import threading

import pytest

from ahoy_desktop.dashboard import service
from ahoy_desktop.dashboard.periods import period_for
from ahoy_desktop.dashboard.queries import Scope, load_dashboard
from ahoy_desktop.dashboard.service import CountRequest
from ahoy_desktop.db.models import database_proxy

ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT COUNT(*) FROM n"


@pytest.fixture
def counting():
    """The service on threads of this process, and the window's end of its pipe.

    In its own process the service binds the models to its connection; here
    the test's binding is put back afterwards.
    """
    bound = database_proxy.obj
    window, own = multiprocessing.Pipe()
    running = service._Service(own)
    threads = [threading.Thread(target=running.listen, daemon=True), threading.Thread(target=running.run, daemon=True)]
    for thread in threads:
        thread.start()
    yield window
    window.send(None)
    for thread in threads:
        thread.join(10)
        assert not thread.is_alive()
    database_proxy.initialize(bound)


def answer(pipe):
    assert pipe.poll(20), "no answer came"
    return pipe.recv()


def request(db_path, clock, choice="30d") -> CountRequest:
    return CountRequest(str(db_path), choice, clock.now())


def test_a_count_is_answered_with_every_charts_numbers(synced_context, counting):
    clock = synced_context.clock
    path = synced_context.session.path
    expected = load_dashboard(Scope(period_for("30d", clock.now(), earliest=None)))

    counting.send(("count", 1, request(path, clock)))
    kind, job, payload = answer(counting)

    data = pickle.loads(payload)
    assert (kind, job) == ("done", 1)
    assert data.activity.total == expected.activity.total > 0
    assert data.summary == expected.summary


def test_a_newer_count_stops_the_running_one_and_replaces_the_waiting_one(db_path, clock, counting, monkeypatch):
    started, asked = threading.Event(), []
    real_count = service.count

    def count(req, stop=None):
        asked.append(req.choice)
        if req.choice == "all":  # the long count: it ends only when stopped
            started.set()
            database_proxy.execute_sql(ENDLESS).fetchone()
        return real_count(req, stop)

    monkeypatch.setattr(service, "count", count)
    counting.send(("count", 1, request(db_path, clock, "all")))
    assert started.wait(10)
    counting.send(("count", 2, request(db_path, clock, "12m")))
    counting.send(("count", 3, request(db_path, clock, "7d")))

    answers = {answer(counting)[:2] for _ in range(3)}

    assert answers == {("skipped", 1), ("skipped", 2), ("done", 3)}
    assert asked == ["all", "7d"]  # the count replaced while it waited never ran


def test_stop_stops_the_running_count(db_path, clock, counting, monkeypatch):
    started = threading.Event()

    def count(req, stop=None):
        started.set()
        database_proxy.execute_sql(ENDLESS).fetchone()

    monkeypatch.setattr(service, "count", count)
    counting.send(("count", 1, request(db_path, clock)))
    assert started.wait(10)
    counting.send(("stop",))

    assert answer(counting) == ("skipped", 1)


def test_a_count_that_fails_says_why(db_path, tmp_path, clock, counting):
    counting.send(("count", 1, request(tmp_path / "missing" / "nothing.sqlite", clock)))

    kind, job, message = answer(counting)

    assert (kind, job) == ("failed", 1)
    assert "unable to open database file" in message
