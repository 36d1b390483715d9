"""Suggested duplicates: pairs likely to be one person, with why, to merge or to dismiss for good."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop import duplicates
from ahoy_desktop.db.models import Member

from .context import AppContext
from .merge_dialog import MergeDialog

COL_FIRST, COL_SECOND, COL_REASON = range(3)
PAIR_ROLE = Qt.ItemDataRole.UserRole + 1


class DuplicatesDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(self.tr("Possible duplicates"))
        self.resize(720, 460)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Member"), self.tr("Member"), self.tr("Why")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.merge_button = QPushButton(self.tr("Merge…"))
        self.merge_button.clicked.connect(self.merge_selected)
        self.dismiss_button = QPushButton(self.tr("Not the same person"))
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        actions = QHBoxLayout()
        actions.addWidget(self.merge_button)
        actions.addWidget(self.dismiss_button)
        actions.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(close)
        self.reload()

    def reload(self) -> None:
        found = duplicates.suggestions()
        names = {m.id: m for m in Member.select(Member.id, Member.name, Member.x_handle).where(
            Member.id.in_({s.member_a for s in found} | {s.member_b for s in found}))} if found else {}
        self.table.setRowCount(0)
        for suggestion in found:
            row = self.table.rowCount()
            self.table.insertRow(row)
            for column, member_id in ((COL_FIRST, suggestion.member_a), (COL_SECOND, suggestion.member_b)):
                member = names[member_id]
                text = f"{member.name} (@{member.x_handle})" if member.x_handle else member.name
                self.table.setItem(row, column, QTableWidgetItem(text))
            reason = QTableWidgetItem(self._reason(suggestion))
            reason.setData(PAIR_ROLE, (suggestion.member_a, suggestion.member_b))
            self.table.setItem(row, COL_REASON, reason)
        if found:
            self.summary.setText(self.tr("%1 pairs may be the same person. Merge them, or say they are not: "
                                         "a pair you dismiss is not suggested again.").replace("%1", str(len(found))))
        else:
            self.summary.setText(self.tr("No likely duplicates."))
        if found:
            self.table.selectRow(0)
        self._update_buttons()

    def _reason(self, suggestion: duplicates.Suggestion) -> str:
        if suggestion.reason == duplicates.SAME_NAME:
            return self.tr("Same name, similar handles")
        return self.tr("Same website: %1").replace("%1", suggestion.detail)

    def selected_pair(self) -> tuple[int, int] | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.table.item(rows[0].row(), COL_REASON).data(PAIR_ROLE)

    @Slot()
    def _update_buttons(self) -> None:
        chosen = self.selected_pair() is not None
        self.merge_button.setEnabled(chosen)
        self.dismiss_button.setEnabled(chosen)

    def open_merge(self, first: int, second: int) -> MergeDialog:
        """The merge dialog for a pair; the member with more activity is offered as the one that stays."""
        counts = dict(Member.select(Member.id, Member.activity_count).where(Member.id.in_([first, second])).tuples())
        survivor, other = (first, second) if counts.get(first, 0) >= counts.get(second, 0) else (second, first)
        return MergeDialog(survivor, other, self.context.clock, self)

    @Slot()
    def merge_selected(self) -> None:
        pair = self.selected_pair()
        if pair is None:
            return
        dialog = self.open_merge(*pair)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.changes is not None:
            self.context.notify(dialog.changes)
            self.reload()

    @Slot()
    def dismiss_selected(self) -> None:
        pair = self.selected_pair()
        if pair is None:
            return
        duplicates.dismiss(*pair, self.context.clock.now())
        self.reload()
