"""The Integrations tab as a user sees it, against real sandboxes and a real sync thread."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from ahoy_desktop.changes import Changes
from ahoy_desktop.clock import Clock
from ahoy_desktop.db.models import Account, Activity, Member
from ahoy_desktop.sandbox.host import SAMPLE
from ui.account_card import format_time
from ui.avatar import avatar_color, avatar_pixmap, initials
from ui.integrations_tab import IntegrationsTab
from ui.sync_controller import SyncController

from .conftest import REAL_WORLD, T0

SYNC_TIMEOUT_MS = 120_000


def open_tab(qtbot, context) -> IntegrationsTab:
    if context.sync is None:
        context.sync = SyncController(context)
    tab = IntegrationsTab(context)
    qtbot.addWidget(tab)
    tab.resize(1100, 760)
    tab.show()
    return tab


def only_card(tab):
    assert len(tab.cards) == 1
    return next(iter(tab.cards.values()))


def visible_button_texts(tab) -> list[str]:
    return [b.text() for b in tab.findChildren(QPushButton) if b.isVisible()]


def answer_with(button_text: str):
    """A stand-in for QMessageBox.exec that clicks the named button, as the user would."""

    def exec_(box):
        button = next(b for b in box.buttons() if b.text() == button_text)
        button.click()
        return 0

    return exec_


@pytest.fixture
def live_sample_context(qapp, settings):
    """The sample workspace on a clock that runs: a rate-limit wait lasts long enough to cancel."""
    from ahoy_desktop.session import WorkspaceSession
    from ui.context import AppContext

    clock = Clock(T0)
    context = AppContext(clock, settings)
    context.session = WorkspaceSession.open_sample(clock, settings)
    yield context
    if context.sync is not None:
        context.sync.shutdown()
    context.session.close()


def test_empty_workspace_explains_and_offers_what_is_real(app_context, qtbot):
    tab = open_tab(qtbot, app_context)
    assert tab.empty_label.isVisible()
    assert tab.empty_title.text() == "No account is connected yet" and tab.empty_label.isVisible()
    texts = visible_button_texts(tab)
    assert "Try with sample data" in texts and "Connect a sandbox world file…" in texts
    assert "Connect X account…" in texts
    assert not tab.sync_all_button.isVisible()
    assert tab.sample_button.font().bold() and tab.sample_button.minimumHeight() >= 40
    assert "X does not report follow events" in tab.note_label.text() and tab.note_label.wordWrap()
    with qtbot.waitSignal(tab.sample_requested, timeout=1000):
        qtbot.mouseClick(tab.sample_button, Qt.MouseButton.LeftButton)


def test_sync_now_shows_progress_then_the_result(sample_context, qtbot):
    tab = open_tab(qtbot, sample_context)
    card = only_card(tab)
    assert card.name_label.text() == "Ahoy" and card.handle_label.text() == "@ahoyhq"
    assert card.source_label.text().startswith("Sandbox: sample workspace · connected since ")
    assert card.status_label.text() == "Not synced yet"
    assert card.next_label.text() == "Next sync: due now"
    assert not tab.sample_button.isVisible()  # already in the sample workspace
    seen = []
    sample_context.sync.progress.connect(
        lambda p: seen.append((card.progress_box.isVisible(), card.stage_label.text(), card.counts_label.text())))

    with qtbot.waitSignal(sample_context.sync.finished, timeout=SYNC_TIMEOUT_MS):
        qtbot.mouseClick(card.sync_button, Qt.MouseButton.LeftButton)
        assert not card.sync_button.isEnabled()

    assert seen and all(visible for visible, _, _ in seen)
    stages = {stage for _, stage, _ in seen}
    assert {"Reading your posts", "Reading mentions", "Who liked your posts", "Who retweeted your posts"} <= stages
    counts = [c for _, _, c in seen]
    assert any(re.fullmatch(r"\d+ mentions read( · \d+ new activities)?( · \d+ new members)? · \d+ requests", c)
               for c in counts), counts
    assert not card.progress_box.isVisible()
    added = Activity.select().count()
    members = Member.select().count()
    finished = Account.get().last_sync_at
    expected = f"Last sync {format_time(finished)} — {added} new activities, {members} new members"
    assert card.status_label.text() == expected
    assert card.next_label.text().startswith("Next sync in 3 h (")
    assert f"{added} activities stored" in card.source_label.text()
    assert card.sync_button.isEnabled()


def test_a_rate_limit_wait_counts_down_and_cancel_stops_it(live_sample_context, qtbot):
    context = live_sample_context
    server = context.session.host.server(SAMPLE)
    server.set_window(600)
    server.limits["users/:id/tweets"] = 0  # the first posts request meets a spent window
    tab = open_tab(qtbot, context)
    card = only_card(tab)
    waits = []
    context.sync.progress.connect(lambda p: p.waiting_until and waits.append(p.waiting_until))
    reports = []
    context.sync.account_finished.connect(reports.append)

    qtbot.mouseClick(card.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: card.wait_label.isVisible(), timeout=30_000)
    until = format_time(waits[-1], seconds=True)
    first = card.wait_label.text()
    assert first.startswith(f"Waiting for X's rate limit until {until} · ")
    assert re.search(r"(9|10) min \d+ s left$", first)
    assert card.stage_label.text() == "Reading your posts"
    assert card.cancel_button.isVisible() and card.cancel_button.accessibleName() == "Cancel the sync of @ahoyhq"
    qtbot.waitUntil(lambda: card.wait_label.text() != first, timeout=3000)  # the countdown moves every second

    with qtbot.waitSignal(context.sync.finished, timeout=30_000):
        qtbot.mouseClick(card.cancel_button, Qt.MouseButton.LeftButton)
        assert card.stage_label.text() == "Cancelling…"

    assert [r.outcome for r in reports] == ["cancelled"]
    assert not card.progress_box.isVisible()
    assert re.fullmatch(r"Last sync \d\d:\d\d was cancelled; the next one resumes where it stopped",
                        card.status_label.text())


def test_a_long_rate_limit_stops_the_sync_until_the_window_resets(sample_context, qtbot):
    server = sample_context.session.host.server(SAMPLE)
    server.set_window(3600)  # longer than the longest wait the app accepts
    server.limits["users/:id/mentions"] = 0
    tab = open_tab(qtbot, sample_context)
    card = only_card(tab)
    reports = []
    sample_context.sync.account_finished.connect(reports.append)

    with qtbot.waitSignal(sample_context.sync.finished, timeout=SYNC_TIMEOUT_MS):
        qtbot.mouseClick(card.sync_button, Qt.MouseButton.LeftButton)

    assert reports[0].outcome == "rate_limited"
    assert card.status_label.text() == f"Stopped: X's rate limit, resumes after {format_time(reports[0].resume_after)}"


def test_disconnect_keeping_then_deleting_the_data(synced_context, qtbot, monkeypatch):
    tab = open_tab(qtbot, synced_context)
    card = only_card(tab)
    account_id = card.account_id
    activities = Activity.select().count()
    assert activities > 0
    changes = []
    synced_context.changed.connect(changes.append)

    monkeypatch.setattr(QMessageBox, "exec", answer_with("Cancel"))
    qtbot.mouseClick(card.disconnect_button, Qt.MouseButton.LeftButton)
    assert not tab.busy() and card.sync_button.isVisible()

    monkeypatch.setattr(QMessageBox, "exec", answer_with("Keep data"))
    qtbot.mouseClick(card.disconnect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: card.status_label.text() == "Disconnected — data kept", timeout=10_000)
    assert not card.sync_button.isVisible() and not card.disconnect_button.isVisible()
    assert card.delete_button.isVisible() and card.reconnect_button.isVisible()
    assert not card.next_label.isVisible()
    assert Activity.select().count() == activities
    assert changes[-1].accounts_changed == {account_id}
    assert not tab.sync_all_button.isEnabled()

    monkeypatch.setattr(QMessageBox, "exec", answer_with("Delete data"))
    qtbot.mouseClick(card.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.cards, timeout=30_000)
    assert tab.empty_label.isVisible()
    assert Account.select().count() == Activity.select().count() == Member.select().count() == 0
    assert changes[-1].accounts_changed == {account_id} and changes[-1].members_updated


def test_the_disconnect_question_keeps_the_data_when_the_user_just_presses_enter(synced_context, qtbot,
                                                                                 monkeypatch):
    tab = open_tab(qtbot, synced_context)
    card = only_card(tab)
    asked = []

    def press_enter(box):
        asked.append(box.defaultButton().text())
        box.defaultButton().click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", press_enter)
    qtbot.mouseClick(card.disconnect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: card.status_label.text() == "Disconnected — data kept", timeout=10_000)
    assert asked == ["Keep data"]
    assert Activity.select().count() > 0


def test_disconnect_and_delete_straight_away(synced_context, qtbot, monkeypatch):
    tab = open_tab(qtbot, synced_context)
    card = only_card(tab)
    monkeypatch.setattr(QMessageBox, "exec", answer_with("Delete data"))
    qtbot.mouseClick(card.disconnect_button, Qt.MouseButton.LeftButton)
    assert card.status_label.text() == "Deleting data…" and not card.disconnect_button.isEnabled()
    qtbot.waitUntil(lambda: not tab.cards, timeout=30_000)
    assert Activity.select().count() == 0


def test_connect_a_world_file_then_it_syncs(app_context, qtbot, monkeypatch):
    tab = open_tab(qtbot, app_context)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(REAL_WORLD), ""))
    connected = []
    tab.account_connected.connect(connected.append)

    with qtbot.waitSignal(app_context.sync.finished, timeout=SYNC_TIMEOUT_MS):
        qtbot.mouseClick(tab.connect_button, Qt.MouseButton.LeftButton)

    card = only_card(tab)
    assert connected == [card.account_id]
    assert card.handle_label.text() == "@TwitterDev" and card.name_label.text() == "Twitter Dev"
    assert card.source_label.text().startswith("Sandbox: real-world.json · connected since ")
    added = Activity.select().count()
    assert re.fullmatch(rf"Last sync \d\d:\d\d — {added} new activities, \d+ new members", card.status_label.text())
    assert not tab.empty_label.isVisible() and tab.sync_all_button.isVisible()
    assert tab.connect_button.isEnabled() and not tab.connect_status.isVisible()


def test_a_broken_world_file_connects_nothing_and_says_why(app_context, qtbot, monkeypatch, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "ahoy-sandbox-world/1", "me": {', encoding="utf-8")
    tab = open_tab(qtbot, app_context)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(broken), ""))
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: shown.append((title, text)))

    qtbot.mouseClick(tab.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)

    title, text = shown[0]
    assert title == "Not a sandbox world"
    assert "Ahoy could not connect broken.json" in text and "not a JSON sandbox world" in text
    assert "Nothing was connected." in text
    assert Account.select().count() == 0 and not tab.cards and tab.empty_label.isVisible()
    assert tab.connect_button.isEnabled() and not tab.busy()


def test_cards_follow_the_context_signals(synced_context, qtbot):
    tab = open_tab(qtbot, synced_context)
    card = only_card(tab)
    Account.update(name="Renamed Dev").where(Account.id == card.account_id).execute()
    synced_context.notify(Changes(accounts_changed={card.account_id}))
    assert card.name_label.text() == "Renamed Dev"
    assert tab.cards[card.account_id] is card  # updated in place, not rebuilt

    synced_context.workspace_opened.emit()
    assert only_card(tab) is not card and only_card(tab).name_label.text() == "Renamed Dev"


def test_avatars_are_initials_on_a_stable_colour(qapp):
    assert initials("Twitter Dev", "TwitterDev") == "TD"
    assert initials("Ahoy", "ahoyhq") == "A"
    assert initials("", "@ahoyhq") == "A"
    assert initials("", "") == "?"
    assert avatar_color("@TwitterDev") == avatar_color("twitterdev")
    assert len({avatar_color(h).name() for h in ("a", "b", "c", "d", "e", "f")}) > 1
    image = avatar_pixmap("Twitter Dev", "TwitterDev", 48).toImage()
    assert image.pixelColor(24, 3) == avatar_color("TwitterDev")  # inside the circle
    assert image.pixelColor(0, 0).alpha() == 0  # outside it: round, not square
