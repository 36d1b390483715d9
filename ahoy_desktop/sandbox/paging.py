"""Opaque pagination tokens anchored on items, not offsets.

A token names the item a page ended (``next``) or began (``previous``) with,
so a page fetched after new items appeared at the top of a list continues
exactly where the previous page stopped, as X's tokens do.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
NEXT, PREVIOUS = "n", "p"


def encode_token(direction: str, anchor: str) -> str:
    """``direction`` is NEXT or PREVIOUS, ``anchor`` the id of the item at the page edge."""
    return base64.b32encode(f"{direction}{anchor}".encode()).decode().rstrip("=").lower()


def decode_token(token: str) -> tuple[str, str]:
    """Return (direction, anchor); ValueError for a token this sandbox did not make."""
    padded = token.upper() + "=" * (-len(token) % 8)
    try:
        raw = base64.b32decode(padded).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise ValueError(token) from exc
    if len(raw) < 2 or raw[0] not in (NEXT, PREVIOUS) or not raw[1:].isdigit():
        raise ValueError(token)
    return raw[0], raw[1:]


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_token: str | None
    previous_token: str | None


def paginate(
    items: Sequence[T],
    size: int,
    token: str | None,
    anchor_of: Callable[[T], str],
    *,
    by_id: bool,
) -> Page[T]:
    """Cut one page of ``items`` (already in serving order).

    ``by_id``: the items are tweets newest first, so an anchor is placed by
    numeric comparison and need not still exist (deleted, or pushed out of the
    800 cap). Otherwise the anchor must still be in the list (user lists only
    grow at the front); ValueError if it is not.
    """
    start, end = 0, size
    if token is not None:
        direction, anchor = decode_token(token)
        if by_id:
            key = int(anchor)
            if direction == NEXT:
                start = sum(1 for it in items if int(anchor_of(it)) >= key)
            else:
                end = sum(1 for it in items if int(anchor_of(it)) > key)
        else:
            ids = [anchor_of(it) for it in items]
            if anchor not in ids:
                raise ValueError(token)
            if direction == NEXT:
                start = ids.index(anchor) + 1
            else:
                end = ids.index(anchor)
        if direction == NEXT:
            end = start + size
        else:
            start = max(0, end - size)
    page = list(items[start:end])
    next_token = encode_token(NEXT, anchor_of(page[-1])) if page and end < len(items) else None
    previous_token = encode_token(PREVIOUS, anchor_of(page[0])) if page and start > 0 else None
    return Page(page, next_token, previous_token)
