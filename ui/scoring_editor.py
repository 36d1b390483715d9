"""The scoring editor: points per kind of activity, the stages, and the background recompute.

The editor only builds a ``ScoringSetup`` and checks it with the core's
``validate`` as the user types, so what can be saved is decided in one place.
Saving and recomputing every member's stage belong to the Scoring tab; the
recompute runs in ``RecomputeWorker`` on a ``QThread`` and talks back only
through signals.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QColorDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop.db.models import database_proxy
from ahoy_desktop.scores import (
    DEFAULT_POINTS,
    MAX_POINTS,
    MIN_POINTS,
    SETUP,
    ScoringError,
    ScoringSetup,
    StageDef,
    recompute_all,
    validate,
)

from .texts import kind_label

log = logging.getLogger(__name__)

COL_KIND, COL_TRACK, COL_POINTS = 0, 1, 2
COL_STAGE_NAME, COL_STAGE_COLOUR, COL_STAGE_MIN, COL_STAGE_MAX, COL_STAGE_OPEN = 0, 1, 2, 3, 4
STAGE_POINTS_LIMIT = 9999
NEW_STAGE_COLOUR = "#4e79a7"
ERROR_COLOUR = "#c0392b"


class RecomputeWorker(QObject):
    """Recomputes every member's score and stage after a save, off the UI thread."""

    finished = Signal(int)  # how many stages changed
    failed = Signal(str)
    progress = Signal(int, int)  # members done, members in all

    def __init__(self, now: datetime):
        super().__init__()
        self.now = now

    @Slot()
    def run(self) -> None:
        try:
            changed = recompute_all(self.now, cause=SETUP, progress=self.progress.emit)
        except Exception as exc:  # a bug: log it, tell the user, keep the app alive
            log.exception("recomputing scores failed")
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.finished.emit(changed)
        finally:
            database_proxy.obj.close()  # this thread's own connection
            self.moveToThread(QCoreApplication.instance().thread())  # its deleteLater runs there, not in a dead thread


class PointsSpinBox(QSpinBox):
    """A 1–10 spin box that says so when a value outside is typed, instead of ignoring it."""

    out_of_range = Signal(str)  # the refused text

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setRange(MIN_POINTS, MAX_POINTS)

    def validate(self, text: str, pos: int):
        result = super().validate(text, pos)
        state = result[0] if isinstance(result, tuple) else result
        if state == QValidator.State.Invalid and text.strip().lstrip("-").isdigit():
            self.out_of_range.emit(text.strip())
        return result


class ColourButton(QPushButton):
    """Shows a stage's colour; a click opens the colour dialog."""

    colour_changed = Signal(str)

    def __init__(self, colour: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.clicked.connect(self._choose)
        self.set_colour(colour)

    def colour(self) -> str:
        return self._colour

    def set_colour(self, colour: str) -> None:
        self._colour = QColor(colour).name()
        text = "#000000" if QColor(self._colour).lightnessF() > 0.55 else "#ffffff"
        self.setText(self._colour)
        self.setStyleSheet(f"background-color: {self._colour}; color: {text}; padding: 2px 8px;")
        self.setAccessibleName(self.tr("Stage colour {colour}").format(colour=self._colour))

    @Slot()
    def _choose(self) -> None:
        chosen = QColorDialog.getColor(QColor(self._colour), self, self.tr("Stage colour"))
        if chosen.isValid() and chosen.name() != self._colour:
            self.set_colour(chosen.name())
            self.colour_changed.emit(self._colour)


@dataclass
class StageRow:
    name: QLineEdit
    colour: ColourButton
    min_points: QSpinBox
    max_points: QSpinBox
    open_ended: QCheckBox
    id: int | None

    def stage(self) -> StageDef:
        upper = None if self.open_ended.isChecked() else self.max_points.value()
        return StageDef(self.name.text(), self.min_points.value(), upper, self.colour.colour(), self.id)


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.verticalHeader().hide()
    table.setShowGrid(False)
    return table


def _fit_columns(table: QTableWidget, columns: tuple[int, ...]) -> None:
    """Size columns to their cell widgets too: a header sizes itself to its text only."""
    header = table.horizontalHeader()
    for column in columns:
        widths = [header.sectionSizeFromContents(column).width()]
        widths += [table.cellWidget(r, column).sizeHint().width() for r in range(table.rowCount())
                   if table.cellWidget(r, column) is not None]
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        table.setColumnWidth(column, max(widths))


class ScoringEditor(QWidget):
    """Edits a setup; says live why it cannot be saved, or what it leaves uncovered."""

    save_requested = Signal(object)  # ScoringSetup
    discard_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._baseline: ScoringSetup | None = None
        self._spins: dict[str, PointsSpinBox] = {}
        self._tracks: dict[str, QCheckBox] = {}
        self._stage_rows: list[StageRow] = []
        self._refused: str | None = None
        self._busy = False
        self._build()

    def _build(self) -> None:
        points_heading = QLabel(self.tr("What each activity is worth"))
        stages_heading = QLabel(self.tr("Stages"))
        for heading in (points_heading, stages_heading):
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
        self.points_table = _table([self.tr("Activity"), self.tr("Track"), self.tr("Points")])
        header = self.points_table.horizontalHeader()
        header.setSectionResizeMode(COL_KIND, QHeaderView.ResizeMode.Stretch)
        for column in (COL_TRACK, COL_POINTS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.stages_table = _table([self.tr("Name"), self.tr("Colour"), self.tr("From points"),
                                    self.tr("To points"), self.tr("Open-ended")])
        header = self.stages_table.horizontalHeader()
        header.setSectionResizeMode(COL_STAGE_NAME, QHeaderView.ResizeMode.Stretch)
        for column in (COL_STAGE_COLOUR, COL_STAGE_MIN, COL_STAGE_MAX, COL_STAGE_OPEN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.stages_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.stages_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

        self.add_stage_button = QPushButton(self.tr("Add stage"))
        self.add_stage_button.clicked.connect(self.add_stage)
        self.remove_stage_button = QPushButton(self.tr("Remove stage"))
        self.remove_stage_button.clicked.connect(self._remove_selected_stage)
        stage_buttons = QHBoxLayout()
        stage_buttons.addWidget(self.add_stage_button)
        stage_buttons.addWidget(self.remove_stage_button)
        stage_buttons.addStretch(1)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._save)
        self.discard_button = QPushButton(self.tr("Discard changes"))
        self.discard_button.clicked.connect(self.discard_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.save_button)

        columns = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(points_heading)
        left.addWidget(self.points_table)
        right.addWidget(stages_heading)
        right.addWidget(self.stages_table)
        right.addLayout(stage_buttons)
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(columns, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    # -- loading and reading back -----------------------------------------------

    def load(self, setup: ScoringSetup, kinds: list[str]) -> None:
        """Show ``setup``; it becomes what "Discard changes" returns to."""
        self._baseline = setup
        self._refused = None
        self._fill_points(setup, kinds)
        self._fill_stages(sorted(setup.stages, key=lambda s: s.min_points))
        self._revalidate()

    def setup(self) -> ScoringSetup:
        points = {kind: spin.value() for kind, spin in self._spins.items()}
        tracked = {kind for kind, box in self._tracks.items() if box.isChecked()}
        return ScoringSetup(points, tracked, [row.stage() for row in self._stage_rows])

    def is_dirty(self) -> bool:
        if self._baseline is None:
            return False
        current, base = self.setup(), self._baseline
        key = [(s.name, s.min_points, s.max_points, QColor(s.colour).name()) for s in current.stages]
        base_key = [(s.name, s.min_points, s.max_points, QColor(s.colour).name())
                    for s in sorted(base.stages, key=lambda s: s.min_points)]
        return (current.points != {k: base.points.get(k) for k in current.points}
                or current.tracked != base.tracked & set(current.points) or key != base_key)

    def set_busy(self, busy: bool) -> None:
        """While a save is recomputed, keep the editor readable but not savable."""
        self._busy = busy
        self._revalidate()

    def error_text(self) -> str:
        return self.message.text() if not self.save_button.isEnabled() else ""

    def _fill_points(self, setup: ScoringSetup, kinds: list[str]) -> None:
        kinds = list(dict.fromkeys([*kinds, *setup.points]))
        self._spins.clear()
        self._tracks.clear()
        self.points_table.setRowCount(len(kinds))
        for row, kind in enumerate(kinds):
            self.points_table.setItem(row, COL_KIND, QTableWidgetItem(kind_label(kind)))
            track = QCheckBox()
            track.setToolTip(self.tr("Count this activity in members' scores"))
            track.setChecked(kind in setup.tracked)
            track.toggled.connect(self._revalidate)
            spin = PointsSpinBox()
            spin.setValue(max(MIN_POINTS, min(MAX_POINTS, setup.points.get(kind, DEFAULT_POINTS.get(kind, 1)))))
            spin.setAccessibleName(kind_label(kind))
            spin.valueChanged.connect(self._points_changed)
            spin.out_of_range.connect(lambda text, kind=kind: self._refuse_points(kind, text))
            self.points_table.setCellWidget(row, COL_TRACK, track)
            self.points_table.setCellWidget(row, COL_POINTS, spin)
            self._spins[kind], self._tracks[kind] = spin, track
        self.points_table.resizeRowsToContents()
        _fit_columns(self.points_table, (COL_TRACK, COL_POINTS))

    def _fill_stages(self, stages: list[StageDef]) -> None:
        self._stage_rows.clear()
        self.stages_table.setRowCount(len(stages))
        for row, stage in enumerate(stages):
            name = QLineEdit(stage.name)
            name.setPlaceholderText(self.tr("Stage name"))
            name.textChanged.connect(self._revalidate)
            colour = ColourButton(stage.colour)
            colour.colour_changed.connect(self._revalidate)
            low = QSpinBox()
            low.setRange(0, STAGE_POINTS_LIMIT)
            low.setValue(stage.min_points)
            low.valueChanged.connect(self._revalidate)
            low.editingFinished.connect(self._sort_stages_later)
            high = QSpinBox()
            high.setRange(0, STAGE_POINTS_LIMIT)
            high.setValue(stage.max_points if stage.max_points is not None else stage.min_points)
            high.setEnabled(stage.max_points is not None)
            high.valueChanged.connect(self._revalidate)
            open_ended = QCheckBox()
            open_ended.setToolTip(self.tr("No upper limit: every score from the first points up"))
            open_ended.setAccessibleName(self.tr("open-ended"))
            open_ended.setChecked(stage.max_points is None)
            open_ended.toggled.connect(lambda checked, high=high: high.setEnabled(not checked))
            open_ended.toggled.connect(self._revalidate)
            for column, widget in ((COL_STAGE_NAME, name), (COL_STAGE_COLOUR, colour), (COL_STAGE_MIN, low),
                                   (COL_STAGE_MAX, high), (COL_STAGE_OPEN, open_ended)):
                self.stages_table.setCellWidget(row, column, widget)
            self._stage_rows.append(StageRow(name, colour, low, high, open_ended, stage.id))
        self.stages_table.resizeRowsToContents()
        _fit_columns(self.stages_table, (COL_STAGE_COLOUR, COL_STAGE_MIN, COL_STAGE_MAX, COL_STAGE_OPEN))

    # -- editing ------------------------------------------------------------------

    @Slot()
    def add_stage(self) -> None:
        stages = sorted((row.stage() for row in self._stage_rows), key=lambda s: s.min_points)
        if stages and stages[-1].max_points is None:  # close the open top so the new stage goes above it
            stages[-1] = replace(stages[-1], max_points=stages[-1].min_points)
        top = max((s.max_points if s.max_points is not None else s.min_points for s in stages), default=0)
        name = self.tr("Stage {number}").format(number=len(stages) + 1)
        self._fill_stages([*stages, StageDef(name, top + 1, None, NEW_STAGE_COLOUR)])
        self._revalidate()

    def remove_stage(self, index: int) -> None:
        stages = [row.stage() for row in self._stage_rows]
        if 0 <= index < len(stages):
            del stages[index]
            self._fill_stages(stages)
            self._revalidate()

    @Slot()
    def _remove_selected_stage(self) -> None:
        rows = self.stages_table.selectionModel().selectedRows()
        index = rows[0].row() if rows else self.stages_table.currentRow()
        if index < 0:
            index = len(self._stage_rows) - 1
        self.remove_stage(index)

    @Slot()
    def _sort_stages_later(self) -> None:
        # Rebuilding the rows from inside a spin box's own signal would delete it under Qt's feet.
        QTimer.singleShot(0, self, self.sort_stages)

    @Slot()
    def sort_stages(self) -> None:
        """List the stages in range order, as members climb them."""
        stages = [row.stage() for row in self._stage_rows]
        ordered = sorted(stages, key=lambda s: s.min_points)
        if ordered != stages:
            self._fill_stages(ordered)
            self._revalidate()

    @Slot()
    def _points_changed(self) -> None:
        self._refused = None
        self._revalidate()

    def _refuse_points(self, kind: str, text: str) -> None:
        self._refused = self.tr("{activity} can be worth {low} to {high} points; {value} is not allowed.").format(
            activity=kind_label(kind), low=MIN_POINTS, high=MAX_POINTS, value=text)
        self._revalidate()

    @Slot()
    def _revalidate(self) -> None:
        try:
            warnings = validate(self.setup())
        except ScoringError as exc:
            self._show_message(str(exc), error=True)
            self.save_button.setEnabled(False)
        else:
            lines = ([self._refused] if self._refused else []) + warnings
            self._show_message("\n".join(lines), error=bool(self._refused))
            self.save_button.setEnabled(not self._busy)
        self.discard_button.setEnabled(not self._busy and self.is_dirty())
        self.remove_stage_button.setEnabled(bool(self._stage_rows))

    def _show_message(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")
        self.message.setVisible(bool(text))

    @Slot()
    def _save(self) -> None:
        self.save_requested.emit(self.setup())
