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


X_FIELDS: list[XField] = [
    XField("name", "Name", "text", _path("name")),
    XField("username", "Username", "text", _path("username")),
    XField("description", "Bio", "text", _path("description")),
    XField("location", "Location", "text", _path("location")),
    XField("website", "Website", "url", _website),
    XField("profile_image_url", "Profile image URL", "url", _path("profile_image_url")),
    XField("created_at", "Account created at", "date", _path("created_at")),
    XField("verified", "Verified", "bool", _path("verified")),
    XField("verified_type", "Verified type", "text", _path("verified_type")),
    XField("protected", "Protected", "bool", _path("protected")),
    XField("followers_count", "Followers", "number", _path("public_metrics", "followers_count")),
    XField("following_count", "Following", "number", _path("public_metrics", "following_count")),
    XField("tweet_count", "Posts", "number", _path("public_metrics", "tweet_count")),
    XField("listed_count", "Listed", "number", _path("public_metrics", "listed_count")),
    XField("like_count", "Likes", "number", _path("public_metrics", "like_count")),
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
