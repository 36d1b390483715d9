"""Members as an Excel workbook: text stays text, numbers and dates are real, nothing runs."""

from __future__ import annotations

from datetime import UTC, date, datetime

from openpyxl import load_workbook

from ahoy_desktop.custom_fields import create_custom_field
from ahoy_desktop.db.models import Identity, Member, MemberCustomValue
from ahoy_desktop.member_io.member_export import export_members
from ahoy_desktop.member_io.xlsx_export import write_xlsx

BIG_ID = "1456789012345678901"


def read_back(path):
    sheet = load_workbook(path).active
    return [list(row) for row in sheet.iter_rows()]


def test_writer_keeps_text_as_text_and_numbers_and_dates_real(tmp_path):
    path = tmp_path / "view.xlsx"
    when = datetime(2026, 12, 1, 9, 30, 15, tzinfo=UTC)
    rows = [[BIG_ID, "=1+2", "@handle", "-5", -5, 2.5, when, date(2026, 11, 30), None, True, "bell\x07"]]
    assert write_xlsx(path, ["id", "name", "handle", "text", "n", "x", "when", "day", "none", "flag", "ctl"],
                      rows) == 1
    header, cells = read_back(path)
    assert [c.value for c in header][:2] == ["id", "name"] and header[0].font.bold
    assert [c.data_type for c in cells[:4]] == ["s", "s", "s", "s"]
    assert [c.value for c in cells[:4]] == [BIG_ID, "=1+2", "@handle", "-5"]
    assert all(c.number_format == "@" for c in cells[:4])
    assert (cells[4].value, cells[4].data_type) == (-5, "n")
    assert (cells[5].value, cells[5].data_type) == (2.5, "n")
    assert cells[6].is_date and cells[6].value == datetime(2026, 12, 1, 9, 30, 15)
    assert cells[7].is_date and cells[7].value.date() == date(2026, 11, 30)
    assert cells[8].value is None
    assert cells[9].value is True
    assert cells[10].value == "bell\ufffd"
    assert not (tmp_path / "view.xlsx.part").exists()


def test_export_members_as_workbook(db_path, clock, tmp_path):
    now = clock.now().replace(microsecond=0)  # Excel keeps times to the millisecond
    score = create_custom_field("Balance", "number", now)
    member = Member.create(first_seen_at=now, name="=cmd|' /C calc'!A0", x_handle="Big_Id", followers=-7,
                           activity_count=3, last_active_at=now)
    Identity.create(member=member, x_user_id=BIG_ID, handle="Big_Id", handle_lower="big_id", first_seen_at=now)
    MemberCustomValue.create(member=member, field_key=score.key, value="-3.5", source="manual", updated_at=now)
    path = tmp_path / "members.xlsx"
    keys = ["name", "x_handle", "x_user_id", "followers", score.key, "activity_count", "last_active_at"]
    assert export_members(path, [member.id], keys) == 1
    header, cells = read_back(path)
    assert [c.value for c in header] == ["Name", "X handle", "X user id", "Followers", "Balance", "Activity count",
                                        "Last active (UTC)"]
    assert [c.value for c in cells] == ["=cmd|' /C calc'!A0", "Big_Id", BIG_ID, -7, -3.5, 3,
                                       now.replace(tzinfo=None)]
    assert [c.data_type for c in cells] == ["s", "s", "s", "n", "n", "n", "d"]
    assert not any(c.data_type == "f" for row in (header, cells) for c in row)


def test_export_job_writes_the_view_off_the_window_thread(app_context, qtbot, tmp_path):
    from ahoy_desktop.member_io.member_export import export_columns, member_rows
    from ui.member_export_job import XLSX, ExportJob

    now = app_context.clock.now()
    Member.create(first_seen_at=now, name="+1 the view", x_handle="viewed", followers=5)
    columns = [c for c in export_columns() if c.key in ("name", "x_handle", "followers")]
    job = ExportJob(tmp_path / "view.xlsx", XLSX, [c.header for c in columns], lambda: member_rows(None, columns))
    with qtbot.waitSignal(job.finished_ok, timeout=20000) as done:
        job.start()
    job.wait()
    assert done.args == [str(tmp_path / "view.xlsx"), 1]
    assert [c.value for c in read_back(tmp_path / "view.xlsx")[1]] == ["+1 the view", "viewed", 5]

    nowhere = ExportJob(tmp_path / "missing" / "view.xlsx", XLSX, ["Name"], lambda: [["x"]])
    with qtbot.waitSignal(nowhere.failed, timeout=20000) as failed:
        nowhere.start()
    nowhere.wait()
    assert failed.args[0].startswith("The file could not be written")


def test_the_view_exported_from_the_members_menu_as_a_workbook(app_context, qtbot, tmp_path):
    """What the user clicks: the view, hidden id included, ids and handles as text, numbers and days real."""
    from PySide6.QtWidgets import QMainWindow

    from ahoy_desktop.notes_tags import set_note
    from ui.member_actions import MemberActions
    from ui.member_export_job import XLSX
    from ui.members_tab import MembersTab

    now = app_context.clock.now()
    balance = create_custom_field("Balance", "number", now)
    met = create_custom_field("Met on", "date", now)
    member = Member.create(first_seen_at=now, name="=cmd|' /C calc'!A0", x_handle="Big_Id", followers=-7)
    Identity.create(member=member, x_user_id=BIG_ID, handle="Big_Id", handle_lower="big_id", first_seen_at=now)
    for field, value in ((balance, "-3.5"), (met, "2026-11-30")):
        MemberCustomValue.create(member=member, field_key=field.key, value=value, source="manual", updated_at=now)
    set_note(member.id, "=1+1 stays text", now)
    window = QMainWindow()
    tab = MembersTab(app_context)
    window.setCentralWidget(tab)
    actions = MemberActions(app_context, tab, window)
    qtbot.addWidget(window)
    tab.set_visible_columns(["name", "handle", "followers", "notes", balance.key, met.key])
    qtbot.waitUntil(lambda: not tab.model.busy)

    job = actions.export(XLSX, str(tmp_path / "view.xlsx"))
    qtbot.waitSignal(job.finished_ok, timeout=30_000).wait()
    actions.wait()

    header, cells = read_back(tmp_path / "view.xlsx")
    assert [c.value for c in header] == ["Name", "Handle", "X user id", "Followers", "Notes", "Balance", "Met on"]
    assert [c.value for c in cells[:6]] == ["=cmd|' /C calc'!A0", "Big_Id", BIG_ID, -7, "=1+1 stays text", -3.5]
    assert [c.data_type for c in cells[:6]] == ["s", "s", "s", "n", "s", "n"]
    assert cells[6].is_date and cells[6].value.date() == date(2026, 11, 30)
    assert not any(c.data_type == "f" for row in (header, cells) for c in row)
    tab.close()
