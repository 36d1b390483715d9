"""Forgetting a person from the Members tab: the question, the work off the window's thread, the undo bar.

The deletion, the merge of the search indexes and the cleaning of every
backup (each one a whole copy of the workspace) take seconds on a large
workspace, so they run on a worker thread with its own connection: the
window stays usable and says how far the backups are.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime

import peewee
from PySide6.QtCore import QCoreApplication, QThread, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMenu, QMessageBox, QProgressBar, QToolButton, QWidget

from ahoy_desktop import forget
from ahoy_desktop.db.models import database_proxy

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("MemberForget", text)


def who_was(forgotten: forget.Forgotten) -> str:
    return forgotten.name or f"@{forgotten.handle}"


class ForgetDialog(QMessageBox):
    """Asks before forgetting someone, saying plainly what goes, what stays and where copies remain."""

    def __init__(self, who: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("Forget this person"))
        self.setText(self.tr("Forget %1?").replace("%1", who))
        self.setInformativeText(self.tr(
            "Deleted from this workspace: their profile, X identities and handle history, every activity, "
            "tags, notes, custom field values, scores and stage history.\n\n"
            "Kept: only their X user id, on a list that stops later syncs from bringing them back.\n\n"
            "This workspace's backups are cleaned the same way, but files you exported before now are outside "
            "the app: delete those yourself if the request covers them.\n\n"
            "You can undo this until you close Ahoy Desktop; undo brings them back into the workspace only, "
            "not into its backups."))
        self.forget_button = self.addButton(self.tr("Forget"), QMessageBox.ButtonRole.DestructiveRole)
        self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(QMessageBox.StandardButton.Cancel)

    def confirmed(self) -> bool:
        self.exec()
        return self.clickedButton() is self.forget_button


class ForgetJob(QThread):
    """One forget: the workspace first (``removed``), then every backup (``backups_progress``, ``finished_ok``)."""

    removed = Signal(object)  # Forgotten: gone from the workspace; the backups come next
    backups_progress = Signal(int, int)  # copies cleaned, copies in all
    finished_ok = Signal(object)  # Forgotten, with the copies that could not be cleaned
    failed = Signal(str)

    def __init__(self, member_id: int, now: datetime, parent=None):
        super().__init__(parent)
        self.member_id, self.now = member_id, now
        self.workspace_done = False

    def run(self) -> None:
        try:
            with database_proxy.connection_context():
                forgotten = forget.forget_in_workspace(self.member_id, self.now)
                self.workspace_done = True
                self.removed.emit(forgotten)
                forgotten.copies_not_cleaned = forget.forget_in_backups(forgotten, self.backups_progress.emit)
        except LookupError:
            self.failed.emit(_tr("This member is no longer in the workspace (merged or forgotten meanwhile)."))
        except (sqlite3.OperationalError, peewee.OperationalError) as exc:  # a sync held the file too long
            log.warning("a forget could not finish: %s", exc)
            self.failed.emit(_tr("The workspace was busy (a sync may be writing); try again in a moment."))
        except Exception as exc:  # a bug: logged with its traceback
            log.exception("forgetting a member failed")
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.finished_ok.emit(forgotten)


class ForgottenBar(QFrame):
    """People forgotten since the app started, newest last (undo lasts until it closes), and a forget under way."""

    undo_requested = Signal(object)  # Forgotten

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.forgotten: list[forget.Forgotten] = []
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Cleaning the backups"))
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.undo_button = QToolButton()
        self.undo_button.setText(self.tr("Undo forget"))
        self.undo_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.undo_menu = QMenu(self.undo_button)
        self.undo_button.setMenu(self.undo_menu)
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.undo_button)
        self._working: str | None = None  # who is being forgotten right now
        self._in_backups = False  # ... and they are gone from the workspace already
        self.hide()

    def start(self, who: str) -> None:
        self._working, self._in_backups = who, False
        self.progress.setRange(0, 0)  # busy until the backups are counted
        self.progress.show()
        self._update()

    def removed(self, forgotten: forget.Forgotten) -> None:
        """The person is gone from the workspace (undo possible); the backups come next."""
        self._in_backups = True
        self.add(forgotten)

    def show_backups(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(self.tr("Backups: %1 of %2").replace("%1", str(done)).replace("%2", str(total)))

    def stop(self) -> None:
        self._working, self._in_backups = None, False
        self.progress.hide()
        self._update()

    def add(self, forgotten: forget.Forgotten) -> None:
        self.forgotten.append(forgotten)
        self._update()

    def remove(self, forgotten: forget.Forgotten) -> None:
        self.forgotten.remove(forgotten)
        self._update()

    def clear(self) -> None:
        self.forgotten.clear()
        self.stop()

    def _update(self) -> None:
        self.undo_menu.clear()
        for forgotten in reversed(self.forgotten):
            action = self.undo_menu.addAction(self.tr("Bring back %1").replace("%1", who_was(forgotten)))
            action.triggered.connect(lambda _=False, f=forgotten: self.undo_requested.emit(f))
        self.undo_button.setVisible(bool(self.forgotten))
        last = who_was(self.forgotten[-1]) if self.forgotten else None
        if self._working is not None and self._in_backups and last is not None:
            text = self.tr("%1 was forgotten; removing them from the backups too…").replace("%1", last)
        elif self._working is not None:
            text = self.tr("Forgetting %1…").replace("%1", self._working)
        elif last is not None:
            text = self.tr("%1 was forgotten. You can undo this until you close Ahoy Desktop.").replace("%1", last)
        else:
            text = ""
        self.label.setText(text)
        self.setVisible(bool(text))
