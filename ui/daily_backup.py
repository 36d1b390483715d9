"""The open workspace's daily backup, taken off the UI thread.

Checked when a workspace opens and every hour while it stays open; a copy is
made at most once per UTC day (``backups.run_daily_backup``). The copy uses
its own SQLite connection, so it runs beside a sync without disturbing it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal, Slot

from ahoy_desktop.backups import run_daily_backup

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 60 * 60 * 1000


class DailyBackup(QObject):
    made = Signal(str)  # the new backup's path
    failed = Signal(str)  # a message for the status bar

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(0)  # no thread lingers once the copy is done
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._path: Path | None = None
        self._running = False

    def start(self, workspace_path: str | Path) -> None:
        self._path = Path(workspace_path)
        self._timer.start()
        self.check()

    def stop(self) -> None:
        """Stop checking; a copy in progress is finished first (it takes seconds, not minutes)."""
        self._timer.stop()
        self._path = None
        self._pool.waitForDone()

    def wait(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)

    @Slot()
    def check(self) -> None:
        if self._path is None or self._running:
            return
        self._running = True
        path = self._path
        self._pool.start(lambda: self._back_up(path))

    def _back_up(self, path: Path) -> None:
        try:
            made = run_daily_backup(path)
        except Exception as exc:  # a full disk, a vanished folder: say so, keep the app running
            log.exception("the daily backup of %s failed", path.name)
            self._running = False
            self.failed.emit(str(exc))
            return
        self._running = False
        if made is not None:
            self.made.emit(str(made))
