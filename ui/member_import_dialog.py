"""The Import members dialog: a CSV file, its columns mapped to member fields, checked, then written.

Nothing is written before the user has seen the preview and the list of
rows that cannot go in; then the good rows go in together, or nothing does.
Reading, checking and writing run on a worker thread, so a large file does
not freeze the window; the worker only hands back values.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop.changes import Changes
from ahoy_desktop.custom_fields import CustomFieldError
from ahoy_desktop.db.models import database_proxy
from ahoy_desktop.member_io import import_plan as ip
from ahoy_desktop.member_io.csv_read import CsvReadError, CsvTable, read_csv
from ahoy_desktop.member_io.import_write import ImportOutdated, ImportResult, write_import

from .context import AppContext

log = logging.getLogger(__name__)

PREVIEW_ROWS = 50
MAX_PROBLEMS_SHOWN = 1000  # a file in the wrong format can have a problem on every row
SAMPLE_ROWS = 3
COL_FILE_COLUMN, COL_SAMPLE, COL_TARGET = 0, 1, 2
KNOWN_ERRORS = (CsvReadError, ip.MappingError, ImportOutdated, CustomFieldError)


class _Work(QThread):
    """Runs one core call on its own thread with its own database connection."""

    done = Signal(int, object)
    failed = Signal(int, str, bool)  # generation, message, known (a bad file) or a bug

    def __init__(self, generation: int, work: Callable[[], object], parent=None):
        super().__init__(parent)
        self.generation, self._work = generation, work

    def run(self) -> None:
        try:
            with database_proxy.connection_context():
                result = self._work()
        except KNOWN_ERRORS as exc:
            self.failed.emit(self.generation, str(exc), True)
        except Exception as exc:  # a bug: logged with its traceback, told calmly
            log.exception("member import failed")
            self.failed.emit(self.generation, f"{type(exc).__name__}: {exc}", False)
        else:
            self.done.emit(self.generation, result)


class MemberImportDialog(QDialog):
    """Pick a CSV file, map its columns, look at the check, import the good rows or nothing."""

    plan_ready = Signal()  # a check finished (or failed): the dialog shows its outcome
    imported = Signal(object)  # the ImportResult

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.table: CsvTable | None = None
        self.plan: ip.ImportPlan | None = None
        self.result_: ImportResult | None = None
        self.targets: list[ip.ImportTarget] = []
        self._threads: list[_Work] = []
        self._generation = 0
        self._writing = False
        self.setWindowTitle(self.tr("Import members from CSV"))
        self.resize(900, 640)
        self._build()
        self._update_buttons()

    # -- layout ------------------------------------------------------------

    def _build(self) -> None:
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(self.tr("No file chosen"))
        choose = QPushButton(self.tr("Choose file…"))
        choose.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(QLabel(self.tr("File:")))
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(choose)
        self.file_info = QLabel()
        self.file_info.setWordWrap(True)

        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setHorizontalHeaderLabels(
            [self.tr("Column in the file"), self.tr("First values"), self.tr("Imported into")])
        self._stretch_last(self.mapping_table)
        self.preview = QTableWidget(0, 0)
        self._stretch_last(self.preview)
        self.problems = QTableWidget(0, 2)
        self.problems.setHorizontalHeaderLabels([self.tr("Row"), self.tr("Why it cannot be imported")])
        self._stretch_last(self.problems)

        splitter = QSplitter(Qt.Orientation.Vertical)
        for title, widget in ((self.tr("Columns"), self.mapping_table),
                              (self.tr("Preview: the first rows as they will be written"), self.preview),
                              (self.tr("Rows that cannot be imported"), self.problems)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(widget)
            splitter.addWidget(box)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.import_button = QPushButton()
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.import_good_rows)
        self.cancel_button = QPushButton(self.tr("Cancel — import nothing"))
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.import_button)

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.file_info)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    @staticmethod
    def _stretch_last(table: QTableWidget) -> None:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    # -- state -------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return any(t.isRunning() for t in self._threads)

    def good_count(self) -> int:
        return len(self.plan.rows) if self.plan is not None else 0

    def _update_buttons(self) -> None:
        count = self.good_count()
        text = self.tr("Import 1 good row") if count == 1 else self.tr("Import %1 good rows")
        self.import_button.setText(text.replace("%1", QLocale().toString(count)))
        self.import_button.setEnabled(count > 0 and not self.busy and not self._writing)
        self.cancel_button.setEnabled(not self._writing)

    def _start(self, work: Callable[[], object], done: Callable[[object], None]) -> None:
        """Run ``work`` off the window's thread; only the newest call's outcome is shown."""
        self._generation += 1
        thread = _Work(self._generation, work, self)
        thread.done.connect(lambda generation, result: self._finished(thread, generation, lambda: done(result)))
        thread.failed.connect(lambda generation, message, known: self._finished(
            thread, generation, lambda: self._show_failure(message, known)))
        self._threads.append(thread)
        thread.start()
        self._update_buttons()

    def _finished(self, thread: _Work, generation: int, show: Callable[[], None]) -> None:
        thread.wait()
        self._threads.remove(thread)
        if generation == self._generation:
            show()
        self._update_buttons()

    def wait_idle(self) -> None:
        """Wait for work still running (closing, tests); its outcome is dropped."""
        self._generation += 1
        for thread in list(self._threads):
            thread.wait()

    def done(self, code: int) -> None:
        if self._writing:
            return  # the import finishes first; then the dialog closes by itself
        self.wait_idle()
        super().done(code)

    # -- steps -------------------------------------------------------------

    @Slot()
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import members from CSV"), "",
                                              self.tr("CSV files (*.csv *.tsv *.txt);;All files (*)"))
        if path:
            self.load_file(path)

    def load_file(self, path: str | Path) -> None:
        """Read the file in the background; the columns are guessed, then checked."""
        self.path_edit.setText(str(path))
        self.table, self.plan = None, None
        self.file_info.setText(self.tr("Reading the file…"))
        self._clear_results()
        self._start(lambda: read_csv(path), self._file_read)

    def _file_read(self, table: CsvTable) -> None:
        self.table = table
        self.targets = ip.import_targets()
        mapping = ip.guess_mapping(table.headers, self.targets)
        separator = {",": self.tr("comma"), ";": self.tr("semicolon"), "\t": self.tr("tab")}[table.delimiter]
        self.file_info.setText(self.tr("%1 rows, %2 columns, %3, separated by %4.")
                               .replace("%1", QLocale().toString(len(table.rows)))
                               .replace("%2", QLocale().toString(len(table.headers)))
                               .replace("%3", table.encoding.upper()).replace("%4", separator))
        self.mapping_table.setRowCount(len(table.headers))
        for index, header in enumerate(table.headers):
            self.mapping_table.setItem(index, COL_FILE_COLUMN, QTableWidgetItem(header))
            samples = [r.cells[index] for r in table.rows[:SAMPLE_ROWS * 3]
                       if index < len(r.cells) and r.cells[index].strip()][:SAMPLE_ROWS]
            self.mapping_table.setItem(index, COL_SAMPLE, QTableWidgetItem(", ".join(samples)))
            combo = QComboBox()
            combo.addItem(self.tr("Don't import"), ip.IGNORE)
            combo.addItem(self.tr("A new text field “%1”").replace("%1", header), ip.NEW_FIELD)
            for target in self.targets:
                combo.addItem(self._target_label(target), target.key)
            combo.setCurrentIndex(max(0, combo.findData(mapping[index])))
            combo.currentIndexChanged.connect(self.replan)
            self.mapping_table.setCellWidget(index, COL_TARGET, combo)
        self.mapping_table.resizeColumnsToContents()
        self.replan()

    def _target_label(self, target: ip.ImportTarget) -> str:
        builtin = {"name": self.tr("Name"), "x_handle": self.tr("X handle"), ip.X_USER_ID: self.tr("X user id"),
                   "avatar": self.tr("Avatar"), "bio": self.tr("Bio"), "location": self.tr("Location"),
                   "website": self.tr("Website"), "followers": self.tr("Followers"), "company": self.tr("Company"),
                   "job_title": self.tr("Job title"), "email": self.tr("Email"), "phone": self.tr("Phone"),
                   "country": self.tr("Country"), "city": self.tr("City"), ip.TAGS: self.tr("Tags"),
                   ip.NOTES: self.tr("Notes")}
        return builtin.get(target.key, target.label)  # a custom field is named by the user

    def mapping(self) -> list[str]:
        return [self.mapping_table.cellWidget(i, COL_TARGET).currentData()
                for i in range(self.mapping_table.rowCount())]

    def set_target(self, column: int, key: str) -> None:
        """Map one file column to a field (as choosing it in its list does)."""
        combo = self.mapping_table.cellWidget(column, COL_TARGET)
        combo.setCurrentIndex(combo.findData(key))

    @Slot()
    def replan(self) -> None:
        if self.table is None:
            return
        table, mapping, targets = self.table, self.mapping(), list(self.targets)
        self.plan = None
        self._clear_results()
        try:
            ip.check_mapping(table.headers, mapping, targets)
        except ip.MappingError as exc:
            self._generation += 1  # a check still running is out of date
            self._show_failure(str(exc), True)
            return
        self.summary.setText(self.tr("Checking the rows…"))
        self._start(lambda: ip.plan_import(table, mapping, targets), self._show_plan)

    def _clear_results(self) -> None:
        self.preview.setRowCount(0)
        self.preview.setColumnCount(0)
        self.problems.setRowCount(0)
        self.summary.setText("")
        self._update_buttons()

    def _show_plan(self, plan: ip.ImportPlan) -> None:
        self.plan = plan
        self._fill_preview(plan)
        self._fill_problems(plan)
        locale = QLocale()
        text = self.tr("%1 rows ready: %2 new members, %3 updates of members already here. "
                       "%4 rows cannot be imported.")
        self.summary.setText(text.replace("%1", locale.toString(len(plan.rows)))
                             .replace("%2", locale.toString(plan.new_count))
                             .replace("%3", locale.toString(plan.update_count))
                             .replace("%4", locale.toString(len(plan.bad))))
        self._update_buttons()
        self.plan_ready.emit()

    def _fill_preview(self, plan: ip.ImportPlan) -> None:
        labels = {t.key: self._target_label(t) for t in self.targets}
        columns = [(i, key) for i, key in enumerate(plan.mapping) if key != ip.IGNORE]
        headers = [self.tr("Row"), self.tr("Will")]
        for index, key in columns:
            headers.append(self.tr("New field “%1”").replace("%1", plan.headers[index]) if key == ip.NEW_FIELD
                           else labels.get(key, key))
        self.preview.setColumnCount(len(headers))
        self.preview.setHorizontalHeaderLabels(headers)
        rows = plan.rows[:PREVIEW_ROWS]
        self.preview.setRowCount(len(rows))
        for r, row in enumerate(rows):
            will = (self.tr("Add a new member") if row.member_id is None
                    else self.tr("Update “%1”").replace("%1", row.member_name or f"#{row.member_id}"))
            cells = [QLocale().toString(row.number), will]
            for index, key in columns:
                cells.append(self._preview_text(row, index, key))
            for c, text in enumerate(cells):
                self.preview.setItem(r, c, QTableWidgetItem(text))
        self.preview.resizeColumnsToContents()

    @staticmethod
    def _preview_text(row: ip.PlannedRow, index: int, key: str) -> str:
        if key == ip.X_USER_ID:
            return " ".join(row.x_user_ids)
        if key == ip.NEW_FIELD:
            return row.custom.get(f"{ip.NEW_FIELD}:{index}", "")
        value = row.builtin.get(key, row.custom.get(key))
        return "" if value is None else str(value)

    def _fill_problems(self, plan: ip.ImportPlan) -> None:
        shown = plan.bad[:MAX_PROBLEMS_SHOWN]
        more = len(plan.bad) - len(shown)
        self.problems.setRowCount(len(shown) + (1 if more else 0))
        for r, bad in enumerate(shown):
            self.problems.setItem(r, 0, QTableWidgetItem(QLocale().toString(bad.number)))
            self.problems.setItem(r, 1, QTableWidgetItem(self.reason_text(bad)))
        if more:
            self.problems.setItem(len(shown), 0, QTableWidgetItem("…"))
            self.problems.setItem(len(shown), 1, QTableWidgetItem(
                self.tr("and %1 more rows that cannot be imported").replace("%1", QLocale().toString(more))))
        self.problems.resizeColumnToContents(0)

    def reason_text(self, bad: ip.BadRow) -> str:
        """Why a row cannot be imported, in words."""
        texts = {
            ip.EMPTY_ROW: self.tr("The row is empty (or holds values only in columns not imported)."),
            ip.CELL_COUNT: self.tr("The row has %1 cells; the header has %2."),
            ip.UNDECODABLE: self.tr("The row holds bytes that are not text: save the file as UTF-8."),
            ip.NUL_IN_ROW: self.tr("The row holds a NUL character, which is not text: the file may be damaged."),
            ip.QUOTE_NOT_CLOSED: self.tr("Unclosed quote starting on line %1: the lines after it are read as "
                                         "rows of their own."),
            ip.BAD_VALUE: self.tr("%3: %4"),
            ip.BAD_HANDLE: self.tr("%3: “%1” is not an X handle (letters, digits and _, at most 15)."),
            ip.BAD_USER_ID: self.tr("%3: “%1” is not an X user id (it has digits only)."),
            ip.ROUNDED_USER_ID: self.tr("%3: “%1” is an id a spreadsheet rounded; export the ids as text."),
            ip.DUPLICATE: self.tr("The same person as row %1."),
            ip.AMBIGUOUS_HANDLE: self.tr("@%1 matches several members: merge or edit them first."),
            ip.ID_HANDLE_CONFLICT: self.tr("The X user id and the handle %1 belong to different members."),
            ip.FORGOTTEN: self.tr("X user %1 asked to be forgotten: they are not imported."),
        }
        text = texts.get(bad.code, bad.code)
        return (text.replace("%1", bad.value).replace("%2", bad.detail).replace("%3", bad.column)
                .replace("%4", bad.detail))

    def _show_failure(self, message: str, known: bool) -> None:
        if not known:
            message = self.tr("Something went wrong and nothing was imported. The log has the details: %1").replace(
                "%1", message)
        self.summary.setText(message)
        if self.table is None:
            self.file_info.setText(self.tr("The file could not be read."))
        if self._writing:
            # Nothing was written; the rows are checked again against the workspace as it is now.
            self._writing = False
            self.mapping_table.setEnabled(True)
            self.file_info.setText(message)
            self.replan()
            return
        self.plan_ready.emit()
        self._update_buttons()

    # -- writing -----------------------------------------------------------

    @Slot()
    def import_good_rows(self) -> None:
        if self.plan is None or not self.plan.rows or self._writing:
            return
        plan, now = self.plan, self.context.clock.now()
        self._writing = True
        self.summary.setText(self.tr("Importing…"))
        self.mapping_table.setEnabled(False)
        self._start(lambda: write_import(plan, now), self._written)

    def _written(self, result: ImportResult) -> None:
        self._writing = False
        self.result_ = result
        self.context.notify(Changes(members_added=set(result.members_added),
                                    members_updated=set(result.members_updated)))
        self.imported.emit(result)
        self.accept()
