"""A small "what changed" value passed from a sync or an edit to every tab.

Tabs refresh only what it names instead of reloading everything.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .sync.engine import SyncReport


@dataclass
class Changes:
    members_added: set[int] = field(default_factory=set)
    members_updated: set[int] = field(default_factory=set)
    members_with_new_activity: set[int] = field(default_factory=set)
    members_removed: set[int] = field(default_factory=set)  # merged away or forgotten
    activities_changed: bool = False  # activities removed or restored outside a sync (forget and its undo)
    activities_added: Counter = field(default_factory=Counter)
    accounts_changed: set[int] = field(default_factory=set)
    mapping_changed: bool = False
    scoring_changed: bool = False
    clock_moved: bool = False

    @classmethod
    def from_report(cls, report: SyncReport) -> Changes:
        return cls(
            members_added=set(report.members_added),
            members_updated=set(report.members_updated),
            members_with_new_activity=set(report.members_with_new_activity),
            activities_added=Counter(report.activities_added),
            accounts_changed={report.account_id},
        )

    @property
    def members_changed(self) -> set[int]:
        return self.members_added | self.members_updated | self.members_with_new_activity | self.members_removed

    def __bool__(self) -> bool:
        return bool(self.members_changed or self.activities_added or self.activities_changed or self.accounts_changed
                    or self.mapping_changed or self.scoring_changed or self.clock_moved)
