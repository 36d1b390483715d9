"""Starts the embedded sandboxes an open workspace needs, one per world.

The app and the command line ask the host for a sandbox account's base URL;
the host starts the server on a free loopback port the first time and keeps
it until ``stop_all``. All of them read the one shared clock.
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

from ..clock import Clock
from .server import SandboxServer
from .world import World

SAMPLE = "sample"


class SandboxHost:
    def __init__(self, clock: Clock, *, sample_anchor: datetime | None = None,
                 sample_window_seconds: float = 15.0, window_seconds: float = 900.0):
        self.clock = clock
        self.sample_anchor = sample_anchor
        self.sample_window_seconds = sample_window_seconds
        self.window_seconds = window_seconds
        self._servers: dict[str, SandboxServer] = {}
        self._lock = threading.Lock()

    def server(self, world_key: str) -> SandboxServer:
        """The running sandbox for a world ("sample" or a world file's path)."""
        with self._lock:
            server = self._servers.get(world_key)
            if server is None:
                server = self._start(world_key)
                self._servers[world_key] = server
            return server

    def base_url(self, world_key: str) -> str:
        return self.server(world_key).base_url

    def _start(self, world_key: str) -> SandboxServer:
        if world_key == SAMPLE:
            if self.sample_anchor is None:
                raise ValueError("The sample workspace has no anchor time.")
            from .sample_world import generate_sample_world

            world = World(generate_sample_world(self.sample_anchor))
            window = self.sample_window_seconds
        else:
            world = World.load(Path(world_key))
            window = self.window_seconds
        server = SandboxServer(world, self.clock, window_seconds=window)
        server.start()
        return server

    def stop_all(self) -> None:
        with self._lock:
            servers, self._servers = list(self._servers.values()), {}
        for server in servers:
            server.stop()
