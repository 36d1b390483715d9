"""Damaged and too-new workspace files: set aside or refused, never lost, and the window offers a way on."""

from __future__ import annotations

import os
import sqlite3

import pytest

from ahoy_desktop import backups
from ahoy_desktop.db import LATEST_VERSION, WorkspaceCorrupt, WorkspaceTooNew, close_db, init_db
from ahoy_desktop.db.models import Member
from ahoy_desktop.workspace import open_workspace

GARBAGE = b"These are not the bytes of a workspace. " * 200


def make_workspace(path, names: list[str], clock) -> None:
    init_db(path)
    for name in names:
        Member.create(name=name, x_handle=name.lower().replace(" ", ""), first_seen_at=clock.now())
    close_db()


def truncate(path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.truncate(size // 2)


def set_aside_copies(path) -> list:
    return sorted(path.parent.glob(f"{path.name}.corrupt-*"))


def test_a_file_that_is_not_a_database_is_set_aside_untouched(tmp_path):
    path = tmp_path / "garbage.ahoy.sqlite"
    path.write_bytes(GARBAGE)
    with pytest.raises(WorkspaceCorrupt) as caught:
        open_workspace(path)
    assert not path.exists()
    [aside] = set_aside_copies(path)
    assert caught.value.set_aside == aside
    assert aside.read_bytes() == GARBAGE


def test_a_truncated_workspace_is_set_aside_with_its_log(tmp_path, clock):
    path = tmp_path / "cut.ahoy.sqlite"
    make_workspace(path, [f"Member {i} with a long enough name to fill pages" for i in range(3000)], clock)
    truncate(path)
    damaged = path.read_bytes()
    with pytest.raises(WorkspaceCorrupt):
        open_workspace(path)
    [aside] = set_aside_copies(path)
    assert aside.read_bytes() == damaged
    assert not path.exists()


def test_a_workspace_from_a_newer_version_is_refused_and_left_as_it_was(tmp_path, clock):
    path = tmp_path / "newer.ahoy.sqlite"
    make_workspace(path, ["Someone"], clock)
    con = sqlite3.connect(str(path))
    con.execute("UPDATE workspace_info SET value = ? WHERE key = 'schema_version'", (str(LATEST_VERSION + 3),))
    con.commit()
    con.close()
    os.chmod(path, 0o644)
    before = path.read_bytes()
    with pytest.raises(WorkspaceTooNew, match="newer version of Ahoy Desktop"):
        open_workspace(path)
    assert path.read_bytes() == before
    assert os.stat(path).st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newer.ahoy.sqlite"]


@pytest.fixture
def window(qtbot, clock, settings):
    from ui.context import AppContext
    from ui.main_window import MainWindow

    win = MainWindow(AppContext(clock, settings))
    qtbot.addWidget(win)
    yield win
    win.close()


def drive_dialog(monkeypatch, button: str) -> list[dict]:
    """Click one of the damaged-file dialog's buttons when it is shown; return what it showed."""
    from ui.open_failure_dialog import OpenFailureDialog

    shown = []

    def exec_(dialog):
        shown.append({"text": dialog.text(), "info": dialog.informativeText(),
                      "buttons": [b.text() for b in dialog.buttons()],
                      "has_restore": dialog.restore_button is not None})
        getattr(dialog, button).click()
        return 0

    monkeypatch.setattr(OpenFailureDialog, "exec", exec_)
    return shown


def test_the_window_offers_the_newest_backup_of_a_damaged_workspace_and_restores_it(
        window, tmp_path, clock, monkeypatch):
    path = tmp_path / "mine.ahoy.sqlite"
    make_workspace(path, ["Ada Lovelace", "Grace Hopper"], clock)
    older = backups.back_up_now(path, now=clock.now().replace(year=2025))
    newest = backups.back_up_now(path, now=clock.now())
    assert older != newest
    path.write_bytes(GARBAGE)
    shown = drive_dialog(monkeypatch, "restore_button")

    assert window.open_path(path)

    [dialog] = shown
    when = backups.newest_backup(path).made_at.astimezone().strftime("%Y-%m-%d %H:%M")
    assert "mine.ahoy.sqlite is damaged" in dialog["text"]
    assert "moved aside, not deleted" in dialog["info"] and when in dialog["info"]
    assert f"Restore the backup of {when}" in dialog["buttons"]
    assert "Start a fresh workspace" in dialog["buttons"] and "Quit" in dialog["buttons"]
    assert window.context.session.path == path
    assert sorted(m.name for m in Member.select()) == ["Ada Lovelace", "Grace Hopper"]
    [aside] = set_aside_copies(path)
    assert aside.read_bytes() == GARBAGE


def test_without_a_backup_the_window_offers_a_fresh_workspace(window, tmp_path, clock, monkeypatch):
    path = tmp_path / "mine.ahoy.sqlite"
    make_workspace(path, ["Ada Lovelace"] * 2000, clock)
    truncate(path)
    shown = drive_dialog(monkeypatch, "fresh_button")

    assert window.open_path(path)

    assert shown[0]["has_restore"] is False and "no backup" in shown[0]["info"]
    assert window.context.session.path == path
    assert Member.select().count() == 0
    assert len(set_aside_copies(path)) == 1


def test_quitting_from_the_damaged_workspace_dialog_closes_the_window(window, qtbot, tmp_path, monkeypatch):
    path = tmp_path / "mine.ahoy.sqlite"
    path.write_bytes(GARBAGE)
    drive_dialog(monkeypatch, "quit_button")
    window.show()

    assert not window.open_path(path)

    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)
    assert window.context.session is None
    assert len(set_aside_copies(path)) == 1


def test_the_window_refuses_a_newer_workspace_with_a_clear_message(window, tmp_path, clock, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    path = tmp_path / "newer.ahoy.sqlite"
    make_workspace(path, ["Someone"], clock)
    con = sqlite3.connect(str(path))
    con.execute("UPDATE workspace_info SET value = '999' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    before = path.read_bytes()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: shown.append((title, text)))

    assert not window.open_path(path)

    assert shown == [("Workspace not opened", f"This workspace was made by a newer version of Ahoy Desktop "
                                              f"(schema 999; this version knows up to {LATEST_VERSION}).")]
    assert path.read_bytes() == before
