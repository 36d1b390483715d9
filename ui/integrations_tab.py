"""The Integrations tab: the connected accounts, their syncs, and how to add one.

Cards refresh from signals, never by polling: a progress value updates one
card's labels, a finished or failed sync rereads that one account, and a new
workspace rebuilds the list. Opening a world file and deleting an account's
data can take a while on big workspaces, so both run on a short-lived worker
thread and the window stays responsive.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop import usage
from ahoy_desktop.accounts import (
    AccountSummary,
    ConnectResult,
    DisconnectResult,
    account_summaries,
    connect_world,
    disconnect_account,
    reconnect_account,
)
from ahoy_desktop.changes import Changes
from ahoy_desktop.db import close_db
from ahoy_desktop.sync.engine import SyncProgress, SyncReport
from ahoy_desktop.sync.lock import SyncBusy
from ahoy_desktop.workspace import approve_first_import, token_store
from ahoy_desktop.xapi.client import XApiError

from .account_card import AccountCard, muted
from .connect_x_dialog import ConnectXDialog
from .context import AppContext
from .usage_view import UsageDialog

log = logging.getLogger(__name__)

TIME_REFRESH_MS = 30_000


class _Task(QObject):
    """One blocking core call on a thread of its own; the result comes back as a signal."""

    ended = Signal(object)  # (task, ok, result or exception)

    def __init__(self, work: Callable[[], object]):
        super().__init__()
        self._work = work

    @Slot()
    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # handed to the UI thread, which tells known errors from bugs
            self.ended.emit((self, False, exc))
        else:
            self.ended.emit((self, True, result))
        finally:
            close_db()  # this thread's connection only; the window's stays open


class IntegrationsTab(QWidget):
    sample_requested = Signal()  # the main window opens the sample workspace
    account_connected = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.cards: dict[int, AccountCard] = {}
        self._requested: set[int] = set()  # asked to sync, not started yet
        self._syncing: int | None = None
        self._tasks: dict[_Task, tuple[QThread, Callable, Callable]] = {}
        self._build()
        context.workspace_opened.connect(self.reload)
        context.workspace_closing.connect(self.shutdown)
        context.changed.connect(self._on_changed)
        sync = context.sync
        if sync is not None:
            sync.progress.connect(self._on_progress)
            sync.account_finished.connect(self._on_account_finished)
            sync.account_failed.connect(self._on_account_failed)
            sync.running_changed.connect(self._on_running_changed)
            sync.finished.connect(self._on_finished)
        self._times = QTimer(self)
        self._times.setInterval(TIME_REFRESH_MS)
        self._times.timeout.connect(self._refresh_times)
        self._times.start()
        self.reload()

    # -- building --------------------------------------------------------------------

    def _build(self) -> None:
        title = QLabel(self.tr("Connected accounts"))
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.35)
        title.setFont(font)
        self.sync_all_button = QPushButton(self.tr("Sync all now"))
        self.sync_all_button.setAccessibleName(self.tr("Sync all accounts now"))
        self.sync_all_button.clicked.connect(self.sync_all)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.sync_all_button)

        self.empty_title = QLabel(self.tr("No account is connected yet"))
        font = self.empty_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.empty_title.setFont(font)
        self.empty_label = QLabel(self.tr(
            "Ahoy reads an account's mentions, replies, quotes, likes and retweets on X and turns the people "
            "behind them into the members of your community. Look around with the sample data, or connect a "
            "sandbox world file."))
        self.empty_label.setWordWrap(True)
        self.cards_layout = QVBoxLayout()
        self.cards_layout.setSpacing(10)

        self.note_label = QLabel(self.tr(
            "X does not report follow events, so people who only followed you are not members; X gives no dates "
            "for likes and retweets, so those found at the first import are dated to the moment you connected, "
            "and later ones to the sync that first saw them. The first import reaches the 800 most recent "
            "mentions; refreshes run every few hours because of X's rate limits."))
        self.note_label.setWordWrap(True)
        font = self.note_label.font()
        font.setPointSizeF(font.pointSizeF() * 0.92)
        self.note_label.setFont(font)
        muted(self.note_label)

        column = QWidget()
        column.setMaximumWidth(1000)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(14)
        layout.addLayout(header)
        layout.addWidget(self.empty_title)
        layout.addWidget(self.empty_label)
        layout.addLayout(self.cards_layout)
        layout.addWidget(self._build_add_box())
        layout.addWidget(self.note_label)
        layout.addStretch(1)
        content = QWidget()
        row = QHBoxLayout(content)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(0)
        row.addWidget(column, 1)
        row.addStretch(0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _build_add_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Add an account"))
        text = QLabel(self.tr("Connect your X account read-only through your own X developer app, try Ahoy "
                              "with sample data, or connect a sandbox world: a JSON file that serves an "
                              "account's activity the way X would."))
        text.setWordWrap(True)
        self.connect_x_button = QPushButton(self.tr("Connect X account…"))
        self.connect_x_button.setAccessibleName(self.tr("Connect an X account"))
        self.connect_x_button.clicked.connect(self.connect_x_account)
        self.sample_button = QPushButton(self.tr("Try with sample data"))
        self.sample_button.setAccessibleName(self.tr("Open the sample workspace"))
        self.sample_button.clicked.connect(self.sample_requested)
        self.connect_button = QPushButton(self.tr("Connect a sandbox world file…"))
        self.connect_button.setAccessibleName(self.tr("Connect a sandbox world file"))
        self.connect_button.clicked.connect(self.choose_world_file)
        self.connect_status = QLabel()
        muted(self.connect_status)
        self.connect_status.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.connect_x_button)
        buttons.addWidget(self.sample_button)
        buttons.addWidget(self.connect_button)
        buttons.addWidget(self.connect_status)
        buttons.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(text)
        layout.addLayout(buttons)
        return box

    # -- loading ------------------------------------------------------------------------

    @Slot()
    def reload(self) -> None:
        """Rebuild every card from the database (a workspace was opened)."""
        self._requested.clear()
        self._syncing = None
        self._rebuild_cards()

    def _rebuild_cards(self) -> None:
        for card in self.cards.values():
            self._drop_card(card)
        self.cards.clear()
        summaries = account_summaries() if self.context.session is not None else []
        for summary in summaries:
            self._add_card(summary)
        sync = self.context.sync
        if sync is not None and sync.is_running():  # a sync under way keeps showing on the new cards
            running = sync.running_account()
            if running in self.cards:
                self._syncing = running
                progress = sync.last_progress.get(running)
                if progress is not None:
                    self.cards[running].show_progress(progress)
                else:
                    self.cards[running].show_starting()
        self._update_layout()
        self._update_sync_states()

    def reload_accounts(self, account_ids: set[int]) -> None:
        """Reread these accounts: update their cards, drop deleted ones, add new ones."""
        if self.context.session is None:
            return
        found = {s.id: s for s in account_summaries(account_ids)}
        if any(i not in self.cards for i in found):
            self._rebuild_cards()
            return
        for account_id in account_ids:
            card = self.cards.get(account_id)
            if card is None:
                continue
            if account_id in found:
                card.set_summary(found[account_id])
            else:
                self._drop_card(self.cards.pop(account_id))
        self._update_layout()
        self._update_sync_states()

    def _add_card(self, summary: AccountSummary) -> None:
        card = AccountCard(self.context, summary)
        card.sync_requested.connect(lambda account_id: self.sync_accounts([account_id]))
        card.cancel_requested.connect(self._cancel)
        card.disconnect_requested.connect(self.ask_disconnect)
        card.delete_data_requested.connect(self.ask_delete_data)
        card.reconnect_requested.connect(self._reconnect)
        card.sign_in_requested.connect(self.connect_x_account)
        card.approve_import_requested.connect(self.ask_approve_import)
        card.usage_requested.connect(self.show_usage)
        self.cards[summary.id] = card
        self.cards_layout.addWidget(card)

    def _drop_card(self, card: AccountCard) -> None:
        """Take the card out; without a parent, Python frees it when the last reference goes."""
        self.cards_layout.removeWidget(card)
        card.hide()
        card.setParent(None)

    def _update_layout(self) -> None:
        empty = not self.cards
        self.empty_title.setVisible(empty)
        self.empty_label.setVisible(empty)
        self.sync_all_button.setVisible(not empty and self.context.sync is not None)
        session = self.context.session
        self.sample_button.setVisible(session is None or not session.is_sample)
        for button in (self.sample_button, self.connect_button):
            button.setMinimumHeight(40 if empty else 0)
            font = button.font()
            font.setBold(empty)
            button.setFont(font)
        self.sample_button.setDefault(empty)

    # -- syncing -------------------------------------------------------------------------------

    def sync_accounts(self, account_ids: list[int]) -> None:
        sync = self.context.sync
        if sync is None or not account_ids:
            return
        was_running = sync.is_running()
        sync.sync(account_ids)
        if not was_running and sync.is_running():
            self._syncing = account_ids[0]
            self.cards[account_ids[0]].show_starting()
            account_ids = account_ids[1:]
        self._requested |= set(account_ids) - {self._syncing}
        self._update_sync_states()

    @Slot()
    def sync_all(self) -> None:
        self.sync_accounts([i for i, card in self.cards.items()
                            if not card.summary.disconnected and card.state == "idle"])

    def _cancel(self, account_id: int) -> None:
        if self.context.sync is not None:
            self.context.sync.cancel()

    @Slot(object)
    def _on_progress(self, progress: SyncProgress) -> None:
        card = self.cards.get(progress.account_id)
        if card is None:
            return
        if self._syncing != progress.account_id:
            self._syncing = progress.account_id
            self._requested.discard(progress.account_id)
            self._update_sync_states()
        card.show_progress(progress)

    @Slot(object)
    def _on_account_finished(self, report: SyncReport) -> None:
        self._sync_ended(report.account_id, "")

    @Slot(int, str)
    def _on_account_failed(self, account_id: int, message: str) -> None:
        self._sync_ended(account_id, message)

    def _sync_ended(self, account_id: int, error: str) -> None:
        self._requested.discard(account_id)
        if self._syncing == account_id:
            self._syncing = None
        card = self.cards.get(account_id)
        if card is not None:
            card.end_sync(error)
        self.reload_accounts({account_id})

    @Slot(bool)
    def _on_running_changed(self, running: bool) -> None:
        if not running:  # cancelled runs skip the rest of their accounts without a word
            self._requested.clear()
            self._syncing = None
            for card in self.cards.values():
                if card.state == "syncing":
                    card.end_sync()
        self._update_sync_states()

    @Slot(object)
    def _on_finished(self, changes: Changes) -> None:
        self._update_sync_states()  # the next queued run may start right after

    def _update_sync_states(self) -> None:
        sync = self.context.sync
        running = sync is not None and sync.is_running()
        waiting = (set(sync.queued()) if sync is not None else set()) | self._requested
        for account_id, card in self.cards.items():
            card.set_sync_state(running, account_id in waiting and account_id != self._syncing)
        self.sync_all_button.setEnabled(any(not c.summary.disconnected and c.state == "idle"
                                            for c in self.cards.values()))

    @Slot(object)
    def _on_changed(self, changes: Changes) -> None:
        if changes.accounts_changed:
            self.reload_accounts(set(changes.accounts_changed))
        elif changes.clock_moved:
            self._refresh_times()

    def _refresh_times(self) -> None:
        for card in self.cards.values():
            card.refresh_times()

    # -- connecting -------------------------------------------------------------------------------

    @Slot()
    def choose_world_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Connect a sandbox world file"), "",
                                              self.tr("Sandbox worlds (*.json);;All files (*)"))
        if path:
            self.connect_world_file(path)

    def connect_world_file(self, path: str) -> None:
        """Connect the account a world file serves, then sync it; a bad file connects nothing."""
        session = self.context.session
        if session is None:
            return
        name = Path(path).name
        self.connect_button.setEnabled(False)
        self.connect_status.setText(self.tr("Opening %1…").replace("%1", name))
        self.connect_status.show()
        host, clock = session.host, self.context.clock
        self._run(lambda: connect_world(host, path, clock),
                  lambda result: self._connected(result), lambda exc: self._connect_failed(name, exc))

    def _connected(self, result: ConnectResult) -> None:
        self._connect_done()
        if result.status == "existing":
            card = self.cards.get(result.account_id)
            handle = f"@{card.summary.account.username}" if card else ""
            QMessageBox.information(self, self.tr("Already connected"),
                                    self.tr("%1 from this world file is already connected.").replace("%1", handle))
            return
        self.context.notify(Changes(accounts_changed={result.account_id}))
        self.account_connected.emit(result.account_id)
        self.sync_accounts([result.account_id])

    def _connect_failed(self, name: str, exc: Exception) -> None:
        self._connect_done()
        if isinstance(exc, OSError | ValueError | XApiError):
            QMessageBox.warning(self, self.tr("Not a sandbox world"), self.tr(
                "Ahoy could not connect %1:\n\n%2\n\nChoose a sandbox world file (JSON in the "
                "ahoy-sandbox-world/1 format). Nothing was connected.").replace("%1", name).replace("%2", str(exc)))
            return
        log.error("connecting the world file %s failed", name, exc_info=exc)
        QMessageBox.critical(self, self.tr("Could not connect"), self.tr(
            "Something went wrong while connecting %1, and nothing was connected. The details were written "
            "to the log.").replace("%1", name))

    @Slot()
    def connect_x_account(self, _account_id: int | None = None) -> ConnectXDialog:
        """Sign an X account in (a new one, or one that needs reconnecting: X says which)."""
        dialog = ConnectXDialog(self.context, self)
        dialog.connected.connect(self._x_connected)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()
        return dialog

    def _x_connected(self, account_id: int, start: bool) -> None:
        self.context.notify(Changes(accounts_changed={account_id}))
        self.account_connected.emit(account_id)
        if start:
            self.sync_accounts([account_id])

    @Slot(int)
    def ask_approve_import(self, account_id: int) -> None:
        summary = self.cards[account_id].summary
        estimate = usage.estimate_first_import(summary.account.raw_user or {},
                                               usage.Prices.from_settings(self.context.settings))
        answer = QMessageBox.question(self, self.tr("Start the first import?"), self.tr(
            "The first import of @%1 is estimated at up to $%2 under X's pay-per-use prices. Likes, retweets and "
            "quotes of your posts come on top; the workspace's monthly budget stops any sync that would pass it.")
            .replace("%1", summary.account.username).replace("%2", f"{estimate.cost:.2f}"))
        if answer == QMessageBox.StandardButton.Yes:
            approve_first_import(account_id)
            self.context.notify(Changes(accounts_changed={account_id}))
            self.sync_accounts([account_id])

    @Slot(int)
    def show_usage(self, account_id: int) -> None:
        dialog = UsageDialog(self.context, account_id, self)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()

    def _connect_done(self) -> None:
        self.connect_button.setEnabled(True)
        self.connect_status.hide()

    # -- disconnecting ----------------------------------------------------------------------------

    @Slot(int)
    def ask_disconnect(self, account_id: int) -> None:
        card = self.cards[account_id]
        handle = f"@{card.summary.account.username}"
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Disconnect %1").replace("%1", handle))
        box.setText(self.tr("Stop syncing %1?").replace("%1", handle))
        text = self.tr(
            "Keep data: its members and activities stay in this workspace.\n"
            "Delete data: its activities go, and so do the members who have no other activity and whom nobody "
            "edited by hand. This cannot be undone.")
        if card.summary.account.credential_kind == "x":
            text += "\n\n" + self.tr("Either way, Ahoy's access is revoked at X and the sign-in is deleted from "
                                      "the keychain (if X cannot be reached, the revocation is retried later).")
        box.setInformativeText(text)
        keep = box.addButton(self.tr("Keep data"), QMessageBox.ButtonRole.AcceptRole)
        delete = box.addButton(self.tr("Delete data"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        box.setParent(None)  # Python frees it with the last reference
        if clicked is keep:
            self._disconnect(account_id, keep_data=True)
        elif clicked is delete:
            self._disconnect(account_id, keep_data=False)

    @Slot(int)
    def ask_delete_data(self, account_id: int) -> None:
        card = self.cards[account_id]
        handle = f"@{card.summary.account.username}"
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Delete the data of %1").replace("%1", handle))
        box.setText(self.tr("Delete everything synced from %1?").replace("%1", handle))
        box.setInformativeText(self.tr(
            "Its activities go, and so do the members who have no other activity and whom nobody edited by "
            "hand. This cannot be undone."))
        delete = box.addButton(self.tr("Delete data"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        box.setParent(None)  # Python frees it with the last reference
        if clicked is delete:
            self._disconnect(account_id, keep_data=False)

    def _disconnect(self, account_id: int, keep_data: bool) -> None:
        card = self.cards[account_id]
        card.set_busy(self.tr("Disconnecting…") if keep_data else self.tr("Deleting data…"))
        clock, host = self.context.clock, self.context.session.host
        tokens = token_store(self.context.settings)
        self._run(lambda: disconnect_account(account_id, keep_data, clock=clock, host=host, tokens=tokens),
                  self._disconnected, lambda exc: self._disconnect_failed(account_id, exc))

    def _disconnected(self, result: DisconnectResult) -> None:
        card = self.cards.get(result.account_id)
        if card is not None:
            card.end_busy()
        self.context.notify(Changes(accounts_changed={result.account_id},
                                    members_updated=result.members_recounted | result.members_deleted))

    def _disconnect_failed(self, account_id: int, exc: Exception) -> None:
        card = self.cards.get(account_id)
        if card is not None:
            card.end_busy()
        if isinstance(exc, SyncBusy):
            QMessageBox.warning(self, self.tr("Account is syncing"), self.tr(
                "Another Ahoy Desktop window or a scheduled sync is syncing this account. Try again when "
                "it has finished."))
            return
        log.error("disconnecting account %s failed", account_id, exc_info=exc)
        QMessageBox.critical(self, self.tr("Could not disconnect"), self.tr(
            "Something went wrong, and the account was left as it was. The details were written to the log."))

    def _reconnect(self, account_id: int) -> None:
        reconnect_account(account_id)  # one small UPDATE
        self.context.notify(Changes(accounts_changed={account_id}))
        self.sync_accounts([account_id])

    # -- worker threads ---------------------------------------------------------------------------

    def _run(self, work: Callable[[], object], on_done: Callable, on_failed: Callable) -> None:
        task = _Task(work)
        thread = QThread()
        thread.setObjectName("integrations")
        task.moveToThread(thread)
        thread.started.connect(task.run)
        task.ended.connect(self._task_ended, Qt.ConnectionType.QueuedConnection)
        self._tasks[task] = (thread, on_done, on_failed)
        thread.start()

    @Slot(object)
    def _task_ended(self, outcome) -> None:
        task, ok, value = outcome
        entry = self._tasks.pop(task, None)
        if entry is None:  # shut down meanwhile
            return
        thread, on_done, on_failed = entry
        thread.quit()
        thread.wait()
        # Python owns both: dropping the last reference frees them (a deleteLater here
        # would free them under Python's feet while the signal's tuple still holds the task).
        (on_done if ok else on_failed)(value)

    def busy(self) -> bool:
        """True while a connect or disconnect runs on its worker thread."""
        return bool(self._tasks)

    @Slot()
    def shutdown(self) -> None:
        """Wait for a running connect or disconnect to end (the workspace closes, or the window)."""
        tasks, self._tasks = self._tasks, {}
        for thread, _done, _failed in tasks.values():
            thread.quit()
            thread.wait()
        self._connect_done()
