"""A damaged workspace file: what happened, and the ways forward.

The file was already moved aside (never deleted) when it was found damaged,
at start or while in use. The user picks: restore the newest backup (its date
shown), start a fresh workspace in its place, or quit. When that backup turns
out damaged too, the dialog comes back offering the next older one.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ahoy_desktop.backups import Backup
from ahoy_desktop.db import WorkspaceCorrupt

RESTORE = "restore"
FRESH = "fresh"
QUIT = "quit"


def _when(backup: Backup) -> str:
    return backup.made_at.astimezone().strftime("%Y-%m-%d %H:%M")


class OpenFailureDialog(QMessageBox):
    def __init__(self, error: WorkspaceCorrupt, backup: Backup | None, parent: QWidget | None = None, *,
                 while_open: bool = False, failed_backup: Backup | None = None):
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("Workspace damaged"))
        if while_open:
            self.setText(self.tr("Part of the workspace %1 can no longer be read: the file is damaged.")
                         .replace("%1", error.path.name))
        else:
            self.setText(self.tr("The workspace %1 is damaged and cannot be opened.").replace("%1", error.path.name))
        parts = [self.tr("It was moved aside, not deleted, as %1.").replace("%1", str(error.set_aside))]
        if failed_backup is not None:
            parts.append(self.tr("The backup of %1 is damaged too; it was left as it was.")
                         .replace("%1", _when(failed_backup)))
        if backup is not None:
            when = _when(backup)
            if failed_backup is not None:
                parts.append(self.tr("The next older backup was made on %1.").replace("%1", when))
            else:
                parts.append(self.tr("The newest backup of it was made on %1.").replace("%1", when))
        elif failed_backup is not None:
            parts.append(self.tr("There is no older backup of this workspace."))
        else:
            parts.append(self.tr("There is no backup of this workspace."))
        self.setInformativeText("\n\n".join(parts))
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
