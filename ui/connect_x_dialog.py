"""Connect X account…: the scopes and callback first, then the browser, then who was connected.

The wait for X's callback is a coroutine on the qasync loop (the listener
binds 127.0.0.1 only, answers once and closes); the code exchange runs on an
executor thread; storing the sign-in is two short writes on this thread.
Cancel, a timeout or a refusal on X's page store nothing.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop import usage
from ahoy_desktop.auth.callback import CallbackError
from ahoy_desktop.auth.connect import SignIn, sign_in
from ahoy_desktop.auth.oauth import X_API_BASE_URL, OAuthEndpoints, OAuthError
from ahoy_desktop.auth.pkce import SCOPES, AuthorizationRequest, redirect_uri
from ahoy_desktop.auth.tokens import KEYRING, TokenStoreError, keychain_status, open_token_store
from ahoy_desktop.settings import (
    X_AUTH_TIMEOUT_SECONDS,
    X_CALLBACK_PORT,
    X_CLIENT_ID,
    X_CONFIRM_IMPORT_ABOVE,
    X_TOKEN_STORE,
)
from ahoy_desktop.workspace import approve_first_import, connect_x_account
from ahoy_desktop.xapi.client import XApiError

from .context import AppContext
from .usage_view import money, price_notes
from .x_settings_page import XSettingsDialog, no_keychain_text

log = logging.getLogger(__name__)

PAGE_INTRO, PAGE_WAIT, PAGE_DONE = range(3)


@dataclass(frozen=True)
class SignInTarget:
    """Where sign-in and API calls go: X, or a sandbox serving a world (demos, tests)."""

    endpoints: OAuthEndpoints
    api_base_url: str
    sandbox_world: str = ""


X_TARGET = SignInTarget(OAuthEndpoints.x(), X_API_BASE_URL)


class ConnectXDialog(QDialog):
    connected = Signal(int, bool)  # account id, whether to start syncing now

    def __init__(self, context: AppContext, parent: QWidget | None = None, *, target: SignInTarget = X_TARGET,
                 open_url=None):
        super().__init__(parent)
        self.context = context
        self.target = target
        self.open_url = open_url or (lambda url: QDesktopServices.openUrl(QUrl(url)))
        self.account_id: int | None = None
        self.error = ""
        self._task: asyncio.Task | None = None
        self.setWindowTitle(self.tr("Connect an X account"))
        self.setMinimumWidth(520)
        self._build()
        self.refresh_intro()

    # -- building ----------------------------------------------------------------

    def _build(self) -> None:
        self.pages = QStackedWidget()
        self.pages.addWidget(self._intro_page())
        self.pages.addWidget(self._wait_page())
        self.pages.addWidget(self._done_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    def _intro_page(self) -> QWidget:
        page = QWidget()
        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        self.intro_label.setTextFormat(Qt.TextFormat.RichText)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextFormat(Qt.TextFormat.RichText)
        self.settings_button = QPushButton(self.tr("Settings…"))
        self.settings_button.clicked.connect(self.open_settings)
        self.connect_button = QPushButton(self.tr("Open X to sign in"))
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self.start)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.settings_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.connect_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.problem_label)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    def _wait_page(self) -> QWidget:
        page = QWidget()
        self.wait_label = QLabel(self.tr("Finish signing in on X's page in your browser. Ahoy is waiting for it "
                                         "to come back…"))
        self.wait_label.setWordWrap(True)
        self.link_label = QLabel()
        self.link_label.setWordWrap(True)
        self.link_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.link_label.setOpenExternalLinks(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.wait_label)
        layout.addWidget(self.link_label)
        layout.addStretch(1)
        layout.addLayout(row)
        return page

    def _done_page(self) -> QWidget:
        page = QWidget()
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        self.estimate_label = QLabel()
        self.estimate_label.setWordWrap(True)
        self.later_button = QPushButton(self.tr("Not now"))
        self.later_button.clicked.connect(self._later)
        self.import_button = QPushButton(self.tr("Start the first import"))
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self._start_import)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.later_button)
        row.addWidget(self.import_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.done_label)
        layout.addWidget(self.estimate_label)
        layout.addStretch(1)
        layout.addLayout(row)
        return page

    # -- the intro -----------------------------------------------------------------

    def refresh_intro(self) -> None:
        settings = self.context.settings
        port = settings.get(X_CALLBACK_PORT)
        scopes = "".join(f"<li><code>{s}</code></li>" for s in SCOPES)
        self.intro_label.setText(self.tr(
            "<p>Ahoy asks X for read-only access:</p><ul>%1</ul><p>It reads your posts, mentions, likes and "
            "follows; it never posts, likes or follows. Callback URL to register in your X app: <code>%2</code>"
            "</p>").replace("%1", scopes).replace("%2", redirect_uri(port)))
        problem = self.setup_problem()
        self.problem_label.setText(problem)
        self.problem_label.setVisible(bool(problem))
        self.connect_button.setEnabled(not problem)

    def setup_problem(self) -> str:
        """What must be fixed before connecting, in words, or ""."""
        settings = self.context.settings
        if self.context.session is None:
            return self.tr("Open a workspace first.")
        if not settings.get(X_CLIENT_ID):
            return self.tr("<b>Enter the Client ID of your X developer app first</b> (Settings…), with the "
                           "callback URL above registered in that app.")
        if settings.get(X_TOKEN_STORE) == KEYRING and not keychain_status().available:
            return no_keychain_text(self, in_settings=False)
        return ""

    @Slot()
    def open_settings(self) -> None:
        dialog = XSettingsDialog(self.context, self)
        dialog.exec()
        dialog.setParent(None)
        self.refresh_intro()

    # -- signing in ------------------------------------------------------------------

    @Slot()
    def start(self) -> None:
        self._task = asyncio.ensure_future(self.connect_async())

    async def connect_async(self) -> int | None:
        """Sign in, store the sign-in, show who it was. The account id, or None (self.error says why)."""
        settings = self.context.settings
        self.error = ""
        self.pages.setCurrentIndex(PAGE_WAIT)
        try:
            signed = await sign_in(
                client_id=settings.get(X_CLIENT_ID), port=settings.get(X_CALLBACK_PORT),
                endpoints=self.target.endpoints, api_base_url=self.target.api_base_url, clock=self.context.clock,
                open_browser=self.open_url, timeout=settings.get(X_AUTH_TIMEOUT_SECONDS),
                on_request=self._show_link)
            account_id = self._store(signed)
        except asyncio.CancelledError:
            self._failed(self.tr("Cancelled; nothing was connected."))
            return None
        except CallbackError as exc:
            self._failed(self._callback_message(exc))
            return None
        except OAuthError as exc:
            if exc.temporary:
                self._failed(self.tr("X could not be reached or was busy (%1). Nothing was connected; try again "
                                     "in a moment.").replace("%1", exc.error))
            else:
                self._failed(self.tr("X refused the sign-in (%1). Nothing was connected.").replace("%1", exc.error))
            return None
        except (XApiError, TokenStoreError) as exc:
            self._failed(self.tr("The sign-in could not be completed: %1 Nothing was connected.")
                         .replace("%1", str(exc)))
            return None
        finally:
            self._task = None
        self._show_connected(account_id, signed)
        return account_id

    def _store(self, signed: SignIn) -> int:
        store = open_token_store(self.context.settings.get(X_TOKEN_STORE))
        account, _status = connect_x_account(signed, store, self.context.clock,
                                             sandbox_world=self.target.sandbox_world, endpoints=self.target.endpoints)
        self.account_id = account.id
        return account.id

    def _show_link(self, request: AuthorizationRequest) -> None:
        self.link_label.setText(self.tr("If no browser opened, <a href=\"%1\">open X's sign-in page</a>.")
                                .replace("%1", request.url))

    @Slot()
    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _callback_message(self, exc: CallbackError) -> str:
        if exc.code == "timeout":
            return self.tr("X's page did not come back in time. Nothing was connected; try again.")
        if exc.code == "denied":
            return self.tr("Access was not granted on X's page. Nothing was connected.")
        if exc.code == "port_in_use":
            return self.tr("Port %1 is in use by another program. Choose another callback port in Settings "
                           "(and register its URL in your X app).").replace(
                "%1", str(self.context.settings.get(X_CALLBACK_PORT)))
        if exc.code == "state_mismatch":
            return self.tr("The answer that came back was not for this sign-in, so it was ignored. Nothing was "
                           "connected; try again.")
        return self.tr("X's answer could not be read (%1). Nothing was connected.").replace("%1", exc.detail)

    def _failed(self, message: str) -> None:
        self.error = message
        self.pages.setCurrentIndex(PAGE_INTRO)
        self.problem_label.setText(message)
        self.problem_label.show()

    # -- connected -------------------------------------------------------------------

    def _show_connected(self, account_id: int, signed: SignIn) -> None:
        user = signed.user
        self.done_label.setText(self.tr("Connected %1 (@%2).").replace("%1", user.get("name", ""))
                                .replace("%2", user.get("username", "")))
        settings = self.context.settings
        prices = usage.Prices.from_settings(settings)
        estimate = usage.estimate_first_import(user, prices)
        self.estimate_label.setText(" ".join([self.tr(
            "The first import is estimated at up to $%1 under X's pay-per-use prices: %2 mentions, %3 of your "
            "posts and %4 people (at %5 a post and %6 a person). Likes, retweets and quotes of your posts come "
            "on top. This workspace's monthly budget still stops any sync that would pass it.")
            .replace("%1", f"{estimate.cost:.2f}").replace("%2", str(estimate.mention_posts))
            .replace("%3", str(estimate.own_posts)).replace("%4", str(estimate.users))
            .replace("%5", money(prices.data_price("users/:id/mentions")[1])).replace("%6", money(prices.user)),
            *price_notes(self, prices)]))
        self.pages.setCurrentIndex(PAGE_DONE)
        if estimate.cost <= settings.get(X_CONFIRM_IMPORT_ABOVE):
            approve_first_import(account_id)
            self.import_button.setText(self.tr("Close and import"))
            self.later_button.hide()

    @Slot()
    def _start_import(self) -> None:
        approve_first_import(self.account_id)
        self.connected.emit(self.account_id, True)
        self.accept()

    @Slot()
    def _later(self) -> None:
        self.connected.emit(self.account_id, False)
        self.accept()

    def reject(self) -> None:
        self.cancel()
        super().reject()
