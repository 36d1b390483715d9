"""Where tokens live: the OS keychain through ``keyring``, one entry per account.

Nothing else ever holds a token: not the database, the settings, a log line
or an exception message. ``TokenSet`` hides its secrets from ``repr`` so a
traceback cannot print them. Without a usable keychain the app says so, and
only a user who explicitly chose it gets the plain-text file store (0600).
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from ..clock import parse_iso, to_iso
from ..log_redaction import remember_secrets

SERVICE = "Ahoy Desktop"
KEYRING = "keyring"
FILE = "file"


class TokenStoreError(Exception):
    """The keychain refused or is missing; the message never includes a token."""


@dataclass(frozen=True)
class TokenSet:
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_at: datetime
    scope: str = ""

    def __post_init__(self) -> None:
        remember_secrets(self.access_token, self.refresh_token)  # no log line shows them from now on

    def to_json(self) -> str:
        return json.dumps({"access_token": self.access_token, "refresh_token": self.refresh_token,
                           "expires_at": to_iso(self.expires_at), "scope": self.scope})

    @classmethod
    def from_json(cls, text: str) -> TokenSet:
        data = json.loads(text)
        return cls(data["access_token"], data.get("refresh_token", ""), parse_iso(data["expires_at"]),
                   data.get("scope", ""))


# -- the keychain ------------------------------------------------------------------


@dataclass(frozen=True)
class KeychainStatus:
    available: bool
    backend: str  # the backend's name, e.g. "SecretService Keyring"


def keychain_status() -> KeychainStatus:
    """Whether keyring found a real keychain (a headless Linux box often has none)."""
    backend = keyring.get_keyring()
    name = getattr(backend, "name", type(backend).__name__)
    return KeychainStatus(_usable(backend), str(name))


def _usable(backend: KeyringBackend) -> bool:
    module = type(backend).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return False
    children = getattr(backend, "backends", None)
    if module.startswith("keyring.backends.chainer"):
        return bool(children) and any(_usable(b) for b in children)
    return True


class KeyringTokenStore:
    """Token sets in the OS keychain, under the app's service name."""

    kind = KEYRING

    def load(self, key: str) -> TokenSet | None:
        try:
            text = keyring.get_password(SERVICE, key)
        except keyring.errors.KeyringError as exc:
            raise TokenStoreError(f"The keychain could not be read ({type(exc).__name__}).") from None
        return TokenSet.from_json(text) if text else None

    def save(self, key: str, tokens: TokenSet) -> None:
        try:
            keyring.set_password(SERVICE, key, tokens.to_json())
        except keyring.errors.KeyringError as exc:
            raise TokenStoreError(f"The keychain refused to store the tokens ({type(exc).__name__}).") from None

    def delete(self, key: str) -> None:
        try:
            keyring.delete_password(SERVICE, key)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise TokenStoreError(f"The keychain could not delete an entry ({type(exc).__name__}).") from None


class FileTokenStore:
    """Plain text, readable by the user only: for machines without a keychain, chosen after a warning."""

    kind = FILE
    _lock = threading.Lock()

    def __init__(self, path: Path):
        self.path = Path(path)

    def load(self, key: str) -> TokenSet | None:
        text = self._read().get(key)
        return TokenSet.from_json(text) if text else None

    def save(self, key: str, tokens: TokenSet) -> None:
        with self._lock:
            entries = self._read()
            entries[key] = tokens.to_json()
            self._write(entries)

    def delete(self, key: str) -> None:
        with self._lock:
            entries = self._read()
            if entries.pop(key, None) is not None:
                self._write(entries)

    def _read(self) -> dict[str, str]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise TokenStoreError(f"The token file {self.path} could not be read ({type(exc).__name__}).") from None

    def _write(self, entries: dict[str, str]) -> None:
        """Write a new file with 0600 from the start, then swap it in: never a moment readable by others."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(entries, f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, self.path)


class ChosenTokenStore:
    """The store the user chose, still finding tokens an earlier choice left in the other one.

    Saving moves a token set into the chosen store and out of the other, so
    changing the choice never strands a sign-in (nor a revocation) behind it.
    """

    def __init__(self, chosen: KeyringTokenStore | FileTokenStore, other: KeyringTokenStore | FileTokenStore):
        self.chosen = chosen
        self.other = other
        self.kind = chosen.kind

    def load(self, key: str) -> TokenSet | None:
        tokens = self.chosen.load(key)
        if tokens is None and self._other_in_use():
            tokens = self.other.load(key)
        return tokens

    def save(self, key: str, tokens: TokenSet) -> None:
        self.chosen.save(key, tokens)
        self._forget_in_other(key)

    def delete(self, key: str) -> None:
        self.chosen.delete(key)
        self._forget_in_other(key)

    def _other_in_use(self) -> bool:
        if self.other.kind == FILE:
            return self.other.path.exists()
        return keychain_status().available

    def _forget_in_other(self, key: str) -> None:
        if self._other_in_use():
            self.other.delete(key)


TokenStore = ChosenTokenStore | KeyringTokenStore | FileTokenStore


def token_file_path() -> Path:
    from ..paths import data_dir

    return data_dir() / "x-tokens.json"


def open_token_store(kind: str) -> ChosenTokenStore:
    """The store the user chose; the keychain unless they explicitly picked the file."""
    keychain, file = KeyringTokenStore(), FileTokenStore(token_file_path())
    return ChosenTokenStore(file, keychain) if kind == FILE else ChosenTokenStore(keychain, file)
