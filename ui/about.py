"""The About box: what the app is, and every version a bug report needs, ready to copy."""

from __future__ import annotations

import importlib
import importlib.metadata
import platform
import sqlite3

from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop import __version__
from ahoy_desktop.paths import data_dir

# (name shown, distribution name, module whose __version__ stands in when metadata is missing, as in a bundle)
LIBRARIES = (
    ("PySide6", "PySide6-Essentials", "PySide6"),
    ("pyqtgraph", "pyqtgraph", "pyqtgraph"),
    ("tweepy", "tweepy", "tweepy"),
    ("peewee", "peewee", "peewee"),
    ("keyring", "keyring", "keyring"),
)


def library_version(distribution: str, module: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        pass
    try:
        return str(getattr(importlib.import_module(module), "__version__", "?"))
    except ImportError:
        return "-"


def version_lines() -> list[tuple[str, str]]:
    """Each component and its version, in the order a bug report lists them."""
    lines = [
        ("Ahoy Desktop", __version__),
        ("Python", platform.python_version()),
        ("Qt", qVersion()),
    ]
    lines += [(name, library_version(dist, module)) for name, dist, module in LIBRARIES]
    lines += [
        ("SQLite", sqlite3.sqlite_version),
        (QCoreApplication.translate("About", "Operating system"), platform.platform()),
        (QCoreApplication.translate("About", "Data folder"), str(data_dir())),
    ]
    return lines


def report_text() -> str:
    """Plain text for a bug report: one ``name: version`` a line."""
    return "\n".join(f"{name}: {value}" for name, value in version_lines())


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Ahoy Desktop"))
        title = QLabel(self.tr("<h3>Ahoy Desktop %1</h3>").replace("%1", __version__))
        title.setTextFormat(Qt.TextFormat.RichText)
        blurb = QLabel(self.tr("Your X community on your laptop: members, activity, scoring and dashboards, "
                               "browsable offline. Your data stays on this computer; the app only talks to X."))
        blurb.setWordWrap(True)
        self.versions = QPlainTextEdit(report_text())
        self.versions.setReadOnly(True)
        self.versions.setAccessibleName(self.tr("Versions"))
        lines = self.versions.document().blockCount() + 1
        self.versions.setMinimumHeight(self.fontMetrics().lineSpacing() * lines + 12)
        self.versions.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 64)
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy the versions, to paste into a bug report"))
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(blurb)
        layout.addWidget(self.versions, 1)
        layout.addWidget(buttons)

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.versions.toPlainText())
