"""The Members menu: import, export the view, merge two members, find duplicates.

Each action opens its own dialog or background job; this module only wires
them to the Members tab's current view and selection.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMenuBar, QMessageBox, QWidget

from ahoy_desktop.member_columns import export_keys
from ahoy_desktop.members import export_view

from .context import AppContext
from .duplicates_dialog import DuplicatesDialog
from .member_export_job import CSV, XLSX, ExportJob, ask_export_path
from .member_import_dialog import MemberImportDialog
from .member_table_model import MEMBER_ID_ROLE
from .members_tab import MembersTab
from .merge_dialog import MergeDialog


class MemberActions(QObject):
    def __init__(self, context: AppContext, members: MembersTab, window: QWidget):
        super().__init__(window)
        self.context, self.members, self.window = context, members, window
        self.jobs: list[ExportJob] = []

    def build_menu(self, menu_bar: QMenuBar) -> None:
        menu = menu_bar.addMenu(self.tr("&Members"))
        self.import_action = self._add(menu, self.tr("&Import members from CSV…"), self.import_csv,
                                       QKeySequence("Ctrl+I"))
        self.export_csv_action = self._add(menu, self.tr("Export view as &CSV…"), lambda: self.export(CSV),
                                           QKeySequence("Ctrl+E"))
        self.export_xlsx_action = self._add(menu, self.tr("Export view as &Excel…"), lambda: self.export(XLSX))
        menu.addSeparator()
        self.merge_action = self._add(menu, self.tr("&Merge the two selected members…"), self.merge_selected,
                                      QKeySequence("Ctrl+M"))
        self.duplicates_action = self._add(menu, self.tr("Find &duplicates…"), self.find_duplicates)
        menu.aboutToShow.connect(self._update_enabled)
        self._update_enabled()

    def _add(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    @Slot()
    def _update_enabled(self) -> None:
        open_ = self.context.session is not None
        for action in (self.import_action, self.export_csv_action, self.export_xlsx_action, self.duplicates_action):
            action.setEnabled(open_)
        self.merge_action.setEnabled(open_ and len(self.selected_member_ids()) == 2)

    def selected_member_ids(self) -> list[int]:
        rows = self.members.table.selectionModel().selectedRows() if self.members.table.selectionModel() else []
        return [int(index.data(MEMBER_ID_ROLE)) for index in rows if index.data(MEMBER_ID_ROLE) is not None]

    @Slot()
    def import_csv(self) -> MemberImportDialog | None:
        if self.context.session is None:
            return None
        dialog = MemberImportDialog(self.context, self.window)
        dialog.choose_file()
        if dialog.path_edit.text():
            dialog.exec()
        return dialog

    def export(self, kind: str, path: str | None = None) -> ExportJob | None:
        """Write the Members tab's view (search, filters, order, visible columns) on a worker thread.

        The X user id is written even when its column is hidden: a file read back needs it.
        """
        if self.context.session is None:
            return None
        path = path or ask_export_path(self.window, kind)
        if not path:
            return None
        query, visible = self.members.current_view()
        columns = export_keys(visible)
        headers, _rows = export_view(query, columns)
        job = ExportJob(path, kind, headers, lambda: export_view(query, columns)[1], self)
        job.finished_ok.connect(self._exported)
        job.failed.connect(self._export_failed)
        job.finished.connect(lambda: self.jobs.remove(job) if job in self.jobs else None)
        self.jobs.append(job)
        job.start()
        return job

    @Slot(str, int)
    def _exported(self, path: str, count: int) -> None:
        self.window.statusBar().showMessage(self.tr("%n member(s) exported to {path}", "", count).format(path=path),
                                            8000)

    @Slot(str)
    def _export_failed(self, message: str) -> None:
        QMessageBox.warning(self.window, self.tr("Export failed"), message)

    @Slot()
    def merge_selected(self) -> MergeDialog | None:
        ids = self.selected_member_ids()
        if len(ids) != 2:
            QMessageBox.information(self.window, self.tr("Merge members"), self.tr(
                "Select exactly two members in the Members tab (Ctrl+click) to merge them."))
            return None
        dialog = MergeDialog(ids[0], ids[1], self.context.clock, self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.changes is not None:
            self.context.notify(dialog.changes)
        return dialog

    @Slot()
    def find_duplicates(self) -> None:
        if self.context.session is not None:
            DuplicatesDialog(self.context, self.window).exec()

    def wait(self) -> None:
        """Let running exports finish (the window is closing)."""
        for job in list(self.jobs):
            job.wait()
