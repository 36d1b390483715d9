"""Warm start-up benchmark: from process start to the first painted main window, files in the disk cache.

    python bench/bench_startup.py [--rounds 7] [--bundle dist/ahoy-desktop/ahoy-desktop] [--sample]

Each round starts, as new processes, a bare PySide6 app that shows an empty
QMainWindow (the baseline), the app from source (``main.py --quit-when-shown``)
and, when it has been built, the PyInstaller bundle. Time runs from just
before the process is spawned until it prints its "first window shown" marker,
at the window's first paint. Printed: the median over the rounds of each
round's ratio to the baseline. One warm-up round fills the disk cache and
creates the workspace first, so every timed start is a new process reading
warm files, as when a user opens the app a second time. Source and bundle
each open a workspace of their own: a bundle built before the source's
newest migration would refuse a workspace the source had upgraded.

The app opens an empty workspace by default; ``--sample`` syncs the sample
workspace once first (about a minute: its sandbox enforces rate limits) and
opens that, with ~1,900 members and ~5,900 activities.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = "first window shown"
DEFAULT_BUNDLE = ROOT / "dist" / "ahoy-desktop" / "ahoy-desktop"
TIMEOUT_SECONDS = 120

BARE_APP = f"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            print({MARKER!r}, flush=True)
            QTimer.singleShot(0, watched.close)
        return False

app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(960, 620)
first_paint = FirstPaint()
window.installEventFilter(first_paint)
window.show()
sys.exit(app.exec())
"""


def time_to_first_window(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning ``command`` to its marker line; the process must then exit with 0."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    watchdog = threading.Timer(TIMEOUT_SECONDS, process.kill)  # e.g. a dialog waiting for a click
    watchdog.start()
    elapsed = None
    for line in process.stdout:
        if line.strip() == MARKER:
            elapsed = time.perf_counter() - started
            break
    process.stdout.close()
    code = process.wait()
    watchdog.cancel()
    if elapsed is None or code != 0:
        raise RuntimeError(f"{command[0]} {' '.join(command[1:3])}... exited with {code} "
                           f"{'after' if elapsed else 'without'} showing its window")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE,
                        help="the built app's executable (timed when it exists)")
    parser.add_argument("--sample", action="store_true", help="open the synced sample workspace, not an empty one")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        base_env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
        sample_data = Path(tmp) / "sample"
        if args.sample:
            print("syncing the sample workspace once (about a minute)...", flush=True)
            subprocess.run([sys.executable, "main.py", "sync", "--sample", "--quiet"], cwd=ROOT, check=True,
                           env={**base_env, "AHOY_DATA_DIR": str(sample_data),
                                "XDG_CONFIG_HOME": str(Path(tmp) / "config")},
                           stdout=subprocess.DEVNULL)

        def own_folder(name: str) -> tuple[dict[str, str], list[str]]:
            """A data folder, settings and workspace for one command, and the arguments that open it."""
            folder = Path(tmp) / name.replace(" ", "-")
            env = {**base_env, "AHOY_DATA_DIR": str(folder / "data"), "XDG_CONFIG_HOME": str(folder / "config")}
            if not args.sample:
                return env, ["--db", str(folder / "workspace.ahoy.sqlite")]
            shutil.copytree(sample_data, folder / "data")
            return env, ["--sample"]

        commands = {"bare PySide6 window": (base_env, [sys.executable, "-c", BARE_APP])}
        env, workspace = own_folder("source")
        commands["app from source"] = (env, [sys.executable, "main.py", *workspace, "--quit-when-shown"])
        if args.bundle.exists():
            env, workspace = own_folder("bundle")
            commands["app bundle"] = (env, [str(args.bundle), *workspace, "--quit-when-shown"])
        else:
            print(f"no bundle at {args.bundle}: build it with packaging/build-linux.sh to time it too")

        for env, command in commands.values():  # warm-up: disk cache, .pyc files, the workspace file
            time_to_first_window(command, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, (env, command) in commands.items():
                times[name].append(time_to_first_window(command, env))

    baseline = times["bare PySide6 window"]
    print(f"{args.rounds} rounds, {'sample' if args.sample else 'empty'} workspace; median time to the first "
          f"painted window, and the median of each round's ratio to the bare window:")
    for name, samples in times.items():
        ratios = [t / b for t, b in zip(samples, baseline, strict=True)]
        print(f"  {name:20} {statistics.median(samples):6.2f} s   ratio {statistics.median(ratios):5.2f} "
              f"(rounds: {min(ratios):.2f}-{max(ratios):.2f})")


if __name__ == "__main__":
    main()
