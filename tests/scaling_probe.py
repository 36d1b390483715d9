"""Open the main window on a synced sample workspace and measure what a scaled screen could clip.

The window's tabs, the dialogs from its menus and the first-start welcome.

Run in a subprocess (the scale factor is fixed when Qt starts), with
``AHOY_DATA_DIR`` holding a synced sample workspace:

    QT_SCALE_FACTOR=2 python -m tests.scaling_probe --theme dark [--screenshots DIR]

Prints one JSON object: the screen, the window, and a list of problems (empty
when nothing is clipped).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget


def text_fits(label: QLabel) -> bool:
    """A one-line label shows its whole text; a wrapping one has the height its width needs."""
    text = label.text()
    if not text or not label.isVisible() or label.textFormat() == 1:  # rich text is measured by its layout
        return True
    room = label.contentsRect()
    metrics = label.fontMetrics()
    if label.wordWrap():
        return room.height() >= label.heightForWidth(room.width()) - 1 if label.hasHeightForWidth() else True
    return all(metrics.horizontalAdvance(line) <= room.width() + 1 for line in text.splitlines())


def widget_fits(widget: QWidget) -> bool:
    hint = widget.minimumSizeHint()
    return not hint.isValid() or (widget.width() >= hint.width() - 1 and widget.height() >= hint.height() - 1)


def problems_in(window, app: QApplication) -> list[str]:
    found = []
    screen = window.screen().availableGeometry()
    if window.width() > screen.width() or window.height() > screen.height():
        found.append(f"window {window.width()}x{window.height()} larger than the screen "
                     f"{screen.width()}x{screen.height()}")
    minimum = window.minimumSize().expandedTo(window.minimumSizeHint())
    if minimum.width() > screen.width() or minimum.height() > screen.height():
        found.append(f"window minimum {minimum.width()}x{minimum.height()} larger than the screen")
    bar = window.tabs.tabBar()
    for index in range(bar.count()):
        needed = bar.fontMetrics().horizontalAdvance(bar.tabText(index).replace("&", ""))
        if bar.tabRect(index).width() < needed:
            found.append(f"tab {bar.tabText(index)!r} clipped")
    if bar.tabRect(bar.count() - 1).right() > bar.width():
        found.append("tab bar wider than the window")
    dashboard = window.dashboard
    window.tabs.setCurrentWidget(dashboard)
    app.processEvents()
    for key, card in dashboard.cards.items():
        if not widget_fits(card):
            found.append(f"figure card {key} smaller than it needs")
        for label in (card.caption, card.value, card.change):
            if not text_fits(label):
                found.append(f"figure card {key}: {label.text()!r} clipped")
    return found


def dialogs_that_overflow(window, app: QApplication) -> list[str]:
    """The dialogs opened from the menus fit on the screen."""
    screen = window.screen().availableGeometry()
    found = []
    for name, dialog in (("Settings", window.open_settings()), ("About", window.show_about())):
        app.processEvents()
        if dialog.width() > screen.width() or dialog.height() > screen.height():
            found.append(f"{name} dialog {dialog.width()}x{dialog.height()} larger than the screen")
        dialog.reject()
    return found


def welcome_clipped(window, app: QApplication) -> list[str]:
    """The first-start welcome: on the screen, every wrapped text as tall as it needs, every choice whole."""
    from ahoy_desktop.paths import data_dir
    from ui.welcome_dialog import WelcomeDialog

    dialog = WelcomeDialog(data_dir(), window)
    dialog.open()
    app.processEvents()
    screen = window.screen().availableGeometry()
    found = []
    if dialog.width() > screen.width() or dialog.height() > screen.height():
        found.append(f"welcome {dialog.width()}x{dialog.height()} larger than the screen")
    for label in dialog.findChildren(QLabel):
        room = label.contentsRect()
        if label.wordWrap() and label.hasHeightForWidth() and room.height() < label.heightForWidth(room.width()) - 1:
            found.append(f"welcome: text {label.text()[:40]!r} cut ({room.height()} of "
                         f"{label.heightForWidth(room.width())} px)")
        elif not label.wordWrap() and not text_fits(label):
            found.append(f"welcome: label {label.text()[:40]!r} clipped")
    for button in dialog.findChildren(QAbstractButton):
        needed = (button.heightForWidth(button.width()) if button.hasHeightForWidth()
                  else button.minimumSizeHint().height())
        if button.height() < needed - 1:
            found.append(f"welcome: button {button.text()!r} {button.height()} px high, needs {needed}")
        if button.width() < button.minimumSizeHint().width() - 1:
            found.append(f"welcome: button {button.text()!r} narrower than its text")
    dialog.reject()
    app.processEvents()
    return found


def sideways_scrolling(window) -> list[str]:
    """Scroll areas that need a horizontal scroll bar at this size: reachable, but worth knowing."""
    from PySide6.QtWidgets import QScrollArea

    return [f"{window.tabs.tabText(i)}: {area.objectName() or type(area).__name__}"
            for i in range(window.tabs.count())
            for area in window.tabs.widget(i).findChildren(QScrollArea)
            if area.horizontalScrollBar().maximum() > 0]


def clipped_labels(window, app: QApplication) -> list[str]:
    found = []
    for tab_index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab_index)
        app.processEvents()
        page = window.tabs.currentWidget()
        for label in page.findChildren(QLabel):
            if label.isVisible() and not label.wordWrap() and not text_fits(label) and label.minimumWidth() == 0:
                if label.width() >= label.sizeHint().width() or label.parentWidget().width() < 50:
                    continue
                found.append(f"{window.tabs.tabText(tab_index)}: label {label.text()[:40]!r} clipped")
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--theme", default="system")
    parser.add_argument("--screenshots", type=Path)
    args = parser.parse_args(argv)

    from ahoy_desktop.clock import Clock, parse_iso
    from ahoy_desktop.paths import data_dir
    from ahoy_desktop.settings import Settings
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.theme import apply_theme

    app = QApplication(sys.argv[:1])
    apply_theme(args.theme, app)
    settings = Settings(QSettings(str(data_dir() / "probe-settings.ini"), QSettings.Format.IniFormat))
    clock = Clock(parse_iso("2026-12-01T09:00:00Z"), frozen=True)
    window = MainWindow(AppContext(clock, settings))
    window.open_sample()
    window.context.sync.stop_schedule()
    window.show()
    dashboard = window.dashboard
    window.tabs.setCurrentWidget(dashboard)
    deadline = 200
    while (dashboard.loading or dashboard.data is None) and deadline:
        app.processEvents()
        QApplication.instance().thread().msleep(50)
        deadline -= 1
    app.processEvents()
    found = (problems_in(window, app) + clipped_labels(window, app) + dialogs_that_overflow(window, app)
             + welcome_clipped(window, app))
    window.tabs.setCurrentWidget(dashboard)
    app.processEvents()
    sideways = sideways_scrolling(window)
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            app.processEvents()
            window.grab().save(str(args.screenshots / f"{args.theme}-{index}.png"))
    screen = window.screen()
    print(json.dumps({"dpr": screen.devicePixelRatio(), "screen": [screen.availableGeometry().width(),
                                                                  screen.availableGeometry().height()],
                      "window": [window.width(), window.height()], "problems": found,
                      "scrolls_sideways": sideways}))
    dashboard.shutdown(10_000)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
