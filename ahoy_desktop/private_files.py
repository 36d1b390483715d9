"""Files only their owner can read: workspaces, backups, logs and exports.

A workspace holds personal data about a whole community; on a shared
computer other accounts must not read it or its copies. On POSIX systems the
app creates its files with a private umask and tightens the mode of any file
it writes; on Windows the user's profile folders already keep others out,
so nothing is changed there.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700
PRIVATE_UMASK = 0o077

ENFORCED = os.name != "nt"


def use_private_umask() -> None:
    """Make every file and folder this process creates from now on private (call once at start)."""
    if ENFORCED:
        os.umask(PRIVATE_UMASK)


def make_private(path: str | Path) -> None:
    """Restrict an existing file (0600) or folder (0700) to its owner; a missing path is left alone."""
    if not ENFORCED:
        return
    path = Path(path)
    try:
        os.chmod(path, PRIVATE_DIR_MODE if path.is_dir() else PRIVATE_FILE_MODE)
    except FileNotFoundError:
        pass


def private_dir(path: str | Path) -> Path:
    """Create a folder (and its parents) if needed, and make the folder itself private."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    make_private(path)
    return path


def create_private_file(path: str | Path) -> Path:
    """Create an empty file that is private from its first byte (an existing one is made private)."""
    path = Path(path)
    if ENFORCED:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE)
        os.close(fd)
        make_private(path)
    else:
        path.touch()
    return path


def make_workspace_private(path: str | Path) -> None:
    """A workspace with its write-ahead log and shared-memory index: all hold member data."""
    for candidate in (Path(path), Path(f"{path}-wal"), Path(f"{path}-shm")):
        make_private(candidate)
