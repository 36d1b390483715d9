"""The Dashboard tab with pytest-qt: charts follow range and account, hover, empty states, and every export."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import timedelta

import pytest
from peewee import fn
from PySide6.QtCore import QLocale, QPointF
from PySide6.QtGui import QColor, QImage, QPalette

from ahoy_desktop.accounts import active_accounts
from ahoy_desktop.changes import Changes
from ahoy_desktop.dashboard import tables
from ahoy_desktop.db.models import Account, Activity, Member, MemberScore, Stage

CHART_KEYS = {"growth", "followers", "activity", "stages", "top_members", "heatmap"}


@pytest.fixture
def make_tab(qtbot):
    from ui.dashboard.tab import DashboardTab

    tabs = []

    def make(context):
        tab = DashboardTab(context)
        qtbot.addWidget(tab)
        tabs.append(tab)
        tab.resize(1300, 900)
        tab.show()
        qtbot.waitUntil(lambda: not tab.loading and tab.data is not None or context.session is None)
        return tab

    yield make
    for tab in tabs:
        assert tab.shutdown(10_000)


def wait_for(tab, qtbot, change) -> None:
    before = tab.data
    change()
    qtbot.waitUntil(lambda: not tab.loading and tab.data is not before, timeout=20_000)


def in_range(period, account_id=None):
    query = Activity.select().where((Activity.occurred_at >= period.start) & (Activity.occurred_at < period.end))
    return query.where(Activity.account == account_id) if account_id else query


def stack_tops(plot) -> list[float]:
    """The height each bar of a bar chart reaches on screen: the top of its stack of visible bars."""
    tops = [0.0] * plot.bar_count
    for bars in plot._bars:
        if bars.isVisible():
            for x, bottom, height in zip(bars.opts["x"], bars.opts["y0"], bars.opts["height"], strict=True):
                tops[int(x)] = max(tops[int(x)], bottom + height)
    return tops


def in_bucket(bucket, account_id=None):
    query = Activity.select().where((Activity.occurred_at >= bucket.start) & (Activity.occurred_at < bucket.end))
    return query.where(Activity.account == account_id) if account_id else query


def first_activities(account_id=None) -> list:
    query = Activity.select(fn.MIN(Activity.occurred_at)).group_by(Activity.member)
    if account_id:
        query = query.where(Activity.account == account_id)
    return [Activity.occurred_at.python_value(first) for (first,) in query.tuples()]


def assert_charts_show_the_database(tab) -> None:
    """What each chart draws, bar by bar and row by row, is what the database holds for the range."""
    from ui.dashboard.charts import ROLE_MEMBER_ID

    account_id = tab.data.scope.account_id
    period = tab.data.scope.period
    activity = tab.panel("activity").chart.plot
    assert activity.buckets == tab.data.activity.buckets
    assert stack_tops(activity) == [in_bucket(b, account_id).count() for b in activity.buckets]
    assert tab.cards["activities"].value.text().replace(",", "") == str(in_range(period, account_id).count())

    growth = tab.panel("growth").chart
    firsts = first_activities(account_id)
    assert stack_tops(growth.plot) == [sum(1 for f in firsts if b.start <= f < b.end) for b in growth.plot.buckets]
    assert list(growth.total_line.yData)[-1] == sum(1 for f in firsts if f < period.end)

    view = tab.panel("top_members").chart.view
    counts = dict(in_range(period, account_id).select(Activity.member, fn.COUNT(Activity.id))
                  .group_by(Activity.member).tuples())
    shown = [(view.item(r, 0).data(ROLE_MEMBER_ID), int(view.item(r, 2).text().replace(",", "")))
             for r in range(view.rowCount())]
    assert shown and all(counts[member] == n for member, n in shown)
    assert [n for _m, n in shown] == sorted(counts.values(), reverse=True)[:len(shown)]

    heatmap = tab.panel("heatmap").chart
    dated = in_range(period, account_id).where(Activity.estimated == False).count()  # noqa: E712
    cells = [heatmap.describe_cell(day, hour) for day in range(7) for hour in range(24)]
    assert sum(int(text.rsplit(": ", 1)[1].split()[0].replace(",", "")) for text in cells) == dated

    stages = tab.panel("stages").chart
    staged = dict(MemberScore.select(Stage.name, fn.COUNT(MemberScore.member)).join(Stage)
                  .group_by(Stage.name).tuples())
    tops = stack_tops(stages.plot)
    assert len(tops) == len(stages.plot.buckets) + 1  # the range's buckets, then today
    assert tops[-1] == tops[-2] == sum(staged.values())  # the history adds up to today's split
    assert stages.describe(len(tops) - 1).splitlines() == ["Today"] + [
        f"{name}: {QLocale().toString(staged[name])}" for name in tab.data.stages.names if staged.get(name)]
    headers, rows = stages.table()
    assert rows[-1] == ["today", *[staged.get(name, 0) for name in headers[1:-1]], None]


def test_every_chart_shows_the_sample_and_follows_range_and_account(synced_sample_context, make_tab, qtbot):
    context = synced_sample_context
    other = Account.create(x_user_id="2", username="other", credential_kind="sandbox",
                           connected_at=context.clock.now() - timedelta(days=5))
    member = Member.select().first()
    for n in range(3):
        Activity.create(account=other, member=member, kind="reply", post_id=f"other-{n}", dedup_key=f"other:{n}",
                        occurred_at=context.clock.now() - timedelta(days=n, hours=2))
    tab = make_tab(context)
    assert {p.chart.key for p in tab.panels} == CHART_KEYS
    assert all(p.showing_chart for p in tab.panels if p.chart.key != "followers")
    assert in_range(tab.data.scope.period).count() > 0
    assert_charts_show_the_database(tab)

    wait_for(tab, qtbot, lambda: tab.set_range("7d"))
    assert len(tab.panel("activity").chart.plot.buckets) == 7
    assert_charts_show_the_database(tab)

    wait_for(tab, qtbot, lambda: tab.set_range("24h"))
    assert len(tab.panel("activity").chart.plot.buckets) == 24 and tab.data.scope.period.unit == "hour"
    assert_charts_show_the_database(tab)

    wait_for(tab, qtbot, lambda: tab.set_range("12m"))
    assert tab.data.scope.period.unit == "week"
    assert_charts_show_the_database(tab)

    account = active_accounts()[0]
    everyone = in_range(tab.data.scope.period).count()
    wait_for(tab, qtbot, lambda: tab.set_account(account.id))
    assert tab.data.scope.account_id == account.id
    assert in_range(tab.data.scope.period, account.id).count() < everyone
    assert_charts_show_the_database(tab)


def test_quick_range_changes_draw_only_the_last_choice(synced_sample_context, make_tab, qtbot):
    tab = make_tab(synced_sample_context)
    drawn = []
    for panel in tab.panels:
        def watched(data, set_data=panel.set_data):
            drawn.append(data.scope.period)
            set_data(data)
        panel.set_data = watched
    before = tab.data

    tab.set_range("12m")
    assert tab._counter.wait(20_000)  # its numbers have come, but the window has not taken them yet
    for choice in ("all", "12m", "all", "7d"):
        tab.set_range(choice)
    qtbot.waitUntil(lambda: not tab.loading and tab.data is not before, timeout=20_000)

    week = tab.data.scope.period
    assert week.unit == "day" and len(tab.data.activity.buckets) == 7
    assert drawn == [week] * len(tab.panels)  # every chart drawn once, and only with the last choice
    assert len(tab.panel("activity").chart.plot.buckets) == 7


def test_the_counting_process_ends_with_the_workspace_and_comes_back_with_the_next(synced_context, make_tab,
                                                                                   qtbot):
    tab = make_tab(synced_context)
    assert tab._counter.running

    synced_context.workspace_closing.emit()
    assert not tab._counter.running

    synced_context.workspace_opened.emit()
    qtbot.waitUntil(lambda: not tab.loading and tab.data is not None, timeout=20_000)
    assert tab._counter.running and tab.data.activity.total > 0


def test_custom_range_shows_the_chosen_days(synced_sample_context, make_tab, qtbot):
    tab = make_tab(synced_sample_context)
    last = tab.data.scope.period.last_day
    first = last - timedelta(days=9)

    wait_for(tab, qtbot, lambda: tab.set_range("custom", (first, last)))

    assert [b.label for b in tab.data.activity.buckets][0] == first
    assert len(tab.data.activity.buckets) == 10
    assert all(w.isVisible() for w in tab.custom_widgets)


def test_hover_shows_exact_counts(synced_context, make_tab, qtbot):
    tab = make_tab(synced_context)
    panel = tab.panel("activity")
    plot = panel.chart.plot
    last = len(plot.buckets) - 1

    plot.hover(last)

    assert "81 activities" in panel.hover.text()
    assert "Likes (time estimated): 43" in panel.hover.text()
    scene = plot.getPlotItem().vb.mapViewToScene(QPointF(last, 5))
    qtbot.mouseMove(plot.viewport(), plot.mapFromScene(scene))
    qtbot.waitUntil(lambda: "Retweets (time estimated): 38" in panel.hover.text())


def test_hover_says_when_a_week_is_only_part_of_one(synced_sample_context, make_tab, qtbot):
    tab = make_tab(synced_sample_context)
    wait_for(tab, qtbot, lambda: tab.set_range("12m"))
    buckets = tab.data.activity.buckets
    first, whole, last = buckets[0], buckets[1], buckets[-1]
    assert first.days < 7 and whole.days == 7 and last.days < 7  # 2 December 2025, a Tuesday, to 1 December 2026
    chart = tab.panel("activity").chart

    first_day = QLocale().toString(first.label, QLocale.FormatType.LongFormat)
    assert chart.describe(0).startswith(f"Part of a week: {first_day}")
    assert f"({first.days} days)" in chart.describe(0).splitlines()[0]
    assert chart.describe(1).startswith("Week of ")
    assert chart.describe(len(buckets) - 1).startswith("Part of a week: ")


def test_double_click_on_a_most_active_member_asks_to_open_them(synced_context, make_tab, qtbot):
    tab = make_tab(synced_context)
    view = tab.panel("top_members").chart.view
    assert view.rowCount() == 10
    first = tab.data.top[0]

    with qtbot.waitSignal(synced_context.open_member_requested) as signal:
        view.itemDoubleClicked.emit(view.item(0, 0))

    assert signal.args == [first.member_id]
    assert view.item(0, 1).text() == f"@{first.handle}"


def test_no_workspace_offers_the_sample(app_context, make_tab, qtbot):
    app_context.session = None
    tab = make_tab(app_context)

    assert tab.pages.currentIndex() == 0
    with qtbot.waitSignal(tab.sample_requested):
        tab.sample_button.click()


def test_no_account_says_how_to_connect(app_context, make_tab):
    tab = make_tab(app_context)

    assert tab.pages.currentIndex() == 0
    assert "Connect your X account in the Integrations tab" in tab.no_account.text()


def test_a_range_without_data_says_so_in_every_chart(app_context, make_tab, qtbot):
    account = Account.create(x_user_id="1", username="ahoy", credential_kind="sandbox",
                             connected_at=app_context.clock.now())
    member = Member.create(first_seen_at=app_context.clock.now())
    Activity.create(account=account, member=member, kind="reply", post_id="1", dedup_key="post:1",
                    occurred_at=app_context.clock.now() - timedelta(days=400))
    tab = make_tab(app_context)

    assert tab.pages.currentIndex() == 1
    assert all(not p.showing_chart for p in tab.panels)
    assert all(p.message.text().splitlines()[0] == "No activity in this range" for p in tab.panels)
    assert tab.panel("followers").message.text().splitlines()[1] == "No follower counts were recorded in it."

    Activity.create(account=account, member=member, kind="reply", post_id="2", dedup_key="post:2",
                    occurred_at=app_context.clock.now() - timedelta(hours=1))
    wait_for(tab, qtbot, lambda: app_context.notify(Changes(activities_added=Counter(reply=1))))
    assert tab.panel("activity").showing_chart and tab.data.activity.total == 1
    assert tab.panel("growth").showing_chart  # the range has activity: the chart says whether anyone joined
    assert tab.panel("followers").message.text() == "No follower counts recorded in this range"
    plot = tab.panel("activity").chart.plot
    plot.hover(len(plot.buckets) - 1)
    assert tab.panel("activity").hover.text().endswith(": 1 activity · Replies: 1")


def test_charts_follow_a_dark_palette(synced_context, make_tab, qtbot):
    tab = make_tab(synced_context)
    plot = tab.panel("activity").chart.plot
    dark = QPalette(tab.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#eeeeee"))

    tab.setPalette(dark)

    assert plot.backgroundBrush().color() == QColor("#1e1e1e")


# -- export ------------------------------------------------------------------------


def distinct_colours(image: QImage) -> int:
    step = max(1, image.width() // 80)
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


def test_png_has_the_requested_size_and_is_not_blank(synced_context, make_tab, tmp_path):
    from ui.dashboard import export
    from ui.dashboard.charts import ActivityChart, HeatmapChart

    tab = make_tab(synced_context)
    path = tmp_path / "activity.png"

    export.save_png(path, ActivityChart, tab.data, width=800, scale=2)

    image = QImage(str(path))
    assert (image.width(), image.height()) == (1600, 880)
    assert distinct_colours(image) > 5
    hidden = export.chart_image(HeatmapChart, tab.data, width=600, scale=1)
    assert hidden.width() == 600 and distinct_colours(hidden) > 3


def svg_bars(root) -> list[tuple[float, float]]:
    """(left, right) on the page of every bar with a height, drawn in one of the kinds' colours or their hatch."""
    from ui.dashboard.style import KIND_COLOURS

    colours = {c.lower() for c in KIND_COLOURS.values()}
    bars = []
    for group in root.iter():
        fill = (group.get("fill") or "").lower()
        matrix = group.get("transform") or ""
        if not matrix.startswith("matrix(") or not (fill in colours or fill.startswith("url(#fillpattern")):
            continue
        scale_x, _b, _c, _d, shift_x, _f = (float(v) for v in matrix[7:-1].split(","))
        for rect in group:
            if rect.tag.endswith("rect") and float(rect.get("height")) > 0:
                left = float(rect.get("x"))
                bars.append((scale_x * left + shift_x, scale_x * (left + float(rect.get("width"))) + shift_x))
    return bars


def test_svg_parses_and_keeps_hourly_bars_apart(synced_sample_context, make_tab, qtbot, tmp_path):
    from ui.dashboard import export
    from ui.dashboard.charts import ActivityChart

    tab = make_tab(synced_sample_context)
    wait_for(tab, qtbot, lambda: tab.set_range("24h"))
    busy = [i for i in range(24) if tab.data.activity.bucket_total(i)]
    assert len(busy) >= 3
    path = tmp_path / "activity.svg"

    export.save_svg(path, ActivityChart, tab.data)

    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    text = " ".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
    assert "Activities over time" in text
    # Each busy hour is a bar of its own: one position per busy hour, in order, and none overlapping.
    positions = sorted({(round(left, 1), round(right, 1)) for left, right in svg_bars(root)})
    assert len(positions) == len(busy)
    assert all(right < next_left for (_l, right), (next_left, _r) in zip(positions, positions[1:], strict=False))
    spacing = (positions[-1][0] - positions[0][0]) / (busy[-1] - busy[0])
    assert [round((left - positions[0][0]) / spacing) + busy[0] for left, _r in positions] == busy


def test_an_empty_chart_exports_with_its_message(app_context, make_tab, tmp_path):
    from ui.dashboard import export
    from ui.dashboard.charts import ActivityChart

    Account.create(x_user_id="1", username="ahoy", credential_kind="sandbox", connected_at=app_context.clock.now())
    tab = make_tab(app_context)
    path = tmp_path / "empty.svg"

    export.save_svg(path, ActivityChart, tab.data)
    export.save_png(tmp_path / "empty.png", ActivityChart, tab.data, width=500, scale=2)

    text = " ".join(t.text or "" for t in ET.parse(path).getroot().iter() if t.tag.endswith("text"))
    assert "No activity in this range" in text
    assert QImage(str(tmp_path / "empty.png")).width() == 1000


def test_copy_image_puts_the_chart_on_the_clipboard(synced_context, make_tab):
    from PySide6.QtGui import QGuiApplication

    from ui.dashboard import export
    from ui.dashboard.charts import GrowthChart

    tab = make_tab(synced_context)
    export.copy_image(GrowthChart, tab.data)

    assert QGuiApplication.clipboard().image().width() == export.DEFAULT_WIDTH * export.DEFAULT_SCALE


PDF_DRAWING = re.compile(rb"(?<![A-Za-z])(re|m|l|c|f\*?|S|B\*?|Tj|TJ|Do)(?![A-Za-z])")


def pdf_drawing(path) -> list[Counter]:
    """What each page of a PDF draws: its path, fill, text and image operators, counted."""
    from pypdf import PdfReader

    return [Counter(PDF_DRAWING.findall(page.get_contents().get_data())) for page in PdfReader(str(path)).pages]


def test_pdf_report_has_the_summary_and_every_chart(synced_sample_context, make_tab, tmp_path, monkeypatch):
    from pypdf import PdfReader

    from ui.dashboard.charts import CHART_TYPES

    tab = make_tab(synced_sample_context)
    path = tmp_path / "report.pdf"

    tab.export_report(str(path))

    reader = PdfReader(str(path))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for title in ("Member growth", "Followers of the account", "Activities over time", "Members by stage",
                  "Most active members", "When people interact", "Active members"):
        assert title in text
    assert "Last 30 days" in text and "sample" in text.lower()
    assert len(reader.pages) >= 3
    drawn = pdf_drawing(path)
    tab.export_report(str(tmp_path / "again.pdf"))
    assert pdf_drawing(tmp_path / "again.pdf") == drawn  # the same report draws the same
    # Each chart's own drawing is in the report: without it the report draws something else.
    shown = [t for t in CHART_TYPES if tab.panel(t.key).showing_chart]
    assert len(shown) >= 5
    for chart_type in shown:
        with monkeypatch.context() as patch:
            patch.setattr(chart_type, "draw", lambda self: None)
            tab.export_report(str(tmp_path / f"without-{chart_type.key}.pdf"))
        assert pdf_drawing(tmp_path / f"without-{chart_type.key}.pdf") != drawn, chart_type.key


def test_a_report_asked_for_before_the_numbers_come_is_saved_when_they_do(synced_sample_context, qtbot, tmp_path):
    from pypdf import PdfReader

    from ui.dashboard.tab import DashboardTab

    tab = DashboardTab(synced_sample_context)
    qtbot.addWidget(tab)
    path = tmp_path / "early.pdf"
    assert tab.data is None and tab.loading

    tab.export_report(str(path))

    assert not path.exists() and "the export follows" in tab.status.text()
    qtbot.waitUntil(lambda: path.exists(), timeout=20_000)
    assert "Members by stage" in " ".join(" ".join(page.extract_text() for page in PdfReader(str(path)).pages).split())
    assert tab.status.text() == ""
    assert tab.shutdown(10_000)


def test_csv_export_of_a_chart_adds_up_to_the_database(synced_sample_context, make_tab, tmp_path):
    tab = make_tab(synced_sample_context)
    headers, rows = tab.panel("activity").chart.table()
    path = tmp_path / "a.csv"
    tables.write_csv(path, headers, rows)

    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("period_start,")
    assert sum(int(line.rsplit(",", 1)[1]) for line in lines[1:]) == in_range(tab.data.scope.period).count()


def test_the_heatmap_csv_adds_up_to_the_range_and_says_what_it_leaves_out(synced_sample_context, make_tab,
                                                                           tmp_path):
    import csv

    tab = make_tab(synced_sample_context)
    path = tmp_path / "heatmap.csv"
    tables.write_csv(path, *tab.panel("heatmap").chart.table())

    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    period = tab.data.scope.period
    estimated = in_range(period).where(Activity.estimated == True).count()  # noqa: E712
    assert 0 < estimated < in_range(period).count()
    assert [r["weekday"] for r in rows[:7]] == list(tables.WEEKDAYS)
    assert all(int(r["total"]) == sum(int(r[f"{h:02d}"]) for h in range(24)) for r in rows[:7])
    assert rows[7]["weekday"] == "not placed: likes and retweets whose time is estimated"
    assert int(rows[7]["total"]) == estimated and all(rows[7][f"{h:02d}"] == "" for h in range(24))
    assert sum(int(r["total"]) for r in rows) == in_range(period).count()
    left_out = QLocale().toString(estimated)
    assert f"Left out: {left_out} likes and retweets whose time is estimated" in tab.panel("heatmap").note.text()
