"""The plot widgets the dashboard's charts draw on (pyqtgraph), with hover and readable ticks."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Signal, Slot
from PySide6.QtGui import QFontMetrics, QPalette
from PySide6.QtWidgets import QToolTip

from ahoy_desktop.dashboard.periods import Bucket

from .style import apply_plot_palette, nice_step, short_label

LABEL_SPACING = 1.5  # a tick label's width, plus half again between neighbours
TICK_LENGTH = 5
Y_HEADROOM = 1.08
HIGHLIGHT_ALPHA = 45
AXIS_PADDING = 4


def fit_count_axis(axis: pg.AxisItem, top: float, metrics: QFontMetrics) -> None:
    """Whole-number ticks up to ``top``, and the axis as wide as its longest label, set before it is painted.

    Left to itself pyqtgraph learns the width while painting, then lays the
    plot out and paints it a second time.
    """
    step = nice_step(max(top, 1))
    axis.setTickSpacing(step, step)
    ticks = [step * i for i in range(int(max(top, 1) * Y_HEADROOM // step) + 1)]
    widest = max(metrics.horizontalAdvance(label) for label in axis.tickStrings(ticks, 1, step))
    axis.setWidth(widest + axis.style["tickTextOffset"][0] + max(0, axis.style["tickLength"]) + AXIS_PADDING)


class BucketPlot(pg.PlotWidget):
    """A plot whose x axis is a row of time buckets (0, 1, 2…), labelled as many as fit.

    Emits ``hovered`` with the bucket index under the mouse (or -1) and shows
    ``describe(index)`` as a tooltip. With ``extra_label`` set, one more bar
    follows the buckets (the stages' split today), labelled so.
    """

    hovered = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.buckets: list[Bucket] = []
        self.extra_label: str | None = None
        self.describe = lambda index: ""
        item = self.getPlotItem()
        item.setMouseEnabled(x=False, y=False)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(y=True, alpha=0.2)
        item.getAxis("bottom").setStyle(tickLength=TICK_LENGTH, hideOverlappingLabels=False)
        item.vb.sigResized.connect(self.update_ticks)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.viewport().installEventFilter(self)
        self._hovered = -1
        self._highlight = pg.BarGraphItem(x=[0], height=[0], width=1.0, pen=None)
        self._highlight.setZValue(-1)
        self._highlight.hide()
        item.addItem(self._highlight)
        self._bars: list[pg.BarGraphItem] = []
        self.apply_palette(self.palette())

    def apply_palette(self, palette: QPalette) -> None:
        apply_plot_palette(self, palette)
        colour = palette.color(QPalette.ColorRole.Highlight)
        colour.setAlpha(HIGHLIGHT_ALPHA)
        self._highlight.setOpts(brush=colour)

    def bars(self, index: int) -> pg.BarGraphItem:
        """The ``index``-th series of bars, kept from one drawing to the next and given new numbers.

        Reusing the items instead of making new ones each time keeps a redraw
        short and leaves nothing for the garbage collector to sweep.
        """
        while len(self._bars) <= index:
            bars = pg.BarGraphItem(x=[0], height=[0], width=1.0, pen=None)
            self._bars.append(bars)
            self.getPlotItem().addItem(bars)
        self._bars[index].show()
        return self._bars[index]

    def clear_items(self) -> None:
        item = self.getPlotItem()
        kept = [self._highlight, *self._bars]
        for child in list(item.items):
            if not any(child is k for k in kept):
                item.removeItem(child)
        for bars in self._bars:
            bars.hide()
        self._set_hovered(-1)

    @property
    def bar_count(self) -> int:
        return len(self.buckets) + (1 if self.extra_label else 0)

    def set_buckets(self, buckets: list[Bucket], top: float) -> None:
        self.buckets = buckets
        item = self.getPlotItem()
        item.setXRange(-0.5, self.bar_count - 0.5, padding=0.01)
        item.setYRange(0, max(top, 1) * Y_HEADROOM, padding=0)
        fit_count_axis(item.getAxis("left"), top, QFontMetrics(self.font()))
        self.update_ticks()

    @Slot()
    def update_ticks(self) -> None:
        """Label as many buckets as fit without overlapping, always including the last."""
        if not self.buckets:
            return
        axis = self.getPlotItem().getAxis("bottom")
        labels = [short_label(b.label) for b in self.buckets] + ([self.extra_label] if self.extra_label else [])
        metrics = QFontMetrics(axis.style.get("tickFont") or self.font())
        widest = max(metrics.horizontalAdvance(t) for t in labels)
        self.getPlotItem().setContentsMargins(0, 0, widest / 2, 0)
        per_bucket = max(1.0, self.getPlotItem().vb.width() / len(labels))
        step = max(1, math.ceil(widest * LABEL_SPACING / per_bucket))
        last = len(labels) - 1
        major = [(i, labels[i]) for i in range(last, -1, -step)]
        axis.setTicks([sorted(major), [(i, "") for i in range(len(labels))]])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewport() and event.type() == QEvent.Type.Leave:
            self._set_hovered(-1)
        return super().eventFilter(watched, event)

    @Slot(object)
    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        vb = self.getPlotItem().vb
        index = -1
        if self.buckets and vb.sceneBoundingRect().contains(scene_pos):
            x = round(vb.mapSceneToView(scene_pos).x())
            if 0 <= x < self.bar_count:
                index = x
        self._set_hovered(index)
        if index >= 0:
            QToolTip.showText(self.mapToGlobal(self.mapFromScene(scene_pos)), self.describe(index), self)

    def hover(self, index: int) -> None:
        """Point at a bucket as the mouse would (keyboard users and tests)."""
        self._set_hovered(index)

    def _set_hovered(self, index: int) -> None:
        if index == self._hovered:
            return
        self._hovered = index
        if index < 0:
            self._highlight.hide()
            QToolTip.hideText()
        else:
            top = self.getPlotItem().vb.viewRange()[1][1]
            self._highlight.setOpts(x=[index], height=[top], width=1.0)
            self._highlight.show()
        self.hovered.emit(index)
