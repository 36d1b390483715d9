"""Write rows of values as an Excel workbook, with openpyxl.

Text stays text: ids and handles are text cells (format ``@``), so no
spreadsheet rounds a 19-digit id, and a value starting with "=" is stored
as a string, never as a formula. Numbers are numbers, times are real dates
(Excel knows no time zones: they are written in UTC, and the header says so).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from ..clock import utc
from ..private_files import make_private

DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
SHEET_TITLE = "Members"


def _cell(sheet, value: object) -> WriteOnlyCell | object:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, utc(value).replace(tzinfo=None))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = DATE_FORMAT
        return cell
    # Control characters cannot be stored in the file format at all.
    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value)))
    cell.data_type = "s"  # never "f": text starting with "=" stays text
    cell.number_format = TEXT_FORMAT
    return cell


def write_xlsx(path: str | Path, headers: list[str], rows: Iterable[list[object]]) -> int:
    """Write the headers and rows as one sheet; return how many rows were written."""
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    try:
        with open(partial, "wb") as out:  # a folder that cannot be written fails here, before any work
            count = _write_book(out, headers, rows)
        make_private(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return count


def _write_book(out, headers: list[str], rows: Iterable[list[object]]) -> int:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = _cell(sheet, header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])
        count += 1
    book.save(out)
    return count
