"""Memory benchmark: the app with 100k members and 1M activities loaded.

    python bench/bench_memory.py [--members 100000] [--activities 1000000]

Starts, as new processes, a bare PySide6 app showing an empty QMainWindow
(the baseline) and the app itself on a workspace of that size, waits until
the Members tab has its first rows and the Dashboard has drawn, scrolls the
member list to the end, and reads each process's resident memory (VmRSS)
and peak (VmHWM), the dashboard's counting process apart. Printed: both,
and the app's as a ratio to the baseline, with and without that process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE = """
import json, sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow(); window.resize(1300, 850); window.show(); app.processEvents()
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
print(json.dumps({k: int(status[k].split()[0]) for k in ("VmRSS", "VmHWM")}))
"""

APP = """
import json, sys, time
sys.path.insert(0, {root!r})
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QApplication
from ahoy_desktop.clock import Clock
from ahoy_desktop.settings import Settings
from ui.context import AppContext
from ui.main_window import MainWindow

app = QApplication(sys.argv)
context = AppContext(Clock(), Settings())
window = MainWindow(context)
window.resize(1300, 850)
window.show()
window.open_path({db!r})

def settle(condition, seconds=600):
    deadline = time.time() + seconds
    while not condition() and time.time() < deadline:
        app.processEvents()
        time.sleep(0.005)

members = window.members
settle(lambda: members.model.rowCount() > 0 and not members.model.busy)
window.tabs.setCurrentWidget(window.dashboard)
settle(lambda: window.dashboard.data is not None and not window.dashboard.loading)
window.tabs.setCurrentWidget(members)
for _ in range(20):  # scroll well down the list: windows of rows are loaded and dropped
    if members.model.canFetchMore(QModelIndex()):
        members.model.fetchMore(QModelIndex())
    settle(lambda: not members.model.busy)
    members.table.scrollToBottom()
    app.processEvents()
import multiprocessing

def memory(pid="self"):
    status = dict(line.split(":", 1) for line in open(f"/proc/{{pid}}/status"))
    return {{k: int(status[k].split()[0]) for k in ("VmRSS", "VmHWM")}}

counting = [memory(p.pid) for p in multiprocessing.active_children()]  # the dashboard's counting process
print(json.dumps(memory() | {{"rows": members.model.rowCount(),
                              "counting_rss": sum(c["VmRSS"] for c in counting),
                              "counting_hwm": sum(c["VmHWM"] for c in counting)}}))
window.dashboard.shutdown(10_000)
window.close()
"""


def run(code: str, env: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=1200)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=1_000_000)
    args = parser.parse_args()
    from ahoy_desktop import scores
    from ahoy_desktop.db import close_db, init_db
    from ahoy_desktop.scores import ScoringSetup, StageDef
    from bench.bench_dashboard import NOW, fill

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "memory.ahoy.sqlite"
        db = init_db(path)
        fill(db, args.members, args.activities, random.Random(7))
        scores.save_setup(ScoringSetup(dict(scores.DEFAULT_POINTS), set(scores.DEFAULT_POINTS),
                                       [StageDef("Newcomer", 1, 4), StageDef("Regular", 5, 19),
                                        StageDef("Champion", 20, None)]))
        scores.recompute_all(NOW)
        close_db()
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   XDG_CONFIG_HOME=tmp, AHOY_DATA_DIR=tmp)
        bare = run(BARE, env)
        app = run(APP.format(root=str(ROOT), db=str(path)), env)
        print(f"{args.members:,} members, {args.activities:,} activities; {app['rows']:,} rows loaded in the table")
        print(f"resident memory: app {app['VmRSS'] / 1024:.0f} MB (peak {app['VmHWM'] / 1024:.0f} MB), bare PySide6 "
              f"window {bare['VmRSS'] / 1024:.0f} MB, ratio {app['VmRSS'] / bare['VmRSS']:.1f}")
        both = app["VmRSS"] + app["counting_rss"]
        print(f"with the dashboard's counting process ({app['counting_rss'] / 1024:.0f} MB, peak "
              f"{app['counting_hwm'] / 1024:.0f} MB): {both / 1024:.0f} MB, ratio {both / bare['VmRSS']:.1f}")


if __name__ == "__main__":
    main()
