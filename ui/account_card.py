"""One connected account as a card: where it syncs from, how its syncs went, the live sync.

The card never queries the database. The tab hands it an ``AccountSummary``
(read once per change) and ``SyncProgress`` values as they arrive, so a sync
that emits hundreds of progress signals costs only label updates here.
"""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop.accounts import AccountSummary
from ahoy_desktop.sync.engine import SyncProgress

from .avatar import Avatar
from .context import AppContext
from .texts import stage_label

ENGAGEMENT_STAGES = ("liking_users", "retweeted_by", "quotes")


# -- time as the user reads it ---------------------------------------------------


def to_local(moment: datetime) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(round(moment.timestamp() * 1000))


def time_format(seconds: bool = False) -> str:
    """The locale's short time format, with or without seconds (C: HH:mm, en_US: h:mm AP)."""
    fmt = QLocale().timeFormat(QLocale.FormatType.ShortFormat)
    if seconds:
        return fmt if "s" in fmt else fmt.replace("mm", "mm:ss", 1)
    return re.sub(r"[:.]ss?", "", fmt)


def format_time(moment: datetime, seconds: bool = False) -> str:
    return QLocale().toString(to_local(moment).time(), time_format(seconds))


def format_date_time(moment: datetime) -> str:
    local = to_local(moment)
    date = QLocale().toString(local.date(), QLocale.FormatType.ShortFormat)
    return f"{date} {QLocale().toString(local.time(), time_format())}"


def format_when(moment: datetime, now: datetime) -> str:
    """Just the time on the day of ``now``, the date and time otherwise."""
    if to_local(moment).date() == to_local(now).date():
        return format_time(moment)
    return format_date_time(moment)


def muted(widget: QWidget) -> None:
    """Secondary text: the text colour blended toward the background, readable on light and dark."""
    palette = widget.palette()
    text, back = palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window)
    mix = QColor(round(text.red() * 0.62 + back.red() * 0.38), round(text.green() * 0.62 + back.green() * 0.38),
                 round(text.blue() * 0.62 + back.blue() * 0.38))
    palette.setColor(QPalette.ColorRole.WindowText, mix)
    widget.setPalette(palette)


def error_color(palette: QPalette) -> QColor:
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return QColor("#f87171" if dark else "#b91c1c")


def _fill(text: str, *values: object) -> str:
    for index, value in enumerate(values, start=1):
        text = text.replace(f"%{index}", str(value))
    return text


class AccountCard(QFrame):
    """A connected account; it asks for actions through signals and the tab carries them out."""

    sync_requested = Signal(int)
    cancel_requested = Signal(int)
    disconnect_requested = Signal(int)
    delete_data_requested = Signal(int)
    reconnect_requested = Signal(int)
    sign_in_requested = Signal(int)  # an X account needs a new sign-in (reconnect)
    approve_import_requested = Signal(int)  # an X account's first import waits for its cost to be accepted
    usage_requested = Signal(int)

    def __init__(self, context: AppContext, summary: AccountSummary, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.summary = summary
        self.state = "idle"  # idle, queued, syncing, busy (a disconnect or delete under way)
        self._sync_running = False
        self._error = ""
        self._busy_text = ""
        self._cancelling = False
        self._wait_until: datetime | None = None
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self._build()
        self.set_summary(summary)

    @property
    def account_id(self) -> int:
        return self.summary.id

    # -- building ------------------------------------------------------------------

    def _build(self) -> None:
        self.setObjectName("AccountCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#AccountCard { border: 1px solid palette(mid); border-radius: 8px;"
                           " background: palette(base); }")
        self.avatar = Avatar(size=48)
        self.name_label = QLabel()
        font = self.name_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.name_label.setFont(font)
        self.handle_label = QLabel()
        muted(self.handle_label)
        self.source_label = QLabel()
        muted(self.source_label)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.next_label = QLabel()
        muted(self.next_label)

        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.clicked.connect(lambda: self.sync_requested.emit(self.account_id))
        self.disconnect_button = QPushButton(self.tr("Disconnect…"))
        self.disconnect_button.clicked.connect(lambda: self.disconnect_requested.emit(self.account_id))
        self.reconnect_button = QPushButton(self.tr("Reconnect"))
        self.reconnect_button.clicked.connect(lambda: self.reconnect_requested.emit(self.account_id))
        self.delete_button = QPushButton(self.tr("Delete data…"))
        self.delete_button.clicked.connect(lambda: self.delete_data_requested.emit(self.account_id))
        self.sign_in_button = QPushButton(self.tr("Reconnect…"))
        self.sign_in_button.setToolTip(self.tr("Sign in to X again to resume syncing; no data is lost."))
        self.sign_in_button.clicked.connect(lambda: self.sign_in_requested.emit(self.account_id))
        self.approve_button = QPushButton(self.tr("Start first import…"))
        self.approve_button.clicked.connect(lambda: self.approve_import_requested.emit(self.account_id))
        self.usage_button = QPushButton(self.tr("Usage…"))
        self.usage_button.setToolTip(self.tr("Requests, resources read and estimated cost under X's prices."))
        self.usage_button.clicked.connect(lambda: self.usage_requested.emit(self.account_id))

        first = QHBoxLayout()
        first.setSpacing(8)
        first.addWidget(self.name_label)
        first.addWidget(self.handle_label)
        first.addStretch(1)
        for button in (self.sync_button, self.approve_button, self.sign_in_button, self.reconnect_button,
                       self.usage_button, self.delete_button, self.disconnect_button):
            first.addWidget(button)
        self.progress_box = self._build_progress()
        body = QVBoxLayout()
        body.setSpacing(4)
        body.addLayout(first)
        body.addWidget(self.source_label)
        body.addSpacing(4)
        body.addWidget(self.status_label)
        body.addWidget(self.next_label)
        body.addWidget(self.progress_box)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(12)
        layout.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(body, 1)

    def _build_progress(self) -> QWidget:
        box = QWidget()
        self.stage_label = QLabel()
        font = self.stage_label.font()
        font.setBold(True)
        self.stage_label.setFont(font)
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(10)
        self.counts_label = QLabel()
        muted(self.counts_label)
        self.wait_label = QLabel()
        self.wait_label.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop this sync and any queued one; the next sync resumes "
                                              "where this one stopped."))
        self.cancel_button.clicked.connect(self._cancel)
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(4)
        left.addWidget(self.stage_label)
        left.addWidget(self.progress_bar)
        left.addWidget(self.counts_label)
        left.addWidget(self.wait_label)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 4, 0, 0)
        row.addLayout(left, 1)
        row.addWidget(self.cancel_button)
        box.hide()
        return box

    # -- what the tab tells the card -------------------------------------------------

    def set_summary(self, summary: AccountSummary) -> None:
        self.summary = summary
        account = summary.account
        handle = f"@{account.username}"
        self.avatar.set_person(account.name, account.username)
        self.name_label.setText(account.name or handle)
        self.handle_label.setText(handle)
        parts = [self._source_text(), _fill(self.tr("connected since %1"), format_date_time(account.connected_at)),
                 self.tr("%Ln activities stored", "", summary.activity_count)]
        self.source_label.setText(" · ".join(parts))
        self.sync_button.setAccessibleName(_fill(self.tr("Sync %1 now"), handle))
        self.disconnect_button.setAccessibleName(_fill(self.tr("Disconnect %1"), handle))
        self.reconnect_button.setAccessibleName(_fill(self.tr("Reconnect %1"), handle))
        self.delete_button.setAccessibleName(_fill(self.tr("Delete the data of %1"), handle))
        self.cancel_button.setAccessibleName(_fill(self.tr("Cancel the sync of %1"), handle))
        self._render()

    def set_sync_state(self, running_any: bool, queued: bool) -> None:
        """Whether any sync runs (no disconnecting meanwhile) and whether this account waits its turn."""
        self._sync_running = running_any
        if self.state in ("idle", "queued"):
            self.state = "queued" if queued else "idle"
        self._render()

    def show_starting(self) -> None:
        self.show_progress(SyncProgress(self.account_id, "starting"))

    def show_progress(self, progress: SyncProgress) -> None:
        self.state = "syncing"
        self._error = ""
        self.progress_box.show()
        self.stage_label.setText(self.tr("Cancelling…") if self._cancelling else stage_label(progress.stage))
        if progress.total:
            self.progress_bar.setRange(0, progress.total)
            self.progress_bar.setValue(min(progress.done, progress.total))
        else:
            self.progress_bar.setRange(0, 0)
        self.counts_label.setText(self._counts(progress))
        self.counts_label.setVisible(progress.stage != "starting")
        self._wait_until = progress.waiting_until
        if self._wait_until is not None:
            self._tick()
            self._countdown.start()
        else:
            self._countdown.stop()
            self.wait_label.hide()
        self._render()

    def show_cancelling(self) -> None:
        self._cancelling = True
        self.stage_label.setText(self.tr("Cancelling…"))
        self.cancel_button.setEnabled(False)

    def end_sync(self, error: str = "") -> None:
        """The account's sync ended; ``error`` is a failure the database may not record."""
        self._countdown.stop()
        self._wait_until = None
        self.progress_box.hide()
        self.wait_label.hide()
        self.cancel_button.setEnabled(True)
        self._cancelling = False
        self.state = "idle"
        self._error = error
        self._render()

    def set_busy(self, text: str) -> None:
        self.state, self._busy_text = "busy", text
        self._render()

    def end_busy(self) -> None:
        if self.state == "busy":
            self.state = "idle"
        self._render()

    def refresh_times(self) -> None:
        """Relative times ("in 2 h 55 min") age: the tab calls this now and then."""
        self._render()

    # -- rendering --------------------------------------------------------------------

    def _render(self) -> None:
        summary = self.summary
        disconnected = summary.disconnected
        has_sync = self.context.sync is not None
        idle = self.state == "idle"
        self.sync_button.setEnabled(idle)
        self.disconnect_button.setVisible(not disconnected)
        self.disconnect_button.setEnabled(self.state != "busy" and not self._sync_running)
        self.disconnect_button.setToolTip(self.tr("Available when the running sync ends.")
                                          if self._sync_running else "")
        is_x = summary.account.credential_kind == "x"
        blocked = summary.blocked[0] if summary.blocked else ""
        self.reconnect_button.setVisible(disconnected and not is_x)
        self.reconnect_button.setEnabled(self.state != "busy")
        self.sign_in_button.setVisible(is_x and (disconnected or blocked == "reconnect_needed"))
        self.sign_in_button.setEnabled(self.state != "busy")
        self.approve_button.setVisible(is_x and blocked == "needs_approval")
        self.sync_button.setVisible(not disconnected and has_sync and not blocked)
        self.delete_button.setVisible(disconnected)
        self.delete_button.setEnabled(self.state != "busy" and not self._sync_running)

        status, tip, failed = self._status_text()
        self.status_label.setText(status)
        self.status_label.setToolTip(tip)
        palette = self.palette()
        if failed:
            palette.setColor(QPalette.ColorRole.WindowText, error_color(palette))
        self.status_label.setPalette(palette)
        next_text = self._next_text()
        self.next_label.setText(next_text)
        self.next_label.setVisible(bool(next_text))

    def _status_text(self) -> tuple[str, str, bool]:
        """(text, tooltip, whether it reports a failure)."""
        if self.state == "busy":
            return self._busy_text, "", False
        account = self.summary.account
        if account.disconnected_at is not None:
            return (self.tr("Disconnected — data kept"),
                    _fill(self.tr("Disconnected on %1"), format_date_time(account.disconnected_at)), False)
        if self._error:
            return _fill(self.tr("Failed: %1"), self._error), "", True
        blocked = self.summary.blocked[0] if self.summary.blocked else ""
        if blocked == "reconnect_needed":
            return (self.tr("Reconnect needed: X no longer accepts this sign-in. Syncing is stopped; no data "
                            "was lost."), self.summary.blocked[1], True)
        if blocked == "needs_approval":
            return self.tr("Connected — the first import waits for you to accept its estimated cost"), "", False
        if blocked == "capped":
            return self.tr("Stopped: X's monthly usage cap is reached; syncing resumes next month"), "", True
        run = self.summary.last_run
        if run is None:
            return self.tr("Not synced yet"), "", False
        now = self.context.clock.now()
        when = format_when(run.finished_at, now)
        tip = f"{format_date_time(run.finished_at)} — {run.message}"
        if run.outcome == "ok":
            found = self.tr("%Ln new activities", "", run.activities_added)
            if run.members_added:
                found += ", " + self.tr("%Ln new members", "", run.members_added)
            return _fill(self.tr("Last sync %1 — %2"), when, found), tip, False
        if run.outcome == "rate_limited":
            if run.resume_after is not None:
                return (_fill(self.tr("Stopped: X's rate limit, resumes after %1"), format_when(run.resume_after, now)),
                        tip, False)
            return self.tr("Stopped: X's rate limit; the next sync resumes where this one stopped"), tip, False
        if run.outcome == "capped":
            return self.tr("Stopped: X's monthly usage cap is reached"), tip, True
        if run.outcome == "budget":
            return self.tr("Stopped: this month's budget would be passed; raise it in Settings or wait for next "
                           "month"), tip, True
        if run.outcome == "reconnect_needed":
            return self.tr("Reconnect needed: X no longer accepts this sign-in"), tip, True
        if run.outcome == "cancelled":
            return _fill(self.tr("Last sync %1 was cancelled; the next one resumes where it stopped"), when), tip, False
        if run.outcome == "failed":
            return _fill(self.tr("Failed: %1"), run.message), tip, True
        return _fill(self.tr("Last sync %1: %2"), when, run.message), tip, False

    def _next_text(self) -> str:
        sync = self.context.sync
        if sync is None or self.summary.disconnected or self.summary.blocked or self.state in ("busy", "syncing"):
            return ""
        if self.state == "queued":
            return self.tr("Queued: starts when the running sync ends")
        now = self.context.clock.now()
        due = sync.next_sync_at(self.summary.account)
        seconds = (due - now).total_seconds()
        if seconds <= 0:
            return self.tr("Next sync: due now")
        return _fill(self.tr("Next sync in %1 (%2)"), self._relative(seconds), format_when(due, now))

    def _source_text(self) -> str:
        kind, name = self.summary.source
        if kind == "sample":
            return self.tr("Sandbox: sample workspace")
        if kind == "world":
            return _fill(self.tr("Sandbox: %1"), name)
        if name == "sandbox":
            return self.tr("X sign-in, served by a sandbox")
        return self.tr("X")

    def _counts(self, p: SyncProgress) -> str:
        parts = []
        if p.stage == "mentions":
            parts.append(self.tr("%Ln mentions read", "", p.done))
        elif p.stage == "metrics" and p.total:
            parts.append(_fill(self.tr("%1 of %2 posts checked"), p.done, p.total))
        elif p.stage in ENGAGEMENT_STAGES and p.total:
            parts.append(_fill(self.tr("post %1 of %2"), p.done, p.total))
        if p.activities_added:
            parts.append(self.tr("%Ln new activities", "", p.activities_added))
        if p.members_added:
            parts.append(self.tr("%Ln new members", "", p.members_added))
        parts.append(self.tr("%Ln requests", "", p.requests))
        return " · ".join(parts)

    def _tick(self) -> None:
        if self._wait_until is None:
            self._countdown.stop()
            return
        left = (self._wait_until - self.context.clock.now()).total_seconds()
        text = _fill(self.tr("Waiting for X's rate limit until %1"), format_time(self._wait_until, seconds=True))
        if left > 0:
            text += " · " + _fill(self.tr("%1 left"), self._countdown_text(left))
        else:
            text += " · " + self.tr("resuming…")
            self._countdown.stop()
        self.wait_label.setText(text)
        self.wait_label.show()

    def _cancel(self) -> None:
        self.show_cancelling()
        self.cancel_requested.emit(self.account_id)

    # -- durations ------------------------------------------------------------------------

    def _relative(self, seconds: float) -> str:
        minutes = int(seconds // 60)
        if minutes < 1:
            return self.tr("less than a minute")
        hours, minutes = divmod(minutes, 60)
        if not hours:
            return _fill(self.tr("%1 min"), minutes)
        if not minutes:
            return _fill(self.tr("%1 h"), hours)
        return _fill(self.tr("%1 h %2 min"), hours, minutes)

    def _countdown_text(self, seconds: float) -> str:
        seconds = int(seconds + 0.999)
        if seconds < 60:
            return _fill(self.tr("%1 s"), seconds)
        if seconds < 3600:
            return _fill(self.tr("%1 min %2 s"), seconds // 60, seconds % 60)
        return self._relative(seconds)
