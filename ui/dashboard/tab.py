"""The Dashboard tab: summary figures and six charts for a range and an account, exportable.

The counting happens in the core (``ahoy_desktop.dashboard``), in a process
of its own, so a large workspace never freezes the window; this module lays
out, draws and exports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop.changes import Changes
from ahoy_desktop.dashboard import tables
from ahoy_desktop.dashboard.periods import RANGE_24H, RANGE_30D, RANGE_ALL, RANGE_CUSTOM, RANGES, local_date
from ahoy_desktop.dashboard.queries import DashboardData, Figure
from ahoy_desktop.dashboard.service import CountRequest
from ahoy_desktop.db.models import Account

from ..context import AppContext
from . import export
from .charts import CHART_TYPES, TopMembersChart
from .counting import DashboardCounter
from .panel import EXPORT_COPY, EXPORT_CSV, EXPORT_PNG, EXPORT_SVG, ChartPanel

log = logging.getLogger(__name__)

DAY_CHECK_MS = 60_000
PAGE_NO_ACCOUNT, PAGE_DASHBOARD = 0, 1
FIGURE_SCALE = 1.6
CHART_MIN_HEIGHT = 340
CHART_LINES = 20  # a panel's height in lines of text, so larger fonts get taller charts
PAINT_WAIT_MS = 250  # the longest the next chart waits for the one before to be painted
AFTER_PAINT_MS = 2  # then a moment more, so the window answers in between


class FigureCard(QFrame):
    """One summary figure with its change against the previous range."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.caption = QLabel(title)
        self.value = QLabel("–")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * FIGURE_SCALE)
        font.setBold(True)
        self.value.setFont(font)
        self.change = QLabel()
        self.change.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.change)

    def show_figure(self, figure: Figure, change_text: str) -> None:
        self.value.setText(QLocale().toString(figure.value))
        self.change.setText(change_text)


class ImageSizeDialog(QDialog):
    """Width and scale of an exported PNG (2× by default, sharp on high-density screens)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Image size"))
        self.width_box = QSpinBox()
        self.width_box.setRange(export.MIN_WIDTH, 4000)
        self.width_box.setSingleStep(100)
        self.width_box.setValue(export.DEFAULT_WIDTH)
        self.width_box.setSuffix(self.tr(" px"))
        self.scale_box = QComboBox()
        for scale in (1, 2, 3):
            self.scale_box.addItem(self.tr("{scale}×").format(scale=scale), scale)
        self.scale_box.setCurrentIndex(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Width:"), self.width_box)
        form.addRow(self.tr("Scale:"), self.scale_box)
        form.addRow(buttons)


class DashboardTab(QWidget):
    """The summary and the charts for the chosen range and account.

    Counting runs in a process of its own (``DashboardCounter``); a newer
    choice stops the count running for an older one. The charts are drawn
    one per turn of the event loop, each after the one before has been
    painted, so the window keeps answering while a large result is drawn.
    """

    sample_requested = Signal()
    charts_drawn = Signal()  # every chart shows the data that came last
    count_failed = Signal(str)  # the counting process could not answer: why

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.data: DashboardData | None = None
        self._today: date | None = None
        self._counter = DashboardCounter(self)
        self._counter.finished.connect(self._show)
        self._counter.failed.connect(self._show_failure)
        self._to_draw: list[ChartPanel] = []
        self._painting: ChartPanel | None = None  # drawn; the next waits until the window has painted it
        self._draw_timer = QTimer(self)
        self._draw_timer.setSingleShot(True)
        self._draw_timer.timeout.connect(self._draw_next)
        self._after_data: list[Callable[[], None]] = []
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
        self.range_box = QComboBox()
        self.range_box.setAccessibleName(self.tr("Range"))
        names = {"24h": self.tr("Last 24 hours"), "7d": self.tr("Last 7 days"), "30d": self.tr("Last 30 days"),
                 "90d": self.tr("Last 90 days"), "12m": self.tr("Last 12 months"), "all": self.tr("All time"),
                 "custom": self.tr("Custom range")}
        for choice in RANGES:
            self.range_box.addItem(names[choice], choice)
        self.range_box.setCurrentIndex(RANGES.index(RANGE_30D))
        self.from_date, self.to_date = QDateEdit(), QDateEdit()
        for edit, name in ((self.from_date, self.tr("From")), (self.to_date, self.tr("To"))):
            edit.setCalendarPopup(True)
            edit.setAccessibleName(name)
            edit.dateChanged.connect(self._on_controls_changed)
        self.account_box = QComboBox()
        self.account_box.setAccessibleName(self.tr("Account"))
        self.range_box.currentIndexChanged.connect(self._on_range_changed)
        self.account_box.currentIndexChanged.connect(self._on_controls_changed)
        self.report_button = QPushButton(self.tr("Export report (PDF)…"))
        self.report_button.clicked.connect(self.export_report)
        self.status = QLabel()

        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Range:")))
        controls.addWidget(self.range_box)
        self.custom_widgets = [QLabel(self.tr("from")), self.from_date, QLabel(self.tr("to")), self.to_date]
        for widget in self.custom_widgets:
            controls.addWidget(widget)
            widget.hide()
        controls.addSpacing(16)
        controls.addWidget(QLabel(self.tr("Account:")))
        controls.addWidget(self.account_box)
        controls.addWidget(self.status)
        controls.addStretch(1)
        controls.addWidget(self.report_button)

        self.cards = {key: FigureCard(title) for key, title in (
            ("total", self.tr("Members")), ("new", self.tr("New members")),
            ("active", self.tr("Active members")), ("activities", self.tr("Activities")))}
        cards = QHBoxLayout()
        for card in self.cards.values():
            cards.addWidget(card)

        self.panels = [ChartPanel(chart_type()) for chart_type in CHART_TYPES]
        grid = QGridLayout()
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        height = max(CHART_MIN_HEIGHT, self.fontMetrics().lineSpacing() * CHART_LINES)
        for index, panel in enumerate(self.panels):
            panel.setFixedHeight(height)
            panel.export_requested.connect(self._export_chart)
            panel.painted.connect(self._panel_painted)
            grid.addWidget(panel, index // 2, index % 2)
            if isinstance(panel.chart, TopMembersChart):
                panel.chart.open_member.connect(self.context.open_member_requested)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.addLayout(cards)
        content_layout.addLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setFrameShape(QFrame.Shape.NoFrame)

        dashboard = QWidget()
        dashboard_layout = QVBoxLayout(dashboard)
        dashboard_layout.setContentsMargins(0, 0, 0, 0)
        dashboard_layout.addLayout(controls)
        dashboard_layout.addWidget(scroll, 1)

        self.no_account = QLabel(self.tr(
            "<h3>No account connected yet</h3><p>Connect your X account in the Integrations tab to see who "
            "interacts with it, or look around with sample data first.</p>"))
        self.no_account.setWordWrap(True)
        self.sample_button = QPushButton(self.tr("Try with sample data"))
        self.sample_button.clicked.connect(self.sample_requested)
        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.no_account)
        empty_layout.addWidget(self.sample_button, 0, Qt.AlignmentFlag.AlignLeft)
        empty_layout.addStretch(2)

        self.pages = QStackedWidget()
        self.pages.insertWidget(PAGE_NO_ACCOUNT, empty)
        self.pages.insertWidget(PAGE_DASHBOARD, dashboard)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    def panel(self, key: str) -> ChartPanel:
        return next(p for p in self.panels if p.chart.key == key)

    # -- choosing what to show ----------------------------------------------------

    def scope_request(self) -> tuple[str, int | None, tuple[date, date] | None]:
        choice = self.range_box.currentData()
        custom = None
        if choice == RANGE_CUSTOM:
            custom = (self.from_date.date().toPython(), self.to_date.date().toPython())
        return choice, self.account_box.currentData(), custom

    def set_range(self, choice: str, custom: tuple[date, date] | None = None) -> None:
        self.range_box.blockSignals(True)
        self.range_box.setCurrentIndex(RANGES.index(choice))
        self.range_box.blockSignals(False)
        self._show_range_controls(custom)
        self.refresh()

    def set_account(self, account_id: int | None) -> None:
        self.account_box.setCurrentIndex(max(self.account_box.findData(account_id), 0))

    @Slot()
    def _on_range_changed(self) -> None:
        self._show_range_controls()
        self.refresh()

    def _show_range_controls(self, custom: tuple[date, date] | None = None) -> None:
        """Show the date fields for a custom range, filled with ``custom`` or else the range shown now."""
        is_custom = self.range_box.currentData() == RANGE_CUSTOM
        if is_custom and custom is None and self.data is not None:
            period = self.data.scope.period
            custom = (period.first_day or local_date(period.start),
                      period.last_day or local_date(period.end - timedelta(seconds=1)))
        if is_custom and custom is not None:
            for edit, day in zip((self.from_date, self.to_date), custom, strict=True):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        for widget in self.custom_widgets:
            widget.setVisible(is_custom)

    @Slot()
    def _on_controls_changed(self) -> None:
        self.refresh()

    def _reload_accounts(self) -> None:
        current = self.account_box.currentData()
        self.account_box.blockSignals(True)
        self.account_box.clear()
        self.account_box.addItem(self.tr("All accounts"), None)
        if self.context.session is not None:
            for account in Account.select().order_by(Account.id):
                label = f"@{account.username}"
                if account.disconnected_at is not None:
                    label = self.tr("{account} (disconnected)").format(account=label)
                self.account_box.addItem(label, account.id)
        self.account_box.setCurrentIndex(max(self.account_box.findData(current), 0))
        self.account_box.blockSignals(False)

    # -- loading ---------------------------------------------------------------

    @property
    def loading(self) -> bool:
        """Counting, or drawing what was counted."""
        return self._counter.busy or bool(self._to_draw)

    def refresh(self) -> None:
        """Count again in the counting process; the charts update when the answer comes."""
        if self.context.session is None:
            self.data = None
            self.pages.setCurrentIndex(PAGE_NO_ACCOUNT)
            return
        self._reload_accounts()
        now = self.context.clock.now()
        self._today = local_date(now)
        choice, account_id, custom = self.scope_request()
        self.status.setText(self.tr("Counting…"))
        self._stop_drawing()  # what is left to draw is for a choice no longer wanted
        self._counter.run(CountRequest(str(self.context.session.path), choice, now, account_id, custom))

    def shutdown(self, msecs: int = -1) -> bool:
        """Wait for any count still running, then end the counting process (closing the window, or tests)."""
        self._day_timer.stop()
        self._stop_drawing()
        done = self._counter.wait(msecs)
        self._counter.close()
        return done

    @Slot(object)
    def _on_changed(self, changes: Changes) -> None:
        if (changes.activities_added or changes.clock_moved or changes.accounts_changed or changes.scoring_changed
                or changes.members_changed or changes.activities_changed):
            self.refresh()

    @Slot()
    def _workspace_closing(self) -> None:
        self._counter.cancel()
        self._stop_drawing()
        self._counter.close()  # its connection must not outlive the file
        self._after_data.clear()
        self.data = None

    @Slot()
    def _check_day(self) -> None:
        """Move the range on at local midnight (every hour for the last 24 hours) while the app stays open."""
        if self.context.session is None or self.data is None:
            return
        now = self.context.clock.now()
        if local_date(now) != self._today or (self.range_box.currentData() == RANGE_24H
                                              and now >= self.data.scope.period.end):
            self.refresh()

    @Slot(object)
    def _show(self, data: DashboardData) -> None:
        self.data = data
        self.status.clear()
        if not data.has_account:
            self.pages.setCurrentIndex(PAGE_NO_ACCOUNT)
        else:
            self.pages.setCurrentIndex(PAGE_DASHBOARD)
            self._show_summary()
            self._to_draw = list(self.panels)
            self._draw_timer.start(0)
        waiting, self._after_data = self._after_data, []
        for then in waiting:
            then()

    @Slot()
    def _draw_next(self) -> None:
        """Draw one chart; the next waits until this one is painted, so no turn of the loop does both."""
        self._painting = None
        if not self._to_draw:
            return
        panel = self._to_draw.pop(0)
        panel.set_data(self.data)
        if not self._to_draw:
            self.charts_drawn.emit()
        elif panel.on_screen:
            self._painting = panel
            self._draw_timer.start(PAINT_WAIT_MS)  # in case no paint comes
        else:
            self._draw_timer.start(0)

    @Slot()
    def _panel_painted(self) -> None:
        if self.sender() is self._painting:
            self._painting = None
            self._draw_timer.start(AFTER_PAINT_MS)

    def _stop_drawing(self) -> None:
        self._draw_timer.stop()
        self._to_draw = []
        self._painting = None

    @Slot(str)
    def _show_failure(self, message: str) -> None:
        self.count_failed.emit(message)
        self.status.setText(self.tr("The dashboard could not be counted: {message}").format(message=message))
        if self._after_data:
            self._after_data.clear()
            QMessageBox.warning(self, self.tr("Export failed"), self.tr(
                "Nothing was exported: the dashboard could not be counted ({message}).").format(message=message))

    def _when_counted(self, then: Callable[[], None]) -> bool:
        """True when the numbers are here; else run ``then`` once they come, and say so."""
        if self.data is not None:
            return True
        if self.context.session is None or not self._counter.busy:
            QMessageBox.information(self, self.tr("Nothing to export"),
                                    self.tr("The dashboard has no numbers to export yet."))
            return False
        self._after_data.append(then)
        self.status.setText(self.tr("Counting… the export follows when it is done."))
        return False

    def range_text(self) -> str:
        """The range as words, for the report and the summary."""
        if self.data is None:
            return ""
        period = self.data.scope.period
        locale = QLocale()
        if period.first_day is None:
            until = min(period.end, self.context.clock.now())  # the last hour is still running
            start, end = (locale.toString(QDateTime.fromSecsSinceEpoch(int(t.timestamp())),
                                          QLocale.FormatType.ShortFormat) for t in (period.start, until))
        else:
            start, end = (locale.toString(QDate(d.year, d.month, d.day), QLocale.FormatType.LongFormat)
                          for d in (period.first_day, period.last_day))
        return self.tr("{name}: {start} – {end}").format(name=self.range_box.currentText(), start=start, end=end)

    def _show_summary(self) -> None:
        summary = self.data.summary

        all_time = self.range_box.currentData() == RANGE_ALL

        def change(figure: Figure) -> str:
            if all_time:  # nothing comes before all time
                return self.tr("since the first activity")
            sign = "+" if figure.change > 0 else ("−" if figure.change < 0 else "±")
            return self.tr("{sign}{change} on the previous period ({previous})").format(
                sign=sign, change=QLocale().toString(abs(figure.change)), previous=QLocale().toString(figure.previous))

        total = summary.total_members
        self.cards["total"].show_figure(total, self.tr("{sign}{change} since the start of the range").format(
            sign="+" if total.change >= 0 else "−", change=QLocale().toString(abs(total.change))))
        self.cards["new"].show_figure(summary.new_members, change(summary.new_members))
        self.cards["active"].show_figure(summary.active_members, change(summary.active_members))
        self.cards["activities"].show_figure(summary.activities, change(summary.activities))
        if summary.without_activity:
            self.cards["total"].change.setText(self.cards["total"].change.text() + "\n" + self.tr(
                "Not counted: {count} members with no activity yet").format(
                count=QLocale().toString(summary.without_activity)))

    def summary_figures(self) -> list[tuple[str, str]]:
        return [(card.caption.text(), f"{card.value.text()}\n{card.change.text()}") for card in self.cards.values()]

    # -- export ----------------------------------------------------------------

    @Slot(object, str)
    def _export_chart(self, panel: ChartPanel, kind: str) -> None:
        if not self._when_counted(lambda: self._export_chart(panel, kind)):
            return
        chart_type = type(panel.chart)
        name = panel.chart.key.replace("_", "-")
        try:
            if kind == EXPORT_COPY:
                export.copy_image(chart_type, self.data)
                return
            if kind == EXPORT_PNG:
                size = ImageSizeDialog(self)
                if size.exec() != QDialog.DialogCode.Accepted:
                    return
                path = self._ask_path(name, "png", self.tr("PNG images (*.png)"))
                if path:
                    export.save_png(path, chart_type, self.data, size.width_box.value(), size.scale_box.currentData())
            elif kind == EXPORT_SVG:
                path = self._ask_path(name, "svg", self.tr("SVG drawings (*.svg)"))
                if path:
                    export.save_svg(path, chart_type, self.data)
            elif kind == EXPORT_CSV:
                path = self._ask_path(name, "csv", self.tr("CSV files (*.csv)"))
                if path:
                    headers, rows = panel.chart.table()
                    tables.write_csv(path, headers, rows)
        except OSError as error:
            QMessageBox.warning(self, self.tr("Export failed"), str(error))

    def _ask_path(self, name: str, suffix: str, filter_text: str) -> str:
        suggested = str(Path.home() / f"ahoy-{name}.{suffix}")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), suggested, filter_text)
        if path and not path.lower().endswith(f".{suffix}"):
            path += f".{suffix}"
        return path

    @Slot()
    def export_report(self, path: str | None = None) -> None:
        if not path:
            path = self._ask_path("dashboard", "pdf", self.tr("PDF documents (*.pdf)"))
            if not path:
                return
        if not self._when_counted(lambda: self.export_report(path)):
            return
        session = self.context.session
        workspace = Path(session.path).name if session is not None else ""
        try:
            export.save_pdf_report(path, self.data, list(CHART_TYPES), workspace=workspace,
                                   account=self.account_box.currentText(), range_text=self.range_text(),
                                   figures=self.summary_figures())
        except OSError as error:
            QMessageBox.warning(self, self.tr("Export failed"), str(error))
