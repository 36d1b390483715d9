"""The Settings dialog, the menus and the About box, as a person uses them."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import QDialogButtonBox

from ahoy_desktop.settings import (
    OWN_POSTS_DAYS,
    RATE_WAIT_LIMIT_MINUTES,
    SYNC_INTERVAL_HOURS,
    THEME,
    X_CALLBACK_PORT,
    X_CLIENT_ID,
)
from ui import settings_dialog
from ui.settings_dialog import PAGE_X, SettingsDialog
from ui.theme import DARK, LIGHT, SYSTEM, apply_theme, is_dark


@pytest.fixture
def warnings(monkeypatch):
    """The dialog's warnings, recorded instead of waiting for a click."""
    shown = []
    monkeypatch.setattr(settings_dialog.QMessageBox, "warning",
                        lambda _parent, title, text, *args: shown.append((title, text)))
    return shown


@pytest.fixture
def dialog(qtbot, qapp, app_context):
    dlg = SettingsDialog(app_context)
    qtbot.addWidget(dlg)
    dlg.show()
    yield dlg
    dlg.wait_for_backup()
    apply_theme(SYSTEM, qapp)


def button(dlg: SettingsDialog, which) -> object:
    return dlg.findChild(QDialogButtonBox).button(which)


def type_into(qtbot, box, text: str) -> None:
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)


def test_it_shows_the_stored_values(app_context, dialog):
    assert dialog.interval_box.value() == SYNC_INTERVAL_HOURS.default
    assert dialog.wait_limit_box.value() == RATE_WAIT_LIMIT_MINUTES.default
    assert dialog.own_posts_box.value() == OWN_POSTS_DAYS.default
    assert dialog.theme_combo.currentData() == SYSTEM
    assert dialog.interval_box.minimum() == SYNC_INTERVAL_HOURS.minimum
    assert dialog.interval_box.maximum() == SYNC_INTERVAL_HOURS.maximum
    assert str(app_context.session.path) in dialog.workspace_label.text()


def test_each_setting_round_trips_through_ok(qtbot, qapp, app_context, settings, dialog):
    type_into(qtbot, dialog.interval_box, "6.5")
    type_into(qtbot, dialog.wait_limit_box, "30")
    type_into(qtbot, dialog.own_posts_box, "120")
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData(DARK))
    dialog.x_page.client_id_edit.setText("  my-client-id  ")
    dialog.x_page.port_box.setValue(9123)
    qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    assert settings.get(SYNC_INTERVAL_HOURS) == 6.5
    assert settings.get(RATE_WAIT_LIMIT_MINUTES) == 30.0
    assert settings.get(OWN_POSTS_DAYS) == 120
    assert settings.get(THEME) == DARK
    assert settings.get(X_CLIENT_ID) == "my-client-id"
    assert settings.get(X_CALLBACK_PORT) == 9123
    assert is_dark(qapp.palette())

    again = SettingsDialog(app_context)
    qtbot.addWidget(again)
    assert again.interval_box.value() == 6.5
    assert again.wait_limit_box.value() == 30.0
    assert again.own_posts_box.value() == 120
    assert again.theme_combo.currentData() == DARK
    assert again.x_page.client_id_edit.text() == "my-client-id"


def test_apply_changes_the_theme_live_and_keeps_the_dialog_open(qtbot, qapp, settings, dialog):
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData(DARK))
    qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Apply), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert is_dark(qapp.palette())
    qtbot.waitUntil(lambda: dialog.palette().color(QPalette.ColorRole.Window).lightness() < 80)
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData(LIGHT))
    qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Apply), Qt.MouseButton.LeftButton)
    assert not is_dark(qapp.palette())
    assert settings.get(THEME) == LIGHT


def test_cancel_keeps_what_was_stored(qtbot, qapp, settings, dialog):
    type_into(qtbot, dialog.interval_box, "12")
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData(DARK))
    qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert settings.get(SYNC_INTERVAL_HOURS) == SYNC_INTERVAL_HOURS.default
    assert settings.get(THEME) == SYSTEM
    assert not is_dark(qapp.palette())


def test_an_out_of_range_value_is_refused_with_a_message_and_nothing_changes(qtbot, settings, dialog, warnings):
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData(DARK))
    type_into(qtbot, dialog.interval_box, "0.1")  # below the registry's 0.25 hours
    assert dialog.interval_box.lineEdit().text().startswith("0.1")
    qtbot.keyClick(dialog.interval_box, Qt.Key.Key_Return)  # OK is the default button

    assert dialog.isVisible()
    assert len(warnings) == 1
    assert "Refresh every" in warnings[0][1] and "0.25" in warnings[0][1] and "48" in warnings[0][1]
    assert settings.get(SYNC_INTERVAL_HOURS) == SYNC_INTERVAL_HOURS.default
    assert settings.get(THEME) == SYSTEM
    assert dialog.interval_box.value() == SYNC_INTERVAL_HOURS.default  # the box went back to the stored value

    qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()  # said once, the value shown is the one saved
    assert settings.get(SYNC_INTERVAL_HOURS) == SYNC_INTERVAL_HOURS.default
    assert settings.get(THEME) == DARK


def test_an_entry_left_by_clicking_ok_is_refused_too(qtbot, settings, dialog, warnings):
    type_into(qtbot, dialog.own_posts_box, "0")  # below one day
    qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert len(warnings) == 1 and "Follow likes and retweets" in warnings[0][1]
    assert settings.get(OWN_POSTS_DAYS) == OWN_POSTS_DAYS.default


def test_back_up_now_writes_a_copy_of_the_open_workspace(qtbot, app_context, dialog):
    qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Backed up to" in dialog.backup_status.text(), timeout=30_000)
    target = dialog.backup_status.text().split("Backed up to ", 1)[1]
    con = sqlite3.connect(target)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'member'").fetchone()[0] == 1
    finally:
        con.close()
    assert dialog.back_up_button.isEnabled()


def test_a_failed_backup_says_why(qtbot, app_context, dialog, warnings):
    (app_context.session.path.parent / "backups").write_text("a file where the backups folder belongs")
    qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(warnings), timeout=30_000)
    title, text = warnings[0]
    assert title == "Backup failed"
    assert "could not be backed up" in text and "backups" in text
    assert dialog.backup_status.text() == "The backup failed."


def test_without_a_workspace_backup_and_custom_fields_are_off(qtbot, qapp, clock, settings):
    from ui.context import AppContext

    dlg = SettingsDialog(AppContext(clock, settings))
    qtbot.addWidget(dlg)
    assert not dlg.back_up_button.isEnabled()
    assert not dlg.custom_fields_button.isEnabled()
    assert "No workspace" in dlg.workspace_label.text()


def test_custom_fields_open_from_the_settings(qtbot, dialog):
    from ui.custom_fields_dialog import CustomFieldsDialog

    qtbot.mouseClick(dialog.custom_fields_button, Qt.MouseButton.LeftButton)
    opened = dialog.findChild(CustomFieldsDialog)
    assert opened is not None and opened.isVisible()
    opened.reject()


def test_it_can_open_on_the_x_account_page(qtbot, app_context):
    dlg = SettingsDialog(app_context, page=PAGE_X)
    qtbot.addWidget(dlg)
    assert dlg.pages.currentWidget().widget() is dlg.x_page


# -- the main window's menus and About box ---------------------------------------------


@pytest.fixture
def window(qtbot, clock, settings, tmp_path):
    from ui.context import AppContext
    from ui.main_window import MainWindow

    win = MainWindow(AppContext(clock, settings))
    qtbot.addWidget(win)
    win.open_path(tmp_path / "own.ahoy.sqlite")
    yield win
    win.close()


def menu_entries(window) -> dict[str, dict[str, list[QKeySequence]]]:
    menus = {}
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        menus[menu.title().replace("&", "")] = {
            a.text().replace("&", ""): a.shortcuts() for a in menu.actions() if not a.isSeparator()}
    return menus


def test_menus_have_the_usual_entries_and_shortcuts(window):
    menus = menu_entries(window)
    assert {"File", "View", "Help"} <= set(menus)
    file_menu = menus["File"]
    assert QKeySequence(QKeySequence.StandardKey.New) in file_menu["New workspace…"]
    assert QKeySequence(QKeySequence.StandardKey.Open) in file_menu["Open workspace…"]
    assert file_menu["Settings…"][0].toString() == "Ctrl+,"
    assert file_menu["Quit"][0].toString() == "Ctrl+Q"  # the key the menu shows, on every platform
    assert QKeySequence("F5") in file_menu["Sync all accounts now"]
    view_menu = menus["View"]
    assert [view_menu[name][0].toString() for name in ("Integrations", "Members", "Data Mapping", "Scoring",
                                                       "Dashboard")] == [f"Ctrl+{n}" for n in range(1, 6)]
    assert QKeySequence("Ctrl+Shift+F") in view_menu["Fast-forward the sample a day"]
    assert {"About Ahoy Desktop", "About Qt"} <= set(menus["Help"])
    every = [key.toString() for entries in menus.values() for keys in entries.values() for key in keys]
    assert len(every) == len(set(every)), "a shortcut is used twice"


def test_the_settings_action_opens_the_dialog(qtbot, window):
    window.settings_action.trigger()
    dlg = window.findChild(SettingsDialog)
    assert dlg is not None and dlg.isVisible()
    dlg.reject()


def test_the_about_box_lists_the_versions_and_copies_them(qtbot, window):
    import importlib.metadata
    import platform

    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    from ahoy_desktop import __version__
    from ahoy_desktop.paths import data_dir

    about = window.show_about()
    text = about.versions.toPlainText()
    lines = dict(line.split(": ", 1) for line in text.splitlines())
    assert lines["Ahoy Desktop"] == __version__
    assert lines["Python"] == platform.python_version()
    assert lines["Qt"] == qVersion()
    assert lines["PySide6"] == pyside_version
    for name in ("pyqtgraph", "tweepy", "peewee", "keyring"):
        assert lines[name] == importlib.metadata.version(name)
    assert lines["SQLite"] == sqlite3.sqlite_version
    assert lines["Data folder"] == str(data_dir())
    qtbot.mouseClick(about.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == text
    about.reject()
