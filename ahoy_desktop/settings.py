"""Every setting of the app in one typed registry, with its default.

QSettings (QtCore only) stores them per user. Code never reads a raw key:
it asks ``settings.get(SYNC_INTERVAL_HOURS)`` and gets a value of the right
type, or the default when nothing (or something unreadable) is stored.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
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
MEMBER_COLUMNS = _define("members/columns", str, "",
                         "Columns shown in the Members table, in order (column keys, comma-separated).")

# Connecting real X accounts: the user's own developer app (a public "Native App": a Client ID, no secret).
X_CLIENT_ID = _define("x/client_id", str, "", "Client ID of your X developer app (OAuth 2.0, Native App).")
X_CALLBACK_PORT = _define("x/callback_port", int, 8765,
                          "Loopback port of the sign-in callback; register http://127.0.0.1:<port>/callback.",
                          1024, 65535)
X_AUTH_TIMEOUT_SECONDS = _define("x/auth_timeout_seconds", float, 300.0,
                                 "How long to wait for X's sign-in page to call back.", 30, 3600)
X_TOKEN_STORE = _define("x/token_store", str, "keyring",
                        "Where tokens live: 'keyring' (the OS keychain) or 'file' (plain text, chosen explicitly).")
# X's pay-per-use prices in US dollars per resource read (docs.x.com, 2026); they change, so they are settings.
X_OWNS_APP = _define("x/owns_app", bool, True,
                     "You own the developer app: reads of your own posts, mentions and followers are owned reads.")
X_PRICE_POST = _define("x/price_post", float, 0.005, "Price of a post read.", 0, 10)
X_PRICE_USER = _define("x/price_user", float, 0.010, "Price of a user read.", 0, 10)
X_PRICE_LIKER = _define("x/price_liker", float, 0.001,
                        "Price of a liking user (X lists a like at $0.001; a user is $0.010).", 0, 10)
X_PRICE_FOLLOWER = _define("x/price_follower", float, 0.010, "Price of a follower or following entry.", 0, 10)
X_PRICE_OWNED_READ = _define("x/price_owned_read", float, 0.001,
                             "Price of an owned read (your own posts, mentions, followers).", 0, 10)
X_DEFAULT_MONTHLY_BUDGET = _define("x/default_monthly_budget", float, 25.0,
                                   "Monthly budget in dollars given to a workspace until it has its own.", 0, 100000)
X_CONFIRM_IMPORT_ABOVE = _define("x/confirm_import_above", float, 1.0,
                                 "Ask before a first import estimated above this many dollars.", 0, 100000)
KEEP_SYNCING_IN_TRAY = _define("window/keep_syncing_in_tray", bool, False,
                               "Closing the window hides it in the tray and syncs go on; Quit is in the tray menu.")
THEME = _define("window/theme", str, "system",
                "Colour scheme: 'system' follows the desktop's light or dark scheme; 'light' or 'dark' force one.")
WELCOME_SHOWN = _define("window/welcome_shown", bool, False,
                        "The first-start welcome was shown (it offers the sample or connecting X, once).")


def default_store() -> QSettings:
    """The user's settings; with ``AHOY_DATA_DIR`` set, an INI file in that folder, so a separate data
    folder (a trial, a second profile) never touches the user's own settings."""
    override = os.environ.get("AHOY_DATA_DIR")
    if override:
        return QSettings(str(Path(override) / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, APPLICATION)


class Settings:
    """Typed access to QSettings (or to a given QSettings, e.g. an INI file in tests)."""

    def __init__(self, store: QSettings | None = None):
        self._store = store if store is not None else default_store()

    def get(self, setting: Setting[T]) -> T:
        raw = self._store.value(setting.key)
        if raw is None:
            return setting.default
        if setting.type is bool and isinstance(raw, str):  # INI files store booleans as text
            raw = raw.strip().lower() in ("true", "1", "yes")
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
