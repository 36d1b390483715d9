"""Pairs of members who are likely one person, for the user to confirm or dismiss.

Two signals, each found by grouping in SQL so a 100k-member workspace costs
a couple of scans: the same name (ignoring case and spacing) with similar
handles, and the same website. For a website, a personal site's host is
enough (alice.dev and alice.dev/blog); on a host many people share
(instagram.com, linktr.ee) only the same address counts. A pair the user
dismissed is never suggested again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from itertools import combinations
from urllib.parse import urlsplit

from peewee import SqliteDatabase

from .db.models import DismissedPair, database_proxy
from .db.sqlite import write_transaction

SAME_NAME, SAME_WEBSITE = "same_name", "same_website"
LARGEST_NAME_GROUP = 50  # a very common name ("Alex") says little: its pairs are not all compared
PERSONAL_HOST_LIMIT = 3  # a host held by more members is a platform: compare whole addresses there
LARGEST_ADDRESS_GROUP = 10
HANDLE_SIMILARITY = 0.75
NAME_KEY, HOST_KEY, ADDRESS_KEY = "ahoy_name_key", "ahoy_site_host", "ahoy_site_address"


@dataclass(frozen=True)
class Suggestion:
    member_a: int  # the lower id
    member_b: int
    reason: str  # SAME_NAME or SAME_WEBSITE
    detail: str  # the shared name, or the shared host or address


def name_key(name: str | None) -> str | None:
    if not name:
        return None
    key = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    return key or None


def handle_stem(handle: str) -> str:
    """A handle without case, digits and separators: "Jane_Doe86" and "janedoe" share "janedoe"."""
    return re.sub(r"[^a-z]", "", handle.casefold())


def similar_handles(a: str, b: str) -> bool:
    a, b = handle_stem(a), handle_stem(b)
    if not a or not b:
        return False
    if a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a))):
        return True
    return SequenceMatcher(None, a, b).ratio() >= HANDLE_SIMILARITY


def _split(url: str | None):
    if not url or not url.strip():
        return None
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    host = (parts.hostname or "").casefold()
    host = host[4:] if host.startswith("www.") else host
    return (host, parts.path.rstrip("/").casefold()) if "." in host else None


def site_host(url: str | None) -> str | None:
    parts = _split(url)
    return parts[0] if parts else None


def site_address(url: str | None) -> str | None:
    """Host and path, without scheme, "www.", query or trailing slash."""
    parts = _split(url)
    return parts[0] + parts[1] if parts else None


def _install_functions() -> None:
    db = database_proxy.obj
    if isinstance(db, SqliteDatabase):  # on this thread's connection
        connection = db.connection()
        connection.create_function(NAME_KEY, 1, name_key, deterministic=True)
        connection.create_function(HOST_KEY, 1, site_host, deterministic=True)
        connection.create_function(ADDRESS_KEY, 1, site_address, deterministic=True)


def _groups(key_sql: str, column: str, low: int, high: int) -> list[tuple[str, list[tuple[int, str]]]]:
    """Members sharing a key, as (key, [(id, handle)]), for groups of ``low`` to ``high`` members."""
    db, p = database_proxy.obj, database_proxy.obj.param
    rows = db.execute_sql(
        f'WITH k AS (SELECT "id", "x_handle", {key_sql}("{column}") AS "key" FROM "member" '
        f'WHERE "{column}" IS NOT NULL AND "{column}" <> \'\') '
        f'SELECT k."key", k."id", k."x_handle" FROM k WHERE k."key" IN (SELECT "key" FROM k WHERE "key" IS NOT NULL '
        f'GROUP BY "key" HAVING COUNT(*) BETWEEN {p} AND {p}) ORDER BY k."key", k."id"', (low, high)).fetchall()
    groups: dict[str, list[tuple[int, str]]] = {}
    for key, member_id, handle in rows:
        groups.setdefault(key, []).append((member_id, handle or ""))
    return list(groups.items())


def suggestions(limit: int = 500) -> list[Suggestion]:
    """Likely duplicates, same names with similar handles first, dismissed pairs left out."""
    _install_functions()
    dismissed = {(a, b) for a, b in DismissedPair.select(DismissedPair.member_low, DismissedPair.member_high)
                 .tuples()}
    found: dict[tuple[int, int], Suggestion] = {}

    def add(a: int, b: int, reason: str, detail: str) -> None:
        pair = (min(a, b), max(a, b))
        if pair not in dismissed and pair not in found:
            found[pair] = Suggestion(pair[0], pair[1], reason, detail)

    for key, members in _groups(NAME_KEY, "name", 2, LARGEST_NAME_GROUP):
        for (a, handle_a), (b, handle_b) in combinations(members, 2):
            if similar_handles(handle_a, handle_b):
                add(a, b, SAME_NAME, key)
    for host, members in _groups(HOST_KEY, "website", 2, PERSONAL_HOST_LIMIT):
        for (a, _), (b, _) in combinations(members, 2):
            add(a, b, SAME_WEBSITE, host)
    for address, members in _groups(ADDRESS_KEY, "website", 2, LARGEST_ADDRESS_GROUP):
        for (a, _), (b, _) in combinations(members, 2):
            add(a, b, SAME_WEBSITE, address)
    return list(found.values())[:limit]


def dismiss(member_a: int, member_b: int, now: datetime) -> None:
    """Record that two members are not the same person: the pair is not suggested again."""
    if member_a == member_b:
        raise ValueError("a pair needs two members")
    low, high = min(member_a, member_b), max(member_a, member_b)
    with write_transaction(database_proxy):
        DismissedPair.insert(member_low=low, member_high=high, dismissed_at=now).on_conflict_ignore().execute()


def is_dismissed(member_a: int, member_b: int) -> bool:
    low, high = min(member_a, member_b), max(member_a, member_b)
    return DismissedPair.select().where(DismissedPair.member_low == low, DismissedPair.member_high == high).exists()
