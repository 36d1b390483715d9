"""Start the window: QApplication on the qasync event loop, one workspace open.

    python main.py [--sample | --db PATH] [--now ISO-TIME]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
import traceback
from pathlib import Path

from ahoy_desktop.clock import Clock, parse_iso
from ahoy_desktop.paths import data_dir, default_workspace_path
from ahoy_desktop.settings import APPLICATION, LAST_WORKSPACE, ORGANIZATION, Settings

log = logging.getLogger(__name__)

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
    parser.add_argument("--now", help="start the clock at this ISO-8601 time and let it run on")
    return parser.parse_args(argv)


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def run(argv: list[str]) -> int:
    args = parse_args(argv[1:])
    if not has_display():
        print(NO_DISPLAY_MESSAGE.format(python=sys.executable, args=" ".join(argv[1:])), file=sys.stderr)
        return 2
    clock = Clock(parse_iso(args.now)) if args.now else Clock()

    import qasync
    from PySide6.QtWidgets import QApplication

    from .context import AppContext
    from .main_window import MainWindow

    QApplication.setOrganizationName(ORGANIZATION)
    QApplication.setApplicationName(APPLICATION)
    app = QApplication(argv[:1])
    _set_up_logging()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    settings = Settings()
    context = AppContext(clock, settings)
    window = MainWindow(context)
    sys.excepthook = lambda *exc: _report_crash(window, *exc)
    if args.sample:
        window.open_sample()
    else:
        window.open_path(args.db or settings.get(LAST_WORKSPACE) or default_workspace_path())
    window.show()

    closed = asyncio.Event()
    app.aboutToQuit.connect(closed.set)
    _close_on_signals(loop, window)
    with loop:
        loop.run_until_complete(closed.wait())
    return 0


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
