"""Read a CSV file someone made elsewhere: find its encoding and separator, split it into cells.

Encodings: UTF-8 with or without a byte-order mark, and UTF-16 (with a mark,
or without one when the zero bytes give it away). Bytes that are not valid
in the encoding, or a NUL character, do not stop the reading: the rows
holding them are marked, so the report can name them. Separators: comma,
semicolon or tab, chosen by which one splits the first lines into the same
number of cells.

A quote that opens a cell and is never closed would swallow every later
line into that cell: the row where it opens is marked with the line of the
quote, and the lines after it are read again as rows of their own, so no
row goes missing from the report.
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
NUL_CHARACTER = "nul_character"
UNCLOSED_QUOTE = "unclosed_quote"
MAX_QUOTE_PROBLEMS = 100  # beyond that the file is not CSV as this app reads it
# Files that are not text at all, by their first bytes: zip (xlsx, ods), OLE (xls), PDF, gzip.
BINARY_STARTS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF", b"\x1f\x8b")


class CsvReadError(ValueError):
    """A file that cannot be read as CSV at all; the message says why."""


@dataclass(frozen=True)
class CsvRow:
    number: int  # as a spreadsheet numbers it: the header is row 1
    cells: list[str]
    problem: str = ""  # BAD_BYTES, NUL_CHARACTER or UNCLOSED_QUOTE
    line: int = 0  # the line of the file it starts on (a quoted cell can hold line breaks)
    problem_line: int = 0  # for UNCLOSED_QUOTE: the line where the quote opens


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


def _records(text: str, delimiter: str) -> list[tuple[int, list[str] | None, int]]:
    """(first line, cells, line of an unclosed quote) per row; cells None for a row whose quote never closes."""
    lines = text.splitlines(keepends=True)
    found, skip, problems = [], 0, 0
    while True:
        reader = csv.reader(io.StringIO("".join(lines[skip:]), newline=""), delimiter=delimiter, strict=True)
        while True:
            start = skip + reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return found
            except csv.Error:
                break
            found.append((start, cells, 0))
        problems += 1
        if problems > MAX_QUOTE_PROBLEMS:
            raise CsvReadError("The quotes in this file do not pair up on many lines: it cannot be read as CSV.")
        found.append((start, None, _quote_line(lines, start, skip + reader.line_num, delimiter)))
        skip = start  # the lines after the row's first line are read again as rows of their own


def _quote_line(lines: list[str], first: int, last: int, delimiter: str) -> int:
    """The line (1-based) where the quoted cell that never closes opens, in the row on lines first..last."""
    opened, in_quotes = first, False
    for number in range(first, max(first, last) + 1):
        line = lines[number - 1] if number <= len(lines) else ""
        at_start = not in_quotes
        i = 0
        while i < len(line):
            char = line[i]
            if in_quotes:
                if char == '"':
                    if line[i + 1:i + 2] == '"':
                        i += 1
                    else:
                        in_quotes = False
            elif char == '"' and at_start:
                in_quotes, opened = True, number
            at_start = not in_quotes and char in (delimiter, "\r", "\n")
            i += 1
    return opened


def parse_text(text: str, encoding: str = "utf-8") -> CsvTable:
    """Cells of every row, guarded formulas unguarded; the first row is the header."""
    delimiter = detect_delimiter(text)
    records = _records(text, delimiter)
    if not records or records[0][1] is None:
        if records:
            raise CsvReadError(f"The header row has a quote that is never closed (line {records[0][2]}).")
        raise CsvReadError("The file has no header row: its first line should name the columns.")
    if not any(cell.strip() for cell in records[0][1]):
        raise CsvReadError("The file has no header row: its first line should name the columns.")
    headers = [h.strip() for h in records[0][1]]
    if _has_bad_bytes(headers) or "\x00" in "".join(headers):
        raise CsvReadError("The header row holds bytes that are not text: save the file as UTF-8 and try again.")
    table = CsvTable(headers, encoding=encoding, delimiter=delimiter)
    for index, (line, cells, quote_line) in enumerate(records[1:], start=2):
        if cells is None:
            table.rows.append(CsvRow(index, [], UNCLOSED_QUOTE, line, quote_line))
            continue
        joined = "".join(cells)
        problem = BAD_BYTES if _BAD_BYTES.search(joined) else NUL_CHARACTER if "\x00" in joined else ""
        table.rows.append(CsvRow(index, [unguard(c) for c in cells], problem, line))
    return table


def looks_binary(data: bytes) -> bool:
    """A file that is not text in any encoding read here: a known binary format, or mostly NUL bytes."""
    if data.startswith(BINARY_STARTS):
        return True
    head = data[:4000]
    return detect_encoding(data)[0] == "utf-8" and head.count(0) * 8 > len(head)


def read_csv(path: str | Path) -> CsvTable:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CsvReadError(f"The file cannot be read: {exc.strerror or exc}.") from None
    if not data.strip():
        raise CsvReadError("The file is empty.")
    if looks_binary(data):
        raise CsvReadError("This is not a text file (it may be a spreadsheet: save it as CSV first).")
    text, encoding = decode(data)
    return parse_text(text, encoding)
