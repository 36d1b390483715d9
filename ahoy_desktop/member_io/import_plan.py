"""From cells to checked member values: the column mapping and the validation report.

Nothing here writes. Every row ends up either planned (its values parsed as
the fields store them, and whether it makes a new member or updates one) or
bad, with its row number and a reason code the window puts in words.

A row that names someone already in the workspace (the same X user id, or
the same handle ignoring case) updates that member: its non-empty cells are
written as manual values, like values typed in the profile, and empty cells
leave the member's values alone. A row whose id and handle point at two
different members, or whose handle matches several members, is bad.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..custom_fields import MAX_NAME, CustomFieldError, normalized_value
from ..db import bulk
from ..db.models import CustomField, Member
from ..member_fields import BUILTIN_BY_KEY, BUILTIN_FIELDS, NUMBER, TEXT
from ..members import InvalidFieldValue, parse_field_value
from ..notes_tags import InvalidTag, parse_tags
from ..sync.members import suppressed_among
from .csv_read import BAD_BYTES, NUL_CHARACTER, UNCLOSED_QUOTE, CsvTable

IGNORE = ""
NEW_FIELD = "+new"  # a new custom text field, named after the column
X_USER_ID = "x_user_id"
HANDLE = "x_handle"
TAGS = "tags"
NOTES = "notes"

# Reason codes of a bad row.
EMPTY_ROW = "empty_row"
CELL_COUNT = "cell_count"
UNDECODABLE = BAD_BYTES
NUL_IN_ROW = NUL_CHARACTER
QUOTE_NOT_CLOSED = UNCLOSED_QUOTE  # the value is the line where the quote opens
BAD_VALUE = "bad_value"
BAD_HANDLE = "bad_handle"
BAD_USER_ID = "bad_user_id"
ROUNDED_USER_ID = "rounded_user_id"
DUPLICATE = "duplicate"
AMBIGUOUS_HANDLE = "ambiguous_handle"
ID_HANDLE_CONFLICT = "id_handle_conflict"
FORGOTTEN = "forgotten"  # an X user who asked to be forgotten: never brought back

_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
_USER_ID = re.compile(r"\d{1,20}")
_SCIENTIFIC = re.compile(r"\d+([.,]\d+)?[eE]\+?\d+")
_ID_SEPARATORS = re.compile(r"[;,\s]+")
_WORDS = re.compile(r"[^0-9a-z]+")

# Other tools' names for the columns this app knows.
SYNONYMS = {
    "name": ["full name", "display name", "member name", "person"],
    HANDLE: ["handle", "username", "user name", "screen name", "twitter", "twitter handle", "x", "x username",
             "twitter username"],
    X_USER_ID: ["user id", "twitter id", "twitter user id", "x id", "id str", "author id"],
    "bio": ["description", "about"],
    "website": ["url", "web", "site", "homepage"],
    "followers": ["followers count", "follower count"],
    "company": ["organization", "organisation", "employer"],
    "job_title": ["title", "role", "position", "job"],
    "email": ["e mail", "mail", "email address"],
    "phone": ["telephone", "mobile", "phone number"],
    TAGS: ["tag", "labels", "label"],
    NOTES: ["note", "comments", "comment"],
}


class MappingError(ValueError):
    """A column mapping that cannot be used; the message says why."""


@dataclass(frozen=True)
class ImportTarget:
    key: str
    label: str
    type: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class BadRow:
    number: int
    code: str
    column: str = ""  # the header of the column at fault, if one is
    value: str = ""  # the cell's text, or the other row's number for a duplicate
    detail: str = ""  # the field's own explanation of a bad value


@dataclass
class PlannedRow:
    number: int
    builtin: dict[str, object]  # field key -> value as stored (non-empty cells only)
    custom: dict[str, str]  # custom field key, or NEW_FIELD:<column index>, -> value as stored
    x_user_ids: list[str]
    handle: str
    tags: list[str] = field(default_factory=list)
    note: str = ""
    member_id: int | None = None  # the member it updates; None makes a new one
    member_name: str = ""


@dataclass
class ImportPlan:
    headers: list[str]
    mapping: list[str]  # per column: a target key, IGNORE or NEW_FIELD
    rows: list[PlannedRow] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)

    @property
    def new_count(self) -> int:
        return sum(1 for r in self.rows if r.member_id is None)

    @property
    def update_count(self) -> int:
        return sum(1 for r in self.rows if r.member_id is not None)

    def new_field_names(self) -> dict[int, str]:
        """Column index -> name of each custom field the import creates."""
        return {i: self.headers[i] for i, key in enumerate(self.mapping) if key == NEW_FIELD}


def import_targets() -> list[ImportTarget]:
    """The member fields a column can fill: built-in ones, the X user id, tags, notes and custom ones."""
    targets = [ImportTarget(f.key, f.label, f.type) for f in BUILTIN_FIELDS[:2]]
    targets.append(ImportTarget(X_USER_ID, "X user id", TEXT))
    targets += [ImportTarget(f.key, f.label, f.type) for f in BUILTIN_FIELDS[2:]]
    targets += [ImportTarget(TAGS, "Tags", TEXT), ImportTarget(NOTES, "Notes", TEXT)]
    for custom in CustomField.select().order_by(CustomField.name):
        targets.append(ImportTarget(custom.key, custom.name, custom.type, tuple(custom.choices or ())))
    return targets


def _words(text: str) -> str:
    return _WORDS.sub(" ", text.lower()).strip()


def guess_mapping(headers: list[str], targets: list[ImportTarget]) -> list[str]:
    """A target for each column whose header names a field (label, key or a usual synonym)."""
    names: dict[str, str] = {}
    for target in targets:  # a field's own name wins over another's synonym
        for name in (target.label, target.key):
            names.setdefault(_words(name), target.key)
    for target in targets:
        for name in SYNONYMS.get(target.key, []):
            names.setdefault(_words(name), target.key)
    mapping, used = [], set()
    for header in headers:
        key = names.get(_words(header), IGNORE)
        if key in used:
            key = IGNORE
        used.add(key)
        mapping.append(key)
    return mapping


def check_mapping(headers: list[str], mapping: list[str], targets: list[ImportTarget]) -> None:
    """Refuse a mapping that fills a field twice, fills nothing, or makes a field that cannot be made."""
    if len(mapping) != len(headers):
        raise MappingError("The mapping does not cover every column of the file.")
    known = {t.key for t in targets}
    seen: dict[str, str] = {}
    for header, key in zip(headers, mapping, strict=True):
        if key == IGNORE:
            continue
        if key == NEW_FIELD:
            _check_new_field_name(header, targets)
            continue
        if key not in known:
            raise MappingError(f"There is no member field {key!r} any more.")
        if key in seen:
            raise MappingError(f"The columns “{seen[key]}” and “{header}” both fill the same field; "
                               f"choose one of them.")
        seen[key] = header
    if not seen and NEW_FIELD not in mapping:
        raise MappingError("No column is imported: choose a member field for at least one column.")


def _check_new_field_name(header: str, targets: list[ImportTarget]) -> None:
    name = " ".join(header.split())
    if not name:
        raise MappingError("A column without a header cannot become a new field.")
    if len(name) > MAX_NAME:
        raise MappingError(f"“{name}” is too long for a field name (at most {MAX_NAME} characters).")
    if any(name.lower() in (t.label.lower(), t.key.lower()) for t in targets):
        raise MappingError(f"There is already a field called “{name}”: import the column into it.")


def plan_import(table: CsvTable, mapping: list[str], targets: list[ImportTarget] | None = None) -> ImportPlan:
    """Check every row against the mapping and the workspace; write nothing."""
    targets = import_targets() if targets is None else targets
    check_mapping(table.headers, mapping, targets)
    by_key = {t.key: t for t in targets}
    plan = ImportPlan(list(table.headers), list(mapping))
    width = len(table.headers)
    for row in table.rows:
        cells = row.cells
        if row.problem == BAD_BYTES:
            plan.bad.append(BadRow(row.number, UNDECODABLE))
            continue
        if row.problem == NUL_CHARACTER:
            plan.bad.append(BadRow(row.number, NUL_IN_ROW))
            continue
        if row.problem == UNCLOSED_QUOTE:
            plan.bad.append(BadRow(row.number, QUOTE_NOT_CLOSED, value=str(row.problem_line)))
            continue
        if not any(c.strip() for c in cells):
            plan.bad.append(BadRow(row.number, EMPTY_ROW))
            continue
        if len(cells) > width and not any(c.strip() for c in cells[width:]):
            cells = cells[:width]  # a spreadsheet's trailing empty cells
        if len(cells) != width:
            plan.bad.append(BadRow(row.number, CELL_COUNT, value=str(len(cells)), detail=str(width)))
            continue
        planned = _plan_row(row.number, cells, plan, by_key)
        if isinstance(planned, BadRow):
            plan.bad.append(planned)
        else:
            plan.rows.append(planned)
    _drop_duplicates(plan)
    match_members(plan)
    plan.bad.sort(key=lambda b: b.number)
    return plan


def _plan_row(number: int, cells: list[str], plan: ImportPlan, by_key: dict[str, ImportTarget]):
    row = PlannedRow(number, {}, {}, [], "")
    anything = False
    for index, (header, key, cell) in enumerate(zip(plan.headers, plan.mapping, cells, strict=True)):
        text = cell.strip()
        if key == IGNORE or not text:
            continue
        anything = True
        if key == X_USER_ID:
            for uid in (u for u in _ID_SEPARATORS.split(text) if u):
                if _SCIENTIFIC.fullmatch(uid):
                    return BadRow(number, ROUNDED_USER_ID, header, text)
                if not _USER_ID.fullmatch(uid):
                    return BadRow(number, BAD_USER_ID, header, text)
                if uid not in row.x_user_ids:
                    row.x_user_ids.append(uid)
        elif key == HANDLE:
            handle = text.removeprefix("@")
            if not _HANDLE.fullmatch(handle):
                return BadRow(number, BAD_HANDLE, header, text)
            row.handle = handle
            row.builtin[HANDLE] = handle
        elif key == NEW_FIELD:
            row.custom[f"{NEW_FIELD}:{index}"] = cell
        elif key == TAGS:
            try:
                row.tags = parse_tags(text)
            except InvalidTag as exc:
                return BadRow(number, BAD_VALUE, header, text, str(exc))
        elif key == NOTES:
            row.note = cell.strip("\n\r ")  # as the profile stores a note
        elif key in BUILTIN_BY_KEY:
            if BUILTIN_BY_KEY[key].type != NUMBER:
                row.builtin[key] = cell  # text is kept as written, spaces and all: a round trip is exact
                continue
            try:
                row.builtin[key] = parse_field_value(key, text)
            except InvalidFieldValue as exc:
                return BadRow(number, BAD_VALUE, header, text, str(exc))
        else:
            target = by_key[key]
            if target.type == TEXT:
                row.custom[key] = cell
                continue
            try:
                row.custom[key] = normalized_value(target.type, text, list(target.choices))
            except CustomFieldError as exc:
                return BadRow(number, BAD_VALUE, header, text, str(exc))
    if not anything:
        return BadRow(number, EMPTY_ROW)
    return row


def _drop_duplicates(plan: ImportPlan) -> None:
    """A handle or an X user id given twice in the file: the later row is bad."""
    first_by: dict[str, int] = {}
    kept = []
    for row in plan.rows:
        keys = [f"id:{u}" for u in row.x_user_ids] + ([f"handle:{row.handle.lower()}"] if row.handle else [])
        earlier = next((first_by[k] for k in keys if k in first_by), None)
        if earlier is not None:
            plan.bad.append(BadRow(row.number, DUPLICATE, value=str(earlier)))
            continue
        for k in keys:
            first_by[k] = row.number
        kept.append(row)
    plan.rows = kept


def existing_members(rows: list[PlannedRow]) -> tuple[dict[str, int], dict[str, set[int]]]:
    """Members already holding these X user ids, and those going by these handles (ignoring case)."""
    ids = sorted({u for r in rows for u in r.x_user_ids})
    by_id = dict((uid, m) for uid, m in bulk.select_in(
        'SELECT "x_user_id", "member_id" FROM "identity" WHERE "x_user_id" IN', (), ids))
    handles = {r.handle.lower() for r in rows if r.handle}
    by_handle: dict[str, set[int]] = {}
    if handles:
        for handle_lower, member_id in bulk.select_in(
                'SELECT "handle_lower", "member_id" FROM "identity" WHERE "handle_lower" IN', (), sorted(handles)):
            by_handle.setdefault(handle_lower, set()).add(member_id)
        # Members typed in by hand may have a handle and no identity: one pass over the handles column.
        query = Member.select(Member.id, Member.x_handle).where(Member.x_handle != "").tuples()
        for member_id, handle in query.iterator():
            if handle.lower() in handles:
                by_handle.setdefault(handle.lower(), set()).add(member_id)
    return by_id, by_handle


def match_members(plan: ImportPlan) -> None:
    """Decide, for each planned row, which member it updates (or that it makes a new one)."""
    by_id, by_handle = existing_members(plan.rows)
    forgotten = suppressed_among(sorted({u for r in plan.rows for u in r.x_user_ids}))
    kept, claimed = [], {}
    for row in plan.rows:
        gone = [u for u in row.x_user_ids if u in forgotten]
        if gone:
            plan.bad.append(BadRow(row.number, FORGOTTEN, value=gone[0]))
            continue
        id_members = {by_id[u] for u in row.x_user_ids if u in by_id}
        handle_members = by_handle.get(row.handle.lower(), set()) if row.handle else set()
        member_id, bad = None, None
        if len(id_members) > 1:
            bad = BadRow(row.number, ID_HANDLE_CONFLICT, value=row.handle or ", ".join(row.x_user_ids))
        elif id_members:
            member_id = next(iter(id_members))
            if handle_members and member_id not in handle_members:
                bad = BadRow(row.number, ID_HANDLE_CONFLICT, value=row.handle)
        elif len(handle_members) > 1:
            bad = BadRow(row.number, AMBIGUOUS_HANDLE, value=row.handle)
        elif handle_members:
            member_id = next(iter(handle_members))
        if bad is None and member_id is not None and member_id in claimed:
            bad = BadRow(row.number, DUPLICATE, value=str(claimed[member_id]))
        if bad is not None:
            plan.bad.append(bad)
            continue
        row.member_id = member_id
        if member_id is not None:
            claimed[member_id] = row.number
        kept.append(row)
    names = dict(bulk.select_in('SELECT "id", "name" FROM "member" WHERE "id" IN', (),
                                sorted(claimed))) if claimed else {}
    for row in kept:
        row.member_name = names.get(row.member_id, "") if row.member_id is not None else ""
    plan.rows = kept
