"""The Scoring tab after the lockout: Ahoy's proposal, the editor, and saving in the background."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QLocale, Qt

WINDOW_SIZE = (1300, 800)


@pytest.fixture
def synced_sample(synced_sample_context):
    return synced_sample_context


@pytest.fixture
def unlocked(synced_sample):
    synced_sample.clock.advance(timedelta(hours=25))
    return synced_sample


@pytest.fixture
def make_tab(qtbot):
    from ui.scoring_tab import ScoringTab

    tabs = []

    def make(context):
        tab = ScoringTab(context)
        qtbot.addWidget(tab)
        tab.resize(*WINDOW_SIZE)
        tab.show()
        tabs.append(tab)
        return tab

    yield make
    for tab in tabs:
        tab.wait_for_recompute()
        assert not tab.is_recomputing()


@pytest.fixture
def emitted(unlocked):
    changes = []
    unlocked.changed.connect(changes.append)
    return changes


def cells(table, columns) -> list[tuple[str, ...]]:
    return [tuple(table.item(r, c).text() for c in columns) for r in range(table.rowCount())]


def saved(qtbot, tab, click):
    with qtbot.waitSignal(tab.recompute_finished, timeout=30_000):
        click()
        assert tab.progress.isVisible()  # the UI stays up while members are recomputed
        assert tab.is_recomputing()
    assert not tab.is_recomputing()
    assert not tab.progress.isVisible()


def scoring_changes(changes) -> int:
    return sum(1 for c in changes if c.scoring_changed)


# -- during the lockout -------------------------------------------------------


def test_locked_tab_shows_the_automatic_setup_read_only(synced_sample, make_tab):
    from ahoy_desktop.scores import load_setup

    tab = make_tab(synced_sample)

    assert tab.mode() == "locked"
    assert tab.countdown_text().startswith("Scoring can be configured in ")
    assert not tab.editor.isVisible() and not tab.editor.isEnabled()
    assert not tab.proposal.isVisible()
    stages = load_setup().stages
    assert stages, "the first sync gives members stages"
    assert [name for name, _ in cells(tab.stages_view, (0, 1))] == [s.name for s in stages]
    assert cells(tab.stages_view, (0, 1))[-1][1] == f"{stages[-1].min_points} or more"


def test_the_lockout_ending_turns_the_tab_into_the_proposal(synced_sample, make_tab, qtbot):
    tab = make_tab(synced_sample)
    synced_sample.clock.advance(timedelta(hours=25))

    qtbot.waitUntil(lambda: tab.mode() == "proposal", timeout=3000)
    assert tab.proposal.isVisible()
    assert not tab.in_force.isVisible()


# -- the proposal -----------------------------------------------------------------


def test_proposal_shows_each_stage_with_its_member_count(unlocked, make_tab):
    from ahoy_desktop.scores import automatic_setup, stage_counts

    tab = make_tab(unlocked)

    now = unlocked.clock.now()
    proposal = automatic_setup(now)
    counts = stage_counts(proposal, now)
    assert tab.mode() == "proposal"
    assert tab.proposal_intro.text() == "Ahoy studied your account's activity and proposes this setup."
    assert [(name, members) for name, members in cells(tab.proposal_stages, (0, 2))] == [
        (stage.name, QLocale().toString(count)) for stage, count in zip(proposal.stages, counts, strict=True)]
    assert sum(counts) > 0
    assert not tab.editor.isVisible()


def test_accept_saves_the_proposal_and_recomputes_in_the_background(unlocked, make_tab, emitted, qtbot):
    from ahoy_desktop.db.models import MemberScore
    from ahoy_desktop.scores import automatic_setup, is_automatic, load_setup, stage_counts

    tab = make_tab(unlocked)
    now = unlocked.clock.now()
    proposal = automatic_setup(now)
    expected = stage_counts(proposal, now)

    saved(qtbot, tab, lambda: qtbot.mouseClick(tab.accept_button, Qt.MouseButton.LeftButton))

    assert not is_automatic()
    assert tab.mode() == "editor" and tab.editor.isVisible()
    assert [(s.name, s.min_points, s.max_points) for s in load_setup().stages] == [
        (s.name, s.min_points, s.max_points) for s in proposal.stages]
    held = [MemberScore.select().where(MemberScore.stage == s.id).count() for s in load_setup().stages]
    assert held == expected  # every member now sits in the stage the proposal announced
    assert scoring_changes(emitted) == 1
    assert tab.status.text() == "Saved. Every member's stage is up to date."


def test_start_from_scratch_has_no_stages_and_default_points(unlocked, make_tab):
    tab = make_tab(unlocked)

    tab.scratch_button.click()

    setup = tab.editor.setup()
    assert tab.mode() == "editor"
    assert setup.stages == []
    assert {k: setup.points[k] for k in ("mention", "reply", "quote", "like", "retweet")} == {
        "mention": 3, "reply": 4, "quote": 5, "like": 1, "retweet": 2}


# -- the editor -------------------------------------------------------------------


def test_points_above_ten_are_refused_with_a_message(unlocked, make_tab, qtbot):
    tab = make_tab(unlocked)
    tab.edit_button.click()
    spin = tab.editor._spins["mention"]
    spin.setValue(1)

    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "11")

    assert spin.value() == 1
    assert tab.editor.message.isVisible()
    assert "Mention can be worth 1 to 10 points; 11 is not allowed." in tab.editor.message.text()

    spin.setValue(10)  # a valid value clears it
    assert "not allowed" not in tab.editor.message.text()


def test_every_known_kind_can_be_tracked_or_not(unlocked, make_tab):
    from ahoy_desktop.scores import known_kinds

    tab = make_tab(unlocked)
    tab.edit_button.click()

    assert list(tab.editor._spins) == known_kinds()
    tab.editor._tracks["like"].setChecked(False)
    assert "like" not in tab.editor.setup().tracked


def test_overlapping_stages_disable_save_with_the_reason(unlocked, make_tab):
    tab = make_tab(unlocked)
    tab.scratch_button.click()
    editor = tab.editor
    editor.add_stage()
    editor.add_stage()
    first, second = editor._stage_rows
    assert (first.stage().min_points, first.stage().max_points) == (1, 1)
    assert (second.stage().min_points, second.stage().max_points) == (2, None)
    assert editor.save_button.isEnabled()

    first.max_points.setValue(5)

    assert not editor.save_button.isEnabled()
    assert editor.error_text() == "“Stage 1” and “Stage 2” overlap: a member can be in one stage only."

    first.max_points.setValue(1)
    assert editor.save_button.isEnabled()
    assert editor.error_text() == ""


def test_a_gap_between_stages_warns_but_can_be_saved(unlocked, make_tab):
    tab = make_tab(unlocked)
    tab.scratch_button.click()
    editor = tab.editor
    editor.add_stage()
    editor.add_stage()

    editor._stage_rows[1].min_points.setValue(4)

    assert editor.save_button.isEnabled()
    assert editor.message.isVisible()
    assert editor.message.text() == "Members with 2-3 points have no stage."


def test_stages_are_listed_in_range_order(unlocked, make_tab, qtbot):
    tab = make_tab(unlocked)
    tab.scratch_button.click()
    editor = tab.editor
    editor.add_stage()
    editor.add_stage()
    editor._stage_rows[0].name.setText("Low")
    editor._stage_rows[1].name.setText("High")
    editor._stage_rows[1].open_ended.setChecked(False)
    editor._stage_rows[1].min_points.setValue(0)
    editor._stage_rows[1].max_points.setValue(0)

    editor._stage_rows[1].min_points.editingFinished.emit()

    qtbot.waitUntil(lambda: [r.name.text() for r in editor._stage_rows] == ["High", "Low"], timeout=3000)


def test_editing_and_saving_announces_one_change(unlocked, make_tab, emitted, qtbot):
    from ahoy_desktop.scores import is_automatic, load_setup

    tab = make_tab(unlocked)
    tab.edit_button.click()
    editor = tab.editor
    editor._spins["mention"].setValue(9)
    editor._stage_rows[0].name.setText("Deckhand")
    assert editor.discard_button.isEnabled()

    saved(qtbot, tab, editor.save_button.click)

    setup = load_setup()
    assert setup.points["mention"] == 9
    assert setup.stages[0].name == "Deckhand"
    assert not is_automatic()
    assert scoring_changes(emitted) == 1
    assert not editor.discard_button.isEnabled()  # what is shown is what is saved


def test_discard_changes_returns_to_the_saved_setup(unlocked, make_tab, qtbot):
    from ahoy_desktop.scores import load_setup

    tab = make_tab(unlocked)
    saved(qtbot, tab, tab.accept_button.click)
    before = load_setup().points["mention"]
    tab.editor._spins["mention"].setValue(before % 10 + 1)

    tab.editor.discard_button.click()

    assert tab.editor._spins["mention"].value() == before
    assert not tab.editor.discard_button.isEnabled()


def test_discarding_an_edited_proposal_goes_back_to_it(unlocked, make_tab):
    tab = make_tab(unlocked)
    tab.edit_button.click()
    tab.editor._spins["mention"].setValue(7)

    tab.editor.discard_button.click()

    assert tab.mode() == "proposal"


def test_proposal_follows_new_activity(unlocked, make_tab):
    from collections import Counter

    from ahoy_desktop.changes import Changes
    from ahoy_desktop.db.models import Account, Activity, Member
    from ahoy_desktop.scores import automatic_setup, stage_counts

    tab = make_tab(unlocked)
    before = cells(tab.proposal_stages, (0, 1, 2))
    member = Member.select().order_by(Member.id).first()
    for n in range(40):
        Activity.create(account=Account.get(), member=member, kind="quote", post_id=f"new-q{n}",
                        occurred_at=unlocked.clock.now(), dedup_key=f"post:new-q{n}")
    unlocked.notify(Changes(activities_added=Counter(quote=40)))

    now = unlocked.clock.now()
    proposal = automatic_setup(now)
    expected = [(s.name, tab.range_text(s), QLocale().toString(c))
                for s, c in zip(proposal.stages, stage_counts(proposal, now), strict=True)]
    assert cells(tab.proposal_stages, (0, 1, 2)) == expected
    assert expected != before
