"""The members table's model: a window of SQL rows that grows as the view scrolls.

Sorting and searching are SQL (``ahoy_desktop.members``); the model only
holds the rows read so far and asks for the next window when the view
reaches the end (``canFetchMore`` / ``fetchMore``), so 100k members open as
fast as 803. A new search, filter or order and each next window are read on
a background thread, so typing and scrolling never wait for SQL. That
thread is kept, with its connection (its page cache stays warm) and the
members the current search found (each next window pages over only those),
until the workspace closes. A refresh
after a sync or an edit re-reads the rows already shown on that thread too
(with a search active that is the whole search again), keeps the rows shown
until the answer comes, then tells the view only what moved or changed, so
scroll position and selection survive it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDateTime,
    QLocale,
    QModelIndex,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from ahoy_desktop import member_columns
from ahoy_desktop.changes import Changes
from ahoy_desktop.member_columns import DAY_KIND, INT_KIND, REAL_KIND, TIME_KIND, YES_NO_KIND, MemberColumn
from ahoy_desktop.member_filters import FilterError, MemberFilter
from ahoy_desktop.members import (
    MemberQuery,
    MemberRow,
    count_for,
    count_members,
    list_members,
    member_position,
    members_by_id,
)
from ahoy_desktop.search import SearchMatches

from .background import BackgroundQuery, ReaderThread

# The fixed columns come first, in this order; other fields and custom fields follow.
COL_NAME, COL_HANDLE, COL_STAGE, COL_SCORE, COL_ACTIVITY, COL_LAST_ACTIVE, COL_FIRST_SEEN = range(7)
FIXED_COUNT = 7
MEMBER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_VALUE_ROLE = Qt.ItemDataRole.UserRole + 2  # the real value behind the text (a time, a count)
_DISPLAY, _DECORATION, _ALIGNMENT, _FONT = (int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.FontRole))
_ROLES = frozenset((_DISPLAY, int(MEMBER_ID_ROLE), int(SORT_VALUE_ROLE), _DECORATION, _ALIGNMENT, _FONT))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_NUMBER_KINDS = (INT_KIND, REAL_KIND)
_UNSET = object()  # a cell whose text is not formatted yet
TEXT_CACHE_ROWS = 5_000
WINDOW_ROWS = 200
# Up to this many rows shown, a refresh re-reads them all and moves rows whose
# order changed (a few ms); past it, it updates changed members where they are.
REREAD_ROWS = 1000
# Jumping to a member loads the rows above it only up to here (~70 ms of reading).
JUMP_ROWS = 5000

def _joined(earlier: Changes | None, later: Changes) -> Changes:
    """The members two changes name, as one (what a refresh needs of them)."""
    if earlier is None:
        return later
    return Changes(members_added=earlier.members_added | later.members_added,
                   members_updated=earlier.members_updated | later.members_updated,
                   members_with_new_activity=earlier.members_with_new_activity | later.members_with_new_activity,
                   members_removed=earlier.members_removed | later.members_removed)


def _qdatetime(moment: datetime) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(int(moment.timestamp() * 1000))  # local time


def local_time_text(moment: datetime | None) -> str:
    """A stored UTC time as the user reads it: local, e.g. "3 Dec 2026 14:05" ("" for none)."""
    if moment is None:
        return ""
    return QLocale().toString(_qdatetime(moment), QCoreApplication.translate("time", "d MMM yyyy HH:mm"))


def local_day_text(moment: datetime | None) -> str:
    """The local day only, e.g. "3 Dec 2026", for times known to the day at best."""
    if moment is None:
        return ""
    return QLocale().toString(_qdatetime(moment), QCoreApplication.translate("time", "d MMM yyyy"))


@dataclass(frozen=True)
class _Failed:
    """A read whose query cannot run (a filter naming a field since deleted, a number that is not one)."""

    query: MemberQuery
    message: str


def _guarded(query: MemberQuery, work):
    """``work`` for the reader, a filter that cannot run answered as ``_Failed`` instead of raised."""
    def run():
        try:
            return work()
        except FilterError as exc:
            return _Failed(query, str(exc))
    return run


@dataclass(frozen=True)
class _Refreshed:
    """A background refresh: the first ``limit`` rows again, or new rows for members changed far down the list."""

    query: MemberQuery
    loaded: int  # rows shown when it was asked for
    rows: list[MemberRow] | None
    changed: dict[int, MemberRow] | None
    limit: int
    members_added: bool
    matching: int
    total: int


@dataclass(frozen=True)
class _Loaded:
    """A background read: the first window of a query, or the next window after ``after``."""

    query: MemberQuery
    rows: list[MemberRow]
    limit: int
    appended: bool


class MemberTableModel(QAbstractTableModel):
    """Members in the query's order; a new search, filter or order and each next window load off the UI thread."""

    count_changed = Signal(int, int)  # members matching the search and filter, members in the workspace
    loading_changed = Signal(bool)
    failed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._query = MemberQuery()
        self._rows: list[MemberRow] = []
        self._texts: dict[int, tuple[MemberRow, list]] = {}  # id(row) -> (row, its display texts)
        self._set_columns([*member_columns.FIXED_COLUMNS, *member_columns.FIELD_COLUMNS])
        self._exhausted = True
        self._open = False  # a workspace is open: only then is the database asked anything
        self._loading = False  # a new query is being read: the rows shown are the old query's
        self._fetching = False  # the next window is being read
        # One reader for rows and counts: the count reads the members the rows' search just found.
        self._reader = ReaderThread("member-table")
        self._matches = SearchMatches()
        self._loader = BackgroundQuery(self, self._reader)
        self._loader.finished.connect(self._loaded)
        self._loader.failed.connect(self._load_failed)
        self._counter = BackgroundQuery(self, self._reader)
        self._counter.finished.connect(self._counted)
        self._counter.failed.connect(self._load_failed)
        self._refresher = BackgroundQuery(self, self._reader)
        self._refresher.finished.connect(self._refreshed)
        self._refresher.failed.connect(self._refresh_failed)
        self._refresh_changes: Changes | None = None  # changes not yet shown; a refresh is asked or waits
        self.matching = 0
        self.total = 0

    # -- what is shown -------------------------------------------------------

    def query(self) -> MemberQuery:
        return self._query

    def columns(self) -> list[MemberColumn]:
        return list(self._columns)

    def column_of(self, key: str) -> int | None:
        for i, column in enumerate(self._columns):
            if column.key == key:
                return i
        return None

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def busy(self) -> bool:
        """True while a read runs in the background (a new query, the next window or the count)."""
        return (self._loading or self._fetching or self._refresh_changes is not None or self._loader.busy
                or self._counter.busy or self._refresher.busy)

    def set_query(self, query: MemberQuery) -> None:
        """Show another search, filter or order: read in the background, the old rows stay until then."""
        if query == self._query:
            return
        if query.search != self._query.search:
            self._matches.forget()  # kept for one search's windows, not as a cache of past searches
        self._query = query
        if self._open:
            self._load()

    def set_search(self, text: str) -> None:
        self.set_query(replace(self._query, search=text))

    def set_filter(self, member_filter: MemberFilter, now=None) -> None:
        self.set_query(replace(self._query, filter=member_filter, now=now))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self._columns) and self._columns[column].sortable:
            self.set_query(replace(self._query, sort=self._columns[column].key,
                                   descending=order == Qt.SortOrder.DescendingOrder))

    def _extra(self) -> list[MemberColumn]:
        return self._columns[FIXED_COUNT:]

    def _load(self) -> None:
        query, extra, matches = self._query, self._extra(), self._matches
        self._fetching = False
        self._drop_refresh()  # the new read shows every change
        self._set_loading(True)
        self._loader.run(_guarded(query, lambda: _Loaded(
            query, list_members(query, WINDOW_ROWS, columns=extra, matches=matches), WINDOW_ROWS, False)))
        self._counter.run(_guarded(query, lambda: (query, count_for(query, matches), count_members())))

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def _loaded(self, result: _Loaded | _Failed) -> None:
        if not self._open or result.query != self._query:
            return
        if isinstance(result, _Failed):
            self._cannot_read(result.message)
            return
        if result.appended:
            self._fetching = False
            self._exhausted = len(result.rows) < result.limit
            self._append(result.rows)
            if self._refresh_changes is not None:
                self._start_refresh()  # it waited for this window
            return
        self._set_loading(False)
        self.beginResetModel()
        self._rows = result.rows
        self._exhausted = len(result.rows) < result.limit
        self.endResetModel()

    def _counted(self, result: tuple | _Failed) -> None:
        if isinstance(result, _Failed):
            return  # the rows' read says why
        query, matching, total = result
        if self._open and query == self._query:
            self.matching, self.total = matching, total
            self.count_changed.emit(matching, total)

    def _cannot_read(self, message: str) -> None:
        """The query cannot run: no rows are shown as its result, and the reason is told."""
        self._fetching = False
        self._drop_refresh()
        self._set_loading(False)
        self.beginResetModel()
        self._rows, self._exhausted = [], True
        self.endResetModel()
        self.failed.emit(self.tr("This filter cannot be used: %1").replace("%1", message))

    def _load_failed(self, _message: str) -> None:
        """A read failed for a reason other than the query (a bug, a vanished file): logged with its traceback."""
        fetching, self._fetching = self._fetching, False
        self._set_loading(False)
        self.failed.emit(self.tr("The members could not be read. The log has the details."))
        if fetching and self._refresh_changes is not None:
            self._start_refresh()  # it waited for the window that failed

    def reload(self) -> None:
        """Start over from the first window (a workspace opened, fields changed): read at once."""
        self._open = True
        self._loader.cancel()
        self._counter.cancel()
        self._matches.forget()
        self._fetching = False
        self._drop_refresh()
        self._set_loading(False)
        columns = member_columns.all_columns()
        rows = list_members(self._query, WINDOW_ROWS, columns=columns[FIXED_COUNT:])  # a failed read resets nothing
        self.beginResetModel()
        self._set_columns(columns)
        self._texts.clear()
        self._rows = rows
        self._exhausted = len(self._rows) < WINDOW_ROWS
        self.endResetModel()
        self._recount()

    def clear(self) -> None:
        """No workspace open: nothing to show and nothing to ask the database."""
        self._open = False
        self._loader.cancel()
        self._counter.cancel()
        self._drop_refresh()
        self.close_reader()
        self._fetching = False
        self._set_loading(False)
        self.beginResetModel()
        self._rows, self._exhausted = [], True
        self.endResetModel()
        self.matching = self.total = 0
        self.count_changed.emit(0, 0)

    def wait(self) -> None:
        """Block until background reads are done (closing, tests)."""
        self._reader.wait()

    def close_reader(self) -> None:
        """End the reading thread and close its connection (the workspace or the window closes).

        Reads still queued run first; a later read starts the thread again.
        """
        self._reader.close()
        self._matches.forget()

    def _recount(self) -> None:
        self.total = count_members()
        self.matching = count_for(self._query) if self._query.narrowed else self.total
        self.count_changed.emit(self.matching, self.total)

    # -- lazy loading ------------------------------------------------------------

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return (not parent.isValid() and not self._exhausted and not self._loading and not self._fetching
                and self._refresh_changes is None)  # a window after rows being re-read could skip or repeat one

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        """Read the next window in the background; the rows arrive a moment later."""
        if parent.isValid() or not self.canFetchMore():
            return
        self._fetching = True
        query, extra, last, matches = self._query, self._extra(), self._rows[-1] if self._rows else None, self._matches
        self._loader.run(_guarded(query, lambda: _Loaded(query, list_members(query, WINDOW_ROWS, last, extra, matches),
                                                         WINDOW_ROWS, True)))

    def _fetch(self, limit: int) -> None:
        """Read rows now (jumping to a member): a rare, bounded read."""
        if self._exhausted:
            return
        self._loader.cancel()
        self._fetching = False
        batch = list_members(self._query, limit, self._rows[-1] if self._rows else None, self._extra())
        self._exhausted = len(batch) < limit
        self._append(batch)
        if self._refresh_changes is not None and not self._refresher.busy:
            self._start_refresh()  # it waited for the window this one replaced

    def _append(self, batch: list[MemberRow]) -> None:
        if batch:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(batch) - 1)
            self._rows.extend(batch)
            self.endInsertRows()

    def hides(self, member_id: int) -> bool:
        """True when the search or filter leaves this member out."""
        if not self._open or not self._query.narrowed or self.row_of(member_id) is not None:
            return False
        return member_position(member_id, self._query) is None

    def show_member(self, member_id: int) -> int | None:
        """Load rows down to this member and return its row.

        None if the search hides the member, or if they are so far down the
        order that loading every row above them would stall the window.
        """
        row = self.row_of(member_id)
        if row is not None or not self._open:
            return row
        if self._loading:
            self.reload()
            row = self.row_of(member_id)
            if row is not None:
                return row
        position = member_position(member_id, self._query)
        if position is None or position >= JUMP_ROWS:
            return None
        if position >= len(self._rows):
            self._fetch(position - len(self._rows) + WINDOW_ROWS)
        return self.row_of(member_id)

    # -- refreshing after a sync or an edit --------------------------------------------

    def refresh(self, changes: Changes) -> None:
        """Bring the rows shown up to date, off the UI thread; signal only rows that moved or changed.

        The rows shown stay until the new ones arrive. Changes coming meanwhile
        join the refresh asked for; one waits for a window being read.
        """
        if not self._open or not (changes.members_changed or changes.mapping_changed):
            return
        self._matches.forget()  # what the search finds may have changed
        if changes.mapping_changed:
            self.reload()  # custom fields may have come or gone: so may columns
        elif self._loading or not self._rows:
            self._load()  # the query being read, or an empty list, is read again and shows the change
        else:
            self._refresh_changes = _joined(self._refresh_changes, changes)
            if not self._fetching:
                self._start_refresh()

    def _start_refresh(self) -> None:
        changes, query, extra, matches = self._refresh_changes, self._query, self._extra(), self._matches
        loaded, added = len(self._rows), bool(changes.members_added)

        def counts() -> tuple[int, int]:
            total = count_members()
            return (count_for(query, matches) if query.narrowed else total), total

        if loaded > REREAD_ROWS:  # deep in a long list: only the changed members' rows, where they are
            shown = {row.id for row in self._rows}
            ids = [member_id for member_id in changes.members_changed if member_id in shown]
            self._refresher.run(_guarded(query, lambda: _Refreshed(
                query, loaded, None, members_by_id(ids, query, extra), 0, added, *counts())))
            return
        # Room for new members sorted in among the rows shown, within the re-read budget.
        limit = max(loaded, min(loaded + len(changes.members_added), REREAD_ROWS))
        self._refresher.run(_guarded(query, lambda: _Refreshed(
            query, loaded, list_members(query, limit, columns=extra, matches=matches), None, limit, added,
            *counts())))

    def _drop_refresh(self) -> None:
        self._refresher.cancel()
        self._refresh_changes = None

    def _refreshed(self, result: _Refreshed | _Failed) -> None:
        if not self._open or result.query != self._query or self._refresh_changes is None:
            return  # another query's rows are coming, and they show every change
        if isinstance(result, _Failed):
            self._cannot_read(result.message)
            return
        if len(self._rows) != result.loaded:  # a window arrived or rows were jumped to meanwhile
            self._start_refresh()
            return
        self._refresh_changes = None
        if result.rows is not None:
            self._exhausted = len(result.rows) < result.limit
            self._resize_to(result.rows)
            if [r.id for r in result.rows] != [r.id for r in self._rows]:
                self._reorder(result.rows)
            else:
                self._update_rows(result.rows)
        else:
            self._update_in_place(result.changed)
            if result.members_added:
                self._exhausted = False  # new members further down come with the next window
        self.matching, self.total = result.matching, result.total
        self.count_changed.emit(result.matching, result.total)

    def _refresh_failed(self, message: str) -> None:
        self._refresh_changes = None
        self._load_failed(message)

    def _update_in_place(self, fresh_rows: dict[int, MemberRow]) -> None:
        """New values for the members that changed, rows kept in place.

        Each row keeps its old sort key so the next window still starts where
        the last one ended.
        """
        loaded = {row.id: i for i, row in enumerate(self._rows)}
        for member_id, fresh in fresh_rows.items():
            row = loaded.get(member_id)
            if row is not None and fresh != self._rows[row]:
                self._rows[row] = replace(fresh, key=self._rows[row].key)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._columns) - 1))

    def _resize_to(self, fresh: list[MemberRow]) -> None:
        old, new = len(self._rows), len(fresh)
        if new > old:
            self.beginInsertRows(QModelIndex(), old, new - 1)
            self._rows.extend(fresh[old:])
            self.endInsertRows()
        elif new < old:
            self.beginRemoveRows(QModelIndex(), new, old - 1)
            del self._rows[new:]
            self.endRemoveRows()

    def _reorder(self, fresh: list[MemberRow]) -> None:
        """Move rows to their new places; selection and current row follow their members."""
        self.layoutAboutToBeChanged.emit()
        row_of = {r.id: i for i, r in enumerate(fresh)}
        old_indexes = self.persistentIndexList()
        old_ids = [self._rows[i.row()].id for i in old_indexes]
        self._rows = fresh
        new_indexes = []
        for index, member_id in zip(old_indexes, old_ids, strict=True):
            row = row_of.get(member_id)
            new_indexes.append(self.index(row, index.column()) if row is not None else QModelIndex())
        self.changePersistentIndexList(old_indexes, new_indexes)
        self.layoutChanged.emit()

    def _update_rows(self, fresh: list[MemberRow]) -> None:
        changed = [i for i, (old, new) in enumerate(zip(self._rows, fresh, strict=True)) if old != new]
        self._rows = fresh
        for row in changed:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._columns) - 1))

    # -- lookups ------------------------------------------------------------

    def member_id(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of(self, member_id: int) -> int | None:
        for i, row in enumerate(self._rows):
            if row.id == member_id:
                return i
        return None

    # -- Qt's model interface ---------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in _ROLES:
            return None
        row = index.row()
        if not 0 <= row < len(self._rows):
            return None
        return self._answer(self._rows[row], index.column(), int(role))

    def multiData(self, index: QModelIndex | QPersistentModelIndex, span: QModelRoleDataSpan) -> None:
        """Every role a painted cell asks for, in one call.

        The view asks seven roles of each visible cell at each paint: one call
        from C++ into Python per cell instead of seven. Views hand entries that
        hold nothing yet, so only answers are written.
        """
        row = index.row()
        if not 0 <= row < len(self._rows):
            return
        member, column = self._rows[row], index.column()
        for i in range(len(span)):
            entry = span[i]
            role = entry.role()
            if role == _DISPLAY:
                text = self._text(member, column)
                if text is not None:
                    entry.setData(text)
            elif role == _ALIGNMENT:
                if self._right_aligned[column]:
                    entry.setData(_RIGHT)
            elif role in _ROLES:
                value = self._answer(member, column, role)
                if value is not None:
                    entry.setData(value)

    def _answer(self, member: MemberRow, column: int, role: int):
        # Called for every visible cell and role at each paint: texts are formatted once per row
        # and column shown (dates through QLocale cost most), and roles compared as plain ints.
        if role == _DISPLAY:
            return self._text(member, column)
        if role == _ALIGNMENT:
            return _RIGHT if self._right_aligned[column] else None
        if role == MEMBER_ID_ROLE:
            return member.id
        if role == SORT_VALUE_ROLE:
            return self._value(member, column)
        if role == _DECORATION:
            return QColor(member.stage_colour) if column == COL_STAGE and member.stage_colour else None
        if role == _FONT and column == COL_NAME and not member.name:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def _text(self, member: MemberRow, column: int):
        """A cell's display text, formatted on first use and kept while the row object lives here."""
        entry = self._texts.get(id(member))
        if entry is None or entry[0] is not member:  # the same object, not a new one at a reused address
            if len(self._texts) > TEXT_CACHE_ROWS:
                self._texts.clear()
            entry = (member, [_UNSET] * len(self._columns))
            self._texts[id(member)] = entry
        texts = entry[1]
        if not 0 <= column < len(texts):
            return None
        text = texts[column]
        if text is _UNSET:
            text = texts[column] = self._display(member, column)
        return text

    def _display(self, member: MemberRow, column: int):
        if column == COL_NAME:
            return member.name or self.tr("(no name)")
        if column == COL_HANDLE:
            return f"@{member.handle}" if member.handle else ""
        if column == COL_ACTIVITY:
            return member.activity_count
        if column == COL_STAGE:
            return member.stage
        if column == COL_SCORE:
            return member.score
        if column == COL_LAST_ACTIVE:
            return self._time_text(member.last_active_at)
        if column == COL_FIRST_SEEN:
            return self._time_text(member.first_seen_at)
        value = self._value(member, column)
        kind = self._columns[column].kind
        if value is None or value == "":
            return ""
        if kind == INT_KIND:
            return self._locale.toString(int(value))
        if kind == REAL_KIND:
            return self._locale.toString(float(value), "g", 12)
        if kind == YES_NO_KIND:
            return self.tr("Yes") if value == "true" else self.tr("No")
        if kind == DAY_KIND:
            return str(value)[:10]
        if kind == TIME_KIND:
            return self._time_text(value)
        return str(value).replace("\n", " ")

    def _time_text(self, moment: datetime | None) -> str:
        """``local_time_text`` with the locale and format read once: a paint formats hundreds."""
        if moment is None:
            return ""
        return self._locale.toString(_qdatetime(moment), self._time_format)

    def _set_columns(self, columns: list[MemberColumn]) -> None:
        self._columns = columns
        self._right_aligned = [c.kind in _NUMBER_KINDS for c in columns]
        self._locale = QLocale()
        self._time_format = QCoreApplication.translate("time", "d MMM yyyy HH:mm")

    def _value(self, member: MemberRow, column: int):
        if column < FIXED_COUNT:  # in the order of the COL_ constants
            return (member.name, member.handle, member.stage, member.score, member.activity_count,
                    member.last_active_at, member.first_seen_at)[column]
        index = column - FIXED_COUNT
        return member.values[index] if 0 <= index < len(member.values) else None

    def column_title(self, column: MemberColumn) -> str:
        """A column's header as the user reads it: translated, or a custom field's own name."""
        titles = {
            "name": self.tr("Name"), "handle": self.tr("Handle"), "activity": self.tr("Activity"),
            "stage": self.tr("Stage"), "score": self.tr("Score"), "last_active": self.tr("Last active"),
            "first_seen": self.tr("First seen"), "followers": self.tr("Followers"),
            "accounts": self.tr("Accounts"), "tags": self.tr("Tags"), "bio": self.tr("Bio"),
            "location": self.tr("Location"), "website": self.tr("Website"), "company": self.tr("Company"),
            "job_title": self.tr("Job title"), "email": self.tr("Email"), "phone": self.tr("Phone"),
            "country": self.tr("Country"), "city": self.tr("City"), "avatar": self.tr("Avatar"),
            "x_user_id": self.tr("X user id"), "notes": self.tr("Notes"),
        }
        return column.header if column.custom else titles.get(column.key, column.header)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._columns):
            return self.column_title(self._columns[section])
        if role == Qt.ItemDataRole.ToolTipRole:
            return {
                COL_ACTIVITY: self.tr("Mentions, replies, quotes, likes and retweets, all accounts together"),
                COL_STAGE: self.tr("The activity stage the member's 30-day score puts them in"),
                COL_SCORE: self.tr("Points earned in the last 30 days"),
                COL_LAST_ACTIVE: self.tr("The member's latest activity, in your local time"),
                COL_FIRST_SEEN: self.tr("When Ahoy first saw this member, in your local time"),
            }.get(section) or (self.tr("The accounts this member came through")
                               if 0 <= section < len(self._columns) and self._columns[section].key == "accounts"
                               else None)
        return None
