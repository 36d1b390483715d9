"""The "Try with sample data" world: a community around @ahoyhq, made up but real-shaped.

``generate_sample_world(anchor)`` returns a sandbox world (format
``ahoy-sandbox-world/1``, see corpus/WORLD-FORMAT.md) whose objects have the
shapes X API v2 sends. The world is simulated as one timeline running from 90
days before ``anchor`` to 30 days after it; whatever happens up to ``anchor``
is the initial state, the rest becomes ``events``, so replies, likes and
quotes keep arriving on the newest posts after the workspace is created.

Same ``(anchor, seed)``, same world: everything comes from one
``random.Random(seed)`` drawn in a fixed order, never from the wall clock.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime

from ahoy_desktop.clock import utc
from ahoy_desktop.sandbox import sample_data as D
from ahoy_desktop.sandbox.sample_people import (
    DAY,
    MENTION_RE,
    TCO_RE,
    People,
    escape,
    find_entities,
    iso,
    snowflake,
)

FORMAT = "ahoy-sandbox-world/1"
HISTORY_DAYS = 90
FUTURE_DAYS = 30
N_USERS = 2000
N_CORE = 100
PAST_ORIGINAL_POSTS = 114
HOUR = 3600

# Relative activity by UTC hour: the community spans Asia, Europe and the Americas.
_HOURS = [4, 3, 3, 4, 4, 4, 5, 6, 8, 9, 9, 9, 9, 10, 10, 10, 10, 9, 8, 8, 7, 6, 5, 4]
# The account posts in Lisbon office hours.
_OWN_HOURS = [0, 0, 0, 0, 0, 0, 0, 1, 4, 7, 9, 9, 8, 9, 10, 10, 9, 8, 6, 4, 2, 1, 0, 0]
_KIND_WEIGHTS = {"tip": 14, "spotlight": 16, "event": 22, "blog": 8, "question": 6, "fun": 10, "community": 16}
_LIKE_MULT = {
    "release": 2.2,
    "patch": 0.8,
    "milestone": 4.0,
    "long": 2.5,
    "thread": 2.0,
    "hiring": 1.6,
    "incident": 0.6,
    "resolved": 0.8,
    "spotlight": 1.3,
    "blog": 1.2,
    "fun": 1.5,
    "launch": 2.5,
}
_SCAM_HANDLE = "ahoyhq_helpdesk"
_ZERO_METRICS = {
    "retweet_count": 0,
    "reply_count": 0,
    "like_count": 0,
    "quote_count": 0,
    "bookmark_count": 0,
    "impression_count": 0,
}
_LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"
_VIDEO_ID = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def generate_sample_world(anchor: datetime, seed: int = 20261203) -> dict:
    """The sample world as of ``anchor`` (the moment the workspace was made), with events after it."""
    return _Builder(anchor, seed).build()


class _Builder:
    def __init__(self, anchor: datetime, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.now = int(utc(anchor).timestamp())
        self.start = self.now - HISTORY_DAYS * DAY
        self.end = self.now + FUTURE_DAYS * DAY
        self.tco: dict[str, str] = {}
        self.people = People(self.rng, self.now, self.tco)
        self.users: dict[str, dict] = {}
        self.meta: dict[str, dict] = {}
        self.ranked: list[str] = []
        self.ids_by_handle: dict[str, str] = {}
        self.renames: dict[str, list[tuple[int, str]]] = {}
        self.tweet_ids: set[str] = set()
        self.records: list[dict] = []
        self.likes: list[tuple[int, str, str]] = []
        self.retweets: list[tuple[int, str, str]] = []
        self.likers: dict[str, set[str]] = {}
        self.retweeters: dict[str, set[str]] = {}
        self.own_texts: set[str | tuple[str, str]] = set()
        self.template_uses: dict[str, int] = {}
        self.user_events: list[tuple[int, dict]] = []
        self.tweet_errors: dict[str, list[dict]] = {}
        self.versions: list[tuple[int, str]] = []
        self.active: set[str] = set()

    # --- the whole world -----------------------------------------------------

    def build(self) -> dict:
        self._make_me()
        self._make_users()
        self._plan_user_changes()
        self._make_own_posts()
        self._make_mentions()
        self._make_special_tweets()
        self._make_new_people()
        self._cover_everyone()
        return self._assemble()

    # --- people --------------------------------------------------------------

    def _make_me(self) -> None:
        created = int(datetime.fromisoformat(D.ME["created_at"].replace("Z", "+00:00")).timestamp())
        self.people.claim_handle(D.ME["username"])
        link = self.people.tco_link(D.ME["website"])
        me = {
            "id": self.people.user_id(created),
            "name": D.ME["name"],
            "username": D.ME["username"],
            "created_at": D.ME["created_at"],
            "description": D.ME["description"],
            "location": D.ME["location"],
            "url": link,
            "profile_image_url": self.people.avatar(created),
            "protected": False,
            "public_metrics": dict(D.ME["public_metrics"]),
            "verified": True,
            "verified_type": "business",
        }
        me["entities"] = {
            "url": {"urls": find_entities(link, None, self.tco)["urls"]},
            "description": find_entities(me["description"], None, self.tco),
        }
        self.me = me
        self.ids_by_handle[me["username"].lower()] = me["id"]

    def _make_users(self) -> None:
        rng, people = self.rng, self.people
        orgs = [people.org(spec) for spec in D.ORGS]
        persons = [people.person() for _ in range(N_USERS - len(D.ORGS))]
        rng.shuffle(persons)
        # Organisations are moderately active; nobody is protected or bare in the core.
        slots = sorted(rng.sample(range(30, 600), len(orgs)))
        ordered = list(persons)
        for pos, org in zip(slots, orgs, strict=False):
            ordered.insert(pos, org)
        org_ids = {u["id"] for u, _ in orgs}
        for rank, (user, meta) in enumerate(ordered):
            meta["rank"] = rank
            meta["org"] = user["id"] in org_ids
            if not meta["org"]:
                r = rng.random()
                if rank >= N_CORE and r < 0.05:
                    meta["profile"] = "minimal"
                elif rank >= N_CORE and r < 0.11:
                    meta["profile"] = "partial"
                    people.fill(user, meta, partial=True)
                else:
                    meta["profile"] = "full"
                    people.fill(
                        user, meta, verified_type="blue" if rng.random() < (0.15 if rank < N_CORE else 0.06) else None
                    )
                    if rank < N_CORE:
                        user["public_metrics"] = people.metrics(meta["created_ts"], followers_mu=6.0)
                    elif rng.random() < 0.012:
                        user["protected"] = True
            else:
                meta["profile"] = "full"
            self.users[user["id"]] = user
            self.meta[user["id"]] = meta
            self.ranked.append(user["id"])
            self.ids_by_handle[user["username"].lower()] = user["id"]
        # A few well-known people with big audiences.
        for uid in [self.ranked[7]] + rng.sample(self.ranked[N_CORE:1500], 7):
            user = self.users[uid]
            if self.meta[uid]["profile"] != "full" or self.meta[uid]["org"]:
                continue
            pm = user["public_metrics"]
            pm["followers_count"] = int(rng.uniform(50000, 260000))
            pm["listed_count"] = int(pm["followers_count"] * rng.uniform(0.005, 0.02))
            pm["tweet_count"] = max(pm["tweet_count"], rng.randint(9000, 60000))
            user["protected"] = False
            user["verified"], user["verified_type"] = True, "blue"
        # One account withheld in one country, as X marks them.
        withheld = next(
            uid
            for uid in self.ranked[N_CORE + 400 :]
            if self.meta[uid]["profile"] == "full" and not self.users[uid]["protected"]
        )
        self.users[withheld]["withheld"] = {"country_codes": ["RU"]}

        def weights(exp: float, offset: int, who) -> list[float]:
            return [(r + offset) ** -exp if who(uid) else 0.0 for r, uid in enumerate(self.ranked)]

        def can_write(uid: str) -> bool:
            return (
                self.meta[uid]["profile"] == "full" and not self.meta[uid]["org"] and not self.users[uid]["protected"]
            )

        self.author_cum = _cumulative(weights(1.15, 12, can_write))
        self.liker_cum = _cumulative(weights(0.6, 40, lambda uid: True))
        self.retweeter_cum = _cumulative(weights(0.8, 20, lambda uid: True))
        self.core_writers = [uid for uid in self.ranked[:N_CORE] if not self.meta[uid]["org"]]

    def _plan_user_changes(self) -> None:
        """Profile changes after the anchor, decided up front so texts use the right handle."""
        rng, core = self.rng, self.core_writers
        midnight = self.now - self.now % DAY

        def at(day: int, hour: int, minute: int) -> int:
            return midnight + day * DAY + hour * HOUR + minute * 60

        def changed(uid: str, ts: int, **fields) -> None:
            user = _clone(self.users[uid])
            user.update(fields)
            if "description" in fields:
                user.get("entities", {}).pop("description", None)
                found = find_entities(user["description"], None, self.tco)
                if found:
                    user.setdefault("entities", {})["description"] = found
            self.user_events.append((ts, user))

        changed(core[1], at(2, 15, 31), description=D.NEW_BIO)
        star = self.ranked[7]
        pm = dict(
            self.users[star]["public_metrics"],
            followers_count=self.users[star]["public_metrics"]["followers_count"] + rng.randint(1200, 2600),
        )
        changed(star, at(5, 18, 4), public_metrics=pm)
        # A new handle for a very active member.
        mover = core[2]
        given = self.meta[mover]["given"][:9] or "crew"
        new = None
        for candidate in [f"{given}builds", f"{given}_ships", f"hey{given}", f"{given}ops{rng.randint(1, 99)}"]:
            new = self.people.claim_handle(candidate)
            if new:
                break
        ts = at(8, 10, 5)
        self.renames[mover] = [(ts, new)]
        self.ids_by_handle[new.lower()] = mover
        changed(mover, ts, username=new)
        # The same handle, different capitals.
        recase = next(
            uid
            for uid in core[3:]
            if self.users[uid]["username"].islower()
            and self.users[uid]["username"].title() != self.users[uid]["username"]
        )
        ts = at(13, 9, 40)
        self.renames[recase] = [(ts, self.users[recase]["username"].title())]
        changed(recase, ts, username=self.users[recase]["username"].title())
        viral = core[5]
        pm = dict(self.users[viral]["public_metrics"])
        pm["followers_count"] = int(pm["followers_count"] * 1.8) + 300
        changed(viral, at(17, 20, 15), public_metrics=pm)
        festive = core[6]
        month = datetime.fromtimestamp(at(20, 12, 0), UTC).month
        changed(festive, at(20, 12, 0), name=self.users[festive]["name"] + (" 🎄" if month == 12 else " 🌴"))
        changed(core[9], at(23, 8, 30), location=D.NEW_LOCATION)

    def _make_new_people(self) -> None:
        """Two people who join X after the anchor and show up soon after."""
        for index, (day, lang) in enumerate([(4, "en"), (15, "ja")]):
            created = self.now + day * DAY + self.rng.randint(HOUR, 20 * HOUR)
            user, meta = self.people.person(created_ts=created, alias_ok=False, culture=lang)
            self.people.fill(user, meta)
            user["public_metrics"] = {
                "followers_count": self.rng.randint(0, 9),
                "following_count": self.rng.randint(20, 90),
                "tweet_count": 1,
                "listed_count": 0,
                "like_count": self.rng.randint(3, 30),
            }
            user["description"] = "" if index else "Backend dev, side projects on weekends"
            user.get("entities", {}).pop("description", None)
            meta.update(rank=N_USERS + index, org=False, profile="full")
            uid = user["id"]
            self.meta[uid] = meta
            self.ids_by_handle[user["username"].lower()] = uid
            self.user_events.append((created, user))
            hello_lang, hello = D.NEW_PEOPLE_HELLO[index]
            ts = created + self.rng.randint(18, 30) * HOUR
            self._tweet(ts, uid, hello.format(me=self.me["username"]), hello_lang)
            posts = [r for r in self.records if r["_own"] and r["_ts"] < ts + 3 * DAY and r["_ts"] > ts - 5 * DAY]
            for post in self.rng.sample(posts, min(3, len(posts))):
                self._like(post, uid, max(ts, post["_ts"]) + self.rng.randint(60, 2 * DAY))

    def handle(self, uid: str, ts: int) -> str:
        if uid == self.me["id"]:
            return self.me["username"]
        name = self.users[uid]["username"] if uid in self.users else self._late_handle(uid)
        for when, new in self.renames.get(uid, ()):
            if ts >= when:
                name = new
        return name

    def _late_handle(self, uid: str) -> str:
        return next(u["username"] for _, u in self.user_events if u["id"] == uid)

    def lang_of(self, uid: str) -> str:
        meta = self.meta[uid]
        return meta["lang"] if self.rng.random() < meta["native"] else "en"

    def _author(self, exclude: set[str] | None = None) -> str:
        for _ in range(20):
            uid = self.rng.choices(self.ranked, cum_weights=self.author_cum)[0]
            if not exclude or uid not in exclude:
                return uid
        return uid

    # --- tweets --------------------------------------------------------------

    def _new_id(self, ts: int) -> str:
        while True:
            tid = str(snowflake(ts * 1000 + self.rng.randrange(1000), self.rng.getrandbits(22)))
            if tid not in self.tweet_ids:
                self.tweet_ids.add(tid)
                return tid

    def _tweet(
        self,
        ts: int,
        author: str,
        raw: str,
        lang: str,
        *,
        reply_to: dict | None = None,
        quote_of: dict | None = None,
        rt_of: dict | None = None,
        own: bool = False,
        mention: bool = True,
        long: bool = False,
    ) -> dict:
        """A tweet object as X sends it, plus private ``_`` keys the builder uses."""
        tid = self._new_id(ts)
        shown = _truncate(raw) if long else raw
        text = escape(shown)
        t: dict = {"id": tid, "text": text, "author_id": author, "created_at": iso(ts)}
        t["conversation_id"] = reply_to["conversation_id"] if reply_to else tid
        if reply_to:
            t["in_reply_to_user_id"] = reply_to["author_id"]
            t["referenced_tweets"] = [{"type": "replied_to", "id": reply_to["id"]}]
        elif quote_of:
            t["referenced_tweets"] = [{"type": "quoted", "id": quote_of["id"]}]
        elif rt_of:
            t["referenced_tweets"] = [{"type": "retweeted", "id": rt_of["id"]}]
        entities = find_entities(text, self.ids_by_handle, self.tco)
        if entities:
            t["entities"] = entities
        if long:
            full = escape(raw)
            t["note_tweet"] = {"text": full}
            note_entities = find_entities(full, self.ids_by_handle, self.tco)
            if note_entities:
                t["note_tweet"]["entities"] = note_entities
        if not any(ch.isalpha() for ch in TCO_RE.sub("", MENTION_RE.sub("", shown))):
            lang = "und"
        t.update(lang=lang, edit_history_tweet_ids=[tid], possibly_sensitive=False, reply_settings="everyone")
        t.update(
            _ts=ts,
            _own=own,
            _mention=mention,
            _raw=raw,
            _reply_to=reply_to["id"] if reply_to else None,
            _quote_of=quote_of["id"] if quote_of else None,
            _rt_of=rt_of["id"] if rt_of else None,
        )
        self.records.append(t)
        self.active.add(author)
        return t

    def _like(self, post: dict, uid: str, ts: int) -> bool:
        seen = self.likers.setdefault(post["id"], set())
        if uid in seen or ts > self.end:
            return False
        seen.add(uid)
        self.likes.append((ts, post["id"], uid))
        self.active.add(uid)
        return True

    def _retweet(self, post: dict, uid: str, ts: int) -> bool:
        seen = self.retweeters.setdefault(post["id"], set())
        if uid in seen or ts > self.end:
            return False
        seen.add(uid)
        self.retweets.append((ts, post["id"], uid))
        self.active.add(uid)
        return True

    def _delay(self, median_hours: float = 3.0, sigma: float = 1.5) -> int:
        if self.rng.random() < 0.05:
            return int(self.rng.uniform(2, 20) * DAY)
        return max(45, int(self.rng.lognormvariate(math.log(median_hours * HOUR), sigma)))

    def _at_hour(self, day_start: int, hours: list[int]) -> int:
        hour = self.rng.choices(range(24), weights=hours)[0]
        return day_start + hour * HOUR + self.rng.randrange(HOUR)

    # --- the account's posts --------------------------------------------------

    def _make_own_posts(self) -> None:
        rng = self.rng
        midnight = self.now - self.now % DAY

        def day(offset: int) -> int:
            return midnight + offset * DAY

        plan: list[tuple[int, str, dict]] = []
        # Releases every twelve days or so; odd ones are patches.
        release_days = [-88, -76, -64, -52, -40, -28, -16, -4]
        for i, offset in enumerate(release_days):
            ts = day(offset) + rng.randint(13 * HOUR, 16 * HOUR)
            plan.append((ts, "release", {"index": i, "long": offset == -40}))
        plan += [
            (day(-47) + 8 * HOUR + 40 * 60, "incident", {"template": 0}),
            (day(-47) + 10 * HOUR + 31 * 60, "resolved", {"template": 0}),
            (day(-43) + 15 * HOUR + 2 * 60, "long", {"template": 1}),
            (day(-12) + 17 * HOUR + 20 * 60, "incident", {"template": 1}),
            (day(-12) + 19 * HOUR + 48 * 60, "resolved", {"template": 1}),
            (day(-33) + 16 * HOUR, "thread", {}),
            (day(-70) + 11 * HOUR + 5 * 60, "hiring", {"template": 0}),
            (day(-45) + 14 * HOUR + 30 * 60, "hiring", {"template": 1}),
            (day(-19) + 9 * HOUR + 15 * 60, "hiring", {"template": 2}),
            (day(-80) + 16 * HOUR + 45 * 60, "milestone", {"template": 1, "hit": (250, 360)}),
            (day(-58) + 15 * HOUR + 12 * 60, "milestone", {"template": 0, "hit": (430, 620)}),
            (day(-42) + 10 * HOUR, "event", {"template": 3, "conf": "ShipItConf"}),
            (day(-61) + 9 * HOUR + 30 * 60, "event_ja", {"template": 0}),
            (day(-25) + 13 * HOUR, "event_pt", {"template": 0}),
            (day(-2) + 14 * HOUR + 10 * 60, "long", {"template": 2}),
        ]
        taken = [ts for ts, _, _ in plan]
        kinds = list(_KIND_WEIGHTS)
        while len(plan) < PAST_ORIGINAL_POSTS:
            offset = rng.randint(-HISTORY_DAYS, 0)
            if _weekday(day(offset)) >= 5 and rng.random() < 0.7:
                continue
            ts = self._at_hour(day(offset), _OWN_HOURS)
            if not self.start < ts < self.now - 20 * 60 or any(abs(ts - t) < 40 * 60 for t in taken):
                continue
            taken.append(ts)
            plan.append((ts, rng.choices(kinds, weights=[_KIND_WEIGHTS[k] for k in kinds])[0], {}))
        # After the anchor: launch week, a patch, and the usual rhythm.
        launch = next(d for d in range(8, 15) if _weekday(day(d)) == 0)
        for n in range(5):
            plan.append(
                (
                    day(launch + n) + 15 * HOUR + rng.randint(0, 20) * 60,
                    "launch",
                    {"template": n, "index": 8 if n == 0 else None},
                )
            )
        plan += [
            (day(2) + 11 * HOUR + 3 * 60, "event", {"template": 0}),
            (day(5) + 16 * HOUR + 22 * 60, "tip", {}),
            (day(17) + 14 * HOUR + 41 * 60, "blog", {}),
            (day(20) + 17 * HOUR + 5 * 60, "fun", {}),
            (day(21) + 10 * HOUR + 12 * 60, "spotlight", {}),
            (day(24) + 15 * HOUR + 30 * 60, "release", {"index": 9}),
            (day(27) + 16 * HOUR, "milestone", {"template": 2}),
            (day(29) + 9 * HOUR + 50 * 60, "question", {}),
        ]
        plan.sort(key=lambda item: item[0])
        for ts, kind, extra in plan:
            if kind in ("release", "launch") and extra.get("index") is not None:
                self.versions.append((ts, _version(extra["index"])))
        edited = False
        for ts, kind, extra in plan:
            if kind == "thread":
                self._thread(ts)
                continue
            post = self._own_post(ts, kind, extra)
            if kind == "tip" and not edited and ts < self.now - 30 * DAY:
                edited = True
                self._mark_edited(post)
            self._engage(post, extra)
        self.deleted_post = next(r for r in self.records if r["_own"] and r.get("_kind") == "hiring")

    def _version_at(self, ts: int, previous: bool = False) -> str:
        done = ["v3.3.1", "v3.3.2"] + [v for t, v in self.versions if t <= ts]
        return done[-2] if previous else done[-1]

    def _own_post(self, ts: int, kind: str, extra: dict) -> dict:
        rng = self.rng
        slots = _Slots(self, ts, kind)
        if extra.get("conf"):
            slots["conf"] = extra["conf"]
        long = kind == "long" or extra.get("long", False)
        lang = {"event_ja": "ja", "event_pt": "pt"}.get(kind, "en")
        if kind == "release":
            slots["version"] = _version(extra["index"])
            slots["prev_version"] = _version(extra["index"] - 1) if extra["index"] else "v3.3.2"
            minors = [t for i, t in enumerate(D.OWN_POSTS["release"]) if i != 4]
            if long:
                template = D.LONG_OWN_POSTS[0]
            elif extra["index"] % 2:
                template = D.OWN_POSTS["release"][4]
            else:
                template = rng.choice([t for t in minors if t not in self.template_uses] or minors)
                self.template_uses[template] = 1
            templates = [template]
        elif kind == "launch":
            templates = [D.LAUNCH_POSTS[extra["template"]]]
            slots["day"] = str(extra["template"] + 1)
            if extra["template"] == 0:
                slots["version"] = _version(8)
        elif kind == "long":
            templates = [D.LONG_OWN_POSTS[extra["template"]]]
            slug = ["changelog", "postmortem-eu-west-builds", "year-in-numbers"][extra["template"]]
            slots["link"] = self.people.tco_link("https://ahoy.dev/blog/" + slug)
        elif "template" in extra:
            templates = [D.OWN_POSTS[kind][extra["template"]]]
            if kind == "hiring":
                slots["careers"] = self.people.tco_link(
                    "https://ahoy.dev/careers/" + D.CAREERS_SLUGS[extra["template"]]
                )
        else:
            templates = D.OWN_POSTS[kind]
        if len(templates) > 1:
            raw, kind, slots = self._fresh_post(ts, kind, slots)
        else:
            raw = templates[0].format_map(slots)
        post = self._tweet(ts, self.me["id"], raw, lang, own=True, mention=False, long=long)
        post["_kind"] = "patch" if kind == "release" and extra["index"] % 2 == 1 else kind
        post["_slots"] = slots
        return post

    def _fresh_post(self, ts: int, kind: str, slots: _Slots) -> tuple[str, str, _Slots]:
        """A post of ``kind`` (or another kind once that one runs dry) unlike any posted before.

        One-off templates are used once, recurring ones up to their cap in ``RECURRING``; X
        refuses a repeated text, and the same feature twice in one template would read oddly.
        A template that keeps coming out the same is retired.
        """
        rng = self.rng

        def free(kind: str) -> list[str]:
            return [t for t in D.OWN_POSTS[kind] if self.template_uses.get(t, 0) < D.RECURRING.get(t, 1)]

        for _ in range(60):
            if not free(kind):
                kinds = [k for k in _KIND_WEIGHTS if free(k)]
                kind = rng.choices(kinds, weights=[_KIND_WEIGHTS[k] for k in kinds])[0]
                slots = _Slots(self, ts, kind)
            template = rng.choice(free(kind))
            raw = template.format_map(slots)
            seen = (template, slots["feature"]) if "{feature}" in template else raw
            if raw not in self.own_texts and seen not in self.own_texts:
                self.template_uses[template] = self.template_uses.get(template, 0) + 1
                self.own_texts |= {raw, seen}
                return raw, kind, slots
            if raw in self.own_texts:
                self.template_uses[template] = D.RECURRING.get(template, 1)
            slots = _Slots(self, ts, kind)
        raise RuntimeError("the sample world ran out of post templates")  # pragma: no cover

    def _mark_edited(self, post: dict) -> None:
        """An edited post: X lists the versions, and the post's id is the latest one."""
        first_ts = post["_ts"] - self.rng.randint(90, 600)
        first = self._new_id(first_ts)
        post["edit_history_tweet_ids"] = [first, post["id"]]
        post["edit_controls"] = {"edits_remaining": 4, "is_edit_eligible": True, "editable_until": iso(first_ts + HOUR)}

    def _thread(self, ts: int) -> None:
        """A thread: the account replies to itself, and X files those replies under its mentions too."""
        link = self.people.tco_link("https://ahoy.dev/blog/400-prs-a-day")
        head = self._tweet(ts, self.me["id"], D.THREAD[0], "en", own=True, mention=False)
        head["_kind"], head["_slots"] = "thread", _Slots(self, ts, "thread")
        self._engage(head, {})
        parent = head
        for i, text in enumerate(D.THREAD[1:], start=1):
            parent = self._tweet(
                ts + 60 * i + self.rng.randint(5, 50),
                self.me["id"],
                text.format(link=link),
                "en",
                reply_to=parent,
                own=True,
                mention=True,
            )
            parent["_kind"] = "self_reply"
            for _ in range(self.rng.randint(4, 25)):
                self._like(parent, self._liker(), parent["_ts"] + self._delay(5))

    def _liker(self) -> str:
        return self.rng.choices(self.ranked, cum_weights=self.liker_cum)[0]

    def _engage(self, post: dict, extra: dict) -> None:
        """Likes, retweets, replies and quotes for one of the account's posts."""
        rng = self.rng
        kind = post["_kind"]
        if "hit" in extra:
            likes = rng.randint(*extra["hit"])
        else:
            likes = int(rng.lognormvariate(2.65, 0.95) * _LIKE_MULT.get(kind, 1.0)) + rng.randint(0, 3)
            if kind == "launch" and extra.get("template") == 4:
                likes = rng.randint(220, 300)
            if post.get("note_tweet") and kind in ("release", "patch"):
                likes = rng.randint(260, 380)
        if kind in ("release", "milestone", "launch", "long"):
            likes = max(likes, rng.randint(18, 40))
        likes = min(likes, 900)
        rt_share = rng.uniform(0.05, 0.2) * (
            1.6 if kind in ("release", "blog", "hiring", "milestone", "launch") else 1.0
        )
        retweets = round(likes * rt_share)
        reply_share = rng.uniform(0.08, 0.2) * {"question": 2.5, "incident": 2.0, "hiring": 1.3}.get(kind, 1.0)
        replies = round(likes * reply_share) + (rng.randint(3, 8) if kind == "question" else 0)
        quotes = round(likes * rng.uniform(0.0, 0.05)) + (rng.randint(2, 6) if likes > 200 else 0)
        ts0 = post["_ts"]
        for _ in range(likes):
            ts = ts0 + self._delay()
            for _ in range(8):
                if ts > self.end or self._like(post, self._liker(), ts):
                    break
        got = 0
        for _ in range(retweets * 6):
            if got >= retweets:
                break
            uid = self.rng.choices(self.ranked, cum_weights=self.retweeter_cum)[0]
            ts = ts0 + self._delay(2.0)
            if self._retweet(post, uid, ts):
                got += 1
                if (
                    rng.random() < 0.035
                    and self.meta[uid]["profile"] != "minimal"
                    and not self.users[uid].get("protected")
                ):
                    self._rt_tweet(post, uid, ts)
        repliers: set[str] = set()
        for _ in range(replies):
            uid = self._author(repliers)
            repliers.add(uid)
            self._reply(post, uid, ts0 + self._delay(2.0, 1.6))
        for _ in range(quotes):
            self._quote(post, self._author(), ts0 + self._delay(4.0))

    def _rt_tweet(self, post: dict, uid: str, ts: int) -> None:
        raw = f"RT @{self.me['username']}: " + post["_raw"]
        if len(raw) > 140:
            raw = raw[:139].rsplit(" ", 1)[0] + "…"
        self._tweet(ts, uid, raw, post["lang"], rt_of=post)

    # --- replies and quotes --------------------------------------------------

    def _reply(self, post: dict, uid: str, ts: int) -> None:
        if ts > self.end:
            return
        rng = self.rng
        lang = self.lang_of(uid)
        body = self._reply_body(post, lang, ts)
        if body is None:
            lang, body = "en", self._reply_body(post, "en", ts)
        me = self.me["username"]
        reply = self._tweet(ts, uid, f"@{me} {body}", lang, reply_to=post)
        r = rng.random()
        if r < 0.055:
            self._own_reply(reply, ts + self._delay(0.7, 1.2))
        elif r < 0.14:
            other = self._author({uid})
            lang, text = rng.choice(D.NESTED_REPLIES)
            if lang != "en" and self.meta[other]["lang"] != lang:
                lang, text = rng.choice(D.NESTED_REPLIES[:9])
            ts2 = ts + self._delay(1.5)
            if ts2 <= self.end:
                self._tweet(ts2, other, f"@{self.handle(uid, ts2)} @{me} {text}", lang, reply_to=reply)

    def _reply_body(self, post: dict, lang: str, ts: int) -> str | None:
        rng = self.rng
        kind = post["_kind"]
        kind = {"patch": "release", "launch": "release", "long": "blog", "self_reply": "thread"}.get(kind, kind)
        slots = _Slots(self, ts, kind)
        slots.update(post.get("_slots") or {})
        if "_member_uid" in slots:
            slots["member"] = self.handle(slots["_member_uid"], ts)
        if kind in ("event_ja", "event_pt") and lang == kind[-2:]:
            pool = D.REPLIES_EN[kind]
        elif lang == "en":
            specific = D.REPLIES_EN.get(kind)
            pool = specific if specific and rng.random() < 0.75 else D.REPLIES_EN["generic"]
        elif lang in D.GENERIC_NATIVE:
            pool = D.GENERIC_NATIVE[lang]
        else:
            return None
        text = rng.choice(pool)
        if "{member}" in text and not slots.get("member"):
            text = rng.choice(D.REPLIES_EN["generic"])
        return text.format_map(slots)

    def _own_reply(self, reply: dict, ts: int) -> None:
        """The account answers a member; the answer is its own post, not a mention."""
        if ts > self.end:
            return
        rng = self.rng
        uid = reply["author_id"]
        native = D.OWN_REPLIES_NATIVE.get(reply["lang"])
        if native and rng.random() < 0.6:
            text, lang = native, reply["lang"]
        else:
            text, lang = rng.choice(D.OWN_REPLIES).format_map(_Slots(self, ts, "reply")), "en"
        mine = self._tweet(
            ts, self.me["id"], f"@{self.handle(uid, ts)} {text}", lang, reply_to=reply, own=True, mention=False
        )
        mine["_kind"] = "own_reply"
        for _ in range(int(rng.lognormvariate(0.8, 0.8))):
            self._like(mine, self._liker() if rng.random() < 0.5 else uid, ts + self._delay(1.0))
        if rng.random() < 0.35:
            lang, back = rng.choice(D.BACK_TO_ME)
            back = back.format(n=rng.randint(3000, 5200))
            ts2 = ts + self._delay(1.0)
            if ts2 <= self.end:
                self._tweet(ts2, uid, f"@{self.me['username']} {back}", lang, reply_to=mine)

    def _quote(self, post: dict, uid: str, ts: int) -> None:
        if ts > self.end:
            return
        rng = self.rng
        me = self.me["username"]
        if rng.random() < 0.7:
            lang, text = rng.choice(D.QUOTES_WITH_MENTION)
            if lang != "en" and self.meta[uid]["lang"] != lang:
                lang, text = rng.choice(D.QUOTES_WITH_MENTION[:9])
            text, mention = text.format(me=me), True
        else:
            lang, text, mention = "en", rng.choice(D.QUOTES_PLAIN), False
        if rng.random() < 0.4:
            text += " " + self.people.tco_link(f"https://x.com/{me}/status/{post['id']}")
        self._tweet(ts, uid, text, lang, quote_of=post, mention=mention)

    # --- mentions not tied to a post ------------------------------------------

    def _make_mentions(self) -> None:
        rng = self.rng
        count = int((self.end - self.start) / DAY * 3.6)
        made = 0
        while made < count:
            ts = rng.randint(self.start, self.end)
            hour = ts % DAY // HOUR
            weekend = _weekday(ts) >= 5
            if rng.random() > _HOURS[hour] / 10 * (0.6 if weekend else 1.0):
                continue
            made += 1
            uid = self._author()
            self._plain_mention(ts, uid)
        # A conference day with a burst of posts about the talk.
        conf_day = self.now - self.now % DAY - 35 * DAY
        for _ in range(rng.randint(26, 34)):
            ts = conf_day + rng.randint(8 * HOUR, 19 * HOUR)
            uid = rng.choice(self.ranked[:1200]) if rng.random() < 0.5 else self._author()
            if self.meta[uid]["profile"] == "minimal" or self.users[uid].get("protected"):
                continue
            self._tweet(ts, uid, rng.choice(D.CONF_MENTIONS).format(me=self.me["username"]), "en")
        # Launch week after the anchor: people talk about each day's news.
        for post in [r for r in self.records if r.get("_kind") == "launch"]:
            n = post["_slots"].get("day", "1")
            for _ in range(rng.randint(5, 10)):
                ts = post["_ts"] + self._delay(3.0, 1.0)
                if ts <= self.end:
                    text = rng.choice(D.LAUNCH_MENTIONS).format(me=self.me["username"], n=n)
                    self._tweet(ts, self._author(), text, "en")

    def _plain_mention(self, ts: int, uid: str) -> None:
        rng = self.rng
        lang = self.lang_of(uid)
        if lang != "en" and lang in D.MENTIONS_NATIVE:
            template = rng.choice(D.MENTIONS_NATIVE[lang])
        else:
            lang, template = "en", rng.choice(D.MENTIONS_EN)
        slots = _Slots(self, ts, "mention", author=uid)
        self._tweet(ts, uid, template.format_map(slots), lang)

    def _make_special_tweets(self) -> None:
        """Long posts, and the tweets X answers with partial errors."""
        rng, me = self.rng, self.me["username"]
        midnight = self.now - self.now % DAY

        def writer(lang: str, skip: int) -> str:
            found = [
                uid
                for uid in self.core_writers + self.ranked[N_CORE:600]
                if self.meta[uid]["lang"] == lang
                and self.meta[uid]["profile"] == "full"
                and not self.users[uid].get("protected")
            ]
            return found[skip % len(found)]

        for (lang, text), offset, skip in zip(D.LONG_MENTIONS[:3], (-60, -22, 9), (0, 0, 1), strict=False):
            ts = midnight + offset * DAY + rng.randint(9 * HOUR, 21 * HOUR)
            self._tweet(ts, writer(lang, skip), text.format(me=me), lang, long=True)
        past = [
            r for r in self.records if r["_own"] and r.get("_kind") != "own_reply" and r["_ts"] < self.now - 3 * DAY
        ]
        question = next((r for r in past if r["_kind"] == "question"), past[-1])
        ts = question["_ts"] + rng.randint(2 * HOUR, 9 * HOUR)
        self._tweet(ts, writer("en", 3), D.LONG_MENTIONS[3][1].format(me=me), "en", reply_to=question, long=True)

        # A warning about an impersonator, whose account X has since suspended.
        scam_created = midnight - 26 * DAY + rng.randint(0, DAY)
        scam_id = str(snowflake(scam_created * 1000 + rng.randrange(1000), rng.getrandbits(22)))
        self.ids_by_handle[_SCAM_HANDLE.lower()] = scam_id
        ts = midnight - 20 * DAY + 13 * HOUR + rng.randint(0, HOUR)
        warning = self._tweet(ts, self.core_writers[8], D.SCAM_WARNING.format(me=me, scam=_SCAM_HANDLE), "en")
        self.tweet_errors[warning["id"]] = [
            {
                "detail": f"User has been suspended: [{_SCAM_HANDLE}].",
                "parameter": "entities.mentions.username",
                "resource_id": _SCAM_HANDLE,
                "resource_type": "user",
                "title": "Forbidden",
                "type": "https://api.twitter.com/2/problems/resource-not-found",
                "value": _SCAM_HANDLE,
            }
        ]
        # A reply in a thread whose first post was deleted.
        other = next(
            uid for uid in self.ranked[300:] if self.meta[uid]["profile"] == "full" and not self.users[uid]["protected"]
        )
        ts = midnight - 55 * DAY + 17 * HOUR + rng.randint(0, HOUR)
        gone = self._new_id(ts - 2 * HOUR)
        parent = {"id": gone, "author_id": other, "conversation_id": gone}
        text = D.DELETED_REPLY.format(other=self.handle(other, ts), me=me)
        reply = self._tweet(ts, self.core_writers[12], text, "en", reply_to=parent)
        self.tweet_errors[reply["id"]] = [
            {
                "detail": f"Could not find tweet with referenced_tweets.id: [{gone}].",
                "parameter": "referenced_tweets.id",
                "resource_id": gone,
                "resource_type": "tweet",
                "title": "Not Found Error",
                "type": "https://api.twitter.com/2/problems/resource-not-found",
                "value": gone,
            }
        ]
        # A quote of a protected account's post.
        locked = next((uid for uid in self.ranked[N_CORE:] if self.users[uid].get("protected")), self.ranked[-1])
        self.users[locked]["protected"] = True
        ts = midnight - 29 * DAY + 15 * HOUR + rng.randint(0, HOUR)
        hidden = self._new_id(ts - 5 * HOUR)
        quote = self._tweet(ts, self.core_writers[15], D.PROTECTED_QUOTE.format(me=me), "en", quote_of={"id": hidden})
        self.tweet_errors[quote["id"]] = [
            {
                "detail": f"Sorry, you are not authorized to see the Tweet with referenced_tweets.id: [{hidden}].",
                "parameter": "referenced_tweets.id",
                "resource_id": hidden,
                "resource_type": "tweet",
                "section": "includes",
                "title": "Authorization Error",
                "type": "https://api.twitter.com/2/problems/not-authorized-for-resource",
                "value": hidden,
            }
        ]

    def _cover_everyone(self) -> None:
        """Everyone in ``users`` did something: the rest liked a popular older post once."""
        mentioned = {m.get("id") for r in self.records for m in r.get("entities", {}).get("mentions", [])}
        past_likes = [like for like in self.likes if like[0] <= self.now]
        posts = {r["id"]: r for r in self.records if r["_own"]}
        for uid in self.ranked:
            if uid in self.active or uid in mentioned:
                continue
            for _ in range(10):
                _, pid, _ = self.rng.choice(past_likes)
                post = posts[pid]
                ts = min(post["_ts"] + self._delay(6.0), self.now - self.rng.randint(60, DAY))
                if ts > post["_ts"] and self._like(post, uid, ts):
                    break

    # --- the world -------------------------------------------------------------

    def _assemble(self) -> dict:
        rng, now = self.rng, self.now
        initial = sorted((r for r in self.records if r["_ts"] <= now), key=lambda r: int(r["id"]), reverse=True)
        replies: dict[str, int] = {}
        for r in initial:
            if r["_reply_to"]:
                replies[r["_reply_to"]] = replies.get(r["_reply_to"], 0) + 1
        liking = _lists(self.likes, now)
        retweeted = _lists(self.retweets, now)
        own_ids = {r["id"] for r in self.records if r["_own"]}
        quotes: dict[str, list[dict]] = {}
        for r in initial:
            if r["_quote_of"] in own_ids:
                quotes.setdefault(r["_quote_of"], []).append(r)
        posts, mentions = [], []
        for r in initial:
            pid = r["id"]
            if r["_own"]:
                likes = len(liking.get(pid, []))
                r["public_metrics"] = {
                    "retweet_count": len(retweeted.get(pid, [])),
                    "reply_count": replies.get(pid, 0),
                    "like_count": likes,
                    "quote_count": len(quotes.get(pid, [])),
                    "bookmark_count": int(likes * rng.uniform(0.02, 0.12)),
                    "impression_count": int(likes * rng.uniform(25, 60)) + rng.randint(40, 400),
                }
            elif r["_rt_of"]:
                r["public_metrics"] = dict(_ZERO_METRICS, retweet_count=len(retweeted.get(r["_rt_of"], [])))
            else:
                likes = int(rng.lognormvariate(0.4, 1.1)) if rng.random() < 0.8 else 0
                r["public_metrics"] = {
                    "retweet_count": int(rng.random() < 0.08),
                    "reply_count": replies.get(pid, 0),
                    "like_count": likes,
                    "quote_count": 0,
                    "bookmark_count": int(rng.random() < 0.05),
                    "impression_count": int(likes * rng.uniform(15, 45)) + rng.randint(3, 160),
                }
            if r["_own"]:
                posts.append(_public(r, copy=r["_mention"]))
            if r["_mention"]:
                mentions.append(_public(r))
        world = {
            "format": FORMAT,
            "source": f"generated sample world (ahoy_desktop.sandbox.sample_world, seed {self.seed})",
            "me": self.me,
            "users": self.users,
            "posts": posts,
            "mentions": mentions,
            "tweet_errors": self.tweet_errors,
            "liking_users": {p["id"]: liking.get(p["id"], []) for p in posts},
            "retweeted_by": {p["id"]: retweeted.get(p["id"], []) for p in posts},
            "quote_tweets": {pid: [_public(q, copy=q["_mention"]) for q in qs] for pid, qs in quotes.items()},
            "events": self._events(),
        }
        return world

    def _events(self) -> list[dict]:
        now, end = self.now, self.end
        items: list[tuple[int, int, str, dict]] = []
        for r in self.records:
            if not now < r["_ts"] <= end:
                continue
            r["public_metrics"] = dict(_ZERO_METRICS)
            tweet = _public(r)
            if r["_own"]:
                items.append((r["_ts"], 1, r["id"], {"type": "post", "tweet": tweet}))
                continue
            if r["_quote_of"]:
                items.append((r["_ts"], 2, r["id"], {"type": "quote", "post_id": r["_quote_of"], "tweet": tweet}))
            if r["_mention"]:
                items.append((r["_ts"], 2, r["id"], {"type": "mention", "tweet": _clone(tweet)}))
        for kind, entries in (("like", self.likes), ("retweet", self.retweets)):
            for ts, pid, uid in entries:
                if now < ts <= end:
                    items.append((ts, 3, pid + uid, {"type": kind, "post_id": pid, "user_id": uid}))
        for ts, user in self.user_events:
            items.append((ts, 0, user["id"], {"type": "user", "user": user}))
        deleted = self.deleted_post["id"]
        delete_ts = now - now % DAY + 6 * DAY + 14 * HOUR + 20 * 60
        items.append((delete_ts, 4, deleted, {"type": "delete", "tweet_id": deleted}))
        items.sort(key=lambda item: (item[0], item[1], item[2]))
        # Nothing touches the deleted post afterwards, nor replies to what was dropped.
        dead, kept = {deleted}, []
        for ts, order, key, event in items:
            tweet = event.get("tweet", {})
            refs = {event.get("post_id")} | {ref["id"] for ref in tweet.get("referenced_tweets", [])}
            if ts > delete_ts and refs & dead:
                if tweet:
                    dead.add(tweet["id"])
                continue
            kept.append((ts, order, key, event))
        kept = self._fill_quiet_days(kept, dead)
        events = []
        for ts, _, _, event in kept:
            events.append({"at": iso(ts), **event})
        return events

    def _fill_quiet_days(self, items: list, dead: set[str]) -> list:
        """Make sure every day after the anchor has something for a refresh to find."""
        posts = sorted((r for r in self.records if r["_own"] and r["id"] not in dead), key=lambda r: r["_ts"])
        for k in range(FUTURE_DAYS):
            lo, hi = self.now + k * DAY, self.now + (k + 1) * DAY
            if any(lo < ts <= hi for ts, *_ in items):
                continue
            ts = lo + self.rng.randint(10 * HOUR, 20 * HOUR)
            post = [r for r in posts if r["_ts"] < ts][-1]
            for _ in range(50):
                uid = self._liker()
                if self._like(post, uid, ts):
                    items.append((ts, 3, post["id"] + uid, {"type": "like", "post_id": post["id"], "user_id": uid}))
                    break
        items.sort(key=lambda item: (item[0], item[1], item[2]))
        return items


class _Slots(dict):
    """Template slots, made only when a template asks for them."""

    def __init__(self, builder: _Builder, ts: int, kind: str, author: str | None = None) -> None:
        super().__init__(me=builder.me["username"])
        self.b, self.ts, self.kind, self.author = builder, ts, kind, author

    def __missing__(self, key: str) -> str:
        b, rng = self.b, self.b.rng
        link = b.people.tco_link
        if key == "member":
            uid = rng.choice(b.core_writers[:60])
            while uid == self.author:
                uid = rng.choice(b.core_writers[:60])
            self["_member_uid"] = uid
            value = b.handle(uid, self.ts)
        elif key == "feature2":
            value = rng.choice([f for f in D.FEATURES if f != self["feature"]])
        elif key == "version":
            value = b._version_at(self.ts)
        elif key == "prev_version":
            value = b._version_at(self.ts, previous=True)
        elif key == "org":
            value = rng.choice(D.ORGS[:5])[1]
        elif key in ("n", "prs", "issues", "contributors"):
            low, high = {"n": (1200, 5200), "prs": (14, 52), "issues": (5, 19), "contributors": (2, 7)}[key]
            value = str(rng.randint(low, high))
        elif key == "clock":
            value = f"{rng.randint(4, 48)}:{rng.randint(0, 59):02d}"
        elif key == "office_hours":
            value = link("https://ahoy.dev/office-hours")
        elif key == "stream":
            value = link("https://www.youtube.com/live/" + _code(rng, 11, _VIDEO_ID))
        elif key.startswith("blog_"):
            value = link("https://ahoy.dev/blog/" + D.BLOG_PAGES[key[5:]])
        elif key.startswith("docs_"):
            value = link("https://ahoy.dev/docs/" + D.DOCS_PAGES[key[5:]])
        elif key == "member_gh":
            value = link(f"https://github.com/{self['member']}/ahoy-preview-screenshots")
        elif key == "discord":
            value = link("https://discord.gg/ahoy")
        elif key == "member_post":
            value = link(
                f"https://dev.to/{self['member'].lower()}/halving-pr-review-time-with-previews-{b.rng.randint(1000, 9999)}"
            )
        elif key in ("link", "docs", "event", "careers", "status", "gh", "issue", "ext", "video"):
            value = link(self._url(key))
        else:
            value = rng.choice(
                {
                    "feature": D.FEATURES,
                    "fix": D.FIXES,
                    "city": D.CITIES,
                    "conf": D.CONFERENCES,
                    "company": D.COMPANIES,
                }[key]
            )
        self[key] = value
        return value

    def _url(self, key: str) -> str:
        rng, kind = self.b.rng, self.kind

        def code(n: int) -> str:
            return _code(rng, n, _LOWER)

        if key == "link":
            if kind in ("release", "patch"):
                return f"https://github.com/ahoyhq/ahoy/releases/tag/{self['version']}"
            if kind == "spotlight":
                return f"https://speakerdeck.com/{self['member'].lower()}/preview-environments-{code(4)}"
            if kind == "event":
                return "https://www.youtube.com/watch?v=" + _code(rng, 11, _VIDEO_ID)
            if kind == "launch":
                return f"https://ahoy.dev/launch-week/day-{self.get('day', '1')}"
            if kind == "community":
                return f"https://ahoy.dev/blog/community-roundup-{rng.randint(20, 60)}"
            return "https://ahoy.dev/blog/" + rng.choice(["year-in-numbers", "postmortem-eu-west-builds", "changelog"])
        if key == "docs":
            return "https://ahoy.dev/docs/" + rng.choice(list(D.DOCS_PAGES.values()))
        if key == "event":
            return f"https://lu.ma/{code(8)}"
        if key == "careers":
            return "https://ahoy.dev/careers/" + rng.choice(D.CAREERS_SLUGS)
        if key == "status":
            return f"https://status.ahoy.dev/incidents/{code(12)}"
        if key == "gh":
            if kind == "spotlight":
                return f"https://github.com/{self['member']}/terraform-ahoy-runners"
            return rng.choice(
                ["https://github.com/ahoyhq/ahoy", "https://github.com/ahoyhq/ahoy/labels/good%20first%20issue"]
            )
        if key == "issue":
            return f"https://github.com/ahoyhq/ahoy/issues/{rng.randint(1200, 5200)}"
        if key == "video":
            return "https://youtu.be/" + _code(rng, 11, _VIDEO_ID)
        handle = self.b.handle(self.author, self.ts) if self.author else "someone"
        slug = rng.choice(
            ["preview-environments", "ahoy-review", "goodbye-staging", "per-pr-environments", "ahoy-design-reviews"]
        )
        return rng.choice(
            [
                f"https://dev.to/{handle.lower()}/{slug}-{code(4)}",
                f"https://medium.com/@{handle}/{slug}-{code(12)}",
                f"https://{handle.lower().replace('_', '')}.dev/blog/{slug}",
            ]
        )


def _code(rng: random.Random, n: int, alphabet: str) -> str:
    return "".join(rng.choices(alphabet, k=n))


def _weekday(ts: int) -> int:
    """Monday is 0, in UTC (1970-01-01 was a Thursday)."""
    return (ts // DAY + 3) % 7


def _version(index: int) -> str:
    return f"v3.{4 + index // 2}.{index % 2}"


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _lists(entries: list[tuple[int, str, str]], now: int) -> dict[str, list[str]]:
    """``{post_id: [user_id, ...]}`` as of ``now``, most recent first."""
    out: dict[str, list[str]] = {}
    for ts, pid, uid in sorted(entries, key=lambda e: (-e[0], e[1], e[2])):
        if ts <= now:
            out.setdefault(pid, []).append(uid)
    return out


def _public(record: dict, copy: bool = False) -> dict:
    """The tweet without the builder's private keys; ``copy`` when it goes in two places."""
    tweet = {k: v for k, v in record.items() if not k.startswith("_")}
    return _clone(tweet) if copy else tweet


def _clone(value):
    """A deep copy of JSON-like data, several times faster than ``copy.deepcopy``."""
    if isinstance(value, dict):
        return {k: _clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clone(v) for v in value]
    return value


def _truncate(raw: str) -> str:
    """The ``text`` of a long post: what fits in 280 weighted characters, cut at a word."""
    budget, cut = 272, 0
    for i, ch in enumerate(raw):
        budget -= 2 if ord(ch) >= 0x1100 else 1
        if budget < 0:
            break
        cut = i + 1
    shown = raw[:cut]
    if cut < len(raw) and " " in shown[-40:]:
        shown = shown.rsplit(" ", 1)[0]
    return shown.rstrip() + "…"
