"""The selected member in full: what they did, who they are on X, their profile fields.

Profile fields, built-in and custom, are edited in place. A typed value is *manual* and marked so,
since a community manager would otherwise expect the next sync to change it;
"Use X's value" hands the field back to X. Times X does not give (likes and
retweets) are shown as estimates with the reason, so nobody reads them as the
moment someone clicked. The timeline reads a page of activities at a time: a
member with thousands of them opens as fast as one with three.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QFont, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop import forget, merge, notes_tags
from ahoy_desktop.changes import Changes
from ahoy_desktop.member_fields import BUILTIN_FIELDS
from ahoy_desktop.members import (
    InvalidFieldValue,
    MemberDetail,
    TimelineItem,
    member_detail,
    member_timeline,
    post_url,
    set_field_by_hand,
    use_x_value,
)
from ahoy_desktop.sync.posts import LIKE, RETWEET, unescape_for_display

from .context import AppContext
from .field_editor import ERROR_STYLE, FieldEditor, Tag
from .member_custom_fields import CustomFieldsBox
from .member_forget import ForgetDialog, ForgetJob, ForgottenBar
from .member_table_model import local_day_text, local_time_text
from .score_badge import ScoreBadge
from .texts import kind_label

NOTE_SAVE_DELAY_MS = 800  # notes are saved after a pause in typing, and when the box loses focus
TIMELINE_PAGE = 25  # entries are widgets: a page costs tens of ms to lay out, so a profile opens with few


def _tr(text: str) -> str:
    return QCoreApplication.translate("MemberDetail", text)


def estimated_tooltip() -> str:
    return _tr("X gives no date for likes and retweets: this is when Ahoy first saw it "
               "(the moment the account was connected, for the first import).")


def _dim(label: QLabel) -> QLabel:
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class TimelineEntry(QFrame):
    """One activity: what, when (marked when estimated), its text, and a link to the post on X."""

    def __init__(self, item: TimelineItem, parent: QWidget | None = None):
        super().__init__(parent)
        self.item = item
        self.url = post_url(item.link_post_id)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        kind = QLabel(kind_label(item.kind))
        bold = QFont(kind.font())
        bold.setBold(True)
        kind.setFont(bold)
        if item.estimated:
            self.time_label = QLabel(self.tr("≈ %1").replace("%1", local_day_text(item.occurred_at)))
            italic = QFont(self.time_label.font())
            italic.setItalic(True)
            self.time_label.setFont(italic)
            self.time_label.setToolTip(estimated_tooltip())
            self.estimated_tag = Tag(self.tr("estimated"), estimated_tooltip())
        else:
            self.time_label = QLabel(local_time_text(item.occurred_at))
            self.time_label.setToolTip(self.tr("Your local time"))
            self.estimated_tag = None
        self.link = QLabel(f'<a href="{html.escape(self.url)}">{html.escape(self._link_text())}</a>')
        self.link.setToolTip(self.url)
        self.link.setAccessibleName(self._link_text())
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.link.linkActivated.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))

        top = QHBoxLayout()
        top.addWidget(kind)
        top.addWidget(self.time_label)
        if self.estimated_tag is not None:
            top.addWidget(self.estimated_tag)
        top.addStretch(1)
        top.addWidget(self.link)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        self.text_label = self.target_label = None
        if item.text:
            self.text_label = self._text(unescape_for_display(item.text))
            layout.addWidget(self.text_label)
        elif item.target_text:
            self.target_label = _dim(self._text(unescape_for_display(item.target_text)))
            self.target_label.setToolTip(self.tr("Your post that this is about"))
            layout.addWidget(self.target_label)

    def _link_text(self) -> str:
        if self.item.kind in (LIKE, RETWEET):
            return self.tr("Open your post on X")
        return self.tr("Open on X")

    @staticmethod
    def _text(text: str) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)  # post text is never markup
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label


class Timeline(QWidget):
    """A member's activities, newest first, read a page at a time."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.member_id: int | None = None
        self.total = 0
        self.entries: list[TimelineEntry] = []
        self._pages: list[QWidget] = []
        self.empty_label = _dim(QLabel(self.tr("No activity yet.")))
        self.more_button = QPushButton(self.tr("Show more"))
        self.more_button.clicked.connect(self.show_more)
        self._list = QVBoxLayout()
        self._list.setSpacing(6)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addLayout(self._list)
        layout.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def load(self, member_id: int | None, total: int) -> None:
        for page in self._pages:
            page.hide()
            page.deleteLater()
        self._pages: list[QWidget] = []
        self.entries = []
        self.member_id, self.total = member_id, total
        if member_id is not None:
            self.show_more()
        else:
            self._update_footer()

    @Slot()
    def show_more(self) -> None:
        if self.member_id is None:
            return
        items = member_timeline(self.member_id, TIMELINE_PAGE, len(self.entries))
        if len(items) < TIMELINE_PAGE:
            self.total = len(self.entries) + len(items)
        if items:
            self._add_page(items)
        self._update_footer()

    def _add_page(self, items: list[TimelineItem]) -> None:
        # Built inside a hidden page and shown once: one layout pass, not one per entry.
        page = QWidget(self)
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.setSpacing(self._list.spacing())
        for item in items:
            entry = TimelineEntry(item, page)
            page_layout.addWidget(entry)
            self.entries.append(entry)
        self._list.addWidget(page)
        page.show()  # now, not on the next turn of the event loop
        self._pages.append(page)

    def _update_footer(self) -> None:
        self.empty_label.setVisible(not self.entries)
        left = self.total - len(self.entries)
        self.more_button.setVisible(left > 0)
        self.more_button.setText(self.tr("Show more (%1 left)").replace("%1", str(left)))


class TagsEditor(QWidget):
    """A member's tags as a comma-separated list, saved when editing ends."""

    edited = Signal(str)  # the text typed

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.tr("Comma-separated, e.g. speaker, Berlin"))
        self.edit.setAccessibleName(self.tr("Tags"))
        self.edit.editingFinished.connect(self._finished)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.error)

    def set_tags(self, tags: list[str]) -> None:
        if not (self.edit.hasFocus() and self.edit.isModified()):
            self.edit.setText(notes_tags.SEPARATOR.join(tags))
            self.edit.setModified(False)
        self.show_error("")

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    @Slot()
    def _finished(self) -> None:
        if self.edit.isModified():
            self.edited.emit(self.edit.text())


class NotesEditor(QPlainTextEdit):
    """Free-text notes, saved after a pause in typing and when the box loses focus."""

    save_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText(self.tr("Notes about this person, only for you"))
        self.setAccessibleName(self.tr("Notes"))
        self.dirty = False
        self.member_id: int | None = None  # whose notes are shown
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(NOTE_SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        self.textChanged.connect(self._typed)

    def set_note(self, member_id: int, text: str) -> None:
        if member_id == self.member_id and (self.dirty or self.hasFocus() or text == self.toPlainText()):
            return  # never under the user's fingers
        self.member_id = member_id
        self.blockSignals(True)
        self.setPlainText(text)
        self.blockSignals(False)

    @Slot()
    def _typed(self) -> None:
        self.dirty = True
        self._timer.start()

    @Slot()
    def save_now(self) -> None:
        self._timer.stop()
        if self.dirty:
            self.dirty = False
            self.save_requested.emit(self.toPlainText())

    def focusOutEvent(self, event) -> None:
        self.save_now()
        super().focusOutEvent(event)


def _scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    return area


class MemberDetailPane(QWidget):
    """The right side of the Members tab: the member chosen in the table."""

    forget_finished = Signal()  # a forget ended, the backups included (or failed)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.member_id: int | None = None
        self.detail: MemberDetail | None = None
        context.changed.connect(self.refresh)

        self.name_label = QLabel()
        title = QFont(self.name_label.font())
        title.setPointSizeF(title.pointSizeF() * 1.4)
        title.setBold(True)
        self.name_label.setFont(title)
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.name_label.setWordWrap(True)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.handle_label = _dim(QLabel())
        self.stats_label = QLabel()
        self.stats_label.setWordWrap(True)
        for label in (self.handle_label, self.stats_label):
            label.setTextFormat(Qt.TextFormat.PlainText)  # a handle typed by hand is not markup

        self.timeline = Timeline()
        self.fields = {f.key: FieldEditor(f) for f in BUILTIN_FIELDS}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for editor in self.fields.values():
            editor.edited.connect(self._save)
            editor.revert_requested.connect(self._use_x_value)
            form.addRow(editor.label, editor)
        self.identities_label = QLabel()
        self.identities_label.setTextFormat(Qt.TextFormat.RichText)
        self.identities_label.setWordWrap(True)
        self.identities_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        identities_box = QGroupBox(self.tr("On X"))
        QVBoxLayout(identities_box).addWidget(self.identities_label)
        self.tags_editor = TagsEditor()
        self.tags_editor.edited.connect(self._save_tags)
        form.addRow(self.tr("Tags"), self.tags_editor)
        self.notes_editor = NotesEditor()
        self.notes_editor.save_requested.connect(self._save_note)
        self.custom_fields = CustomFieldsBox(self.context.clock.now)
        self.custom_fields.saved.connect(lambda member_id: self.context.notify(Changes(members_updated={member_id})))
        notes_box = QGroupBox(self.tr("Notes"))
        QVBoxLayout(notes_box).addWidget(self.notes_editor)
        self.merge_label = QLabel()
        self.merge_label.setTextFormat(Qt.TextFormat.PlainText)
        self.merge_label.setWordWrap(True)
        self.undo_merge_button = QPushButton(self.tr("Undo merge"))
        self.undo_merge_button.clicked.connect(self._undo_merge)
        self.merge_error = QLabel()
        self.merge_error.setStyleSheet(ERROR_STYLE)
        self.merge_error.setWordWrap(True)
        self.merge_box = QGroupBox(self.tr("Merged"))
        merge_layout = QVBoxLayout(self.merge_box)
        merge_layout.addWidget(self.merge_label)
        merge_layout.addWidget(self.undo_merge_button, 0, Qt.AlignmentFlag.AlignLeft)
        merge_layout.addWidget(self.merge_error)
        self.forget_button = QPushButton(self.tr("Forget this person…"))
        self.forget_button.setToolTip(self.tr("A privacy request: delete everything about this person"))
        self.forget_button.clicked.connect(self.forget_member)
        profile = QWidget()
        profile_layout = QVBoxLayout(profile)
        profile_layout.addWidget(identities_box)
        profile_layout.addLayout(form)
        profile_layout.addWidget(self.custom_fields)
        profile_layout.addWidget(notes_box)
        profile_layout.addWidget(self.merge_box)
        profile_layout.addWidget(self.forget_button, 0, Qt.AlignmentFlag.AlignLeft)
        profile_layout.addStretch(1)

        self.tabs = QTabWidget()
        self.tabs.addTab(_scrolling(self.timeline), self.tr("Activity"))
        self.tabs.addTab(_scrolling(profile), self.tr("Profile"))

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name_label)
        layout.addWidget(self.handle_label)
        layout.addWidget(self.stats_label)
        self.score_badge = ScoreBadge()
        layout.addWidget(self.score_badge)
        layout.addWidget(self.tabs, 1)
        self.placeholder = _dim(QLabel(self.tr("Select a member to see their activity and profile.")))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(content)
        self.forgotten_bar = ForgottenBar()
        self.forgotten_bar.undo_requested.connect(self.undo_forget)
        self.forget_job: ForgetJob | None = None
        context.workspace_closing.connect(self._workspace_closing)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.forgotten_bar)
        outer.addWidget(self.stack)

    # -- showing ------------------------------------------------------------

    def show_member(self, member_id: int | None) -> None:
        if member_id == self.member_id and self.detail is not None:
            return
        self.notes_editor.save_now()  # what was typed for the previous member is theirs
        self.notes_editor.dirty = False
        self.member_id = member_id
        detail = self._reload_profile()
        self.timeline.load(member_id if detail else None, detail.activity_count if detail else 0)

    def refresh(self, changes: Changes) -> None:
        """Re-read what a sync or an edit changed about the member shown."""
        if self.member_id is None:
            return
        if self.member_id in changes.members_changed or changes.mapping_changed or changes.scoring_changed:
            detail = self._reload_profile()
            if detail is not None and self.member_id in changes.members_with_new_activity:
                self.timeline.load(self.member_id, detail.activity_count)

    def clear(self) -> None:
        self.notes_editor.save_now()
        self.notes_editor.dirty = False
        self.member_id, self.detail = None, None
        self.timeline.load(None, 0)
        self.stack.setCurrentWidget(self.placeholder)

    def _reload_profile(self) -> MemberDetail | None:
        self.detail = member_detail(self.member_id) if self.member_id is not None else None
        if self.detail is None:
            self.member_id = None
            self.stack.setCurrentWidget(self.placeholder)
            return None
        detail = self.detail
        handle = detail.values.get("x_handle") or ""
        self.name_label.setText(detail.values.get("name") or self.tr("(no name)"))
        self.handle_label.setText(f"@{handle}" if handle else "")
        self.handle_label.setVisible(bool(handle))
        self.stats_label.setText(self._stats_text(detail))
        self.score_badge.show_for(detail.id, self.context.clock.now())
        self.tabs.setTabText(0, self.tr("Activity (%1)").replace("%1", str(detail.activity_count)))
        for key, editor in self.fields.items():
            editor.set_value(detail.values.get(key), key in detail.manual, detail.x_values.get(key))
        self.identities_label.setText(self._identities_html(detail))
        self.tags_editor.set_tags(notes_tags.tags_of(detail.id))
        self.notes_editor.set_note(detail.id, notes_tags.note_of(detail.id))
        self.custom_fields.show_member(detail.id, detail.raw_x_user)
        self._show_merges(detail.id)
        self.stack.setCurrentIndex(1)
        return detail

    def _show_merges(self, member_id: int) -> None:
        merges = merge.merges_into(member_id)
        self.merge_box.setVisible(bool(merges))
        self.merge_error.hide()
        if not merges:
            return
        latest = merges[0]
        who = latest.absorbed_name or f"@{latest.absorbed_handle}"
        self.merge_label.setText(
            self.tr("%1 was merged into this member on %2.").replace("%1", who)
            .replace("%2", local_day_text(latest.merged_at)))
        self.undo_merge_button.setText(self.tr("Undo merge with %1").replace("%1", who))

    def _stats_text(self, detail: MemberDetail) -> str:
        if detail.activity_count == 1:
            parts = [self.tr("1 activity")]
        else:
            parts = [self.tr("%1 activities").replace("%1", str(detail.activity_count))]
        if detail.last_active_estimated:
            parts.append(self.tr("last active ≈ %1").replace("%1", local_day_text(detail.last_active_at)))
        elif detail.last_active_at is not None:
            parts.append(self.tr("last active %1").replace("%1", local_time_text(detail.last_active_at)))
        parts.append(self.tr("first seen %1").replace("%1", local_time_text(detail.first_seen_at)))
        return " · ".join(parts)

    def _identities_html(self, detail: MemberDetail) -> str:
        blocks = []
        for identity in detail.identities:
            handle = f"@{html.escape(identity.handle)}" if identity.handle else self.tr("no handle yet")
            user_id = (self.tr("X user id %1").replace("%1", html.escape(identity.x_user_id))
                       if identity.x_user_id else self.tr("no X user id yet"))
            seen = ", ".join(
                self.tr("@%1 since %2").replace("%1", html.escape(h.handle)).replace("%2", local_day_text(h.seen_at))
                for h in identity.history)
            blocks.append(f"<b>{handle}</b> · {user_id}<br>{self.tr('Handles seen:')} {seen or '—'}")
        return "<br><br>".join(blocks) or self.tr("No X identity.")

    # -- editing -------------------------------------------------------------------

    @Slot(str, str)
    def _save(self, key: str, text: str) -> None:
        editor = self.fields[key]
        if self.member_id is None:
            return
        try:
            set_field_by_hand(self.member_id, key, text)
        except InvalidFieldValue:
            editor.show_error(self.tr("%1 must be a whole number, like 1200.").replace("%1", editor.label))
            return
        editor.edit.setModified(False)
        self.context.notify(Changes(members_updated={self.member_id}))

    @Slot(str)
    def _use_x_value(self, key: str) -> None:
        if self.member_id is None:
            return
        use_x_value(self.member_id, key)
        self.context.notify(Changes(members_updated={self.member_id}))

    @Slot(str)
    def _save_tags(self, text: str) -> None:
        if self.member_id is None:
            return
        try:
            tags = notes_tags.set_tags(self.member_id, notes_tags.parse_tags(text))
        except notes_tags.InvalidTag:
            self.tags_editor.show_error(self.tr("A tag can be at most %1 characters.")
                                        .replace("%1", str(notes_tags.MAX_TAG_LENGTH)))
            return
        self.tags_editor.edit.setModified(False)
        self.tags_editor.set_tags(tags)
        self.context.notify(Changes(members_updated={self.member_id}))

    @Slot(str)
    def _save_note(self, text: str) -> None:
        if self.member_id is None:
            return
        notes_tags.set_note(self.member_id, text, self.context.clock.now())
        self.context.notify(Changes(members_updated={self.member_id}))

    # -- merges and forgetting -------------------------------------------------------

    @Slot()
    def _undo_merge(self) -> None:
        if self.member_id is None:
            return
        merges = merge.merges_into(self.member_id)
        if not merges:
            return
        try:
            undone = merge.undo_merge(merges[0].record_id, self.context.clock.now())
        except merge.MergeError as exc:
            self.merge_error.setText(self.tr("This merge cannot be undone now: %1").replace("%1", str(exc)))
            self.merge_error.show()
            return
        added = {undone.absorbed_id} | ({undone.moved[1]} if undone.moved else set())
        removed = {undone.moved[0]} if undone.moved else set()
        self.context.notify(Changes(members_added=added, members_removed=removed,
                                    members_with_new_activity={undone.survivor_id, undone.absorbed_id},
                                    scoring_changed=True))
        if undone.kept:
            QMessageBox.information(self, self.tr("Merge undone"), self.tr(
                "Both members are back. What you changed on %1 since the merge was kept: %2.")
                .replace("%1", self.who()).replace("%2", ", ".join(self._kept_label(k) for k in undone.kept)))

    def _kept_label(self, kept: str) -> str:
        if kept == "tags":
            return self.tr("tags")
        if kept == "note":
            return self.tr("the note")
        return QCoreApplication.translate("member_fields", kept)

    def who(self) -> str:
        if self.detail is None:
            return ""
        name = self.detail.values.get("name") or ""
        handle = self.detail.values.get("x_handle") or ""
        return name or (f"@{handle}" if handle else self.tr("this member"))

    @property
    def forgotten(self) -> list[forget.Forgotten]:
        """People forgotten since the app started, newest last: undo lasts until it closes."""
        return self.forgotten_bar.forgotten

    @Slot()
    def forget_member(self) -> None:
        """Ask, then forget the member shown on a worker thread; the undo stays offered until the app closes."""
        if self.member_id is None or self.forget_job is not None:
            return
        who = self.who()
        if not ForgetDialog(who, self).confirmed():
            return
        self.notes_editor.dirty = False
        job = ForgetJob(self.member_id, self.context.clock.now(), self)
        job.removed.connect(self._forgotten_here)
        job.backups_progress.connect(self.forgotten_bar.show_backups)
        job.finished_ok.connect(self._forget_done)
        job.failed.connect(self._forget_failed)
        self.forget_job = job
        self.forget_button.setEnabled(False)
        self.clear()
        self.forgotten_bar.start(who)
        job.start()

    def _current_job(self) -> bool:
        return self.forget_job is not None and self.sender() is self.forget_job

    @Slot(object)
    def _forgotten_here(self, forgotten: forget.Forgotten) -> None:
        if not self._current_job():
            return  # the workspace closed meanwhile
        self.forgotten_bar.removed(forgotten)
        self.context.notify(Changes(members_removed={forgotten.member_id}, activities_changed=True,
                                    scoring_changed=True))

    def _end_job(self) -> None:
        job, self.forget_job = self.forget_job, None
        job.wait()
        job.deleteLater()
        self.forget_button.setEnabled(True)
        self.forgotten_bar.stop()

    @Slot(object)
    def _forget_done(self, forgotten: forget.Forgotten) -> None:
        if not self._current_job():
            return
        self._end_job()
        self.forget_finished.emit()
        if forgotten.copies_not_cleaned:
            QMessageBox.warning(self, self.tr("Some copies could not be cleaned"), self.tr(
                "These files are damaged copies set aside earlier and could not be opened to remove the person. "
                "Delete them by hand if you no longer need them:\n\n{files}").format(
                files="\n".join(str(path) for path in forgotten.copies_not_cleaned)))

    @Slot(str)
    def _forget_failed(self, message: str) -> None:
        if not self._current_job():
            return
        removed = self.forget_job.workspace_done
        self._end_job()
        self.forget_finished.emit()
        if removed:
            text = self.tr("The person was removed from this workspace, but not from every backup: %1")
        else:
            text = self.tr("The person could not be forgotten: %1")
        QMessageBox.warning(self, self.tr("Forget this person"), text.replace("%1", message))

    def undo_forget(self, forgotten: forget.Forgotten) -> None:
        member_id = forget.undo_forget(forgotten, self.context.clock.now())
        self.forgotten_bar.remove(forgotten)
        self.context.notify(Changes(members_added={member_id}, members_with_new_activity={member_id},
                                    scoring_changed=True, activities_changed=True))
        self.context.open_member_requested.emit(member_id)

    @Slot()
    def _workspace_closing(self) -> None:
        """Another workspace has other people: what could be brought back belongs to this one."""
        self.notes_editor.save_now()
        if self.forget_job is not None:  # it holds a connection to the closing file: let it finish
            self._end_job()
        self.forgotten_bar.clear()
