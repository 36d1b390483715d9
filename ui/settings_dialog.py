"""The Settings dialog: General (theme, data folder, backup), Sync, X account, Custom fields.

Every value goes through the typed registry. Apply and OK check every page
first and write only when all is valid, so a refused value leaves every
setting as it was; the theme takes effect app-wide at once.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop.changes import Changes
from ahoy_desktop.paths import data_dir
from ahoy_desktop.settings import OWN_POSTS_DAYS, RATE_WAIT_LIMIT_MINUTES, SYNC_INTERVAL_HOURS, THEME, Setting

from .context import AppContext
from .theme import DARK, LIGHT, SYSTEM, THEMES, apply_theme
from .x_settings_page import XSettingsPage

log = logging.getLogger(__name__)

PAGE_GENERAL, PAGE_SYNC, PAGE_X, PAGE_CUSTOM_FIELDS = range(4)


def _scrolled(page: QWidget) -> QScrollArea:
    """Long pages scroll rather than push the dialog off a small or scaled screen."""
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


class _RefusalMemory:
    """A spin box silently puts back its last value when editing ends on an out-of-range entry;
    this remembers the entry so the dialog can refuse it out loud."""

    refused = ""

    def fixup(self, text: str):
        self.refused = text
        return super().fixup(text)


class NumberBox(_RefusalMemory, QSpinBox):
    pass


class DecimalBox(_RefusalMemory, QDoubleSpinBox):
    pass


def _spin_box(setting: Setting, decimals: int, suffix: str) -> QAbstractSpinBox:
    box = DecimalBox() if decimals else NumberBox()
    if decimals:
        box.setDecimals(decimals)
        box.setRange(setting.minimum, setting.maximum)
    else:
        box.setRange(int(setting.minimum), int(setting.maximum))
    box.lineEdit().textEdited.connect(lambda _text: setattr(box, "refused", ""))
    box.setSuffix(suffix)
    box.setToolTip(setting.description)
    return box


class _BackupSignals(QObject):
    done = Signal(str)
    failed = Signal(str)


class _BackupJob(QRunnable):
    """Copies the workspace off the UI thread: a large file takes a while."""

    def __init__(self, workspace: Path, signals: _BackupSignals):
        super().__init__()
        self.workspace, self.signals = workspace, signals

    def run(self) -> None:
        from ahoy_desktop.backups import back_up_now

        try:
            target = back_up_now(self.workspace)
        except OSError as exc:
            self.signals.failed.emit(str(exc))
            return
        except Exception as exc:  # a bug: log it, say so calmly
            log.exception("backing up %s failed", self.workspace)
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.signals.done.emit(str(target))


class SettingsDialog(QDialog):
    applied = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None, page: int = PAGE_GENERAL):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(self.tr("Settings"))
        self._backups = QThreadPool(self)
        self._backups.setMaxThreadCount(1)
        self._backups.setExpiryTimeout(0)
        self._backup_signals = _BackupSignals(self)
        self._backup_signals.done.connect(self._backup_done)
        self._backup_signals.failed.connect(self._backup_failed)

        self.x_page = XSettingsPage(context)
        self.pages = QTabWidget()
        self.pages.addTab(_scrolled(self._general_page()), self.tr("General"))
        self.pages.addTab(_scrolled(self._sync_page()), self.tr("Sync"))
        self.pages.addTab(_scrolled(self.x_page), self.tr("X account"))
        self.pages.addTab(_scrolled(self._custom_fields_page()), self.tr("Custom fields"))
        self.pages.setCurrentIndex(page)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.Apply)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(buttons)
        self.load()
        font = self.fontMetrics()
        wanted = QSize(font.horizontalAdvance("x") * 95, font.lineSpacing() * 40)
        self.resize(wanted.boundedTo(self.screen().availableGeometry().size() * 0.9))  # 200% on a small screen

    # -- pages -------------------------------------------------------------------

    def _general_page(self) -> QWidget:
        self.theme_combo = QComboBox()
        self.theme_combo.setAccessibleName(self.tr("Colour scheme"))
        for theme, label in ((SYSTEM, self.tr("Same as the system")), (LIGHT, self.tr("Light")),
                             (DARK, self.tr("Dark"))):
            self.theme_combo.addItem(label, theme)
        look = QGroupBox(self.tr("Appearance"))
        QFormLayout(look).addRow(self.tr("Colour scheme:"), self.theme_combo)

        self.data_folder_edit = QLineEdit(str(data_dir()))
        self.data_folder_edit.setReadOnly(True)
        self.data_folder_edit.setAccessibleName(self.tr("Data folder"))
        self.open_folder_button = QPushButton(self.tr("Open folder"))
        self.open_folder_button.clicked.connect(self.open_data_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.data_folder_edit, 1)
        folder_row.addWidget(self.open_folder_button)
        self.workspace_label = QLabel()
        self.workspace_label.setWordWrap(True)
        self.workspace_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.back_up_button = QPushButton(self.tr("Back up now"))
        self.back_up_button.setToolTip(self.tr("Copy the open workspace to a backup file, safely even during a sync"))
        self.back_up_button.clicked.connect(self.back_up_now)
        self.backup_status = QLabel()
        self.backup_status.setWordWrap(True)
        self.backup_status.setAccessibleName(self.tr("Backup status"))
        self.backup_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        backup_row = QHBoxLayout()
        backup_row.addWidget(self.back_up_button)
        backup_row.addWidget(self.backup_status, 1)
        data = QGroupBox(self.tr("Your data"))
        data_layout = QVBoxLayout(data)
        note = QLabel(self.tr("Workspaces, backups and the log are kept in this folder, on this computer only."))
        note.setWordWrap(True)
        data_layout.addWidget(note)
        data_layout.addLayout(folder_row)
        data_layout.addWidget(self.workspace_label)
        data_layout.addLayout(backup_row)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(look)
        layout.addWidget(data)
        layout.addStretch(1)
        return page

    def _sync_page(self) -> QWidget:
        self.interval_box = _spin_box(SYNC_INTERVAL_HOURS, 2, self.tr(" hours"))
        self.interval_box.setAccessibleName(self.tr("Hours between refreshes"))
        self.wait_limit_box = _spin_box(RATE_WAIT_LIMIT_MINUTES, 1, self.tr(" minutes"))
        self.wait_limit_box.setAccessibleName(self.tr("Longest rate-limit wait"))
        self.own_posts_box = _spin_box(OWN_POSTS_DAYS, 0, self.tr(" days"))
        self.own_posts_box.setAccessibleName(self.tr("Days of own posts to follow"))
        box = QGroupBox(self.tr("Refreshes"))
        form = QFormLayout(box)
        form.addRow(self.tr("Refresh every:"), self.interval_box)
        form.addRow(self.tr("Wait for a rate limit at most:"), self.wait_limit_box)
        form.addRow(self.tr("Follow likes and retweets of posts from the last:"), self.own_posts_box)
        note = QLabel(self.tr("X allows only so many requests per 15 minutes. When a sync would wait longer than "
                              "the limit above, it stops and the next refresh carries on where it left off."))
        note.setWordWrap(True)
        form.addRow(note)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(box)
        layout.addStretch(1)
        return page

    def _custom_fields_page(self) -> QWidget:
        text = QLabel(self.tr("Custom fields are member fields of your own, filled from X on the Data Mapping tab "
                              "or typed into a member's profile. Each workspace has its own."))
        text.setWordWrap(True)
        self.custom_fields_button = QPushButton(self.tr("Edit custom fields…"))
        self.custom_fields_button.clicked.connect(self.open_custom_fields)
        self.custom_fields_note = QLabel()
        self.custom_fields_note.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(text)
        layout.addWidget(self.custom_fields_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.custom_fields_note)
        layout.addStretch(1)
        return page

    # -- values ------------------------------------------------------------------

    def _numbers(self) -> list[tuple[QAbstractSpinBox, Setting, str]]:
        return [
            (self.interval_box, SYNC_INTERVAL_HOURS, self.tr("Refresh every")),
            (self.wait_limit_box, RATE_WAIT_LIMIT_MINUTES, self.tr("Wait for a rate limit at most")),
            (self.own_posts_box, OWN_POSTS_DAYS, self.tr("Follow likes and retweets of posts from the last")),
        ]

    def load(self) -> None:
        settings = self.context.settings
        theme = settings.get(THEME)
        self.theme_combo.setCurrentIndex(THEMES.index(theme) if theme in THEMES else 0)
        for box, setting, _label in self._numbers():
            box.setValue(settings.get(setting))
        session = self.context.session
        self.back_up_button.setEnabled(session is not None)
        self.custom_fields_button.setEnabled(session is not None)
        if session is None:
            self.workspace_label.setText(self.tr("No workspace is open."))
            self.custom_fields_note.setText(self.tr("Open a workspace to edit its custom fields."))
        else:
            self.workspace_label.setText(self.tr("Open workspace: %1").replace("%1", str(session.path)))
            self.custom_fields_note.setText("")

    def invalid_values(self) -> list[str]:
        """What the user typed that the registry would refuse, one message each."""
        problems = []
        for box, _setting, label in self._numbers():
            entered = box.refused or ("" if box.hasAcceptableInput() else box.text())
            if entered:
                entered = entered.removesuffix(box.suffix()).strip()
                problems.append(self.tr("%1: %2 is not allowed; enter a number from %3 to %4.")
                                .replace("%1", label).replace("%2", entered)
                                .replace("%3", box.textFromValue(box.minimum()))
                                .replace("%4", box.textFromValue(box.maximum())))
        return problems

    @Slot()
    def apply(self) -> bool:
        """Write every page's values; refuse them all, with a message, if any is invalid."""
        problems = self.invalid_values()
        if problems:
            for box, _setting, _label in self._numbers():
                box.refused = ""  # said once; the box shows the value it went back to
            QMessageBox.warning(self, self.tr("Settings not saved"),
                                self.tr("Some values are out of range, so nothing was changed.") + "\n\n"
                                + "\n".join(problems))
            return False
        settings = self.context.settings
        try:
            for box, setting, _label in self._numbers():
                settings.set(setting, box.value())
            theme = self.theme_combo.currentData()
            settings.set(THEME, theme)
        except ValueError as exc:
            QMessageBox.warning(self, self.tr("Settings not saved"), str(exc))
            return False
        self.x_page.apply()
        settings.sync()
        apply_theme(theme)
        self.applied.emit()
        return True

    @Slot()
    def _accept(self) -> None:
        if self.apply():
            self.accept()

    # -- actions -----------------------------------------------------------------

    @Slot()
    def open_data_folder(self) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_dir()))):
            QMessageBox.information(self, self.tr("Data folder"),
                                    self.tr("No file manager could be opened. The data folder is:\n%1")
                                    .replace("%1", str(data_dir())))

    @Slot()
    def back_up_now(self) -> None:
        session = self.context.session
        if session is None:
            return
        self.back_up_button.setEnabled(False)
        self.backup_status.setText(self.tr("Backing up…"))
        self._backups.start(_BackupJob(Path(session.path), self._backup_signals))

    def wait_for_backup(self, msecs: int = -1) -> bool:
        return self._backups.waitForDone(msecs)

    @Slot(str)
    def _backup_done(self, target: str) -> None:
        self.back_up_button.setEnabled(self.context.session is not None)
        self.backup_status.setText(self.tr("Backed up to %1").replace("%1", target))

    @Slot(str)
    def _backup_failed(self, message: str) -> None:
        self.back_up_button.setEnabled(self.context.session is not None)
        self.backup_status.setText(self.tr("The backup failed."))
        QMessageBox.warning(self, self.tr("Backup failed"),
                            self.tr("The workspace could not be backed up:\n\n%1\n\nThe workspace itself is "
                                    "unchanged.").replace("%1", message))

    @Slot()
    def open_custom_fields(self) -> None:
        from .custom_fields_dialog import CustomFieldsDialog

        dialog = CustomFieldsDialog(self.context.clock, self)
        # A deleted field takes its mapping with it, so every tab hears of it.
        dialog.fields_changed.connect(lambda: self.context.notify(Changes(mapping_changed=True)))
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()

    def done(self, result: int) -> None:
        self.wait_for_backup()  # a backup in flight finishes before the dialog goes
        super().done(result)
