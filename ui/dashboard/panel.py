"""A chart in its frame: title, a note on how to read it, the chart or its empty message, hover line."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMenu, QStackedWidget, QToolButton, QVBoxLayout

from ahoy_desktop.dashboard.queries import DashboardData

from .charts import Chart
from .style import tr

PAGE_MESSAGE, PAGE_CHART = 0, 1
EXPORT_PNG, EXPORT_SVG, EXPORT_CSV, EXPORT_COPY = "png", "svg", "csv", "copy"


class ChartPanel(QFrame):
    """Shows one ``Chart``; its export menu asks the tab (which knows the data) to export.

    Its height does not follow its content (the tab gives it one), so a
    longer legend or note takes room from the chart inside the panel instead
    of moving every other panel on the page.
    """

    export_requested = Signal(object, str)  # (panel, one of EXPORT_*)
    painted = Signal()  # the chart or its message was painted since its data was last set

    def __init__(self, chart: Chart, parent=None, *, with_menu: bool = True):
        super().__init__(parent)
        self.chart = chart
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.insertWidget(PAGE_MESSAGE, self.message)
        self.stack.insertWidget(PAGE_CHART, chart)
        self.hover = QLabel()
        self.hover.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        chart.hover_text.connect(self.hover.setText)

        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addStretch(1)
        if with_menu:
            self.export_button = QToolButton()
            self.export_button.setText(tr("Export"))
            self.export_button.setAccessibleName(tr("Export {chart}").format(chart=chart.title()))
            self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            menu = QMenu(self.export_button)
            for text, kind in ((tr("Save as PNG image…"), EXPORT_PNG), (tr("Save as SVG…"), EXPORT_SVG),
                               (tr("Save numbers as CSV…"), EXPORT_CSV), (tr("Copy image"), EXPORT_COPY)):
                menu.addAction(text, lambda kind=kind: self.export_requested.emit(self, kind))
            self.export_button.setMenu(menu)
            header.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.note)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.hover)
        self.title.setText(chart.title())
        self.show_message(tr("Loading…"))
        self._awaiting_paint = False
        for surface in (self.message, *chart.surfaces()):
            surface.installEventFilter(self)

    def hasHeightForWidth(self) -> bool:
        return False

    def set_data(self, data: DashboardData) -> None:
        self.chart.set_data(data)
        self.title.setText(self.chart.title())
        note = self.chart.note()
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.hover.clear()
        self._awaiting_paint = True
        if self.chart.is_empty():
            self.show_message(self.chart.empty_text())
            self.message.update()  # painted even when the same message stays
        else:
            self.stack.setCurrentIndex(PAGE_CHART)

    @property
    def on_screen(self) -> bool:
        """Whether any of the panel can be seen now (a panel scrolled away or on a hidden tab is not)."""
        return self.isVisible() and not self.visibleRegion().isEmpty()

    def eventFilter(self, watched, event: QEvent) -> bool:
        if self._awaiting_paint and event.type() == QEvent.Type.Paint and watched.isVisible():
            self._awaiting_paint = False
            self.painted.emit()
        return False

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentIndex(PAGE_MESSAGE)

    @property
    def showing_chart(self) -> bool:
        return self.stack.currentIndex() == PAGE_CHART

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()
        super().changeEvent(event)

    @Slot()
    def _restyle(self) -> None:
        self.chart.apply_palette(self.palette())
