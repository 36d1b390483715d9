"""Round avatars drawn from initials, in a colour that stays the same for a handle.

The app works offline and X's picture URLs expire, so it never fetches an
image: initials on a stable colour still let people tell accounts apart at a
glance, on light and dark themes alike (white text on mid-tone colours).
"""

from __future__ import annotations

import zlib

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

PALETTE = [
    "#2563eb", "#7c3aed", "#db2777", "#dc2626", "#ea580c", "#ca8a04",
    "#16a34a", "#0d9488", "#0891b2", "#4f46e5", "#9333ea", "#be123c",
]


def initials(name: str, handle: str = "") -> str:
    """First and last word's first letters ("Twitter Dev" gives "TD"), else the handle's first letter."""
    words = [w for w in name.split() if w[:1].isalnum()]
    if len(words) >= 2:
        return (words[0][0] + words[-1][0]).upper()
    if words:
        return words[0][0].upper()
    return handle.lstrip("@")[:1].upper() or "?"


def avatar_color(handle: str) -> QColor:
    """A colour picked by a checksum of the handle: the same on every run and machine."""
    key = handle.lstrip("@").lower().encode("utf-8")
    return QColor(PALETTE[zlib.crc32(key) % len(PALETTE)])


def avatar_pixmap(name: str, handle: str, size: int, ratio: float = 1.0) -> QPixmap:
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(avatar_color(handle or name))
        rect = QRectF(0, 0, size, size)
        painter.drawEllipse(rect)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(max(8, round(size * 0.38)))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, initials(name, handle))
    finally:
        painter.end()
    return pixmap


class Avatar(QLabel):
    """A fixed-size round avatar for a person or account."""

    def __init__(self, name: str = "", handle: str = "", size: int = 48, parent: QWidget | None = None):
        super().__init__(parent)
        self._size = size
        self.setFixedSize(size, size)
        self.set_person(name, handle)

    def set_person(self, name: str, handle: str) -> None:
        self._person = (name, handle)
        self.setPixmap(avatar_pixmap(name, handle, self._size, self.devicePixelRatioF()))
        self.setAccessibleName(self.tr("Avatar of %1").replace("%1", name or handle))
