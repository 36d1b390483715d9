"""The dashboard's charts: each draws one part of ``DashboardData`` and knows its table and empty state."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QLocale, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop.dashboard import tables
from ahoy_desktop.dashboard.queries import DashboardData

from ..texts import kind_label
from .flow_layout import FlowLayout, flow_policy
from .plots import Y_HEADROOM, BucketPlot, fit_count_axis
from .style import (
    SERIES_COLOURS,
    apply_plot_palette,
    estimated_brushes,
    kind_colour,
    legend_entry,
    long_label,
    number,
    tr,
    tr_n,
)

BAR_WIDTH = 0.72
MAX_DOTS = 120
ROLE_MEMBER_ID = Qt.ItemDataRole.UserRole + 1


class Chart(QWidget):
    """One chart: set its data, say whether it is empty, give its numbers as a table."""

    hover_text = Signal(str)
    key = ""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.data: DashboardData | None = None
        self.exporting = False  # drawn for a file: no hints about clicking
        self.legend_box = QWidget()
        self.legend_box.setSizePolicy(flow_policy())
        self.legend = FlowLayout(self.legend_box)
        self._legend_entries: list[tuple[str, str, bool, bool]] = []
        self._legend_shown: list[tuple[str, str, bool, bool]] | None = None
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)

    def title(self) -> str:
        raise NotImplementedError

    def note(self) -> str:
        return ""

    def empty_text(self) -> str:
        """What an empty chart says: that the range has no activity, if so, then why this chart is empty."""
        quiet = self.data is None or self.data.activity.total == 0
        lines = [tr("No activity in this range")] if quiet else []
        detail = self.empty_detail(quiet)
        return "\n".join([*lines, detail] if detail else lines) or tr("No activity in this range")

    def empty_detail(self, quiet: bool) -> str:
        """Why this chart has nothing to show beyond a range without activity (``quiet``); "" if nothing more."""
        return ""

    def is_empty(self) -> bool:
        raise NotImplementedError

    def table(self) -> tables.Table:
        raise NotImplementedError

    def set_data(self, data: DashboardData) -> None:
        self.data = data
        self._legend_entries = []
        if not self.is_empty():
            self.draw()
        self._show_legend()
        plot = getattr(self, "plot", None)
        if plot is not None:  # settle ranges and axes now, so that one paint shows it all
            plot.getPlotItem().layout.activate()
            plot.scene().prepareForPaint()

    def draw(self) -> None:
        raise NotImplementedError

    def surfaces(self) -> list[QWidget]:
        """The widgets the chart paints on."""
        return [self.plot.viewport()]

    def apply_palette(self, palette: QPalette) -> None:
        if self.data is not None:
            self.set_data(self.data)

    def _add_legend(self, label: str, colour: QColor, estimated: bool = False, line: bool = False) -> None:
        self._legend_entries.append((label, QColor(colour).name(QColor.NameFormat.HexArgb), estimated, line))

    def _show_legend(self) -> None:
        """Rebuild the legend only when it says something new: the same legend keeps the chart's size."""
        if self._legend_entries == self._legend_shown:
            return
        while self.legend.count():
            widget = self.legend.takeAt(0).widget()
            if widget is not None:
                widget.setParent(None)
        for label, colour, estimated, line in self._legend_entries:
            self.legend.addWidget(legend_entry(label, QColor(colour), estimated, line))
        self._legend_shown = list(self._legend_entries)
        self.legend_box.updateGeometry()


class BucketChart(Chart):
    """A chart over the period's buckets, drawn on a ``BucketPlot``."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = BucketPlot()
        self.plot.describe = self.describe
        self.plot.hovered.connect(self._on_hovered)
        self.body.addWidget(self.plot, 1)
        self.body.addWidget(self.legend_box)

    def set_data(self, data: DashboardData) -> None:
        self.plot.clear_items()
        super().set_data(data)

    def apply_palette(self, palette: QPalette) -> None:
        self.plot.apply_palette(palette)
        super().apply_palette(palette)

    def describe(self, index: int) -> str:
        raise NotImplementedError

    @Slot(int)
    def _on_hovered(self, index: int) -> None:
        self.hover_text.emit(self.describe(index).replace("\n", " · ") if index >= 0 else "")

    def _bucket_name(self, index: int) -> str:
        return long_label(self.plot.buckets[index], self.data.scope.period.unit)

    def _stack(self, layers: list[tuple[str, QColor, bool, list[int]]]) -> None:
        """Stacked bars, bottom layer first: (label, colour, estimated, heights)."""
        positions = list(range(self.plot.bar_count))
        bottoms = [0] * len(positions)
        bars = 0
        for label, colour, estimated, heights in layers:
            if not any(heights):
                continue
            looks = [estimated_brushes(colour)[0], estimated_brushes(colour)[1]] if estimated else [colour]
            pens = [pg.mkPen(colour), None] if estimated else [None]
            for brush, pen in zip(looks, pens, strict=True):
                self.plot.bars(bars).setOpts(x=positions, y0=list(bottoms), height=heights, width=BAR_WIDTH,
                                             brush=brush, pen=pen)
                bars += 1
            self._add_legend(label, colour, estimated)
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        self.plot.set_buckets(self.plot.buckets, max(bottoms, default=0))


class ActivityChart(BucketChart):
    key = "activity"

    def title(self) -> str:
        return tr("Activities over time")

    def note(self) -> str:
        if self.data is not None and self.data.activity.estimated_total:
            return tr("Hatched: likes and retweets whose time is estimated. X does not say when they happened; "
                      "Ahoy dates them to the connection or to the sync that first saw them.")
        return ""

    def is_empty(self) -> bool:
        return self.data is None or self.data.activity.total == 0

    def table(self) -> tables.Table:
        return tables.activity_table(self.data.activity)

    def draw(self) -> None:
        series = self.data.activity
        self.plot.buckets = series.buckets
        kinds = series.kinds()
        layers = [(kind_label(k, 2), kind_colour(k, kinds), False, [c.get(k, 0) for c in series.dated])
                  for k in kinds]
        layers += [(tr("{kind} (time estimated)").format(kind=kind_label(k, 2)), kind_colour(k, kinds), True,
                    [c.get(k, 0) for c in series.estimated]) for k in kinds]
        self._stack(layers)

    def describe(self, index: int) -> str:
        series = self.data.activity
        total = series.bucket_total(index)
        lines = [tr_n("{when}: {count} activities", total, "{when}: {count} activity").format(
            when=self._bucket_name(index), count=number(total))]
        for kind in series.kinds():
            if series.dated[index].get(kind):
                lines.append(f"{kind_label(kind, 2)}: {number(series.dated[index][kind])}")
            if series.estimated[index].get(kind):
                lines.append(tr("{kind} (time estimated): {count}").format(
                    kind=kind_label(kind, 2), count=number(series.estimated[index][kind])))
        return "\n".join(lines)


class GrowthChart(BucketChart):
    """New members per bucket as bars, the running total as a line on its own axis."""

    key = "growth"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        item = self.plot.getPlotItem()
        item.showAxis("right")
        item.getAxis("right").setGrid(False)
        self.total_view = pg.ViewBox()
        self.total_view.setMouseEnabled(x=False, y=False)
        item.scene().addItem(self.total_view)
        item.getAxis("right").linkToView(self.total_view)
        self.total_view.setXLink(item.vb)
        item.vb.sigResized.connect(self._sync_views)
        self.total_line = pg.PlotCurveItem()
        self.total_view.addItem(self.total_line)

    @Slot()
    def _sync_views(self) -> None:
        self.total_view.setGeometry(self.plot.getPlotItem().vb.sceneBoundingRect())

    def title(self) -> str:
        return tr("Member growth")

    def note(self) -> str:
        return tr("A member joins on the day of their first activity; hatched: their first activity was a like "
                  "or retweet whose time is estimated. People who only followed the account are not counted: "
                  "X gives no follow events.")

    def is_empty(self) -> bool:
        """Shown whenever the range has activity: a flat total says no one joined."""
        return self.data is None or (self.data.growth.total_new == 0 and self.data.activity.total == 0)

    def table(self) -> tables.Table:
        return tables.growth_table(self.data.growth)

    def set_data(self, data: DashboardData) -> None:
        self.total_line.hide()
        super().set_data(data)

    def draw(self) -> None:
        growth = self.data.growth
        self.plot.buckets = growth.buckets
        colour, total_colour = QColor(SERIES_COLOURS[0]), QColor(SERIES_COLOURS[1])
        dated = [n - e for n, e in zip(growth.new, growth.new_estimated, strict=True)]
        self._stack([(tr("New members"), colour, False, dated),
                     (tr("New members (joined by an estimated like or retweet)"), colour, True,
                      growth.new_estimated)])
        running = growth.running
        self.total_line.setData(x=list(range(len(running))), y=running, pen=pg.mkPen(total_colour, width=2))
        self.total_line.show()
        self.total_view.setYRange(0, max(running[-1], 1) * Y_HEADROOM, padding=0)
        fit_count_axis(self.plot.getPlotItem().getAxis("right"), running[-1], QFontMetrics(self.plot.font()))
        self._add_legend(tr("Total members (right axis)"), total_colour, line=True)
        self._sync_views()

    def describe(self, index: int) -> str:
        growth = self.data.growth
        lines = [self._bucket_name(index),
                 tr("New members: {count}").format(count=number(growth.new[index])),
                 tr("Total members: {count}").format(count=number(growth.running[index]))]
        if growth.new_estimated[index]:
            lines.insert(2, tr("Joined by an estimated like or retweet: {count}").format(
                count=number(growth.new_estimated[index])))
        return "\n".join(lines)


class FollowersChart(Chart):
    """The connected accounts' own follower counts at each sync, on a time axis."""

    key = "followers"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        item = self.plot.getPlotItem()
        item.setMouseEnabled(x=False, y=False)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(y=True, alpha=0.2)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.body.addWidget(self.plot, 1)
        self.body.addWidget(self.legend_box)
        self._points: list[tuple[float, int, str]] = []
        self._lines: list[pg.PlotDataItem] = []  # one per account, kept from one drawing to the next
        apply_plot_palette(self.plot, self.palette())

    def title(self) -> str:
        return tr("Followers of the account")

    def note(self) -> str:
        return tr("As X reported them at each sync.")

    def empty_detail(self, quiet: bool) -> str:
        return tr("No follower counts were recorded in it.") if quiet else tr(
            "No follower counts recorded in this range")

    def is_empty(self) -> bool:
        return self.data is None or not any(line.points for line in self.data.followers)

    def table(self) -> tables.Table:
        return tables.followers_table(self.data.followers)

    def apply_palette(self, palette: QPalette) -> None:
        apply_plot_palette(self.plot, palette)
        super().apply_palette(palette)

    def set_data(self, data: DashboardData) -> None:
        for line in self._lines:
            line.hide()
        self._points = []
        super().set_data(data)

    def _line(self, index: int) -> pg.PlotDataItem:
        while len(self._lines) <= index:
            self._lines.append(self.plot.plot([], []))
        self._lines[index].show()
        return self._lines[index]

    def draw(self) -> None:
        period = self.data.scope.period
        top = 0
        for index, line in enumerate(f for f in self.data.followers if f.points):
            colour = QColor(SERIES_COLOURS[index % len(SERIES_COLOURS)])
            xs = [max(when, period.start).timestamp() for when, _ in line.points]
            ys = [n for _, n in line.points]
            # A dot per sync while they can be told apart; past that they only thicken the line.
            dots = {"symbol": "o", "symbolSize": 5, "symbolBrush": colour, "symbolPen": colour} \
                if len(xs) <= MAX_DOTS else {"symbol": None}
            self._line(index).setData(xs, ys, pen=pg.mkPen(colour, width=2), **dots)
            self._add_legend(f"@{line.username}", colour, line=True)
            self._points += [(x, y, line.username) for x, y in zip(xs, ys, strict=True)]
            top = max(top, *ys)
        item = self.plot.getPlotItem()
        item.setXRange(period.start.timestamp(), period.end.timestamp(), padding=0.01)
        item.setYRange(0, max(top, 1) * Y_HEADROOM, padding=0)
        fit_count_axis(item.getAxis("left"), top, QFontMetrics(self.plot.font()))

    @Slot(object)
    def _on_mouse_moved(self, scene_pos) -> None:
        vb = self.plot.getPlotItem().vb
        if not self._points or not vb.sceneBoundingRect().contains(scene_pos):
            self.hover_text.emit("")
            return
        x = vb.mapSceneToView(scene_pos).x()
        when, followers, username = min(self._points, key=lambda p: abs(p[0] - x))
        moment = QLocale().toString(pg.QtCore.QDateTime.fromSecsSinceEpoch(int(when)),
                                    QLocale.FormatType.ShortFormat)
        self.hover_text.emit(tr("@{account} on {when}: {count} followers").format(
            account=username, when=moment, count=number(followers)))


class StagesChart(BucketChart):
    """Members per stage at the end of each bucket, from the recorded stage changes."""

    key = "stages"

    def title(self) -> str:
        return tr("Members by stage")

    def note(self) -> str:
        if self.data is None:
            return ""
        stages = self.data.stages
        lines = [tr("The last bar is today's split, from the scores.")]
        if stages.history_start is not None and stages.history_start > self.data.scope.period.start:
            when = QLocale().toString(pg.QtCore.QDateTime.fromSecsSinceEpoch(int(stages.history_start.timestamp())),
                                      QLocale.FormatType.ShortFormat)
            lines.append(tr("Stage history exists from {when}.").format(when=when))
        if any(stages.setup_moves):
            lines.append(tr("Dashed lines: moves caused by a change of the scoring setup, not by members."))
        lines.append(tr("Stages cover every account."))
        return "\n".join(lines)

    def empty_detail(self, quiet: bool) -> str:
        return tr("No member held a stage in it.") if quiet else tr("No member held a stage in this range")

    def is_empty(self) -> bool:
        return self.data is None or not (any(self.data.stages.counts) or self.data.stages.today)

    def table(self) -> tables.Table:
        return tables.stages_table(self.data.stages)

    def set_data(self, data: DashboardData) -> None:
        self.plot.extra_label = tr("Today")
        super().set_data(data)

    def draw(self) -> None:
        stages = self.data.stages
        self.plot.buckets = stages.buckets
        layers = []
        for index, name in enumerate(stages.names):
            colour = QColor(stages.colours.get(name) or SERIES_COLOURS[index % len(SERIES_COLOURS)])
            layers.append((name, colour, False,
                           [counts.get(name, 0) for counts in stages.counts] + [stages.today.get(name, 0)]))
        self._stack(layers)
        marker = self.palette().color(QPalette.ColorRole.Text)
        today = len(stages.buckets)
        self.plot.addItem(pg.InfiniteLine(pos=today - 0.5, angle=90, pen=pg.mkPen(marker)))  # the range, then now
        unknown = next((i for i, b in enumerate(stages.buckets)
                        if stages.history_start is not None and b.end > stages.history_start), 0)
        if unknown:  # before the first recorded change nothing is known: grey it out rather than show zeros
            shade = QColor(self.palette().color(QPalette.ColorRole.PlaceholderText))
            shade.setAlpha(40)
            region = pg.LinearRegionItem((-0.5, unknown - 0.5), movable=False, brush=shade, pen=pg.mkPen(None))
            self.plot.addItem(region)
            label = pg.TextItem(tr("No stage history yet"), color=marker, anchor=(0, 0))
            label.setPos(-0.4, self.plot.getPlotItem().vb.viewRange()[1][1])
            self.plot.addItem(label)
        for index, moves in enumerate(stages.setup_moves):
            if moves:
                self.plot.addItem(pg.InfiniteLine(pos=index, angle=90,
                                                  pen=pg.mkPen(marker, style=Qt.PenStyle.DashLine)))

    def describe(self, index: int) -> str:
        stages = self.data.stages
        if index == len(stages.buckets):
            lines = [tr("Today")]
            lines += [f"{name}: {number(stages.today[name])}" for name in stages.names if stages.today.get(name)]
            if stages.unstaged_today:
                lines.append(tr("Without a stage: {count}").format(count=number(stages.unstaged_today)))
            return "\n".join(lines)
        lines = [tr("End of {when}").format(when=self._bucket_name(index))]
        lines += [f"{name}: {number(stages.counts[index].get(name, 0))}" for name in stages.names
                  if stages.counts[index].get(name)]
        if stages.setup_moves[index]:
            lines.append(tr("{count} moved by a scoring setup change").format(count=number(stages.setup_moves[index])))
        return "\n".join(lines)


class TopMembersChart(Chart):
    """The most active members of the range; double-click opens one in the Members tab."""

    key = "top_members"
    open_member = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = QTableWidget(0, 5)
        self.view.setHorizontalHeaderLabels([tr("Name"), tr("Handle"), tr("Activities"), tr("Score"), tr("Stage")])
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.itemActivated.connect(self._activated)
        self.view.itemDoubleClicked.connect(self._activated)
        self.view.setAccessibleName(tr("Most active members"))
        self.body.addWidget(self.view, 1)

    def title(self) -> str:
        return tr("Most active members")

    def note(self) -> str:
        text = tr("By activities in the range; score over the last 30 days.")
        return text if self.exporting else text + " " + tr("Double-click to open a member.")

    def is_empty(self) -> bool:
        return self.data is None or not self.data.top

    def table(self) -> tables.Table:
        return tables.top_members_table(self.data.top)

    def surfaces(self) -> list[QWidget]:
        return [self.view.viewport()]

    def set_data(self, data: DashboardData) -> None:
        self.view.setRowCount(0)
        super().set_data(data)

    def draw(self) -> None:
        self.view.setRowCount(len(self.data.top))
        for row, member in enumerate(self.data.top):
            values = [member.name or tr("(no name)"), f"@{member.handle}" if member.handle else "",
                      number(member.activities), number(member.score), member.stage]
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setData(ROLE_MEMBER_ID, member.member_id)
                if column in (2, 3):
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 4 and member.stage_colour:
                    cell.setForeground(QColor(member.stage_colour))
                self.view.setItem(row, column, cell)

    @Slot(QTableWidgetItem)
    def _activated(self, cell: QTableWidgetItem) -> None:
        self.open_member.emit(int(cell.data(ROLE_MEMBER_ID)))


class HeatmapChart(Chart):
    """Activities by local weekday and hour: a grid of cells, darker where busier."""

    key = "heatmap"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = pg.PlotWidget()
        item = self.plot.getPlotItem()
        item.setMouseEnabled(x=False, y=False)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.invertY(True)
        item.getAxis("bottom").setTicks([[(h + 0.5, f"{h:02d}") for h in range(0, 24, 3)], []])
        days = [QLocale().dayName(d, QLocale.FormatType.ShortFormat) for d in range(1, 8)]
        item.getAxis("left").setTicks([[(d + 0.5, days[d]) for d in range(7)], []])
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.body.addWidget(self.plot, 1)
        self.body.addWidget(self.legend_box)
        self.cells = pg.BarGraphItem(x=[0], height=[0], width=1.0, pen=None)
        self.plot.addItem(self.cells)
        apply_plot_palette(self.plot, self.palette())

    def title(self) -> str:
        return tr("When people interact")

    def note(self) -> str:
        left_out = self.data.heatmap.left_out if self.data is not None else 0
        if not left_out:
            return tr("Activities by weekday and hour, in your local time.")
        return tr_n("Activities by weekday and hour, in your local time. Left out: {count} likes and retweets "
                    "whose time is estimated, as X does not say when they happened.", left_out,
                    "Activities by weekday and hour, in your local time. Left out: {count} like or retweet "
                    "whose time is estimated, as X does not say when it happened.").format(count=number(left_out))

    def empty_detail(self, quiet: bool) -> str:
        if quiet:
            return ""
        return tr("Only likes and retweets whose time is estimated: they cannot be placed by hour.")

    def is_empty(self) -> bool:
        return self.data is None or self.data.heatmap.total == 0

    def table(self) -> tables.Table:
        return tables.heatmap_table(self.data.heatmap)

    def apply_palette(self, palette: QPalette) -> None:
        apply_plot_palette(self.plot, palette)
        super().apply_palette(palette)

    def set_data(self, data: DashboardData) -> None:
        self.cells.hide()
        super().set_data(data)

    def draw(self) -> None:
        counts = self.data.heatmap.counts
        top = max(max(row) for row in counts)
        low = self.palette().color(QPalette.ColorRole.Base)
        high = QColor(SERIES_COLOURS[0])
        xs, ys, brushes = [], [], []
        for day in range(7):
            for hour in range(24):
                share = counts[day][hour] / top if top else 0
                xs.append(hour + 0.5)
                ys.append(day)
                brushes.append(QColor.fromRgbF(*[lo + (hi - lo) * share for lo, hi in
                                                 zip(low.getRgbF()[:3], high.getRgbF()[:3], strict=True)]))
        self.cells.setOpts(x=xs, y0=ys, height=[0.94] * len(xs), width=0.94, brushes=brushes, pen=None)
        self.cells.show()
        item = self.plot.getPlotItem()
        item.setXRange(0, 24, padding=0.01)
        item.setYRange(0, 7, padding=0.01)
        self._add_legend(tr("Fewest"), low)
        self._add_legend(tr("Most: {count}").format(count=number(top)), high)

    @Slot(object)
    def _on_mouse_moved(self, scene_pos) -> None:
        vb = self.plot.getPlotItem().vb
        if self.is_empty() or not vb.sceneBoundingRect().contains(scene_pos):
            self.hover_text.emit("")
            return
        point = vb.mapSceneToView(scene_pos)
        day, hour = int(point.y()), int(point.x())
        if 0 <= day < 7 and 0 <= hour < 24:
            self.hover_text.emit(self.describe_cell(day, hour))

    def describe_cell(self, day: int, hour: int) -> str:
        name = QLocale().dayName(day + 1, QLocale.FormatType.LongFormat)
        count = self.data.heatmap.counts[day][hour]
        return tr_n("{day} {start}:00–{end}:00: {count} activities", count,
                    "{day} {start}:00–{end}:00: {count} activity").format(
            day=name, start=f"{hour:02d}", end=f"{(hour + 1) % 24:02d}", count=number(count))


CHART_TYPES: tuple[type[Chart], ...] = (GrowthChart, FollowersChart, ActivityChart, StagesChart, TopMembersChart,
                                        HeatmapChart)
