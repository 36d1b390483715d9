"""A bug, reported calmly: the traceback to a private log file, a short dialog for the user.

The fault hooks (``faults``) send every exception nobody caught here, from
the UI thread or any other, instead of letting it end the app. The dialog says what happened in one sentence,
that the data is safe, and where the details are, with "Open folder" and
"Copy details". The log and the copied details pass through the redaction
that keeps tokens out of every log. A crash while reporting one is written to
stderr and goes no further: the report never recurses.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop.db.file_check import stamp
from ahoy_desktop.log_redaction import redact
from ahoy_desktop.paths import data_dir
from ahoy_desktop.private_files import make_private

log = logging.getLogger(__name__)

_reporting = False  # set while a crash is being reported: a second one only goes to stderr


def crash_details(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    return redact("".join(traceback.format_exception(exc_type, exc, tb)))


def write_crash_log(details: str, folder: Path | None = None) -> Path:
    """Save the (already redacted) details to ``crash-<UTC time>.log``, readable only by the user.

    Created exclusively: two threads failing in the same second each get a file of their own.
    """
    folder = folder or data_dir()
    when, n = stamp(), 1
    while True:
        path = folder / (f"crash-{when}.log" if n == 1 else f"crash-{when}-{n}.log")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            n += 1
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(details)
        make_private(path)
        return path


class CrashDialog(QDialog):
    def __init__(self, log_path: Path, details: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.log_path = log_path
        self.details = details
        self.setWindowTitle(self.tr("Something went wrong"))
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message = QLabel(self.tr(
            "Ahoy Desktop hit an unexpected problem and could not finish what it was doing.\n\n"
            "Your data is safe: everything saved before this is still in your workspace. "
            "The details were saved to:"))
        self.message.setWordWrap(True)
        self.path_label = QLabel(str(log_path))
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)

        buttons = QDialogButtonBox()
        self.open_folder_button = QPushButton(self.tr("Open folder"))
        self.copy_button = QPushButton(self.tr("Copy details"))
        buttons.addButton(self.open_folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)

        text = QVBoxLayout()
        text.addWidget(self.message)
        text.addWidget(self.path_label)
        row = QHBoxLayout()
        row.addWidget(icon)
        row.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_path.parent)))

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)


def _usable(parent: QWidget | None) -> QWidget | None:
    """The window, if it exists and has not been destroyed; the dialog stands alone otherwise."""
    if parent is None:
        return None
    import shiboken6

    return parent if shiboken6.isValid(parent) else None


def record_crash(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None,
                 folder: Path | None = None) -> tuple[Path | None, str]:
    """Write the redacted traceback to a crash log and the app's log; safe from any thread.

    Returns the crash log's path (None if it could not be saved) and the details.
    """
    details = crash_details(exc_type, exc, tb)
    try:
        log_path = write_crash_log(details, folder)
    except OSError as error:
        print(f"The crash log could not be saved ({error}):\n{details}", file=sys.stderr)
        return None, details
    log.error("unexpected error (details in %s):\n%s", log_path.name, details)
    return log_path, details


def show_crash_dialog(parent: QWidget | None, log_path: Path, details: str) -> None:
    """The calm dialog, on the UI thread; a crash while reporting one only goes to stderr."""
    global _reporting
    if _reporting:
        print(f"Another unexpected error while reporting one:\n{details}", file=sys.stderr)
        return
    _reporting = True
    try:
        if QApplication.instance() is not None:
            try:
                CrashDialog(log_path, details, _usable(parent)).exec()
            except Exception:
                print(f"The crash dialog failed:\n{crash_details(*sys.exc_info())}", file=sys.stderr)
    finally:
        _reporting = False


def report_crash(parent: QWidget | None, exc_type: type[BaseException], exc: BaseException,
                 tb: TracebackType | None, folder: Path | None = None) -> Path | None:
    """Log the traceback and show the dialog (UI thread); return the crash log's path (None if not saved)."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return None
    if _reporting:
        print(f"Another unexpected error while reporting one:\n{crash_details(exc_type, exc, tb)}", file=sys.stderr)
        return None
    log_path, details = record_crash(exc_type, exc, tb, folder)
    if log_path is not None:
        show_crash_dialog(parent, log_path, details)
    return log_path
