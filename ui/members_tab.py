"""The Members tab: every person of the community, searchable, and the one chosen in full.

The table reads its rows from SQL a window at a time (``MemberTableModel``);
the search waits for a pause in typing so each keystroke does not cost a
query. After a sync or an edit only the rows shown are re-read, so the
user's place in a long list survives the refresh.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QLocale, QModelIndex, QSignalBlocker, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop.changes import Changes

from .context import AppContext
from .member_detail import MemberDetailPane
from .member_table_model import (
    COL_ACTIVITY,
    COL_FIRST_SEEN,
    COL_HANDLE,
    COL_LAST_ACTIVE,
    COL_NAME,
    MemberTableModel,
)

SEARCH_DELAY_MS = 150


class MembersTab(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search by name or handle"))
        self.search.setAccessibleName(self.tr("Search members"))
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(self.tr("Number of members"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._search_timer.start)

        self.model = MemberTableModel(self)
        self.model.count_changed.connect(self._show_count)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Members"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._size_columns()
        self.table.horizontalHeader().setSortIndicator(COL_LAST_ACTIVE, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        # Connected after the view's own sorting, so this runs on the new order.
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._reselect)

        self.detail = MemberDetailPane(context)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([720, 520])

        self.empty_label = QLabel(self.tr(
            "No members yet. Connect an account in Integrations, or try the sample workspace."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.empty_label)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)

        context.workspace_opened.connect(self.reload)
        context.workspace_closing.connect(self.clear)
        context.changed.connect(self._on_changed)
        context.open_member_requested.connect(self.show_member)
        if context.session is not None:
            self.reload()
        else:
            self.clear()

    def _size_columns(self) -> None:
        """Widths that fit the usual content; the name takes what is left."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        padding = 2 * metrics.horizontalAdvance("M")
        arrow = metrics.height()  # the sort indicator

        def fits(sample: str, column: int) -> int:
            title = self.model.headerData(column, Qt.Orientation.Horizontal) or ""
            return max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(title) + arrow) + padding

        header.resizeSection(COL_HANDLE, fits("@averagehandle1", COL_HANDLE))
        header.resizeSection(COL_ACTIVITY, fits("9,999", COL_ACTIVITY))
        for column in (COL_LAST_ACTIVE, COL_FIRST_SEEN):
            header.resizeSection(column, fits("30 Sep 2026 23:59", column))
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(metrics.horizontalAdvance("Name") + padding)
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + metrics.height() // 2)

    # -- workspace and changes -----------------------------------------------------

    @Slot()
    def reload(self) -> None:
        """A workspace was opened: read everything again."""
        self.detail.clear()
        self.model.reload()
        self.table.scrollToTop()
        self._update_empty_state()

    @Slot()
    def clear(self) -> None:
        """The workspace is closing: let go of its rows before its file closes."""
        self._search_timer.stop()
        self.detail.clear()
        self.model.clear()
        self._update_empty_state()

    @Slot(object)
    def _on_changed(self, changes: Changes) -> None:
        if self.context.session is None:
            return
        self.model.refresh(changes)
        self._update_empty_state()

    def _update_empty_state(self) -> None:
        empty = self.context.session is not None and self.model.total == 0
        self.stack.setCurrentWidget(self.empty_label if empty else self.splitter)
        self.search.setEnabled(not empty and self.context.session is not None)

    @Slot(int, int)
    def _show_count(self, matching: int, total: int) -> None:
        locale = QLocale()
        if self.model.query().search.strip():
            text = (self.tr("%1 of %2 members").replace("%1", locale.toString(matching))
                    .replace("%2", locale.toString(total)))
        elif total == 1:
            text = self.tr("1 member")
        else:
            text = self.tr("%1 members").replace("%1", locale.toString(total))
        self.count_label.setText(text)

    # -- search and selection ----------------------------------------------------------------

    @Slot()
    def _apply_search(self) -> None:
        if self.context.session is None:
            return
        self.model.set_search(self.search.text())
        self._reselect()

    @Slot()
    def _reselect(self) -> None:
        """After a new search or order, select the member shown again if their row is loaded."""
        if self.detail.member_id is not None:
            row = self.model.row_of(self.detail.member_id)
            if row is not None:
                self._select_row(row)

    @Slot(int)
    def show_member(self, member_id: int) -> None:
        """Select and show a member (asked from another tab), clearing a search that hides them."""
        if self.context.session is None:
            return
        if self.model.hides(member_id):
            self._search_timer.stop()
            with QSignalBlocker(self.search):
                self.search.clear()
            self.model.set_search("")
        row = self.model.show_member(member_id)
        if row is not None:
            self._select_row(row)
        self.detail.show_member(member_id)

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, COL_NAME)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    @Slot(QModelIndex, QModelIndex)
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.detail.show_member(self.model.member_id(current.row()))
