"""Backups: taken beside a running sync, seven daily ones kept, cleaned by a "forget", restorable."""

from __future__ import annotations

import sqlite3
import threading
from datetime import timedelta

from ahoy_desktop import backups, forget, merge, notes_tags
from ahoy_desktop.db import close_db, init_db
from ahoy_desktop.db.file_check import stamp
from ahoy_desktop.db.migrations import LATEST_VERSION, MIGRATIONS
from ahoy_desktop.db.models import Identity, Member, WorkspaceInfo, database_proxy
from ahoy_desktop.db.sqlite import open_sqlite
from ahoy_desktop.members import set_field_by_hand
from ahoy_desktop.workspace import sync_account

from .conftest import T0

NOTE = "Allergic to walnuts, lives at 12 Quokka Lane 4e1b"
COMPANY = "Quokka Lane Biscuits 77d2"


def integrity(path) -> str:
    con = sqlite3.connect(str(path))
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def count(path, sql: str, params=()) -> int:
    con = sqlite3.connect(str(path))
    try:
        return con.execute(sql, params).fetchone()[0]
    finally:
        con.close()


def test_a_backup_taken_while_a_sync_writes_is_whole_and_the_sync_carries_on(
        db_path, clock, sandbox, connect, real_world):
    account, host = connect(sandbox(real_world))
    writing = threading.Event()
    result = {}

    def run_sync():
        with database_proxy.connection_context():
            result["report"] = sync_account(account, host, clock, progress=lambda _p: writing.set())

    thread = threading.Thread(target=run_sync)
    thread.start()
    made = []
    try:
        assert writing.wait(60)
        while thread.is_alive() and len(made) < 5:
            made.append(backups.back_up_now(db_path))
    finally:
        thread.join()
    assert result["report"].outcome == "ok", result["report"].message
    assert made
    for path in made:
        assert integrity(path) == "ok"
        assert count(path, "SELECT COUNT(*) FROM workspace_info WHERE key = 'schema_version'") == 1
    assert {b.path for b in backups.list_backups(db_path)} == set(made)


def test_a_backup_is_not_blocked_by_an_open_write_and_holds_only_what_was_committed(db_path, clock):
    Member.create(name="Committed", x_handle="committed", first_seen_at=clock.now())
    writer = sqlite3.connect(str(db_path), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a sync's page, half written
    writer.execute("INSERT INTO workspace_info (key, value) VALUES ('half', 'written')")
    try:
        backup = backups.back_up_now(db_path)
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert integrity(backup) == "ok"
    assert count(backup, "SELECT COUNT(*) FROM member WHERE name = 'Committed'") == 1
    assert count(backup, "SELECT COUNT(*) FROM workspace_info WHERE key = 'half'") == 0
    assert WorkspaceInfo.get(WorkspaceInfo.key == "half").value == "written"  # the write went through


def test_one_daily_backup_a_day_and_only_the_newest_seven_are_kept(db_path):
    manual = backups.back_up_now(db_path, now=T0 - timedelta(days=30))
    before_migration = backups.back_up_before_migration(db_path, 4, now=T0 - timedelta(days=40))
    made = []
    for day in range(10):
        now = T0 + timedelta(days=day)
        made.append(backups.run_daily_backup(db_path, now))
        assert backups.run_daily_backup(db_path, now + timedelta(hours=3)) is None  # same UTC day
    assert all(made)
    found = backups.list_backups(db_path)
    daily = [b for b in found if b.kind == backups.DAILY]
    assert [b.path for b in daily] == list(reversed(made[3:]))
    assert [b.made_at for b in daily][0] == T0 + timedelta(days=9)
    assert not any(p.exists() for p in made[:3])
    kept_apart = {b.path: b for b in found if b.kind != backups.DAILY}
    assert set(kept_apart) == {manual, before_migration}
    assert kept_apart[before_migration].kind == backups.MIGRATION and kept_apart[before_migration].schema == 4


def test_an_older_workspace_is_backed_up_in_the_backups_folder_then_migrated(tmp_path):
    path = tmp_path / "old.ahoy.sqlite"
    db = open_sqlite(path)
    database_proxy.initialize(db)
    first_version, _description, first_step = MIGRATIONS[0]
    with db.atomic():
        first_step(db)
        WorkspaceInfo.create(key="schema_version", value=str(first_version))
    db.close()

    init_db(path)
    try:
        assert WorkspaceInfo.get(WorkspaceInfo.key == "schema_version").value == str(LATEST_VERSION)
    finally:
        close_db()
    [backup] = backups.list_backups(path)
    assert backup.kind == backups.MIGRATION and backup.schema == first_version
    assert backup.path.parent == tmp_path / "backups"
    assert count(backup.path, "SELECT value FROM workspace_info WHERE key = 'schema_version'") == str(first_version)
    assert not list(tmp_path.glob("*.bak"))  # nothing left beside the workspace


def test_forget_reaches_every_backup(db_path, clock, sandbox, connect, real_world):
    account, host = connect(sandbox(real_world))
    assert sync_account(account, host, clock).outcome == "ok"
    person = Member.select().where(Member.activity_count >= 2).order_by(Member.activity_count.desc()).first()
    uid = Identity.get(Identity.member == person).x_user_id
    notes_tags.set_note(person.id, NOTE, clock.now())
    set_field_by_hand(person.id, "company", COMPANY)
    members = Member.select().count()
    copies = [backups.back_up_now(db_path),
              backups.run_daily_backup(db_path, clock.now()),
              backups.back_up_before_migration(db_path, LATEST_VERSION, now=clock.now() - timedelta(days=1))]
    for path in copies:
        assert NOTE.encode() in path.read_bytes() and COMPANY.encode() in path.read_bytes()

    forgotten = forget.forget_member(person.id, clock.now())

    assert forgotten.copies_not_cleaned == []
    for path in copies:
        data = path.read_bytes()
        assert NOTE.encode() not in data and COMPANY.encode() not in data, path.name
        assert integrity(path) == "ok"
        assert count(path, "SELECT COUNT(*) FROM member") == members - 1
        assert count(path, "SELECT COUNT(*) FROM identity WHERE x_user_id = ?", (uid,)) == 0
        assert count(path, "SELECT COUNT(*) FROM activity WHERE member_id = ?", (person.id,)) == 0
        assert count(path, "SELECT COUNT(*) FROM suppressed_x_user WHERE x_user_id = ?", (uid,)) == 1
        assert count(path, "SELECT COUNT(*) FROM request_log WHERE instr(included_user_ids, ?)",
                     (f'"{uid}"',)) == 0


def test_forget_spares_someone_else_who_had_the_same_member_id_in_a_backup(db_path, clock):
    """A merged-away member's id goes to the next newcomer: in an older backup that id is someone else."""
    keeper = Member.create(name="Keeper", x_handle="keeper", first_seen_at=clock.now())
    earlier = Member.create(name="Earlier person", x_handle="earlier", first_seen_at=clock.now())
    backup = backups.back_up_now(db_path)
    merge.merge(keeper.id, earlier.id, {}, clock.now())
    later = Member.create(name="Later person", x_handle="later", first_seen_at=clock.now() + timedelta(days=2))
    assert later.id == earlier.id
    later_backup = backups.back_up_now(db_path)

    forget.forget_member(later.id, clock.now() + timedelta(days=3))

    assert count(backup, "SELECT COUNT(*) FROM member WHERE name = 'Earlier person'") == 1
    assert count(later_backup, "SELECT COUNT(*) FROM member WHERE name = 'Later person'") == 0
    assert b"Later person" not in later_backup.read_bytes()


def test_restore_puts_the_backup_in_place_and_sets_the_current_file_aside(db_path, clock):
    Member.create(name="Kept in the backup", x_handle="kept", first_seen_at=clock.now())
    backup = backups.back_up_now(db_path)
    Member.create(name="Added after", x_handle="after", first_seen_at=clock.now())
    close_db()
    current = db_path.read_bytes()

    replaced = backups.restore_backup(backup, db_path, now=T0)

    assert replaced.name == f"{db_path.name}.replaced-{stamp(T0)}"
    assert replaced.read_bytes() == current
    init_db(db_path)
    assert [m.name for m in Member.select()] == ["Kept in the backup"]


def test_the_window_takes_the_daily_backup_in_the_background_once_a_day(qtbot, clock, settings, tmp_path):
    from ui.context import AppContext
    from ui.main_window import MainWindow

    window = MainWindow(AppContext(clock, settings))
    qtbot.addWidget(window)
    path = tmp_path / "mine.ahoy.sqlite"
    try:
        with qtbot.waitSignal(window.daily_backup.made, timeout=30_000) as made:
            assert window.open_path(path)
        [backup] = backups.list_backups(path)
        assert made.args == [str(backup.path)] and backup.kind == backups.DAILY
        assert integrity(backup.path) == "ok"
        window.daily_backup.check()  # the hourly check, later the same day
        assert window.daily_backup.wait(30_000)
        assert len(backups.list_backups(path)) == 1
    finally:
        window.close()


def test_the_sync_command_takes_the_daily_backup(tmp_path):
    import subprocess
    import sys

    from .conftest import REAL_WORLD, ROOT

    path = tmp_path / "cron.ahoy.sqlite"
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "sync", "--quiet", "--world", str(REAL_WORLD),
                             "--db", str(path), "--now", "2026-12-01T09:00:00Z"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    [backup] = backups.list_backups(path)
    assert backup.kind == backups.DAILY and f"Daily backup: {backup.path}" in result.stdout
    assert integrity(backup.path) == "ok"
    assert count(backup.path, "SELECT COUNT(*) FROM member") == count(path, "SELECT COUNT(*) FROM member") > 0


# -- another process backing up while a "forget" runs ----------------------------------------------

PAUSED_BACKUP = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from ahoy_desktop import backups

copy = backups.online_copy

def copy_then_wait(source, target):
    copy(source, target)
    print("copied", flush=True)  # the copy is whole, still named .part: waits to be let go
    sys.stdin.readline()

backups.online_copy = copy_then_wait
print(backups.back_up_now(Path(sys.argv[1])), flush=True)
"""


def forget_in_own_connection(member_id: int, now) -> None:
    with database_proxy.connection_context():
        forget.forget_member(member_id, now)


def test_a_backup_another_process_began_before_a_forget_is_cleaned_too(db_path, clock):
    """A scheduled ``sync``'s daily copy, started before the window's forget and finished after it."""
    import subprocess
    import sys

    from .conftest import ROOT

    person = Member.create(name="Forget Me 9c1f", x_handle="forgetme", first_seen_at=clock.now())
    notes_tags.set_note(person.id, NOTE, clock.now())
    with subprocess.Popen([sys.executable, "-c", PAUSED_BACKUP, str(db_path), str(ROOT)], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True) as other:
        try:
            assert other.stdout.readline().strip() == "copied"  # holds the person, and the backups' lock
            forgetting = threading.Thread(target=forget_in_own_connection, args=(person.id, clock.now()))
            forgetting.start()
            forgetting.join(timeout=3)  # it waits for the other process's copy (without the lock it would end)
            other.stdin.write("\n")
            other.stdin.flush()
            made = other.stdout.readline().strip()
            assert other.wait(timeout=60) == 0
            forgetting.join()
        finally:
            other.kill()

    [backup] = backups.list_backups(db_path)
    assert str(backup.path) == made
    assert count(backup.path, "SELECT COUNT(*) FROM member WHERE name = 'Forget Me 9c1f'") == 0
    assert NOTE.encode() not in backup.path.read_bytes()
    assert Member.get_or_none(Member.id == person.id) is None


def test_copies_a_killed_process_left_half_written_are_removed(db_path, clock):
    person = Member.create(name="Forget Me 9c1f", x_handle="forgetme", first_seen_at=clock.now())
    notes_tags.set_note(person.id, NOTE, clock.now())
    backup = backups.back_up_now(db_path)
    half_backup = backup.with_name(backup.name.replace(".bak", "-2.bak") + ".part")
    half_restore = db_path.with_name(db_path.name + ".restoring")
    for leftover in (half_backup, half_restore):
        leftover.write_bytes(backup.read_bytes()[:8192])
    someone_elses = backup.with_name("other.ahoy.sqlite.daily-20261201T000000Z.bak.part")
    someone_elses.write_bytes(b"another workspace's copy in progress")

    forget.forget_member(person.id, clock.now())

    assert not half_backup.exists() and not half_restore.exists()
    assert someone_elses.exists()
    assert [b.path for b in backups.list_backups(db_path)] == [backup]
    assert NOTE.encode() not in backup.read_bytes()

    half_backup.write_bytes(b"left by a backup killed later")
    assert backups.run_daily_backup(db_path) is not None  # the next backup removes what a killed one left
    assert not half_backup.exists()
    half_restore.write_bytes(b"left by a restore killed later")
    assert backups.run_daily_backup(db_path) is None  # as when the window opens it: none due, cleaned all the same
    assert not half_restore.exists()
