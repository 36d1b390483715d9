"""The dashboard's counting, served from a process of its own.

Counting a large workspace takes seconds of SQLite work with short stretches
of Python in between. Done on a thread of the window's process, those
stretches hold the interpreter lock the window needs to paint and answer;
on a busy machine a thread holding it can be kept off the CPU, and the
window stalls with it. In a process of its own the counting shares nothing
with the window but the file, and it can yield the CPU to the window.

The window sends ``("count", job, CountRequest)``; a newer count stops the
one running (SQLite asks a progress handler every few thousand steps, and
the count looks again between its queries) and replaces one still waiting.
``("stop",)`` stops both; ``None`` ends the process. Every count is answered
once: ``("done", job, pickled data)``, ``("failed", job, message)`` or
``("skipped", job)``.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import threading
import traceback
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import peewee

from ..db.models import database_proxy
from ..db.sqlite import open_existing_sqlite
from .periods import period_for
from .queries import DashboardData, Scope, earliest_time, load_dashboard

NICENESS = 10  # below the window, which then gets the CPU first on a busy machine
PROGRESS_STEPS = 10_000  # SQLite steps between two looks at whether the count is still wanted


@dataclass(frozen=True)
class CountRequest:
    """What to count: a range choice at a moment, for one account or all, in one workspace file."""

    workspace: str
    choice: str
    now: datetime
    account_id: int | None = None
    custom: tuple[date, date] | None = None


def count(request: CountRequest, stop=None) -> DashboardData | None:
    """Every chart's numbers for ``request`` from the open workspace (None when ``stop()`` said so)."""
    period = period_for(request.choice, request.now, earliest=earliest_time(), custom=request.custom)
    return load_dashboard(Scope(period, request.account_id), stop=stop)


class _Service:
    def __init__(self, pipe):
        self._pipe = pipe
        self._send_lock = threading.Lock()
        self._state = threading.Condition()
        self._waiting: tuple[int, CountRequest] | None = None
        self._running: int | None = None
        self._wanted: int | None = None  # the newest count asked for, unless stopped since
        self._closing = False
        self._db = None
        self._db_path: str | None = None

    def send(self, message) -> None:
        with self._send_lock:
            self._pipe.send(message)

    def listen(self) -> None:
        """Read the window's messages (on a thread of its own, so a count can be stopped while it runs)."""
        try:
            while (message := self._pipe.recv()) is not None:
                if message[0] == "count":
                    self._take(message[1], message[2])
                elif message[0] == "stop":
                    self._stop_all()
        except (EOFError, OSError):  # the window went away
            pass
        with self._state:
            self._closing = True
            self._state.notify_all()
        self._stop_all()

    def _take(self, job: int, request: CountRequest) -> None:
        with self._state:
            replaced = self._waiting
            self._wanted = job
            self._waiting = (job, request)
            self._state.notify_all()
        if replaced is not None:
            self.send(("skipped", replaced[0]))

    def _stop_all(self) -> None:
        with self._state:
            replaced, self._waiting = self._waiting, None
            self._wanted = None
        if replaced is not None:
            self.send(("skipped", replaced[0]))

    def _unwanted(self) -> bool:
        """The progress handler: a true answer makes SQLite stop the statement running ("interrupted")."""
        return self._running is not None and self._wanted != self._running

    def run(self) -> None:
        """Count what is asked, newest first, until the window says to stop."""
        try:
            while True:
                with self._state:
                    self._state.wait_for(lambda: self._waiting is not None or self._closing)
                    if self._waiting is None:
                        return
                    (job, request), self._waiting = self._waiting, None
                    self._running = job
                try:
                    self.send(self._answer(job, request))
                finally:
                    with self._state:
                        self._running = None
        finally:
            if self._db is not None:
                self._db.close()

    def _connect(self, workspace: str) -> None:
        if workspace != self._db_path:
            if self._db is not None:
                self._db.close()
            self._db, self._db_path = open_existing_sqlite(Path(workspace)), workspace
            database_proxy.initialize(self._db)
        if self._db.is_closed():
            self._db.connect()
            self._db.connection().set_progress_handler(self._unwanted, PROGRESS_STEPS)

    def _answer(self, job: int, request: CountRequest):
        def unwanted() -> bool:
            return self._wanted != job

        try:
            self._connect(request.workspace)
            data = count(request, stop=unwanted)
        except (sqlite3.OperationalError, peewee.OperationalError) as exc:
            if "interrupted" in str(exc) and unwanted():
                return ("skipped", job)
            return ("failed", job, _describe(exc))
        except Exception as exc:  # a bug or a vanished file: the window logs it and says so
            return ("failed", job, _describe(exc))
        if data is None:
            return ("skipped", job)
        return ("done", job, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def _describe(exc: Exception) -> str:
    return "".join(traceback.format_exception(exc)).rstrip()


def serve(pipe) -> None:
    """The counting process's main function."""
    if hasattr(os, "nice"):
        try:
            os.nice(NICENESS)
        except OSError:
            pass
    service = _Service(pipe)
    listener = threading.Thread(target=service.listen, name="dashboard-listen", daemon=True)
    listener.start()
    service.run()
    listener.join(1)
