"""A member's custom fields in the profile: every one shown, each editable like a built-in field.

A value typed is checked against the field's type and stored as manual
("edited by hand"), so no sync overwrites it; "Use X's value" hands the field
back to the mapping. The fields are the workspace's: the box is rebuilt when
they change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QFormLayout, QGroupBox, QWidget

from ahoy_desktop.custom_fields import (
    CustomFieldError,
    CustomValue,
    member_custom_values,
    set_custom_value_by_hand,
    use_x_custom_value,
)
from ahoy_desktop.member_fields import CHOICE, DATE, NUMBER, URL, YES_NO, MemberField

from .field_editor import FieldEditor


class CustomFieldsBox(QGroupBox):
    """The custom fields of the member shown; ``saved`` tells that a value was typed or handed back to X."""

    saved = Signal(int)  # member id

    def __init__(self, now_source: Callable[[], datetime], parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("Custom fields"))
        self._now = now_source
        self._form = QFormLayout(self)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.editors: dict[str, FieldEditor] = {}
        self._shape: list[tuple[str, str, str, tuple[str, ...]]] = []
        self._values: dict[str, CustomValue] = {}
        self.member_id: int | None = None
        self.hide()

    def show_member(self, member_id: int, raw_x_user: dict | None) -> None:
        """Show this member's values of every custom field (the box hides when the workspace has none)."""
        self.member_id = member_id
        values = member_custom_values(member_id, raw_x_user)
        shape = [(v.key, v.name, v.type, v.choices) for v in values]
        if shape != self._shape:
            self._rebuild(values)
        self._values = {v.key: v for v in values}
        for value in values:
            self.editors[value.key].set_value(self._shown(value, value.value), value.manual,
                                              self._shown(value, value.x_value))
        self.setVisible(bool(values))

    def _rebuild(self, values: list[CustomValue]) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)
        self.editors = {}
        for value in values:
            editor = FieldEditor(MemberField(value.key, value.name, value.type, builtin=False), translated=False)
            editor.edit.setPlaceholderText(self._hint(value))
            editor.edited.connect(self._save)
            editor.revert_requested.connect(self._use_x_value)
            self.editors[value.key] = editor
            self._form.addRow(value.name, editor)
        self._shape = [(v.key, v.name, v.type, v.choices) for v in values]

    def _shown(self, value: CustomValue, stored: str | None) -> str | None:
        if stored is not None and value.type == YES_NO and stored in ("true", "false"):
            return self.tr("yes") if stored == "true" else self.tr("no")
        return stored

    def _hint(self, value: CustomValue) -> str:
        if value.type == DATE:
            return self.tr("A date, like 2026-12-03")
        if value.type == NUMBER:
            return self.tr("A number, like 12 or 3.5")
        if value.type == YES_NO:
            return self.tr("yes or no")
        if value.type == CHOICE:
            return self.tr("One of: %1").replace("%1", ", ".join(value.choices))
        if value.type == URL:
            return self.tr("A web address, like https://example.com")
        return ""

    def _problem(self, value: CustomValue) -> str:
        if value.type == DATE:
            return self.tr("%1 must be a date, like 2026-12-03.").replace("%1", value.name)
        if value.type == NUMBER:
            return self.tr("%1 must be a number, like 12 or 3.5.").replace("%1", value.name)
        if value.type == YES_NO:
            return self.tr("%1 must be yes or no.").replace("%1", value.name)
        if value.type == CHOICE:
            return self.tr("%1 must be one of: %2.").replace("%1", value.name).replace("%2", ", ".join(value.choices))
        if value.type == URL:
            return self.tr("%1 must be a web address starting with https://.").replace("%1", value.name)
        return self.tr("%1 cannot hold this value.").replace("%1", value.name)

    @Slot(str, str)
    def _save(self, key: str, text: str) -> None:
        editor, value = self.editors.get(key), self._values.get(key)
        if self.member_id is None or editor is None or value is None:
            return
        try:
            set_custom_value_by_hand(self.member_id, key, text, self._now())
        except CustomFieldError:
            editor.show_error(self._problem(value))
            return
        editor.edit.setModified(False)
        self.saved.emit(self.member_id)

    @Slot(str)
    def _use_x_value(self, key: str) -> None:
        if self.member_id is None:
            return
        use_x_custom_value(self.member_id, key, self._now())
        self.saved.emit(self.member_id)
