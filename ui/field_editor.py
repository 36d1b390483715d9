"""One editable profile field, and the small rounded labels the member pane uses.

A value typed into a field is *manual*: the editor marks it so ("edited by
hand") and offers the way back to X's value, for built-in and custom fields alike.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from ahoy_desktop.member_fields import MemberField

ERROR_STYLE = "QLabel { color: #d9534f; }"  # readable on light and dark backgrounds


class Tag(QLabel):
    """A small rounded label ("edited by hand", "estimated"), drawn in the palette's colours.

    Painted by hand rather than with a style sheet: style sheets make every
    timeline entry slower to lay out, and the timeline has many.
    """

    def __init__(self, text: str, tooltip: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        small = QFont(self.font())
        small.setPointSizeF(small.pointSizeF() * 0.85)
        self.setFont(small)
        self.setContentsMargins(6, 1, 6, 1)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setToolTip(tooltip)
        self.setAccessibleName(text)
        self.setAccessibleDescription(tooltip)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        rect = self.rect().adjusted(0, 0, -1, -1)
        radius = rect.height() / 2
        painter.drawRoundedRect(rect, radius, radius)
        painter.end()
        super().paintEvent(event)



class FieldEditor(QWidget):
    """One profile field: its value, whether it was typed by hand, and the way back to X's value."""

    edited = Signal(str, str)  # field key, text typed
    revert_requested = Signal(str)  # field key

    def __init__(self, member_field: MemberField, parent: QWidget | None = None, *, translated: bool = True):
        """``translated``: the label is a built-in field's, shown in the user's language (a custom name as is)."""
        super().__init__(parent)
        self.key = member_field.key
        self.label = (QCoreApplication.translate("member_fields", member_field.label) if translated
                      else member_field.label)
        self.edit = QLineEdit()
        self.edit.setAccessibleName(self.label)
        self.edit.editingFinished.connect(self._finished)
        self.tag = Tag(self.tr("edited by hand"), self.tr("Syncs will not overwrite this value"))
        self.revert = QToolButton()
        self.revert.setText(self.tr("Use X's value"))
        self.revert.setAutoRaise(True)
        self.revert.setAccessibleName(self.tr("Use X's value for %1").replace("%1", self.label))
        self.revert.clicked.connect(lambda: self.revert_requested.emit(self.key))
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.tag)
        row.addWidget(self.revert)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self._shown = ""

    def set_value(self, value, manual: bool, x_value) -> None:
        text = "" if value is None else str(value)
        if not (self.edit.hasFocus() and self.edit.isModified()):  # never under the user's fingers
            self.edit.setText(text)
            self.edit.setCursorPosition(0)
            self.edit.setModified(False)
        self._shown = text
        self.tag.setVisible(manual)
        self.revert.setVisible(manual)
        if x_value in (None, ""):
            self.revert.setToolTip(self.tr("X has no value for this field: going back to it empties the field."))
        else:
            self.revert.setToolTip(self.tr("Go back to X's value: %1").replace("%1", str(x_value)))
        self.show_error("")

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    @Slot()
    def _finished(self) -> None:
        if not self.edit.isModified():
            return
        if self.edit.text().strip() == self._shown.strip():
            self.edit.setModified(False)
            return
        self.edited.emit(self.key, self.edit.text())
