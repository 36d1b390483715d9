"""The open workspace: its file, its sandboxes, and the clock it runs on.

One object the window (or a test) holds while a workspace is open. Opening
another workspace closes this one first. The sample workspace keeps its own
fast-forward offset, so its clock (and its sandbox's) stays where the visitor
moved it, even across restarts; every other workspace runs on real time.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

from .clock import Clock
from .db import close_db, get_info, set_info
from .db.models import Account
from .paths import sample_workspace_path
from .sandbox.host import SAMPLE, SandboxHost
from .settings import SAMPLE_WINDOW_SECONDS, X_WINDOW_SECONDS, Settings
from .workspace import (
    connect_sandbox_account,
    is_sample,
    make_sample,
    open_workspace,
    sample_anchor,
    scoring_lockout_start,
)

CLOCK_OFFSET_KEY = "sample_clock_offset_seconds"


class WorkspaceSession:
    def __init__(self, path: str | Path, clock: Clock, settings: Settings):
        self.path = Path(path)
        self.clock = clock
        self.settings = settings
        open_workspace(self.path)
        self._applied_offset = self.clock_offset_seconds
        clock.advance(self._applied_offset)
        self.host = self._new_host()

    @classmethod
    def open_sample(cls, clock: Clock, settings: Settings) -> WorkspaceSession:
        """Open (creating it the first time) the sample workspace and connect its account."""
        session = cls(sample_workspace_path(), clock, settings)
        if not is_sample():
            make_sample(clock)
            session.host.stop_all()
            session.host = session._new_host()
        if not Account.select().exists():
            connect_sandbox_account(session.host, SAMPLE, clock)
        return session

    def _new_host(self) -> SandboxHost:
        return SandboxHost(self.clock, sample_anchor=sample_anchor(),
                           sample_window_seconds=self.settings.get(SAMPLE_WINDOW_SECONDS),
                           window_seconds=self.settings.get(X_WINDOW_SECONDS))

    # -- facts -----------------------------------------------------------

    @property
    def is_sample(self) -> bool:
        return is_sample()

    @property
    def title(self) -> str:
        return self.path.name

    @property
    def clock_offset_seconds(self) -> float:
        return float(get_info(CLOCK_OFFSET_KEY, "0") or 0)

    def lockout_start(self) -> datetime | None:
        return scoring_lockout_start()

    # -- actions -----------------------------------------------------------

    def fast_forward(self, days: float = 1.0) -> None:
        """Move the sample workspace's clock (and its sandbox's) ahead."""
        if not self.is_sample:
            raise ValueError("Only the sample workspace's clock can be moved.")
        self.clock.advance(timedelta(days=days))
        self._applied_offset += days * 86400
        set_info(CLOCK_OFFSET_KEY, str(self._applied_offset))

    def close(self) -> None:
        """Stop the sandboxes, close the file and take this workspace's offset off the clock."""
        self.host.stop_all()
        close_db()
        self.clock.advance(-self._applied_offset)
        self._applied_offset = 0.0


def delete_workspace_files(path: str | Path) -> None:
    """Delete a workspace file with its WAL companions and lock files (left by a killed process)."""
    path = Path(path)
    locks = [*path.parent.glob(f"{path.name}.sync-*.lock"), Path(f"{path}.backups.lock")]
    for candidate in [path, Path(f"{path}-wal"), Path(f"{path}-shm"), *locks]:
        try:
            os.remove(candidate)
        except FileNotFoundError:
            pass
