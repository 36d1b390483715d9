"""Every setting of the app in one typed registry, with its default.

QSettings (QtCore only) stores them per user. Code never reads a raw key:
it asks ``settings.get(SYNC_INTERVAL_HOURS)`` and gets a value of the right
type, or the default when nothing (or something unreadable) is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")

ORGANIZATION = "Ahoy"
APPLICATION = "Ahoy Desktop"


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    type: type
    default: T
    description: str
    minimum: float | None = None
    maximum: float | None = None


REGISTRY: dict[str, Setting] = {}


def _define(key: str, type_: type, default, description: str, minimum=None, maximum=None) -> Setting:
    setting = Setting(key, type_, default, description, minimum, maximum)
    REGISTRY[key] = setting
    return setting


SYNC_INTERVAL_HOURS = _define("sync/interval_hours", float, 3.0,
                              "Hours between scheduled refreshes while the app runs.", 0.25, 48)
RATE_WAIT_LIMIT_MINUTES = _define("sync/rate_wait_limit_minutes", float, 15.0,
                                  "Longest wait for a rate-limit window before stopping until the next sync.", 0, 60)
OWN_POSTS_DAYS = _define("sync/own_posts_days", int, 90,
                         "How many days of the account's own posts to follow for likes, retweets and quotes.", 1, 365)
X_WINDOW_SECONDS = _define("sandbox/window_seconds", float, 900.0,
                           "Rate-limit window of a sandbox serving a world file (X uses 15 minutes).", 1, 3600)
SAMPLE_WINDOW_SECONDS = _define("sandbox/sample_window_seconds", float, 15.0,
                                "Rate-limit window of the sample workspace's sandbox.", 1, 3600)
LAST_WORKSPACE = _define("workspace/last", str, "", "The workspace opened last.")
WINDOW_GEOMETRY = _define("window/geometry", QByteArray, QByteArray(), "Main window size and place.")
CURRENT_TAB = _define("window/tab", int, 0, "The tab shown last.", 0, 20)


class Settings:
    """Typed access to QSettings (or to a given QSettings, e.g. an INI file in tests)."""

    def __init__(self, store: QSettings | None = None):
        self._store = store if store is not None else QSettings(ORGANIZATION, APPLICATION)

    def get(self, setting: Setting[T]) -> T:
        raw = self._store.value(setting.key)
        if raw is None:
            return setting.default
        try:
            value = raw if isinstance(raw, setting.type) else setting.type(raw)
        except (TypeError, ValueError):
            return setting.default
        if setting.minimum is not None and value < setting.minimum:
            return setting.default
        if setting.maximum is not None and value > setting.maximum:
            return setting.default
        return value

    def set(self, setting: Setting[T], value: T) -> None:
        if not isinstance(value, setting.type):
            value = setting.type(value)
        if setting.minimum is not None and value < setting.minimum:
            raise ValueError(f"{setting.key} must be at least {setting.minimum}")
        if setting.maximum is not None and value > setting.maximum:
            raise ValueError(f"{setting.key} must be at most {setting.maximum}")
        self._store.setValue(setting.key, value)

    def reset(self, setting: Setting) -> None:
        self._store.remove(setting.key)

    def sync(self) -> None:
        self._store.sync()
