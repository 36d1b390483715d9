"""The first-start welcome: try the sample, connect X, or begin empty; and where data is kept.

Shown once, over the main window, to someone who never opened a workspace.
The choice opens the first workspace; closing the welcome counts as
"start with an empty workspace", so nothing is ever left unopened.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtWidgets import QCommandLinkButton, QDialog, QLabel, QStyle, QVBoxLayout, QWidget

from ahoy_desktop.paths import data_dir, default_workspace_path
from ahoy_desktop.settings import LAST_WORKSPACE, WELCOME_SHOWN, Settings

SAMPLE, CONNECT_X, EMPTY = "sample", "connect_x", "empty"


def needs_welcome(settings: Settings) -> bool:
    """True on a first start: the welcome was never shown and no workspace was ever opened."""
    return not settings.get(WELCOME_SHOWN) and not settings.get(LAST_WORKSPACE)


class _ClicksButton(QObject):
    """A click on a choice's description clicks its button, as the whole command link would."""

    def __init__(self, label: QLabel, button: QCommandLinkButton):
        super().__init__(label)
        self._button = button
        label.installEventFilter(self)
        label.setCursor(Qt.CursorShape.PointingHandCursor)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
            self._button.click()
            return True
        return False


class WelcomeDialog(QDialog):
    """Each choice is a command link with its title and, below it, a word-wrapped label.

    QCommandLinkButton's own description is not: at 200% the dialog is held to
    two thirds of the screen's height and the description's last line was cut.
    Labels wrap reliably, and the dialog takes the height its text needs.
    """

    def __init__(self, data_folder: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.choice = EMPTY
        self.setWindowTitle(self.tr("Welcome to Ahoy Desktop"))
        heading = QLabel(self.tr("<h2>Welcome aboard</h2>"))
        heading.setTextFormat(Qt.TextFormat.RichText)
        intro = QLabel(self.tr("Ahoy Desktop turns everyone who interacts with your X account into member "
                               "profiles you can browse, score and chart, offline. How would you like to start?"))
        intro.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addSpacing(self.fontMetrics().height() // 2)
        self.descriptions: list[QLabel] = []
        self.sample_button = self._add_choice(layout, SAMPLE, self.tr("Try with sample data"), self.tr(
            "A made-up community of 2,000 people and three months of activity, served by a local "
            "sandbox. No X account needed; it stays apart from your own data."))
        self.connect_button = self._add_choice(layout, CONNECT_X, self.tr("Connect an X account"), self.tr(
            "Sign in through your own X developer app, read-only, and import the people who "
            "interacted with your account."))
        self.empty_button = self._add_choice(layout, EMPTY, self.tr("Start with an empty workspace"), self.tr(
            "Look around first; you can connect an account or try the sample later from the "
            "Integrations tab."))
        self.sample_button.setDefault(True)

        self.privacy = QLabel(self.tr(
            "Your workspaces are kept on this computer, in <a href=\"%1\">%2</a>. Nothing leaves it except the "
            "requests Ahoy makes to X for the accounts you connect; sign-ins stay in the system keychain.")
            .replace("%1", Path(data_folder).as_uri()).replace("%2", str(data_folder)))
        self.privacy.setTextFormat(Qt.TextFormat.RichText)
        self.privacy.setOpenExternalLinks(True)
        self.privacy.setWordWrap(True)
        self.privacy.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(self.privacy)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 70)

    def _add_choice(self, layout: QVBoxLayout, choice: str, title: str, description: str) -> QCommandLinkButton:
        button = QCommandLinkButton(title)
        button.setAccessibleDescription(description)
        button.clicked.connect(lambda _checked=False: self.choose(choice))
        label = QLabel(description)
        label.setWordWrap(True)
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_ButtonMargin)
        label.setContentsMargins(button.iconSize().width() + 2 * margin, 0, margin, 0)  # under the title's text
        _ClicksButton(label, button)
        self.descriptions.append(label)
        pair = QVBoxLayout()
        pair.setSpacing(0)
        pair.addWidget(button)
        pair.addWidget(label)
        layout.addLayout(pair)
        return button

    def showEvent(self, event) -> None:
        """As tall as the wrapped text needs at this width, within the screen (Qt stops at two thirds of it)."""
        super().showEvent(event)
        room = self.screen().availableGeometry().size()
        wanted = min(room.width(), max(self.width(), self.fontMetrics().horizontalAdvance("x") * 80))
        self.resize(wanted, min(room.height(), self.layout().totalHeightForWidth(wanted)))

    @Slot(str)
    def choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def start_with_welcome(window) -> WelcomeDialog:
    """Show the welcome over the main window; its choice opens the first workspace."""
    dialog = WelcomeDialog(data_dir(), window)
    dialog.finished.connect(lambda _result: _open_choice(window, dialog.choice))
    dialog.finished.connect(lambda _result: dialog.deleteLater())
    dialog.open()
    return dialog


def _open_choice(window, choice: str) -> None:
    settings = window.context.settings
    settings.set(WELCOME_SHOWN, True)
    settings.sync()
    if choice == SAMPLE:
        window.open_sample()
        return
    if not window.open_path(default_workspace_path()):
        return
    if choice == CONNECT_X:
        window.tabs.setCurrentWidget(window.integrations)
        window.integrations.connect_x_account()
