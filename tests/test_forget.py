""""Forget this person": gone from every table and the file, not brought back by a sync, undoable in memory."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from ahoy_desktop import backups, forget, merge, notes_tags, scores
from ahoy_desktop.clock import to_iso
from ahoy_desktop.db.models import Activity, Identity, Member, MemberScore, SuppressedXUser, database_proxy
from ahoy_desktop.duplicates import dismiss
from ahoy_desktop.members import set_field_by_hand
from ahoy_desktop.workspace import sync_account

SECRET = "Prefers the zebra-striped mug 7f3a"
# Runs of one letter from scripts nothing else in the workspace uses: any fragment the trigram index
# keeps of them (it folds case, and stores a term as what follows the previous term's prefix) holds a pair.
BIO_MARK = "ꙮꙮꙮꙮ"
POST_MARK = "ⰀⰀⰀⰀ"


def mention(world: dict, offset: int, author: str, at) -> dict:
    newest = max(int(t["id"]) for t in world["mentions"])
    return {"at": to_iso(at), "type": "mention",
            "tweet": {"id": str(newest + offset), "author_id": author, "created_at": to_iso(at),
                      "text": f"@{world['me']['username']} hello again"}}


def mentions_of(db_path, text: str) -> list[str]:
    """Database tables, and the file itself with its write-ahead log, that still hold ``text``."""
    found = []
    for path in (db_path, db_path.with_name(db_path.name + "-wal")):
        if path.exists() and text.encode() in path.read_bytes():
            found.append(path.name)
    return found


def traces(*paths) -> list[str]:
    """Pairs of the marks' letters, in every case, found in these files."""
    pairs = {form[:2] for mark in (BIO_MARK, POST_MARK) for form in (mark, mark.lower(), mark.upper(), mark.casefold())}
    data = b"".join(p.read_bytes() for p in paths if p.exists())
    return sorted(pair for pair in pairs if pair.encode() in data)


def logged(x_user_id: str) -> bool:
    """Whether the request log names this user among a page's resources or included users."""
    return database_proxy.obj.execute_sql(
        'SELECT 1 FROM "request_log" WHERE instr("resource_ids", ?) OR instr("included_user_ids", ?)',
        (f'"{x_user_id}"', f'"{x_user_id}"')).fetchone() is not None


def tables_mentioning(member_id: int, identity_ids: list[int], x_user_id: str) -> list[str]:
    db = database_proxy.obj
    hits = []
    for (table,) in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table' "
                                   "AND name NOT LIKE 'sqlite_%'").fetchall():
        columns = [r[1] for r in db.execute_sql(f'PRAGMA table_info("{table}")')]
        for column in columns:
            if column in ("member_id", "member_low_id", "member_high_id", "survivor_id", "absorbed_id"):
                value = member_id
            elif column == "identity_id":
                value = identity_ids[0]
            elif column == "x_user_id" and table != "suppressed_x_user":
                value = x_user_id
            else:
                continue
            if db.execute_sql(f'SELECT 1 FROM "{table}" WHERE "{column}" = ?', (value,)).fetchone():
                hits.append(f"{table}.{column}")
    if db.execute_sql('SELECT 1 FROM "member" WHERE "id" = ?', (member_id,)).fetchone():
        hits.append("member.id")
    return hits


def test_forget_removes_everything_and_the_next_sync_does_not_bring_them_back(
        db_path, clock, sandbox, connect, real_world):
    server = sandbox(real_world)
    account, host = connect(server)
    assert sync_account(account, host, clock).outcome == "ok"
    person = Member.select().where(Member.activity_count >= 3).order_by(Member.activity_count.desc()).first()
    identity = Identity.get(Identity.member == person)
    uid = identity.x_user_id
    other = Member.select().where(Member.id != person.id).first()
    extra = Member.create(name="Alt account", x_handle="alt", first_seen_at=clock.now())
    record = merge.merge(person.id, extra.id, {}, clock.now())
    notes_tags.set_tags(person.id, ["press"])
    notes_tags.set_note(person.id, SECRET, clock.now())
    set_field_by_hand(person.id, "company", "Zebra Mugs Ltd")
    dismiss(person.id, other.id, clock.now())
    activities = Activity.select().where(Activity.member == person).count()
    total = Activity.select().count()
    assert logged(uid)

    # Their next post is due after the forget.
    real_world["events"] = [mention(real_world, 1, uid, clock.now() + timedelta(hours=1))]
    server.stop()
    server = sandbox(real_world)
    account, host = connect(server)

    setting = database_proxy.obj.execute_sql("PRAGMA secure_delete").fetchone()[0]
    gone = forget.forget_member(person.id, clock.now())
    assert gone.x_user_ids == [uid] and gone.name == person.name
    assert tables_mentioning(person.id, [identity.id], uid) == []
    assert Activity.select().count() == total - activities
    assert not logged(uid)
    assert merge.merges_into(person.id) == [] and not merge.MergeRecord.select().where(
        merge.MergeRecord.id == record).exists()
    assert [s.x_user_id for s in SuppressedXUser.select()] == [uid]
    assert mentions_of(db_path, SECRET) == []
    assert database_proxy.obj.execute_sql("PRAGMA secure_delete").fetchone()[0] == setting  # as it was

    clock.advance(timedelta(hours=2))
    report = sync_account(account, host, clock)
    assert report.outcome == "ok"
    assert tables_mentioning(person.id, [identity.id], uid) == []
    assert not Identity.select().where(Identity.x_user_id == uid).exists()
    assert Activity.select().count() == total - activities
    assert not Activity.select().where(Activity.x_user_id == uid).exists()

    # Undo, while the app is open: everything back, the suppression lifted, scores counted again.
    member_id = forget.undo_forget(gone, clock.now())
    assert member_id == person.id
    back = Member.get(Member.id == person.id)
    assert back.name == person.name and back.company == "Zebra Mugs Ltd"
    assert Activity.select().where(Activity.member == person.id).count() == activities == back.activity_count
    assert Identity.get(Identity.x_user_id == uid).member_id == person.id
    assert notes_tags.tags_of(person.id) == ["press"] and notes_tags.note_of(person.id) == SECRET
    assert [m.absorbed_id for m in merge.merges_into(person.id)] == [extra.id]
    assert SuppressedXUser.select().count() == 0
    assert MemberScore.get(MemberScore.member == person.id).score == scores.explain(person.id, clock.now()).score


def test_no_fragment_of_their_bio_or_posts_stays_in_the_file_its_log_or_a_backup(
        db_path, clock, sandbox, connect, real_world):
    server = sandbox(real_world)
    account, host = connect(server)
    assert sync_account(account, host, clock).outcome == "ok"
    person = Member.select().where(Member.activity_count >= 2).order_by(Member.activity_count.desc()).first()
    uid = Identity.get(Identity.member == person).x_user_id
    post = mention(real_world, 1, uid, clock.now() + timedelta(hours=1))
    post["tweet"]["text"] += f" {POST_MARK}"
    real_world["events"] = [post]
    server.stop()
    account, host = connect(sandbox(real_world))
    clock.advance(timedelta(hours=2))
    assert sync_account(account, host, clock).outcome == "ok"
    set_field_by_hand(person.id, "bio", f"Quiet {BIO_MARK} person")
    assert Member.select().where(Member.bio.contains(BIO_MARK)).count() == 1
    assert Activity.select().where(Activity.text.contains(POST_MARK)).count() == 1
    backup = backups.back_up_now(db_path, now=clock.now())
    wal = db_path.with_name(db_path.name + "-wal")
    everything = ["ⰀⰀ", "ⰰⰰ", "ꙮꙮ"]
    assert traces(db_path, wal) == everything and traces(backup) == everything

    forget.forget_member(person.id, clock.now())

    assert traces(db_path) == [] and traces(wal) == []
    assert traces(backup) == []
    assert database_proxy.obj.execute_sql("PRAGMA secure_delete").fetchone()[0] == 1


def test_the_next_sync_does_not_write_their_ids_or_their_posts_ids_into_the_request_log(
        db_path, clock, sandbox, connect, real_world):
    server = sandbox(real_world)
    account, host = connect(server)
    assert sync_account(account, host, clock).outcome == "ok"
    person = Member.select().where(Member.activity_count >= 3).order_by(Member.activity_count.desc()).first()
    uid = Identity.get(Identity.member == person).x_user_id
    post = mention(real_world, 1, uid, clock.now() + timedelta(hours=1))
    real_world["events"] = [post]
    server.stop()
    account, host = connect(sandbox(real_world))
    forget.forget_member(person.id, clock.now())
    assert not logged(uid)
    clock.advance(timedelta(hours=2))
    assert sync_account(account, host, clock).outcome == "ok"

    assert not logged(uid)
    assert not logged(post["tweet"]["id"])
    pages = database_proxy.obj.execute_sql(
        "SELECT resource_count, resource_ids FROM request_log WHERE endpoint = 'users/:id/mentions' "
        "ORDER BY id DESC LIMIT 1").fetchone()
    assert pages[0] >= 1 and pages[0] == len(json.loads(pages[1])) + 1  # counted, not named
    assert not Activity.select().where(Activity.x_user_id == uid).exists()


def test_forgetting_an_unknown_member_changes_nothing(db_path, clock):
    Member.create(name="Someone", first_seen_at=clock.now())
    with pytest.raises(LookupError):
        forget.forget_member(999, clock.now())
    assert Member.select().count() == 1 and SuppressedXUser.select().count() == 0
