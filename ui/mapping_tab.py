"""The Mapping tab: which X profile field fills which member field, read-only.

Each X field is shown with a real value from this workspace (the most active
member who has it), so the user sees what a sync will write in terms of
people they know. Finding those values can read many members, so it runs on
a worker thread like the dashboard's counts.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
        QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop.changes import Changes
from ahoy_desktop.clock import parse_iso
from ahoy_desktop.mapping import ALWAYS, FILL_EMPTY
from ahoy_desktop.mapping_view import MappingRow, mapping_rows

from .context import AppContext
from .dashboard_tab import BackgroundQuery

COL_X_FIELD, COL_MEMBER_FIELD, COL_RULE, COL_EXAMPLE = 0, 1, 2, 3
COLUMN_PADDING = 24
COLUMN_COUNT = 4


class MappingTab(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.rows: list[MappingRow] = []
        self._query = BackgroundQuery(self)
        self._query.finished.connect(self._show)
        self._query.failed.connect(self._show_failure)
        self._build()
        context.workspace_opened.connect(self.refresh)
        context.workspace_closing.connect(self._workspace_closing)
        context.changed.connect(self._on_changed)
        self.refresh()

    def _build(self) -> None:
        self.explanation = QLabel(self.tr(
            "On every sync, these fields of each member's X profile fill in the member's fields. "
            "Values typed by hand in a member's profile are never overwritten."))
        self.explanation.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        self.table = QTableWidget(0, COLUMN_COUNT)
        headers = {COL_X_FIELD: self.tr("X field"), COL_MEMBER_FIELD: self.tr("Member field"),
                   COL_RULE: self.tr("Rule"), COL_EXAMPLE: self.tr("Example in this workspace")}
        self.table.setHorizontalHeaderLabels([headers[c] for c in range(COLUMN_COUNT)])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)

    # -- loading -------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._query.busy

    @Slot()
    def refresh(self) -> None:
        if self.context.session is None:
            self._show([])
            return
        self._query.run(mapping_rows)

    def shutdown(self, msecs: int = -1) -> bool:
        """Wait for a lookup still running (before closing the window, or in tests)."""
        return self._query.wait(msecs)

    @Slot(object)
    def _on_changed(self, changes: Changes) -> None:
        if changes.members_added or changes.members_updated or changes.mapping_changed:
            self.refresh()

    @Slot()
    def _workspace_closing(self) -> None:
        self._query.cancel()
        self._query.wait()

    @Slot(str)
    def _show_failure(self, message: str) -> None:
        self.status.setText(self.tr("The example values could not be read: {message}").format(message=message))
        self.status.show()

    # -- showing ---------------------------------------------------------------

    @Slot(object)
    def _show(self, rows: list[MappingRow]) -> None:
        self.rows = rows
        self.status.hide()
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            self._set(index, COL_X_FIELD, self.tr(row.x_field.label) if row.x_field else None,
                      self.tr("not mapped"))
            if row.x_field is None:
                self._set(index, COL_EXAMPLE, "", None)
            else:
                example = self.example_text(row)
                self._set(index, COL_EXAMPLE, example, self.tr("not in this workspace's data"))
                if row.example is not None:
                    self.table.item(index, COL_EXAMPLE).setToolTip(self.tr(
                        "{value}\nFrom {member}, the most active member with this field.").format(
                        value=example, member=row.example.member_name or self.tr("a member")))
            self._set(index, COL_MEMBER_FIELD, self.tr(row.member_field.label) if row.member_field else None,
                      self.tr("not mapped"))
            self._set(index, COL_RULE, self.rule_text(row.rule), None)
        self.table.resizeRowsToContents()
        for column in (COL_X_FIELD, COL_MEMBER_FIELD, COL_RULE):
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, self.table.columnWidth(column) + COLUMN_PADDING)

    def _set(self, row: int, column: int, text: str | None, missing: str | None) -> None:
        """A cell; when there is no value it shows ``missing`` greyed (disabled, so it follows the palette)."""
        item = QTableWidgetItem(text if text is not None else (missing or ""))
        if text is None and missing:
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
        self.table.setItem(row, column, item)

    def rule_text(self, rule: str | None) -> str | None:
        if rule == ALWAYS:
            return self.tr("Always update from X")
        if rule == FILL_EMPTY:
            return self.tr("Fill in when empty")
        return rule

    def example_text(self, row: MappingRow) -> str | None:
        """The example as the user would read it: numbers and dates in their locale, one line."""
        if row.example is None:
            return None
        value, kind = row.example.value, row.x_field.kind
        locale = QLocale()
        if isinstance(value, bool):
            text = self.tr("Yes") if value else self.tr("No")
        elif kind == "number" and isinstance(value, int):
            text = locale.toString(value)
        elif kind == "date" and isinstance(value, str):
            text = self._date_text(value, locale)
        else:
            text = " ".join(str(value).split())
        return text

    @staticmethod
    def _date_text(value: str, locale: QLocale) -> str:
        try:
            moment: datetime = parse_iso(value)
        except ValueError:
            return value
        local = QDateTime.fromSecsSinceEpoch(int(moment.timestamp())).toLocalTime()
        return locale.toString(local.date(), QLocale.FormatType.LongFormat)
