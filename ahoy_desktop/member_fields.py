"""The member fields a workspace has: built-in ones (columns) and custom ones.

Built-in fields are columns of ``member`` so listing, sorting and re-applying
a mapping are plain SQL over one table. Custom fields (issue: settings) keep
their values in ``member_custom_value``.
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT, NUMBER, DATE, URL, YES_NO, CHOICE = "text", "number", "date", "url", "yes_no", "choice"


@dataclass(frozen=True)
class MemberField:
    key: str
    label: str
    type: str
    builtin: bool = True


BUILTIN_FIELDS: list[MemberField] = [
    MemberField("name", "Name", TEXT),
    MemberField("x_handle", "X handle", TEXT),
    MemberField("avatar", "Avatar", URL),
    MemberField("bio", "Bio", TEXT),
    MemberField("location", "Location", TEXT),
    MemberField("website", "Website", URL),
    MemberField("followers", "Followers", NUMBER),
    MemberField("company", "Company", TEXT),
    MemberField("job_title", "Job title", TEXT),
    MemberField("email", "Email", TEXT),
    MemberField("phone", "Phone", TEXT),
    MemberField("country", "Country", TEXT),
    MemberField("city", "City", TEXT),
]
# Tags are not a field: they are labels of the user's own, one row each (see ``notes_tags.py``).
BUILTIN_BY_KEY = {f.key: f for f in BUILTIN_FIELDS}
