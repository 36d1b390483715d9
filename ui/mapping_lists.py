"""The two columns of the Data Mapping tab, as drag and drop lists.

An X field is dragged from the left list onto a member field on the right
to map it; a mapped member field is dragged back onto the left to unmap it.
The lists only report what the user asked for (signals); the tab decides
whether a drop is allowed and keeps the pending mapping.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

X_FIELD_MIME = "application/x-ahoy-x-field"
MEMBER_FIELD_MIME = "application/x-ahoy-member-field"
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


def mime_key(mime: QMimeData, kind: str) -> str | None:
    if not mime.hasFormat(kind):
        return None
    return bytes(mime.data(kind).data()).decode("utf-8") or None


def key_mime(kind: str, key: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(kind, key.encode("utf-8"))
    return mime


class _FieldTree(QTreeWidget):
    """A flat list with columns whose items carry a field key, dragged as ``drag_kind``."""

    drag_kind = ""
    map_requested = Signal()  # Enter: map the selected X field onto the selected member field

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.LinkAction)

    def mimeTypes(self) -> list[str]:
        return [self.drag_kind]

    def mimeData(self, items) -> QMimeData:
        keys = [item.data(0, KEY_ROLE) for item in items if item.data(0, KEY_ROLE)]
        return key_mime(self.drag_kind, keys[0] if keys else "")

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.LinkAction | Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def key_of(self, item: QTreeWidgetItem | None) -> str | None:
        return item.data(0, KEY_ROLE) if item is not None else None

    def selected_key(self) -> str | None:
        items = self.selectedItems()
        return self.key_of(items[0]) if items else None

    def item_for(self, key: str) -> QTreeWidgetItem | None:
        for row in range(self.topLevelItemCount()):
            item = self.topLevelItem(row)
            if item.data(0, KEY_ROLE) == key:
                return item
        return None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in ENTER_KEYS:
            self.map_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class XFieldList(_FieldTree):
    """The left column: X fields. Accepts a member field dropped back onto it (unmap)."""

    drag_kind = X_FIELD_MIME
    unmap_requested = Signal(str)  # member field key

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if mime_key(event.mimeData(), MEMBER_FIELD_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        key = mime_key(event.mimeData(), MEMBER_FIELD_MIME)
        if key is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.unmap_requested.emit(key)


class MemberFieldList(_FieldTree):
    """The right column: member fields. An X field dropped on one maps it; Delete unmaps."""

    drag_kind = MEMBER_FIELD_MIME
    drop_requested = Signal(str, str)  # X field key, member field key
    unmap_requested = Signal(str)  # member field key
    hover_refused = Signal(str)  # why the field under the pointer cannot take the dragged X field
    drop_refused = Signal(str)  # why a dropped X field was not mapped

    def __init__(self, refusal: Callable[[str, str], str | None], parent: QWidget | None = None):
        super().__init__(parent)
        self._refusal = refusal

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if mime_key(event.mimeData(), X_FIELD_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        x_key = mime_key(event.mimeData(), X_FIELD_MIME)
        member_key = self.key_of(self.itemAt(event.position().toPoint()))
        if x_key is None or member_key is None:
            event.ignore()
            return
        reason = self._refusal(x_key, member_key)
        if reason:
            self.hover_refused.emit(reason)
            event.ignore()
            return
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        x_key = mime_key(event.mimeData(), X_FIELD_MIME)
        member_key = self.key_of(self.itemAt(event.position().toPoint()))
        if x_key is None or member_key is None:
            event.ignore()
            return
        reason = self._refusal(x_key, member_key)
        if reason:
            event.ignore()
            self.drop_refused.emit(reason)
            return
        event.acceptProposedAction()
        self.drop_requested.emit(x_key, member_key)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in DELETE_KEYS:
            key = self.selected_key()
            if key:
                self.unmap_requested.emit(key)
            event.accept()
            return
        super().keyPressEvent(event)
