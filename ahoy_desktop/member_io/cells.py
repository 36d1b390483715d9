"""Cell text that a spreadsheet would run as a formula, guarded with a leading apostrophe.

A spreadsheet runs a cell starting with = + - @ (or a tab or carriage
return, which some strip first) as a formula: a member's name can carry one.
Such a value is written with a leading apostrophe, and reading the file
removes it again. A value that itself starts with an apostrophe in front of
such text gets one more, so writing then reading is exact for every value.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def is_plain_number(text: str) -> bool:
    return _PLAIN_NUMBER.fullmatch(text) is not None


def runs_as_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and not is_plain_number(text)


def is_guarded(text: str) -> bool:
    """True for text that a writer guarded: an apostrophe in front of a formula or of guarded text."""
    while text.startswith(GUARD):
        text = text[1:]
        if runs_as_formula(text):
            return True
    return False


def guard(text: str) -> str:
    """The text to write in a cell so that no spreadsheet runs it."""
    return GUARD + text if runs_as_formula(text) or is_guarded(text) else text


def unguard(text: str) -> str:
    """The value a guarded cell stands for (text that was never guarded is returned as it is)."""
    return text[1:] if is_guarded(text) else text
