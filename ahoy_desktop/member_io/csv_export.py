"""Write rows of values as CSV a spreadsheet opens safely and this app reads back exactly.

UTF-8 with a byte-order mark (so spreadsheets pick the right encoding),
ids as their digits (they come as text), times as ISO 8601 in UTC, and no
cell a spreadsheet would run as a formula (see ``cells.py``). The file is
written beside its target and moved into place, so a failure never leaves
half a file.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from ..clock import to_iso
from ..private_files import make_private
from .cells import guard


def csv_text(value: object) -> str:
    """How one Python value is written in a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime):
        return to_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return guard(str(value))


def write_csv(path: str | Path, headers: list[str], rows: Iterable[list[object]]) -> int:
    """Write the headers and rows; return how many rows were written."""
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    count = 0
    try:
        with open(partial, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow([guard(h) for h in headers])
            for row in rows:
                writer.writerow([csv_text(v) for v in row])
                count += 1
        make_private(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return count
