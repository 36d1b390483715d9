"""A damaged workspace file: what happened, and the ways forward.

The file was already moved aside (never deleted) when it was found damaged.
The user picks: restore the newest backup (its date shown), start a fresh
workspace in its place, or quit.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ahoy_desktop.backups import Backup
from ahoy_desktop.db import WorkspaceCorrupt

RESTORE = "restore"
FRESH = "fresh"
QUIT = "quit"


class OpenFailureDialog(QMessageBox):
    def __init__(self, error: WorkspaceCorrupt, backup: Backup | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("Workspace damaged"))
        self.setText(self.tr("The workspace %1 is damaged and cannot be opened.").replace("%1", error.path.name))
        moved = self.tr("It was moved aside, not deleted, as %1.").replace("%1", str(error.set_aside))
        if backup is not None:
            when = backup.made_at.astimezone().strftime("%Y-%m-%d %H:%M")
            offer = self.tr("The newest backup of it was made on %1.").replace("%1", when)
        else:
            offer = self.tr("There is no backup of this workspace.")
        self.setInformativeText(f"{moved}\n\n{offer}")
        self.setDetailedText(error.problem)
        self.restore_button = None
        if backup is not None:
            self.restore_button = self.addButton(self.tr("Restore the backup of %1").replace("%1", when),
                                                 QMessageBox.ButtonRole.AcceptRole)
        self.fresh_button = self.addButton(self.tr("Start a fresh workspace"), QMessageBox.ButtonRole.ResetRole)
        self.quit_button = self.addButton(self.tr("Quit"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.restore_button or self.fresh_button)
        self.setEscapeButton(self.quit_button)

    def choose(self) -> str:
        """Show the dialog; RESTORE, FRESH or QUIT."""
        self.exec()
        clicked = self.clickedButton()
        if clicked is not None and clicked is self.restore_button:
            return RESTORE
        if clicked is self.fresh_button:
            return FRESH
        return QUIT
