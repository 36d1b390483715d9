"""Finding members by anything they are or said: names, handles, bios, fields, posts.

Two full-text indexes with SQLite's ``trigram`` tokenizer find any substring
of three or more characters in any script, ignoring case: ``member_fts`` holds
one text per member (its text fields, custom ones included) and
``activity_fts`` indexes the text of every activity (its content is the
``activity`` table itself, so the text is not stored twice). Triggers keep
both current through syncs, edits, merges and deletes, so no writer needs to
know they exist.

Trigrams cannot find one or two characters (a two-letter handle fragment, a
kanji, an emoji): those are looked for with ``instr`` over the same texts,
one call per case variant of the fragment, all in C.
"""

from __future__ import annotations

from itertools import product

from peewee import Database

from .db.models import database_proxy
from .member_fields import BUILTIN_FIELDS, TEXT, URL

MIN_TRIGRAM = 3
# The member's own texts that a search reads (the avatar is a picture's address, not text).
# Tags are the display copy kept in ``member.tags``.
MEMBER_TEXT_COLUMNS = (*(f.key for f in BUILTIN_FIELDS if f.type in (TEXT, URL) and f.key != "avatar"), "tags")


def _member_text(alias: str) -> str:
    """SQL for a member's searchable text, from the member row ``alias`` (``NEW`` in a trigger)."""
    parts = [f'coalesce({alias}."{column}", \'\')' for column in MEMBER_TEXT_COLUMNS]
    parts.append("coalesce((SELECT group_concat(v.\"value\", char(10)) FROM \"member_custom_value\" v "
                 f"WHERE v.\"member_id\" = {alias}.\"id\"), '')")
    return " || char(10) || ".join(parts)


def _changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in columns)


def _refresh_member(member_id: str) -> str:
    return (f'UPDATE "member_fts" SET "text" = (SELECT {_member_text("m")} FROM "member" m WHERE m."id" = {member_id}) '
            f'WHERE rowid = {member_id} AND EXISTS (SELECT 1 FROM "member" WHERE "id" = {member_id});')


def _statements() -> list[str]:
    text_columns = ", ".join(f'"{c}"' for c in MEMBER_TEXT_COLUMNS)
    new_id, new_member, old_member = 'NEW."id"', 'NEW."member_id"', 'OLD."member_id"'
    return [
        "CREATE VIRTUAL TABLE IF NOT EXISTS \"member_fts\" USING fts5(\"text\", tokenize='trigram')",
        "CREATE VIRTUAL TABLE IF NOT EXISTS \"activity_fts\" USING fts5(\"text\", content='activity', "
        "content_rowid='id', tokenize='trigram')",
        # Members: a new one, a changed text, a deleted one (forgetting a person removes their text).
        'CREATE TRIGGER IF NOT EXISTS "member_fts_insert" AFTER INSERT ON "member" BEGIN '
        f'INSERT INTO "member_fts" (rowid, "text") VALUES (NEW."id", {_member_text("NEW")}); END',
        f'CREATE TRIGGER IF NOT EXISTS "member_fts_update" AFTER UPDATE OF {text_columns} ON "member" '
        f'WHEN {_changed(MEMBER_TEXT_COLUMNS)} BEGIN {_refresh_member(new_id)} END',
        'CREATE TRIGGER IF NOT EXISTS "member_fts_delete" AFTER DELETE ON "member" BEGIN '
        'DELETE FROM "member_fts" WHERE rowid = OLD."id"; END',
        # Custom field values are part of their member's text.
        'CREATE TRIGGER IF NOT EXISTS "member_fts_custom_insert" AFTER INSERT ON "member_custom_value" BEGIN '
        f'{_refresh_member(new_member)} END',
        'CREATE TRIGGER IF NOT EXISTS "member_fts_custom_update" AFTER UPDATE ON "member_custom_value" BEGIN '
        f'{_refresh_member(old_member)} {_refresh_member(new_member)} END',
        'CREATE TRIGGER IF NOT EXISTS "member_fts_custom_delete" AFTER DELETE ON "member_custom_value" BEGIN '
        f'{_refresh_member(old_member)} END',
        # Activities: an external-content index must be told the old text to forget it.
        'CREATE TRIGGER IF NOT EXISTS "activity_fts_insert" AFTER INSERT ON "activity" '
        "WHEN NEW.\"text\" <> '' BEGIN "
        'INSERT INTO "activity_fts" (rowid, "text") VALUES (NEW."id", NEW."text"); END',
        'CREATE TRIGGER IF NOT EXISTS "activity_fts_delete" AFTER DELETE ON "activity" '
        "WHEN OLD.\"text\" <> '' BEGIN "
        "INSERT INTO \"activity_fts\" (\"activity_fts\", rowid, \"text\") VALUES ('delete', OLD.\"id\", OLD.\"text\"); "
        "END",
        'CREATE TRIGGER IF NOT EXISTS "activity_fts_update" AFTER UPDATE OF "text" ON "activity" '
        'WHEN OLD."text" IS NOT NEW."text" BEGIN '
        "INSERT INTO \"activity_fts\" (\"activity_fts\", rowid, \"text\") "
        "SELECT 'delete', OLD.\"id\", OLD.\"text\" WHERE OLD.\"text\" <> ''; "
        'INSERT INTO "activity_fts" (rowid, "text") SELECT NEW."id", NEW."text" WHERE NEW."text" <> \'\'; END',
    ]


def create_search_index(db: Database) -> None:
    """Create the indexes and their triggers, and index what the workspace already holds."""
    for sql in _statements():
        db.execute_sql(sql)
    db.execute_sql('DELETE FROM "member_fts"')
    db.execute_sql(f'INSERT INTO "member_fts" (rowid, "text") SELECT m."id", {_member_text("m")} FROM "member" m')
    db.execute_sql("INSERT INTO \"activity_fts\" (\"activity_fts\") VALUES ('delete-all')")
    db.execute_sql('INSERT INTO "activity_fts" (rowid, "text") SELECT "id", "text" FROM "activity" '
                   "WHERE \"text\" <> ''")


SEARCH_INDEXES = ("member_fts", "activity_fts")


def purge_deleted_text(execute) -> None:
    """Merge each index into one segment, so fragments of deleted text leave the file.

    FTS5 deletes by writing a tombstone: the deleted row's trigrams stay in
    older segments until those are merged. With secure delete on, the pages
    the merge frees are overwritten. ``execute(sql)`` runs SQL on the
    workspace or on a copy of it.
    """
    for index in SEARCH_INDEXES:
        execute(f"INSERT INTO \"{index}\" (\"{index}\") VALUES ('optimize')")


def check_search_index(db: Database) -> None:
    """Raise if an index is damaged or disagrees with the rows it indexes.

    Activities with no text are not indexed (most are likes), which SQLite's
    own comparison with the content table would count as a difference: the
    indexed ids are compared here instead.
    """
    db.execute_sql("INSERT INTO \"activity_fts\" (\"activity_fts\", rank) VALUES ('integrity-check', 0)")
    db.execute_sql("INSERT INTO \"member_fts\" (\"member_fts\") VALUES ('integrity-check')")
    checks = {
        "indexed activities that are gone or have no text":
            'SELECT COUNT(*) FROM "activity_fts_docsize" WHERE "id" NOT IN '
            "(SELECT \"id\" FROM \"activity\" WHERE \"text\" <> '')",
        "activities with text that are not indexed":
            "SELECT COUNT(*) FROM \"activity\" WHERE \"text\" <> '' AND \"id\" NOT IN "
            '(SELECT "id" FROM "activity_fts_docsize")',
        "indexed members that are gone":
            'SELECT COUNT(*) FROM "member_fts" WHERE rowid NOT IN (SELECT "id" FROM "member")',
        "members not indexed": 'SELECT COUNT(*) FROM "member" WHERE "id" NOT IN (SELECT rowid FROM "member_fts")',
        "members whose indexed text is out of date":
            'SELECT COUNT(*) FROM "member" m JOIN "member_fts" f ON f.rowid = m."id" '
            f'WHERE f."text" IS NOT ({_member_text("m")})',
    }
    for problem, sql in checks.items():
        if db.execute_sql(sql).fetchone()[0]:
            raise ValueError(f"search index: {problem}")


def normalized(text: str) -> str:
    """The search as typed, without surrounding blanks and with inner runs of blanks made one space."""
    return " ".join((text or "").split())


def case_variants(fragment: str) -> list[str]:
    """Every upper / lower case spelling of a short fragment ("ab" gives ab, aB, Ab, AB)."""
    choices = []
    for char in fragment:
        forms = {char, char.lower(), char.upper()}
        choices.append(sorted(f for f in forms if len(f) == 1))
    return sorted({"".join(p) for p in product(*choices)})


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def search_clause(text: str, member: str = 'm."id"') -> tuple[str, list]:
    """SQL true for members whose texts or activities contain ``text``; ("", []) for no search."""
    text = normalized(text)
    if not text:
        return "", []
    # "@name" asks for a handle: the member's own texts, not the posts that mention them.
    people_only = text.startswith("@") and len(text) > 1
    if people_only:
        text = text[1:]
    if len(text) >= MIN_TRIGRAM:
        phrase = _phrase(text)
        if people_only:
            return f'{member} IN (SELECT rowid FROM "member_fts" WHERE "member_fts" MATCH ?)', [phrase]
        return (f'{member} IN (SELECT rowid FROM "member_fts" WHERE "member_fts" MATCH ? '
                'UNION SELECT a."member_id" FROM "activity" a WHERE a."id" IN '
                '(SELECT rowid FROM "activity_fts" WHERE "activity_fts" MATCH ?))', [phrase, phrase])
    variants = case_variants(text)
    in_member = " OR ".join('instr("text", ?) > 0' for _ in variants)
    if people_only:
        return f'{member} IN (SELECT rowid FROM "member_fts" WHERE {in_member})', list(variants)
    in_activity = " OR ".join('instr(a."text", ?) > 0' for _ in variants)
    return (f'{member} IN (SELECT rowid FROM "member_fts" WHERE {in_member} '
            f'UNION SELECT a."member_id" FROM "activity" a WHERE a."text" <> \'\' AND ({in_activity}))',
            [*variants, *variants])


def matching_member_ids_sql(text: str) -> tuple[str, list]:
    """The bare index query behind a search: the ids of the members it finds (for the benchmark)."""
    sql, params = search_clause(text, member="x")
    return sql.removeprefix("x IN (").removesuffix(")"), params


class SearchMatches:
    """The members one search found, kept in a temporary table of the connection that asked.

    Reading a search's members a window at a time, and counting them, then
    costs one index query for the whole search instead of one per window:
    the first read fills the table, the next windows and the count read it
    (and page over only those members). A temporary table is private to its
    connection, so a read on another connection fills its own. ``forget()``
    after members or what they said changed.
    """

    def __init__(self):
        self._filled_for: tuple | None = None  # (connection, search, version)
        self._version = 0

    def forget(self) -> None:
        self._version += 1

    def clause(self, text: str, member: str = 'm."id"') -> tuple[str, list]:
        """Like ``search_clause``: SQL true for the members the search finds; ("", []) for no search."""
        text = normalized(text)
        if not text:
            return "", []
        db = database_proxy.obj
        wanted = (db.connection(), text, self._version)
        if self._filled_for != wanted:
            sql, params = matching_member_ids_sql(text)
            db.execute_sql('CREATE TEMP TABLE IF NOT EXISTS "member_match" ("id" INTEGER PRIMARY KEY)')
            db.execute_sql('DELETE FROM temp."member_match"')
            db.execute_sql(f'INSERT INTO temp."member_match" ("id") {sql.replace("?", db.param)}', params)
            self._filled_for = wanted
        return f'{member} IN (SELECT "id" FROM temp."member_match")', []
