"""One injectable clock for the app, the sync and the sandbox.

Everything that asks "what time is it" asks a Clock, so tests and the sample
workspace can start time at a chosen moment and move it forward, and the
sandbox and the app always agree on the time.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta


def utc(dt: datetime) -> datetime:
    """Return an aware UTC datetime; naive values are taken as UTC."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def parse_iso(text: str) -> datetime:
    """Parse an ISO-8601 time as X writes it (``2023-01-05T19:08:01.000Z``)."""
    return utc(datetime.fromisoformat(text.strip().replace("Z", "+00:00")))


def to_iso(dt: datetime) -> str:
    """Format as X does: UTC with milliseconds and a ``Z``."""
    return utc(dt).strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc(dt).microsecond // 1000:03d}Z"


class Clock:
    """A clock that runs at real speed from a chosen start and can be moved.

    ``Clock()`` is the real time. ``Clock(start)`` reads ``start`` now and runs
    on from there. ``advance`` jumps ahead (the sample workspace's fast-forward),
    ``set`` jumps anywhere, and ``freeze`` stops it so tests read exact values.
    Thread-safe: the sync worker and the sandbox's server thread share one.
    """

    def __init__(self, start: datetime | None = None, *, frozen: bool = False) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen_at: datetime | None = None
        if start is not None:
            self._offset = utc(start) - self._real()
        if frozen:
            self._frozen_at = self.now()

    @staticmethod
    def _real() -> datetime:
        return datetime.now(UTC)

    def now(self) -> datetime:
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return self._real() + self._offset

    def timestamp(self) -> float:
        return self.now().timestamp()

    def advance(self, delta: timedelta | float) -> None:
        """Move the clock forward (a float is seconds)."""
        if not isinstance(delta, timedelta):
            delta = timedelta(seconds=delta)
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += delta
            else:
                self._offset += delta

    def set(self, moment: datetime) -> None:
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = utc(moment)
            else:
                self._offset = utc(moment) - self._real()

    def freeze(self) -> None:
        now = self.now()
        with self._lock:
            self._frozen_at = now

    def sleep(self, seconds: float, cancelled: threading.Event | None = None) -> bool:
        """Wait ``seconds`` of this clock's time; return False if cancelled first.

        A frozen clock is moved instead of waited on, so tests never sleep.
        A running clock that another thread moves ahead ends the wait early.
        """
        if seconds <= 0:
            return not (cancelled and cancelled.is_set())
        with self._lock:
            frozen = self._frozen_at is not None
        if frozen:
            if cancelled and cancelled.is_set():
                return False
            self.advance(seconds)
            return True
        until = self.now() + timedelta(seconds=seconds)
        while True:
            left = (until - self.now()).total_seconds()
            if left <= 0:
                return True
            if cancelled is not None:
                if cancelled.wait(min(left, 0.25)):
                    return False
            else:
                time.sleep(min(left, 0.25))


SYSTEM_CLOCK = Clock()
