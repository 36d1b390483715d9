"""The Data Mapping tab: drag an X field onto a member field to fill it on every sync.

Each X field is shown with a real value from this workspace (the most active
member who has it), so the user maps in terms of people they know. Edits stay
pending, with a preview on five members, until Save; saving re-applies the
changed entries to every member on a worker thread, so a large workspace
never freezes the window, and can be cancelled.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale, Qt, QThread, Signal, Slot
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop.changes import Changes
from ahoy_desktop.clock import parse_iso
from ahoy_desktop.db.models import database_proxy
from ahoy_desktop.mapping import (
    ALWAYS,
    FILL_EMPTY,
    FieldMapping,
    MappingError,
    changed_entries,
    load_mapping,
    reapply_all,
    refusal,
    save_mapping,
)
from ahoy_desktop.mapping_view import (
    Example,
    PreviewMember,
    example_values,
    member_fields,
    preview_members,
    preview_values,
)
from ahoy_desktop.member_fields import MemberField
from ahoy_desktop.xfields import X_FIELDS, X_FIELDS_BY_KEY, XField

from .background import BackgroundQuery
from .context import AppContext
from .mapping_lists import KEY_ROLE, MemberFieldList, XFieldList

log = logging.getLogger(__name__)

COL_X_FIELD, COL_EXAMPLE = 0, 1
COL_MEMBER_FIELD, COL_SOURCE, COL_RULE = 0, 1, 2
COL_PREVIEW_MEMBER = 0
RULES = (ALWAYS, FILL_EMPTY)
PREVIEW_COLUMN_MAX = 260


@dataclass(frozen=True)
class MappingData:
    """What the tab shows, read on a worker thread."""

    saved: list[FieldMapping]
    fields: list[MemberField]
    examples: dict[str, Example]
    preview: list[PreviewMember]


def load_mapping_data() -> MappingData:
    return MappingData(load_mapping(), member_fields(), example_values([f.key for f in X_FIELDS]),
                       preview_members())


class ReapplyThread(QThread):
    """Re-applies mapping entries to every member; talks to the tab only through signals."""

    progressed = Signal(int, int)  # done, total
    succeeded = Signal(int, bool)  # values changed, whether it ran to the end
    failed = Signal(str)

    def __init__(self, entries: list[FieldMapping], now: datetime, parent=None):
        super().__init__(parent)
        self._entries, self._now = entries, now
        self.cancel_event = threading.Event()

    def run(self) -> None:
        try:
            with database_proxy.connection_context():
                changed = reapply_all(self._entries, self._now, progress=self.progressed.emit,
                                      cancel=self.cancel_event)
        except Exception as exc:  # a bug or a vanished file: log it, tell the tab
            log.exception("re-applying the mapping failed")
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.succeeded.emit(changed, not self.cancel_event.is_set())


class MappingTab(QWidget):
    reapply_finished = Signal(bool)  # True when every member was updated

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.saved: list[FieldMapping] = []
        self.pending: list[FieldMapping] = []
        self.fields: list[MemberField] = []
        self.examples: dict[str, Example] = {}
        self.preview: list[PreviewMember] = []
        self.custom_fields_dialog = None
        self._reapply: ReapplyThread | None = None
        self._query = BackgroundQuery(self)
        self._query.finished.connect(self._show)
        self._query.failed.connect(self._show_failure)
        self._build()
        context.workspace_opened.connect(self.refresh)
        context.workspace_closing.connect(self._workspace_closing)
        context.changed.connect(self._on_changed)
        self.refresh()

    # -- building --------------------------------------------------------------

    def _build(self) -> None:
        self.explanation = QLabel(self.tr(
            "Drag an X field onto a member field to fill it from each member's X profile on every sync; "
            "drag it back, or select the member field and press Delete, to stop. With the keyboard, select "
            "an X field and a member field and press Map (or Enter). Values typed by hand in a member's "
            "profile are never overwritten."))
        self.explanation.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()

        self.x_list = XFieldList()
        self.x_list.setHeaderLabels([self.tr("X field"), self.tr("Example in this workspace")])
        self.x_list.setAccessibleName(self.tr("X fields"))
        self.x_list.setAccessibleDescription(self.tr(
            "Fields X gives about a person. Drag one onto a member field, or select it and a member field "
            "and press Enter."))
        self.member_list = MemberFieldList(refusal)
        self.member_list.setHeaderLabels([self.tr("Member field"), self.tr("Source"), self.tr("When X changes")])
        self.member_list.setAccessibleName(self.tr("Member fields"))
        self.member_list.setAccessibleDescription(self.tr(
            "Member fields and the X field that fills each. Drop an X field on one to map it; "
            "press Delete to unmap the selected one."))
        for tree in (self.x_list, self.member_list):
            tree.header().setStretchLastSection(True)
            tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
            tree.map_requested.connect(self.map_selected)
        header = self.member_list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_SOURCE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_RULE, QHeaderView.ResizeMode.ResizeToContents)
        self.member_list.drop_requested.connect(self.map_field)
        self.member_list.drop_refused.connect(self._show_message)
        self.member_list.hover_refused.connect(self._show_message)
        self.member_list.unmap_requested.connect(self.unmap_field)
        self.x_list.unmap_requested.connect(self.unmap_field)
        self.x_list.itemSelectionChanged.connect(self._update_buttons)
        self.member_list.itemSelectionChanged.connect(self._update_buttons)

        self.map_button = QPushButton(self.tr("Map"))
        self.map_button.setToolTip(self.tr("Fill the selected member field from the selected X field"))
        self.map_button.clicked.connect(self.map_selected)
        self.unmap_button = QPushButton(self.tr("Unmap"))
        self.unmap_button.setToolTip(self.tr("Stop filling the selected member field from X (Delete)"))
        self.unmap_button.clicked.connect(self._unmap_selected)
        self.custom_fields_button = QPushButton(self.tr("Custom fields…"))
        self.custom_fields_button.clicked.connect(self.open_custom_fields)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Mapping message"))
        self.message.hide()

        self.preview_table = QTableWidget(0, 1)
        self.preview_table.setAccessibleName(self.tr("Preview"))
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.verticalHeader().hide()
        self.preview_table.setShowGrid(False)
        self.preview_table.setAlternatingRowColors(True)
        self.preview_table.setWordWrap(False)
        self.preview_table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.preview_title = QLabel(self.tr("Preview: what X would give five of your most active members"))

        self.unsaved = QLabel(self.tr("Unsaved changes"))
        font = self.unsaved.font()
        font.setBold(True)
        self.unsaved.setFont(font)
        self.unsaved.hide()
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Revert"))
        self.revert_button.setToolTip(self.tr("Discard the changes not saved yet"))
        self.revert_button.clicked.connect(self.revert)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Updating members"))
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel_reapply)
        self.cancel_button.hide()

        lists = QHBoxLayout()
        lists.addWidget(self.x_list, 2)
        middle = QVBoxLayout()
        middle.addStretch(1)
        middle.addWidget(self.map_button)
        middle.addWidget(self.unmap_button)
        middle.addStretch(1)
        lists.addLayout(middle)
        lists.addWidget(self.member_list, 3)
        actions = QHBoxLayout()
        actions.addWidget(self.custom_fields_button)
        actions.addStretch(1)
        actions.addWidget(self.progress, 1)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.unsaved)
        actions.addWidget(self.revert_button)
        actions.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.status)
        layout.addLayout(lists, 3)
        layout.addWidget(self.message)
        layout.addWidget(self.preview_title)
        layout.addWidget(self.preview_table, 1)
        layout.addLayout(actions)
        self._update_buttons()

    # -- loading -------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._query.busy

    @property
    def reapplying(self) -> bool:
        return self._reapply is not None

    @property
    def dirty(self) -> bool:
        return set(self.pending) != set(self.saved)

    @Slot()
    def refresh(self) -> None:
        if self.context.session is None:
            self._show(MappingData([], [], {}, []))
            return
        self._query.run(load_mapping_data)

    def shutdown(self, msecs: int = -1) -> bool:
        """Wait for work still running (before closing the window, or in tests)."""
        done = True
        if self._reapply is not None:
            done = self._reapply.wait() if msecs < 0 else self._reapply.wait(msecs)
        return self._query.wait(msecs) and done

    @Slot(object)
    def _on_changed(self, changes: Changes) -> None:
        if changes.members_added or changes.members_updated or changes.mapping_changed:
            self.refresh()

    @Slot()
    def _workspace_closing(self) -> None:
        self._query.cancel()
        self._query.wait()
        if self._reapply is not None:
            self._reapply.cancel_event.set()
            self._reapply.wait()

    @Slot(str)
    def _show_failure(self, message: str) -> None:
        self.status.setText(self.tr("The mapping could not be read: {message}").format(message=message))
        self.status.show()

    @Slot(object)
    def _show(self, data: MappingData) -> None:
        keep_edits = self.dirty
        self.status.hide()
        self.fields, self.examples, self.preview = data.fields, data.examples, data.preview
        known = {f.key for f in self.fields}
        self.saved = [m for m in data.saved if m.member_field in known and m.x_field in X_FIELDS_BY_KEY]
        if keep_edits:
            self.pending = [m for m in self.pending if m.member_field in known]
        else:
            self.pending = list(self.saved)
        self._fill_x_list()
        self._show_pending()

    # -- the left column -------------------------------------------------------

    def _fill_x_list(self) -> None:
        selected = self.x_list.selected_key()
        self.x_list.clear()
        grey = QBrush(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        for field in X_FIELDS:
            label = self.tr(field.label)
            example = self.examples.get(field.key)
            item = QTreeWidgetItem([label, ""])
            item.setData(0, KEY_ROLE, field.key)
            if example is None:
                item.setText(COL_EXAMPLE, self.tr("not in this workspace's data"))
                for column in (COL_X_FIELD, COL_EXAMPLE):
                    item.setForeground(column, grey)
                description = self.tr("Unavailable: no member in this workspace has it yet.")
            else:
                text = self.example_text(field, example)
                item.setText(COL_EXAMPLE, text)
                who = example.member_name or self.tr("a member")
                item.setToolTip(COL_EXAMPLE, self.tr(
                    "{value}\nFrom {member}, the most active member with this field.").format(value=text, member=who))
                description = self.tr("Example: {value}, from {member}").format(value=text, member=who)
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, self.tr("X field {name}").format(name=label))
            item.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole, description)
            self.x_list.addTopLevelItem(item)
        if selected and (item := self.x_list.item_for(selected)):
            item.setSelected(True)

    # -- the right column and the preview ---------------------------------------

    def _show_pending(self) -> None:
        selected = self.member_list.selected_key()
        self.member_list.clear()
        sources = {m.member_field: m for m in self.pending}
        for field in self.fields:
            item = QTreeWidgetItem(["", ""])
            item.setData(0, KEY_ROLE, field.key)
            self.member_list.addTopLevelItem(item)
            self._describe(item, field)
            entry = sources.get(field.key)
            if entry is not None:
                self.member_list.setItemWidget(item, COL_RULE, self._rule_combo(field, entry.rule))
        if selected and (item := self.member_list.item_for(selected)):
            item.setSelected(True)
        self._show_preview()
        self._update_buttons()

    def _label(self, field: MemberField) -> str:
        return self.tr(field.label) if field.builtin else field.label

    def _describe(self, item: QTreeWidgetItem, field: MemberField) -> None:
        """A member field's texts: its source (or an invitation to drop one), marked while unsaved."""
        label = self._label(field)
        entry = next((m for m in self.pending if m.member_field == field.key), None)
        saved = next((m for m in self.saved if m.member_field == field.key), None)
        grey = QBrush(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        if entry is None:
            item.setText(COL_SOURCE, self.tr("drop an X field here"))
            item.setForeground(COL_SOURCE, grey)
            description = self.tr("Not filled from X.")
        else:
            source = self.tr(X_FIELDS_BY_KEY[entry.x_field].label)
            item.setText(COL_SOURCE, source)
            item.setForeground(COL_SOURCE, self.palette().text())
            description = self.tr("Filled from the X field {source}: {rule}").format(
                source=source, rule=self.rule_text(entry.rule))
        font = QFont(self.member_list.font())
        if saved != entry:
            font.setItalic(True)
            item.setText(COL_MEMBER_FIELD, self.tr("{name} (unsaved)").format(name=label))
            description += " " + self.tr("Not saved yet.")
        else:
            item.setText(COL_MEMBER_FIELD, label)
        for column in (COL_MEMBER_FIELD, COL_SOURCE):
            item.setFont(column, font)
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole, self.tr("Member field {name}").format(name=label))
        item.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole, description)

    def _rule_combo(self, field: MemberField, rule: str) -> QComboBox:
        combo = QComboBox()
        for value in RULES:
            combo.addItem(self.rule_text(value), value)
        combo.setCurrentIndex(RULES.index(rule) if rule in RULES else 0)
        combo.setAccessibleName(self.tr("Overwrite rule for {name}").format(name=self._label(field)))
        combo.currentIndexChanged.connect(lambda _i, key=field.key, c=combo: self.set_rule(key, c.currentData()))
        return combo

    def rule_combo(self, member_field: str) -> QComboBox | None:
        item = self.member_list.item_for(member_field)
        return self.member_list.itemWidget(item, COL_RULE) if item is not None else None

    def _show_preview(self) -> None:
        types = {f.key: f.type for f in self.fields}
        labels = {f.key: self._label(f) for f in self.fields}
        columns = [m.member_field for m in self.pending if m.member_field in types]
        table = self.preview_table
        table.clear()
        table.setColumnCount(1 + len(columns))
        table.setHorizontalHeaderLabels([self.tr("Member"), *[labels[c] for c in columns]])
        table.setRowCount(len(self.preview))
        for row, member in enumerate(self.preview):
            values = preview_values(member.user, self.pending, types)
            table.setItem(row, COL_PREVIEW_MEMBER, QTableWidgetItem(member.name or self.tr("(no name)")))
            for offset, key in enumerate(columns, start=1):
                value = values.get(key)
                if value is None:
                    text = "—"
                elif isinstance(value, int) and not isinstance(value, bool):
                    text = QLocale().toString(value)
                else:
                    text = " ".join(str(value).split())
                table.setItem(row, offset, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        for column in range(table.columnCount()):
            table.setColumnWidth(column, min(table.columnWidth(column), PREVIEW_COLUMN_MAX))
        rows = sum(table.rowHeight(r) for r in range(table.rowCount())) or table.verticalHeader().defaultSectionSize()
        chrome = table.horizontalHeader().height() + table.horizontalScrollBar().sizeHint().height()
        table.setMinimumHeight(rows + chrome + 2 * table.frameWidth())

    def preview_rows(self) -> list[dict[str, str]]:
        """The preview as the user reads it: a dict per member, keyed by column header."""
        table = self.preview_table
        headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        return [{headers[c]: table.item(r, c).text() for c in range(table.columnCount())}
                for r in range(table.rowCount())]

    # -- editing ---------------------------------------------------------------

    @Slot(str, str)
    def map_field(self, x_field: str, member_field: str) -> bool:
        """Map ``x_field`` onto ``member_field`` (pending until Save); say why not when it can't."""
        reason = refusal(x_field, member_field)
        if reason:
            self._show_message(self.tr(reason))
            return False
        old = next((m for m in self.pending if m.member_field == member_field), None)
        rule = old.rule if old is not None else ALWAYS
        entry = FieldMapping(x_field, member_field, rule)
        self.pending = [entry if m.member_field == member_field else m for m in self.pending]
        if old is None:
            self.pending.append(entry)
        self._hide_message()
        self._show_pending()
        return True

    @Slot(str)
    def unmap_field(self, member_field: str) -> None:
        if not any(m.member_field == member_field for m in self.pending):
            return
        self.pending = [m for m in self.pending if m.member_field != member_field]
        self._hide_message()
        self._show_pending()

    def set_rule(self, member_field: str, rule: str) -> None:
        self.pending = [FieldMapping(m.x_field, m.member_field, rule) if m.member_field == member_field else m
                        for m in self.pending]
        # Not rebuilt: the combo that called this must live on.
        item = self.member_list.item_for(member_field)
        field = next((f for f in self.fields if f.key == member_field), None)
        if item is not None and field is not None:
            self._describe(item, field)
        self._show_preview()
        self._update_buttons()

    @Slot()
    def map_selected(self) -> None:
        x_field, member_field = self.x_list.selected_key(), self.member_list.selected_key()
        if not x_field or not member_field:
            self._show_message(self.tr("Select an X field on the left and a member field on the right first."))
            return
        self.map_field(x_field, member_field)

    @Slot()
    def _unmap_selected(self) -> None:
        if key := self.member_list.selected_key():
            self.unmap_field(key)

    @Slot()
    def revert(self) -> None:
        self.pending = list(self.saved)
        self._hide_message()
        self._show_pending()

    @Slot(str)
    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _hide_message(self) -> None:
        self.message.clear()
        self.message.hide()

    def _update_buttons(self) -> None:
        dirty = self.dirty
        self.unsaved.setVisible(dirty)
        self.save_button.setEnabled(dirty and not self.reapplying)
        self.revert_button.setEnabled(dirty)
        self.map_button.setEnabled(bool(self.x_list.selected_key() and self.member_list.selected_key()))
        selected = self.member_list.selected_key()
        self.unmap_button.setEnabled(any(m.member_field == selected for m in self.pending))

    # -- saving ----------------------------------------------------------------

    @Slot()
    def save(self) -> None:
        if self.reapplying or not self.dirty:
            return
        old, new = list(self.saved), list(self.pending)
        try:
            save_mapping(new)
        except MappingError as exc:
            self._show_message(self.tr("The mapping was not saved: {reason}").format(reason=exc))
            return
        self.saved = new
        self._show_pending()
        changed = changed_entries(old, new)
        if not changed:
            self._finish_save(True)
            return
        self._reapply = ReapplyThread(changed, self.context.clock.now(), self)
        self._reapply.progressed.connect(self._on_progress)
        self._reapply.succeeded.connect(self._on_reapplied)
        self._reapply.failed.connect(self._on_reapply_failed)
        self.progress.setRange(0, 0)
        self.progress.setFormat(self.tr("Updating members… %v of %m"))
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self._show_message(self.tr("Saved. Updating every member with the new mapping…"))
        self._update_buttons()
        self._reapply.start()

    @Slot()
    def cancel_reapply(self) -> None:
        if self._reapply is not None:
            self._reapply.cancel_event.set()
            self.cancel_button.setEnabled(False)

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    @Slot(int, bool)
    def _on_reapplied(self, changed: int, completed: bool) -> None:
        if completed:
            self._show_message(self.tr("Saved. Every member was updated ({count} values changed).").format(
                count=QLocale().toString(changed)))
        else:
            self._show_message(self.tr(
                "Saved. Updating was stopped: some members keep their old values until the next sync."))
        self._finish_save(completed)

    @Slot(str)
    def _on_reapply_failed(self, message: str) -> None:
        self._show_message(self.tr(
            "The mapping was saved, but updating the members failed: {message}. "
            "The next sync applies it.").format(message=message))
        self._finish_save(False)

    def _finish_save(self, completed: bool) -> None:
        if self._reapply is not None:
            self._reapply.wait()
            self._reapply.deleteLater()
            self._reapply = None
        self.progress.hide()
        self.cancel_button.hide()
        self._update_buttons()
        self.context.notify(Changes(mapping_changed=True))
        self.reapply_finished.emit(completed)

    # -- custom fields ---------------------------------------------------------

    @Slot()
    def open_custom_fields(self) -> None:
        from .custom_fields_dialog import CustomFieldsDialog

        if self.custom_fields_dialog is None:
            self.custom_fields_dialog = CustomFieldsDialog(self.context.clock, self)
            self.custom_fields_dialog.fields_changed.connect(self._custom_fields_changed)
        self.custom_fields_dialog.reload()
        self.custom_fields_dialog.open()

    @Slot()
    def _custom_fields_changed(self) -> None:
        # A deleted field takes its mapping with it, so the other tabs hear of it too.
        self.context.notify(Changes(mapping_changed=True))

    # -- texts -----------------------------------------------------------------

    def rule_text(self, rule: str | None) -> str | None:
        if rule == ALWAYS:
            return self.tr("Always update from X")
        if rule == FILL_EMPTY:
            return self.tr("Only fill when empty")
        return rule

    def example_text(self, field: XField, example: Example | None) -> str | None:
        """The example as the user would read it: numbers and dates in their locale, one line."""
        if example is None:
            return None
        value, kind = example.value, field.kind
        locale = QLocale()
        if isinstance(value, bool):
            return self.tr("Yes") if value else self.tr("No")
        if kind == "number" and isinstance(value, int):
            return locale.toString(value)
        if kind == "date" and isinstance(value, str):
            return self._date_text(value, locale)
        return " ".join(str(value).split())

    @staticmethod
    def _date_text(value: str, locale: QLocale) -> str:
        try:
            moment: datetime = parse_iso(value)
        except ValueError:
            return value
        local = QDateTime.fromSecsSinceEpoch(int(moment.timestamp())).toLocalTime()
        return locale.toString(local.date(), QLocale.FormatType.LongFormat)
