"""Runs syncs on a QThread and schedules refreshes while the app runs.

The worker talks to the UI only through signals: progress, one report per
account, a failure the user can act on, and a final ``Changes``. Cancelling
is checked between requests, so closing the window stops a sync cleanly:
the page in flight is committed or not at all.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

from ahoy_desktop.accounts import active_accounts
from ahoy_desktop.changes import Changes
from ahoy_desktop.db.file_check import is_damage
from ahoy_desktop.db.models import Account, database_proxy
from ahoy_desktop.settings import OWN_POSTS_DAYS, RATE_WAIT_LIMIT_MINUTES, SYNC_INTERVAL_HOURS
from ahoy_desktop.sync.engine import SyncOptions
from ahoy_desktop.sync.lock import SyncBusy
from ahoy_desktop.workspace import sync_account

from .context import AppContext
from .faults import report_damage

log = logging.getLogger(__name__)

SCHEDULE_CHECK_MS = 30_000
RETRY_AFTER = timedelta(minutes=15)  # X's rate-limit window


class SyncWorker(QObject):
    progress = Signal(object)  # SyncProgress
    account_finished = Signal(object)  # SyncReport
    account_failed = Signal(int, str)  # account id, message
    finished = Signal(object)  # Changes

    def __init__(self, context: AppContext, account_ids: list[int]):
        super().__init__()
        self.context = context
        self.account_ids = account_ids
        self.cancel = threading.Event()
        self.current_account: int | None = None

    @Slot()
    def run(self) -> None:
        try:
            with database_proxy.connection_context():  # this thread's own connection, closed after
                self._run()
        finally:
            # Back to the UI thread for its deleteLater: posted to this thread once it has ended, it would
            # never run, and every sync would leave its worker behind.
            self.moveToThread(QCoreApplication.instance().thread())

    def _run(self) -> None:
        session = self.context.session
        settings = self.context.settings
        options = SyncOptions(own_posts_days=settings.get(OWN_POSTS_DAYS),
                              wait_limit_seconds=settings.get(RATE_WAIT_LIMIT_MINUTES) * 60)
        changes = Changes()
        for account_id in self.account_ids:
            if self.cancel.is_set():
                break
            self.current_account = account_id
            try:
                account = Account.get_or_none(Account.id == account_id)
                if account is None or account.disconnected_at is not None:
                    continue
                report = sync_account(account, session.host, session.clock, options=options,
                                      progress=self.progress.emit, cancel=self.cancel, settings=settings)
            except SyncBusy as exc:
                self.account_failed.emit(account_id, str(exc))
                continue
            except Exception as exc:  # a bug: keep the app alive, tell the user, log the traceback
                if is_damage(exc):  # not a bug: the window offers the backups
                    report_damage(str(exc), database_proxy.obj.database)
                    self.account_failed.emit(account_id, self.tr("The workspace file is damaged: %1")
                                             .replace("%1", str(exc)))
                    break
                log.exception("sync of account %s failed", account_id)
                self.account_failed.emit(account_id, f"{type(exc).__name__}: {exc}")
                continue
            self.account_finished.emit(report)
            merged = Changes.from_report(report)
            changes.members_added |= merged.members_added
            changes.members_updated |= merged.members_updated
            changes.members_with_new_activity |= merged.members_with_new_activity
            changes.activities_added.update(merged.activities_added)
            changes.accounts_changed |= merged.accounts_changed
        self.current_account = None
        self.finished.emit(changes)


class SyncController(QObject):
    """One sync run at a time; requests made meanwhile are queued."""

    progress = Signal(object)  # SyncProgress
    account_finished = Signal(object)  # SyncReport
    account_failed = Signal(int, str)
    finished = Signal(object)  # Changes
    running_changed = Signal(bool)

    def __init__(self, context: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.context = context
        self._thread: QThread | None = None
        self._worker: SyncWorker | None = None
        self._pending: list[int] = []
        self._timer = QTimer(self)
        self._timer.setInterval(SCHEDULE_CHECK_MS)
        self._timer.timeout.connect(self.sync_due)
        self.progress.connect(self._note_progress)
        self.last_progress: dict[int, object] = {}  # account id -> its latest SyncProgress

    # -- state -----------------------------------------------------------

    def is_running(self) -> bool:
        return self._thread is not None

    def running_account(self) -> int | None:
        return self._worker.current_account if self._worker else None

    def queued(self) -> list[int]:
        return list(self._pending)

    def interval(self) -> timedelta:
        return timedelta(hours=self.context.settings.get(SYNC_INTERVAL_HOURS))

    def next_sync_at(self, account: Account, now: datetime | None = None) -> datetime:
        """When the schedule syncs this account next.

        Now, if it never completed a sync or the last one was cancelled (the
        import resumes from its cursors); one X rate-limit window after a
        failure or a rate-limit stop; else the interval after the last sync.
        """
        last = account.last_sync_at
        if last is None or not account.first_import_done or account.last_sync_outcome == "cancelled":
            return last or now or self.context.clock.now()
        if account.last_sync_outcome in ("failed", "rate_limited"):
            return last + RETRY_AFTER
        return last + self.interval()

    # -- actions -----------------------------------------------------------

    def start_schedule(self) -> None:
        self._timer.start()
        QTimer.singleShot(0, self.sync_due)

    def stop_schedule(self) -> None:
        self._timer.stop()

    @Slot()
    def sync_due(self) -> None:
        """Sync every account whose next sync time has passed (catches up after sleep)."""
        if self.context.session is None:
            return
        now = self.context.clock.now()
        due = [a.id for a in active_accounts() if self.next_sync_at(a, now) <= now]
        if due:
            self.sync(due)

    def sync(self, account_ids: list[int] | None = None) -> None:
        """Sync these accounts (all, by default) now or right after the running sync."""
        if self.context.session is None:
            return
        if account_ids is None:
            account_ids = [a.id for a in active_accounts()]
        running = self.running_account()
        for account_id in account_ids:
            if account_id not in self._pending and account_id != running:
                self._pending.append(account_id)
        if not self.is_running():
            self._start_next()

    def cancel(self) -> None:
        """Stop the running sync between two requests and drop the queue."""
        self._pending.clear()
        if self._worker is not None:
            self._worker.cancel.set()

    def shutdown(self, timeout_ms: int = 60_000) -> bool:
        """Cancel and wait for the thread to end; True when it did."""
        self.stop_schedule()
        self.cancel()
        thread = self._thread
        if thread is None:
            return True
        thread.quit()
        ended = thread.wait(timeout_ms)
        self._cleanup()
        return ended

    # -- plumbing -------------------------------------------------------------

    def _start_next(self) -> None:
        if not self._pending or self.context.session is None:
            return
        ids, self._pending = self._pending, []
        worker = SyncWorker(self.context, ids)
        thread = QThread()
        thread.setObjectName("sync")
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progress.connect(self.progress)
        worker.account_finished.connect(self.account_finished)
        worker.account_failed.connect(self.account_failed)
        worker.finished.connect(self._worker_finished)  # a bound slot: delivered in the main thread
        worker.finished.connect(thread.quit)
        self._thread, self._worker = thread, worker
        log.info("sync started for accounts %s", ids)
        self.running_changed.emit(True)
        thread.start()

    @Slot(object)
    def _worker_finished(self, changes: Changes) -> None:
        if self._worker is None or self.sender() is not self._worker:
            return  # a run stopped by shutdown(): its signal arrives after the fact
        log.info("sync finished: %d new activities", sum(changes.activities_added.values()))
        thread = self._thread
        if thread is not None:
            thread.quit()  # the queued quit from the worker has not run yet: we are the main thread
            thread.wait()
        self._cleanup()
        self.finished.emit(changes)
        self.context.notify(changes)
        if self._pending:
            self._start_next()
        else:
            self.running_changed.emit(False)

    def _cleanup(self) -> None:
        if self._worker is not None:
            self._worker.deleteLater()
        if self._thread is not None:
            self._thread.deleteLater()
        self._thread, self._worker = None, None
        self.last_progress.clear()

    @Slot(object)
    def _note_progress(self, progress) -> None:
        self.last_progress[progress.account_id] = progress
