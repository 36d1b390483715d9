"""A member's stage badge and score, with why: what earns the points, what leaves next, what is next."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ahoy_desktop.scores import WINDOW as SCORE_WINDOW
from ahoy_desktop.scores import explain

from .texts import kind_label


class ScoreBadge(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.badge = QLabel()
        self.badge.setTextFormat(Qt.TextFormat.RichText)
        self.badge.setAccessibleName(self.tr("Stage and score"))
        self.why = QLabel()
        self.why.setWordWrap(True)
        self.why.setTextFormat(Qt.TextFormat.PlainText)
        self.why.setAccessibleName(self.tr("Why this score"))
        self.why.setForegroundRole(self.why.foregroundRole())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        layout.addWidget(self.badge)
        layout.addWidget(self.why)

    def show_for(self, member_id: int, now) -> None:
        result = explain(member_id, now)
        points = (self.tr("1 point in the last 30 days") if result.score == 1
                  else self.tr("%1 points in the last 30 days").replace("%1", str(result.score)))
        if result.stage is not None:
            self.badge.setText(
                f'<span style="background:{result.stage.colour}; color:white; padding:2px 8px; '
                f'border-radius:8px;">&nbsp;{_escape(result.stage.name)}&nbsp;</span>&nbsp; {_escape(points)}')
        else:
            self.badge.setText(_escape(self.tr("No stage · %1").replace("%1", points)))
        self.why.setText(self.why_text(result))

    def why_text(self, result) -> str:
        parts = []
        earned = [f"{count} × {kind_label(kind, count).lower()} = {value}"
                  for kind, (count, value) in sorted(result.by_kind.items(), key=lambda kv: -kv[1][1]) if value]
        if earned:
            parts.append(self.tr("Earned from %1.").replace("%1", ", ".join(earned)))
        if result.next_leaving is not None:
            kind, when, lost = result.next_leaving
            happened = when - SCORE_WINDOW  # ``when`` is the moment it leaves the window
            parts.append(self.tr("Next to leave the 30-day window: a %1 from %2, on %3 (−%4).")
                         .replace("%1", kind_label(kind).lower())
                         .replace("%2", happened.astimezone().strftime("%d %b"))
                         .replace("%3", when.astimezone().strftime("%d %b %H:%M")).replace("%4", str(lost)))
        if result.next_stage is not None:
            parts.append(self.tr("%1 more to reach %2.").replace("%1", str(result.points_to_next))
                         .replace("%2", result.next_stage.name))
        return " ".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
