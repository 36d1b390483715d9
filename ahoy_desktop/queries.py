"""Read-side queries shared by the command line and the window."""

from __future__ import annotations

from collections.abc import Iterator

from peewee import fn

from .clock import to_iso
from .db.models import Account, Activity, Identity, Member

MEMBER_FIELDS_EXPORTED = ["bio", "location", "website", "followers"]


def workspace_totals() -> dict:
    by_kind = dict(Activity.select(Activity.kind, fn.COUNT(Activity.id)).group_by(Activity.kind).tuples())
    return {"members": Member.select().count(), "activities": sum(by_kind.values()), "by_kind": by_kind}


def member_rows() -> tuple[list[str], Iterator[list[str]]]:
    header = ["member_id", "name", "x_handle", "x_user_ids", "first_seen_at", "activity_count", "last_active_at",
              *MEMBER_FIELDS_EXPORTED]

    def rows():
        stats = {
            m: (n, last) for m, n, last in Activity.select(
                Activity.member, fn.COUNT(Activity.id), fn.MAX(Activity.occurred_at)
            ).group_by(Activity.member).tuples()
        }
        ids: dict[int, list[str]] = {}
        for member_id, uid in Identity.select(Identity.member, Identity.x_user_id).order_by(Identity.id).tuples():
            if uid:
                ids.setdefault(member_id, []).append(uid)
        columns = [getattr(Member, key) for key in MEMBER_FIELDS_EXPORTED]
        query = Member.select(Member.id, Member.name, Member.x_handle, Member.first_seen_at, *columns).order_by(
            Member.id).tuples()
        for member_id, name, handle, first_seen, *values in query.iterator():
            count, last = stats.get(member_id, (0, None))
            last_text = to_iso(Activity.occurred_at.python_value(last)) if last else ""
            yield [str(member_id), name, handle, ";".join(ids.get(member_id, [])), to_iso(first_seen), str(count),
                   last_text, *("" if v is None else str(v) for v in values)]

    return header, rows()


def activity_rows() -> tuple[list[str], Iterator[list[str]]]:
    header = ["activity_id", "account", "member_id", "x_user_id", "kind", "post_id", "target_post_id",
              "occurred_at", "estimated", "text"]

    def rows():
        accounts = dict(Account.select(Account.id, Account.username).tuples())
        query = Activity.select().order_by(Activity.occurred_at, Activity.id)
        for a in query.iterator():
            yield [str(a.id), accounts.get(a.account_id, ""), str(a.member_id), a.x_user_id or "", a.kind,
                   a.post_id, a.target_post_id or "", to_iso(a.occurred_at), "true" if a.estimated else "false",
                   a.text]

    return header, rows()
