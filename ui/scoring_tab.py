"""The Scoring tab: the countdown to configuring scoring, and the points in force.

Ahoy watches an account's first day before proposing a scoring setup, so the
tab says how long is left and why, ticking every second on the app's clock
(which the sample workspace can move ahead). Below, each kind of activity
with the points it is worth now and how many the workspace holds.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from PySide6.QtCore import QLocale, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop.changes import Changes
from ahoy_desktop.scores import DEFAULT_POINTS
from ahoy_desktop.scoring import (
    activity_counts_by_kind,
    latest_clock_seen,
    lockout_remaining,
    points_now,
    scoring_kinds,
)

from .context import AppContext
from .texts import kind_label

COL_KIND, COL_POINTS, COL_COUNT = 0, 1, 2
COLUMN_COUNT = 3
TICK_MS = 1000
TICK_SLACK_MS = 20
COUNTDOWN_SCALE = 2.0
TABLE_WIDTH_EMS = 34


def format_countdown(remaining: timedelta) -> str:
    """``HH:MM:SS`` rounded up, so it never reads 00:00:00 while still waiting."""
    seconds = math.ceil(remaining.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


class ScoringTab(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self._lockout_start: datetime | None = None
        self._latest_seen: datetime | None = None
        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        context.workspace_opened.connect(self.refresh)
        context.workspace_closing.connect(self._timer.stop)
        context.changed.connect(self._on_changed)
        self.refresh()

    def _build(self) -> None:
        self.countdown = QLabel()
        font = self.countdown.font()
        font.setPointSizeF(font.pointSizeF() * COUNTDOWN_SCALE)
        font.setBold(True)
        self.countdown.setFont(font)
        self.countdown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason = QLabel(self.tr("Ahoy studies your account's activity for its first 24 hours, "
                                     "then proposes a scoring setup."))
        self.reason.setWordWrap(True)

        heading = QLabel(self.tr("What each activity is worth now"))
        heading_font = heading.font()
        heading_font.setBold(True)
        heading.setFont(heading_font)
        self.table = QTableWidget(0, COLUMN_COUNT)
        self.table.setHorizontalHeaderLabels([self.tr("Activity"), self.tr("Points"), self.tr("In this workspace")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * TABLE_WIDTH_EMS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_KIND, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.horizontalHeaderItem(COL_KIND).setTextAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in (COL_POINTS, COL_COUNT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        layout = QVBoxLayout(self)
        layout.addWidget(self.countdown)
        layout.addWidget(self.reason)
        layout.addSpacing(self.fontMetrics().height())
        layout.addWidget(heading)
        layout.addWidget(self.table)
        layout.addStretch(1)

    def countdown_text(self) -> str:
        """What the countdown says now, as the user reads it."""
        return self.countdown.text()

    # -- refreshing -----------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        session = self.context.session
        self._lockout_start = session.lockout_start() if session is not None else None
        self._latest_seen = latest_clock_seen() if session is not None else None
        self._tick()
        if session is None:
            self._fill_table({}, {})
        else:
            self._fill_table(points_now(), activity_counts_by_kind())

    @Slot(object)
    def _on_changed(self, changes: Changes) -> None:
        # A sync can change the points too: the automatic setup follows the activity.
        if changes.accounts_changed or changes.clock_moved or changes.scoring_changed or changes.activities_added:
            self.refresh()

    @Slot()
    def _tick(self) -> None:
        """Show the time left and wake up just after the next whole second of it passes."""
        self._timer.stop()
        if self._lockout_start is None:
            self.countdown.setText(self.tr("Connect an account to start scoring."))
            self.reason.show()
            return
        now = self.context.clock.now()
        remaining = lockout_remaining(max(now, self._latest_seen or now), self._lockout_start)
        if remaining <= timedelta(0):
            self.countdown.setText(self.tr("Scoring can be configured now."))
            self.reason.hide()
            return
        self.countdown.setText(self.tr("Scoring can be configured in {time}").format(
            time=format_countdown(remaining)))
        self.reason.show()
        fraction_ms = round((remaining.total_seconds() % 1) * 1000) or TICK_MS
        self._timer.start(min(fraction_ms + TICK_SLACK_MS, TICK_MS))

    def _fill_table(self, points: dict[str, int | None], counts: dict[str, int]) -> None:
        if not points:
            points = dict(DEFAULT_POINTS)  # no workspace open: what a new one starts with
        kinds = scoring_kinds(points, counts)
        locale = QLocale()
        self.table.setRowCount(len(kinds))
        for row, kind in enumerate(kinds):
            worth = points.get(kind)
            cells = {
                COL_KIND: kind_label(kind),
                COL_POINTS: locale.toString(worth) if worth is not None else self.tr("not scored"),
                COL_COUNT: locale.toString(counts.get(kind, 0)),
            }
            for column, text in cells.items():
                item = QTableWidgetItem(text)
                if column != COL_KIND:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        rows_height = sum(self.table.rowHeight(r) for r in range(len(kinds)))
        header_height = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(header_height + rows_height + 2 * self.table.frameWidth())
