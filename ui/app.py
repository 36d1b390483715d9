"""Start the window: QApplication on the qasync event loop, one workspace open.

    python main.py [--sample | --db PATH | --smoke-test] [--now ISO-TIME] [--quit-when-shown]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.resources
import logging
import os
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

from ahoy_desktop.clock import Clock, parse_iso
from ahoy_desktop.paths import data_dir, default_workspace_path
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
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from .context import AppContext
    from .main_window import MainWindow
    from .startup_checks import SmokeTest, quit_when_shown, smoke_settings

    smoke_dir = None
    if args.smoke_test:
        smoke_dir = tempfile.TemporaryDirectory(prefix="ahoy-smoke-", ignore_cleanup_errors=True)
        os.environ["AHOY_DATA_DIR"] = smoke_dir.name  # the throwaway workspace and its log live here
    QApplication.setOrganizationName(ORGANIZATION)
    QApplication.setApplicationName(APPLICATION)
    QApplication.setDesktopFileName(APP_ID)
    app = QApplication(argv[:1])
    app.setWindowIcon(QIcon(str(app_icon_path())))
    _set_up_logging()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    settings = smoke_settings(Path(smoke_dir.name)) if smoke_dir is not None else Settings()
    context = AppContext(clock, settings)
    window = MainWindow(context)
    sys.excepthook = lambda *exc: _report_crash(window, *exc)
    if args.sample or smoke_dir is not None:
        window.open_sample()
    else:
        window.open_path(args.db or settings.get(LAST_WORKSPACE) or default_workspace_path())
    smoke = SmokeTest(window, started) if smoke_dir is not None else None
    if args.quit_when_shown:
        quit_when_shown(window)
    window.show()

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
        loop.add_signal_handler(signum, window.close)


def _set_up_logging() -> None:
    log_file = data_dir() / "ahoy-desktop.log"
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        handlers=[logging.FileHandler(log_file, encoding="utf-8"), logging.StreamHandler()])
    logging.getLogger("tweepy").setLevel(logging.WARNING)  # it logs tokens at DEBUG
    logging.getLogger("urllib3").setLevel(logging.WARNING)


def _report_crash(window, exc_type, exc, tb) -> None:
    """A bug: log the traceback and show a calm dialog instead of vanishing."""
    from PySide6.QtWidgets import QMessageBox

    text = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("unexpected error:\n%s", text)
    QMessageBox.critical(
        window, window.tr("Something went wrong"),
        window.tr("Ahoy Desktop hit an unexpected problem. Your data is safe; the details were saved to %1.")
        .replace("%1", str(data_dir() / "ahoy-desktop.log")))
