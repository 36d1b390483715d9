"""The Members tab as a user sees it: the table, the search, the detail pane and its edits."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QObject,
    QPoint,
    Qt,
    QUrl,
    Slot,
)
from PySide6.QtGui import QDesktopServices, QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog

from ahoy_desktop.changes import Changes
from ahoy_desktop.db import bulk
from ahoy_desktop.db.models import Account, Activity, Member, database_proxy
from ahoy_desktop.db.sqlite import chunk_size, write_transaction
from ahoy_desktop.scores import explain
from ui.background import BackgroundQuery
from ui.member_detail import TIMELINE_PAGE
from ui.member_table_model import (
    COL_ACTIVITY,
    COL_HANDLE,
    COL_LAST_ACTIVE,
    COL_NAME,
    MEMBER_ID_ROLE,
    REREAD_ROWS,
    SORT_VALUE_ROLE,
    WINDOW_ROWS,
)
from ui.members_tab import MembersTab


@pytest.fixture
def make_tab(qtbot):
    def make(context) -> MembersTab:
        tab = MembersTab(context)
        qtbot.addWidget(tab)
        tab.resize(1300, 800)
        tab.show()
        qtbot.waitExposed(tab)
        return tab

    return make


def column(tab: MembersTab, col: int, role=Qt.ItemDataRole.DisplayRole) -> list:
    model = tab.model
    return [model.data(model.index(row, col), role) for row in range(model.rowCount())]


def settle(qtbot, tab: MembersTab) -> None:
    """Wait for the background reads (a new search, order or window) to arrive."""
    qtbot.waitUntil(lambda: not tab.model.busy)


def fetch_more(qtbot, tab: MembersTab) -> None:
    tab.model.fetchMore(QModelIndex())
    settle(qtbot, tab)


def fetch_all(qtbot, tab: MembersTab) -> None:
    settle(qtbot, tab)
    while tab.model.canFetchMore(QModelIndex()):
        fetch_more(qtbot, tab)


def type_text(widget, text: str) -> None:
    """Key presses carrying each character (QTest's keyClicks knows only Latin-1)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def type_search(qtbot, tab: MembersTab, text: str, rows: int) -> None:
    tab.search.clear()
    type_text(tab.search, text)
    qtbot.waitUntil(lambda: tab.model.query().search == text and not tab.model.busy)
    assert tab.model.rowCount() == rows


def click_header(qtbot, tab: MembersTab, col: int) -> None:
    header = tab.table.horizontalHeader()
    x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    settle(qtbot, tab)


def click_row(qtbot, tab: MembersTab, row: int) -> None:
    rect = tab.table.visualRect(tab.model.index(row, COL_HANDLE))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_every_member_reachable_a_window_at_a_time(synced_context, make_tab, qtbot):
    tab = make_tab(synced_context)
    assert tab.count_label.text() == "803 members"
    assert tab.model.rowCount() == WINDOW_ROWS and tab.model.canFetchMore(QModelIndex())
    assert tab.stack.currentWidget() is tab.splitter
    fetch_all(qtbot, tab)
    ids = column(tab, COL_NAME, MEMBER_ID_ROLE)
    assert len(ids) == len(set(ids)) == 803
    # Newest activity first, "Last active" shown in local time and sorted by the real value.
    times = column(tab, COL_LAST_ACTIVE, SORT_VALUE_ROLE)
    assert times == sorted(times, reverse=True)
    newest = times[0].astimezone()
    assert column(tab, COL_LAST_ACTIVE)[0] == f"{newest.day} {newest:%b %Y %H:%M}"
    assert "@xtxxzinfo" in column(tab, COL_HANDLE)


def test_search_narrows_as_you_type(synced_context, make_tab, qtbot):
    tab = make_tab(synced_context)
    type_search(qtbot, tab, "михаил", rows=1)
    assert column(tab, COL_NAME) == ["Михаил Преображенски"]
    assert tab.count_label.text() == "1 of 803 members"
    qtbot.keyClick(tab.search, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: tab.model.query().search == "михаи")
    tab.search.clear()
    qtbot.keyClicks(tab.search, "XT")
    qtbot.waitUntil(lambda: tab.model.query().search == "XT" and not tab.model.busy)
    handles = [h.lower() for h in column(tab, COL_HANDLE)]
    assert "@xtxxzinfo" in handles and len(handles) < 803
    for member_id in column(tab, COL_NAME, MEMBER_ID_ROLE):  # in a name, handle, bio or post
        member = Member.get_by_id(member_id)
        posts = [a.text for a in Activity.select(Activity.text).where(Activity.member == member_id)]
        assert "xt" in "\n".join([member.name, member.x_handle, member.bio or "", *posts]).lower()
    tab.search.clear()
    qtbot.waitUntil(lambda: tab.count_label.text() == "803 members")
    settle(qtbot, tab)


def test_clicking_a_header_sorts(synced_context, make_tab, qtbot):
    tab = make_tab(synced_context)
    header = tab.table.horizontalHeader()
    click_header(qtbot, tab, COL_ACTIVITY)
    assert header.sortIndicatorSection() == COL_ACTIVITY
    if header.sortIndicatorOrder() != Qt.SortOrder.DescendingOrder:
        click_header(qtbot, tab, COL_ACTIVITY)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    counts = column(tab, COL_ACTIVITY)
    assert counts == sorted(counts, reverse=True) and counts[0] == 10
    assert column(tab, COL_HANDLE)[0] == "@xtxxzinfo"
    assert tab.model.rowCount() == WINDOW_ROWS

    click_header(qtbot, tab, COL_ACTIVITY)
    assert column(tab, COL_ACTIVITY) == [1] * WINDOW_ROWS
    click_header(qtbot, tab, COL_HANDLE)
    fetch_all(qtbot, tab)
    handles = [h.lower() for h in column(tab, COL_HANDLE)]
    known = [h for h in handles if h]
    assert known == sorted(known, reverse=header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder)
    assert handles[len(known):] == [""] * (len(handles) - len(known))  # no handle: last either way


class UrlCatcher(QObject):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def test_a_like_shows_its_estimated_time_and_links_to_the_post(synced_context, make_tab, qtbot):
    like = Activity.get(Activity.kind == "like")
    handle = Member.get_by_id(like.member_id).x_handle
    tab = make_tab(synced_context)
    type_search(qtbot, tab, handle, rows=1)
    click_row(qtbot, tab, 0)
    detail = tab.detail
    assert detail.member_id == like.member_id
    assert detail.name_label.text() == Member.get_by_id(like.member_id).name
    assert "last active ≈ " in detail.stats_label.text()
    entry = next(e for e in detail.timeline.entries if e.item.kind == "like")
    day = like.occurred_at.astimezone()
    assert entry.time_label.text() == f"≈ {day.day} {day:%b %Y}"
    assert entry.time_label.font().italic()
    assert entry.estimated_tag.text() == "estimated" and entry.estimated_tag.isVisibleTo(tab)
    for widget in (entry.time_label, entry.estimated_tag):
        assert widget.toolTip().startswith("X gives no date for likes and retweets: this is when Ahoy first saw it")
    url = f"https://x.com/i/web/status/{like.post_id}"
    assert f'href="{url}"' in entry.link.text() and entry.link.toolTip() == url
    assert entry.target_label.text().startswith("It’s finally here!")  # the account's post that was liked

    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("https", catcher, "open")
    try:
        entry.link.linkActivated.emit(url)
    finally:
        QDesktopServices.unsetUrlHandler("https")
    assert catcher.urls == [url]


def test_post_text_is_unescaped_and_never_markup(synced_context, make_tab):
    escaped = Activity.get(Activity.text.contains("&gt;"))
    tab = make_tab(synced_context)
    tab.show_member(escaped.member_id)
    entry = next(e for e in tab.detail.timeline.entries if e.item.id == escaped.id)
    assert entry.text_label.text() == escaped.text.replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")
    assert entry.text_label.textFormat() == Qt.TextFormat.PlainText and entry.text_label.wordWrap()


def test_editing_a_field_by_hand(synced_context, make_tab, qtbot):
    member = Member.get(Member.x_handle == "xtxxzinfo")
    tab = make_tab(synced_context)
    tab.show_member(member.id)
    assert tab.table.currentIndex().data(MEMBER_ID_ROLE) == member.id
    tabs = tab.detail.tabs
    qtbot.mouseClick(tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tabs.tabBar().tabRect(1).center())
    assert tabs.tabText(tabs.currentIndex()) == "Profile"
    followers = tab.detail.fields["followers"]
    assert followers.edit.isVisibleTo(tab) and followers.edit.accessibleName() == "Followers"
    assert not followers.tag.isVisibleTo(tab)

    followers.edit.selectAll()
    qtbot.keyClicks(followers.edit, "many")
    qtbot.keyClick(followers.edit, Qt.Key.Key_Return)
    assert followers.error.isVisibleTo(tab)
    assert followers.error.text() == "Followers must be a whole number, like 1200."
    assert Member.get_by_id(member.id).followers == member.followers

    followers.edit.selectAll()
    qtbot.keyClicks(followers.edit, "1,200")
    qtbot.keyClick(followers.edit, Qt.Key.Key_Return)
    assert not followers.error.isVisibleTo(tab)
    assert followers.tag.isVisibleTo(tab) and followers.tag.toolTip() == "Syncs will not overwrite this value"
    assert followers.edit.text() == "1200"
    assert Member.get_by_id(member.id).followers == 1200

    name = tab.detail.fields["name"]
    row = tab.model.row_of(member.id)
    with qtbot.waitSignal(synced_context.changed) as changed:
        name.edit.selectAll()
        qtbot.keyClicks(name.edit, "Sunflower")
        qtbot.keyClick(name.edit, Qt.Key.Key_Return)
    assert changed.args[0].members_updated == {member.id}
    settle(qtbot, tab)  # the row is re-read in the background
    assert tab.model.index(row, COL_NAME).data() == "Sunflower"  # the table row follows
    assert tab.detail.name_label.text() == "Sunflower" and name.tag.isVisibleTo(tab)

    qtbot.mouseClick(name.revert, Qt.MouseButton.LeftButton)
    assert name.edit.text() == member.name and not name.tag.isVisibleTo(tab)
    settle(qtbot, tab)
    assert tab.model.index(row, COL_NAME).data() == member.name
    assert Member.get_by_id(member.id).manual_fields == ["followers"]


def test_a_refresh_keeps_the_users_place(synced_context, make_tab, qtbot):
    tab = make_tab(synced_context)
    tab.show_member(Member.get(Member.x_handle == "xtxxzinfo").id)
    settle(qtbot, tab)
    selected = tab.table.currentIndex().data(MEMBER_ID_ROLE)
    loaded = tab.model.rowCount()
    resets = []
    tab.model.modelReset.connect(lambda: resets.append(True))
    now = synced_context.clock.now()
    with write_transaction(database_proxy):
        new_id = Member.create(name="Newcomer", x_handle="newcomer", first_seen_at=now, activity_count=1,
                               last_active_at=now + timedelta(minutes=1)).id
    synced_context.notify(Changes(members_added={new_id}))
    settle(qtbot, tab)
    assert tab.count_label.text() == "804 members"
    assert column(tab, COL_NAME)[0] == "Newcomer"  # newest activity: first row
    assert tab.model.rowCount() == loaded + 1
    assert tab.table.currentIndex().data(MEMBER_ID_ROLE) == selected
    assert tab.table.selectionModel().selectedRows()[0].data(MEMBER_ID_ROLE) == selected
    assert resets == []


def test_a_refresh_with_a_search_active_is_read_in_the_background_and_the_rows_stay_until_then(
        synced_context, make_tab, qtbot):
    tab = make_tab(synced_context)
    type_search(qtbot, tab, "михаил", rows=1)
    shown = tab.model.member_id(0)
    now = synced_context.clock.now()
    with write_transaction(database_proxy):
        Member.update(name="Михаил renamed").where(Member.id == shown).execute()
        newcomer = Member.create(name="Михаил Newcomer", x_handle="newcomer", first_seen_at=now).id
    before_names, before_count = column(tab, COL_NAME), tab.count_label.text()
    gate = threading.Event()
    long_read = BackgroundQuery(reader=tab.model._reader)  # the reader is busy with another read
    long_read.run(lambda: gate.wait(30))
    try:
        synced_context.notify(Changes(members_updated={shown}, members_added={newcomer}))
        # Back at once, with nothing read on this thread: the rows and the count shown are the old ones.
        assert column(tab, COL_NAME) == before_names and tab.count_label.text() == before_count
        assert tab.model.busy
    finally:
        gate.set()
    settle(qtbot, tab)
    assert sorted(column(tab, COL_NAME)) == ["Михаил Newcomer", "Михаил renamed"]
    assert tab.count_label.text() == "2 of 804 members"


def test_a_painted_cell_gets_what_each_role_answers_alone(synced_context, make_tab, qtbot):
    """The view asks every role of a cell in one call; the answers are those of one role at a time."""
    now = synced_context.clock.now()
    with write_transaction(database_proxy):
        Member.create(name="", x_handle="nameless", first_seen_at=now, last_active_at=now + timedelta(hours=1))
    tab = make_tab(synced_context)
    settle(qtbot, tab)
    model = tab.model
    roles = [Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole,
             Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.DisplayRole, MEMBER_ID_ROLE, SORT_VALUE_ROLE]
    answered = set()
    for row in range(20):
        for col in range(model.columnCount()):
            index = model.index(row, col)
            for role in roles:
                entry = QModelRoleData(int(role))
                model.multiData(index, QModelRoleDataSpan(entry))
                alone = model.data(index, role)
                assert entry.data() == alone, (row, col, role)
                if alone is not None:
                    answered.add(int(role))
    assert answered == {int(r) for r in roles} - {int(Qt.ItemDataRole.ForegroundRole)}
    assert column(tab, COL_NAME)[0] == "(no name)" and model.index(0, COL_NAME).data(Qt.ItemDataRole.FontRole).italic()


def test_a_key_held_down_the_list_shows_the_profile_where_it_stops(synced_context, make_tab, qtbot):
    tab = make_tab(synced_context)
    tab.table.setFocus()
    tab.table.selectRow(0)
    first = tab.model.member_id(0)
    assert tab.detail.member_id == first  # the first move shows its member at once
    for _ in range(6):  # the keyboard repeating Down faster than a profile loads
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(tab.table, QKeyEvent(kind, Qt.Key.Key_Down, Qt.KeyboardModifier.NoModifier,
                                                        "", True))
    assert tab.table.currentIndex().row() == 6
    assert tab.detail.member_id == first  # no profile read for each row passed
    qtbot.waitUntil(lambda: tab.detail.member_id == tab.model.member_id(6))
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):  # one key, later: shown after the same pause
        QApplication.sendEvent(tab.table, QKeyEvent(kind, Qt.Key.Key_Down, Qt.KeyboardModifier.NoModifier))
    assert tab.table.currentIndex().row() == 7 and tab.detail.member_id == tab.model.member_id(6)
    qtbot.waitUntil(lambda: tab.detail.member_id == tab.model.member_id(7))
    assert tab.detail.handle_label.text() == column(tab, COL_HANDLE)[7]


def test_open_member_requested_clears_a_search_that_hides_the_member(synced_context, make_tab, qtbot):
    target = Member.get(Member.x_handle == "xtxxzinfo")
    tab = make_tab(synced_context)
    type_search(qtbot, tab, "михаил", rows=1)
    synced_context.open_member_requested.emit(target.id)
    assert tab.search.text() == ""
    assert tab.count_label.text() == "803 members"
    assert tab.table.currentIndex().data(MEMBER_ID_ROLE) == target.id
    assert tab.detail.handle_label.text() == "@xtxxzinfo"
    assert tab.detail.tabs.tabText(0) == "Activity (10)"


def test_an_empty_workspace_says_what_to_do(app_context, make_tab):
    tab = make_tab(app_context)
    assert tab.empty_label.isVisible()
    assert tab.empty_label.text() == (
        "No members yet. Connect an account in Integrations, or try the sample workspace.")
    assert tab.count_label.text() == "0 members"


def _bulk_members(count: int, now: datetime) -> None:
    names = ("name", "x_handle", "first_seen_at", "activity_count", "last_active_at")
    rows = [(f"Person {i}", f"person_{i}", now, i % 7, now - timedelta(minutes=i) if i % 3 else None)
            for i in range(count)]
    step = chunk_size(len(names) + 6)
    with write_transaction(database_proxy):
        for start in range(0, count, step):
            bulk.insert_new_ids(Member, names, rows[start:start + step])


def test_a_hundred_thousand_members_open_with_one_window(app_context, make_tab, qtbot):
    _bulk_members(100_000, datetime(2026, 12, 1, tzinfo=UTC))
    tab = make_tab(app_context)
    assert tab.model.rowCount() == WINDOW_ROWS and tab.model.canFetchMore(QModelIndex())
    assert tab.count_label.text().replace(",", "") == "100000 members"
    tab.table.scrollToBottom()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2 * WINDOW_ROWS)  # the view asked for one more window
    click_header(qtbot, tab, COL_NAME)
    assert tab.model.rowCount() == WINDOW_ROWS
    type_search(qtbot, tab, "person_9999", rows=11)
    tab.search.clear()
    qtbot.waitUntil(lambda: tab.model.query().search == "")

    # Far down the list, a refresh updates the changed row where it is, without re-reading the rest.
    while tab.model.rowCount() <= REREAD_ROWS:
        fetch_more(qtbot, tab)
    loaded = tab.model.rowCount()
    row = loaded - 3
    member_id = tab.model.member_id(row)
    with write_transaction(database_proxy):
        Member.update(name="Renamed").where(Member.id == member_id).execute()
    moves, resets = [], []
    tab.model.layoutChanged.connect(lambda: moves.append(True))
    tab.model.modelReset.connect(lambda: resets.append(True))
    app_context.notify(Changes(members_updated={member_id}))
    settle(qtbot, tab)
    assert tab.model.index(row, COL_NAME).data() == "Renamed"
    assert tab.model.rowCount() == loaded and moves == resets == []

    # Asked to show a member far beyond the rows loaded: the detail shows them, no stall loading rows.
    deep = Member.get(Member.x_handle == "person_5").id
    app_context.open_member_requested.emit(deep)
    assert tab.detail.handle_label.text() == "@person_5"
    assert tab.model.rowCount() == loaded


def test_a_long_timeline_loads_a_page_at_a_time(app_context, make_tab, qtbot):
    now = app_context.clock.now()
    total = TIMELINE_PAGE * 2 + 10  # a page, another, and a part page
    with write_transaction(database_proxy):
        account = Account.create(x_user_id="1", username="acct", credential_kind="sandbox", connected_at=now)
        member = Member.create(name="Busy", x_handle="busy", first_seen_at=now, activity_count=total,
                               last_active_at=now)
        bulk.insert_new_ids(Activity, ("account", "member", "kind", "post_id", "occurred_at", "text", "dedup_key"),
                            [(account.id, member.id, "mention", str(1000 + i), now - timedelta(hours=i), f"post {i}",
                              f"post:{1000 + i}") for i in range(total)])
    tab = make_tab(app_context)
    tab.show_member(member.id)
    timeline = tab.detail.timeline
    assert len(timeline.entries) == TIMELINE_PAGE
    assert timeline.entries[0].text_label.text() == "post 0"  # newest first
    assert timeline.more_button.isVisibleTo(tab)
    qtbot.mouseClick(timeline.more_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(timeline.more_button, Qt.MouseButton.LeftButton)
    assert len(timeline.entries) == total
    assert timeline.entries[-1].text_label.text() == f"post {total - 1}"
    assert not timeline.more_button.isVisibleTo(tab)


def test_closing_and_opening_a_workspace(synced_context, make_tab, qtbot):
    tab = make_tab(synced_context)
    tab.show_member(Member.get(Member.x_handle == "xtxxzinfo").id)
    synced_context.workspace_closing.emit()
    assert tab.model.rowCount() == 0 and tab.detail.member_id is None
    click_header(qtbot, tab, COL_NAME)  # no workspace: nothing is asked of the database
    assert tab.model.rowCount() == 0
    synced_context.workspace_opened.emit()
    assert tab.model.rowCount() == WINDOW_ROWS and tab.count_label.text() == "803 members"
    assert tab.detail.stack.currentWidget() is tab.detail.placeholder


def test_members_show_their_stage_and_score_with_why(synced_sample_context, make_tab, qtbot):
    from ahoy_desktop.db.models import MemberScore
    from ui.member_table_model import COL_SCORE, COL_STAGE

    tab = make_tab(synced_sample_context)
    click_header(qtbot, tab, COL_SCORE)
    scores = column(tab, COL_SCORE)
    if scores[0] < scores[-1]:
        click_header(qtbot, tab, COL_SCORE)
        scores = column(tab, COL_SCORE)
    top = MemberScore.select().order_by(MemberScore.score.desc()).first()
    assert scores[0] == top.score > 0
    assert column(tab, COL_STAGE)[0] == top.stage.name
    click_row(qtbot, tab, 0)
    badge = tab.detail.score_badge
    qtbot.waitUntil(lambda: top.stage.name in badge.badge.text())
    assert f"{top.score} points in the last 30 days" in badge.badge.text()
    assert "Earned from" in badge.why.text() and "Next to leave the 30-day window" in badge.why.text()
    result = explain(top.member_id, synced_sample_context.clock.now())
    _kind, leaves, _lost = result.next_leaving
    happened = (leaves - timedelta(days=30)).astimezone().strftime("%d %b")
    assert f"from {happened}, on {leaves.astimezone().strftime('%d %b %H:%M')}" in badge.why.text()


def test_filters_combine_show_the_count_and_save_as_a_segment(synced_context, make_tab, qtbot):
    from ahoy_desktop.member_filters import CONTAINS, FieldCondition

    tab = make_tab(synced_context)
    bar = tab.filter_bar
    retweeters = {m for (m,) in Activity.select(Activity.member).where(Activity.kind == "retweet").tuples()}
    bar.kinds.action_for("retweet").setChecked(True)
    settle(qtbot, tab)
    assert tab.count_label.text() == f"{len(retweeters)} of 803 members"
    fetch_all(qtbot, tab)
    assert set(column(tab, COL_NAME, MEMBER_ID_ROLE)) == retweeters

    bar.add_condition_of(FieldCondition("location", CONTAINS, "a"))
    settle(qtbot, tab)
    both = {m.id for m in Member.select().where(Member.id.in_(retweeters)) if "a" in (m.location or "").lower()}
    assert tab.count_label.text() == f"{len(both)} of 803 members"
    saved = bar.save_segment("Retweeters with an A", synced_context.clock.now())
    assert bar.segment.currentText() == "Retweeters with an A"

    bar.clear()
    settle(qtbot, tab)
    assert tab.count_label.text() == "803 members" and bar.kinds.picked() == []
    bar.segment.setCurrentIndex(bar.segment.findData(saved.id))
    bar.segment.activated.emit(bar.segment.currentIndex())
    settle(qtbot, tab)
    assert bar.kinds.picked() == ["retweet"] and tab.count_label.text() == f"{len(both)} of 803 members"


def test_columns_show_hide_reorder_sort_and_are_remembered(synced_context, make_tab, qtbot):
    from ahoy_desktop.settings import MEMBER_COLUMNS

    tab = make_tab(synced_context)
    assert tab.visible_columns()[:3] == ["name", "handle", "stage"] and "accounts" in tab.visible_columns()
    tab.set_visible_columns(["name", "followers", "bio", "handle"])
    assert synced_context.settings.get(MEMBER_COLUMNS) == "name,followers,bio,handle"
    header = tab.table.horizontalHeader()
    assert header.isSectionHidden(COL_ACTIVITY) and not header.isSectionHidden(tab.model.column_of("bio"))

    menu = tab.column_menu()
    bio = next(a for a in menu.actions() if a.text() == "Bio")
    bio.setChecked(False)
    assert tab.visible_columns() == ["name", "followers", "handle"]

    followers = tab.model.column_of("followers")
    click_header(qtbot, tab, followers)
    if header.sortIndicatorOrder() != Qt.SortOrder.DescendingOrder:
        click_header(qtbot, tab, followers)
    values = [Member.get_by_id(i).followers for i in column(tab, COL_NAME, MEMBER_ID_ROLE)]
    known = [v for v in values if v is not None]
    assert known == sorted(known, reverse=True) and known[0] == Member.select().order_by(
        Member.followers.desc(nulls="last")).first().followers

    again = make_tab(synced_context)  # a new window remembers the choice
    assert again.visible_columns() == ["name", "followers", "handle"]
    query, keys = again.current_view()
    assert keys == ["name", "followers", "handle"] and query.sort == "last_active"


def test_ctrl_f_takes_the_keyboard_to_the_search_with_its_text_selected(synced_context, make_tab, qtbot):
    from PySide6.QtWidgets import QApplication

    tab = make_tab(synced_context)
    tab.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab)
    tab.search.setText("ada")
    tab.table.setFocus()
    qtbot.waitUntil(tab.table.hasFocus)

    qtbot.keyClick(tab.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)

    assert tab.search.hasFocus()
    assert tab.search.selectedText() == "ada"


def test_a_condition_that_cannot_run_is_refused_in_its_dialog_in_plain_words(app_context, qtbot):
    from ahoy_desktop.member_filters import ABOVE, BEFORE, FieldCondition
    from ui.member_filter_bar import ConditionDialog

    dialog = ConditionDialog([("followers", "Followers", "number"), ("location", "Location", "text"),
                              ("custom_1", "Met on", "date")])
    qtbot.addWidget(dialog)
    dialog.operator.setCurrentIndex(dialog.operator.findData(ABOVE))
    dialog.value.setText("lots")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.error.isVisibleTo(dialog)
    assert dialog.error.text() == "“lots” is not a number: write it in digits, like 1200."
    dialog.value.setText("1,000")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.condition() == FieldCondition("followers", ABOVE, "1,000")

    dialog.field.setCurrentIndex(2)  # a date field: its own tests and a date to pick
    assert [dialog.operator.itemText(i) for i in range(dialog.operator.count())] == [
        "is", "is before", "is after", "is empty", "is not empty"]
    assert dialog.values.currentWidget() is dialog.day
    dialog.operator.setCurrentIndex(dialog.operator.findData(BEFORE))
    dialog.day.setDate(QDate(2026, 11, 30))
    assert dialog.condition() == FieldCondition("custom_1", BEFORE, "2026-11-30")


def test_a_filter_that_cannot_run_shows_no_rows_and_says_why(synced_context, make_tab, qtbot):
    from ahoy_desktop.member_filters import ABOVE, CONTAINS, FieldCondition

    tab = make_tab(synced_context)
    settle(qtbot, tab)
    assert tab.model.rowCount() > 0
    tab.filter_bar.add_condition_of(FieldCondition("followers", ABOVE, "lots"))  # e.g. from an old segment
    settle(qtbot, tab)
    assert tab.model.rowCount() == 0
    assert tab.count_label.text() == "This filter cannot be used: “lots” is not a number."
    tab.filter_bar.remove_condition(0)
    tab.filter_bar.add_condition_of(FieldCondition("x_handle", CONTAINS, "ab"))
    settle(qtbot, tab)
    chips = [tab.filter_bar.conditions_box.itemAt(i).widget().text()
             for i in range(tab.filter_bar.conditions_box.count())]
    assert chips == ["Handle contains “ab”  ✕"]
    assert tab.model.rowCount() == tab.model.matching > 0


def test_last_active_between_two_days_and_a_search_saved_alone(synced_context, make_tab, qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from ahoy_desktop import segments
    from ui.member_filter_bar import ActiveRangeDialog

    tab = make_tab(synced_context)
    bar = tab.filter_bar
    newest = Member.select(Member.last_active_at).order_by(Member.last_active_at.desc()).scalar()
    last = newest.date().isoformat()
    first = (newest - timedelta(days=20)).date().isoformat()

    def pick(dialog):
        dialog.first.setDate(QDate.fromString(first, "yyyy-MM-dd"))
        dialog.last.setDate(QDate.fromString(last, "yyyy-MM-dd"))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ActiveRangeDialog, "exec", pick)
    bar.active.setCurrentIndex(bar.active.findData("range"))  # "Between dates…"
    settle(qtbot, tab)
    assert (bar.member_filter().active_from, bar.member_filter().active_to) == (first, last)
    assert bar.active.currentText() == f"Active {first} to {last}"
    expected = Member.select().where(Member.last_active_at >= datetime.fromisoformat(first),
                                     Member.last_active_at < datetime.fromisoformat(last) + timedelta(days=1)).count()
    assert 0 < expected < 803 and tab.count_label.text() == f"{expected} of 803 members"

    bar.clear()
    tab.search.setText("berlin")
    qtbot.waitUntil(lambda: tab.model.query().search == "berlin" and not tab.model.busy)
    bar.segment_menu_button.menu().aboutToShow.emit()
    assert bar.save_action.isEnabled()  # no filter, a search: worth saving
    monkeypatch.setattr(QInputDialog, "getText", lambda *_args, **_kw: ("Berliners", True))
    bar.save_action.trigger()
    (saved,) = segments.list_segments()
    assert (saved.name, saved.search, bool(saved.filter)) == ("Berliners", "berlin", False)


def test_condition_chips_name_fields_as_the_table_headers_do(synced_context, make_tab, qtbot, monkeypatch):
    from ahoy_desktop.member_filters import CONTAINS, FieldCondition
    from ui.member_table_model import MemberTableModel

    monkeypatch.setattr(MemberTableModel, "column_title", lambda _self, column: f"«{column.header}»")
    tab = make_tab(synced_context)
    tab.filter_bar.add_condition_of(FieldCondition("bio", CONTAINS, "rust"))
    chip = tab.filter_bar.conditions_box.itemAt(0).widget().text()
    assert chip == "«Bio» contains “rust”  ✕"
    settle(qtbot, tab)
