"""The X sign-in as the user sees it: the connect dialog on the qasync loop, the account card."""

from __future__ import annotations

import asyncio

import keyring
import pytest
import qasync
from keyring.backends import fail

from ahoy_desktop.auth.credentials import mark_reconnect_needed
from ahoy_desktop.auth.oauth import OAuthEndpoints
from ahoy_desktop.auth.tokens import KeyringTokenStore
from ahoy_desktop.settings import X_CALLBACK_PORT, X_CLIENT_ID, X_CONFIRM_IMPORT_ABOVE
from ahoy_desktop.workspace import connect_x_account
from ui.connect_x_dialog import PAGE_DONE, ConnectXDialog, SignInTarget
from ui.integrations_tab import IntegrationsTab

from .oauth_support import CLIENT_ID, Browser, free_port, memory_keyring_fixture, sandbox_sign_in  # noqa: F401


@pytest.fixture
def qasync_loop(qapp):
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


def test_connecting_shows_who_and_the_first_import_estimate(app_context, qtbot, qasync_loop, sandbox, real_world,
                                                            memory_keyring):
    server = sandbox(real_world)
    settings = app_context.settings
    settings.set(X_CLIENT_ID, CLIENT_ID)
    settings.set(X_CALLBACK_PORT, free_port())
    settings.set(X_CONFIRM_IMPORT_ABOVE, 0.0)  # every import asks first
    browser = Browser()
    dialog = ConnectXDialog(app_context, target=SignInTarget(OAuthEndpoints.at(server.base_url), server.base_url,
                                                             "test-world"), open_url=browser.open)
    qtbot.addWidget(dialog)
    assert dialog.connect_button.isEnabled()
    assert "tweet.read" in dialog.intro_label.text() and "offline.access" in dialog.intro_label.text()
    assert f"http://127.0.0.1:{settings.get(X_CALLBACK_PORT)}/callback" in dialog.intro_label.text()
    emitted = []
    dialog.connected.connect(lambda account_id, start: emitted.append((account_id, start)))
    try:
        account_id = qasync_loop.run_until_complete(dialog.connect_async())
    finally:
        browser.close()
    assert account_id is not None, dialog.error
    assert dialog.pages.currentIndex() == PAGE_DONE
    assert f"@{real_world['me']['username']}" in dialog.done_label.text()
    assert "$" in dialog.estimate_label.text()
    assert "$0.001 a post" in dialog.estimate_label.text()  # owned reads: the user's own developer app
    assert "priced as owned reads" in dialog.estimate_label.text()
    assert "priced as likes" in dialog.estimate_label.text()  # where X's pages disagree, which price it used
    assert not dialog.later_button.isHidden()  # above the threshold: the user decides
    dialog.import_button.click()
    assert emitted == [(account_id, True)]
    assert len(memory_keyring.entries) == 1


def test_the_dialog_says_what_is_missing(app_context, qtbot):
    dialog = ConnectXDialog(app_context)
    qtbot.addWidget(dialog)
    assert not dialog.connect_button.isEnabled()
    assert "Client ID" in dialog.problem_label.text()

    app_context.settings.set(X_CLIENT_ID, CLIENT_ID)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        dialog.refresh_intro()
        assert not dialog.connect_button.isEnabled()
        assert "No system keychain" in dialog.problem_label.text()
        assert "gnome-keyring" in dialog.problem_label.text()
        assert "Settings" in dialog.problem_label.text()  # where the plain-text choice is: not in this dialog
    finally:
        keyring.set_keyring(previous)


def test_the_card_says_reconnect_needed(app_context, qtbot, sandbox, real_world, memory_keyring):
    server = sandbox(real_world)
    signed = sandbox_sign_in(server, app_context.clock)
    account, _ = connect_x_account(signed, KeyringTokenStore(), app_context.clock, sandbox_world="test-world",
                                   endpoints=OAuthEndpoints.at(server.base_url))
    mark_reconnect_needed(account.id, "X refused to renew the sign-in (invalid_grant); reconnect the account.")
    tab = IntegrationsTab(app_context)
    qtbot.addWidget(tab)
    card = tab.cards[account.id]
    assert card.status_label.text().startswith("Reconnect needed")
    assert not card.sign_in_button.isHidden()
    assert card.sync_button.isHidden()


def test_choosing_the_file_store_in_settings_moves_the_sign_ins_there(app_context, qtbot, sandbox, real_world,
                                                                     memory_keyring, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from ahoy_desktop.auth.tokens import FILE, FileTokenStore, token_file_path
    from ahoy_desktop.settings import X_TOKEN_STORE
    from ui.x_settings_page import XSettingsPage

    server = sandbox(real_world)
    signed = sandbox_sign_in(server, app_context.clock)
    connect_x_account(signed, KeyringTokenStore(), app_context.clock, sandbox_world="test-world",
                      endpoints=OAuthEndpoints.at(server.base_url))
    assert len(memory_keyring.entries) == 1
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    page = XSettingsPage(app_context)
    qtbot.addWidget(page)
    page.load()
    page.store_combo.setCurrentIndex(page.store_combo.findData(FILE))  # the user confirms the warning
    page.apply()
    assert app_context.settings.get(X_TOKEN_STORE) == FILE
    assert memory_keyring.entries == {}
    (key,) = FileTokenStore(token_file_path())._read()
    assert FileTokenStore(token_file_path()).load(key).refresh_token == signed.tokens.refresh_token
