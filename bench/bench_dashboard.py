"""Dashboard benchmark: 100k members, 1M activities over a year.

    python bench/bench_dashboard.py [--members 100000] [--activities 1000000]

1. For each range (30 days, 12 months, all time): from choosing the range in
   the Dashboard tab to every chart drawn, as a ratio to the same aggregate
   queries (``load_dashboard``) run alone in the same run (target: at most 1.5).
   Those run in a process of their own, as the app's counting does, so the
   window's process is left as the app leaves it.
   The window is tall enough to show every chart, and a chart counts as drawn
   once it has been painted on screen with the new numbers.
2. Responsiveness: the longest gap between ticks of a 5 ms Qt timer on the
   main thread while the ranges are switched, as a ratio to the same measure
   with the app idle (target: at most 3).
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QScrollArea  # noqa: E402

from ahoy_desktop import scores  # noqa: E402
from ahoy_desktop.clock import Clock  # noqa: E402
from ahoy_desktop.dashboard.periods import period_for  # noqa: E402
from ahoy_desktop.dashboard.queries import Scope, earliest_time, load_dashboard  # noqa: E402
from ahoy_desktop.db import close_db, init_db  # noqa: E402
from ahoy_desktop.db.models import Activity, database_proxy  # noqa: E402
from ahoy_desktop.db.sqlite import open_sqlite  # noqa: E402
from ahoy_desktop.scores import ScoringSetup, StageDef  # noqa: E402

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
CONNECTED = NOW - timedelta(days=200)
KINDS = ["like"] * 50 + ["retweet"] * 20 + ["mention"] * 15 + ["reply"] * 10 + ["quote"] * 5
RANGES = ("30d", "12m", "all")


def fill(db, members: int, activities: int, rng: random.Random) -> None:
    stamp = Activity.occurred_at.db_value
    db.execute_sql("BEGIN")
    db.execute_sql("INSERT INTO account (x_user_id, username, name, profile_image_url, credential_kind, api_base_url,"
                   " sandbox_world, connected_at, first_import_done, last_sync_outcome, last_sync_message)"
                   " VALUES ('1', 'ahoyhq', '', '', 'sandbox', '', 'bench', ?, 1, '', '')", (stamp(CONNECTED),))
    db.cursor().executemany(
        'INSERT INTO "member" ("first_seen_at", "manual_fields", "name", "x_handle", "activity_count") '
        "VALUES (?, '[]', ?, ?, 0)", [(stamp(CONNECTED), f"P{i}", f"p{i}") for i in range(members)])
    rows = []
    for i in range(activities):
        kind = rng.choice(KINDS)
        when = NOW - timedelta(seconds=rng.randrange(365 * 86400))
        estimated = kind in ("like", "retweet")
        if estimated:  # dated to the sync that saw them: the connection, or a refresh every 3 hours
            when = max(CONNECTED, when.replace(hour=when.hour // 3 * 3, minute=0, second=0, microsecond=0))
        member = 1 + int(members * rng.random() ** 2.5)  # a few very active members, a long tail
        rows.append((1, member, kind, str(i), stamp(when), int(estimated), "", f"k{i}"))
    db.cursor().executemany(
        'INSERT INTO "activity" ("account_id", "member_id", "kind", "post_id", "occurred_at", "estimated", "text",'
        ' "dedup_key") VALUES (?, ?, ?, ?, ?, ?, ?, ?)', rows)
    db.cursor().executemany(
        'INSERT INTO "account_snapshot" ("account_id", "taken_at", "followers_count") VALUES (1, ?, ?)',
        [(stamp(CONNECTED + timedelta(hours=3 * i)), 5000 + i) for i in range(200 * 8)])
    db.execute_sql("COMMIT")


def queries_alone(path: str, rounds: int) -> dict[str, list[float]]:
    """Seconds ``load_dashboard`` takes for each range, ``rounds`` times (run in a process of its own)."""
    database_proxy.initialize(open_sqlite(path))
    times = {choice: [] for choice in RANGES}
    for _ in range(rounds):
        for choice in RANGES:
            started = time.perf_counter()
            load_dashboard(Scope(period_for(choice, NOW, earliest=earliest_time())))
            times[choice].append(time.perf_counter() - started)
    return times


class TickGaps:
    """The longest gap between ticks of a 5 ms timer on the main thread."""

    def __init__(self):
        self.longest = 0.0
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.longest = max(self.longest, self._clock.restart())

    def __enter__(self):
        self._clock.start()
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self._timer.stop()


class PaintWatch(QObject):
    """Tells when every chart has been painted on screen since its new numbers were set."""

    def __init__(self, panels):
        super().__init__()
        self._panel_of = {}
        self._painted: dict[object, bool] = {}
        for panel in panels:
            chart = panel.chart
            views = [getattr(chart, "plot", None), getattr(chart, "view", None)]
            for widget in [panel.message, *(v.viewport() for v in views if v is not None)]:
                self._panel_of[widget] = panel
                widget.installEventFilter(self)
            self._painted[panel] = False
            set_data = panel.set_data

            def watched(data, panel=panel, set_data=set_data):
                self._painted[panel] = False
                set_data(data)

            panel.set_data = watched

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and watched in self._panel_of:
            panel = self._panel_of[watched]
            if watched.isVisibleTo(panel):
                self._painted[panel] = True
        return False

    def all_painted(self) -> bool:
        return all(self._painted.values())


def show_every_chart(app: QApplication, tab) -> None:
    """Make the window tall enough that the dashboard needs no scrolling: every chart is on screen."""
    scroll = tab.findChild(QScrollArea)
    while scroll.verticalScrollBar().maximum() > 0:
        tab.resize(tab.width(), tab.height() + scroll.verticalScrollBar().maximum() + 20)
        app.processEvents()


def wait_until(app: QApplication, condition) -> None:
    while not condition():
        app.processEvents()
        time.sleep(0.0005)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the built workspace here and reuse it on later runs "
                                                  "(for the same sizes)")
    args = parser.parse_args()
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = tmp
        path = Path(tmp) / "dashboard.ahoy.sqlite"
        started = time.perf_counter()
        if args.keep is not None and args.keep.exists():
            shutil.copyfile(args.keep, path)
        else:
            db = init_db(path)
            fill(db, args.members, args.activities, rng)
            scores.save_setup(ScoringSetup(dict(scores.DEFAULT_POINTS), set(scores.DEFAULT_POINTS),
                                           [StageDef("Newcomer", 1, 4), StageDef("Regular", 5, 19),
                                            StageDef("Champion", 20, None)]), now=NOW)
            scores.recompute_all(NOW)
            close_db()
            if args.keep is not None:
                shutil.copyfile(path, args.keep)
        print(f"{args.members:,} members, {args.activities:,} activities over a year "
              f"(ready in {time.perf_counter() - started:.0f} s)")

        from ahoy_desktop.session import WorkspaceSession
        from ahoy_desktop.settings import Settings
        from ui.context import AppContext
        from ui.dashboard.tab import DashboardTab

        app = QApplication.instance() or QApplication([])
        clock = Clock(NOW, frozen=True)
        context = AppContext(clock, Settings())
        context.session = WorkspaceSession(path, clock, context.settings)
        tab = DashboardTab(context)
        tab.resize(1400, 900)
        tab.show()
        wait_until(app, lambda: tab.data is not None and not tab.loading)
        show_every_chart(app, tab)
        watch = PaintWatch(tab.panels)
        gc.freeze()  # as the app does once its window is built

        shown = {choice: [] for choice in RANGES}
        with TickGaps() as idle:
            deadline = time.perf_counter() + 3
            wait_until(app, lambda: time.perf_counter() > deadline)
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            alone = pool.apply(queries_alone, (str(path), args.rounds))
        with TickGaps() as busy:
            for _ in range(args.rounds):
                for choice in RANGES:
                    before = tab.data
                    started = time.perf_counter()
                    tab.set_range(choice)
                    wait_until(app, lambda before=before: tab.data is not before and not tab.loading
                               and watch.all_painted())
                    shown[choice].append(time.perf_counter() - started)
        busy_gap = busy.longest
        print(f"window {tab.width()}×{tab.height()}: every chart on screen")
        for choice in RANGES:
            ui, plain = statistics.median(shown[choice]), statistics.median(alone[choice])
            print(f"range {choice:>3}: choosing to every chart drawn {ui:.2f} s, queries alone {plain:.2f} s, "
                  f"ratio {ui / plain:.2f} (target <= 1.5)")
        print(f"longest 5 ms timer gap: idle {idle.longest:.0f} ms, while switching ranges {busy_gap:.0f} ms "
              f"ratio {busy_gap / max(idle.longest, 1):.2f} (target <= 3)")
        tab.shutdown()
        context.session.close()


if __name__ == "__main__":
    main()
