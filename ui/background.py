"""Work that must not freeze the window, run on a private one-thread pool."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from ahoy_desktop.db.models import database_proxy

log = logging.getLogger(__name__)


class BackgroundQuery(QObject):
    """Runs a core query on a private one-thread pool and delivers only the newest result.

    The pool's thread ends as soon as it is idle, so nothing outlives the
    work; ``wait()`` blocks until all queued work is done (closing, tests).
    Each job opens and closes its own database connection.
    """

    finished = Signal(object)
    failed = Signal(str)
    _done = Signal(int, object)
    _error = Signal(int, str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(0)
        self._generation = 0
        self._in_flight = 0
        self._done.connect(self._deliver)
        self._error.connect(self._report)

    @property
    def busy(self) -> bool:
        return self._in_flight > 0

    def run(self, work: Callable[[], object]) -> None:
        self._generation += 1
        self._in_flight += 1
        self._pool.start(_Job(work, self._generation, self._done, self._error))

    def cancel(self) -> None:
        """Forget results still to come (e.g. the workspace is closing)."""
        self._generation += 1

    def wait(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)

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


class _Job(QRunnable):
    def __init__(self, work: Callable[[], object], generation: int, done, error):
        super().__init__()
        self._work, self._generation, self._done, self._error = work, generation, done, error

    def run(self) -> None:
        try:
            with database_proxy.connection_context():
                result = self._work()
        except Exception as exc:  # a bug or a vanished file: log it, tell the tab
            log.exception("background query failed")
            self._error.emit(self._generation, f"{type(exc).__name__}: {exc}")
            return
        self._done.emit(self._generation, result)
