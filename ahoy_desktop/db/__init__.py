"""The workspace database: open a file, migrate it, bind the models."""

from __future__ import annotations

from pathlib import Path

from peewee import Database

from .migrations import LATEST_VERSION, WorkspaceTooNew, migrate
from .models import WorkspaceInfo, database_proxy
from .sqlite import open_sqlite

__all__ = ["init_db", "close_db", "get_info", "set_info", "WorkspaceTooNew", "LATEST_VERSION"]


def init_db(path: str | Path) -> Database:
    """Open the workspace at ``path``, create or migrate it, and bind the models."""
    path = Path(path)
    db = open_sqlite(path)
    db.connect(reuse_if_open=True)
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
