"""Shared fixtures: offscreen Qt, a temporary data folder and workspace, real sandboxes."""

from __future__ import annotations

import copy
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("AHOY_SHARED_DIR", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
REAL_WORLD = CORPUS / "real-world.json"
BUILD_WORLD = SHARED / "tools" / "build_world.py"

# After the newest real post (2023) and the sample's anchors: every post is visible.
T0 = datetime(2026, 12, 1, 9, 0, 0, tzinfo=UTC)

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def isolated_user_files(tmp_path_factory, monkeypatch):
    """Settings and app data go to a fresh folder: tests never touch the user's files."""
    from PySide6.QtCore import QSettings

    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("AHOY_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(home / "config"))
    yield home


@pytest.fixture
def clock():
    from ahoy_desktop.clock import Clock

    return Clock(T0, frozen=True)


@pytest.fixture
def db_path(tmp_path):
    from ahoy_desktop.db import close_db, init_db

    path = tmp_path / "workspace.sqlite"
    init_db(path)
    yield path
    close_db()


@pytest.fixture(scope="session")
def real_world_data() -> dict:
    with open(REAL_WORLD, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture
def real_world(real_world_data) -> dict:
    return copy.deepcopy(real_world_data)


@pytest.fixture
def sandbox(clock):
    """Start a sandbox for a world dict: ``srv = sandbox(world, window_seconds=...)``."""
    from ahoy_desktop.sandbox.server import SandboxServer
    from ahoy_desktop.sandbox.world import World

    started = []

    def start(world: dict, **kwargs):
        server = SandboxServer(World(world), clock, **kwargs)
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


class FixedHost:
    """A SandboxHost stand-in that serves one already-running sandbox for every world key."""

    def __init__(self, server):
        self.server_ = server

    def base_url(self, world_key: str) -> str:
        return self.server_.base_url

    def stop_all(self) -> None:
        pass


@pytest.fixture
def connect(clock):
    """Connect the account of a running sandbox into the open workspace."""
    from ahoy_desktop.workspace import connect_sandbox_account

    def do(server, world_key: str = "test-world"):
        host = FixedHost(server)
        return connect_sandbox_account(host, world_key, clock), host

    return do


@pytest.fixture
def settings(isolated_user_files):
    """The app's typed settings, stored in an INI file of the test's own."""
    from PySide6.QtCore import QSettings

    from ahoy_desktop.settings import Settings

    return Settings(QSettings(str(isolated_user_files / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def app_context(qapp, clock, settings, tmp_path):
    """An AppContext with an empty workspace open (no account yet)."""
    from ahoy_desktop.session import WorkspaceSession
    from ui.context import AppContext

    context = AppContext(clock, settings)
    context.session = WorkspaceSession(tmp_path / "ui-workspace.sqlite", clock, settings)
    yield context
    if context.sync is not None:
        context.sync.shutdown()
    if context.session is not None:
        context.session.close()


@pytest.fixture
def synced_context(app_context):
    """An AppContext whose workspace has the real world's account connected and synced once."""
    from ahoy_desktop.workspace import connect_sandbox_account, sync_account

    session = app_context.session
    account = connect_sandbox_account(session.host, str(REAL_WORLD), app_context.clock)
    report = sync_account(account, session.host, app_context.clock)
    assert report.outcome == "ok", report.message
    return app_context


@pytest.fixture
def sample_context(qapp, clock, settings):
    """An AppContext with the sample workspace open (account connected, not yet synced)."""
    from ahoy_desktop.session import WorkspaceSession
    from ui.context import AppContext

    context = AppContext(clock, settings)
    context.session = WorkspaceSession.open_sample(clock, settings)
    yield context
    if context.sync is not None:
        context.sync.shutdown()
    context.session.close()


@pytest.fixture(scope="session")
def _synced_sample_template(tmp_path_factory, qapp):
    """The sample workspace synced once (clock frozen at T0), for tests to copy instead of re-syncing."""
    from PySide6.QtCore import QSettings

    from ahoy_desktop.accounts import active_accounts
    from ahoy_desktop.clock import Clock
    from ahoy_desktop.db.sqlite import backup_to
    from ahoy_desktop.paths import sample_workspace_path
    from ahoy_desktop.session import WorkspaceSession
    from ahoy_desktop.settings import Settings
    from ahoy_desktop.workspace import sync_account

    home = tmp_path_factory.mktemp("sample-template")
    saved = os.environ.get("AHOY_DATA_DIR")
    os.environ["AHOY_DATA_DIR"] = str(home / "data")
    try:
        clock = Clock(T0, frozen=True)
        settings = Settings(QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat))
        session = WorkspaceSession.open_sample(clock, settings)
        report = sync_account(active_accounts()[0], session.host, clock)
        assert report.outcome == "ok", report.message
        template = home / "synced-sample.sqlite"
        backup_to(sample_workspace_path(), template)
        synced_at = clock.now()  # waits for rate-limit windows moved the frozen clock on
        session.close()
    finally:
        if saved is None:
            os.environ.pop("AHOY_DATA_DIR", None)
        else:
            os.environ["AHOY_DATA_DIR"] = saved
    return template, synced_at


@pytest.fixture
def synced_sample_context(_synced_sample_template, qapp, clock, settings):
    """An AppContext with the sample workspace open, already synced once (a copy of one shared sync)."""
    import shutil

    from ahoy_desktop.paths import sample_workspace_path
    from ahoy_desktop.session import WorkspaceSession
    from ui.context import AppContext

    template, synced_at = _synced_sample_template
    shutil.copyfile(template, sample_workspace_path())
    clock.set(synced_at)
    context = AppContext(clock, settings)
    context.session = WorkspaceSession.open_sample(clock, settings)
    yield context
    if context.sync is not None:
        context.sync.shutdown()
    context.session.close()
