"""A local X API v2 sandbox: serves a world file over loopback HTTP like X does.

The app syncs against it with no credentials, and tests talk real HTTP to it.
Stdlib only; see ``corpus/WORLD-FORMAT.md`` for the world format.
"""

from ahoy_desktop.sandbox.server import SandboxServer
from ahoy_desktop.sandbox.world import World, WorldState

__all__ = ["SandboxServer", "World", "WorldState"]
