"""People for the sample world, as X API v2 user objects, and text helpers.

Split from ``sample_world.py`` so each stays readable. Everything is drawn
from one ``random.Random`` handed in by the caller, in a fixed order, so a
seed gives the same people every time.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import string
import unicodedata
from datetime import UTC, datetime

from ahoy_desktop.clock import to_iso
from ahoy_desktop.sandbox import sample_data as D

TWEPOCH_MS = 1288834974657
DAY = 86400
ALNUM = string.ascii_letters + string.digits

MENTION_RE = re.compile(r"(?<![A-Za-z0-9_@&/])@([A-Za-z0-9_]{1,15})(?![A-Za-z0-9_@])")
HASHTAG_RE = re.compile(r"(?<![\w&#/])#(\w*[^\W\d_]\w*)")
TCO_RE = re.compile(r"https://t\.co/[A-Za-z0-9]{10}")

_FOLD = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "đ": "d", "Đ": "D", "ı": "i", "'": ""}
)

# Roughly how large user ids were when accounts were made, before X switched
# user ids to snowflakes in 2016.
_ID_POINTS = [
    (datetime(2007, 1, 1), 7.0e5),
    (datetime(2008, 1, 1), 1.1e7),
    (datetime(2009, 1, 1), 1.8e7),
    (datetime(2010, 1, 1), 1.0e8),
    (datetime(2011, 1, 1), 2.3e8),
    (datetime(2012, 1, 1), 4.5e8),
    (datetime(2013, 1, 1), 1.1e9),
    (datetime(2014, 1, 1), 2.28e9),
    (datetime(2015, 1, 1), 2.95e9),
    (datetime(2016, 4, 1), 4.9e9),
]
_ID_POINTS_TS = [(d.replace(tzinfo=UTC).timestamp(), v) for d, v in _ID_POINTS]
_YEAR_WEIGHTS = {  # how many of today's accounts were made each year
    2007: 1,
    2008: 2,
    2009: 6,
    2010: 6,
    2011: 6,
    2012: 6,
    2013: 5,
    2014: 5,
    2015: 4,
    2016: 4,
    2017: 4,
    2018: 4,
    2019: 5,
    2020: 6,
    2021: 6,
    2022: 6,
    2023: 5,
    2024: 4,
    2025: 3,
}


_YEARS = list(_YEAR_WEIGHTS)
_YEARS_CUM = list(itertools.accumulate(_YEAR_WEIGHTS.values()))

# How people shape a handle from their name ({g} given, {f} family, {yy} a year,
# {s} a suffix, {a}/{b} words), and how often.
_HANDLE_PATTERNS = [
    ("{g}{f}", 14), ("{g}_{f}", 10), ("{g}{f1}", 6), ("{g1}{f}", 8), ("{g}{f}{yy}", 8), ("{g}{s}", 10),
    ("{G}{F}", 8), ("{g}_{f3}", 4), ("{g}{yy}", 6), ("the{g}", 2), ("{a}{b}", 4), ("{a}{g}", 3), ("{g}_{b}", 3),
]
_HANDLE_CUM = list(itertools.accumulate(w for _, w in _HANDLE_PATTERNS))


def iso(ts: float) -> str:
    return to_iso(datetime.fromtimestamp(ts, UTC))


def snowflake(ms: int, low: int) -> int:
    """An id the way X makes them: milliseconds since its epoch, then 22 low bits."""
    return ((ms - TWEPOCH_MS) << 22) | (low & 0x3FFFFF)


def escape(text: str) -> str:
    """Post text comes from X with these three escaped (and nothing else)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fold(text: str) -> str:
    """ASCII letters for a handle: 'Łukasz Wójcik' -> 'Lukasz Wojcik'."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c in " _"))


def display_url(expanded: str) -> str:
    shown = re.sub(r"^https?://(www\.)?", "", expanded).rstrip("/")
    return shown if len(shown) <= 27 else shown[:26] + "…"


def find_entities(text: str, ids: dict[str, str] | None, tco: dict[str, str]) -> dict:
    """X's ``entities`` for a text: code-point offsets into the text as served.

    ``ids`` maps lower-case handles to user ids (post mentions carry ids, bio
    mentions don't); ``tco`` maps t.co links to where they lead.
    """
    entities: dict = {}
    mentions = []
    for m in MENTION_RE.finditer(text):
        item = {"start": m.start(), "end": m.end(), "username": m.group(1)}
        if ids is not None and m.group(1).lower() in ids:
            item["id"] = ids[m.group(1).lower()]
        mentions.append(item)
    hashtags = [{"start": m.start(), "end": m.end(), "tag": m.group(1)} for m in HASHTAG_RE.finditer(text)]
    urls = []
    for m in TCO_RE.finditer(text):
        expanded = tco[m.group(0)]
        urls.append(
            {
                "start": m.start(),
                "end": m.end(),
                "url": m.group(0),
                "expanded_url": expanded,
                "display_url": display_url(expanded),
            }
        )
    if mentions:
        entities["mentions"] = mentions
    if hashtags:
        entities["hashtags"] = hashtags
    if urls:
        entities["urls"] = urls
    return entities


class People:
    """Makes user objects. Keeps handles unique (case-insensitively) and ids unique."""

    def __init__(self, rng: random.Random, now_ts: int, tco: dict[str, str]) -> None:
        self.rng = rng
        self.now_ts = now_ts
        self.tco = tco
        self.handles: set[str] = set()
        self.ids: set[str] = set()
        self._cultures = list(D.CULTURES)
        self._culture_weights = [D.CULTURES[c]["weight"] for c in self._cultures]
        self._aliases = list(range(len(D.ALIASES)))
        rng.shuffle(self._aliases)

    # --- ids and links ------------------------------------------------------

    def tco_link(self, expanded: str) -> str:
        while True:
            url = "https://t.co/" + "".join(self.rng.choices(ALNUM, k=10))
            if url not in self.tco:
                self.tco[url] = expanded
                return url

    def user_id(self, created_ts: float) -> str:
        while True:
            if created_ts >= _ID_POINTS_TS[-1][0]:
                value = snowflake(int(created_ts * 1000) + self.rng.randrange(1000), self.rng.getrandbits(22))
            else:
                value = int(_interpolate(created_ts) * self.rng.uniform(0.98, 1.02))
            if str(value) not in self.ids:
                self.ids.add(str(value))
                return str(value)

    def claim_handle(self, handle: str) -> str | None:
        handle = re.sub(r"[^A-Za-z0-9_]", "", handle)[:15]
        if not handle or handle.lower() in self.handles:
            return None
        self.handles.add(handle.lower())
        return handle

    def created_ts(self) -> int:
        rng = self.rng
        lo = datetime(2007, 1, 15, tzinfo=UTC).timestamp()
        hi = self.now_ts - 100 * DAY
        year = rng.choices(_YEARS, cum_weights=_YEARS_CUM)[0]
        start = datetime(year, 1, 1, tzinfo=UTC).timestamp()
        ts = start + rng.random() * 365 * DAY
        if not lo <= ts <= hi:
            ts = lo + rng.random() * max(hi - lo, DAY)
        return int(ts)

    # --- people -------------------------------------------------------------

    def person(
        self, created_ts: int | None = None, alias_ok: bool = True, culture: str | None = None
    ) -> tuple[dict, dict]:
        """A user object and private facts about them (culture, language)."""
        rng = self.rng
        key = culture or rng.choices(self._cultures, weights=self._culture_weights)[0]
        c = D.CULTURES[key]
        given_index = rng.randrange(len(c["given"]))
        given_native, given_roman, gender = c["given"][given_index]
        fam = rng.choice(c["family"])
        if len(fam) == 4:
            fam_native, fam_roman = (fam[0], fam[1]) if gender == "m" else (fam[2], fam[3])
        else:
            fam_native, fam_roman = fam
        alias = None
        if alias_ok and self._aliases and rng.random() < 0.025:
            alias = self._aliases.pop()
        if alias is not None:
            name = D.ALIASES[alias]
            handle = self.claim_handle(D.ALIAS_HANDLES[alias]) or self._handle(given_roman, fam_roman)
        else:
            name = self._name(c, given_index, fam_native, fam_roman)
            handle = self._handle(given_roman, fam_roman)
        created = created_ts if created_ts is not None else self.created_ts()
        user = {"id": self.user_id(created), "name": name, "username": handle}
        meta = {
            "culture": key,
            "lang": c["lang"],
            "native": c["native"],
            "created_ts": created,
            "given": fold(given_roman).lower().replace(" ", ""),
        }
        return user, meta

    def org(self, spec: tuple) -> tuple[dict, dict]:
        name, handle, bio, website, verified_type = spec
        created = self.created_ts()
        self.claim_handle(handle)
        user = {"id": self.user_id(created), "name": name, "username": handle}
        meta = {"culture": "en", "lang": "en", "native": 1.0, "created_ts": created, "given": handle}
        self.fill(user, meta, bio=bio, website=website, verified_type=verified_type)
        user["public_metrics"]["followers_count"] = self.rng.randint(8000, 60000)
        return user, meta

    def fill(
        self,
        user: dict,
        meta: dict,
        *,
        bio: str | None = None,
        website: str | None = None,
        verified_type: str | None = None,
        partial: bool = False,
    ) -> None:
        """Add the profile fields a full ``user.fields`` request returns."""
        rng = self.rng
        c = D.CULTURES[meta["culture"]]
        user["created_at"] = iso(meta["created_ts"])
        user["description"] = self.bio(meta) if bio is None else bio
        if partial:
            self._description_entities(user)
            return
        r = rng.random()
        if r < 0.6:
            user["location"] = rng.choice(c["locations"])
        elif r < 0.66:
            user["location"] = rng.choice(D.FUN_LOCATIONS)
        if website is None and rng.random() < 0.4:
            handle = user["username"]
            website = rng.choice(D.WEBSITE_PATTERNS).format(h=handle, d=handle.lower().replace("_", ""))
        if website:
            user["url"] = self.tco_link(website)
            user["entities"] = {
                "url": {
                    "urls": [
                        {
                            "start": 0,
                            "end": 23,
                            "url": user["url"],
                            "expanded_url": website,
                            "display_url": display_url(website),
                        }
                    ]
                }
            }
        else:
            user["url"] = ""
        self._description_entities(user)
        user["profile_image_url"] = self.avatar(meta["created_ts"])
        user["protected"] = False
        user["public_metrics"] = self.metrics(meta["created_ts"])
        vt = verified_type or ("blue" if rng.random() < 0.06 else "none")
        user["verified"] = vt != "none"
        user["verified_type"] = vt

    def bio(self, meta: dict) -> str:
        rng = self.rng
        if rng.random() < 0.12:
            return ""
        native = D.BIOS_NATIVE.get(meta["lang"])
        if native and rng.random() < (0.75 if meta["native"] >= 0.5 else 0.35):
            text = rng.choice(native)
        else:
            parts = []
            if rng.random() < 0.78:
                parts.append(rng.choice(D.BIO_ROLES))
            parts += rng.sample(D.BIO_INTERESTS, rng.choice([0, 1, 1, 2]))
            if rng.random() < 0.35:
                parts.append(rng.choice(D.BIO_TAILS))
            parts = [p for p in parts if p] or [rng.choice(D.BIO_INTERESTS)]
            text = rng.choice([" | ", " · ", " • ", ". ", "\n"]).join(parts)
        return text.format(company=rng.choice(D.COMPANIES), org=rng.choice(D.ORGS)[1])

    def avatar(self, created_ts: float) -> str:
        rng = self.rng
        if rng.random() < 0.03:
            return "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"
        lo = max(created_ts, 1356998400)
        ts = lo + rng.random() * max(self.now_ts - DAY - lo, DAY)
        pid = snowflake(int(ts * 1000), rng.getrandbits(22))
        key = "".join(rng.choices(ALNUM + "-_", k=8))
        ext = rng.choices(["jpg", "png", "jpeg"], weights=[85, 12, 3])[0]
        return f"https://pbs.twimg.com/profile_images/{pid}/{key}_normal.{ext}"

    def metrics(self, created_ts: float, followers_mu: float = 5.0) -> dict:
        rng = self.rng
        years = max((self.now_ts - created_ts) / (365 * DAY), 0.3)
        followers = min(int(rng.lognormvariate(followers_mu, 1.5)), 40000)
        tweets = int(rng.lognormvariate(7.0, 1.4) * min(math.sqrt(years / 6), 1.6)) + rng.randint(1, 40)
        return {
            "followers_count": followers,
            "following_count": min(int(rng.lognormvariate(5.6, 1.0)), 7400),
            "tweet_count": tweets,
            "listed_count": int(followers * rng.uniform(0.001, 0.03)),
            "like_count": int(tweets * rng.lognormvariate(0.3, 0.9)),
        }

    # --- pieces -------------------------------------------------------------

    def _name(self, c: dict, given_index: int, fam_native: str, fam_roman: str) -> str:
        rng = self.rng
        given_native, given_roman, _ = c["given"][given_index]
        non_latin = "script" in c
        if non_latin and rng.random() < c["script"]:
            if c.get("nicknames") and rng.random() < 0.35:
                nicknames = c["nicknames"]
                nick = nicknames[given_index] if c.get("nicknames_follow_given") else rng.choice(nicknames)
                name = nick + rng.choice(c["nick_tags"])
            elif c.get("order") == "fg":
                name = fam_native + c.get("sep", " ") + given_native
            else:
                name = given_native + " " + fam_native
        else:
            if not non_latin:
                given_roman, fam_roman = given_native, fam_native
            if c.get("order") == "fg" and not non_latin:
                name = f"{fam_roman} {given_roman}" if rng.random() < 0.5 else f"{given_roman} {fam_roman}"
            else:
                r = rng.random()
                if r < 0.72:
                    name = f"{given_roman} {fam_roman}"
                elif r < 0.86:
                    name = given_roman
                elif r < 0.93:
                    name = f"{given_roman} {fam_roman[0]}."
                else:
                    name = f"{given_roman} {fam_roman}".lower()
        r = rng.random()
        if r < 0.09:
            emoji = c["flag"] if c.get("flag") and rng.random() < 0.3 else rng.choice(D.NAME_EMOJI)
            name = f"{name} {emoji}"
        elif r < 0.13:
            name = f"{name} {rng.choice(D.NAME_TAGS)}"
        return name[:50]

    def _handle(self, given: str, family: str) -> str:
        rng = self.rng
        g = fold(given).replace(" ", "")
        f = fold(family).replace(" ", "")
        parts = {
            "G": g, "F": f, "g": g.lower(), "f": f.lower(), "g1": g[:1].lower(), "f1": f[:1].lower(),
            "f3": f[:3].lower(), "yy": f"{rng.randint(70, 99) if rng.random() < 0.5 else rng.randint(0, 12):02d}",
            "s": rng.choice(D.HANDLE_SUFFIXES), "a": rng.choice(D.HANDLE_WORDS_A), "b": rng.choice(D.HANDLE_WORDS_B),
        }
        for attempt in range(30):
            if attempt == 0:
                pattern = rng.choices(_HANDLE_PATTERNS, cum_weights=_HANDLE_CUM)[0][0]
            else:
                pattern = rng.choice(_HANDLE_PATTERNS)[0]
            candidate = pattern.format_map(parts)
            if attempt > 3:
                candidate = candidate[:11] + str(rng.randint(1, 9999))
            got = self.claim_handle(candidate)
            if got:
                return got
        return self.claim_handle("user" + str(rng.randrange(10**10)))  # pragma: no cover

    def _description_entities(self, user: dict) -> None:
        found = find_entities(user["description"], None, self.tco)
        if found:
            user.setdefault("entities", {})["description"] = found


def _interpolate(ts: float) -> float:
    points = _ID_POINTS_TS
    if ts <= points[0][0]:
        return points[0][1]
    for (t0, v0), (t1, v1) in zip(points, points[1:], strict=False):
        if ts <= t1:
            frac = (ts - t0) / (t1 - t0)
            return math.exp(math.log(v0) + frac * (math.log(v1) - math.log(v0)))
    return points[-1][1]
