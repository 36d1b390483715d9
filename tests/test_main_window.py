"""The window as a person uses it: sample data, a sync in the background, closing mid-sync."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta

import pytest

from ahoy_desktop.db.models import Activity, Member
from ahoy_desktop.paths import sample_workspace_path

from .conftest import ROOT

SYNC_TIMEOUT_MS = 180_000


@pytest.fixture
def window(qtbot, clock, settings, tmp_path):
    from ui.context import AppContext
    from ui.main_window import MainWindow

    context = AppContext(clock, settings)
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.open_path(tmp_path / "own.ahoy.sqlite")
    win.show()
    yield win
    win.close()


def test_try_sample_data_syncs_and_fills_every_tab(qtbot, window):
    context = window.context
    assert window.windowTitle().startswith("own.ahoy.sqlite")
    assert not window.fast_forward_button.isVisible()
    with qtbot.waitSignal(context.sync.finished, timeout=SYNC_TIMEOUT_MS):
        window.sample_action.trigger()
    assert window.windowTitle().startswith("Sample workspace")
    assert window.fast_forward_button.isVisible()
    assert Member.select().count() > 1500
    assert Activity.select().count() > 3000
    qtbot.waitUntil(lambda: window.members.model.rowCount() > 0, timeout=10_000)
    assert "Last sync" in window.sync_status.text()

    countdown = window.scoring.countdown_text()
    context.clock.advance(timedelta(seconds=5))
    qtbot.waitUntil(lambda: window.scoring.countdown_text() != countdown, timeout=5_000)
    assert "Scoring can be configured in" in window.scoring.countdown_text()


def test_fast_forward_moves_the_sample_clock_and_refreshes(qtbot, window):
    context = window.context
    with qtbot.waitSignal(context.sync.finished, timeout=SYNC_TIMEOUT_MS):
        window.open_sample()
    before = Activity.select().count()
    start = context.clock.now()
    with qtbot.waitSignal(context.sync.finished, timeout=SYNC_TIMEOUT_MS):
        qtbot.mouseClick(window.fast_forward_button, __import__("PySide6").QtCore.Qt.LeftButton)
    assert context.clock.now() - start >= timedelta(days=1)
    assert Activity.select().count() > before


def test_closing_during_a_sync_stops_it_cleanly_and_a_new_sync_completes(qtbot, window):
    context = window.context
    started = []
    context.sync.progress.connect(lambda p: started.append(p.stage))
    window.open_sample()
    qtbot.waitUntil(lambda: "mentions" in started, timeout=SYNC_TIMEOUT_MS)
    path = context.session.path
    window.close()
    assert context.session is None
    assert not context.sync.is_running()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()

    with qtbot.waitSignal(context.sync.finished, timeout=SYNC_TIMEOUT_MS) as finished:
        window.open_sample()
    assert finished.args[0].activities_added  # the interrupted import was completed
    from ahoy_desktop.db.models import Account

    assert Account.get().last_sync_outcome == "ok"


def test_the_app_process_exits_0_when_closed_mid_sync(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "AHOY_DATA_DIR": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--sample"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    seen = ""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        seen += line
        if "sync started" in line or not line:
            break
    assert "sync started" in seen, seen
    time.sleep(1.5)  # let it get into the import
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, seen + out
    assert "Traceback" not in seen + out
    db = tmp_path / "data" / sample_workspace_path().name
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "sync", "--db", str(db), "--quiet"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def tray_window(qtbot, clock, settings, tmp_path, monkeypatch):
    """A window with "keep syncing in the tray" on, on a desktop that has a tray (offscreen has none)."""
    from PySide6.QtWidgets import QSystemTrayIcon

    from ahoy_desktop.settings import KEEP_SYNCING_IN_TRAY
    from ui.context import AppContext
    from ui.main_window import MainWindow

    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    settings.set(KEEP_SYNCING_IN_TRAY, True)
    win = MainWindow(AppContext(clock, settings))
    qtbot.addWidget(win)
    win.open_path(tmp_path / "own.ahoy.sqlite")
    win.show()
    yield win
    win.close()


def _close_as_the_user_would(window, monkeypatch):
    from PySide6.QtGui import QCloseEvent

    with monkeypatch.context() as patch:
        patch.setattr(QCloseEvent, "spontaneous", lambda _event: True)  # the title bar's close button
        window.close()


def test_in_tray_mode_closing_hides_and_the_tray_quit_ends_the_app(qtbot, tray_window, monkeypatch):
    from PySide6.QtWidgets import QApplication

    quits = []
    monkeypatch.setattr(QApplication, "quit", staticmethod(lambda: quits.append(True)))
    _close_as_the_user_would(tray_window, monkeypatch)
    assert not tray_window.isVisible()
    assert tray_window.context.session is not None  # still syncing
    assert quits == []

    quit_action = next(a for a in tray_window.tray.contextMenu().actions() if a.text() == "Quit")
    quit_action.trigger()
    assert tray_window.context.session is None
    assert quits == [True]


def test_without_tray_mode_closing_quits(qtbot, window, monkeypatch):
    _close_as_the_user_would(window, monkeypatch)
    assert not window.isVisible()
    assert window.context.session is None
