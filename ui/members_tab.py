"""The Members tab: every person of the community, searchable, and the one chosen in full.

The table reads its rows from SQL a window at a time (``MemberTableModel``);
the search waits for a pause in typing and runs off the UI thread, so a
keystroke never waits for results. The filter bar narrows the list (and
saves filters as segments); the header's context menu shows and hides
columns, and headers drag to reorder; the choice is remembered. After a
sync or an edit only the rows shown are re-read, so the user's place in a
long list survives the refresh.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QLocale, QModelIndex, QPoint, QSignalBlocker, Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop.changes import Changes
from ahoy_desktop.member_columns import parse_visible
from ahoy_desktop.member_filters import MemberFilter
from ahoy_desktop.members import MemberQuery
from ahoy_desktop.settings import MEMBER_COLUMNS

from .context import AppContext
from .member_detail import MemberDetailPane
from .member_filter_bar import MemberFilterBar
from .member_table_model import (
    COL_ACTIVITY,
    COL_FIRST_SEEN,
    COL_HANDLE,
    COL_LAST_ACTIVE,
    COL_NAME,
    MemberTableModel,
)

SEARCH_DELAY_MS = 150
# Keys move the current row faster than a profile loads: after a key, the profile waits for the
# keys to pause this long (a click shows it at once).
DETAIL_DELAY_MS = 150


def _find_keys() -> list[QKeySequence]:
    keys = [QKeySequence("Ctrl+F")]
    keys += [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Find) if k not in keys]
    return keys


class MembersTab(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search names, handles, bios, fields and posts"))
        self.search.setAccessibleName(self.tr("Search members"))
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(self.tr("Number of members"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._search_timer.start)
        # Ctrl+F (Cmd+F on macOS) wherever the tab has the keyboard, plus the platform's own Find keys.
        self.find_shortcut = QShortcut(self)
        self.find_shortcut.setKeys(_find_keys())
        self.find_shortcut.activated.connect(self.focus_search)

        self.filter_bar = MemberFilterBar(context.clock.now, self.search.text)
        self.filter_bar.filter_changed.connect(self._apply_filter)
        self.filter_bar.segment_picked.connect(self._segment_picked)

        self.model = MemberTableModel(self)
        self.model.count_changed.connect(self._show_count)
        self.model.failed.connect(self._show_failure)
        self.model.modelReset.connect(self._new_rows)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Members"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # two rows to merge
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
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        header.sectionMoved.connect(self._save_columns)
        self._restoring_columns = False

        self.detail = MemberDetailPane(context)
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(DETAIL_DELAY_MS)
        self._detail_timer.timeout.connect(self._show_pending_detail)
        self._detail_pending: int | None = None
        self._key_down = False  # the current row moves by a key: its profile waits for a pause
        self.table.installEventFilter(self)
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
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.stack, 1)

        context.workspace_opened.connect(self.reload)
        context.workspace_closing.connect(self.clear)
        context.changed.connect(self._on_changed)
        context.open_member_requested.connect(self.show_member)
        if context.session is not None:
            self.reload()
        else:
            self.clear()

    @Slot()
    def focus_search(self) -> None:
        """Ctrl+F: to the search box, its text selected so typing replaces it."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

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
        self.filter_bar.populate()
        self.model.reload()
        self._restore_columns()
        self._share_field_titles()
        self.table.scrollToTop()
        self._update_empty_state()

    def closeEvent(self, event) -> None:  # noqa: N802
        """Background reads end, and their connection closes, before the widget goes: they report to it."""
        self.model.close_reader()
        super().closeEvent(event)

    @Slot()
    def clear(self) -> None:
        """The workspace is closing: let go of its rows before its file closes."""
        self._search_timer.stop()
        self._detail_timer.stop()
        self._detail_pending = None
        self.detail.clear()
        self.model.clear()
        self._update_empty_state()

    @Slot(object)
    def _on_changed(self, changes: Changes) -> None:
        if self.context.session is None:
            return
        if changes.mapping_changed or changes.scoring_changed or changes.accounts_changed:
            self.filter_bar.populate()  # fields, stages or accounts to choose from may have changed
        self.model.refresh(changes)
        if changes.mapping_changed:
            self._restore_columns()
        if changes.mapping_changed or changes.scoring_changed or changes.accounts_changed:
            self._share_field_titles()
        self._update_empty_state()

    def _share_field_titles(self) -> None:
        """The filter's conditions name fields as the table's headers do: translated, custom ones by name."""
        self.filter_bar.set_field_titles({c.key: self.model.column_title(c) for c in self.model.columns()})

    def _update_empty_state(self) -> None:
        empty = self.context.session is not None and self.model.total == 0
        self.stack.setCurrentWidget(self.empty_label if empty else self.splitter)
        self.search.setEnabled(not empty and self.context.session is not None)
        self.filter_bar.setEnabled(not empty and self.context.session is not None)

    @Slot(int, int)
    def _show_count(self, matching: int, total: int) -> None:
        locale = QLocale()
        if self.model.query().narrowed:
            text = (self.tr("%1 of %2 members").replace("%1", locale.toString(matching))
                    .replace("%2", locale.toString(total)))
        elif total == 1:
            text = self.tr("1 member")
        else:
            text = self.tr("%1 members").replace("%1", locale.toString(total))
        self.count_label.setText(text)
        self._update_empty_state()  # counts arrive after a refresh read in the background

    @Slot(str)
    def _show_failure(self, message: str) -> None:
        self.count_label.setText(message)

    # -- columns ---------------------------------------------------------------------------

    def visible_columns(self) -> list[str]:
        """The keys of the columns shown, in the order shown."""
        header = self.table.horizontalHeader()
        columns = self.model.columns()
        shown = [header.logicalIndex(v) for v in range(header.count())]
        return [columns[i].key for i in shown if 0 <= i < len(columns) and not header.isSectionHidden(i)]

    def set_visible_columns(self, keys: list[str]) -> None:
        """Show these columns in this order, hide the others, and remember the choice."""
        self._apply_columns(keys)
        self._save_columns()

    def _restore_columns(self) -> None:
        available = [c.key for c in self.model.columns()]
        self._apply_columns(parse_visible(self.context.settings.get(MEMBER_COLUMNS), available))

    def _apply_columns(self, keys: list[str]) -> None:
        header = self.table.horizontalHeader()
        self._restoring_columns = True
        try:
            for logical, column in enumerate(self.model.columns()):
                header.setSectionHidden(logical, column.key not in keys)
            for position, key in enumerate(keys):
                logical = self.model.column_of(key)
                if logical is not None:
                    header.moveSection(header.visualIndex(logical), position)
        finally:
            self._restoring_columns = False

    @Slot()
    def _save_columns(self) -> None:
        if not self._restoring_columns and self.context.session is not None:
            self.context.settings.set(MEMBER_COLUMNS, ",".join(self.visible_columns()))

    @Slot(QPoint)
    def _column_menu(self, pos: QPoint) -> None:
        self.column_menu().popup(self.table.horizontalHeader().mapToGlobal(pos))

    def column_menu(self) -> QMenu:
        """A checkable entry per column: show or hide it (the name always stays)."""
        menu = QMenu(self)
        visible = set(self.visible_columns())
        for column in self.model.columns():
            action = menu.addAction(self.model.column_title(column))
            action.setCheckable(True)
            action.setChecked(column.key in visible)
            action.setEnabled(column.key != "name")
            action.toggled.connect(lambda shown, key=column.key: self._toggle_column(key, shown))
        return menu

    def _toggle_column(self, key: str, shown: bool) -> None:
        keys = [k for k in self.visible_columns() if k != key]
        if shown:
            keys.append(key)
        self.set_visible_columns(keys)

    # -- search, filter and selection ----------------------------------------------------------

    def current_view(self) -> tuple[MemberQuery, list[str]]:
        """What the table shows, for an export: the query (search, filter, order) and the visible columns."""
        return self.model.query(), self.visible_columns()

    @Slot()
    def _apply_search(self) -> None:
        if self.context.session is None:
            return
        self.model.set_search(self.search.text())

    @Slot(object)
    def _apply_filter(self, member_filter: MemberFilter) -> None:
        if self.context.session is None:
            return
        self.model.set_filter(member_filter, self.context.clock.now())

    @Slot(object)
    def _segment_picked(self, segment) -> None:
        self._search_timer.stop()
        with QSignalBlocker(self.search):
            self.search.setText(segment.search)
        self.model.set_search(segment.search)

    @Slot()
    def _new_rows(self) -> None:
        """A new search, filter or order arrived: start at the top, with the member shown selected if loaded."""
        self.table.scrollToTop()
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
            with QSignalBlocker(self.filter_bar):
                self.filter_bar.clear()
            self.model.set_query(MemberQuery(sort=self.model.query().sort, descending=self.model.query().descending))
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
        if not current.isValid():
            return
        self._detail_pending = self.model.member_id(current.row())
        if self._key_down or self._detail_timer.isActive():
            self._detail_timer.start()  # moving by keys: wait for a pause
            return
        self._show_pending_detail()
        self._detail_timer.start()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self.table and event.type() in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            self._key_down = event.type() == QEvent.Type.KeyPress
            if self._key_down and self._detail_timer.isActive():
                self._detail_timer.start()  # a key held at the end of the rows read moves nothing
        return super().eventFilter(watched, event)

    @Slot()
    def _show_pending_detail(self) -> None:
        if self._detail_pending is not None:
            member_id, self._detail_pending = self._detail_pending, None
            self.detail.show_member(member_id)
