"""Colours and small drawing helpers shared by the dashboard's charts."""

from __future__ import annotations

import math
from datetime import date, datetime

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, Qt, QTime, QTimeZone
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ahoy_desktop.dashboard.periods import WEEK, Bucket

# Okabe-Ito colours: told apart by colour-blind readers, legible on light and dark backgrounds.
KIND_COLOURS = {
    "mention": "#0072B2",
    "reply": "#E69F00",
    "quote": "#009E73",
    "like": "#CC79A7",
    "retweet": "#D55E00",
}
OTHER_COLOURS = ("#56B4E9", "#F0E442", "#999999")
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
ESTIMATED_FILL_ALPHA = 70
SWATCH_SIZE = 14


def tr(text: str) -> str:
    return QCoreApplication.translate("Dashboard", text)


def tr_n(text: str, count: int, one: str) -> str:
    """A text in the form the language needs for ``count`` (the number itself goes in with ``format``).

    A translation gives each language its own plural forms. English is the
    source language, so without a translation ``text`` (the plural) would
    say "1 activities": then ``one``, the English singular, is used for 1.
    """
    translated = QCoreApplication.translate("Dashboard", text, "", count)
    if count == 1 and translated == text:
        return QCoreApplication.translate("Dashboard", one, "", count)
    return translated


def kind_colour(kind: str, all_kinds: list[str]) -> QColor:
    if kind in KIND_COLOURS:
        return QColor(KIND_COLOURS[kind])
    others = [k for k in all_kinds if k not in KIND_COLOURS]
    index = others.index(kind) if kind in others else 0
    return QColor(OTHER_COLOURS[index % len(OTHER_COLOURS)])


def estimated_brushes(colour: QColor) -> tuple[QColor, QBrush]:
    """A lighter fill and a hatch on top: how a time Ahoy had to estimate is drawn everywhere."""
    fill = QColor(colour)
    fill.setAlpha(ESTIMATED_FILL_ALPHA)
    return fill, QBrush(colour, Qt.BrushStyle.BDiagPattern)


def swatch(colour: QColor, estimated: bool = False, line: bool = False) -> QPixmap:
    pixmap = QPixmap(SWATCH_SIZE, SWATCH_SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    if line:
        painter.setPen(pg.mkPen(colour, width=3))
        painter.drawLine(0, SWATCH_SIZE // 2, SWATCH_SIZE, SWATCH_SIZE // 2)
    elif estimated:
        fill, hatch = estimated_brushes(colour)
        painter.fillRect(pixmap.rect(), fill)
        painter.fillRect(pixmap.rect(), hatch)
        painter.setPen(colour)
        painter.drawRect(pixmap.rect().adjusted(0, 0, -1, -1))
    else:
        painter.fillRect(pixmap.rect(), colour)
    painter.end()
    return pixmap


def legend_entry(label: str, colour: QColor, estimated: bool = False, line: bool = False) -> QWidget:
    entry = QWidget()
    row = QHBoxLayout(entry)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    icon = QLabel()
    icon.setPixmap(swatch(colour, estimated, line))
    row.addWidget(icon)
    text = QLabel(label)
    text.setObjectName("legendText")
    row.addWidget(text)
    return entry


def apply_plot_palette(plot: pg.PlotWidget, palette: QPalette) -> None:
    """Background, axes and text from the widget's palette, so charts follow light and dark schemes."""
    plot.setBackground(palette.color(QPalette.ColorRole.Base))
    foreground = palette.color(QPalette.ColorRole.Text)
    for name in ("left", "bottom", "right"):
        axis = plot.getPlotItem().getAxis(name)
        axis.setPen(pg.mkPen(foreground))
        axis.setTextPen(pg.mkPen(foreground))


def nice_step(maximum: float) -> float:
    """A whole-number tick spacing of 1, 2 or 5 × 10ⁿ giving about five ticks."""
    raw = max(maximum / 5, 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def qdatetime(moment: datetime) -> QDateTime:
    """A local QDateTime for an aware datetime, keeping its wall-clock reading."""
    return QDateTime(qdate(moment.date()), QTime(moment.hour, moment.minute),
                     QTimeZone(int(moment.utcoffset().total_seconds())))


def short_label(label: date | datetime) -> str:
    """How a bucket is named under its bar: an hour or a day."""
    if isinstance(label, datetime):
        return QLocale().toString(qdatetime(label), tr("HH:mm"))
    return QLocale().toString(qdate(label), tr("d MMM"))


def long_label(bucket: Bucket, unit: str) -> str:
    """How a bucket is named in a tooltip; the first or last week of a range says when it is only part of one."""
    label = bucket.label
    if isinstance(label, datetime):
        return QLocale().toString(qdatetime(label), tr("d MMM yyyy, HH:mm"))
    text = QLocale().toString(qdate(label), QLocale.FormatType.LongFormat)
    if unit != WEEK:
        return text
    if bucket.days < 7:
        last = QLocale().toString(qdate(bucket.last_day), QLocale.FormatType.LongFormat)
        return tr_n("Part of a week: {first} – {last} ({count} days)", bucket.days,
                    "Part of a week: {first} ({count} day)").format(first=text, last=last, count=bucket.days)
    return tr("Week of {day}").format(day=text)


def number(value: int) -> str:
    return QLocale().toString(value)
