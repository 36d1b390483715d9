"""The status bar's sync line: what the sync is doing, or when it runs next."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel

from ahoy_desktop.accounts import active_accounts
from ahoy_desktop.db.models import Account

from .context import AppContext
from .texts import stage_label


class SyncStatusLabel(QLabel):
    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.setAccessibleName(self.tr("Sync status"))
        sync = context.sync
        sync.progress.connect(self._on_progress)
        sync.running_changed.connect(lambda _running: self.refresh())
        sync.account_failed.connect(self._on_failed)
        context.workspace_opened.connect(self.refresh)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        session = self.context.session
        if session is None:
            self.setText(self.tr("No workspace open"))
            return
        if self.context.sync.is_running():
            self.setText(self.tr("Syncing…"))
            return
        accounts = active_accounts()
        if not accounts:
            self.setText(self.tr("No account connected"))
            return
        synced = [a.last_sync_at for a in accounts if a.last_sync_at]
        if not synced:
            self.setText(self.tr("Not synced yet"))
            return
        last = max(synced).astimezone()
        upcoming = min(self.context.sync.next_sync_at(a) for a in accounts).astimezone()
        self.setText(self.tr("Last sync %1 · next sync %2")
                     .replace("%1", last.strftime("%d %b %H:%M")).replace("%2", upcoming.strftime("%d %b %H:%M")))

    @Slot(object)
    def _on_progress(self, progress) -> None:
        account = Account.get_or_none(Account.id == progress.account_id)
        handle = f"@{account.username}" if account else ""
        if progress.waiting_until is not None:
            until = progress.waiting_until.astimezone().strftime("%H:%M:%S")
            self.setText(self.tr("Syncing %1 — waiting for X's rate limit until %2")
                         .replace("%1", handle).replace("%2", until))
            return
        self.setText(self.tr("Syncing %1 — %2 · %3 requests")
                     .replace("%1", handle).replace("%2", stage_label(progress.stage))
                     .replace("%3", str(progress.requests)))

    @Slot(int, str)
    def _on_failed(self, account_id: int, message: str) -> None:
        self.setText(self.tr("Sync failed: %1").replace("%1", message))
