"""Search over names, handles, bios, fields and what people said, in any script, kept current by triggers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ahoy_desktop import members, search
from ahoy_desktop.custom_fields import create_custom_field
from ahoy_desktop.db.models import Activity, Identity, Member, MemberCustomValue, database_proxy
from ahoy_desktop.db.sqlite import write_transaction
from ahoy_desktop.members import MemberQuery
from ahoy_desktop.workspace import sync_account


@pytest.fixture
def synced(db_path, clock, sandbox, connect, real_world):
    server = sandbox(real_world)
    account, host = connect(server)
    assert sync_account(account, host, clock).outcome == "ok"
    return real_world


def found(text: str) -> set[str]:
    """The handles a search finds, reading every window."""
    rows, last = [], None
    while True:
        page = members.list_members(MemberQuery(search=text), 300, last)
        rows.extend(page)
        if len(page) < 300:
            break
        last = page[-1]
    handles = {r.handle for r in rows}
    assert len(rows) == members.count_members(text)
    return handles


def member_texts() -> dict[str, str]:
    """Everything a search reads about each member, by handle, written out in Python."""
    texts = {}
    for member in Member.select():
        parts = [getattr(member, c) or "" for c in search.MEMBER_TEXT_COLUMNS]
        parts += [a.text for a in Activity.select(Activity.text).where(Activity.member == member.id)]
        texts[member.x_handle] = "\n".join(parts).casefold()
    return texts


def expected(text: str) -> set[str]:
    return {handle for handle, body in member_texts().items() if text.casefold() in body}


def handle_of(real_world: dict, tweet_text_start: str) -> str:
    tweet = next(t for t in real_world["mentions"] if t["text"].startswith(tweet_text_start))
    return real_world["users"][tweet["author_id"]]["username"]


def test_search_finds_people_by_what_they_are_and_what_they_said(synced):
    assert "nemiroski" in found("dubbio")  # a word of a bio
    assert "BiazScazzi" in found("zS")  # two letters of a handle, any case
    assert "scarletnwanda" in found("リヤ")  # two characters of a Japanese name
    assert found("ビアジ") == {"BiazScazzi"}  # three or more: through the trigram index
    assert "Hg_hatter" in found("じさ")
    assert found("الشراري") == {"salm_hal"}  # an Arabic name
    assert "PsicoStud" in found("🪷")  # an emoji
    phrase = "every Trade Ideas subscription"  # a phrase they wrote in a post
    assert handle_of(synced, "Now available with every Trade Ideas") in found(phrase.upper())


def test_an_at_sign_asks_for_the_person_not_the_posts_that_mention_them(synced):
    handle = "BiazScazzi"
    texts = member_texts()
    mentioning = {h for h, body in texts.items() if handle.casefold() in body} - {handle}
    own = {h for h in texts if handle.casefold() in "\n".join(
        getattr(Member.get(Member.x_handle == h), c) or "" for c in search.MEMBER_TEXT_COLUMNS).casefold()}

    assert found(f"@{handle}") == own and handle in own
    assert found(f"@{handle[:2]}") >= own  # short fragments too
    assert found(handle) == own | mentioning


@pytest.mark.parametrize("text", ["zs", "ZS", "a", "リヤ", "🪷", "trade ideas", "DUBBIO", "سعد", "ビアジ", "🇮🇹"])
def test_search_finds_exactly_the_members_whose_texts_hold_it(synced, text):
    assert found(text) == expected(text)


def test_search_takes_quotes_and_wildcards_literally(synced):
    for text in ('"', 'a"b', "%", "3.5%", "x_", "*", "AND", "NEAR(a b)"):
        assert found(text) == expected(text), text


def test_edits_custom_fields_and_deletes_keep_the_index_current(synced, clock):
    member = Member.get(Member.x_handle == "nemiroski")
    members.set_field_by_hand(member.id, "bio", "Zebra whisperer")
    assert "nemiroski" in found("whisperer") and "nemiroski" not in found("dubbio")

    field = create_custom_field("Favourite fruit", "text", clock.now())
    with write_transaction(database_proxy):
        MemberCustomValue.create(member=member.id, field_key=field.key, value="Durian", source="manual",
                                 updated_at=clock.now())
    assert found("durian") == {"nemiroski"}
    with write_transaction(database_proxy):
        MemberCustomValue.update(value="Mangosteen").where(MemberCustomValue.member == member.id).execute()
    assert found("durian") == set() and found("mangost") == {"nemiroski"}

    post = Activity.select().where(Activity.text != "").first()
    with write_transaction(database_proxy):
        Activity.update(text="Quokkas everywhere").where(Activity.id == post.id).execute()
    author = Member.get_by_id(post.member_id).x_handle
    assert found("quokka") == {author}
    search.check_search_index(database_proxy.obj)

    # Forgetting a person deletes the member: their texts and posts leave the index with them.
    with write_transaction(database_proxy):
        Member.delete().where(Member.id == member.id).execute()
    assert found("mangost") == set() and "nemiroski" not in found("zebra")
    with write_transaction(database_proxy):
        Member.delete().where(Member.id == post.member_id).execute()
    assert found("quokka") == set()
    hits = database_proxy.obj.execute_sql(
        "SELECT COUNT(*) FROM activity_fts WHERE activity_fts MATCH ?", ('"Quokkas"',)).fetchone()[0]
    assert hits == 0
    search.check_search_index(database_proxy.obj)


def test_a_new_sync_is_searchable_at_once(db_path, clock, sandbox, connect, real_world):
    mention = max(real_world["mentions"], key=lambda t: int(t["id"]))
    author = real_world["users"][mention["author_id"]]
    at = (clock.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    new_id = str(int(mention["id"]) + 10)
    real_world["events"] = [
        {"at": at, "type": "mention", "tweet": {"id": new_id, "text": "@TwitterDev Saffron lighthouse keepers",
                                                "author_id": author["id"], "created_at": at,
                                                "edit_history_tweet_ids": [new_id]}}]
    server = sandbox(real_world)
    account, host = connect(server)
    assert sync_account(account, host, clock).outcome == "ok"
    assert found("lighthouse") == set()
    clock.advance(timedelta(hours=2))
    assert sync_account(account, host, clock).outcome == "ok"
    assert found("saffron LIGHTHOUSE") == {author["username"]}
    search.check_search_index(database_proxy.obj)


def test_the_migration_indexes_what_a_workspace_already_holds(synced):
    db = database_proxy.obj
    with write_transaction(db):
        for name in ("member_fts", "activity_fts"):
            db.execute_sql(f"DROP TABLE {name}")
        for (trigger,) in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            db.execute_sql(f'DROP TRIGGER "{trigger}"')
    with write_transaction(db):
        search.create_search_index(db)
    assert found("dubbio") == expected("dubbio") != set()
    assert found("Trade Ideas") == expected("Trade Ideas") != set()
    search.check_search_index(db)
    assert Identity.select().count() > 0


def test_kept_matches_page_a_search_across_windows_like_a_fresh_search(synced, clock):
    """Windows read over the members a search found once are the windows the search gives each time."""
    kept = search.SearchMatches()
    for text in ("a", "trade ideas", "zS"):
        for query in (MemberQuery(search=text), MemberQuery(search=text, sort="name", descending=False)):
            fresh, over_kept, last_fresh, last_kept = [], [], None, None
            while True:
                page = members.list_members(query, 7, last_fresh)
                again = members.list_members(query, 7, last_kept, matches=kept)
                assert [r.id for r in again] == [r.id for r in page]
                fresh.extend(page)
                over_kept.extend(again)
                if len(page) < 7:
                    break
                last_fresh, last_kept = page[-1], again[-1]
            assert len(fresh) == len({r.id for r in fresh}) == members.count_for(query, kept) > 0

    # Kept until told that members changed: then the next read finds the new text.
    member = Member.get(Member.x_handle == "nemiroski")
    assert members.count_for(MemberQuery(search="whisperer"), kept) == 0
    members.set_field_by_hand(member.id, "bio", "Zebra whisperer")
    assert members.count_for(MemberQuery(search="whisperer"), kept) == 0
    kept.forget()
    rows = members.list_members(MemberQuery(search="whisperer"), 10, matches=kept)
    assert [r.handle for r in rows] == ["nemiroski"]
