"""Read a CSV file someone made elsewhere: find its encoding and separator, split it into cells.

Encodings: UTF-8 with or without a byte-order mark, and UTF-16 (with a mark,
or without one when the zero bytes give it away). Bytes that are not valid
in the encoding do not stop the reading: the rows holding them are marked,
so the report can name them. Separators: comma, semicolon or tab, chosen by
which one splits the first lines into the same number of cells.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .cells import unguard

DELIMITERS = (",", ";", "\t")
SNIFF_LINES = 50
BAD_BYTES = "bad_bytes"


class CsvReadError(ValueError):
    """A file that cannot be read as CSV at all; the message says why."""


@dataclass(frozen=True)
class CsvRow:
    number: int  # as a spreadsheet numbers it: the header is row 1
    cells: list[str]
    problem: str = ""  # BAD_BYTES when some bytes could not be decoded


@dataclass
class CsvTable:
    headers: list[str]
    rows: list[CsvRow] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","


def detect_encoding(data: bytes) -> tuple[str, int]:
    """The encoding of the file's bytes, and how many bytes of byte-order mark to skip."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    head = data[:4000]
    if len(head) >= 4:
        even_zeros, odd_zeros = head[0::2].count(0), head[1::2].count(0)
        # Mostly ASCII text in UTF-16 has a zero in every other byte; a few characters beyond
        # Latin (an emoji, a CJK name) put the odd zero on the other side.
        if odd_zeros > len(head) // 4 and even_zeros <= odd_zeros // 20:
            return "utf-16-le", 0
        if even_zeros > len(head) // 4 and odd_zeros <= even_zeros // 20:
            return "utf-16-be", 0
    return "utf-8", 0


def decode(data: bytes) -> tuple[str, str]:
    """The text of the file and its encoding; undecodable bytes become lone surrogates."""
    encoding, skip = detect_encoding(data)
    body = data[skip:]
    if encoding.startswith("utf-16") and len(body) % 2:
        body += b"\x00"  # a cut-off last character shows up as a bad row, not as a crash
    errors = "surrogateescape" if encoding == "utf-8" else "replace"
    return body.decode(encoding, errors=errors), encoding


_BAD_BYTES = re.compile("[\ufffd\udc80-\udcff]")  # what undecodable bytes decode to


def _has_bad_bytes(cells: list[str]) -> bool:
    return _BAD_BYTES.search("".join(cells)) is not None


def detect_delimiter(text: str) -> str:
    """The separator that splits the first lines into the most cells, the same number on each line."""
    sample = "\n".join(text.splitlines()[:SNIFF_LINES])
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        rows = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r]
        if not rows:
            continue
        width = len(rows[0])
        consistent = sum(1 for r in rows if len(r) == width)
        score = (consistent if width > 1 else 0, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def parse_text(text: str, encoding: str = "utf-8") -> CsvTable:
    """Cells of every row, guarded formulas unguarded; the first row is the header."""
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise CsvReadError(f"The file is not valid CSV near line {reader.line_num}: {exc}.") from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise CsvReadError("The file has no header row: its first line should name the columns.")
    headers = [h.strip() for h in records[0]]
    if _has_bad_bytes(headers):
        raise CsvReadError("The header row holds bytes that are not text: save the file as UTF-8 and try again.")
    table = CsvTable(headers, encoding=encoding, delimiter=delimiter)
    for index, cells in enumerate(records[1:], start=2):
        problem = BAD_BYTES if _has_bad_bytes(cells) else ""
        table.rows.append(CsvRow(index, [unguard(c) for c in cells], problem))
    return table


def read_csv(path: str | Path) -> CsvTable:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CsvReadError(f"The file cannot be read: {exc.strerror or exc}.") from None
    if not data.strip():
        raise CsvReadError("The file is empty.")
    if b"\x00" in data[:4000] and detect_encoding(data)[0] == "utf-8":
        raise CsvReadError("This is not a text file (it may be a spreadsheet: save it as CSV first).")
    text, encoding = decode(data)
    return parse_text(text, encoding)
