"""Turn X users into members: one member per X user id, handles tracked.

A new X user id creates a member, or attaches to an existing member whose
handle matches ignoring case and who has no user id yet (someone imported by
handle). A handle change adds to the identity's history; it never makes a
second member. An author with no user object still gets a member by id.
"""

from __future__ import annotations

from datetime import datetime

from ..db.models import HandleHistory, Identity, Member
from ..mapping import FieldMapping, apply_mapping


def merged_user(old: dict | None, new: dict) -> dict:
    """The latest value of every field X has returned for this user.

    Likers often come back bare (id, name, username): a bare object must not
    erase the bio and counts a fuller one brought earlier.
    """
    return {**(old or {}), **new}


class MemberResolver:
    """Finds or creates the member behind each X user id, a page at a time."""

    def __init__(self, mapping: list[FieldMapping]):
        self.mapping = mapping
        self._member_of: dict[str, int] = {}
        self.created: set[int] = set()
        self.updated: set[int] = set()

    def resolve(self, users: dict[str, dict | None], now: datetime) -> dict[str, int]:
        """Member ids for these X user ids; ``users`` maps id to user object or None.

        Call inside the page's transaction.
        """
        ids = [uid for uid in users if uid]
        known = self._load(ids)
        for uid in ids:
            if uid not in known:
                known[uid] = self._attach_or_create(uid, users[uid], now)
        changed: list[tuple[int, dict]] = []
        for uid in ids:
            user = users[uid]
            if user:
                member_id = known[uid]["member_id"]
                if self._update(known[uid], user, now):
                    changed.append((member_id, known[uid]["raw"]))
        if changed:
            apply_mapping(changed, self.mapping, now)
        for uid in ids:
            self._member_of[uid] = known[uid]["member_id"]
        return {uid: known[uid]["member_id"] for uid in ids}

    # -- steps -----------------------------------------------------------

    def _load(self, ids: list[str]) -> dict[str, dict]:
        found: dict[str, dict] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            query = (
                Identity.select(Identity.id, Identity.x_user_id, Identity.handle, Identity.member,
                                Member.raw_x_user, Member.handle.alias("member_handle"))
                .join(Member)
                .where(Identity.x_user_id.in_(chunk))
                .dicts()
            )
            for row in query:
                found[row["x_user_id"]] = {
                    "identity_id": row["id"],
                    "member_id": row["member"],
                    "handle": row["handle"],
                    "raw": row["raw_x_user"],
                }
        return found

    def _attach_or_create(self, uid: str, user: dict | None, now: datetime) -> dict:
        handle = (user or {}).get("username") or ""
        if handle:
            waiting = (
                Identity.select(Identity.id, Identity.member)
                .where(Identity.x_user_id.is_null(), Identity.handle_lower == handle.lower())
                .order_by(Identity.id)
                .first()
            )
            if waiting is not None:
                Identity.update(x_user_id=uid).where(Identity.id == waiting.id).execute()
                return {"identity_id": waiting.id, "member_id": waiting.member_id, "handle": handle, "raw": None}
        name = (user or {}).get("name") or ""
        member = Member.create(display_name=name, handle=handle, first_seen_at=now)
        identity = Identity.create(member=member, x_user_id=uid, handle=handle, handle_lower=handle.lower(),
                                   first_seen_at=now)
        if handle:
            HandleHistory.create(identity=identity, handle=handle, seen_at=now)
        self.created.add(member.id)
        return {"identity_id": identity.id, "member_id": member.id, "handle": handle, "raw": None}

    def _update(self, row: dict, user: dict, now: datetime) -> bool:
        """Store a newer user object; return True when anything changed."""
        merged = merged_user(row["raw"], user)
        if merged == row["raw"]:
            return False
        row["raw"] = merged
        handle = merged.get("username") or row["handle"]
        if handle != row["handle"]:
            Identity.update(handle=handle, handle_lower=handle.lower()).where(
                Identity.id == row["identity_id"]).execute()
            HandleHistory.insert(identity=row["identity_id"], handle=handle, seen_at=now).on_conflict_ignore().execute()
            row["handle"] = handle
        Member.update(
            raw_x_user=merged,
            x_fields=sorted(merged),
            x_user_updated_at=now,
            display_name=merged.get("name") or "",
            handle=handle,
        ).where(Member.id == row["member_id"]).execute()
        if row["member_id"] not in self.created:
            self.updated.add(row["member_id"])
        return True
