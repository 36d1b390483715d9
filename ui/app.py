"""Start the window: QApplication on the qasync event loop, one workspace open.

    python main.py [--sample | --db PATH | --smoke-test] [--now ISO-TIME] [--quit-when-shown]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib.resources
import logging
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from ahoy_desktop.clock import Clock, parse_iso
from ahoy_desktop.log_redaction import redact_handlers
from ahoy_desktop.paths import data_dir, default_workspace_path
from ahoy_desktop.private_files import create_private_file, use_private_umask
from ahoy_desktop.settings import APPLICATION, LAST_WORKSPACE, ORGANIZATION, Settings

log = logging.getLogger(__name__)

APP_ID = "app.ahoy.Desktop"  # the desktop file's, the icon's and the AppStream id

NO_DISPLAY_MESSAGE = """\
Ahoy Desktop needs a display, and none was found (DISPLAY and WAYLAND_DISPLAY are not set).
On a machine without a screen, run it on a virtual one:
    sudo apt-get install xvfb libxcb-cursor0
    xvfb-run -a {python} main.py {args}
or sync without a window:
    {python} main.py sync --sample
"""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ahoy-desktop", description="Ahoy Desktop")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--sample", action="store_true", help="open the sample workspace")
    group.add_argument("--db", type=Path, help="open this workspace file")
    group.add_argument("--smoke-test", action="store_true",
                       help="open a throwaway sample workspace, check that the app works, exit 0 if it does")
    parser.add_argument("--now", help="start the clock at this ISO-8601 time and let it run on")
    parser.add_argument("--quit-when-shown", action="store_true",
                        help="print 'first window shown' when the window first paints, then quit")
    return parser.parse_args(argv)


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def app_icon_path() -> Path:
    """The SVG app icon, from the resources folder beside the packages (or inside the bundle)."""
    return Path(str(importlib.resources.files("resources") / "icons" / f"{APP_ID}.svg"))


def run(argv: list[str]) -> int:
    started = time.perf_counter()
    args = parse_args(argv[1:])
    if not has_display():
        print(NO_DISPLAY_MESSAGE.format(python=sys.executable, args=" ".join(argv[1:])), file=sys.stderr)
        return 2
    clock = Clock(parse_iso(args.now)) if args.now else Clock()

    import qasync
    from PySide6.QtCore import QLoggingCategory
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from .context import AppContext
    from .faults import install_fault_hooks
    from .main_window import MainWindow
    from .startup_checks import SmokeTest, quit_when_shown, smoke_settings
    from .theme import apply_saved_theme
    from .welcome_dialog import needs_welcome, start_with_welcome

    smoke_dir = None
    if args.smoke_test:
        smoke_dir = tempfile.TemporaryDirectory(prefix="ahoy-smoke-", ignore_cleanup_errors=True)
        os.environ["AHOY_DATA_DIR"] = smoke_dir.name  # the throwaway workspace and its log live here
    QApplication.setOrganizationName(ORGANIZATION)
    QApplication.setApplicationName(APPLICATION)
    QApplication.setDesktopFileName(APP_ID)
    # A font without shaping tables for one script (Arabic names, say) is drawn by fallback: not worth a warning.
    QLoggingCategory.setFilterRules("qt.text.font.db.warning=false")
    app = QApplication(argv[:1])
    app.setWindowIcon(QIcon(str(app_icon_path())))
    _set_up_logging()
    window = None  # the crash dialog stands alone until the window exists
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    install_fault_hooks(lambda: window, loop)

    settings = smoke_settings(Path(smoke_dir.name)) if smoke_dir is not None else Settings()
    apply_saved_theme(settings, app)
    context = AppContext(clock, settings)
    window = MainWindow(context)
    # What is built so far lives as long as the app: kept out of the garbage collector's full sweeps,
    # those stay short enough not to stall the window while the dashboard draws.
    gc.freeze()
    welcome = (args.db is None and not args.sample and smoke_dir is None and not args.quit_when_shown
               and needs_welcome(settings))
    if args.sample or smoke_dir is not None:
        window.open_sample()
    elif not welcome:  # on a first start the welcome's choice opens the first workspace
        window.open_path(args.db or settings.get(LAST_WORKSPACE) or default_workspace_path())
    smoke = SmokeTest(window, started) if smoke_dir is not None else None
    if args.quit_when_shown:
        quit_when_shown(window)
    window.show()
    window.raise_()
    window.activateWindow()  # without a window manager (a bare X server) nothing else gives it the keyboard
    if welcome:
        start_with_welcome(window)

    closed = asyncio.Event()
    app.aboutToQuit.connect(closed.set)
    _close_on_signals(loop, window)
    with loop:
        loop.run_until_complete(closed.wait())
    if smoke is None:
        return 0
    logging.shutdown()  # let go of the log file before its folder goes
    smoke_dir.cleanup()
    return smoke.exit_code


def _close_on_signals(loop, window) -> None:
    """A logout or Ctrl+C closes the window as the user would: the sync stops cleanly."""
    if sys.platform == "win32":
        return
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, window.quit_app)


def _set_up_logging() -> None:
    """A private log file in the data folder; no handler ever writes a token."""
    use_private_umask()  # the workspace, its backups, logs and exports are the user's alone
    log_file = create_private_file(data_dir() / "ahoy-desktop.log")
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in (logging.FileHandler(log_file, encoding="utf-8"), logging.StreamHandler()):
        handler.setFormatter(formatter)
        root.addHandler(handler)
    redact_handlers(root)
    logging.getLogger("tweepy").setLevel(logging.WARNING)  # it logs tokens at DEBUG
    logging.getLogger("urllib3").setLevel(logging.WARNING)
