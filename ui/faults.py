"""Where faults nobody caught end up, from any thread: a damaged workspace gets its recovery, a bug the crash dialog.

Three hooks cover the ways code runs: ``sys.excepthook`` (an exception escaping
a slot, on the UI thread or a Qt worker thread), ``threading.excepthook`` (one
ending a Python thread) and the asyncio loop's exception handler (a task or
callback on the qasync loop). Each writes the redacted traceback to a crash log
at once, in the thread it happened in, and the dialog is shown on the UI thread
through a queued signal: widgets belong to that thread alone, and a handler may
run inside a garbage collection or a paint.

A database error that means the file is damaged is a known error, not a bug:
it goes to the window, which sets the workspace aside and offers the newest
backup or a fresh workspace, as when the damage is found at start.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from ahoy_desktop.db.file_check import is_damage
from ahoy_desktop.db.models import database_proxy
from ahoy_desktop.log_redaction import redact

from .crash_dialog import record_crash, report_crash, show_crash_dialog

log = logging.getLogger(__name__)


class FaultReporter(QObject):
    """Lives on the UI thread; ``damaged`` and the crash dialog are delivered there."""

    damaged = Signal(str, str)  # the workspace file, what is wrong with it
    _crash_recorded = Signal(object, str)  # the crash log's path, the details

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.window: Callable[[], QWidget | None] = lambda: None
        self._crash_recorded.connect(self._show_dialog)

    def report_damage(self, problem: str, path: str | Path | None = None) -> None:
        """Tell the window the workspace is damaged (``path``: the file, by default the one open); any thread."""
        if path is None:
            path = database_proxy.obj.database if database_proxy.obj is not None else ""
        log.warning("the workspace %s is damaged: %s", Path(str(path)).name, problem)
        self.damaged.emit(str(path), problem)

    def handle(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        """An exception nobody caught, from any thread."""
        if is_damage(exc):
            self.report_damage(str(exc))
        elif _on_ui_thread():
            report_crash(self.window(), exc_type, exc, tb)
        elif not issubclass(exc_type, KeyboardInterrupt):
            log_path, details = record_crash(exc_type, exc, tb)
            if log_path is not None:
                self._crash_recorded.emit(log_path, details)

    def excepthook(self, exc_type, exc, tb) -> None:
        self.handle(exc_type, exc, tb)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:  # a thread's normal way to end early
            return
        self.handle(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)

    def loop_exception_handler(self, _loop, context: dict) -> None:
        """The asyncio handler: a task's or callback's exception, or a loop complaint without one."""
        exc = context.get("exception")
        if exc is not None:
            self.handle(type(exc), exc, exc.__traceback__)
        else:
            log.error("event loop: %s", redact(str(context.get("message", context))))

    @Slot(object, str)
    def _show_dialog(self, log_path: Path, details: str) -> None:
        show_crash_dialog(self.window(), log_path, details)


def _on_ui_thread() -> bool:
    return QCoreApplication.instance() is not None and threading.current_thread() is threading.main_thread()


_reporter: FaultReporter | None = None


def fault_reporter() -> FaultReporter:
    """The app's one reporter, made on first use; the window makes it, on the UI thread."""
    global _reporter
    if _reporter is None:
        _reporter = FaultReporter()
        app = QCoreApplication.instance()
        if app is not None:
            _reporter.moveToThread(app.thread())  # made by a worker first: still delivered on the UI thread
    return _reporter


def report_damage(problem: str, path: str | Path | None = None) -> None:
    """A damaged workspace found while in use (a background read, a sync): the window offers the way on."""
    fault_reporter().report_damage(problem, path)


def install_fault_hooks(window: Callable[[], QWidget | None], loop=None) -> FaultReporter:
    """Route every uncaught exception through the reporter: Python's hooks, and the asyncio loop's if given."""
    reporter = fault_reporter()
    reporter.window = window
    sys.excepthook = reporter.excepthook
    threading.excepthook = reporter.thread_excepthook
    if loop is not None:
        loop.set_exception_handler(reporter.loop_exception_handler)
    return reporter
