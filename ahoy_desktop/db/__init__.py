"""The workspace database: open a file, migrate it, bind the models."""

from __future__ import annotations

from pathlib import Path

from peewee import Database

from ..private_files import create_private_file, make_workspace_private
from .file_check import NotAWorkspace, WorkspaceCorrupt, check_workspace_file
from .migrations import LATEST_VERSION, WorkspaceTooNew, migrate, refuse_if_too_new
from .models import WorkspaceInfo, database_proxy
from .sqlite import open_sqlite

__all__ = ["init_db", "close_db", "get_info", "set_info", "WorkspaceTooNew", "WorkspaceCorrupt", "NotAWorkspace",
           "LATEST_VERSION"]


def init_db(path: str | Path) -> Database:
    """Open the workspace at ``path``, create or migrate it, and bind the models.

    A damaged file is moved aside first (WorkspaceCorrupt); one from a newer
    version (WorkspaceTooNew) or another program's database (NotAWorkspace)
    is refused before anything writes to it. An empty file becomes a workspace.
    """
    path = Path(path)
    refuse_if_too_new(check_workspace_file(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    create_private_file(path)  # SQLite gives its -wal and -shm files the same mode
    db = open_sqlite(path)
    db.connect(reuse_if_open=True)
    make_workspace_private(path)
    database_proxy.initialize(db)
    migrate(db, path)
    return db


def close_db() -> None:
    db = database_proxy.obj
    if db is not None and not db.is_closed():
        db.close()


def get_info(key: str, default: str | None = None) -> str | None:
    row = WorkspaceInfo.get_or_none(WorkspaceInfo.key == key)
    return row.value if row else default


def set_info(key: str, value: str) -> None:
    WorkspaceInfo.insert(key=key, value=value).on_conflict(
        conflict_target=[WorkspaceInfo.key], update={WorkspaceInfo.value: value}
    ).execute()
