"""The Scoring tab: the lockout countdown, then Ahoy's proposal, then the editor.

Ahoy watches an account's first day before proposing a scoring setup, so the
tab says how long is left and why, ticking every second on the app's clock
(which the sample workspace can move ahead), and shows the automatic setup in
force, read-only. Once the day is over, a setup that is still automatic is
offered as a proposal (with how many members each stage would hold); the user
accepts it, edits it, or starts from scratch. A save is recomputed for every
member in the background, then announced once as ``scoring_changed``.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from PySide6.QtCore import QLocale, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop.changes import Changes
from ahoy_desktop.scores import (
    DEFAULT_POINTS,
    ScoringError,
    ScoringSetup,
    StageDef,
    automatic_setup,
    is_automatic,
    known_kinds,
    load_setup,
    save_setup,
    stage_counts,
)
from ahoy_desktop.scoring import (
    activity_counts_by_kind,
    latest_clock_seen,
    lockout_remaining,
    points_now,
    scoring_kinds,
)

from .context import AppContext
from .scoring_editor import RecomputeWorker, ScoringEditor
from .texts import kind_label

COL_KIND, COL_POINTS, COL_COUNT = 0, 1, 2
COLUMN_COUNT = 3
COL_STAGE, COL_RANGE, COL_MEMBERS = 0, 1, 2
TICK_MS = 1000
TICK_SLACK_MS = 20
COUNTDOWN_SCALE = 2.0
TABLE_WIDTH_EMS = 34
SWATCH_PX = 12

LOCKED, PROPOSAL, EDITOR = "locked", "proposal", "editor"


def format_countdown(remaining: timedelta) -> str:
    """``HH:MM:SS`` rounded up, so it never reads 00:00:00 while still waiting."""
    seconds = math.ceil(remaining.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def _bold(label: QLabel) -> QLabel:
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _read_only_table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.verticalHeader().hide()
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    table.horizontalHeaderItem(0).setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    for column in range(1, len(columns)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fit_height(table: QTableWidget) -> None:
    table.resizeRowsToContents()
    rows_height = sum(table.rowHeight(r) for r in range(table.rowCount()))
    header_height = table.horizontalHeader().sizeHint().height()
    table.setFixedHeight(header_height + rows_height + 2 * table.frameWidth())


class ScoringTab(QWidget):
    recompute_finished = Signal(int)  # stages changed by the recompute after a save
    recompute_failed = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self._lockout_start: datetime | None = None
        self._latest_seen: datetime | None = None
        self._unlocked = False
        self._editing = False  # the user chose Edit or Start from scratch on the proposal
        self._mode: str | None = None
        self._proposal: ScoringSetup | None = None
        self._thread: QThread | None = None
        self._worker: RecomputeWorker | None = None
        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        context.workspace_opened.connect(self._workspace_opened)
        context.workspace_closing.connect(self._workspace_closing)
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

        # While locked: the automatic setup in force, read-only.
        self.in_force = QWidget()
        self.table = _read_only_table([self.tr("Activity"), self.tr("Points"), self.tr("In this workspace")])
        width = self.fontMetrics().horizontalAdvance("M") * TABLE_WIDTH_EMS
        self.table.setMaximumWidth(width)
        self.stages_view = _read_only_table([self.tr("Stage"), self.tr("Points")])
        self.stages_view.setMaximumWidth(width)
        in_force = QVBoxLayout(self.in_force)
        in_force.setContentsMargins(0, 0, 0, 0)
        in_force.addWidget(_bold(QLabel(self.tr("What each activity is worth now"))))
        in_force.addWidget(self.table)
        in_force.addWidget(_bold(QLabel(self.tr("Stages members are in now"))))
        in_force.addWidget(self.stages_view)

        # After the lockout, while the setup is still automatic: the proposal.
        self.proposal = QWidget()
        self.proposal_intro = QLabel(self.tr("Ahoy studied your account's activity and proposes this setup."))
        self.proposal_intro.setWordWrap(True)
        self.proposal_stages = _read_only_table([self.tr("Stage"), self.tr("Points"), self.tr("Members")])
        self.proposal_points = _read_only_table([self.tr("Activity"), self.tr("Points")])
        for table in (self.proposal_stages, self.proposal_points):
            table.setMaximumWidth(width)
        self.accept_button = QPushButton(self.tr("Accept"))
        self.accept_button.setDefault(True)
        self.accept_button.clicked.connect(self.accept_proposal)
        self.edit_button = QPushButton(self.tr("Edit"))
        self.edit_button.clicked.connect(self.edit_proposal)
        self.scratch_button = QPushButton(self.tr("Start from scratch"))
        self.scratch_button.clicked.connect(self.start_from_scratch)
        proposal_buttons = QHBoxLayout()
        for button in (self.accept_button, self.edit_button, self.scratch_button):
            proposal_buttons.addWidget(button)
        proposal_buttons.addStretch(1)
        proposal = QVBoxLayout(self.proposal)
        proposal.setContentsMargins(0, 0, 0, 0)
        proposal.addWidget(self.proposal_intro)
        proposal.addWidget(_bold(QLabel(self.tr("Stages, and how many members each would hold"))))
        proposal.addWidget(self.proposal_stages)
        proposal.addWidget(_bold(QLabel(self.tr("What each activity would be worth"))))
        proposal.addWidget(self.proposal_points)
        proposal.addLayout(proposal_buttons)

        # The editor, once the user has a setup of their own or chose to edit.
        self.editor = ScoringEditor()
        self.editor.save_requested.connect(self.save)
        self.editor.discard_requested.connect(self.discard_changes)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy until the first chunk reports
        self.progress.setTextVisible(False)
        self.progress_label = QLabel(self.tr("Updating every member's stage…"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        progress = QHBoxLayout()
        progress.addWidget(self.progress_label)
        progress.addWidget(self.progress, 1)
        self.progress.hide()
        self.progress_label.hide()
        self.status.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.countdown)
        layout.addWidget(self.reason)
        layout.addSpacing(self.fontMetrics().height())
        layout.addWidget(self.in_force)
        layout.addWidget(self.proposal)
        layout.addWidget(self.editor, 1)
        layout.addLayout(progress)
        layout.addWidget(self.status)
        self.stretch = QWidget()
        layout.addWidget(self.stretch, 1)

    def countdown_text(self) -> str:
        """What the countdown says now, as the user reads it."""
        return self.countdown.text()

    def mode(self) -> str | None:
        """``locked``, ``proposal`` or ``editor``: what the tab shows."""
        return self._mode

    def is_recomputing(self) -> bool:
        return self._thread is not None

    # -- refreshing -----------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        session = self.context.session
        self._lockout_start = session.lockout_start() if session is not None else None
        self._latest_seen = latest_clock_seen() if session is not None else None
        self._tick()
        if session is None:
            self._fill_table({}, {})
            self._fill_stages_view([])
        else:
            self._fill_table(points_now(), activity_counts_by_kind())
            self._fill_stages_view(load_setup().stages)
        self._update_mode()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._mode == PROPOSAL:
            self._fill_proposal()  # activity may have come in while the tab was hidden

    @Slot()
    def _workspace_opened(self) -> None:
        self._editing = False
        self.status.hide()
        self.refresh()

    @Slot()
    def _workspace_closing(self) -> None:
        self._timer.stop()
        self.wait_for_recompute()

    @Slot(object)
    def _on_changed(self, changes: Changes) -> None:
        # A sync can change the points too: the automatic setup follows the activity.
        if changes.accounts_changed or changes.clock_moved or changes.scoring_changed or changes.activities_added:
            self.refresh()

    @Slot()
    def _tick(self) -> None:
        """Show the time left and wake up just after the next whole second of it passes."""
        self._timer.stop()
        unlocked = False
        if self._lockout_start is None:
            self.countdown.setText(self.tr("Connect an account to start scoring."))
            self.reason.show()
        else:
            now = self.context.clock.now()
            remaining = lockout_remaining(max(now, self._latest_seen or now), self._lockout_start)
            if remaining <= timedelta(0):
                self.countdown.setText(self.tr("Scoring can be configured now."))
                self.reason.hide()
                unlocked = True
            else:
                self.countdown.setText(self.tr("Scoring can be configured in {time}").format(
                    time=format_countdown(remaining)))
                self.reason.show()
                fraction_ms = round((remaining.total_seconds() % 1) * 1000) or TICK_MS
                self._timer.start(min(fraction_ms + TICK_SLACK_MS, TICK_MS))
        if unlocked != self._unlocked:
            self._unlocked = unlocked
            if self._mode is not None:  # the lockout just ended (or a workspace changed)
                self._update_mode()

    def _update_mode(self) -> None:
        if not self._unlocked or self.context.session is None:
            mode = LOCKED
        elif self._editing or not is_automatic():
            mode = EDITOR
        else:
            mode = PROPOSAL
        entering = mode != self._mode
        self._mode = mode
        self.in_force.setVisible(mode == LOCKED)
        self.proposal.setVisible(mode == PROPOSAL)
        self.editor.setVisible(mode == EDITOR)
        self.editor.setEnabled(mode == EDITOR)
        self.stretch.setVisible(mode != EDITOR)
        if mode == PROPOSAL:
            self._fill_proposal()
        elif mode == EDITOR and not self._editing and (entering or not self.editor.is_dirty()):
            self.editor.load(load_setup(), known_kinds())

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
            self._set_row(self.table, row, cells)
        _fit_height(self.table)

    def _fill_stages_view(self, stages: list[StageDef]) -> None:
        self.stages_view.setRowCount(len(stages))
        for row, stage in enumerate(stages):
            self._set_row(self.stages_view, row, {COL_STAGE: stage.name, COL_RANGE: self.range_text(stage)})
            self._set_swatch(self.stages_view, row, stage.colour)
        _fit_height(self.stages_view)

    def _fill_proposal(self) -> None:
        """Recompute the proposal from the activity held now, with each stage's member count."""
        if self.context.session is None:
            return
        now = self.context.clock.now()
        self._proposal = setup = automatic_setup(now)
        counts = stage_counts(setup, now)
        locale = QLocale()
        self.proposal_stages.setRowCount(len(setup.stages))
        for row, (stage, count) in enumerate(zip(setup.stages, counts, strict=True)):
            self._set_row(self.proposal_stages, row, {
                COL_STAGE: stage.name, COL_RANGE: self.range_text(stage), COL_MEMBERS: locale.toString(count)})
            self._set_swatch(self.proposal_stages, row, stage.colour)
        _fit_height(self.proposal_stages)
        kinds = [k for k in known_kinds(list(setup.points)) if k in setup.points]
        self.proposal_points.setRowCount(len(kinds))
        for row, kind in enumerate(kinds):
            worth = setup.points[kind] if kind in setup.tracked else None
            self._set_row(self.proposal_points, row, {
                COL_KIND: kind_label(kind),
                COL_POINTS: locale.toString(worth) if worth is not None else self.tr("not scored")})
        _fit_height(self.proposal_points)

    def range_text(self, stage: StageDef) -> str:
        locale = QLocale()
        if stage.max_points is None:
            return self.tr("{low} or more").format(low=locale.toString(stage.min_points))
        if stage.max_points == stage.min_points:
            return locale.toString(stage.min_points)
        return self.tr("{low} to {high}").format(low=locale.toString(stage.min_points),
                                                 high=locale.toString(stage.max_points))

    @staticmethod
    def _set_row(table: QTableWidget, row: int, cells: dict[int, str]) -> None:
        for column, text in cells.items():
            item = QTableWidgetItem(text)
            if column != 0:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)

    @staticmethod
    def _set_swatch(table: QTableWidget, row: int, colour: str) -> None:
        swatch = QPixmap(SWATCH_PX, SWATCH_PX)
        swatch.fill(QColor(colour))
        table.item(row, 0).setIcon(swatch)

    # -- the proposal ---------------------------------------------------------

    @Slot()
    def accept_proposal(self) -> None:
        """Keep Ahoy's proposal as the user's own setup."""
        if self._proposal is None:
            self._fill_proposal()
        self.save(self._proposal)

    @Slot()
    def edit_proposal(self) -> None:
        self._open_editor(self._proposal or automatic_setup(self.context.clock.now()))

    @Slot()
    def start_from_scratch(self) -> None:
        kinds = known_kinds()
        points = {kind: DEFAULT_POINTS.get(kind, 1) for kind in kinds}
        self._open_editor(ScoringSetup(points, set(kinds), []))

    def _open_editor(self, setup: ScoringSetup) -> None:
        self._editing = True
        self._update_mode()
        self.editor.load(setup, known_kinds(list(setup.points)))

    @Slot()
    def discard_changes(self) -> None:
        """Back to the setup in force (or to the proposal, when there is none of the user's own yet)."""
        self._editing = False
        self._mode = None  # reload the editor even though the mode stays
        self._update_mode()

    # -- saving ---------------------------------------------------------------

    @Slot(object)
    def save(self, setup: ScoringSetup) -> None:
        """Store the setup, then recompute every member in the background; announce it once done."""
        if self._thread is not None:
            return
        try:
            save_setup(setup, by_user=True, now=self.context.clock.now())
        except ScoringError as exc:
            self._show_status(str(exc))
            return
        self._editing = False
        self.editor.load(load_setup(), known_kinds())
        self._update_mode()
        worker = RecomputeWorker(self.context.clock.now())
        thread = QThread()
        thread.setObjectName("scoring-recompute")
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.finished.connect(self._recompute_finished)  # bound slots: delivered in the UI thread
        worker.failed.connect(self._recompute_failed)
        worker.progress.connect(self._recompute_progress)
        worker.finished.connect(thread.quit)
        worker.failed.connect(thread.quit)
        self._thread, self._worker = thread, worker
        self.progress.setRange(0, 0)
        self._set_busy(True)
        self.status.hide()
        thread.start()

    @Slot(int, int)
    def _recompute_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def wait_for_recompute(self) -> None:
        """Block until a running recompute ends (closing the workspace must not cut it off)."""
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._cleanup()

    @Slot(int)
    def _recompute_finished(self, changed: int) -> None:
        if not self._end_recompute():
            return
        self._show_status(self.tr("Saved. Every member's stage is up to date."))
        self.context.notify(Changes(scoring_changed=True))
        self.recompute_finished.emit(changed)

    @Slot(str)
    def _recompute_failed(self, message: str) -> None:
        if not self._end_recompute():
            return
        self._show_status(self.tr("The setup is saved, but updating members' stages failed: {reason}").format(
            reason=message))
        self.context.notify(Changes(scoring_changed=True))  # the setup itself did change
        self.recompute_failed.emit(message)

    def _end_recompute(self) -> bool:
        if self._worker is None or self.sender() is not self._worker:
            return False  # a run already waited for by wait_for_recompute()
        thread = self._thread
        thread.quit()
        thread.wait()
        self._cleanup()
        return True

    def _cleanup(self) -> None:
        if self._worker is not None:
            self._worker.deleteLater()
        if self._thread is not None:
            self._thread.deleteLater()
        self._thread, self._worker = None, None
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress_label.setVisible(busy)
        self.editor.set_busy(busy)
        for button in (self.accept_button, self.edit_button, self.scratch_button):
            button.setEnabled(not busy)

    def _show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))
