"""The Dashboard tab: activity per local day over the last 30 days.

The counting happens in the core (``ahoy_desktop.dashboard``) on a worker
thread, so a large workspace never freezes the window; this module only
draws. Likes and retweets whose date X does not give are drawn apart
(hatched, and named so in the legend): a pile of them on the day of the
first sync is when Ahoy learnt of them, not when they happened.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import date

import pyqtgraph as pg
from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop.changes import Changes
from ahoy_desktop.dashboard import DEFAULT_DAYS, DayActivity, daily_activity, has_account, local_date, ordered_kinds

from .background import BackgroundQuery
from .context import AppContext
from .texts import kind_label

log = logging.getLogger(__name__)

# Okabe-Ito colours: told apart by colour-blind readers, legible on light and dark backgrounds.
KIND_COLOURS = {
    "mention": "#0072B2",
    "reply": "#E69F00",
    "quote": "#009E73",
    "like": "#CC79A7",
    "retweet": "#D55E00",
}
OTHER_COLOURS = ("#56B4E9", "#F0E442", "#999999")
ESTIMATED_FILL_ALPHA = 70
HIGHLIGHT_ALPHA = 45
BAR_WIDTH = 0.72
Y_HEADROOM = 1.08
SUMMARY_SCALE = 1.25
LABEL_SPACING = 1.5  # a tick label's width, plus half again between neighbours
DAY_CHECK_MS = 60_000
SWATCH_SIZE = 14
TICK_LENGTH = 5
PAGE_MESSAGE, PAGE_CHART = 0, 1


@dataclass(frozen=True)
class DashboardData:
    has_account: bool
    days: list[DayActivity]


@dataclass(frozen=True)
class Segment:
    """One stack layer of the chart: a kind, dated or estimated, with its bar item."""

    kind: str
    estimated: bool
    label: str
    item: pg.BarGraphItem


class DashboardTab(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.data: DashboardData | None = None
        self.segments: list[Segment] = []
        self._overlays: list[pg.BarGraphItem] = []
        self._hovered: int | None = None
        self._today: date | None = None
        self._query = BackgroundQuery(self)
        self._query.finished.connect(self._show)
        self._query.failed.connect(self._show_failure)
        self._build()
        context.workspace_opened.connect(self.refresh)
        context.workspace_closing.connect(self._workspace_closing)
        context.changed.connect(self._on_changed)
        self._day_timer = QTimer(self)
        self._day_timer.setInterval(DAY_CHECK_MS)
        self._day_timer.timeout.connect(self._check_day)
        self._day_timer.start()
        self.refresh()

    # -- building -----------------------------------------------------------

    def _build(self) -> None:
        self.summary_label = QLabel()
        font = self.summary_label.font()
        font.setPointSizeF(font.pointSizeF() * SUMMARY_SCALE)
        font.setBold(True)
        self.summary_label.setFont(font)
        self.summary_detail = QLabel()
        self.summary_detail.setWordWrap(True)
        self.show_estimated = QCheckBox(self.tr("Show likes and retweets with estimated dates"))
        self.show_estimated.setChecked(True)
        self.show_estimated.setToolTip(self.tr(
            "X does not say when a like or retweet happened; Ahoy dates them to the sync that first saw them."))
        self.show_estimated.toggled.connect(self._redraw)

        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.plot = pg.PlotWidget()
        item = self.plot.getPlotItem()
        item.setMouseEnabled(x=False, y=False)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(y=True, alpha=0.2)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.plot.viewport().installEventFilter(self)
        item.vb.sigResized.connect(self._update_ticks)
        # Outward ticks don't cut into the bars; labels are spaced by _update_ticks, and today's may
        # reach past the last bar into the right margin rather than be dropped.
        item.getAxis("bottom").setStyle(tickLength=TICK_LENGTH, hideOverlappingLabels=False)
        self._highlight = pg.BarGraphItem(x=[0], height=[0], width=1.0, pen=None)
        self._highlight.setZValue(-1)
        self._highlight.hide()
        item.addItem(self._highlight)

        self.stack = QStackedWidget()
        self.stack.insertWidget(PAGE_MESSAGE, self.message)
        self.stack.insertWidget(PAGE_CHART, self.plot)
        self.stack.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self.legend = QHBoxLayout()
        self.legend.setSpacing(16)
        self.hover_label = QLabel()
        self.hover_label.setWordWrap(True)

        header = QHBoxLayout()
        header.addWidget(self.summary_label)
        header.addStretch(1)
        header.addWidget(self.show_estimated)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.summary_detail)
        layout.addWidget(self.stack, 1)
        layout.addLayout(self.legend)
        layout.addWidget(self.hover_label)
        self._apply_palette()

    def _apply_palette(self) -> None:
        palette = self.palette()
        background = palette.color(QPalette.ColorRole.Base)
        foreground = palette.color(QPalette.ColorRole.Text)
        self.plot.setBackground(background)
        for name in ("left", "bottom"):
            axis = self.plot.getPlotItem().getAxis(name)
            axis.setPen(pg.mkPen(foreground))
            axis.setTextPen(pg.mkPen(foreground))
        highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
        highlight.setAlpha(HIGHLIGHT_ALPHA)
        self._highlight.setOpts(brush=highlight)
        self.summary_detail.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.hover_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
            self._redraw()
        super().changeEvent(event)

    # -- loading ---------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._query.busy

    def refresh(self) -> None:
        """Count again on the worker thread; the chart updates when the answer comes."""
        if self.context.session is None:
            self._show(DashboardData(False, []))
            return
        now = self.context.clock.now()
        self._today = local_date(now)
        if self.data is None:
            self._show_message(self.tr("Loading activity…"))
        self._query.run(lambda: DashboardData(has_account(), daily_activity(now, DEFAULT_DAYS)))

    def shutdown(self, msecs: int = -1) -> bool:
        """Wait for any count still running (before closing the window, or in tests)."""
        self._day_timer.stop()
        return self._query.wait(msecs)

    @Slot(object)
    def _on_changed(self, changes: Changes) -> None:
        if changes.activities_added or changes.clock_moved or changes.accounts_changed:
            self.refresh()

    @Slot()
    def _workspace_closing(self) -> None:
        self._query.cancel()
        self._query.wait()
        self.data = None

    @Slot()
    def _check_day(self) -> None:
        """Move the window on at local midnight while the app stays open."""
        if self.context.session is not None and local_date(self.context.clock.now()) != self._today:
            self.refresh()

    @Slot(object)
    def _show(self, data: DashboardData) -> None:
        self.data = data
        self._redraw()

    @Slot(str)
    def _show_failure(self, message: str) -> None:
        self.data = None
        self.summary_label.clear()
        self.summary_detail.clear()
        self._show_message(self.tr("The activity could not be counted: {message}").format(message=message))

    # -- drawing ---------------------------------------------------------------

    def kind_label(self, kind: str, estimated: bool = False) -> str:
        name = kind_label(kind, count=2)
        return self.tr("{kind} (date estimated)").format(kind=name) if estimated else name

    def _visible_days(self) -> list[DayActivity]:
        days = self.data.days if self.data else []
        if self.show_estimated.isChecked():
            return days
        return [DayActivity(d.day, d.start, d.end, d.dated, {}) for d in days]

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentIndex(PAGE_MESSAGE)
        self._clear_chart()

    def _clear_chart(self) -> None:
        item = self.plot.getPlotItem()
        for segment in self.segments:
            item.removeItem(segment.item)
        for overlay in self._overlays:
            item.removeItem(overlay)
        self.segments, self._overlays = [], []
        while self.legend.count():
            widget = self.legend.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.hover_label.clear()
        self._hovered = None
        self._highlight.hide()

    @Slot()
    def _redraw(self) -> None:
        if self.data is None:
            return
        self._update_summary()
        if not self.data.has_account:
            self._show_message(self.tr("No account connected yet. Go to Integrations to connect one, "
                                       "or try the sample workspace from the File menu."))
            return
        days = self._visible_days()
        if not any(d.total for d in days):
            hidden = self.data.days and any(d.total for d in self.data.days)
            self._show_message(self.tr("Only likes and retweets with estimated dates in the last 30 days.")
                               if hidden else self.tr("No activity in the last 30 days"))
            return
        self._clear_chart()
        self._draw_bars(days)
        self.stack.setCurrentIndex(PAGE_CHART)
        self.hover_label.setText(self.tr("Point at a day to see its counts."))

    def _update_summary(self) -> None:
        days = self.data.days if self.data and self.data.has_account else []
        total = sum(d.total for d in days)
        estimated = sum(sum(d.estimated.values()) for d in days)
        self.summary_label.setText(
            (self.tr("1 activity in the last 30 days") if total == 1
             else self.tr("%Ln activities in the last 30 days", "", total)) if days else "")
        self.summary_detail.setText(
            (self.tr("It is a like or retweet whose date is estimated.") if estimated == 1 else
             self.tr("%Ln of them are likes and retweets whose dates are estimated.", "", estimated))
            if estimated else "")
        self.summary_detail.setVisible(bool(estimated))
        self.show_estimated.setVisible(bool(estimated))

    def _draw_bars(self, days: list[DayActivity]) -> None:
        item = self.plot.getPlotItem()
        positions = list(range(len(days)))
        bottoms = [0] * len(days)
        dated = ordered_kinds({k for d in days for k in d.dated})
        estimated = ordered_kinds({k for d in days for k in d.estimated})
        layers = [(k, False) for k in dated] + [(k, True) for k in estimated]
        for kind, is_estimated in layers:
            heights = [(d.estimated if is_estimated else d.dated).get(kind, 0) for d in days]
            colour = self._colour(kind)
            fill = QColor(colour)
            if is_estimated:
                fill.setAlpha(ESTIMATED_FILL_ALPHA)
            bar = pg.BarGraphItem(x=positions, y0=list(bottoms), height=heights, width=BAR_WIDTH,
                                  brush=fill, pen=pg.mkPen(colour) if is_estimated else None)
            item.addItem(bar)
            if is_estimated:
                hatch = pg.BarGraphItem(x=positions, y0=list(bottoms), height=heights, width=BAR_WIDTH,
                                        brush=QBrush(colour, Qt.BrushStyle.BDiagPattern), pen=None)
                item.addItem(hatch)
                self._overlays.append(hatch)
            label = self.kind_label(kind, is_estimated)
            self.segments.append(Segment(kind, is_estimated, label, bar))
            self.legend.addWidget(self._legend_entry(label, colour, is_estimated))
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        self.legend.addStretch(1)
        item.setXRange(-0.5, len(days) - 0.5, padding=0.01)
        top = max(bottoms)
        item.setYRange(0, top * Y_HEADROOM, padding=0)
        step = _nice_step(top)
        item.getAxis("left").setTickSpacing(step, step)
        self._update_ticks()

    def _colour(self, kind: str) -> QColor:
        if kind in KIND_COLOURS:
            return QColor(KIND_COLOURS[kind])
        others = sorted({k for d in (self.data.days if self.data else []) for k in (*d.dated, *d.estimated)}
                        - set(KIND_COLOURS))
        index = others.index(kind) if kind in others else 0
        return QColor(OTHER_COLOURS[index % len(OTHER_COLOURS)])

    def _legend_entry(self, label: str, colour: QColor, estimated: bool) -> QWidget:
        pixmap = QPixmap(SWATCH_SIZE, SWATCH_SIZE)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        fill = QColor(colour)
        if estimated:
            fill.setAlpha(ESTIMATED_FILL_ALPHA)
        painter.fillRect(pixmap.rect(), fill)
        if estimated:
            painter.fillRect(pixmap.rect(), QBrush(colour, Qt.BrushStyle.BDiagPattern))
            painter.setPen(colour)
            painter.drawRect(pixmap.rect().adjusted(0, 0, -1, -1))
        painter.end()
        entry = QWidget()
        row = QHBoxLayout(entry)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        swatch = QLabel()
        swatch.setPixmap(pixmap)
        row.addWidget(swatch)
        row.addWidget(QLabel(label))
        return entry

    @Slot()
    def _update_ticks(self) -> None:
        """Label as many days as fit without overlapping, always including today."""
        days = self.data.days if self.data else []
        if not days:
            return
        axis = self.plot.getPlotItem().getAxis("bottom")
        labels = [self._date_text(d.day) for d in days]
        metrics = QFontMetrics(axis.style.get("tickFont") or self.font())
        widest = max(metrics.horizontalAdvance(t) for t in labels)
        self.plot.getPlotItem().setContentsMargins(0, 0, widest / 2, 0)
        per_day = max(1.0, self.plot.getPlotItem().vb.width() / len(days))
        step = max(1, math.ceil(widest * LABEL_SPACING / per_day))
        last = len(days) - 1
        major = [(i, labels[i]) for i in range(last, -1, -step)]
        minor = [(i, "") for i in range(len(days))]
        axis.setTicks([sorted(major), minor])

    @staticmethod
    def _date_text(day: date) -> str:
        return QLocale().toString(QDate(day.year, day.month, day.day), "d MMM")

    # -- hover -----------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.plot.viewport() and event.type() == QEvent.Type.Leave:
            self._set_hovered(None)
        return super().eventFilter(watched, event)

    @Slot(object)
    def _on_mouse_moved(self, scene_pos) -> None:
        vb = self.plot.getPlotItem().vb
        index = None
        if self.segments and vb.sceneBoundingRect().contains(scene_pos):
            x = round(vb.mapSceneToView(scene_pos).x())
            if 0 <= x < len(self.data.days):
                index = x
        self._set_hovered(index)
        if index is not None:
            global_pos = self.plot.mapToGlobal(self.plot.mapFromScene(scene_pos))
            QToolTip.showText(global_pos, self.describe_day(index), self.plot)

    def _set_hovered(self, index: int | None) -> None:
        if index == self._hovered:
            return
        self._hovered = index
        if index is None:
            self._highlight.hide()
            QToolTip.hideText()
            if self.segments:
                self.hover_label.setText(self.tr("Point at a day to see its counts."))
            return
        top = self.plot.getPlotItem().vb.viewRange()[1][1]
        self._highlight.setOpts(x=[index], height=[top], width=1.0)
        self._highlight.show()
        self.hover_label.setText(self.describe_day(index).replace("\n", " · "))

    def describe_day(self, index: int) -> str:
        """The day's date and its exact counts, one kind a line, as the hover shows them."""
        day = self._visible_days()[index]
        when = QLocale().toString(QDate(day.day.year, day.day.month, day.day.day), QLocale.FormatType.LongFormat)
        lines = [(self.tr("{day}: 1 activity") if day.total == 1
                  else self.tr("{day}: %Ln activities", "", day.total)).format(day=when)]
        for segment in self.segments:
            count = (day.estimated if segment.estimated else day.dated).get(segment.kind, 0)
            if count:
                lines.append(f"{segment.label}: {QLocale().toString(count)}")
        return "\n".join(lines)


def _nice_step(maximum: float) -> float:
    """A whole-number tick spacing of 1, 2 or 5 × 10ⁿ giving about five ticks."""
    raw = max(maximum / 5, 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power
