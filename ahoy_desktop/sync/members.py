"""Turn X users into members: one member per X user id, handles tracked.

A new X user id creates a member, or attaches to an existing member whose
handle matches ignoring case and who has no user id yet (someone imported by
handle). A handle change adds to the identity's history; it never makes a
second member. An author with no user object still gets a member by id.
"""

from __future__ import annotations

import zlib
from datetime import datetime

from ..db import bulk
from ..db.models import HandleHistory, Identity, Member
from ..mapping import FieldMapping, apply_mapping


def merged_user(old: dict | None, new: dict) -> dict:
    """The latest value of every field X has returned for this user.

    Likers often come back bare (id, name, username): a bare object must not
    erase the bio and counts a fuller one brought earlier.
    """
    return {**(old or {}), **new}


class MemberResolver:
    """Finds or creates the members behind X user ids, a page at a time."""

    def __init__(self, mapping: list[FieldMapping]):
        self.mapping = mapping
        self.created: set[int] = set()
        self.updated: set[int] = set()

    def resolve(self, users: dict[str, dict | None], now: datetime) -> dict[str, int]:
        """Member ids for these X user ids; ``users`` maps id to user object or None.

        People who asked to be forgotten are left out: they get no member, and
        callers store no activity for an id missing from the answer. Call
        inside the page's ``write_transaction``.
        """
        ids = [uid for uid in users if uid]
        suppressed = suppressed_among(ids)
        if suppressed:
            ids = [uid for uid in ids if uid not in suppressed]
        known = self._load(ids)
        missing = [uid for uid in ids if uid not in known]
        if missing:
            known.update(self._attach_by_handle(missing, users))
            new = [uid for uid in missing if uid not in known]
            known.update(self._create(new, users, now))
        self._update(known, users, now)
        return {uid: known[uid]["member_id"] for uid in ids}

    # -- steps -----------------------------------------------------------

    def _load(self, ids: list[str]) -> dict[str, dict]:
        """Identity and member of each known X user id (light: no JSON decoded)."""
        rows = bulk.select_in(
            'SELECT i."id", i."x_user_id", i."handle", i."member_id", m."x_user_fingerprint" '
            'FROM "identity" i JOIN "member" m ON m."id" = i."member_id" WHERE i."x_user_id" IN', (), ids)
        return {
            uid: {"identity_id": identity_id, "member_id": member_id, "handle": handle, "fingerprint": fingerprint}
            for identity_id, uid, handle, member_id, fingerprint in rows
        }

    def _load_raw(self, rows: list[dict]) -> None:
        """The stored X object of members about to change, to merge the new one into."""
        by_member = {row["member_id"]: row for row in rows}
        found = bulk.select_in('SELECT "id", "raw_x_user" FROM "member" WHERE "id" IN', (), list(by_member))
        for member_id, raw in found:
            by_member[member_id]["raw"] = Member.raw_x_user.python_value(raw)

    def _attach_by_handle(self, missing: list[str], users: dict[str, dict | None]) -> dict[str, dict]:
        """Members known only by handle (imported lists) take the X user id that now has it."""
        by_handle = {}
        for uid in missing:
            handle = (users[uid] or {}).get("username")
            if handle:
                by_handle.setdefault(handle.lower(), uid)
        if not by_handle:
            return {}
        attached: dict[str, dict] = {}
        waiting = bulk.select_in(
            'SELECT "id", "handle_lower" FROM "identity" WHERE "x_user_id" IS NULL AND "handle_lower" IN',
            (), list(by_handle))
        for identity_id, handle_lower in sorted(waiting):
            uid = by_handle.pop(handle_lower, None)
            if uid is None:
                continue
            Identity.update(x_user_id=uid).where(Identity.id == identity_id).execute()
            attached[uid] = self._load([uid])[uid]
            attached[uid]["fingerprint"] = None
        return attached

    def _create(self, new: list[str], users: dict[str, dict | None], now: datetime) -> dict[str, dict]:
        if not new:
            return {}
        rows = []
        for uid in new:
            user = users[uid] or {}
            rows.append((now, user or None, sorted(user) if user else None, now if user else None,
                         fingerprint(user) if user else None))
        member_ids = bulk.insert_new_ids(
            Member, ("first_seen_at", "raw_x_user", "x_fields", "x_user_updated_at", "x_user_fingerprint"), rows)
        handles = [(users[uid] or {}).get("username") or "" for uid in new]
        identity_ids = bulk.insert_new_ids(
            Identity, ("member", "x_user_id", "handle", "handle_lower", "first_seen_at"),
            [(m, uid, h, h.lower(), now) for m, uid, h in zip(member_ids, new, handles, strict=True)])
        bulk.insert_ignore(HandleHistory, ("identity", "handle", "seen_at"),
                           [(i, h, now) for i, h in zip(identity_ids, handles, strict=True) if h])
        apply_mapping(self.mapping, now, member_ids=member_ids)
        self.created.update(member_ids)
        return {
            uid: {"identity_id": i, "member_id": m, "handle": h, "fingerprint": fingerprint(users[uid] or {})}
            for uid, m, i, h in zip(new, member_ids, identity_ids, handles, strict=True)
        }

    def _update(self, known: dict[str, dict], users: dict[str, dict | None], now: datetime) -> None:
        """Store newer user objects and handles; re-apply the mapping to those that changed."""
        incoming = {uid: (user, fingerprint(user)) for uid, user in users.items() if user and uid in known}
        candidates = [known[uid] for uid, (_, mark) in incoming.items() if known[uid]["fingerprint"] != mark]
        if not candidates:
            return
        self._load_raw(candidates)
        rows, changed = [], []
        for uid, (user, mark) in incoming.items():
            row = known[uid]
            if row["fingerprint"] == mark:
                continue
            row["fingerprint"] = mark
            merged = merged_user(row.get("raw"), user)
            if merged == row.get("raw"):
                continue
            row["raw"] = merged
            handle = merged.get("username") or row["handle"]
            if handle != row["handle"]:
                Identity.update(handle=handle, handle_lower=handle.lower()).where(
                    Identity.id == row["identity_id"]).execute()
                bulk.insert_ignore(HandleHistory, ("identity", "handle", "seen_at"),
                                   [(row["identity_id"], handle, now)])
                row["handle"] = handle
            rows.append((merged, sorted(merged), now, mark, row["member_id"]))
            changed.append(row["member_id"])
            if row["member_id"] not in self.created:
                self.updated.add(row["member_id"])
        bulk.update_by_id(Member, ("raw_x_user", "x_fields", "x_user_updated_at", "x_user_fingerprint"), rows)
        apply_mapping(self.mapping, now, member_ids=changed)


def suppressed_among(ids: list[str]) -> set[str]:
    """The X user ids among ``ids`` that are on the "forget this person" list."""
    if not ids:
        return set()
    return {uid for (uid,) in bulk.select_in('SELECT "x_user_id" FROM "suppressed_x_user" WHERE "x_user_id" IN',
                                              (), ids)}


def fingerprint(user: dict) -> str:
    """A cheap, stable mark of an X user object as received."""
    return f"{zlib.crc32(repr(user).encode('utf-8', 'surrogatepass')):08x}"
