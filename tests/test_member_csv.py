"""Members through CSV: export then import is exact, bad rows are reported, nothing is half-written."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime

import pytest

from ahoy_desktop.custom_fields import create_custom_field, custom_fields
from ahoy_desktop.db import close_db, init_db
from ahoy_desktop.db.models import Identity, Member, MemberCustomValue
from ahoy_desktop.member_fields import BUILTIN_FIELDS
from ahoy_desktop.member_io.cells import guard, unguard
from ahoy_desktop.member_io.csv_export import write_csv
from ahoy_desktop.member_io.csv_read import CsvReadError, parse_text, read_csv
from ahoy_desktop.member_io.import_plan import (
    AMBIGUOUS_HANDLE,
    BAD_HANDLE,
    BAD_VALUE,
    CELL_COUNT,
    DUPLICATE,
    EMPTY_ROW,
    FORGOTTEN,
    IGNORE,
    NEW_FIELD,
    NUL_IN_ROW,
    QUOTE_NOT_CLOSED,
    ROUNDED_USER_ID,
    UNDECODABLE,
    MappingError,
    guess_mapping,
    import_targets,
    plan_import,
)
from ahoy_desktop.member_io.import_write import ImportOutdated, write_import
from ahoy_desktop.member_io.member_export import export_columns, export_members
from ahoy_desktop.notes_tags import note_of, set_note, set_tags, tags_of
from ahoy_desktop.workspace import sync_account

from .test_sync import expected_mentions

BIG_ID = "1456789012345678901"  # beyond 2**53: a spreadsheet number would round it
FORMULA_NAME = '=HYPERLINK("https://example.com","click")'


def snapshot() -> list[tuple]:
    """Everything an import carries over, per member, in a comparable form."""
    custom_names = {f.key: f.name for f in custom_fields()}
    members = []
    for member in Member.select().order_by(Member.id):
        builtin = tuple((f.key, _blank(getattr(member, f.key))) for f in BUILTIN_FIELDS)
        ids = tuple(sorted(i.x_user_id for i in member.identities if i.x_user_id))
        custom = tuple(sorted((custom_names[v.field_key], v.value) for v in member.custom_values if v.value))
        members.append((builtin, ids, custom, tuple(tags_of(member.id)), note_of(member.id)))
    return sorted(members, key=repr)


def _blank(value):
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def open_empty(tmp_path, name: str):
    close_db()
    init_db(tmp_path / name)


def import_file(path, now, mapping=None):
    table = read_csv(path)
    targets = import_targets()
    plan = plan_import(table, mapping or guess_mapping(table.headers, targets), targets)
    return plan, write_import(plan, now)


def add_member(now, handle, uid=None, **values) -> Member:
    member = Member.create(first_seen_at=now, x_handle=handle, **values)
    Identity.create(member=member, x_user_id=uid, handle=handle, handle_lower=handle.lower(), first_seen_at=now)
    return member


def add_tricky_members(now) -> list:
    """A formula-looking name, a 64-bit id, negative numbers, custom fields of every type; and a bare handle."""
    fields = [create_custom_field("Plan", "choice", now, choices=["Free", "Pro"]),
              create_custom_field("Balance", "number", now), create_custom_field("Met on", "date", now),
              create_custom_field("VIP", "yes_no", now), create_custom_field("Note", "text", now)]
    member = add_member(now, "Formula_Fan", BIG_ID, name=FORMULA_NAME, followers=-12, bio="  spaced\r\nout  ",
                        company="+ACME", avatar="https://pbs.twimg.com/profile_images/1/a_normal.jpg")
    set_tags(member.id, ["@team", "-x", "VIP"])
    set_note(member.id, "=1+1 is not run\nsecond line", now)
    for field, value in zip(fields, ["Pro", "-3.5", "2026-11-30", "true", "-not a formula"], strict=True):
        MemberCustomValue.create(member=member, field_key=field.key, value=value, source="manual", updated_at=now)
    add_member(now, "handle_only", None, name="Only a handle")
    return fields


def test_guard_then_unguard_is_exact_for_every_tricky_value():
    values = ["=1+2", "+33 6 12", "-5", "-5.5e3", "-", "@home", "\tTab", "\rCR", "'=x", "''=x", "'hello", "'-5",
              "plain", "", "'", "=", "1e5", "+", "'@"]
    for value in values:
        assert unguard(guard(value)) == value, value
    assert guard("=1+2") == "'=1+2" and guard("-5") == "-5" and guard("'hello") == "'hello"


def test_round_trip_into_an_empty_workspace_is_exact(db_path, clock, sandbox, connect, real_world, tmp_path):
    now = clock.now()
    server = sandbox(real_world)
    account, host = connect(server)
    assert sync_account(account, host, clock).outcome == "ok"
    plan_field, score, met, vip, note = add_tricky_members(now)
    before = snapshot()
    assert len(before) > 500
    path = tmp_path / "members.csv"
    assert export_members(path, None, None) == len(before)
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert f",{BIG_ID},".encode() in data
    assert b"'=HYPERLINK" in data and b",-12," in data

    open_empty(tmp_path, "empty.sqlite")
    for field in (plan_field, score, met, vip, note):
        create_custom_field(field.name, field.type, now, choices=field.choices)
    plan, result = import_file(path, now)
    assert plan.bad == []
    assert plan.mapping[[c.header for c in export_columns()].index("Activity count")] == IGNORE
    assert len(result.members_added) == len(before) and not result.members_updated
    assert snapshot() == before
    imported = Member.get(Member.x_handle == "Formula_Fan")
    assert imported.name == FORMULA_NAME and imported.followers == -12
    assert Identity.get(Identity.member == imported).x_user_id == BIG_ID
    assert set(imported.manual_fields) >= {"name", "x_handle", "followers", "bio"}
    assert tags_of(imported.id) == ["-x", "@team", "VIP"] and note_of(imported.id).startswith("=1+1")
    assert all(v.source == "manual" for v in MemberCustomValue.select())


def test_the_view_exported_from_the_members_menu_imports_back_exactly(synced_context, qtbot, tmp_path):
    """What the user clicks: every column shown, Members ▸ Export view as CSV, then Import into an empty workspace."""
    from PySide6.QtWidgets import QMainWindow

    from ahoy_desktop.session import WorkspaceSession
    from ui.member_actions import MemberActions
    from ui.member_export_job import CSV
    from ui.member_import_dialog import MemberImportDialog
    from ui.members_tab import MembersTab

    context = synced_context
    now = context.clock.now()
    fields = add_tricky_members(now)
    window = QMainWindow()
    tab = MembersTab(context)
    window.setCentralWidget(tab)
    actions = MemberActions(context, tab, window)
    qtbot.addWidget(window)
    window.show()
    for action in tab.column_menu().actions():  # the header's menu: show every column
        if not action.isChecked():
            action.trigger()
    qtbot.waitUntil(lambda: not tab.model.busy)
    before = snapshot()
    path = tmp_path / "view.csv"
    job = actions.export(CSV, str(path))
    with qtbot.waitSignal(job.finished_ok, timeout=30_000) as done:
        pass
    actions.wait()
    assert done.args[1] == len(before) > 500
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8) and f",{BIG_ID},".encode() in data
    assert b"'=HYPERLINK" in data and b",-12," in data

    context.workspace_closing.emit()
    context.session.close()
    context.session = WorkspaceSession(tmp_path / "empty.sqlite", context.clock, context.settings)
    context.workspace_opened.emit()
    for field in fields:
        create_custom_field(field.name, field.type, now, choices=field.choices)
    dialog = MemberImportDialog(context)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.plan_ready, timeout=30_000):
        dialog.load_file(path)
    assert dialog.problems.rowCount() == 0
    with qtbot.waitSignal(context.changed, timeout=30_000):
        dialog.import_button.click()
    dialog.wait_idle()
    assert snapshot() == before
    imported = Member.get(Member.x_handle == "Formula_Fan")
    assert imported.name == FORMULA_NAME and imported.followers == -12
    assert Identity.get(Identity.member == imported).x_user_id == BIG_ID
    tab.close()


BAD_FILE = (
    b"Name,Handle,Followers,X user id\r\n"
    b"Ada,ada_l,1200,\r\n"  # 2: good
    b"Bob,bob_b,lots,\r\n"  # 3: bad number
    b"Ada again,ADA_L,5,\r\n"  # 4: duplicate handle of row 2, ignoring case
    b",,,\r\n"  # 5: empty
    b"Cy,cy_c,3\r\n"  # 6: a cell short
    b"Dee,dee_d,7,1.45679E+18\r\n"  # 7: an id a spreadsheet rounded
    b"Eve,not a handle!,1,\r\n"  # 8: not an X handle
    b"Fay,fay_f,,\r\n"  # 9: good
) + b"Gus \xff\xfe,gus_g,1,\r\n"  # 10: bytes that are not UTF-8


def test_bad_rows_are_reported_and_nothing_is_written_until_chosen(db_path, clock, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD_FILE)
    table = read_csv(path)
    targets = import_targets()
    mapping = guess_mapping(table.headers, targets)
    assert mapping == ["name", "x_handle", "followers", "x_user_id"]
    members_before = Member.select().count()
    plan = plan_import(table, mapping, targets)
    assert Member.select().count() == members_before  # checking writes nothing
    assert [(b.number, b.code) for b in plan.bad] == [
        (3, BAD_VALUE), (4, DUPLICATE), (5, EMPTY_ROW), (6, CELL_COUNT), (7, ROUNDED_USER_ID), (8, BAD_HANDLE),
        (10, UNDECODABLE)]
    assert plan.bad[0].column == "Followers" and plan.bad[0].value == "lots" and "whole number" in plan.bad[0].detail
    assert plan.bad[1].value == "2"
    assert [r.number for r in plan.rows] == [2, 9]

    # "Import nothing" is not calling write_import: the workspace is as it was.
    assert Member.select().count() == members_before == 0
    result = write_import(plan, clock.now())
    assert sorted(Member.select(Member.x_handle).tuples()) == [("ada_l",), ("fay_f",)]
    assert Member.get(Member.x_handle == "ada_l").followers == 1200
    assert len(result.members_added) == 2


def test_a_row_naming_an_existing_member_updates_it_as_manual_values(db_path, clock, tmp_path):
    now = clock.now()
    known = add_member(now, "Known_One", "42", name="From X", location="Paris")
    twin_a = add_member(now, "twin", None)
    Member.create(first_seen_at=now, x_handle="TWIN", name="typed twin")
    path = tmp_path / "update.csv"
    path.write_text("name;x_handle;X user id;location\nKnown by id;;42;\nKnown by handle;known_one;;\n"
                    "Twin;Twin;;\n", encoding="utf-8")
    table = read_csv(path)
    assert table.delimiter == ";"
    plan = plan_import(table, guess_mapping(table.headers, import_targets()))
    assert [(b.number, b.code) for b in plan.bad] == [(3, DUPLICATE), (4, AMBIGUOUS_HANDLE)]
    assert [(r.number, r.member_id, r.member_name) for r in plan.rows] == [(2, known.id, "From X")]
    result = write_import(plan, now)
    assert result.members_updated == {known.id} and not result.members_added
    member = Member.get_by_id(known.id)
    assert (member.name, member.location, member.x_handle) == ("Known by id", "Paris", "Known_One")
    assert "name" in member.manual_fields and "location" not in member.manual_fields
    assert Member.get_by_id(twin_a.id).name == ""


def test_a_sync_between_check_and_import_writes_nothing(db_path, clock, tmp_path):
    now = clock.now()
    path = tmp_path / "late.csv"
    path.write_text("Name,Handle\nNew,newcomer\nOther,other_one\n", encoding="utf-8")
    table = read_csv(path)
    plan = plan_import(table, guess_mapping(table.headers, import_targets()))
    assert plan.new_count == 2
    add_member(now, "NewComer", "77")  # what a sync might do meanwhile
    with pytest.raises(ImportOutdated):
        write_import(plan, now)
    assert [m.x_handle for m in Member.select()] == ["NewComer"]


def test_import_then_sync_attaches_x_activity_by_handle_ignoring_case(db_path, clock, sandbox, connect, real_world,
                                                                     tmp_path):
    tweet = expected_mentions(real_world)[0]
    author = real_world["users"][tweet["author_id"]]
    path = tmp_path / "list.csv"
    path.write_text(f"Name,X handle,Company\nOur friend,@{author['username'].upper()},Acme\n", encoding="utf-8")
    _, result = import_file(path, clock.now())
    (imported,) = result.members_added
    assert Identity.get(Identity.member == imported).x_user_id is None

    server = sandbox(real_world)
    account, host = connect(server)
    assert sync_account(account, host, clock).outcome == "ok"
    assert Identity.get(Identity.x_user_id == author["id"]).member_id == imported
    assert Identity.select().where(Identity.x_user_id.is_null()).count() == 0
    member = Member.get_by_id(imported)
    assert member.activity_count >= 1 and member.name == "Our friend" and member.company == "Acme"
    assert member.raw_x_user["id"] == author["id"]  # X's profile is stored; the imported name stays


@pytest.mark.parametrize("encoding,delimiter", [
    ("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("utf-16-le", ","), ("utf-16-be", ";")])
def test_encodings_and_separators(db_path, tmp_path, encoding, delimiter):
    text = delimiter.join(["Name", "Handle", "Bio"]) + "\r\n" + delimiter.join(
        ["Zoë Łukasz 🚀", "zoe_l", '"a, b; c\tquoted"']) + "\r\n"
    path = tmp_path / "enc.csv"
    path.write_bytes(text.encode(encoding))
    table = read_csv(path)
    assert table.delimiter == delimiter
    assert table.headers == ["Name", "Handle", "Bio"]
    assert table.rows[0].cells == ["Zoë Łukasz 🚀", "zoe_l", "a, b; c\tquoted"]


def test_unreadable_files_say_why(db_path, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CsvReadError, match="empty"):
        read_csv(empty)
    with pytest.raises(CsvReadError, match="header"):
        parse_text("\n\nname\n")
    with pytest.raises(CsvReadError, match="cannot be read"):
        read_csv(tmp_path / "missing.csv")


def test_mapping_refuses_two_columns_into_one_field_and_new_fields_are_made(db_path, clock, tmp_path):
    table = parse_text("Name,Full name,Favourite colour\nAda,Ada L,teal\n")
    targets = import_targets()
    with pytest.raises(MappingError, match="same field"):
        plan_import(table, ["name", "name", IGNORE], targets)
    plan = plan_import(table, ["name", IGNORE, NEW_FIELD], targets)
    result = write_import(plan, clock.now())
    (key,) = result.fields_created
    (value,) = MemberCustomValue.select().where(MemberCustomValue.field_key == key)
    assert value.value == "teal" and value.source == "manual"
    with pytest.raises(MappingError, match="already a field"):
        plan_import(table, ["name", IGNORE, NEW_FIELD])


def test_writer_values_and_times(tmp_path):
    path = tmp_path / "view.csv"
    when = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    write_csv(path, ["id", "n", "x", "when", "none", "flag"], [[BIG_ID, -3, 2.5, when, None, True]])
    table = read_csv(path)
    assert table.rows[0].cells == [BIG_ID, "-3", "2.5", "2026-12-01T09:30:00.000Z", "", "yes"]
    assert not (tmp_path / "view.csv.part").exists()


def test_someone_forgotten_is_not_brought_back(db_path, clock, tmp_path):
    from ahoy_desktop.db.models import SuppressedXUser

    SuppressedXUser.create(x_user_id=BIG_ID, suppressed_at=clock.now())
    table = parse_text(f"Name,X user id\nGone,{BIG_ID}\nStays,12\n")
    plan = plan_import(table, guess_mapping(table.headers, import_targets()))
    assert [(b.number, b.code, b.value) for b in plan.bad] == [(2, FORGOTTEN, BIG_ID)]
    write_import(plan, clock.now())
    assert [i.x_user_id for i in Identity.select()] == ["12"]


def test_utf16_without_a_byte_order_mark_is_read_even_with_an_emoji(db_path, tmp_path):
    text = "Name\tHandle\nAda 🚀 Lovelace\tada_l\nBob\tbob_b\n"
    for encoding in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        table = read_csv(path)
        assert table.headers == ["Name", "Handle"]
        assert [list(row.cells) for row in table.rows][0] == ["Ada 🚀 Lovelace", "ada_l"]


def plan_of(text: str):
    table = parse_text(text)
    return plan_import(table, guess_mapping(table.headers, import_targets()))


def test_a_quote_never_closed_marks_its_row_and_the_rows_after_it_are_still_read(db_path):
    plan = plan_of("Name,Handle\nA,a1\nB,\"b1\nC,c1\nD,d1\nE,e1\n")
    assert [(b.number, b.code, b.value) for b in plan.bad] == [(3, QUOTE_NOT_CLOSED, "3")]
    assert [(r.number, r.handle) for r in plan.rows] == [(2, "a1"), (4, "c1"), (5, "d1"), (6, "e1")]

    # A second quote that closes the first by accident: both rows are named, none goes missing.
    plan = plan_of("Name,Handle\nA,a1\nB,\"b1\nC,c1\nD,\"d1\nE,e1\n")
    assert [(b.number, b.code, b.value) for b in plan.bad] == [(3, QUOTE_NOT_CLOSED, "3"), (5, QUOTE_NOT_CLOSED, "5")]
    assert [r.handle for r in plan.rows] == ["a1", "c1", "e1"]

    # Quoted cells that hold line breaks on purpose are cells as before; rows are counted as rows.
    plan = plan_of('Name,Handle,Bio\nA,a1,"two\nlines, and a comma"\nB,b1,"say ""hi"""\nC,"c1\n')
    assert [(r.number, r.handle, r.builtin.get("bio")) for r in plan.rows] == [
        (2, "a1", "two\nlines, and a comma"), (3, "b1", 'say "hi"')]
    assert [(b.number, b.code, b.value) for b in plan.bad] == [(4, QUOTE_NOT_CLOSED, "5")]
    with pytest.raises(CsvReadError, match="header row has a quote that is never closed"):
        parse_text('Name,"Handle\nA,a1\n')


def test_a_nul_character_marks_its_row_and_only_a_binary_file_is_refused(db_path, tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(b"Name,Handle\nA,a1\nB\x00,b1\nC,c1\n")
    plan = plan_import(read_csv(path), ["name", "x_handle"])
    assert [(b.number, b.code) for b in plan.bad] == [(3, NUL_IN_ROW)]
    assert [r.handle for r in plan.rows] == ["a1", "c1"]
    for binary in (b"PK\x03\x04" + bytes(300), b"\x00\x01\x02\x00" * 200, b"%PDF-1.7\n" + bytes(100)):
        path.write_bytes(binary)
        with pytest.raises(CsvReadError, match="not a text file"):
            read_csv(path)
