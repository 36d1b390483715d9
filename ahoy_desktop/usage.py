"""Usage and estimated cost under X's pay-per-use prices, read from the request log.

X bills each resource read (a post, a user...) once per UTC day, whichever
endpoint returned it. The meter replays the request log in order: every
page's ``data`` ids and ``includes.users`` ids, the first time a (day, kind,
id) appears it costs its price, later sightings that day are free. Includes
are counted apart, so the user sees what expansions cost. Prices come from
the settings (they change); where X's pages disagree the estimate names the
price it used.

The monthly budget is the workspace's: it covers every X account in it.
Sandbox accounts are metered too (what they would cost) but never stopped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from peewee import fn

from .db import get_info, set_info
from .db.models import Account, RequestLog
from .settings import (
    X_DEFAULT_MONTHLY_BUDGET,
    X_OWNS_APP,
    X_PRICE_FOLLOWER,
    X_PRICE_LIKER,
    X_PRICE_OWNED_READ,
    X_PRICE_POST,
    X_PRICE_USER,
    Settings,
)

BUDGET_KEY = "x_monthly_budget"
CAPPED_ERROR = "usage capped"
MENTIONS_REACH = 800  # the mentions timeline's depth
OWN_POSTS_REACH = 3200  # the user timeline's depth

# What one resource of an endpoint's ``data`` is priced as; "owned" ones are owned reads when you own the app.
DATA_PRICE = {
    "users/me": ("user", True),
    "users/:id/mentions": ("post", True),
    "users/:id/tweets": ("post", True),
    "tweets": ("post", True),  # the metrics lookup reads the account's own posts
    "tweets/:id/liking_users": ("liker", False),
    "tweets/:id/retweeted_by": ("user", False),
    "tweets/:id/quote_tweets": ("post", False),
    "users/:id/followers": ("follower", True),
}
USER_DATA = {"users/me", "tweets/:id/liking_users", "tweets/:id/retweeted_by", "users/:id/followers"}


@dataclass(frozen=True)
class Prices:
    post: float = 0.005
    user: float = 0.010
    liker: float = 0.001
    follower: float = 0.010
    owned_read: float = 0.001
    owns_app: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> Prices:
        return cls(settings.get(X_PRICE_POST), settings.get(X_PRICE_USER), settings.get(X_PRICE_LIKER),
                   settings.get(X_PRICE_FOLLOWER), settings.get(X_PRICE_OWNED_READ), settings.get(X_OWNS_APP))

    def data_price(self, endpoint: str) -> tuple[str, float]:
        """(the price's name, dollars) for one resource in an endpoint's ``data``."""
        kind, owned = DATA_PRICE.get(endpoint, ("user" if endpoint.startswith("users") else "post", False))
        if owned and self.owns_app:
            return "owned_read", self.owned_read
        return kind, getattr(self, kind)

    def notes(self) -> list[str]:
        """Codes for the choices made where X's pages disagree; the UI words them."""
        notes = ["liker_as_like"]  # X lists "a like" at one price and user objects at another
        if self.owns_app:
            notes.append("owned_reads")
        return notes


@dataclass
class EndpointUsage:
    endpoint: str
    requests: int = 0
    failed: int = 0  # answered with an error: no resources
    data_read: int = 0
    includes_read: int = 0
    data_billed: int = 0  # first sighting of the UTC day
    includes_billed: int = 0
    data_cost: float = 0.0
    includes_cost: float = 0.0
    price_name: str = ""

    @property
    def cost(self) -> float:
        return self.data_cost + self.includes_cost


@dataclass
class Usage:
    """One account's (or the workspace's) use over a range of UTC days."""

    first_day: str
    last_day: str
    endpoints: dict[str, EndpointUsage] = field(default_factory=dict)
    cost_by_day: dict[str, float] = field(default_factory=dict)
    requests_by_day: dict[str, int] = field(default_factory=dict)
    days: dict[str, dict[str, EndpointUsage]] = field(default_factory=dict)  # UTC day -> endpoint -> figures

    @property
    def requests(self) -> int:
        return sum(e.requests for e in self.endpoints.values())

    @property
    def cost(self) -> float:
        return sum(e.cost for e in self.endpoints.values())

    @property
    def includes_cost(self) -> float:
        return sum(e.includes_cost for e in self.endpoints.values())


class Meter:
    """Adds requests one by one, charging each (day, kind, id) once per account."""

    def __init__(self, prices: Prices):
        self.prices = prices
        self._seen: set[tuple] = set()

    def add(self, usage: Usage, account_id, day: str, endpoint: str, status: int, data_ids, include_ids) -> float:
        data_ids, include_ids = data_ids or [], include_ids or []
        kind = "user" if endpoint in USER_DATA else "post"
        price_name, unit = self.prices.data_price(endpoint)
        fresh_data = self._fresh(account_id, day, kind, data_ids)
        fresh_includes = self._fresh(account_id, day, "user", include_ids)
        data_cost, includes_cost = fresh_data * unit, fresh_includes * self.prices.user
        day_endpoints = usage.days.setdefault(day, {})
        for entry in (usage.endpoints.setdefault(endpoint, EndpointUsage(endpoint, price_name=price_name)),
                      day_endpoints.setdefault(endpoint, EndpointUsage(endpoint, price_name=price_name))):
            entry.requests += 1
            if status >= 400 or status == 0:
                entry.failed += 1
            entry.data_read += len(data_ids)
            entry.includes_read += len(include_ids)
            entry.data_billed += fresh_data
            entry.includes_billed += fresh_includes
            entry.data_cost += data_cost
            entry.includes_cost += includes_cost
        usage.requests_by_day[day] = usage.requests_by_day.get(day, 0) + 1
        usage.cost_by_day[day] = usage.cost_by_day.get(day, 0.0) + data_cost + includes_cost
        return data_cost + includes_cost

    def cost_of(self, account_id, day: str, endpoint: str, data_ids, include_ids) -> float:
        return self.add(Usage(day, day), account_id, day, endpoint, 200, data_ids, include_ids)

    def _fresh(self, account_id, day: str, kind: str, ids: list[str]) -> int:
        count = 0
        for resource_id in ids:
            key = (account_id, day, kind, resource_id)
            if key not in self._seen:
                self._seen.add(key)
                count += 1
        return count


def month_of(now: datetime) -> tuple[str, str]:
    """The first and last UTC day (as ``YYYY-MM-DD``) of the month holding ``now``."""
    first = now.strftime("%Y-%m-01")
    return first, now.strftime("%Y-%m-31")  # day strings sort: "-31" bounds every month


def usage(account_ids: list[int] | None, first_day: str, last_day: str, prices: Prices) -> Usage:
    """Use over ``first_day``..``last_day`` (UTC, inclusive) of these accounts (all X accounts if None)."""
    result = Usage(first_day, last_day)
    meter = Meter(prices)
    query = (RequestLog.select(RequestLog.account, RequestLog.utc_day, RequestLog.endpoint, RequestLog.status,
                               RequestLog.resource_ids, RequestLog.included_user_ids)
             .where(RequestLog.utc_day >= first_day, RequestLog.utc_day <= last_day)
             .order_by(RequestLog.id))
    if account_ids is None:
        query = query.join(Account).where(Account.credential_kind == "x")
    else:
        query = query.where(RequestLog.account.in_(account_ids))
    for row in query.namedtuples():
        meter.add(result, row.account, row.utc_day, row.endpoint, row.status, _ids(row.resource_ids),
                  _ids(row.included_user_ids))
    return result


def account_usage(account_id: int, now: datetime, prices: Prices) -> tuple[Usage, Usage]:
    """(today, this month) for one account, in UTC days as X bills them."""
    today = now.strftime("%Y-%m-%d")
    first, last = month_of(now)
    return usage([account_id], today, today, prices), usage([account_id], first, last, prices)


# -- the workspace's monthly budget -------------------------------------------------------


def monthly_budget(settings: Settings) -> float:
    """Dollars per month for the workspace's X accounts; 0 means no budget."""
    value = get_info(BUDGET_KEY)
    try:
        return max(0.0, float(value)) if value is not None else settings.get(X_DEFAULT_MONTHLY_BUDGET)
    except ValueError:
        return settings.get(X_DEFAULT_MONTHLY_BUDGET)


def set_monthly_budget(dollars: float) -> None:
    if dollars < 0:
        raise ValueError("The monthly budget cannot be negative.")
    set_info(BUDGET_KEY, repr(float(dollars)))


def month_cost(now: datetime, prices: Prices) -> float:
    first, last = month_of(now)
    return usage(None, first, last, prices).cost


def capped_this_month(now: datetime) -> bool:
    """X said this month's cap is reached (it covers the developer app: every X account here)."""
    first, last = month_of(now)
    return (RequestLog.select().join(Account)
            .where(Account.credential_kind == "x", RequestLog.status == 429, RequestLog.error == CAPPED_ERROR,
                   RequestLog.utc_day >= first, RequestLog.utc_day <= last).exists())


def next_month_start(now: datetime) -> datetime:
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return now.replace(year=year, month=month, day=1, hour=0, minute=0, second=0, microsecond=0)


# -- the first import's estimate ------------------------------------------------------------


@dataclass(frozen=True)
class ImportEstimate:
    """An upper bound from X's own limits and what users/me tells; likers and retweeters come on top."""

    mention_posts: int
    own_posts: int
    users: int
    cost: float


def estimate_first_import(user: dict, prices: Prices) -> ImportEstimate:
    metrics = user.get("public_metrics") or {}
    own = min(int(metrics.get("tweet_count") or 0), OWN_POSTS_REACH)
    mentions = MENTIONS_REACH
    authors = MENTIONS_REACH  # at most one new author per mention
    _, post_price = prices.data_price("users/:id/mentions")
    _, own_price = prices.data_price("users/:id/tweets")
    _, me_price = prices.data_price("users/me")
    cost = mentions * post_price + own * own_price + authors * prices.user + me_price
    return ImportEstimate(mentions, own, authors + 1, round(cost, 4))


# -- stopping a sync before it passes the budget --------------------------------------------


class BudgetGuard:
    """Asked before every request of an X account's sync; told the cost of every answer.

    It stops when the month's estimate plus the most the next page could cost
    would pass the budget, so the budget is never crossed by a whole page.
    """

    def __init__(self, account_id: int, budget: float, prices: Prices, now: datetime, page_size: int = 100):
        self.account_id = account_id
        self.budget = budget
        self.prices = prices
        self.page_size = page_size
        self.meter = Meter(prices)
        first, last = month_of(now)
        self.spent = usage(None, first, last, prices).cost
        self.last_seen = RequestLog.select(fn.MAX(RequestLog.id)).scalar() or 0
        today = now.strftime("%Y-%m-%d")
        for row in self._x_requests().where(RequestLog.utc_day == today, RequestLog.id <= self.last_seen):
            self._charge(row)  # what was read today is not charged again today

    def worst_case(self, endpoint: str) -> float:
        _, unit = self.prices.data_price(endpoint)
        includes = self.prices.user if endpoint in ("users/:id/mentions", "tweets/:id/quote_tweets") else 0.0
        return self.page_size * (unit + includes)

    def allows(self, endpoint: str) -> bool:
        if self.budget <= 0:
            return True
        self._add_other_syncs()
        return self.spent + self.worst_case(endpoint) <= self.budget

    def _add_other_syncs(self) -> None:
        """Another account's sync (in this process or a scheduled one) spends from the same budget meanwhile."""
        for row in self._x_requests().where(RequestLog.id > self.last_seen, RequestLog.account != self.account_id):
            self.spent += self._charge(row)
            self.last_seen = max(self.last_seen, row.id)

    def _x_requests(self):
        return (RequestLog.select(RequestLog.id, RequestLog.account, RequestLog.utc_day, RequestLog.endpoint,
                                  RequestLog.resource_ids, RequestLog.included_user_ids)
                .join(Account).where(Account.credential_kind == "x").order_by(RequestLog.id).namedtuples())

    def _charge(self, row) -> float:
        return self.meter.cost_of(row.account, row.utc_day, row.endpoint, _ids(row.resource_ids),
                                  _ids(row.included_user_ids))

    def note(self, now: datetime, endpoint: str, data_ids: list[str], include_ids: list[str]) -> None:
        self.spent += self.meter.cost_of(self.account_id, now.strftime("%Y-%m-%d"), endpoint, data_ids, include_ids)

    def message(self) -> str:
        return (f"This month's estimated X cost (${self.spent:.2f}) would pass the workspace's budget "
                f"(${self.budget:.2f}); syncing stops until the budget is raised or the month ends.")


def _ids(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = json.loads(value)
    return [str(v) for v in value] if isinstance(value, list) else []
