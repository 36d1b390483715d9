"""Merge two members by hand: each field's value from one or the other, with the result shown as you pick.

The first member given survives (keeps their id and place in lists); "Swap"
makes the other one the survivor. What moves without a choice (activities,
X identities, tags and notes) is said above the fields. After a merge the
dialog's ``record_id`` is the undo record, and ``changes`` what to tell the tabs.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop import merge
from ahoy_desktop.changes import Changes
from ahoy_desktop.clock import Clock
from ahoy_desktop.db.models import Member

COL_FIELD, COL_SURVIVOR, COL_OTHER, COL_RESULT = range(4)
SURVIVOR_ID, OTHER_ID = 0, 1  # button ids in each field's group
ERROR_STYLE = "QLabel { color: #d9534f; }"


def _text(value) -> str:
    return "" if value is None else str(value)


def _who(member: Member) -> str:
    return member.name or (f"@{member.x_handle}" if member.x_handle else QCoreApplication.translate(
        "MergeDialog", "member %1").replace("%1", str(member.id)))


class MergeDialog(QDialog):
    def __init__(self, survivor_id: int, other_id: int, clock: Clock, parent: QWidget | None = None):
        super().__init__(parent)
        self.clock = clock
        self.record_id: int | None = None
        self.changes: Changes | None = None
        self.setWindowTitle(self.tr("Merge members"))
        self.resize(760, 560)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.swap_button = QPushButton(self.tr("Swap: keep the other one"))
        self.swap_button.clicked.connect(self.swap)
        self.grid_host = QWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = self.buttons.addButton(self.tr("Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.do_merge)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.swap_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.groups: dict[str, QButtonGroup] = {}
        self.result_labels: dict[str, QLabel] = {}
        self._load(survivor_id, other_id)

    def _load(self, survivor_id: int, other_id: int) -> None:
        self.survivor_id, self.other_id = survivor_id, other_id
        survivor, other = Member.get_by_id(survivor_id), Member.get_by_id(other_id)
        self.fields = merge.merge_fields(survivor_id, other_id)
        self.intro.setText(self.tr(
            "%1 stays; %2 is merged into them. Activities, X identities, tags and notes of both are kept "
            "together. Pick, for each field, whose value to keep. You can undo the merge later from the "
            "member's profile.").replace("%1", _who(survivor)).replace("%2", _who(other)))
        old = self.grid_host.layout()
        if old is not None:
            QWidget().setLayout(old)  # the old grid and its widgets go with a throwaway parent
        grid = QGridLayout(self.grid_host)
        grid.addWidget(self._bold(self.tr("Field")), 0, COL_FIELD)
        grid.addWidget(self._bold(self.tr("Keeps (%1)").replace("%1", _who(survivor))), 0, COL_SURVIVOR)
        grid.addWidget(self._bold(self.tr("Merged in (%1)").replace("%1", _who(other))), 0, COL_OTHER)
        grid.addWidget(self._bold(self.tr("Result")), 0, COL_RESULT)
        self.groups, self.result_labels = {}, {}
        defaults = merge.default_choices(self.fields)
        empty = self.tr("(empty)")
        for row, f in enumerate(self.fields, start=1):
            label = f.label if f.custom else QCoreApplication.translate("member_fields", f.label)
            grid.addWidget(QLabel(label), row, COL_FIELD)
            group = QButtonGroup(self)
            for column, button_id, value in ((COL_SURVIVOR, SURVIVOR_ID, f.survivor_value),
                                             (COL_OTHER, OTHER_ID, f.other_value)):
                radio = QRadioButton(_text(value) or empty)
                radio.setAccessibleName(f"{label}: {_text(value) or empty}")
                group.addButton(radio, button_id)
                grid.addWidget(radio, row, column)
            group.button(OTHER_ID if defaults[f.key] == merge.OTHER else SURVIVOR_ID).setChecked(True)
            group.idToggled.connect(self._update_preview)
            self.groups[f.key] = group
            result = QLabel()
            result.setTextFormat(Qt.TextFormat.PlainText)
            self.result_labels[f.key] = result
            grid.addWidget(result, row, COL_RESULT)
        tags_row = len(self.fields) + 1
        grid.addWidget(QLabel(self.tr("Tags")), tags_row, COL_FIELD)
        self.tags_result = QLabel(merge.merged_tags_text(survivor_id, other_id) or empty)
        grid.addWidget(self.tags_result, tags_row, COL_RESULT)
        grid.setRowStretch(tags_row + 1, 1)
        self._update_preview()

    def _bold(self, text: str) -> QLabel:
        label = QLabel(text)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        return label

    def choices(self) -> dict[str, str]:
        return {key: merge.OTHER if group.checkedId() == OTHER_ID else merge.SURVIVOR
                for key, group in self.groups.items()}

    def preview(self) -> dict[str, object]:
        return merge.merged_values(self.fields, self.choices())

    @Slot()
    def _update_preview(self, *_args) -> None:
        values = self.preview()
        for key, label in self.result_labels.items():
            label.setText(_text(values[key]) or self.tr("(empty)"))

    @Slot()
    def swap(self) -> None:
        self._load(self.other_id, self.survivor_id)

    @Slot()
    def do_merge(self) -> None:
        try:
            self.record_id = merge.merge(self.survivor_id, self.other_id, self.choices(), self.clock.now())
        except merge.MergeError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.changes = Changes(members_removed={self.other_id}, members_with_new_activity={self.survivor_id},
                               scoring_changed=True)
        self.accept()
