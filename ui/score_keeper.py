"""Keeps scores current as time passes: activity leaving the 30-day window lowers scores.

Checked when a workspace opens and every few minutes, on a worker thread
(after a long absence many members may need recounting); the tabs hear of it
through a ``Changes`` value when any stage moved.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from ahoy_desktop import scores
from ahoy_desktop.changes import Changes
from ahoy_desktop.db.models import database_proxy

from .context import AppContext

log = logging.getLogger(__name__)

CHECK_EVERY_MS = 10 * 60 * 1000


class _Update(QThread):
    done = Signal(int)  # stage changes

    def __init__(self, context: AppContext):
        super().__init__()
        self.now = context.clock.now()

    def run(self) -> None:
        try:
            with database_proxy.connection_context():  # this thread's own connection, closed after
                changed = scores.update_scores(self.now)
        except Exception:
            log.exception("updating scores failed")
            changed = 0
        self.done.emit(changed)


class ScoreKeeper(QObject):
    def __init__(self, context: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.context = context
        self._thread: _Update | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)
        context.workspace_opened.connect(self._start)
        context.workspace_closing.connect(self.stop)

    @Slot()
    def _start(self) -> None:
        self._timer.start()
        QTimer.singleShot(0, self.check)

    @Slot()
    def check(self) -> None:
        if self.context.session is None or self._thread is not None:
            return
        self._thread = _Update(self.context)
        self._thread.done.connect(self._finished)
        self._thread.start()

    @Slot(int)
    def _finished(self, changed: int) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.wait()
            thread.deleteLater()
        if changed:
            self.context.notify(Changes(scoring_changed=True))

    @Slot()
    def stop(self) -> None:
        self._timer.stop()
        if self._thread is not None:
            self._thread.wait()
            self._thread.deleteLater()
            self._thread = None
