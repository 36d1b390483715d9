"""Exporting the members view to a file, off the window's thread.

The Members tab hands over the headers and a function that makes the rows
of its current view (filters and columns as shown); the rows are made and
written on a worker thread with its own database connection, so a large
workspace does not freeze the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QThread, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from ahoy_desktop.db.models import database_proxy
from ahoy_desktop.member_io.csv_export import write_csv
from ahoy_desktop.member_io.xlsx_export import write_xlsx

log = logging.getLogger(__name__)

CSV, XLSX = "csv", "xlsx"
WRITERS = {CSV: write_csv, XLSX: write_xlsx}


def ask_export_path(parent: QWidget, kind: str, suggested_name: str = "members") -> str | None:
    """Ask where to write; the right extension is added when the name has none."""
    tr = QCoreApplication.translate
    if kind == XLSX:
        title, pattern = tr("MemberExport", "Export view as Excel"), tr("MemberExport", "Excel workbook (*.xlsx)")
    else:
        title, pattern = tr("MemberExport", "Export view as CSV"), tr("MemberExport", "CSV file (*.csv)")
    path, _ = QFileDialog.getSaveFileName(parent, title, f"{suggested_name}.{kind}", pattern)
    if not path:
        return None
    return path if Path(path).suffix else f"{path}.{kind}"


class ExportJob(QThread):
    """Writes one export; ``finished_ok(path, rows)`` or ``failed(message)`` tells how it went."""

    finished_ok = Signal(str, int)
    failed = Signal(str)

    def __init__(self, path: str | Path, kind: str, headers: list[str],
                 make_rows: Callable[[], Iterable[list[object]]], parent=None):
        super().__init__(parent)
        self.path, self.kind, self.headers, self.make_rows = str(path), kind, list(headers), make_rows

    def run(self) -> None:
        try:
            with database_proxy.connection_context():
                count = WRITERS[self.kind](self.path, self.headers, self.make_rows())
        except OSError as exc:  # a full disk, a folder without write access: the user can act on it
            self.failed.emit(QCoreApplication.translate("MemberExport", "The file could not be written: %1")
                             .replace("%1", exc.strerror or str(exc)))
        except Exception as exc:  # a bug: logged with its traceback
            log.exception("export failed")
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.finished_ok.emit(self.path, count)
