"""The sync of one account: pages from X in, members and activities out.

Pure Python and blocking: the UI runs it on a QThread, the command line runs
it directly. Each API page is committed together with the cursor that records
it was read, so a sync killed at any moment and run again ends where an
uninterrupted one would. Waiting for a rate-limit window is this module's
decision (reported, cancellable), never tweepy's.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ..clock import Clock, to_iso
from ..db.models import Account, AccountSnapshot, Activity, OwnPost, RequestLog, SyncRun, database_proxy
from ..db.sqlite import write_transaction
from ..mapping import FieldMapping, load_mapping
from ..xapi.client import AuthorizationLost, Page, RateLimited, XApiError, XClient
from . import store
from .lock import account_lock
from .members import MemberResolver, suppressed_among
from .posts import LIKE, QUOTE, RETWEET, classify, dedup_key, post_text, post_time


@dataclass
class SyncOptions:
    own_posts_days: int = 90
    wait_limit_seconds: float = 15 * 60
    mention_overlap: int = 3
    max_retries: int = 4
    page_size: int = 100
    mapping: list[FieldMapping] | None = None  # None: the workspace's own mapping
    budget: object | None = None  # a usage.BudgetGuard for X accounts: asked before each request


@dataclass
class SyncProgress:
    account_id: int
    stage: str
    detail: str = ""
    done: int = 0
    total: int | None = None
    requests: int = 0
    activities_added: int = 0
    members_added: int = 0
    waiting_until: datetime | None = None


@dataclass
class SyncReport:
    """What a sync did and changed: the UI refreshes only what this names."""

    account_id: int
    outcome: str = "running"  # ok, rate_limited, capped, cancelled, failed
    message: str = ""
    first_import: bool = False
    started_at: datetime | None = None
    finished_at: datetime | None = None
    activities_added: Counter = field(default_factory=Counter)
    members_added: set[int] = field(default_factory=set)
    members_updated: set[int] = field(default_factory=set)
    members_with_new_activity: set[int] = field(default_factory=set)
    posts_added: int = 0
    posts_deleted: int = 0
    requests: Counter = field(default_factory=Counter)
    resources: Counter = field(default_factory=Counter)
    waits: list[tuple[str, float]] = field(default_factory=list)
    resume_after: datetime | None = None

    @property
    def changed(self) -> bool:
        return bool(self.activities_added or self.members_added or self.members_updated
                    or self.posts_added or self.posts_deleted)

    def to_json(self) -> dict:
        return {
            "outcome": self.outcome,
            "message": self.message,
            "first_import": self.first_import,
            "activities_added": dict(self.activities_added),
            "members_added": len(self.members_added),
            "members_updated": len(self.members_updated),
            "posts_added": self.posts_added,
            "posts_deleted": self.posts_deleted,
            "requests": dict(self.requests),
            "resources": dict(self.resources),
            "waits": [[e, round(s, 1)] for e, s in self.waits],
            "resume_after": self.resume_after.isoformat() if self.resume_after else None,
        }


class SyncCancelled(Exception):
    pass


class SyncStopped(Exception):
    """The sync cannot go on now; cursors are saved and the next sync resumes."""

    def __init__(self, outcome: str, message: str, resume_after: datetime | None = None):
        super().__init__(message)
        self.outcome = outcome
        self.resume_after = resume_after


ProgressCallback = Callable[[SyncProgress], None]
USER_ENDPOINTS = ("users/me", "tweets/:id/liking_users", "tweets/:id/retweeted_by")


class SyncEngine:
    """Syncs one account once. Create a new engine for every sync."""

    def __init__(self, account: Account, client: XClient, clock: Clock, *, options: SyncOptions | None = None,
                 progress: ProgressCallback | None = None, cancel: threading.Event | None = None):
        self.account = account
        self.client = client
        self.clock = clock
        self.options = options or SyncOptions()
        self.progress_callback = progress
        self.cancel = cancel or threading.Event()
        self.report = SyncReport(account_id=account.id)
        self.members = MemberResolver(self.options.mapping if self.options.mapping is not None else load_mapping())
        self._rate: dict[str, tuple[int | None, int | None]] = {}
        self._stage = "starting"
        client.on_response = self._log_response

    # -- the whole sync ----------------------------------------------------

    def run(self) -> SyncReport:
        db_path = database_proxy.obj.database
        with account_lock(db_path, self.account.id):
            return self._run_locked()

    def _run_locked(self) -> SyncReport:
        report = self.report
        report.started_at = self.clock.now()
        report.first_import = not self.account.first_import_done
        run = SyncRun.create(account=self.account, started_at=report.started_at)
        try:
            self._sync_profile()
            self._sync_own_posts()
            self._sync_mentions()
            self._sync_engagement("liking_users", LIKE, "likers_fetched_count", "like_count",
                                  self.client.get_liking_users)
            self._sync_engagement("retweeted_by", RETWEET, "retweeters_fetched_count", "retweet_count",
                                  self.client.get_retweeters)
            self._sync_quotes()
            report.outcome = "ok"
            report.message = self._summary()
        except SyncCancelled:
            report.outcome, report.message = "cancelled", "Sync cancelled; it resumes where it stopped."
        except SyncStopped as stop:
            report.outcome, report.message, report.resume_after = stop.outcome, str(stop), stop.resume_after
        except AuthorizationLost as exc:
            report.outcome, report.message = "reconnect_needed", str(exc)
        except XApiError as exc:
            report.outcome, report.message = "failed", str(exc)
        except Exception as exc:
            SyncRun.update(finished_at=self.clock.now(), outcome="failed", message=repr(exc)).where(
                SyncRun.id == run.id).execute()
            raise
        report.finished_at = self.clock.now()
        report.members_added = set(self.members.created)
        report.members_updated = set(self.members.updated) - report.members_added
        with write_transaction(database_proxy):
            updates = {
                Account.last_sync_at: report.finished_at,
                Account.last_sync_outcome: report.outcome,
                Account.last_sync_message: report.message,
            }
            if report.outcome == "ok":
                updates[Account.first_import_done] = True
            Account.update(updates).where(Account.id == self.account.id).execute()
            SyncRun.update(finished_at=report.finished_at, outcome=report.outcome, message=report.message,
                           report=report.to_json()).where(SyncRun.id == run.id).execute()
        self._stage = "done"
        self._emit(report.outcome)
        return report

    def _summary(self) -> str:
        added = sum(self.report.activities_added.values())
        return f"{added} new activities, {len(self.members.created)} new members."

    # -- stages --------------------------------------------------------------

    def _sync_profile(self) -> None:
        self._stage = "profile"
        page = self._request(self.client.get_me)
        me = page.data[0] if page.data else None
        if not me:
            raise XApiError("X did not say who the connected account is.", endpoint="users/me")
        now = self.clock.now()
        metrics = me.get("public_metrics") or {}
        with write_transaction(database_proxy):
            Account.update(
                username=me.get("username") or self.account.username,
                name=me.get("name") or self.account.name,
                profile_image_url=me.get("profile_image_url") or self.account.profile_image_url,
                raw_user=me,
            ).where(Account.id == self.account.id).execute()
            if metrics:
                AccountSnapshot.create(account=self.account, taken_at=now,
                                       followers_count=metrics.get("followers_count"),
                                       following_count=metrics.get("following_count"),
                                       tweet_count=metrics.get("tweet_count"))

    def _sync_own_posts(self) -> None:
        """New own posts from the timeline, then fresh metrics for the older ones."""
        self._stage = "posts"
        account_id = self.account.id
        newest = store.get_cursor(account_id, "posts_newest")
        since = self.clock.now() - timedelta(days=self.options.own_posts_days)
        token = store.get_cursor(account_id, "posts_token")
        seen_this_run: set[str] = set()
        run_newest = store.get_cursor(account_id, "posts_run_newest")
        while True:
            page = self._request(self.client.get_own_posts, self.account.x_user_id,
                                 start_time=None if newest else since, since_id=newest,
                                 pagination_token=token, max_results=self.options.page_size)
            token = page.next_token
            page_newest = page.meta.get("newest_id")
            if page_newest and (run_newest is None or int(page_newest) > int(run_newest)):
                run_newest = page_newest
            with write_transaction(database_proxy):
                self.report.posts_added += self._store_own_posts(page.data)
                seen_this_run.update(t["id"] for t in page.data)
                store.set_cursor(account_id, "posts_token", token)
                store.set_cursor(account_id, "posts_run_newest", run_newest if token else None)
                if not token and run_newest:
                    store.set_cursor(account_id, "posts_newest", run_newest)
            self._emit(f"{self.report.posts_added} new posts")
            if not token:
                break
        if newest:
            self._refresh_metrics(since, seen_this_run)

    def _store_own_posts(self, tweets: list[dict]) -> int:
        now = self.clock.now()
        added = 0
        for tweet in tweets:
            if tweet.get("author_id") not in (None, self.account.x_user_id):
                continue
            metrics = tweet.get("public_metrics") or {}
            values = {
                OwnPost.text: post_text(tweet),
                OwnPost.created_at: post_time(tweet),
                OwnPost.like_count: metrics.get("like_count") or 0,
                OwnPost.retweet_count: metrics.get("retweet_count") or 0,
                OwnPost.reply_count: metrics.get("reply_count") or 0,
                OwnPost.quote_count: metrics.get("quote_count") or 0,
                OwnPost.metrics_seen_at: now,
            }
            exists = OwnPost.get_or_none(OwnPost.account == self.account.id, OwnPost.post_id == tweet["id"])
            if exists is None:
                OwnPost.insert({OwnPost.account: self.account.id, OwnPost.post_id: tweet["id"], **values}).execute()
                added += 1
            else:
                OwnPost.update(values).where(OwnPost.id == exists.id).execute()
        return added

    def _refresh_metrics(self, since: datetime, skip: set[str]) -> None:
        """Look up the tracked posts' counts, 100 ids a request; note deletions."""
        self._stage = "metrics"
        ids = [
            pid for (pid,) in OwnPost.select(OwnPost.post_id)
            .where(OwnPost.account == self.account.id, OwnPost.deleted == False,  # noqa: E712
                   (OwnPost.created_at >= since) | OwnPost.created_at.is_null())
            .order_by(OwnPost.post_id).tuples()
            if pid not in skip
        ]
        for start in range(0, len(ids), 100):
            chunk = ids[start:start + 100]
            page = self._request(self.client.get_posts, chunk)
            gone = {
                str(e.get("resource_id") or e.get("value")) for e in page.errors
                if e.get("resource_type") == "tweet" and "not found" in str(e.get("title", "")).lower()
            }
            with write_transaction(database_proxy):
                self._store_own_posts(page.data)
                deleted = [pid for pid in chunk if pid in gone]
                if deleted:
                    self.report.posts_deleted += OwnPost.update(deleted=True, text="").where(
                        OwnPost.account == self.account.id, OwnPost.post_id.in_(deleted)).execute()
            self._emit(f"{min(start + 100, len(ids))} of {len(ids)} posts checked", done=start + len(chunk),
                       total=len(ids))

    def _sync_mentions(self) -> None:
        """The mentions timeline: the 800 newest first, then since the last seen."""
        self._stage = "mentions"
        account_id = self.account.id
        since_id = store.get_cursor(account_id, "mentions_since")
        token = store.get_cursor(account_id, "mentions_token")
        run_newest = store.get_cursor(account_id, "mentions_run_newest")
        own_ids = self._own_post_ids()
        count = 0
        while True:
            page = self._request(self.client.get_mentions, self.account.x_user_id, since_id=since_id,
                                 pagination_token=token, max_results=self.options.page_size)
            token = page.next_token
            page_newest = page.meta.get("newest_id")
            if page_newest and (run_newest is None or int(page_newest) > int(run_newest)):
                run_newest = page_newest
            with write_transaction(database_proxy):
                self._store_posts_as_activity(page, own_ids)
                store.set_cursor(account_id, "mentions_token", token)
                store.set_cursor(account_id, "mentions_run_newest", run_newest if token else None)
                if not token and run_newest:
                    store.set_cursor(account_id, "mentions_since", self._overlapped_since(run_newest))
            count += len(page.data)
            self._emit(f"{count} mentions read", done=count)
            if not token:
                break

    def _overlapped_since(self, run_newest: str) -> str:
        """since_id a few stored posts back, so posts X files late are not missed."""
        recent = sorted((int(pid) for (pid,) in recent_post_ids(self.account.id, 4 * self.options.mention_overlap)),
                        reverse=True)
        recent = [pid for pid in recent if pid <= int(run_newest)][: self.options.mention_overlap + 1]
        return str(recent[-1] - 1) if recent else run_newest

    def _sync_engagement(self, label: str, kind: str, fetched_column: str, count_column: str, fetch) -> None:
        """Likers or retweeters of every tracked post whose count moved."""
        self._stage = label
        fetched_field = getattr(OwnPost, fetched_column)
        count_field = getattr(OwnPost, count_column)
        posts = list(
            OwnPost.select(OwnPost.id, OwnPost.post_id, count_field, fetched_field)
            .where(OwnPost.account == self.account.id, OwnPost.deleted == False,  # noqa: E712
                   (fetched_field.is_null() & (count_field > 0)) | (fetched_field != count_field))
            .order_by(OwnPost.post_id.desc())
        )
        occurred = self.account.connected_at if not self.account.first_import_done else self.clock.now()
        for index, post in enumerate(posts):
            cursor_name = f"{label}:{post.post_id}"
            token = store.get_cursor(self.account.id, cursor_name)
            full = getattr(post, fetched_column) is None
            while True:
                page = self._request(fetch, post.post_id, pagination_token=token,
                                     max_results=self.options.page_size)
                token = page.next_token
                users = {u["id"]: u for u in page.data}
                with write_transaction(database_proxy):
                    member_of = self.members.resolve(users, self.clock.now())
                    rows = [
                        self._activity_row(kind, member_of[uid], uid, post.post_id, post.post_id, occurred,
                                           True, "", dedup_key(kind, uid, post.post_id, post.post_id))
                        for uid in users if uid in member_of  # not someone forgotten
                    ]
                    fresh = store.insert_activities(self.account.id, rows)
                    self._count(fresh)
                    # Newest first: a page with someone already known means the rest is known too.
                    done = token is None or (not full and len(fresh) < len(rows))
                    store.set_cursor(self.account.id, cursor_name, None if done else token)
                    if done:
                        OwnPost.update({fetched_field: getattr(post, count_column)}).where(
                            OwnPost.id == post.id).execute()
                self._emit(f"post {index + 1} of {len(posts)}", done=index + 1, total=len(posts))
                if done:
                    break

    def _sync_quotes(self) -> None:
        self._stage = "quotes"
        posts = list(
            OwnPost.select(OwnPost.id, OwnPost.post_id, OwnPost.quote_count, OwnPost.quotes_fetched_count)
            .where(OwnPost.account == self.account.id, OwnPost.deleted == False,  # noqa: E712
                   (OwnPost.quotes_fetched_count.is_null() & (OwnPost.quote_count > 0))
                   | (OwnPost.quotes_fetched_count != OwnPost.quote_count))
            .order_by(OwnPost.post_id.desc())
        )
        own_ids = self._own_post_ids()
        for index, post in enumerate(posts):
            cursor_name = f"quote_tweets:{post.post_id}"
            token = store.get_cursor(self.account.id, cursor_name)
            full = post.quotes_fetched_count is None
            while True:
                page = self._request(self.client.get_quotes, post.post_id, pagination_token=token,
                                     max_results=self.options.page_size)
                token = page.next_token
                with write_transaction(database_proxy):
                    fresh, total = self._store_posts_as_activity(page, own_ids, quoted=post.post_id)
                    done = token is None or (not full and fresh < total)
                    store.set_cursor(self.account.id, cursor_name, None if done else token)
                    if done:
                        OwnPost.update(quotes_fetched_count=post.quote_count).where(OwnPost.id == post.id).execute()
                self._emit(f"post {index + 1} of {len(posts)}", done=index + 1, total=len(posts))
                if done:
                    break

    # -- storing posts -------------------------------------------------------

    def _own_post_ids(self) -> set[str]:
        return {pid for (pid,) in OwnPost.select(OwnPost.post_id).where(OwnPost.account == self.account.id).tuples()}

    def _store_posts_as_activity(self, page: Page, own_ids: set[str], quoted: str | None = None) -> tuple[int, int]:
        """Every post but the account's own is one activity. Returns (new, total)."""
        me = self.account.x_user_id
        tweets = [t for t in page.data if t.get("author_id") != me]
        included = page.included_users()
        authors = {t["author_id"]: included.get(t["author_id"]) for t in tweets if t.get("author_id")}
        now = self.clock.now()
        member_of = self.members.resolve(authors, now)
        rows = []
        for tweet in tweets:
            author = tweet.get("author_id")
            if author not in member_of:  # no author, or someone forgotten
                continue
            if quoted is not None:
                kind, target = QUOTE, quoted
            else:
                kind, target = classify(tweet, me, own_ids)
            when = post_time(tweet)
            key = dedup_key(kind, author, tweet["id"], target)
            rows.append(self._activity_row(kind, member_of[author], author, tweet["id"], target, when or now,
                                           when is None, post_text(tweet), key))
        fresh = store.insert_activities(self.account.id, rows)
        self._count(fresh)
        return len(fresh), len(rows)

    def _activity_row(self, kind, member_id, x_user_id, post_id, target, occurred_at, estimated, text, key) -> dict:
        return {
            "account": self.account.id, "member": member_id, "x_user_id": x_user_id, "kind": kind,
            "post_id": post_id, "target_post_id": target, "occurred_at": occurred_at, "estimated": estimated,
            "text": text, "dedup_key": key,
        }

    def _count(self, fresh: list[dict]) -> None:
        """Note new activities in the report and recount their members (inside the page's transaction)."""
        for row in fresh:
            self.report.activities_added[row["kind"]] += 1
            self.report.members_with_new_activity.add(row["member"])
        store.add_to_member_stats(fresh)

    # -- requests, pacing, waits -----------------------------------------------

    def _request(self, call, *args, **kwargs) -> Page:
        """One API call with the app's rate-limit and retry policy."""
        failures = 0
        endpoint = XClient.ENDPOINTS[call.__name__]
        while True:
            if self.cancel.is_set():
                raise SyncCancelled()
            budget = self.options.budget
            if budget is not None and not budget.allows(endpoint):
                raise SyncStopped("budget", budget.message())
            self._pace(endpoint)
            try:
                return call(*args, **kwargs)
            except RateLimited as exc:
                if exc.capped:
                    raise SyncStopped("capped", str(exc)) from None
                if exc.reset_at is None:
                    failures += 1
                    self._back_off(exc, failures)
                else:
                    self._wait_for_window(exc.endpoint, exc.reset_at)
            except XApiError as exc:
                if not exc.retryable:
                    raise
                failures += 1
                self._back_off(exc, failures)

    def _back_off(self, exc: XApiError, failures: int) -> None:
        if failures > self.options.max_retries:
            raise SyncStopped("failed", f"{_sentence(str(exc))} Gave up after {failures} tries; "
                                        "the next sync resumes here.")
        seconds = min(2 ** failures, 60)
        self._wait(exc.endpoint, seconds)

    def _wait_for_window(self, endpoint: str, reset_at: datetime) -> None:
        seconds = (reset_at - self.clock.now()).total_seconds() + 1
        if seconds > self.options.wait_limit_seconds:
            raise SyncStopped(
                "rate_limited",
                f"X's rate limit for {endpoint} resets at {to_iso(reset_at)}; "
                "the next sync after that resumes where this one stopped.",
                resume_after=reset_at,
            )
        self._wait(endpoint, max(seconds, 0))

    def _wait(self, endpoint: str, seconds: float) -> None:
        until = self.clock.now() + timedelta(seconds=seconds)
        self.report.waits.append((endpoint, seconds))
        self._emit(f"waiting for {endpoint}", waiting_until=until)
        if not self.clock.sleep(seconds, self.cancel):
            raise SyncCancelled()

    def _pace(self, endpoint: str) -> None:
        """Wait out a window the last response said is spent, instead of earning a 429."""
        remaining, reset = self._rate.get(endpoint, (None, None))
        if remaining == 0 and reset:
            reset_at = datetime.fromtimestamp(reset, tz=UTC)
            if reset_at > self.clock.now():
                self._wait_for_window(endpoint, reset_at)

    def _log_response(self, endpoint, status, response, page, error) -> None:
        now = self.clock.now()
        self.report.requests[endpoint] += 1
        resource_type = ""
        if page is not None:
            self._rate[endpoint] = (page.rate.remaining, page.rate.reset)
            resource_type = "users" if endpoint in USER_ENDPOINTS else "tweets"
            self.report.resources[resource_type] += len(page.data)
            self.report.resources["includes.users"] += len(page.includes.get("users", []))
            if self.options.budget is not None:
                self.options.budget.note(now, endpoint, [d["id"] for d in page.data],
                                         [u["id"] for u in page.includes.get("users", [])])
        headers = response.headers if response is not None else {}
        resource_ids, included_user_ids = _loggable_ids(endpoint, page) if page else (None, None)
        RequestLog.create(
            account=self.account.id, at=now, utc_day=now.strftime("%Y-%m-%d"), endpoint=endpoint,
            status=status, error=error, resource_type=resource_type,
            resource_ids=resource_ids, included_user_ids=included_user_ids,
            resource_count=len(page.data) if page else 0,
            rate_limit=_int(headers.get("x-rate-limit-limit")),
            rate_remaining=_int(headers.get("x-rate-limit-remaining")),
            rate_reset=_int(headers.get("x-rate-limit-reset")),
        )

    def _emit(self, detail: str, *, done: int = 0, total: int | None = None,
              waiting_until: datetime | None = None) -> None:
        if self.progress_callback is None:
            return
        self.progress_callback(SyncProgress(
            account_id=self.account.id, stage=self._stage, detail=detail, done=done, total=total,
            requests=sum(self.report.requests.values()),
            activities_added=sum(self.report.activities_added.values()),
            members_added=len(self.members.created), waiting_until=waiting_until,
        ))


def _loggable_ids(endpoint: str, page: Page) -> tuple[list[str], list[str]]:
    """A page's resource and included user ids for the request log, leaving out forgotten people.

    Someone who asked to be forgotten is not stored again, so neither their
    user id nor the ids of their posts may be written down (the resource
    count stays whole).
    """
    users = [u["id"] for u in page.includes.get("users", [])]
    if endpoint in USER_ENDPOINTS:
        people = [d["id"] for d in page.data]
    else:
        people = [d["author_id"] for d in page.data if d.get("author_id")]
    gone = suppressed_among(sorted(set(people + users)))
    if endpoint in USER_ENDPOINTS:
        data = [d["id"] for d in page.data if d["id"] not in gone]
    else:
        data = [d["id"] for d in page.data if d.get("author_id") not in gone]
    return data, [u for u in users if u not in gone]


def recent_post_ids(account_id: int, limit: int):
    return (Activity.select(Activity.post_id)
            .where(Activity.account == account_id, Activity.dedup_key.startswith("post:"))
            .order_by(Activity.occurred_at.desc(), Activity.post_id.desc()).limit(limit).tuples())


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _sentence(text: str) -> str:
    """``text`` ending as a sentence does, so the next one can follow it."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else f"{text}."
