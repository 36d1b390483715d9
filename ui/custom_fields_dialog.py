"""The Custom fields dialog: the member fields a workspace adds to the built-in ones.

A custom field keeps its key for life, so renaming keeps its values and its
mapping; deleting removes both, which is why the dialog asks first and says
how many members would lose a value.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop.clock import Clock
from ahoy_desktop.custom_fields import (
    TYPES,
    CustomFieldError,
    create_custom_field,
    custom_fields,
    delete_custom_field,
    members_with_value,
    rename_custom_field,
)
from ahoy_desktop.member_fields import CHOICE, DATE, NUMBER, TEXT, URL, YES_NO

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class CustomFieldsDialog(QDialog):
    fields_changed = Signal()

    def __init__(self, clock: Clock, parent: QWidget | None = None):
        super().__init__(parent)
        self.clock = clock
        self.setWindowTitle(self.tr("Custom fields"))
        self._build()
        self.reload()

    def type_label(self, field_type: str) -> str:
        labels = {TEXT: self.tr("Text"), NUMBER: self.tr("Number"), DATE: self.tr("Date"),
                  URL: self.tr("Web address (URL)"), YES_NO: self.tr("Yes or no"), CHOICE: self.tr("One of a list")}
        return labels.get(field_type, field_type)

    def _build(self) -> None:
        intro = QLabel(self.tr(
            "Custom fields are member fields of your own. X fields can fill them on the Data Mapping tab, "
            "or you can type values in a member's profile."))
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Custom fields"))
        self.list.currentItemChanged.connect(self._selected)
        self.empty = QLabel(self.tr("No custom fields yet."))

        self.rename_edit = QLineEdit()
        self.rename_edit.setAccessibleName(self.tr("New name for the selected field"))
        self.rename_edit.returnPressed.connect(self.rename_selected)
        self.rename_button = QPushButton(self.tr("Rename"))
        self.rename_button.clicked.connect(self.rename_selected)
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.clicked.connect(self.delete_selected)
        selected_row = QHBoxLayout()
        selected_row.addWidget(self.rename_edit, 1)
        selected_row.addWidget(self.rename_button)
        selected_row.addWidget(self.delete_button)

        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(self.tr("Name of the new field"))
        self.type_combo = QComboBox()
        self.type_combo.setAccessibleName(self.tr("Type of the new field"))
        for field_type in TYPES:
            self.type_combo.addItem(self.type_label(field_type), field_type)
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self.choices_edit = QPlainTextEdit()
        self.choices_edit.setAccessibleName(self.tr("Choices, one per line"))
        self.choices_edit.setPlaceholderText(self.tr("One choice per line"))
        self.choices_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 5)
        self.choices_label = QLabel(self.tr("Choices:"))
        self.create_button = QPushButton(self.tr("Add field"))
        self.create_button.clicked.connect(self.create_field)
        new_box = QGroupBox(self.tr("New field"))
        form = QFormLayout(new_box)
        form.addRow(self.tr("Name:"), self.name_edit)
        form.addRow(self.tr("Type:"), self.type_combo)
        form.addRow(self.choices_label, self.choices_edit)
        form.addRow("", self.create_button)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Error"))
        font = self.error.font()
        font.setBold(True)
        self.error.setFont(font)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addLayout(selected_row)
        layout.addWidget(new_box)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._type_changed()
        self._selected()

    # -- state -----------------------------------------------------------------

    def reload(self, select_key: str | None = None) -> None:
        select_key = select_key or self.selected_key()
        self.list.clear()
        for field in custom_fields():
            item = QListWidgetItem(self.tr("{name} — {type}").format(name=field.name, type=self.type_label(field.type)))
            item.setData(KEY_ROLE, field.key)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, field.name)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, self.type_label(field.type))
            self.list.addItem(item)
            if field.key == select_key:
                self.list.setCurrentItem(item)
        self.empty.setVisible(self.list.count() == 0)
        self._selected()

    def selected_key(self) -> str | None:
        item = self.list.currentItem()
        return item.data(KEY_ROLE) if item is not None else None

    def field_names(self) -> list[str]:
        return [self.list.item(row).data(Qt.ItemDataRole.AccessibleTextRole) for row in range(self.list.count())]

    @Slot()
    def _selected(self, *_args) -> None:
        item = self.list.currentItem()
        has = item is not None
        self.rename_edit.setEnabled(has)
        self.rename_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.rename_edit.setText(item.data(Qt.ItemDataRole.AccessibleTextRole) if has else "")

    @Slot()
    def _type_changed(self, *_args) -> None:
        is_choice = self.type_combo.currentData() == CHOICE
        self.choices_edit.setVisible(is_choice)
        self.choices_label.setVisible(is_choice)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    # -- actions ---------------------------------------------------------------

    @Slot()
    def create_field(self) -> None:
        field_type = self.type_combo.currentData()
        choices = self.choices_edit.toPlainText().splitlines() if field_type == CHOICE else None
        try:
            field = create_custom_field(self.name_edit.text(), field_type, self.clock.now(), choices)
        except CustomFieldError as exc:
            self._show_error(self.tr("The field was not added: {reason}").format(reason=exc))
            return
        self._clear_error()
        self.name_edit.clear()
        self.choices_edit.clear()
        self.reload(field.key)
        self.fields_changed.emit()

    @Slot()
    def rename_selected(self) -> None:
        key = self.selected_key()
        if key is None:
            return
        try:
            rename_custom_field(key, self.rename_edit.text())
        except CustomFieldError as exc:
            self._show_error(self.tr("The field was not renamed: {reason}").format(reason=exc))
            return
        self._clear_error()
        self.reload(key)
        self.fields_changed.emit()

    @Slot()
    def delete_selected(self) -> None:
        key = self.selected_key()
        if key is None:
            return
        name = self.list.currentItem().data(Qt.ItemDataRole.AccessibleTextRole)
        holders = members_with_value(key)
        if holders:
            detail = self.tr("{count} members have a value in it, and those values will be deleted too.").format(
                count=QLocale().toString(holders))
        else:
            detail = self.tr("No member has a value in it.")
        answer = QMessageBox.question(
            self, self.tr("Delete custom field"),
            self.tr("Delete the field “{name}”? {detail} Any mapping that fills it is removed.").format(
                name=name, detail=detail),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        delete_custom_field(key)
        self._clear_error()
        self.reload()
        self.fields_changed.emit()
