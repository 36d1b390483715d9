"""The filter bar above the members table: stage, account, kind, last active, tags, field conditions, segments.

The bar only builds a ``MemberFilter`` (plain data) and says when it
changed; the table runs it in SQL. A filter can be saved as a named segment
and picked again from the segment list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QDate, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop import member_columns, segments
from ahoy_desktop.accounts import active_accounts
from ahoy_desktop.db.models import Account, Stage
from ahoy_desktop.member_fields import DATE, NUMBER, TEXT, YES_NO
from ahoy_desktop.member_filters import (
    ABOVE,
    AFTER,
    BEFORE,
    BELOW,
    CONTAINS,
    EQUALS,
    IS_EMPTY,
    NEEDS_VALUE,
    NO_STAGE,
    NOT_A_DAY,
    NOT_A_NUMBER,
    NOT_EMPTY,
    NOT_YES_NO,
    UNKNOWN_FIELD,
    UNKNOWN_TEST,
    FieldCondition,
    MemberFilter,
    condition_problem,
    tests_for,
)
from ahoy_desktop.notes_tags import all_tags
from ahoy_desktop.scores import known_kinds
from ahoy_desktop.search import normalized
from ahoy_desktop.segments import Segment, SegmentError

from .texts import kind_label

# Last-active choices: (active within days, inactive for days, from day, to day); RANGE asks for the days.
ACTIVE_CHOICES = [(None, None, None, None), (7, None, None, None), (30, None, None, None), (90, None, None, None),
                  (None, 30, None, None), (None, 90, None, None)]
RANGE = "range"
_KIND_TYPES = {member_columns.INT_KIND: NUMBER, member_columns.REAL_KIND: NUMBER, member_columns.DAY_KIND: DATE,
               member_columns.YES_NO_KIND: YES_NO}


def operator_label(operator: str) -> str:
    return {
        CONTAINS: QCoreApplication.translate("filters", "contains"),
        EQUALS: QCoreApplication.translate("filters", "is"),
        ABOVE: QCoreApplication.translate("filters", "is above"),
        BELOW: QCoreApplication.translate("filters", "is below"),
        BEFORE: QCoreApplication.translate("filters", "is before"),
        AFTER: QCoreApplication.translate("filters", "is after"),
        IS_EMPTY: QCoreApplication.translate("filters", "is empty"),
        NOT_EMPTY: QCoreApplication.translate("filters", "is not empty"),
    }[operator]


def problem_text(problem: str, value: str) -> str:
    """Why a condition cannot be used, in words."""
    tr = QCoreApplication.translate
    return {
        NEEDS_VALUE: tr("filters", "Type a value to test against."),
        NOT_A_NUMBER: tr("filters", "“%1” is not a number: write it in digits, like 1200."),
        NOT_A_DAY: tr("filters", "“%1” is not a day."),
        NOT_YES_NO: tr("filters", "Choose yes or no."),
        UNKNOWN_FIELD: tr("filters", "This field no longer exists."),
        UNKNOWN_TEST: tr("filters", "Choose a test."),
    }.get(problem, tr("filters", "This condition cannot be used.")).replace("%1", value)


class ChoiceButton(QToolButton):
    """A button with a menu of checkable choices; its text says how many are picked."""

    changed = Signal()

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMenu(QMenu(self))
        self._update_text()

    def set_choices(self, choices: list[tuple[object, str]]) -> None:
        picked = set(self.picked())
        self.menu().clear()
        for value, label in choices:
            action = QAction(label, self.menu())
            action.setCheckable(True)
            action.setChecked(value in picked)
            action.setData(value)
            action.toggled.connect(self._toggled)
            self.menu().addAction(action)
        self._update_text()

    def picked(self) -> list:
        return [a.data() for a in self.menu().actions() if a.isChecked()]

    def set_picked(self, values) -> None:
        values = set(values)
        for action in self.menu().actions():
            action.blockSignals(True)
            action.setChecked(action.data() in values)
            action.blockSignals(False)
        self._update_text()

    def action_for(self, value) -> QAction | None:
        return next((a for a in self.menu().actions() if a.data() == value), None)

    @Slot()
    def _toggled(self) -> None:
        self._update_text()
        self.changed.emit()

    def _update_text(self) -> None:
        count = len(self.picked())
        self.setText(self.title if not count else f"{self.title} ({count})")


class ConditionDialog(QDialog):
    """Asks for one field condition: a field, a test that fits its type, a value; refuses one that cannot run."""

    def __init__(self, columns: list[tuple[str, str, str]], parent: QWidget | None = None):
        """``columns`` are (field key, title, field type) triples."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a field condition"))
        self.field = QComboBox()
        for key, title, field_type in columns:
            self.field.addItem(title, (key, field_type))
        self.operator = QComboBox()
        self.value = QLineEdit()
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.yes_no = QComboBox()
        self.yes_no.addItem(self.tr("Yes"), "yes")
        self.yes_no.addItem(self.tr("No"), "no")
        self.values = QStackedWidget()
        for editor in (self.value, self.day, self.yes_no):
            self.values.addWidget(editor)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("QLabel { color: #d9534f; }")
        self.error.hide()
        self.field.currentIndexChanged.connect(self._field_changed)
        self.operator.currentIndexChanged.connect(self._operator_changed)
        form = QFormLayout()
        form.addRow(self.tr("Field"), self.field)
        form.addRow(self.tr("Test"), self.operator)
        form.addRow(self.tr("Value"), self.values)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._field_changed()

    def _field_type(self) -> str:
        data = self.field.currentData()
        return data[1] if data else TEXT

    @Slot()
    def _field_changed(self) -> None:
        field_type = self._field_type()
        self.operator.blockSignals(True)
        self.operator.clear()
        for operator in tests_for(field_type):
            self.operator.addItem(operator_label(operator), operator)
        self.operator.blockSignals(False)
        self.values.setCurrentWidget(self.day if field_type == DATE else self.yes_no if field_type == YES_NO
                                     else self.value)
        self._operator_changed()

    @Slot()
    def _operator_changed(self) -> None:
        self.values.setEnabled(self.operator.currentData() not in (IS_EMPTY, NOT_EMPTY))
        self.error.hide()

    def condition(self) -> FieldCondition:
        key = (self.field.currentData() or ("", TEXT))[0]
        operator = self.operator.currentData() or ""
        field_type = self._field_type()
        if operator in (IS_EMPTY, NOT_EMPTY):
            value = ""
        elif field_type == DATE:
            value = self.day.date().toString("yyyy-MM-dd")
        elif field_type == YES_NO:
            value = self.yes_no.currentData()
        else:
            value = self.value.text().strip()
        return FieldCondition(key, operator, value)

    def accept(self) -> None:
        condition = self.condition()
        problem = condition_problem(condition)
        if problem is not None:
            self.error.setText(problem_text(problem, condition.value))
            self.error.show()
            return
        super().accept()


class ActiveRangeDialog(QDialog):
    """Asks for the days a member's last activity falls between (both included)."""

    def __init__(self, first: QDate, last: QDate, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Last active between"))
        self.first, self.last = QDateEdit(first), QDateEdit(last)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.error = QLabel(self.tr("The first day comes after the last."))
        self.error.setStyleSheet("QLabel { color: #d9534f; }")
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("From"), self.first)
        form.addRow(self.tr("To"), self.last)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def days(self) -> tuple[str, str]:
        return self.first.date().toString("yyyy-MM-dd"), self.last.date().toString("yyyy-MM-dd")

    def accept(self) -> None:
        if self.first.date() > self.last.date():
            self.error.show()
            return
        super().accept()


class MemberFilterBar(QWidget):
    filter_changed = Signal(object)  # MemberFilter
    segment_picked = Signal(object)  # Segment: its filter is shown; the tab takes its search too

    def __init__(self, now_source: Callable[[], datetime], search_source: Callable[[], str],
                 parent: QWidget | None = None):
        """``now_source`` dates saved segments; ``search_source`` gives the search a segment keeps."""
        super().__init__(parent)
        self._now_source, self._search_source = now_source, search_source
        self._filter = MemberFilter()
        self._titles: dict[str, str] = {}
        self._types: dict[str, str] = {}
        self._title_overrides: dict[str, str] = {"x_handle": self.tr("Handle")}
        self.segment = QComboBox()
        self.segment.setAccessibleName(self.tr("Segment"))
        self.segment.activated.connect(self._segment_activated)
        self.segment_menu_button = QToolButton()
        self.segment_menu_button.setText(self.tr("Segments"))
        self.segment_menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.segment_menu_button)
        self.save_action = menu.addAction(self.tr("Save as segment…"), self._ask_save)
        self.update_action = menu.addAction(self.tr("Update segment with this filter"), self._update_segment)
        self.rename_action = menu.addAction(self.tr("Rename segment…"), self._ask_rename)
        self.delete_action = menu.addAction(self.tr("Delete segment"), self._ask_delete)
        self.segment_menu_button.setMenu(menu)
        menu.aboutToShow.connect(self._update_buttons)  # the search may have changed since

        self.stages = ChoiceButton(self.tr("Stage"))
        self.accounts = ChoiceButton(self.tr("Account"))
        self.kinds = ChoiceButton(self.tr("Activity"))
        self.tags = ChoiceButton(self.tr("Tags"))
        self.active = QComboBox()
        self.active.setAccessibleName(self.tr("Last active"))
        for choice in ACTIVE_CHOICES:
            self.active.addItem(self._active_label(*choice), choice)
        self.active.addItem(self.tr("Between dates…"), RANGE)
        self._active_choice = ACTIVE_CHOICES[0]
        self.add_condition = QPushButton(self.tr("Add condition…"))
        self.add_condition.clicked.connect(self._ask_condition)
        self.conditions_box = QHBoxLayout()
        self.clear_button = QPushButton(self.tr("Clear filters"))
        self.clear_button.clicked.connect(self.clear)
        for button in (self.stages, self.accounts, self.kinds, self.tags):
            button.changed.connect(self._parts_changed)
        self.active.currentIndexChanged.connect(self._active_changed)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Segment:")))
        layout.addWidget(self.segment)
        layout.addWidget(self.segment_menu_button)
        for widget in (self.stages, self.accounts, self.kinds, self.active, self.tags, self.add_condition):
            layout.addWidget(widget)
        layout.addLayout(self.conditions_box)
        layout.addStretch(1)
        layout.addWidget(self.clear_button)
        self._update_buttons()

    def _active_label(self, within: int | None, inactive: int | None, first: str | None = None,
                      last: str | None = None) -> str:
        if within is not None:
            return self.tr("Active in the last %n day(s)", "", within)
        if inactive is not None:
            return self.tr("Inactive for %n day(s)", "", inactive)
        if first and last:
            return self.tr("Active %1 to %2").replace("%1", first).replace("%2", last)
        if first:
            return self.tr("Active since %1").replace("%1", first)
        if last:
            return self.tr("Active until %1").replace("%1", last)
        return self.tr("Any time")

    def _select_active(self, choice: tuple) -> None:
        """Show a last-active choice in the box (a range gets an entry of its own) without announcing it."""
        self.active.blockSignals(True)
        index = self.active.findData(choice)
        if index < 0:
            index = self.active.count() - 1  # before "Between dates…"
            self.active.insertItem(index, self._active_label(*choice), choice)
        self.active.setCurrentIndex(index)
        self.active.blockSignals(False)
        self._active_choice = choice

    @Slot(int)
    def _active_changed(self, index: int) -> None:
        if self.active.itemData(index) == RANGE:
            self._ask_range()
            return
        self._active_choice = self.active.itemData(index)
        self._parts_changed()

    def _ask_range(self) -> None:
        today = QDate.currentDate()
        _within, _inactive, first, last = self._active_choice
        dialog = ActiveRangeDialog(QDate.fromString(first, "yyyy-MM-dd") if first else today.addDays(-30),
                                   QDate.fromString(last, "yyyy-MM-dd") if last else today, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_active_range(*dialog.days())
        else:
            self._select_active(self._active_choice)  # back to what was chosen

    def set_active_range(self, first: str, last: str) -> None:
        """Members last active between these days (ISO, both included)."""
        self._select_active((None, None, first, last))
        self._parts_changed()

    # -- what the workspace offers ---------------------------------------------------

    def populate(self) -> None:
        """Read the choices of the open workspace: stages, accounts, kinds, tags, fields, segments."""
        stages = [(s.id, s.name) for s in Stage.select().order_by(Stage.min_points)]
        self.stages.set_choices([*stages, (NO_STAGE, self.tr("No stage"))])
        accounts = {a.id: a for a in Account.select().order_by(Account.username)}
        active = {a.id for a in active_accounts()}
        self.accounts.set_choices([(i, f"@{a.username}" if i in active else self.tr("@%1 (disconnected)")
                                    .replace("%1", a.username)) for i, a in accounts.items()])
        self.kinds.set_choices([(k, kind_label(k, 2)) for k in known_kinds()])
        self.tags.set_choices([(tag, f"{tag} ({count})") for tag, count in all_tags()])
        columns = member_columns.all_columns()
        self._titles = {c.key: c.header for c in columns}
        self._types = {c.key: _KIND_TYPES.get(c.kind, TEXT) for c in columns}
        self._reload_segments()
        self._show_conditions()

    def set_field_titles(self, titles: dict[str, str]) -> None:
        """The translated names of the fields, as the table's headers show them."""
        self._title_overrides.update(titles)
        self._show_conditions()

    def _title(self, key: str) -> str:
        return self._title_overrides.get(key) or self._titles.get(key, key)

    def _reload_segments(self, select_id: int | None = None) -> None:
        current = select_id if select_id is not None else self.segment.currentData()
        self.segment.blockSignals(True)
        self.segment.clear()
        self.segment.addItem(self.tr("All members"), None)
        for saved in segments.list_segments():
            self.segment.addItem(saved.name, saved.id)
        index = self.segment.findData(current) if current is not None else 0
        self.segment.setCurrentIndex(max(index, 0))
        self.segment.blockSignals(False)
        self._update_buttons()

    # -- the filter ---------------------------------------------------------------------------

    def member_filter(self) -> MemberFilter:
        return self._filter

    def set_filter(self, member_filter: MemberFilter) -> None:
        """Show a filter (a segment picked) and announce it."""
        self._show(member_filter)
        self._changed()

    def _show(self, member_filter: MemberFilter) -> None:
        self._filter = member_filter
        self.stages.set_picked(member_filter.stages)
        self.accounts.set_picked(member_filter.accounts)
        self.kinds.set_picked(member_filter.kinds)
        self.tags.set_picked(member_filter.tags)
        self._select_active((member_filter.active_within_days, member_filter.inactive_for_days,
                             member_filter.active_from, member_filter.active_to))
        self._show_conditions()

    @Slot()
    def clear(self) -> None:
        self.segment.setCurrentIndex(0)
        self.set_filter(MemberFilter())

    @Slot()
    def _parts_changed(self) -> None:
        within, inactive, first, last = self._active_choice
        self._filter = replace(self._filter, stages=tuple(self.stages.picked()),
                               accounts=tuple(self.accounts.picked()), kinds=tuple(self.kinds.picked()),
                               tags=tuple(self.tags.picked()), active_within_days=within, inactive_for_days=inactive,
                               active_from=first, active_to=last)
        self._changed()

    def add_condition_of(self, condition: FieldCondition) -> None:
        self._filter = replace(self._filter, conditions=(*self._filter.conditions, condition))
        self._show_conditions()
        self._changed()

    def remove_condition(self, index: int) -> None:
        conditions = list(self._filter.conditions)
        del conditions[index]
        self._filter = replace(self._filter, conditions=tuple(conditions))
        self._show_conditions()
        self._changed()

    def _show_conditions(self) -> None:
        while self.conditions_box.count():
            widget = self.conditions_box.takeAt(0).widget()
            if widget is not None:
                widget.setParent(None)
        for i, condition in enumerate(self._filter.conditions):
            text = f"{self._title(condition.field)} {operator_label(condition.operator)}"
            if condition.operator not in (IS_EMPTY, NOT_EMPTY):
                text += f" “{condition.value}”"
            chip = QToolButton()
            chip.setText(text + "  ✕")
            chip.setToolTip(self.tr("Remove this condition"))
            chip.clicked.connect(lambda _checked=False, index=i: self.remove_condition(index))
            self.conditions_box.addWidget(chip)

    def _changed(self) -> None:
        self._update_buttons()
        self.filter_changed.emit(self._filter)

    def _update_buttons(self) -> None:
        chosen = self.segment.currentData() is not None
        self.save_action.setEnabled(bool(self._filter) or bool(normalized(self._search_source())))
        for action in (self.update_action, self.rename_action, self.delete_action):
            action.setEnabled(chosen)
        self.clear_button.setEnabled(bool(self._filter) or chosen)

    @Slot()
    def _ask_condition(self) -> None:
        fields = [(key, self._title(key), self._types.get(key, TEXT)) for key in self._titles
                  if key not in ("stage", "score", "activity", "last_active", "first_seen", "accounts", "tags",
                                 "handle", "name")]
        fields = [("name", self._title("name"), TEXT), ("x_handle", self._title("x_handle"), TEXT), *fields]
        dialog = ConditionDialog(fields, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_condition_of(dialog.condition())

    # -- segments -------------------------------------------------------------------------

    @Slot(int)
    def _segment_activated(self, index: int) -> None:
        segment_id = self.segment.itemData(index)
        if segment_id is None:
            self.set_filter(MemberFilter())
            return
        saved = segments.get_segment(segment_id)
        if saved is not None:
            self.pick_segment(saved)

    def pick_segment(self, saved: Segment) -> None:
        self.segment.setCurrentIndex(max(self.segment.findData(saved.id), 0))
        self._show(saved.filter)
        self._update_buttons()
        self.segment_picked.emit(saved)
        self.filter_changed.emit(self._filter)

    def save_segment(self, name: str, now, search: str = "") -> Segment:
        """Save the filter shown under a new name; SegmentError says why not."""
        saved = segments.create_segment(name, self._filter, now, search)
        self._reload_segments(saved.id)
        return saved

    def rename_segment(self, name: str, now) -> Segment:
        saved = segments.rename_segment(self.segment.currentData(), name, now)
        self._reload_segments(saved.id)
        return saved

    def delete_segment(self) -> None:
        segments.delete_segment(self.segment.currentData())
        self._reload_segments()
        self.segment.setCurrentIndex(0)
        self._update_buttons()

    @Slot()
    def _ask_save(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save as segment"), self.tr("Segment name:"))
        if ok:
            self._try(lambda: self.save_segment(name, self._now_source(), self._search_source()))

    @Slot()
    def _update_segment(self) -> None:
        self._try(lambda: segments.update_segment(self.segment.currentData(), self._filter, self._now_source(),
                                                  self._search_source()))

    @Slot()
    def _ask_rename(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Rename segment"), self.tr("New name:"),
                                        text=self.segment.currentText())
        if ok:
            self._try(lambda: self.rename_segment(name, self._now_source()))

    @Slot()
    def _ask_delete(self) -> None:
        answer = QMessageBox.question(self, self.tr("Delete segment"), self.tr(
            "Delete the segment “%1”? The members stay; only the saved filter goes.").replace(
            "%1", self.segment.currentText()))
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_segment()

    def _try(self, action) -> None:
        try:
            action()
        except SegmentError as exc:
            QMessageBox.warning(self, self.tr("Segments"), str(exc))

