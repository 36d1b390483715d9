"""Start-up probes for packaging and benchmarks: ``--smoke-test`` and ``--quit-when-shown``.

A packaged app can build fine and still fail at run time: a Qt plugin, a data
file or a hidden import left out only shows when the window opens. The smoke
test opens the real window on a throwaway sample workspace and passes only
when the window painted, its SVG icon rendered, keyring found this platform's
backend, and a sync against the sample sandbox stored members in the database.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from ahoy_desktop.settings import Settings

SMOKE_TIMEOUT_MS = 180_000

# The keyring backend each platform's keychain needs; keyring finds it through its entry points.
NATIVE_KEYRING_BACKEND = {"linux": "keyring.backends.SecretService", "win32": "keyring.backends.Windows",
                          "darwin": "keyring.backends.macOS"}


class FirstPaint(QObject):
    """Emits ``painted`` once, at the watched widget's first paint: when the user first sees it."""

    painted = Signal()

    def __init__(self, widget: QWidget):
        super().__init__(widget)
        self._widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            self.painted.emit()
        return False


def quit_when_shown(window: QWidget) -> None:
    """Print a marker at the first paint, then close: a benchmark times start-up from outside."""
    def shown() -> None:
        print("first window shown", flush=True)
        QTimer.singleShot(0, window.close)

    FirstPaint(window).painted.connect(shown)


def smoke_settings(data_dir: Path) -> Settings:
    """Settings in a file of the smoke test's own, so the user's settings stay untouched."""
    return Settings(QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat))


class SmokeTest(QObject):
    """Watches the window just opened on the sample workspace and decides pass or fail."""

    def __init__(self, window, started: float, timeout_ms: int = SMOKE_TIMEOUT_MS):
        super().__init__(window)
        self.window = window
        self.started = started
        self.exit_code = 1
        self._painted = False
        self._members = 0
        self._charted = False
        self._failures: list[str] = []
        self._finished = False
        FirstPaint(window).painted.connect(self._on_painted)
        sync = window.context.sync
        sync.progress.connect(self._on_progress)
        sync.finished.connect(self._on_sync_finished)
        sync.account_failed.connect(self._on_sync_failed)
        window.dashboard.charts_drawn.connect(self._on_charts_drawn)
        window.dashboard.count_failed.connect(self._on_count_failed)
        QTimer.singleShot(timeout_ms, self._on_timeout)
        self._check_platform()
        self._check_icon()
        self._check_keyring()

    # -- checks that need no waiting ------------------------------------------

    def _check_platform(self) -> None:
        self._report(f"Qt platform plugin '{QGuiApplication.platformName()}' loaded")

    def _check_icon(self) -> None:
        pixmap = self.window.windowIcon().pixmap(32, 32)
        if pixmap.isNull():
            self._fail("the window icon did not render (Qt's SVG plugins missing?)")
        else:
            self._report("window icon rendered from SVG")

    def _check_keyring(self) -> None:
        import keyring

        backend = keyring.get_keyring()
        native = next((module for prefix, module in NATIVE_KEYRING_BACKEND.items()
                       if sys.platform.startswith(prefix)), None)
        if native is not None and native not in sys.modules:
            self._fail(f"keyring did not load {native} (entry points or module missing)")
        else:
            self._report(f"keyring loaded {native or 'its backends'}; in use here: {backend.name}")

    # -- checks that wait for the event loop -----------------------------------

    @Slot()
    def _on_painted(self) -> None:
        self._painted = True
        self._report(f"first window painted after {time.perf_counter() - self.started:.2f} s")
        self._maybe_finish()

    @Slot(object)
    def _on_progress(self, progress) -> None:
        if progress.members_added > 0 and not self._members:
            self._count_members()
            self.window.dashboard.refresh()  # chart what is there already: no need to wait for the whole sync
            self._maybe_finish()

    @Slot(object)
    def _on_sync_finished(self, _changes) -> None:
        if not self._members:
            self._count_members()
            if not self._members:
                self._fail("the sample sync finished without storing a member")
        self._maybe_finish()

    @Slot()
    def _on_charts_drawn(self) -> None:
        """The dashboard counts in a process started from this one: the bundle must be able to start it."""
        data = self.window.dashboard.data
        if self._members and data is not None and data.activity.total > 0 and not self._charted:
            self._charted = True
            self._report(f"dashboard counted in its own process: {data.activity.total} activities charted")
            self._maybe_finish()

    @Slot(str)
    def _on_count_failed(self, message: str) -> None:
        self._fail(f"the dashboard could not be counted: {message}")

    @Slot(int, str)
    def _on_sync_failed(self, _account_id: int, message: str) -> None:
        self._fail(f"the sample sync failed: {message}")

    @Slot()
    def _on_timeout(self) -> None:
        self._fail(f"no painted window, synced members and a drawn dashboard within {SMOKE_TIMEOUT_MS // 1000} s")

    def _count_members(self) -> None:
        from ahoy_desktop.queries import workspace_totals

        self._members = workspace_totals()["members"]
        if self._members:
            session = self.window.context.session
            self._report(f"sample sandbox synced over HTTP: {self._members} members stored in {session.path}")

    # -- verdict ----------------------------------------------------------------

    def _report(self, line: str) -> None:
        print(f"smoke test: {line}", flush=True)

    def _fail(self, reason: str) -> None:
        self._failures.append(reason)
        print(f"smoke test: FAILED: {reason}", file=sys.stderr, flush=True)
        self._finish()

    def _maybe_finish(self) -> None:
        if self._painted and self._members and self._charted and not self._failures:
            self.exit_code = 0
            self._report("passed")
            self._finish()

    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        QTimer.singleShot(0, QApplication.closeAllWindows)  # a failure may have left a message box open
