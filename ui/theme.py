"""The app's colour scheme: the desktop's own, or light or dark by choice.

The core only stores the choice (``THEME``); this module applies it to the
whole application. "system" keeps the platform's style and palette and
follows the desktop when it switches between light and dark; "light" and
"dark" use the Fusion style with a palette of their own, because native
styles (Windows, macOS) ignore a custom palette. Widgets that draw with
palette colours (the dashboard charts) redraw on the PaletteChange this causes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from ahoy_desktop.settings import THEME, Settings

SYSTEM, LIGHT, DARK = "system", "light", "dark"
THEMES = (SYSTEM, LIGHT, DARK)
FUSION = "fusion"

_THEME_PROPERTY = "ahoyTheme"
_NATIVE_STYLE_PROPERTY = "ahoyNativeStyle"
_LISTENING_PROPERTY = "ahoyFollowsScheme"
_STAND_IN_PROPERTY = "ahoyDarkStandIn"

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


def _palette(colors: dict[Role, str], disabled: dict[Role, str]) -> QPalette:
    palette = QPalette()
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    for role, color in disabled.items():
        palette.setColor(Group.Disabled, role, QColor(color))
    placeholder = QColor(colors[Role.Text])
    placeholder.setAlpha(128)
    palette.setColor(Role.PlaceholderText, placeholder)
    return palette


def light_palette() -> QPalette:
    """Fusion's light colours, set in full so no platform colour leaks in."""
    return _palette({
        Role.Window: "#efefef", Role.WindowText: "#000000", Role.Base: "#ffffff", Role.AlternateBase: "#f7f7f7",
        Role.ToolTipBase: "#ffffdc", Role.ToolTipText: "#000000", Role.Text: "#000000", Role.Button: "#efefef",
        Role.ButtonText: "#000000", Role.BrightText: "#ffffff", Role.Light: "#ffffff", Role.Midlight: "#cacaca",
        Role.Mid: "#b8b8b8", Role.Dark: "#9f9f9f", Role.Shadow: "#767676", Role.Highlight: "#308cc6",
        Role.HighlightedText: "#ffffff", Role.Link: "#0000ff", Role.LinkVisited: "#ff00ff",
    }, {
        Role.WindowText: "#bebebe", Role.Text: "#bebebe", Role.ButtonText: "#bebebe", Role.Base: "#efefef",
        Role.Highlight: "#919191", Role.HighlightedText: "#ffffff",
    })


def dark_palette() -> QPalette:
    """A dark Fusion palette with enough contrast for text, links and selections."""
    return _palette({
        Role.Window: "#2b2b2b", Role.WindowText: "#e6e6e6", Role.Base: "#1e1e1e", Role.AlternateBase: "#262626",
        Role.ToolTipBase: "#3c3c3c", Role.ToolTipText: "#e6e6e6", Role.Text: "#e6e6e6", Role.Button: "#353535",
        Role.ButtonText: "#e6e6e6", Role.BrightText: "#ff6b6b", Role.Light: "#4a4a4a", Role.Midlight: "#3f3f3f",
        Role.Mid: "#2f2f2f", Role.Dark: "#1a1a1a", Role.Shadow: "#000000", Role.Highlight: "#3d7fc4",
        Role.HighlightedText: "#ffffff", Role.Link: "#6cb4ff", Role.LinkVisited: "#c58af9",
    }, {
        Role.WindowText: "#7a7a7a", Role.Text: "#7a7a7a", Role.ButtonText: "#7a7a7a", Role.Base: "#2b2b2b",
        Role.Highlight: "#4a4a4a", Role.HighlightedText: "#9a9a9a",
    })


def is_dark(palette: QPalette) -> bool:
    return palette.color(Role.Window).lightness() < palette.color(Role.WindowText).lightness()


def current_theme(app: QApplication | None = None) -> str:
    """The theme applied last (``system`` before any)."""
    app = app or QApplication.instance()
    return app.property(_THEME_PROPERTY) or SYSTEM


def apply_theme(theme: str, app: QApplication | None = None) -> str:
    """Apply a theme app-wide and return the one applied (an unknown name means ``system``)."""
    app = app or QApplication.instance()
    theme = theme if theme in THEMES else SYSTEM
    if app.property(_NATIVE_STYLE_PROPERTY) is None:
        app.setProperty(_NATIVE_STYLE_PROPERTY, app.style().name())
    if not app.property(_LISTENING_PROPERTY):
        app.styleHints().colorSchemeChanged.connect(follow_system_scheme)
        app.setProperty(_LISTENING_PROPERTY, True)
    app.setProperty(_THEME_PROPERTY, theme)
    if theme == SYSTEM:
        _set_scheme_hint(app, None)
        _restore_platform_look(app)
        follow_system_scheme(app.styleHints().colorScheme())
    else:
        _set_scheme_hint(app, Qt.ColorScheme.Dark if theme == DARK else Qt.ColorScheme.Light)
        _use_style(app, FUSION)
        app.setPalette(dark_palette() if theme == DARK else light_palette())
    return theme


def apply_saved_theme(settings: Settings, app: QApplication | None = None) -> str:
    return apply_theme(settings.get(THEME), app)


def follow_system_scheme(scheme: Qt.ColorScheme) -> None:
    """Under "system", the desktop switched scheme: follow it.

    Most platforms hand Qt a matching palette themselves; where one reports
    dark but leaves the palette light (some Linux desktops), the dark Fusion
    palette stands in, and goes again when the desktop turns light.
    """
    app = QApplication.instance()
    if app is None or current_theme(app) != SYSTEM:
        return
    if scheme == Qt.ColorScheme.Dark and not is_dark(app.palette()):
        _use_style(app, FUSION)
        app.setPalette(dark_palette())
        app.setProperty(_STAND_IN_PROPERTY, True)
    elif scheme != Qt.ColorScheme.Dark and app.property(_STAND_IN_PROPERTY):
        _restore_platform_look(app)


def _restore_platform_look(app: QApplication) -> None:
    _use_style(app, app.property(_NATIVE_STYLE_PROPERTY))
    app.setPalette(QPalette())  # an empty palette resolves to the platform's own
    app.setProperty(_STAND_IN_PROPERTY, False)


def _use_style(app: QApplication, name: str) -> None:
    if app.style().name().lower() != name.lower():
        app.setStyle(name)


def _set_scheme_hint(app: QApplication, scheme: Qt.ColorScheme | None) -> None:
    """Tell the platform (Qt 6.8+) which scheme the app wants, so title bars and native dialogs match."""
    hints = app.styleHints()
    if scheme is None:
        if hasattr(hints, "unsetColorScheme"):
            hints.unsetColorScheme()
    elif hasattr(hints, "setColorScheme"):
        hints.setColorScheme(scheme)
