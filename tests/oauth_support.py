"""Helpers for the X sign-in tests: an in-memory keychain and the sandbox's browser step."""

from __future__ import annotations

import asyncio
import socket
import threading

import keyring
import pytest
import requests
from keyring.backend import KeyringBackend

from ahoy_desktop.auth.connect import SignIn, sign_in
from ahoy_desktop.auth.oauth import OAuthEndpoints

CLIENT_ID = "test-native-app"


class MemoryKeyring(KeyringBackend):
    """A keychain that lives in the test: every write is recorded, with whatever ``on_set`` notes."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.writes: list[tuple[str, object]] = []
        self.on_set = None

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password
        self.writes.append((username, self.on_set() if self.on_set else None))

    def delete_password(self, service, username):
        if self.entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture(name="memory_keyring")
def memory_keyring_fixture():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Plays the user's browser: opens the authorize URL and follows X's redirect to the app."""

    def __init__(self, rewrite=None):
        self.rewrite = rewrite or (lambda url: url)
        self.threads: list[threading.Thread] = []
        self.answers: list[requests.Response] = []

    def open(self, url: str) -> None:
        def visit():
            try:
                self.answers.append(requests.get(self.rewrite(url), timeout=10))
            except requests.RequestException as exc:
                self.answers.append(exc)

        thread = threading.Thread(target=visit, name="test-browser")
        thread.start()
        self.threads.append(thread)

    def close(self) -> None:
        for thread in self.threads:
            thread.join(10)


def sandbox_sign_in(server, clock, *, browser: Browser | None = None, timeout: float = 10.0,
                    port: int | None = None, client_id: str = CLIENT_ID) -> SignIn:
    browser = browser or Browser()
    try:
        return asyncio.run(sign_in(client_id=client_id, port=port or free_port(),
                                   endpoints=OAuthEndpoints.at(server.base_url), api_base_url=server.base_url,
                                   clock=clock, open_browser=browser.open, timeout=timeout))
    finally:
        browser.close()
