"""The window's side of the dashboard's counting process: start it, ask it, hear its answers."""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import threading

from PySide6.QtCore import QObject, Signal, Slot

from ahoy_desktop.dashboard.service import CountRequest, serve

log = logging.getLogger(__name__)

CLOSE_WAIT_S = 5


class DashboardCounter(QObject):
    """Counts in a process of its own (``ahoy_desktop.dashboard.service``) and delivers the newest answer.

    The process starts with the first count and ends with ``close()`` (the
    workspace or the window closes); the next count starts it again. A new
    count stops the one running: only the newest choice is answered.
    ``wait()`` blocks until every count asked so far is answered (closing,
    tests).
    """

    finished = Signal(object)  # DashboardData
    failed = Signal(str)
    _reply = Signal(object)  # from the listening thread

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._process = None
        self._pipe = None
        self._listener: threading.Thread | None = None
        self._job = 0
        self._in_flight = 0
        self._unanswered: set[int] = set()
        self._answered = threading.Condition()
        self._reply.connect(self._on_reply)

    @property
    def busy(self) -> bool:
        return self._in_flight > 0

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def run(self, request: CountRequest) -> None:
        if not self.running:
            self._start()
        self._job += 1
        self._in_flight += 1
        with self._answered:
            self._unanswered.add(self._job)
        self._send(("count", self._job, request))

    def cancel(self) -> None:
        """Forget the answers still to come and stop the count running."""
        self._job += 1
        if self.running:
            self._send(("stop",))

    def wait(self, msecs: int = -1) -> bool:
        with self._answered:
            return self._answered.wait_for(lambda: not self._unanswered, None if msecs < 0 else msecs / 1000)

    def close(self) -> None:
        """End the process (a count still running is stopped) and let go of the workspace file."""
        if self._process is None:
            return
        self.cancel()
        self._send(None)
        self._process.join(CLOSE_WAIT_S)
        if self._process.is_alive():
            log.warning("the dashboard's counting process did not stop; ending it")
            self._process.terminate()
            self._process.join(CLOSE_WAIT_S)
        self._listener.join(CLOSE_WAIT_S)  # the process's end closed its side: the listener has heard
        self._pipe.close()
        self._process = self._pipe = self._listener = None

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt threads
        self._pipe, child = context.Pipe()
        self._process = context.Process(target=serve, args=(child,), name="ahoy-dashboard", daemon=True)
        self._process.start()
        child.close()
        self._listener = threading.Thread(target=self._listen, args=(self._pipe,), name="dashboard-answers",
                                          daemon=True)
        self._listener.start()

    def _send(self, message) -> None:
        try:
            self._pipe.send(message)
        except OSError:  # the process is gone: the listener reports it
            pass

    def _listen(self, pipe) -> None:
        """Hand every answer to the window's thread; when the process is gone, say which counts went with it."""
        while True:
            try:
                message = pipe.recv()
            except (EOFError, OSError):
                break
            with self._answered:
                self._unanswered.discard(message[1])
                self._answered.notify_all()
            if not self._hand_over(message):
                return
        with self._answered:
            lost, self._unanswered = self._unanswered, set()
            self._answered.notify_all()
        if lost:
            self._hand_over(("lost", sorted(lost)))

    def _hand_over(self, message) -> bool:
        try:
            self._reply.emit(message)
        except RuntimeError:  # the window has let go of this counter without closing it: nobody listens
            return False
        return True

    @Slot(object)
    def _on_reply(self, message) -> None:
        kind = message[0]
        if kind == "lost":
            self._in_flight -= len(message[1])
            if self._job in message[1]:
                self.failed.emit(self.tr("the counting process stopped unexpectedly"))
            return
        self._in_flight -= 1
        if message[1] != self._job:
            return
        if kind == "done":
            self.finished.emit(pickle.loads(message[2]))
        elif kind == "failed":
            log.error("counting the dashboard failed:\n%s", message[2])
            self.failed.emit(message[2].splitlines()[-1])
