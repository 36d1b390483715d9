"""Prepared bulk writes for the sync's hot path.

Building SQL through peewee costs far more than running it when a page brings
a hundred rows; here each statement is built once per shape and run with the
DB-API's ``executemany``. The SQL is standard (``ON CONFLICT``, ``RETURNING``)
and works on SQLite 3.35+ and PostgreSQL alike; values go through each
field's own ``db_value`` so JSON and time columns are stored as peewee would.
"""

from __future__ import annotations

from functools import lru_cache

from peewee import BooleanField, DateTimeField, Model

from .models import JSONField, database_proxy


def _quote(name: str) -> str:
    return f'"{name}"'


def _columns(model: type[Model], names: tuple[str, ...]) -> list:
    return [model._meta.fields[name] for name in names]


# Text and numbers go to the driver as they are; only these need a conversion.
_CONVERTED = (DateTimeField, BooleanField, JSONField)


@lru_cache(maxsize=128)
def _converters(model: type[Model], names: tuple[str, ...]) -> tuple:
    return tuple(f.db_value if isinstance(f, _CONVERTED) else None for f in _columns(model, names))


def _rows(model: type[Model], names: tuple[str, ...], rows: list[tuple]) -> list:
    converters = [(i, c) for i, c in enumerate(_converters(model, names)) if c is not None]
    if not converters:
        return rows
    out = []
    for row in rows:
        row = list(row)
        for i, convert in converters:
            row[i] = convert(row[i])
        out.append(row)
    return out


@lru_cache(maxsize=64)
def _insert_sql(model: type[Model], names: tuple[str, ...], conflict: str) -> str:
    fields = _columns(model, names)
    param = database_proxy.obj.param
    return (
        f"INSERT INTO {_quote(model._meta.table_name)} ({', '.join(_quote(f.column_name) for f in fields)}) "
        f"VALUES ({', '.join(param for _ in fields)}){conflict}"
    )


@lru_cache(maxsize=64)
def _defaults(model: type[Model], names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple]:
    """Columns left out of ``names`` that have a model default, and those defaults."""
    fields = [f for f in model._meta.sorted_fields
              if f.name not in names and f.default is not None and not f.primary_key]
    return tuple(f.name for f in fields), tuple(f.default for f in fields)


def with_defaults(model: type[Model], names: tuple[str, ...], rows: list[tuple]) -> tuple[tuple[str, ...], list]:
    """Add the model's defaults for every column the caller did not give (as peewee would)."""
    extra, defaults = _defaults(model, names)
    if not extra:
        return names, rows
    return (*names, *extra), [(*row, *(d() if callable(d) else d for d in defaults)) for row in rows]


def insert_ignore(model: type[Model], names: tuple[str, ...], rows: list[tuple]) -> int:
    """Insert rows, skipping any that clash with a unique index; return how many went in."""
    if not rows:
        return 0
    names, rows = with_defaults(model, names, rows)
    sql = _insert_sql(model, names, " ON CONFLICT DO NOTHING")
    # The cursor counts the statement's own rows; the connection's total would add the search index's writes.
    cursor = database_proxy.obj.connection().cursor()
    cursor.executemany(sql, _rows(model, names, rows))
    return cursor.rowcount


def insert_new_ids(model: type[Model], names: tuple[str, ...], rows: list[tuple]) -> list[int]:
    """Insert rows under new ids, in order, with one ``executemany``; return the ids.

    SQLite only, inside a ``write_transaction`` (the write lock is held, so no
    one else can take the same ids).
    """
    if not rows:
        return []
    names, rows = with_defaults(model, names, rows)
    db = database_proxy.obj
    pk = model._meta.primary_key.column_name
    table = _quote(model._meta.table_name)
    start = (db.execute_sql(f"SELECT MAX({_quote(pk)}) FROM {table}").fetchone()[0] or 0) + 1
    ids = list(range(start, start + len(rows)))
    sql = _insert_sql(model, (model._meta.primary_key.name, *names), "")
    db.cursor().executemany(sql, [(i, *row) for i, row in zip(ids, _rows(model, names, rows), strict=True)])
    return ids


@lru_cache(maxsize=64)
def _upsert_sql(model: type[Model], names: tuple[str, ...], conflict: tuple[str, ...], update: tuple[str, ...],
                where: str) -> str:
    fields = {f.name: f for f in _columns(model, names)}
    target = ", ".join(_quote(model._meta.fields[n].column_name) for n in conflict)
    assignments = ", ".join(
        f"{_quote(fields[n].column_name)} = excluded.{_quote(fields[n].column_name)}" for n in update)
    base = _insert_sql(model, names, "")
    return f"{base} ON CONFLICT ({target}) DO UPDATE SET {assignments}" + (f" WHERE {where}" if where else "")


def upsert(model: type[Model], names: tuple[str, ...], rows: list[tuple], *, conflict: tuple[str, ...],
           update: tuple[str, ...], where: str = "") -> None:
    """Insert or update on a unique key; ``where`` (SQL on the stored row) guards the update."""
    if not rows:
        return
    names, rows = with_defaults(model, names, rows)
    sql = _upsert_sql(model, names, conflict, update, where)
    database_proxy.obj.cursor().executemany(sql, _rows(model, names, rows))


@lru_cache(maxsize=64)
def _update_sql(model: type[Model], names: tuple[str, ...]) -> str:
    param = database_proxy.obj.param
    sets = ", ".join(f"{_quote(f.column_name)} = {param}" for f in _columns(model, names))
    pk = model._meta.primary_key.column_name
    return f"UPDATE {_quote(model._meta.table_name)} SET {sets} WHERE {_quote(pk)} = {param}"


def update_by_id(model: type[Model], names: tuple[str, ...], rows: list[tuple]) -> None:
    """Update columns ``names`` of many rows; each row is (*values, id)."""
    if not rows:
        return
    sql = _update_sql(model, names)
    values = _rows(model, names, [row[:-1] for row in rows])
    database_proxy.obj.cursor().executemany(sql, [(*v, row[-1]) for v, row in zip(values, rows, strict=True)])


def select_in(sql: str, fixed: tuple, values: list, chunk: int = 500) -> list[tuple]:
    """Run ``sql`` (ending in ``IN``) for a list of values, in chunks; ``fixed`` params come first."""
    param = database_proxy.obj.param
    cursor = database_proxy.obj.cursor()
    rows: list[tuple] = []
    for start in range(0, len(values), chunk):
        part = values[start:start + chunk]
        cursor.execute(f"{sql} ({', '.join(param for _ in part)})", (*fixed, *part))
        rows.extend(cursor.fetchall())
    return rows
