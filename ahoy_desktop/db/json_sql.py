"""SQL that reads X fields out of each member's stored X user object (SQLite JSON1).

Re-applying a mapping to 100k members is then a few UPDATE statements, not
100k objects decoded in Python; the sync uses the same SQL for the members of
each page, so there is one definition of what a mapping writes. SQLite-only:
a PostgreSQL workspace would express these with jsonb operators.
"""

from __future__ import annotations

from ..xfields import X_FIELDS_BY_KEY

RAW = '"raw_x_user"'


def _json_path(path: tuple[str, ...]) -> str:
    return "'$." + ".".join(path) + "'"


def presence(x_field: str, raw: str = RAW) -> str:
    """True where X returned this field (a JSON null counts as returned)."""
    if x_field == "website":
        return f"({value(x_field, 'text', raw)}) IS NOT NULL"
    return f"json_type({raw}, {_json_path(X_FIELDS_BY_KEY[x_field].path)}) IS NOT NULL"


def value(x_field: str, member_type: str, raw: str = RAW) -> str:
    """The field's value as a member field of ``member_type`` stores it."""
    if x_field == "website":
        urls = "'$.entities.url.urls[0]"
        return (f"COALESCE(json_extract({raw}, {urls}.expanded_url'), json_extract({raw}, {urls}.url'), "
                f"CASE WHEN json_extract({raw}, '$.url') = '' THEN '' END)")
    field = X_FIELDS_BY_KEY[x_field]
    path = _json_path(field.path)
    extracted = f"json_extract({raw}, {path})"
    if member_type == "number":
        return f"CAST({extracted} AS INTEGER)"
    if field.kind == "bool":
        return f"CASE json_type({raw}, {path}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' END"
    if field.kind == "number":
        return f"CAST({extracted} AS TEXT)"
    return extracted
