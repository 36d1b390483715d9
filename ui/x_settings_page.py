"""Settings for real X accounts: the developer app, prices, the budget, the tray.

A page to embed in the app's settings dialog (``XSettingsPage``), and a small
dialog around it until that exists (``XSettingsDialog``). Values are written
only on ``apply()``; the monthly budget belongs to the open workspace.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop import usage
from ahoy_desktop.auth.pkce import redirect_uri
from ahoy_desktop.auth.tokens import (
    FILE,
    KEYRING,
    TokenStoreError,
    keychain_status,
    open_token_store,
    token_file_path,
)
from ahoy_desktop.settings import (
    KEEP_SYNCING_IN_TRAY,
    X_CALLBACK_PORT,
    X_CLIENT_ID,
    X_CONFIRM_IMPORT_ABOVE,
    X_OWNS_APP,
    X_PRICE_FOLLOWER,
    X_PRICE_LIKER,
    X_PRICE_OWNED_READ,
    X_PRICE_POST,
    X_PRICE_USER,
    X_TOKEN_STORE,
)
from ahoy_desktop.workspace import move_tokens_to

from .context import AppContext

PRICE_SETTINGS = (X_PRICE_POST, X_PRICE_USER, X_PRICE_LIKER, X_PRICE_FOLLOWER, X_PRICE_OWNED_READ)


def _money(maximum: float, decimals: int = 3) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setDecimals(decimals)
    box.setRange(0, maximum)
    box.setPrefix("$")
    box.setSingleStep(10 ** -decimals if decimals <= 3 else 0.001)
    return box


class XSettingsPage(QWidget):
    changed = Signal()  # applied

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self._build()
        self.load()

    def _build(self) -> None:
        app_box = QGroupBox(self.tr("Your X developer app"))
        guide = QLabel(self.tr(
            "<ol><li>At developer.x.com, create a project and an app; under <i>User authentication settings</i> "
            "choose <b>Native App</b> (a public client: no secret) and <b>Read</b> permissions.</li>"
            "<li>Add the callback URL shown below, exactly.</li>"
            "<li>Copy the app's OAuth 2.0 <b>Client ID</b> here.</li></ol>"))
        guide.setWordWrap(True)
        guide.setTextFormat(Qt.TextFormat.RichText)
        self.client_id_edit = QLineEdit()
        self.client_id_edit.setPlaceholderText(self.tr("e.g. M1M5R3BMVy13QmpScXkzTUt5OE46MTpjaQ"))
        self.client_id_edit.setAccessibleName(self.tr("Client ID"))
        self.port_box = QSpinBox()
        self.port_box.setRange(int(X_CALLBACK_PORT.minimum), int(X_CALLBACK_PORT.maximum))
        self.port_box.valueChanged.connect(self._show_callback)
        self.callback_edit = QLineEdit()
        self.callback_edit.setReadOnly(True)
        self.callback_edit.setAccessibleName(self.tr("Callback URL to register"))
        self.owns_box = QCheckBox(self.tr("I own this developer app (my own posts, mentions and followers are "
                                          "billed as owned reads)"))
        form = QFormLayout()
        form.addRow(self.tr("Client ID:"), self.client_id_edit)
        form.addRow(self.tr("Callback port:"), self.port_box)
        form.addRow(self.tr("Callback URL:"), self.callback_edit)
        app_layout = QVBoxLayout(app_box)
        app_layout.addWidget(guide)
        app_layout.addLayout(form)
        app_layout.addWidget(self.owns_box)

        token_box = QGroupBox(self.tr("Where sign-ins are kept"))
        self.keychain_label = QLabel()
        self.keychain_label.setWordWrap(True)
        self.store_combo = QComboBox()
        self.store_combo.addItem(self.tr("The system keychain (recommended)"), KEYRING)
        self.store_combo.addItem(self.tr("A plain-text file readable only by you"), FILE)
        self.store_combo.activated.connect(self._confirm_file_store)
        token_layout = QVBoxLayout(token_box)
        token_layout.addWidget(self.keychain_label)
        token_layout.addWidget(self.store_combo)

        price_box = QGroupBox(self.tr("X's pay-per-use prices, per resource read"))
        self.price_boxes = {s.key: _money(10) for s in PRICE_SETTINGS}
        labels = {
            X_PRICE_POST.key: self.tr("Post:"),
            X_PRICE_USER.key: self.tr("User:"),
            X_PRICE_LIKER.key: self.tr("Liking user:"),
            X_PRICE_FOLLOWER.key: self.tr("Follower or following entry:"),
            X_PRICE_OWNED_READ.key: self.tr("Owned read:"),
        }
        prices = QFormLayout(price_box)
        for key, box in self.price_boxes.items():
            prices.addRow(labels[key], box)
        note = QLabel(self.tr("Prices change: check X's pricing page. X lists a like at one price and a user at "
                              "another; liking users are estimated at the like price. A resource is charged once "
                              "per UTC day."))
        note.setWordWrap(True)
        prices.addRow(note)

        budget_box = QGroupBox(self.tr("Budget"))
        self.budget_box = _money(100000, 2)
        self.budget_box.setSpecialValueText(self.tr("No budget"))
        self.confirm_box = _money(100000, 2)
        self.budget_note = QLabel()
        self.budget_note.setWordWrap(True)
        budget = QFormLayout(budget_box)
        budget.addRow(self.tr("Monthly budget of this workspace:"), self.budget_box)
        budget.addRow(self.tr("Ask before a first import above:"), self.confirm_box)
        budget.addRow(self.budget_note)

        self.tray_box = QCheckBox(self.tr("Keep syncing in the tray when the window is closed"))

        layout = QVBoxLayout(self)
        for widget in (app_box, token_box, price_box, budget_box, self.tray_box):
            layout.addWidget(widget)
        layout.addStretch(1)

    # -- values ------------------------------------------------------------------

    def load(self) -> None:
        settings = self.context.settings
        self.client_id_edit.setText(settings.get(X_CLIENT_ID))
        self.port_box.setValue(settings.get(X_CALLBACK_PORT))
        self._show_callback()
        self.owns_box.setChecked(settings.get(X_OWNS_APP))
        for setting in PRICE_SETTINGS:
            self.price_boxes[setting.key].setValue(settings.get(setting))
        self.confirm_box.setValue(settings.get(X_CONFIRM_IMPORT_ABOVE))
        self.tray_box.setChecked(settings.get(KEEP_SYNCING_IN_TRAY))
        if not QSystemTrayIcon.isSystemTrayAvailable():  # closing the window would simply quit
            self.tray_box.setEnabled(False)
            self.tray_box.setToolTip(self.tr("This desktop has no system tray, so closing the window quits."))
        self.store_combo.setCurrentIndex(max(0, self.store_combo.findData(settings.get(X_TOKEN_STORE))))
        status = keychain_status()
        if status.available:
            self.keychain_label.setText(self.tr("Keychain found: %1.").replace("%1", status.backend))
        else:
            self.keychain_label.setText(no_keychain_text(self))
        has_workspace = self.context.session is not None
        self.budget_box.setEnabled(has_workspace)
        if has_workspace:
            self.budget_box.setValue(usage.monthly_budget(settings))
            self.budget_note.setText(self.tr("The budget covers every X account of this workspace; a sync that "
                                             "would pass it stops and says so."))
        else:
            self.budget_note.setText(self.tr("Open a workspace to set its budget."))

    def apply(self) -> None:
        settings = self.context.settings
        settings.set(X_CLIENT_ID, self.client_id_edit.text().strip())
        settings.set(X_CALLBACK_PORT, self.port_box.value())
        settings.set(X_OWNS_APP, self.owns_box.isChecked())
        for setting in PRICE_SETTINGS:
            settings.set(setting, self.price_boxes[setting.key].value())
        settings.set(X_CONFIRM_IMPORT_ABOVE, self.confirm_box.value())
        settings.set(KEEP_SYNCING_IN_TRAY, self.tray_box.isChecked())
        if self.store_combo.currentData() != settings.get(X_TOKEN_STORE):
            settings.set(X_TOKEN_STORE, self.store_combo.currentData())
            self._move_sign_ins()
        if self.context.session is not None:
            usage.set_monthly_budget(self.budget_box.value())
        settings.sync()
        self.changed.emit()

    def _move_sign_ins(self) -> None:
        """The workspace's sign-ins follow the choice, so none is left behind in the other store."""
        if self.context.session is None:
            return
        try:
            move_tokens_to(open_token_store(self.store_combo.currentData()))
        except TokenStoreError as exc:
            QMessageBox.warning(self, self.tr("Sign-ins not moved"), self.tr(
                "The X sign-ins of this workspace could not be moved to the store you chose: %1 They stay "
                "where they were and keep working.").replace("%1", str(exc)))

    def _show_callback(self) -> None:
        self.callback_edit.setText(redirect_uri(self.port_box.value()))

    def _confirm_file_store(self, index: int) -> None:
        if self.store_combo.itemData(index) != FILE:
            return
        answer = QMessageBox.warning(
            self, self.tr("Keep sign-ins in a plain-text file?"),
            self.tr("The tokens that let Ahoy read your X account would be written, unencrypted, to %1 "
                    "(readable only by your user). Anyone who can read your files could use them. "
                    "A system keychain is safer.").replace("%1", str(token_file_path())),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            self.store_combo.setCurrentIndex(self.store_combo.findData(KEYRING))


def no_keychain_text(widget: QWidget, *, in_settings: bool = True) -> str:
    text = widget.tr(
        "No system keychain was found, so Ahoy cannot keep an X sign-in safely. Sandbox and sample accounts "
        "work as before. To connect X, run a Secret Service keychain (on Debian or Ubuntu: "
        "<code>sudo apt-get install gnome-keyring</code>, then log in again; KDE's KWallet works too), or %1.")
    where = (widget.tr("choose the plain-text file below") if in_settings
             else widget.tr("choose a plain-text file under Settings… ▸ X account"))
    return text.replace("%1", where)


class XSettingsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("X account settings"))
        self.page = XSettingsPage(context)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        self.page.apply()
        self.accept()
