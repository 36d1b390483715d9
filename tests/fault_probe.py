"""Start the real app (``ui.app.run``) on a workspace and raise a bug four ways once its window shows.

    python tests/fault_probe.py WORKSPACE TOKEN

From a slot, from a Python thread, from a thread-pool job and from an asyncio
task, each with TOKEN in its message. The crash dialog's ``exec`` is replaced
by a line on stdout (``dialog <ui thread?> <last line of the details>``); the
window closes once four dialogs were shown, or after 60 s.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QRunnable, QThreadPool, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import ui.app  # noqa: E402
from ui.crash_dialog import CrashDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

FAULTS = 4
workspace, token = sys.argv[1], sys.argv[2]
shown = []


def boom(where: str) -> None:
    raise RuntimeError(f"boom {where} with access token {token}")


def exec_(dialog: CrashDialog) -> int:
    on_ui = threading.current_thread() is threading.main_thread()
    shown.append(dialog)
    print(f"dialog {on_ui} {dialog.details.strip().splitlines()[-1]}", flush=True)
    if len(shown) == FAULTS:
        QTimer.singleShot(0, QApplication.closeAllWindows)
    return 0


class PoolJob(QRunnable):
    def run(self) -> None:
        boom("in a pool job")


def raise_everywhere() -> None:
    QTimer.singleShot(0, lambda: boom("in a slot"))
    threading.Thread(target=boom, args=("in a thread",)).start()
    QThreadPool.globalInstance().start(PoolJob())

    async def task() -> None:
        boom("in a task")

    asyncio.get_event_loop().create_task(task())


shown_once = MainWindow.show


def show(window: MainWindow) -> None:
    shown_once(window)
    QTimer.singleShot(200, raise_everywhere)
    QTimer.singleShot(60_000, QApplication.closeAllWindows)


if __name__ == "__main__":  # the dashboard's counting process imports this file again: it must not start an app
    CrashDialog.exec = exec_
    MainWindow.show = show
    sys.exit(ui.app.run(["ahoy-desktop", "--db", workspace]))
