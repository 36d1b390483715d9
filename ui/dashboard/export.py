"""Charts as files: PNG at a chosen size, SVG, the clipboard, and the whole dashboard as a PDF report.

Every export draws a fresh copy of the chart, laid out off screen at the
size asked for, so a chart the user never scrolled to, or one the window
shows small, exports just as well.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QGuiApplication, QImage, QPageLayout, QPageSize, QPainter, QPalette, QPdfWriter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QWidget

from ahoy_desktop.dashboard.queries import DashboardData
from ahoy_desktop.private_files import make_private

from ..theme import light_palette
from .charts import Chart
from .panel import ChartPanel

ASPECT = 0.55  # height as a share of width
DEFAULT_WIDTH = 1200
DEFAULT_SCALE = 2
PDF_DPI = 150
PDF_CHART_WIDTH = 760  # drawn at this width, then scaled to the page: text stays readable in print
MIN_WIDTH = 600  # narrower, a chart's legend and notes no longer fit


def tr(text: str) -> str:
    return QCoreApplication.translate("DashboardExport", text)


def offscreen_panel(chart_type: type[Chart], data: DashboardData, size: QSize,
                    palette: QPalette | None = None) -> ChartPanel:
    """A new panel for ``chart_type`` drawn from ``data``, laid out at ``size`` and never put on screen.

    In the window's colours, or in ``palette`` (paper wants the light ones).
    """
    chart = chart_type()
    chart.exporting = True
    panel = ChartPanel(chart, with_menu=False)
    if palette is not None:
        panel.setPalette(palette)
    panel.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    panel.resize(size)
    panel.show()
    panel.set_data(data)
    QApplication.sendPostedEvents()
    panel.layout().activate()
    return panel


def _render(chart_type: type[Chart], data: DashboardData, size: QSize, painter: QPainter,
            palette: QPalette | None = None) -> None:
    panel = offscreen_panel(chart_type, data, size, palette)
    try:
        panel.render(painter, QPoint(0, 0), renderFlags=QWidget.RenderFlag.DrawChildren
                     | QWidget.RenderFlag.DrawWindowBackground)
    finally:
        panel.hide()
        panel.setParent(None)


def chart_image(chart_type: type[Chart], data: DashboardData, width: int = DEFAULT_WIDTH,
                scale: float = DEFAULT_SCALE) -> QImage:
    """The chart as an image of ``width × scale`` pixels across (sharp on high-density screens and in print)."""
    size = QSize(width, round(width * ASPECT))
    image = QImage(round(size.width() * scale), round(size.height() * scale), QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(scale)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    try:
        _render(chart_type, data, size, painter)
    finally:
        painter.end()
    return image


def save_png(path: str | Path, chart_type: type[Chart], data: DashboardData, width: int = DEFAULT_WIDTH,
             scale: float = DEFAULT_SCALE) -> None:
    if not chart_image(chart_type, data, width, scale).save(str(path), "PNG"):
        raise OSError(tr("The image could not be written to {path}.").format(path=path))
    make_private(path)


def save_svg(path: str | Path, chart_type: type[Chart], data: DashboardData, width: int = DEFAULT_WIDTH) -> None:
    size = QSize(width, round(width * ASPECT))
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(chart_type().title())
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError(tr("The drawing could not be written to {path}.").format(path=path))
    try:
        _render(chart_type, data, size, painter)
    finally:
        painter.end()
    make_private(path)


def copy_image(chart_type: type[Chart], data: DashboardData) -> None:
    QGuiApplication.clipboard().setImage(chart_image(chart_type, data))


def save_pdf_report(path: str | Path, data: DashboardData, chart_types: list[type[Chart]], *, workspace: str,
                    account: str, range_text: str, figures: list[tuple[str, str]]) -> None:
    """Title, workspace, account, range and summary figures on the first page; then two charts a page.

    The charts are drawn in the light colours whatever the window's: a report is read on white paper.
    """
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setTitle(tr("Ahoy Desktop dashboard"))
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(tr("The report could not be written to {path}.").format(path=path))
    try:
        page = writer.pageLayout().paintRectPixels(writer.resolution())
        width = page.width()
        y = _draw_heading(painter, width, workspace, account, range_text, figures)
        paper = light_palette()
        chart_width = PDF_CHART_WIDTH
        chart_height = round(chart_width * ASPECT)
        scale = width / chart_width
        for chart_type in chart_types:
            if y + chart_height * scale > page.height():
                writer.newPage()
                y = 0
            painter.save()
            painter.translate(0, y)
            painter.scale(scale, scale)
            _render(chart_type, data, QSize(chart_width, chart_height), painter, paper)
            painter.restore()
            y += chart_height * scale + 20
    finally:
        painter.end()
    make_private(path)


def _draw_heading(painter: QPainter, width: int, workspace: str, account: str, range_text: str,
                  figures: list[tuple[str, str]]) -> float:
    title_font = QFont()
    title_font.setPointSizeF(20)
    title_font.setBold(True)
    painter.setFont(title_font)
    line = painter.fontMetrics().height()
    painter.drawText(QRectF(0, 0, width, line * 1.5), tr("Ahoy Desktop — community dashboard"))
    body = QFont()
    body.setPointSizeF(10)
    painter.setFont(body)
    small = painter.fontMetrics().height() * 1.4
    y = line * 1.8
    for label, value in ((tr("Workspace"), workspace), (tr("Account"), account), (tr("Range"), range_text)):
        painter.drawText(QRectF(0, y, width, small), f"{label}: {value}")
        y += small
    y += small * 0.5
    column = width / max(len(figures), 1)
    for index, (label, value) in enumerate(figures):
        painter.drawText(QRectF(index * column, y, column - small, small * 5), int(Qt.TextFlag.TextWordWrap),
                         f"{label}\n{value}")
    return y + small * 5.5
