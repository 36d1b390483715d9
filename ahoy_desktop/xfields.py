"""The fields X gives about a person, and how to read each from a user object.

The data-mapping page lists these on its left; the sync reads them from each
member's own stored X user object. A field X did not return reads as absent
(``MISSING``), which is different from an empty value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MISSING = object()


def _path(*keys: str) -> Callable[[dict], object]:
    def read(user: dict):
        value = user
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                return MISSING
            value = value[key]
        return value

    return read


def _website(user: dict):
    """The expanded URL from ``entities.url``, never the t.co link."""
    urls = _path("entities", "url", "urls")(user)
    if isinstance(urls, list) and urls:
        first = urls[0] if isinstance(urls[0], dict) else {}
        return first.get("expanded_url") or first.get("url") or MISSING
    if user.get("url") == "":
        return ""
    return MISSING


@dataclass(frozen=True)
class XField:
    key: str
    label: str
    kind: str  # "text", "number", "date", "bool", "url"
    read: Callable[[dict], object]
    path: tuple[str, ...] = ()  # where it sits in the user object (empty: computed, see ``read``)


def _field(key: str, label: str, kind: str, *path: str) -> XField:
    return XField(key, label, kind, _path(*path), path)


X_FIELDS: list[XField] = [
    _field("name", "Name", "text", "name"),
    _field("username", "Username", "text", "username"),
    _field("description", "Bio", "text", "description"),
    _field("location", "Location", "text", "location"),
    XField("website", "Website", "url", _website),
    _field("profile_image_url", "Profile image URL", "url", "profile_image_url"),
    _field("created_at", "Account created at", "date", "created_at"),
    _field("verified", "Verified", "bool", "verified"),
    _field("verified_type", "Verified type", "text", "verified_type"),
    _field("protected", "Protected", "bool", "protected"),
    _field("followers_count", "Followers", "number", "public_metrics", "followers_count"),
    _field("following_count", "Following", "number", "public_metrics", "following_count"),
    _field("tweet_count", "Posts", "number", "public_metrics", "tweet_count"),
    _field("listed_count", "Listed", "number", "public_metrics", "listed_count"),
    _field("like_count", "Likes", "number", "public_metrics", "like_count"),
]
X_FIELDS_BY_KEY = {f.key: f for f in X_FIELDS}


def read_field(user: dict | None, key: str):
    """The value of X field ``key`` in ``user``, or ``MISSING``."""
    if not user:
        return MISSING
    return X_FIELDS_BY_KEY[key].read(user)


def as_text(value) -> str | None:
    """How a value is written into a member field."""
    if value is None or value is MISSING:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
