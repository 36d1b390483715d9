"""The colour scheme: chosen in the settings, applied app-wide, charts redrawn, the system followed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel

from ahoy_desktop.settings import THEME
from ui.theme import DARK, LIGHT, SYSTEM, apply_saved_theme, apply_theme, current_theme, follow_system_scheme, is_dark


@pytest.fixture
def app(qapp):
    native = qapp.palette().color(QPalette.ColorRole.Window).name()
    yield qapp
    apply_theme(SYSTEM, qapp)
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == native


def window_lightness(widget) -> int:
    return widget.palette().color(QPalette.ColorRole.Window).lightness()


def test_dark_and_light_reach_every_widget(app, qtbot):
    label = QLabel("text")
    qtbot.addWidget(label)
    apply_theme(DARK, app)
    assert is_dark(app.palette())
    qtbot.waitUntil(lambda: is_dark(label.palette()))
    assert window_lightness(label) < 80
    assert label.palette().color(QPalette.ColorRole.Text).lightness() > 180
    assert app.style().name().lower() == "fusion"
    apply_theme(LIGHT, app)
    qtbot.waitUntil(lambda: not is_dark(label.palette()))
    assert window_lightness(label) > 200


def test_system_restores_the_platform_palette(app):
    native = app.palette().color(QPalette.ColorRole.Window).name()
    apply_theme(DARK, app)
    assert app.palette().color(QPalette.ColorRole.Window).name() != native
    assert apply_theme(SYSTEM, app) == SYSTEM
    assert app.palette().color(QPalette.ColorRole.Window).name() == native


def test_an_unknown_name_means_system(app, settings):
    settings.set(THEME, "purple")
    assert apply_saved_theme(settings, app) == SYSTEM
    assert current_theme(app) == SYSTEM


def test_the_dashboard_charts_redraw_in_the_new_scheme(app, qtbot, synced_sample_context):
    import pyqtgraph as pg

    from ui.dashboard.tab import DashboardTab

    tab = DashboardTab(synced_sample_context)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: not tab.loading and tab.data is not None)
    plots = [plot for plot in tab.findChildren(pg.PlotWidget) if plot.isVisibleTo(tab)]
    assert plots
    assert all(plot.backgroundBrush().color().lightness() > 200 for plot in plots)
    apply_theme(DARK, app)
    qtbot.waitUntil(lambda: all(plot.backgroundBrush().color().lightness() < 60 for plot in plots))
    apply_theme(LIGHT, app)
    qtbot.waitUntil(lambda: all(plot.backgroundBrush().color().lightness() > 200 for plot in plots))
    assert tab.shutdown(10_000)


def test_under_system_a_dark_desktop_without_a_dark_palette_gets_one(app):
    apply_theme(SYSTEM, app)
    assert not is_dark(app.palette())  # the offscreen platform has a light palette
    follow_system_scheme(Qt.ColorScheme.Dark)
    assert is_dark(app.palette())
    follow_system_scheme(Qt.ColorScheme.Light)
    assert not is_dark(app.palette())


def test_a_chosen_theme_ignores_the_desktop_switching(app):
    apply_theme(LIGHT, app)
    follow_system_scheme(Qt.ColorScheme.Dark)
    assert not is_dark(app.palette())


# -- 100% and 200% scaling -------------------------------------------------------------

LAPTOP_1080P = {"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1920, "height": 1080,
                             "logicalDpi": 96, "logicalBpp": 32, "dpr": 1}]}


@pytest.mark.parametrize(("scale", "theme"), [(1, LIGHT), (2, DARK)])
def test_nothing_is_clipped_on_a_1080p_screen(scale, theme, tmp_path, _synced_sample_template):
    """At 200% a 1920x1080 screen is 960x540: the window must fit, tabs and figure cards whole."""
    import json
    import os
    import shutil
    import subprocess
    import sys

    from .conftest import ROOT

    template, _synced_at = _synced_sample_template
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(template, data / "sample-workspace.ahoy.sqlite")
    screens = tmp_path / "screens.json"
    screens.write_text(json.dumps(LAPTOP_1080P))
    env = dict(os.environ, AHOY_DATA_DIR=str(data), QT_SCALE_FACTOR=str(scale),
               QT_QPA_PLATFORM=f"offscreen:configfile={screens}")
    done = subprocess.run([sys.executable, "-m", "tests.scaling_probe", "--theme", theme], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["dpr"] == scale
    assert report["screen"] == [1920 // scale, 1080 // scale]
    assert report["window"][0] <= report["screen"][0] and report["window"][1] <= report["screen"][1]
    assert report["problems"] == []


def test_the_pdf_report_prints_its_charts_in_the_light_colours_under_a_dark_theme(app, qtbot, synced_sample_context,
                                                                                  tmp_path):
    import re

    from pypdf import PdfReader

    from ui.dashboard.tab import DashboardTab
    from ui.theme import dark_palette, light_palette

    def fills(path) -> set[tuple[float, float, float]]:
        """Every colour the report fills with, as red, green, blue from 0 to 1."""
        found = set()
        for page in PdfReader(str(path)).pages:
            for rgb in re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) scn", page.get_contents().get_data()):
                found.add(tuple(round(float(v), 2) for v in rgb))
        return found

    def rgb(palette, role) -> tuple[float, float, float]:
        return tuple(round(v, 2) for v in palette.color(role).getRgbF()[:3])

    apply_theme(DARK, app)
    tab = DashboardTab(synced_sample_context)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: not tab.loading and tab.data is not None)
    assert is_dark(tab.panels[0].palette())

    tab.export_report(str(tmp_path / "report.pdf"))

    printed = fills(tmp_path / "report.pdf")
    dark, light = dark_palette(), light_palette()
    assert rgb(dark, QPalette.ColorRole.Window) not in printed and rgb(dark, QPalette.ColorRole.Base) not in printed
    assert rgb(light, QPalette.ColorRole.Window) in printed and rgb(light, QPalette.ColorRole.Base) in printed
    assert tab.shutdown(10_000)
