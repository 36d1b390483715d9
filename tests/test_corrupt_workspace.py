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
                                              f"(schema 999; this version knows up to {LATEST_VERSION}). "
                                              "Update Ahoy Desktop to open it; the file was left as it was.")]
    assert path.read_bytes() == before


# -- damage in the middle of a file ----------------------------------------------------------


@pytest.fixture(scope="module")
def long_names_workspace(tmp_path_factory):
    """A closed workspace of 3,000 members with long names: a few megabytes of member pages."""
    from datetime import UTC, datetime

    path = tmp_path_factory.mktemp("flips") / "source.ahoy.sqlite"
    init_db(path)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    Member.insert_many([{"name": f"Person {i} " + "x" * 200, "x_handle": f"h{i}", "first_seen_at": now}
                        for i in range(3000)]).execute()
    close_db()
    return path


def flip_random_bytes(path, count: int, seed: int) -> None:
    import random

    rng = random.Random(seed)
    size = path.stat().st_size
    with open(path, "r+b") as f:
        for _ in range(count):
            offset = rng.randrange(4096, size)
            f.seek(offset)
            byte = f.read(1)[0]
            f.seek(offset)
            f.write(bytes([byte ^ 0xFF]))


def flip_run(path, offset: int, length: int = 64) -> None:
    with open(path, "r+b") as f:
        f.seek(offset)
        data = f.read(length)
        f.seek(offset)
        f.write(bytes(b ^ 0xFF for b in data))


def read_everything(path) -> str | None:
    """What a user's browsing would hit: every row of every table, and a search; the error, or None."""
    con = sqlite3.connect(str(path))
    try:
        tables = [name for (name,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")]
        for table in tables:
            con.execute(f'SELECT * FROM "{table}"').fetchall()
        con.execute("SELECT rowid FROM member_fts WHERE member_fts MATCH 'Person'").fetchall()
        con.execute('SELECT * FROM "member" ORDER BY "name"').fetchall()
        return None
    except (sqlite3.Error, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        con.close()


FLIPS = ([(f"20 random bytes, seed {seed}", lambda p, seed=seed: flip_random_bytes(p, 20, seed))
          for seed in range(10)]
         + [(f"64 bytes at the middle {k:+d} pages", lambda p, k=k: flip_run(p, p.stat().st_size // 2 + k * 4096 + 200))
            for k in range(-40, 40, 7)])


@pytest.mark.parametrize("full", [False, True], ids=["big file closed cleanly", "small file or after a crash"])
def test_bytes_flipped_mid_file_are_found_at_open_whenever_browsing_would_fail(long_names_workspace, tmp_path, full):
    from ahoy_desktop.db.file_check import inspect_workspace_file

    found = 0
    for name, flip in FLIPS:
        path = tmp_path / "w.ahoy.sqlite"
        path.write_bytes(long_names_workspace.read_bytes())
        flip(path)
        _version, problem = inspect_workspace_file(path, full=full)
        if problem is None:
            assert read_everything(path) is None, f"{name}: passed the check, then reading failed"
        found += problem is not None
        path.unlink()
    assert found >= len(FLIPS) - 3  # a flip can land in free space or a text it leaves valid


def test_a_text_that_is_not_utf8_is_found_by_both_checks(tmp_path, clock):
    from ahoy_desktop.db.file_check import inspect_workspace_file

    path = tmp_path / "w.ahoy.sqlite"
    make_workspace(path, ["Ada Lovelace", "Grace Hopper"], clock)
    con = sqlite3.connect(str(path))
    con.execute("UPDATE member SET bio = CAST(X'4164612066FF72' AS TEXT) WHERE name = 'Grace Hopper'")
    con.commit()
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    con.close()

    for full in (False, True):
        _version, problem = inspect_workspace_file(path, full=full)
        assert problem == "row 2 of member holds text that is not UTF-8"
    with pytest.raises(WorkspaceCorrupt):
        open_workspace(path)
    assert len(set_aside_copies(path)) == 1


def test_the_full_check_runs_on_a_small_file_and_on_a_big_one_left_by_a_crash(tmp_path, clock, monkeypatch):
    import shutil

    from ahoy_desktop.db import file_check

    path = tmp_path / "w.ahoy.sqlite"
    make_workspace(path, ["Ada Lovelace"], clock)
    assert file_check.needs_full_check(path)  # a few pages: the full check costs nothing
    monkeypatch.setattr(file_check, "FULL_CHECK_BYTES", 1024)
    assert not file_check.needs_full_check(path)  # "big", closed cleanly: its log was removed

    db = init_db(path)  # open and writing: a copy of the file and its log now is what a crash leaves
    Member.create(name="Grace Hopper", x_handle="grace", first_seen_at=clock.now())
    crashed = tmp_path / "crashed.ahoy.sqlite"
    shutil.copyfile(path, crashed)
    shutil.copyfile(f"{path}-wal", f"{crashed}-wal")
    db.close()
    assert file_check.needs_full_check(crashed)
    assert init_db(crashed) and sorted(m.name for m in Member.select()) == ["Ada Lovelace", "Grace Hopper"]
    close_db()


def test_a_damaged_search_index_is_found_though_sqlite_checks_pass(tmp_path, clock):
    from ahoy_desktop.db.file_check import inspect_workspace_file

    path = tmp_path / "w.ahoy.sqlite"
    make_workspace(path, [f"Person {i} " + "x" * 200 for i in range(500)], clock)
    con = sqlite3.connect(str(path))
    [(block,)] = con.execute("SELECT block FROM member_fts_data WHERE length(block) > 500 LIMIT 1").fetchall()
    damaged = block[:100] + bytes(b ^ 0xFF for b in block[100:164]) + block[164:]
    con.execute("UPDATE member_fts_data SET block = ? WHERE block = ?", (damaged, block))
    con.commit()
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    con.close()

    _version, problem = inspect_workspace_file(path, full=False)
    assert problem is not None and problem.startswith("the search index member_fts")


# -- another program's database ------------------------------------------------------------------


def foreign_database(path, *, wal: bool = False) -> bytes:
    con = sqlite3.connect(str(path))
    if wal:
        con.execute("PRAGMA journal_mode = wal")
    con.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
    con.execute("INSERT INTO recipes (title) VALUES ('Pancakes')")
    con.commit()
    con.close()
    os.chmod(path, 0o644)
    return path.read_bytes()


@pytest.mark.parametrize("wal", [False, True], ids=["rollback journal", "write-ahead log"])
def test_another_programs_database_is_refused_and_left_byte_for_byte(tmp_path, wal):
    from ahoy_desktop.db import NotAWorkspace

    path = tmp_path / "recipes.sqlite"
    before = foreign_database(path, wal=wal)

    with pytest.raises(NotAWorkspace, match="not an Ahoy Desktop workspace"):
        open_workspace(path)

    assert path.read_bytes() == before
    assert os.stat(path).st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recipes.sqlite"]


def test_an_empty_sqlite_file_becomes_a_workspace(tmp_path):
    path = tmp_path / "new.sqlite"
    con = sqlite3.connect(str(path))
    con.execute("PRAGMA user_version = 0")
    con.execute("VACUUM")  # writes the header page: an SQLite file with no tables
    con.close()
    assert path.stat().st_size > 0

    open_workspace(path)
    assert Member.select().count() == 0
    close_db()


def test_the_window_refuses_another_programs_database_with_a_clear_message(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    path = tmp_path / "recipes.sqlite"
    before = foreign_database(path)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: shown.append((title, text)))

    assert not window.open_path(path)

    assert shown == [("Workspace not opened", "recipes.sqlite is a database of another program, not an Ahoy "
                                              "Desktop workspace. It was left exactly as it was. Open a workspace "
                                              "file, or choose File ▸ New workspace to start one.")]
    assert path.read_bytes() == before
    assert window.context.session is None


# -- a damaged backup is no dead end ---------------------------------------------------------------


def drive_dialogs(monkeypatch, buttons: list[str]) -> list[dict]:
    """Click these buttons of the damaged-file dialogs shown, one per dialog; return what each showed."""
    from ui.open_failure_dialog import OpenFailureDialog

    shown, queue = [], list(buttons)

    def exec_(dialog):
        shown.append({"text": dialog.text(), "info": dialog.informativeText(),
                      "buttons": [b.text() for b in dialog.buttons()]})
        getattr(dialog, queue.pop(0)).click()
        return 0

    monkeypatch.setattr(OpenFailureDialog, "exec", exec_)
    return shown


def backed_up_twice(path, clock) -> tuple:
    """A workspace with an older good backup (two members) and a newest one (three), then damaged."""
    make_workspace(path, ["Ada Lovelace", "Grace Hopper"], clock)
    older = backups.back_up_now(path, now=clock.now().replace(year=2025))
    init_db(path)
    Member.create(name="Katherine Johnson", x_handle="kj", first_seen_at=clock.now())
    close_db()
    newest = backups.back_up_now(path, now=clock.now())
    path.write_bytes(GARBAGE)
    return older, newest


def when(backup_path) -> str:
    [backup] = [b for b in backups.list_backups(backup_path.parent.parent / backup_path.name.split(".")[0])
                if b.path == backup_path] or [None]
    return backup.made_at.astimezone().strftime("%Y-%m-%d %H:%M")


def test_a_damaged_newest_backup_leads_to_the_next_older_one(window, tmp_path, clock, monkeypatch):
    path = tmp_path / "mine.ahoy.sqlite"
    older, newest = backed_up_twice(path, clock)
    truncate(newest)
    damaged_backup = newest.read_bytes()
    [new_when, old_when] = [b.made_at.astimezone().strftime("%Y-%m-%d %H:%M") for b in backups.list_backups(path)]
    shown = drive_dialogs(monkeypatch, ["restore_button", "restore_button"])

    assert window.open_path(path)

    first, second = shown
    assert f"Restore the backup of {new_when}" in first["buttons"]
    assert f"The backup of {new_when} is damaged too" in second["info"]
    assert f"The next older backup was made on {old_when}" in second["info"]
    assert f"Restore the backup of {old_when}" in second["buttons"] and "Start a fresh workspace" in second["buttons"]
    assert window.context.session.path == path
    assert sorted(m.name for m in Member.select()) == ["Ada Lovelace", "Grace Hopper"]
    assert newest.read_bytes() == damaged_backup  # left as it was


def test_with_every_backup_damaged_a_fresh_workspace_or_quitting_remain(window, tmp_path, clock, monkeypatch):
    path = tmp_path / "mine.ahoy.sqlite"
    older, newest = backed_up_twice(path, clock)
    truncate(newest)
    older.write_bytes(GARBAGE)
    shown = drive_dialogs(monkeypatch, ["restore_button", "restore_button", "fresh_button"])

    assert window.open_path(path)

    assert len(shown) == 3
    assert "There is no older backup of this workspace." in shown[2]["info"]
    assert [b for b in shown[2]["buttons"] if b.startswith("Restore")] == []
    assert {"Start a fresh workspace", "Quit"} <= set(shown[2]["buttons"])
    assert window.context.session.path == path and Member.select().count() == 0
    assert len(set_aside_copies(path)) == 1


# -- damage found while the workspace is in use ------------------------------------------------------


def spoil_a_name(path) -> None:
    """What a flipped byte in a member's page does: a text that no longer decodes (integrity checks pass)."""
    con = sqlite3.connect(str(path))
    con.execute("UPDATE member SET name = CAST(X'477261636520FF' AS TEXT) WHERE name = 'Grace Hopper'")
    con.commit()
    con.close()


@pytest.fixture
def crash_dialogs(monkeypatch):
    from ui.crash_dialog import CrashDialog

    shown = []
    monkeypatch.setattr(CrashDialog, "exec", lambda dialog: shown.append(dialog.details) or 0)
    return shown


def test_damage_met_while_browsing_offers_the_backup_not_a_crash(window, qtbot, qtlog, tmp_path, clock,
                                                                 monkeypatch, crash_dialogs):
    path = tmp_path / "mine.ahoy.sqlite"
    make_workspace(path, ["Ada Lovelace", "Grace Hopper"], clock)
    backups.back_up_now(path, now=clock.now())
    assert window.open_path(path)
    window.context.sync.stop_schedule()
    model = window.members.model
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    window.daily_backup.wait()  # today's copy is made from the file still whole
    spoil_a_name(path)
    shown = drive_dialogs(monkeypatch, ["restore_button"])

    model.set_search("Hopper")  # read on the model's reader thread, which meets the damaged text

    qtbot.waitUntil(lambda: len(shown) == 1, timeout=10_000)
    assert "Part of the workspace mine.ahoy.sqlite can no longer be read" in shown[0]["text"]
    assert "moved aside, not deleted" in shown[0]["info"]
    qtbot.waitUntil(lambda: window.context.session is not None and not window.members.model.busy)
    assert sorted(m.name for m in Member.select()) == ["Ada Lovelace", "Grace Hopper"]
    [aside] = set_aside_copies(path)
    assert crash_dialogs == []
    assert not [r for r in qtlog.records if "ResetModel" in r.message]


def test_a_damaged_read_on_the_ui_thread_leaves_the_table_whole_and_offers_recovery(
        window, qtbot, qtlog, tmp_path, clock, monkeypatch, crash_dialogs):
    from ui.faults import fault_reporter

    path = tmp_path / "mine.ahoy.sqlite"
    make_workspace(path, ["Ada Lovelace", "Grace Hopper"], clock)
    assert window.open_path(path)
    window.context.sync.stop_schedule()
    model = window.members.model
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    window.daily_backup.wait()
    spoil_a_name(path)
    shown = drive_dialogs(monkeypatch, ["fresh_button"])

    with pytest.raises(sqlite3.OperationalError, match="Could not decode to UTF-8") as caught:
        model.reload()  # what a slot does when the workspace opens or fields change
    assert model.rowCount() == 2 and model.index(0, 0).data() is not None  # the rows shown stay whole
    fault_reporter().handle(caught.type, caught.value, caught.tb)  # where the hook sends it

    qtbot.waitUntil(lambda: len(shown) == 1, timeout=10_000)
    assert "can no longer be read" in shown[0]["text"] and "The newest backup of it was made" in shown[0]["info"]
    assert window.context.session is not None and Member.select().count() == 0
    assert len(set_aside_copies(path)) == 1
    assert crash_dialogs == []
    assert not [r for r in qtlog.records if "ResetModel" in r.message]
