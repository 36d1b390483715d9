"""What every tab is given: the clock, settings, the open workspace and the sync.

Tabs never reach for globals; they hold this and listen to its signals:
``workspace_opened`` (reload everything) and ``changed`` (a ``Changes`` value
from a sync or an edit: refresh only what it names).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ahoy_desktop.changes import Changes
from ahoy_desktop.clock import Clock
from ahoy_desktop.session import WorkspaceSession
from ahoy_desktop.settings import Settings


class AppContext(QObject):
    workspace_opened = Signal()
    workspace_closing = Signal()
    changed = Signal(object)  # Changes
    open_member_requested = Signal(int)  # a member id, to show in the Members tab

    def __init__(self, clock: Clock, settings: Settings, parent: QObject | None = None):
        super().__init__(parent)
        self.clock = clock
        self.settings = settings
        self.session: WorkspaceSession | None = None
        self.sync = None  # the SyncController, set by the main window

    def notify(self, changes: Changes) -> None:
        if changes:
            self.changed.emit(changes)
