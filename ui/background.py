"""Work that must not freeze the window: on a private one-thread pool, or on a kept reader thread."""

from __future__ import annotations

import logging
import os
import queue
import sqlite3
import sys
import threading
from collections.abc import Callable
from contextlib import contextmanager

import peewee
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from ahoy_desktop.db.file_check import is_damage
from ahoy_desktop.db.models import database_proxy

log = logging.getLogger(__name__)

STOP_RETRY_MS = 20


class ReaderThread:
    """One long-lived thread that keeps its own read connection open between jobs.

    A fresh thread and connection per job cost more than a short query: the
    thread start, the connection's pragmas and above all its empty page
    cache. Jobs run in the order given. The connection follows the workspace
    (a new database is connected on the next job) and ``close()`` ends the
    thread and closes its connection: call it before the workspace file closes.
    A job whose result nobody wants any more is skipped, or stopped if it is
    running, and the thread yields the CPU to the window's: on two busy cores
    a long search must not make the UI stutter.
    """

    def __init__(self, name: str = "reader"):
        self._name = name
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._pending = 0
        self._idle = threading.Condition()
        self._running = _Running()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def submit(self, job: _Job) -> None:
        with self._idle:
            self._pending += 1
        if not self.running:
            # A daemon only so that a forgotten close() cannot hang the app's exit.
            self._thread = threading.Thread(target=self._serve, name=self._name, daemon=True)
            self._thread.start()
        self._jobs.put(job)

    def wait(self, msecs: int = -1) -> bool:
        """Block until every job given so far has run (or been skipped)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, None if msecs < 0 else msecs / 1000)

    def stop_superseded(self) -> bool:
        """Interrupt the read running if its result is no longer wanted; True if one was."""
        return self._running.stop_if_superseded()

    def close(self) -> None:
        """Run what is queued, then end the thread and close its connection."""
        if self._thread is None:
            return
        self._jobs.put(None)
        self._thread.join()
        self._thread = None

    def _serve(self) -> None:
        if sys.platform.startswith("linux"):  # Linux alone gives each thread its own nice value
            try:
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
            except OSError:
                pass
        db = None
        try:
            while (job := self._jobs.get()) is not None:
                try:
                    db = _follow_workspace(db)
                    with self._running.holding(job, db.connection() if db is not None else None):
                        job.run()
                except Exception as exc:  # the connection failed to open: the job reports it
                    job.fail(exc)
                finally:
                    with self._idle:
                        self._pending -= 1
                        self._idle.notify_all()
        finally:
            _close(db)


def _follow_workspace(db):
    """This thread's connection to the open workspace, reconnecting when another one was opened."""
    if database_proxy.obj is not db:
        _close(db)
        db = database_proxy.obj
    if db is not None and db.is_closed():
        db.connect()
    return db


def _close(db) -> None:
    """Close this thread's connection to ``db`` (peewee keeps one per thread)."""
    if db is not None and not db.is_closed():
        db.close()


class BackgroundQuery(QObject):
    """Runs a core read off the UI thread and delivers only the newest result.

    By default on a private one-thread pool whose thread ends as soon as it
    is idle, so nothing outlives the work, each job with its own database
    connection. Given a ``ReaderThread``, jobs run there on its kept
    connection instead. Either way a job already superseded when its turn
    comes is skipped, and one running is interrupted: quick changes of mind
    are answered at once instead of after every older question (so a job
    must only read).
    ``wait()`` blocks until all queued work is done (closing, tests).
    """

    finished = Signal(object)
    failed = Signal(str)
    _done = Signal(int, object)
    _error = Signal(int, str)

    def __init__(self, parent: QObject | None = None, reader: ReaderThread | None = None):
        super().__init__(parent)
        self._reader = reader
        self._pool = None
        self._running = _Running()
        if reader is None:
            self._pool = QThreadPool(self)
            self._pool.setMaxThreadCount(1)
            self._pool.setExpiryTimeout(0)
        self._generation = 0
        self._in_flight = 0
        self._done.connect(self._deliver)
        self._error.connect(self._report)
        self._stopping = QTimer(self)
        self._stopping.setSingleShot(True)
        self._stopping.setInterval(STOP_RETRY_MS)
        self._stopping.timeout.connect(self._stop_superseded)

    @property
    def busy(self) -> bool:
        return self._in_flight > 0

    def run(self, work: Callable[[], object]) -> None:
        self._generation += 1
        self._in_flight += 1
        job = _Job(work, self._generation, self._done, self._error, self._is_current)
        self._stop_superseded()
        if self._reader is not None:
            self._reader.submit(job)
        else:
            self._pool.start(_PooledJob(job, self._running))

    def cancel(self) -> None:
        """Forget results still to come (e.g. the workspace is closing), and stop the one being read."""
        self._generation += 1
        self._stop_superseded()

    @Slot()
    def _stop_superseded(self) -> None:
        stopped = self._reader.stop_superseded() if self._reader is not None else self._running.stop_if_superseded()
        if stopped:
            self._stopping.start()  # until the job has noticed

    def wait(self, msecs: int = -1) -> bool:
        if self._reader is not None:
            return self._reader.wait(msecs)
        return self._pool.waitForDone(msecs)

    def _is_current(self, generation: int) -> bool:
        return generation == self._generation

    @Slot(int, object)
    def _deliver(self, generation: int, result: object) -> None:
        self._in_flight -= 1
        if generation == self._generation:
            self.finished.emit(result)

    @Slot(int, str)
    def _report(self, generation: int, message: str) -> None:
        self._in_flight -= 1
        if generation == self._generation:
            self.failed.emit(message)


class _Running:
    """The job a thread is running and that thread's connection, so that another thread can interrupt it.

    The lock keeps an interrupt from reaching a connection that is being
    closed, or a job that has already ended.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._job: _Job | None = None
        self._connection: sqlite3.Connection | None = None

    @contextmanager
    def holding(self, job: _Job, connection: sqlite3.Connection | None):
        with self._lock:
            self._job, self._connection = job, connection
        try:
            yield
        finally:
            with self._lock:
                self._job = self._connection = None

    def stop_if_superseded(self) -> bool:
        """Interrupt the job running if it is superseded; True if it was (and may still be running).

        An interrupt stops the statement running when it comes; one that lands
        between two statements of the job is lost, so the caller asks again
        until the job has ended.
        """
        with self._lock:
            if self._job is None or not self._job.superseded() or self._connection is None:
                return False
            self._connection.interrupt()
            return True


class _Job:
    def __init__(self, work: Callable[[], object], generation: int, done, error,
                 is_current: Callable[[int], bool] | None = None):
        self._work, self._generation, self._done, self._error = work, generation, done, error
        self._is_current = is_current

    def superseded(self) -> bool:
        return self._is_current is not None and not self._is_current(self._generation)

    def run(self) -> None:
        if self.superseded():
            self._done.emit(self._generation, None)  # only counted as done
            return
        try:
            try:
                result = self._work()
            except (sqlite3.OperationalError, peewee.OperationalError) as exc:
                if "interrupted" not in str(exc) or not self.superseded():
                    raise
                self._done.emit(self._generation, None)  # stopped: a newer read is wanted
                return
        except Exception as exc:  # a bug or a vanished file: log it, tell the tab
            self.fail(exc)
            return
        self._done.emit(self._generation, result)

    def fail(self, exc: Exception) -> None:
        """A damaged file goes to the window's recovery; anything else is logged as the bug it is."""
        if is_damage(exc):
            from .faults import report_damage

            db = database_proxy.obj
            report_damage(str(exc), db.database if db is not None else None)
            self._error.emit(self._generation, str(exc))
            return
        log.exception("background query failed", exc_info=exc)
        self._error.emit(self._generation, f"{type(exc).__name__}: {exc}")


class _PooledJob(QRunnable):
    """A job on the pool, with a connection of its own for the job's length."""

    def __init__(self, job: _Job, running: _Running):
        super().__init__()
        self._job = job
        self._running = running

    def run(self) -> None:
        if self._job.superseded():  # skipped before it costs a connection
            self._job.run()
            return
        try:
            database_proxy.connect(reuse_if_open=True)
        except Exception as exc:  # a vanished file
            self._job.fail(exc)
            return
        try:
            with self._running.holding(self._job, database_proxy.connection()):
                self._job.run()
        finally:
            database_proxy.close()
