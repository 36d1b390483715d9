"""Where the app keeps its files, per user and per platform."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths

from .settings import APPLICATION, ORGANIZATION


def data_dir() -> Path:
    """The per-user app data folder (``AHOY_DATA_DIR`` overrides it)."""
    override = os.environ.get("AHOY_DATA_DIR")
    if override:
        path = Path(override)
    else:
        QCoreApplication.setOrganizationName(ORGANIZATION)
        QCoreApplication.setApplicationName(APPLICATION)
        path = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_workspace_path() -> Path:
    return data_dir() / "workspace.ahoy.sqlite"


def sample_workspace_path() -> Path:
    """The sample workspace is a file of its own, so it never mixes with real data."""
    return data_dir() / "sample-workspace.ahoy.sqlite"
