"""Suggested duplicates: same name with similar handles, same website; dismissed pairs stay dismissed."""

from __future__ import annotations

from ahoy_desktop import duplicates
from ahoy_desktop.db.models import Member


def member(clock, name: str, handle: str, website: str | None = None) -> int:
    return Member.create(name=name, x_handle=handle, website=website, first_seen_at=clock.now()).id


def pairs() -> dict[tuple[int, int], str]:
    return {(s.member_a, s.member_b): s.reason for s in duplicates.suggestions()}


def test_same_name_with_similar_handles(db_path, clock):
    jane = member(clock, "Jane Doe", "janedoe")
    jane_again = member(clock, "  jane   DOE ", "Jane_Doe86")
    other_jane = member(clock, "Jane Doe", "pottery_fan")
    japanese = member(clock, "山田 太郎", "yamada_taro")
    japanese_again = member(clock, "山田　太郎", "yamadataro2")  # ideographic space
    member(clock, "", "janedoe_")  # no name: no name signal
    found = pairs()
    assert found[(jane, jane_again)] == duplicates.SAME_NAME
    assert found[(japanese, japanese_again)] == duplicates.SAME_NAME
    assert (jane, other_jane) not in found and (jane_again, other_jane) not in found
    assert len(found) == 2


def test_same_website_host_or_address(db_path, clock):
    alice = member(clock, "Alice", "alice", "https://www.alice.dev/")
    alice_blog = member(clock, "A. Smith", "asmith", "alice.dev/blog")
    insta = [member(clock, f"Person {i}", f"p{i}", f"https://instagram.com/person{i}") for i in range(4)]
    insta_again = member(clock, "Someone", "someone", "http://www.instagram.com/person0/")
    member(clock, "Nobody", "nobody", "not a website")
    found = pairs()
    assert found == {(alice, alice_blog): duplicates.SAME_WEBSITE, (insta[0], insta_again): duplicates.SAME_WEBSITE}
    detail = {(s.member_a, s.member_b): s.detail for s in duplicates.suggestions()}
    assert detail[(alice, alice_blog)] == "alice.dev"
    assert detail[(insta[0], insta_again)] == "instagram.com/person0"


def test_dismissed_pairs_stay_dismissed(db_path, clock):
    a = member(clock, "Sam Lee", "samlee")
    b = member(clock, "Sam Lee", "sam_lee_")
    assert (a, b) in pairs()
    duplicates.dismiss(b, a, clock.now())
    duplicates.dismiss(a, b, clock.now())  # twice is fine
    assert duplicates.is_dismissed(a, b) and pairs() == {}
    c = member(clock, "sam lee", "samlee2")
    assert set(pairs()) == {(a, c), (b, c)}


def test_handle_similarity():
    assert duplicates.similar_handles("JaneDoe", "jane_doe_86")
    assert duplicates.similar_handles("mkowalski", "m_kowalsky")
    assert not duplicates.similar_handles("janedoe", "pottery")
    assert not duplicates.similar_handles("", "")
