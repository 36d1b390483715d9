"""Workspaces, their backups, logs and exports are readable by their owner only."""

from __future__ import annotations

import logging
import os
import stat

import pytest

from ahoy_desktop import backups
from ahoy_desktop.db import close_db, init_db
from ahoy_desktop.db.models import Member
from ahoy_desktop.private_files import make_private, private_dir

TOKEN = "bDZ1T3JhY2NlNXNfdG9rZW4tZm9yLXRoZS10ZXN0LTE3Mzk"

pytestmark = pytest.mark.skipif(os.name == "nt", reason="Windows keeps others out of the user's folders")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def open_umask():
    """Files would be readable by everyone if the app did nothing: the modes below are its doing."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_workspace_and_its_log_files_are_private(tmp_path, clock):
    path = tmp_path / "new.ahoy.sqlite"
    init_db(path)
    try:
        Member.create(name="Someone", x_handle="someone", first_seen_at=clock.now())
        assert mode(path) == 0o600
        for companion in (f"{path}-wal", f"{path}-shm"):
            assert os.path.exists(companion) and mode(companion) == 0o600
    finally:
        close_db()


def test_an_existing_readable_workspace_is_made_private_when_opened(tmp_path):
    path = tmp_path / "old.ahoy.sqlite"
    init_db(path)
    close_db()
    os.chmod(path, 0o644)
    init_db(path)
    close_db()
    assert mode(path) == 0o600


def test_backups_and_their_folder_are_private(db_path, clock):
    made = [backups.back_up_now(db_path), backups.run_daily_backup(db_path, clock.now()),
            backups.back_up_before_migration(db_path, 3)]
    assert mode(backups.backups_dir(db_path)) == 0o700
    for path in made:
        assert mode(path) == 0o600
    close_db()
    backups.restore_backup(made[0], db_path)
    assert mode(db_path) == 0o600


def test_an_existing_backups_folder_is_made_private(db_path):
    folder = backups.backups_dir(db_path)
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    backups.back_up_now(db_path)
    assert mode(folder) == 0o700


def test_member_exports_are_private(tmp_path):
    from ahoy_desktop.member_io.csv_export import write_csv
    from ahoy_desktop.member_io.xlsx_export import write_xlsx

    write_csv(tmp_path / "members.csv", ["Name"], [["Ada"]])
    write_xlsx(tmp_path / "members.xlsx", ["Name"], [["Ada"]])
    assert mode(tmp_path / "members.csv") == 0o600
    assert mode(tmp_path / "members.xlsx") == 0o600


def test_dashboard_exports_are_private(app_context, qtbot, tmp_path):
    from ahoy_desktop.dashboard import tables
    from ui.dashboard import export
    from ui.dashboard.charts import ActivityChart
    from ui.dashboard.tab import DashboardTab

    tab = DashboardTab(app_context)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: not tab.loading and tab.data is not None)
    export.save_png(tmp_path / "chart.png", ActivityChart, tab.data, width=400, scale=1)
    export.save_svg(tmp_path / "chart.svg", ActivityChart, tab.data, width=400)
    tab.export_report(str(tmp_path / "report.pdf"))
    tables.write_csv(tmp_path / "chart.csv", ["Day", "Likes"], [["2026-12-01", 3]])
    assert tab.shutdown(10_000)
    for name in ("chart.png", "chart.svg", "report.pdf", "chart.csv"):
        assert mode(tmp_path / name) == 0o600, name


def test_the_app_log_is_private(isolated_user_files):
    from ahoy_desktop.paths import data_dir
    from ui.app import _set_up_logging

    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        _set_up_logging()
        assert mode(data_dir() / "ahoy-desktop.log") == 0o600
        logging.getLogger("ahoy_desktop.sync").warning("X refused Authorization: Bearer %s", TOKEN)
        for handler in root.handlers:
            handler.flush()
        written = (data_dir() / "ahoy-desktop.log").read_text(encoding="utf-8")
        assert "X refused Authorization: [redacted]" in written and TOKEN not in written
    finally:
        for handler in root.handlers:
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()


def test_make_private_tightens_files_and_folders(tmp_path):
    loose = tmp_path / "loose.txt"
    loose.write_text("member data")
    os.chmod(loose, 0o664)
    make_private(loose)
    folder = private_dir(tmp_path / "a" / "b")
    assert mode(loose) == 0o600 and mode(folder) == 0o700
    make_private(tmp_path / "missing")  # nothing to do, no error
