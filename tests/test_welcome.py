"""The first-start welcome: shown once, each choice opens the right first workspace."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from ahoy_desktop.paths import data_dir, default_workspace_path
from ahoy_desktop.settings import LAST_WORKSPACE, WELCOME_SHOWN, Settings
from ui.welcome_dialog import WelcomeDialog, needs_welcome, start_with_welcome

from .test_main_window import SYNC_TIMEOUT_MS


@pytest.fixture
def first_start(qtbot, clock, settings):
    """The window as the app shows it on a first start: no workspace yet, the welcome over it."""
    from ui.context import AppContext
    from ui.main_window import MainWindow

    window = MainWindow(AppContext(clock, settings))
    qtbot.addWidget(window)
    window.show()
    welcome = start_with_welcome(window)
    yield window, welcome
    window.close()


def test_it_is_needed_only_until_a_workspace_was_opened_or_it_was_shown(settings):
    assert needs_welcome(settings)
    settings.set(LAST_WORKSPACE, "/somewhere/workspace.ahoy.sqlite")
    assert not needs_welcome(settings)
    settings.reset(LAST_WORKSPACE)
    settings.set(WELCOME_SHOWN, True)
    assert not needs_welcome(settings)


def test_it_says_where_data_is_kept(first_start):
    _window, welcome = first_start
    assert welcome.isVisible()
    assert str(data_dir()) in welcome.privacy.text()
    assert "Nothing leaves it except the requests Ahoy makes to X" in welcome.privacy.text()


def test_sample_data_opens_the_sample_and_the_welcome_never_returns(qtbot, first_start, isolated_user_files):
    window, welcome = first_start
    assert window.context.session is None
    with qtbot.waitSignal(window.context.sync.finished, timeout=SYNC_TIMEOUT_MS):
        qtbot.mouseClick(welcome.sample_button, Qt.MouseButton.LeftButton)
    assert not [d for d in window.findChildren(WelcomeDialog) if d.isVisible()]
    assert window.context.session.is_sample
    assert window.windowTitle().startswith("Sample workspace")
    window.context.settings.sync()
    # The next start reads the same settings file afresh: no welcome.
    again = Settings(QSettings(str(isolated_user_files / "settings.ini"), QSettings.Format.IniFormat))
    assert not needs_welcome(again)


def test_an_empty_workspace_opens_the_default_file(qtbot, first_start, settings):
    window, welcome = first_start
    qtbot.mouseClick(welcome.empty_button, Qt.MouseButton.LeftButton)
    assert window.context.session.path == default_workspace_path()
    assert not window.context.session.is_sample
    assert settings.get(WELCOME_SHOWN)
    assert not needs_welcome(settings)


def test_closing_the_welcome_starts_empty_too(qtbot, first_start):
    window, welcome = first_start
    welcome.reject()
    assert window.context.session.path == default_workspace_path()


def test_connect_an_x_account_opens_the_connect_flow(qtbot, first_start):
    from ui.connect_x_dialog import ConnectXDialog

    window, welcome = first_start
    qtbot.mouseClick(welcome.connect_button, Qt.MouseButton.LeftButton)
    assert window.context.session.path == default_workspace_path()
    assert window.tabs.currentWidget() is window.integrations
    connect = window.integrations.findChild(ConnectXDialog)
    assert connect is not None and connect.isVisible()
    connect.reject()


def test_the_choices_are_all_there(qtbot, tmp_path):
    welcome = WelcomeDialog(tmp_path)
    qtbot.addWidget(welcome)
    texts = [b.text() for b in (welcome.sample_button, welcome.connect_button, welcome.empty_button)]
    assert texts == ["Try with sample data", "Connect an X account", "Start with an empty workspace"]
    assert welcome.sample_button.isDefault()


def test_each_choice_says_what_it_does_and_a_click_on_the_words_chooses_it(qtbot, first_start):
    window, welcome = first_start
    assert [label.text()[:28] for label in welcome.descriptions] == [
        "A made-up community of 2,000", "Sign in through your own X d", "Look around first; you can c"]
    assert welcome.empty_button.accessibleDescription() == welcome.descriptions[2].text()
    qtbot.mouseClick(welcome.descriptions[2], Qt.MouseButton.LeftButton)
    assert window.context.session.path == default_workspace_path()
    assert not window.context.session.is_sample
