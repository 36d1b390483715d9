"""The main window: five tabs over one open workspace, menus and a status bar.

It owns the workspace session and the sync controller, and tells the tabs
when a workspace opens or something changed; the tabs do the rest.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QStyle,
    QSystemTrayIcon,
    QTabWidget,
)

from ahoy_desktop.backups import list_backups, restore_backup
from ahoy_desktop.changes import Changes
from ahoy_desktop.db import NotAWorkspace, WorkspaceCorrupt, WorkspaceTooNew
from ahoy_desktop.db.file_check import set_aside
from ahoy_desktop.paths import default_workspace_path, sample_workspace_path
from ahoy_desktop.session import WorkspaceSession, delete_workspace_files
from ahoy_desktop.settings import CURRENT_TAB, KEEP_SYNCING_IN_TRAY, LAST_WORKSPACE, WINDOW_GEOMETRY

from .about import AboutDialog
from .context import AppContext
from .daily_backup import DailyBackup
from .dashboard.tab import DashboardTab
from .faults import fault_reporter
from .integrations_tab import IntegrationsTab
from .mapping_tab import MappingTab
from .member_actions import MemberActions
from .members_tab import MembersTab
from .open_failure_dialog import FRESH, RESTORE, OpenFailureDialog
from .score_keeper import ScoreKeeper
from .scoring_tab import ScoringTab
from .settings_dialog import PAGE_GENERAL, PAGE_X, SettingsDialog
from .sync_controller import SyncController
from .sync_status import SyncStatusLabel

log = logging.getLogger(__name__)

WORKSPACE_FILTER = "Ahoy workspaces (*.ahoy.sqlite *.sqlite);;All files (*)"


def _keys(everywhere: str, standard: QKeySequence.StandardKey) -> list[QKeySequence]:
    """A key every platform gets (Ctrl is Cmd on macOS), shown in the menu, then the platform's own ones.

    The platform's alone can be none a user knows: Qt gives Quit only the
    Exit media key where the keyboard scheme is Windows'.
    """
    keys = [QKeySequence(everywhere)]
    for key in QKeySequence.keyBindings(standard):
        if key not in keys:
            keys.append(key)
    return keys


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        context.sync = SyncController(context, self)
        self.score_keeper = ScoreKeeper(context, self)
        self._fit_to_screen(QSize(960, 620))

        self.integrations = IntegrationsTab(context)
        self.members = MembersTab(context)
        self.mapping = MappingTab(context)
        self.scoring = ScoringTab(context)
        self.dashboard = DashboardTab(context)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for tab, title in (
            (self.integrations, self.tr("Integrations")),
            (self.members, self.tr("Members")),
            (self.mapping, self.tr("Data Mapping")),
            (self.scoring, self.tr("Scoring")),
            (self.dashboard, self.tr("Dashboard")),
        ):
            self.tabs.addTab(tab, title)
        self.setCentralWidget(self.tabs)

        self.integrations.sample_requested.connect(self.open_sample)
        self.dashboard.sample_requested.connect(self.open_sample)
        context.open_member_requested.connect(lambda _member_id: self.tabs.setCurrentWidget(self.members))

        self.member_actions = MemberActions(context, self.members, self)
        self._build_menus()
        self._build_status_bar()
        self._restore_window_state()
        self.tray = self._build_tray()
        self.daily_backup = DailyBackup(self)
        self.daily_backup.failed.connect(lambda message: self.statusBar().showMessage(
            self.tr("Today's backup could not be made: %1").replace("%1", message), 10000))
        self._make_session = None  # how the open workspace was opened: recovering reopens it the same way
        self._recovering = False
        fault_reporter().damaged.connect(self.workspace_damaged, Qt.ConnectionType.QueuedConnection)

    # -- building ----------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.new_action = self._action(file_menu, self.tr("&New workspace…"), self.new_workspace, QKeySequence.New)
        self.open_action = self._action(file_menu, self.tr("&Open workspace…"), self.choose_workspace,
                                        QKeySequence.Open)
        file_menu.addSeparator()
        self.sample_action = self._action(file_menu, self.tr("Try with &sample data"), self.open_sample)
        self.delete_sample_action = self._action(file_menu, self.tr("&Delete sample workspace…"),
                                                 self.delete_sample)
        self.custom_fields_action = self._action(file_menu, self.tr("&Custom member fields…"),
                                                 self.open_custom_fields)
        self.x_settings_action = self._action(file_menu, self.tr("&X account settings…"), self.open_x_settings)
        self.settings_action = self._action(file_menu, self.tr("Se&ttings…"), lambda: self.open_settings())
        self.settings_action.setShortcuts(_keys("Ctrl+,", QKeySequence.StandardKey.Preferences))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        file_menu.addSeparator()
        self.sync_all_action = self._action(file_menu, self.tr("S&ync all accounts now"), self.sync_all,
                                            QKeySequence.Refresh)
        file_menu.addSeparator()
        self.quit_action = self._action(file_menu, self.tr("&Quit"), self.quit_app)
        self.quit_action.setShortcuts(_keys("Ctrl+Q", QKeySequence.StandardKey.Quit))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        self.member_actions.build_menu(self.menuBar())

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        for index in range(self.tabs.count()):
            self._action(view_menu, self.tabs.tabText(index), lambda i=index: self.tabs.setCurrentIndex(i),
                         QKeySequence(f"Ctrl+{index + 1}"))
        for keys, step in (("Ctrl+Tab", 1), ("Ctrl+PgDown", 1), ("Ctrl+Shift+Tab", -1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda step=step: self.tabs.setCurrentIndex(
                (self.tabs.currentIndex() + step) % self.tabs.count()))
        view_menu.addSeparator()
        self.fast_forward_action = self._action(view_menu, self.tr("&Fast-forward the sample a day"),
                                                self.fast_forward, QKeySequence("Ctrl+Shift+F"))

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.about_action = self._action(help_menu, self.tr("&About Ahoy Desktop"), self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_qt_action = self._action(help_menu, self.tr("About &Qt"), QApplication.aboutQt)
        self.about_qt_action.setMenuRole(QAction.MenuRole.AboutQtRole)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_status_bar(self) -> None:
        self.sync_status = SyncStatusLabel(self.context)
        self.statusBar().addWidget(self.sync_status, 1)
        self.sample_clock = QLabel()
        self.sample_clock.setAccessibleName(self.tr("Sample workspace clock"))
        self.fast_forward_button = QPushButton(self.tr("Fast-forward a day"))
        self.fast_forward_button.setToolTip(
            self.tr("Move the sample workspace's clock one day ahead, to watch refreshes find new activity "
                    "and the scoring lockout end."))
        self.fast_forward_button.clicked.connect(self.fast_forward)
        self.statusBar().addPermanentWidget(self.sample_clock)
        self.statusBar().addPermanentWidget(self.fast_forward_button)
        self._clock_timer = QTimer(self)
        self._clock_timer.timeout.connect(self._update_sample_clock)
        self._clock_timer.start(1000)

    def _build_tray(self) -> QSystemTrayIcon | None:
        """With "keep syncing in the tray" on, closing the window hides it; the tray menu has Quit."""
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return None
        icon = self.windowIcon()
        if icon.isNull():
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload)
        tray = QSystemTrayIcon(icon, self)
        tray.setToolTip(self.tr("Ahoy Desktop"))
        menu = QMenu(self)
        menu.addAction(self.tr("Show Ahoy Desktop"), self.show_from_tray)
        menu.addAction(self.tr("Sync all accounts now"), self.sync_all)
        menu.addSeparator()
        menu.addAction(self.tr("Quit"), self.quit_app)
        tray.setContextMenu(menu)
        tray.activated.connect(lambda reason: self.show_from_tray()
                               if reason == QSystemTrayIcon.ActivationReason.Trigger else None)
        tray.setVisible(self.context.settings.get(KEEP_SYNCING_IN_TRAY))
        return tray

    def hides_to_tray(self) -> bool:
        return self.tray is not None and self.context.settings.get(KEEP_SYNCING_IN_TRAY)

    @Slot()
    def show_from_tray(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def _fit_to_screen(self, minimum: QSize) -> None:
        """At 200% a 1920×1080 screen is 960×540: never ask for more room than the screen has."""
        self.setMinimumSize(minimum.boundedTo(self.screen().availableGeometry().size()))

    def _restore_window_state(self) -> None:
        geometry = self.context.settings.get(WINDOW_GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(QSize(1280, 800).boundedTo(self.screen().availableGeometry().size()))
        self.tabs.setCurrentIndex(min(self.context.settings.get(CURRENT_TAB), self.tabs.count() - 1))

    # -- workspaces ------------------------------------------------------------

    def open_path(self, path: str | Path) -> bool:
        """Open a workspace file (created if new); False, with a message, if it can't be."""
        return self._open(lambda: WorkspaceSession(path, self.context.clock, self.context.settings))

    @Slot()
    def open_sample(self) -> bool:
        return self._open(lambda: WorkspaceSession.open_sample(self.context.clock, self.context.settings))

    def _open(self, make_session) -> bool:
        self._close_session()
        try:
            session = make_session()
        except WorkspaceTooNew as exc:
            QMessageBox.warning(self, self.tr("Workspace not opened"), self.tr(
                "This workspace was made by a newer version of Ahoy Desktop (schema %1; this version knows up "
                "to %2). Update Ahoy Desktop to open it; the file was left as it was.")
                .replace("%1", str(exc.version)).replace("%2", str(exc.latest)))
            return False
        except NotAWorkspace as exc:
            QMessageBox.warning(self, self.tr("Workspace not opened"), self.tr(
                "%1 is a database of another program, not an Ahoy Desktop workspace. It was left exactly as it "
                "was. Open a workspace file, or choose File ▸ New workspace to start one.")
                .replace("%1", exc.path.name))
            return False
        except WorkspaceCorrupt as exc:
            return self._recover(exc, make_session)
        except Exception as exc:
            log.exception("could not open a workspace")
            QMessageBox.warning(self, self.tr("Workspace not opened"),
                                self.tr("The workspace could not be opened: %1").replace("%1", str(exc)))
            return False
        self.context.session = session
        self._make_session = make_session
        self.context.settings.set(LAST_WORKSPACE, str(session.path))
        self._update_title()
        self._update_sample_controls()
        self.context.workspace_opened.emit()
        self.context.sync.start_schedule()
        self.daily_backup.start(session.path)
        return True

    def _recover(self, error: WorkspaceCorrupt, make_session, *, while_open: bool = False) -> bool:
        """A damaged file (already moved aside): restore a backup, start afresh, or quit.

        A backup found damaged too is left as it was, and the next older one
        is offered; with none left, a fresh workspace or quitting remain.
        """
        log.warning("workspace damaged: %s", error)
        candidates = list_backups(error.path)  # newest first
        failed = None
        while True:
            backup = candidates[0] if candidates else None
            choice = OpenFailureDialog(error, backup, self, while_open=while_open, failed_backup=failed).choose()
            if choice == RESTORE:
                try:
                    restore_backup(backup, error.path)
                except ValueError as exc:  # damaged too: on to the next older one
                    log.warning("backup %s not restored: %s", backup.path.name, exc)
                    failed = candidates.pop(0)
                    continue
                except OSError as exc:  # a full disk, a folder gone: say so and offer the same again
                    log.warning("backup %s not restored: %s", backup.path.name, exc)
                    QMessageBox.warning(self, self.tr("Backup not restored"), self.tr(
                        "The backup could not be put in place: %1").replace("%1", str(exc)))
                    continue
                return self._open(make_session)
            if choice == FRESH:
                return self._open(make_session)
            QTimer.singleShot(0, self.close)
            return False

    @Slot(str, str)
    def workspace_damaged(self, path: str, problem: str) -> None:
        """The open workspace turned out damaged while in use: close it, set it aside, offer the way on."""
        session = self.context.session
        if session is None or self._recovering or self._make_session is None:
            return
        if path and Path(path).resolve() != session.path.resolve():
            return  # a report about a workspace closed since
        self._recovering = True
        try:
            make_session = self._make_session
            self._close_session()
            aside = set_aside(session.path, "corrupt")
            self._recover(WorkspaceCorrupt(session.path, aside, problem), make_session, while_open=True)
        finally:
            self._recovering = False

    def _close_session(self) -> None:
        self.member_actions.wait()
        if self.context.session is None:
            return
        self.context.workspace_closing.emit()
        self.context.sync.shutdown()
        self.daily_backup.stop()
        self.context.session.close()
        self.context.session = None
        self._make_session = None

    @Slot()
    def new_workspace(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("New workspace"),
                                              str(default_workspace_path().parent / "workspace.ahoy.sqlite"),
                                              WORKSPACE_FILTER)
        if path:
            if Path(path).exists():
                QMessageBox.warning(self, self.tr("Workspace not created"),
                                    self.tr("A file with that name already exists; choose Open workspace "
                                            "to open it."))
                return
            self.open_path(path)

    @Slot()
    def choose_workspace(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open workspace"), str(default_workspace_path().parent),
                                              WORKSPACE_FILTER)
        if path:
            self.open_path(path)

    @Slot()
    def delete_sample(self) -> None:
        answer = QMessageBox.question(
            self, self.tr("Delete the sample workspace?"),
            self.tr("The sample workspace and everything synced into it will be deleted. "
                    "Your own workspaces are not affected."),
            QMessageBox.Yes | QMessageBox.Cancel, QMessageBox.Cancel)
        if answer != QMessageBox.Yes:
            return
        was_open = self.context.session is not None and self.context.session.is_sample
        if was_open:
            self._close_session()
        delete_workspace_files(sample_workspace_path())
        for backup in list_backups(sample_workspace_path()):  # its backups hold sample data only
            backup.path.unlink(missing_ok=True)
        if was_open:
            self.open_path(default_workspace_path())
        self._update_sample_controls()
        self.statusBar().showMessage(self.tr("The sample workspace was deleted."), 5000)

    # -- actions -----------------------------------------------------------

    @Slot()
    def sync_all(self) -> None:
        self.context.sync.sync()

    @Slot()
    def open_x_settings(self) -> None:
        self.open_settings(PAGE_X)

    def open_settings(self, page: int = PAGE_GENERAL) -> SettingsDialog:
        dialog = SettingsDialog(self.context, self, page)
        dialog.applied.connect(self._settings_applied)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()
        return dialog

    @Slot()
    def _settings_applied(self) -> None:
        if self.tray is not None:
            self.tray.setVisible(self.context.settings.get(KEEP_SYNCING_IN_TRAY))

    def open_custom_fields(self) -> None:
        self.tabs.setCurrentWidget(self.mapping)
        self.mapping.open_custom_fields()

    @Slot()
    def fast_forward(self) -> None:
        session = self.context.session
        if session is None or not session.is_sample:
            return
        session.fast_forward(1)
        self._update_sample_clock()
        self.context.notify(Changes(clock_moved=True))
        self.context.sync.sync_due()

    @Slot()
    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()
        return dialog

    # -- state shown ---------------------------------------------------------

    def _update_title(self) -> None:
        session = self.context.session
        if session is None:
            self.setWindowTitle(self.tr("Ahoy Desktop"))
        elif session.is_sample:
            self.setWindowTitle(self.tr("Sample workspace — Ahoy Desktop"))
        else:
            self.setWindowTitle(self.tr("%1 — Ahoy Desktop").replace("%1", session.title))

    def _update_sample_controls(self) -> None:
        is_sample = self.context.session is not None and self.context.session.is_sample
        self.fast_forward_action.setEnabled(is_sample)
        self.fast_forward_button.setVisible(is_sample)
        self.sample_clock.setVisible(is_sample)
        self.delete_sample_action.setEnabled(sample_workspace_path().exists())
        self._update_sample_clock()

    @Slot()
    def _update_sample_clock(self) -> None:
        if self.sample_clock.isVisible():
            now = self.context.clock.now().astimezone()
            self.sample_clock.setText(self.tr("Sample clock: %1").replace("%1", now.strftime("%a %d %b %H:%M")))

    # -- closing -----------------------------------------------------------

    @Slot()
    def quit_app(self) -> None:
        """Close for good and end the app, even from the tray: a hidden window closing is no "last window"."""
        if self.close():
            QApplication.quit()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop the sync cleanly (the page in flight is committed or not at all), then close.

        The user closing the window (a spontaneous close) only hides it when syncs go on in the
        tray; Quit, a logout or a signal close it for good.
        """
        if event.spontaneous() and self.hides_to_tray():
            self.tray.show()
            self.hide()
            event.ignore()
            return
        self.context.settings.set(WINDOW_GEOMETRY, self.saveGeometry())
        self.context.settings.set(CURRENT_TAB, self.tabs.currentIndex())
        self.context.settings.sync()
        self._close_session()
        event.accept()

