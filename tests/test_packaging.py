"""Packaging: the desktop files validate, the ids agree, the icons render, the spec misses no keyring backend,
and the start-up probes the build script and the benchmark rely on work."""

from __future__ import annotations

import ast
import configparser
import pkgutil
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from ahoy_desktop import __version__
from tests.conftest import ROOT

PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "ahoy-desktop.spec"
APP_ID = "app.ahoy.Desktop"
DESKTOP_FILE = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"


def spec_constant(name: str):
    """A literal assigned at the top level of the spec (the spec itself only runs inside PyInstaller)."""
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not assigned in {SPEC.name}")


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed (apt-get install desktop-file-utils)")
def test_desktop_file_validates():
    result = subprocess.run(["desktop-file-validate", str(DESKTOP_FILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()


@pytest.mark.skipif(shutil.which("appstreamcli") is None,
                    reason="appstreamcli is not installed (apt-get install appstream)")
def test_metainfo_validates():
    result = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ids_names_and_version_agree():
    from ui.app import APP_ID as app_id_in_code

    component = ET.parse(METAINFO).getroot()
    entry = desktop_entry()
    assert app_id_in_code == APP_ID == component.findtext("id")
    assert component.findtext("launchable") == DESKTOP_FILE.name
    assert entry["Icon"] == APP_ID
    binary = spec_constant("NAME")
    assert component.findtext("provides/binary") == binary == entry["Exec"].split()[0]
    newest = component.find("releases/release")
    assert newest.get("version") == __version__, "add a <release> to the metainfo for the new version"


def test_spec_names_every_installed_keyring_backend():
    import keyring.backends

    installed = {m.name for m in pkgutil.walk_packages(keyring.backends.__path__, "keyring.backends.")}
    named = set(spec_constant("KEYRING_BACKENDS"))
    assert installed, "keyring has no backend modules?"
    assert installed <= named, f"add to KEYRING_BACKENDS in {SPEC.name}: {sorted(installed - named)}"


def test_icons_render_in_every_size(qapp, tmp_path):
    from PySide6.QtGui import QImage, QImageReader

    sys.path.insert(0, str(PACKAGING))
    try:
        import render_icons
    finally:
        sys.path.remove(str(PACKAGING))

    render_icons.render_all(tmp_path)
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        image = QImage(str(tmp_path / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.pixelColor(size // 4, size // 2).alpha() == 255, "the bubble is opaque"
        assert image.pixelColor(size - 1, size - 1).alpha() == 0, "the corner stays transparent"
    assert (tmp_path / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").read_bytes() == (
        ROOT / "resources" / "icons" / f"{APP_ID}.svg").read_bytes()
    for suffix, count in (("ico", len(render_icons.ICO_SIZES)), ("icns", len(render_icons.ICNS_TYPES))):
        reader = QImageReader(str(tmp_path / f"{APP_ID}.{suffix}"))
        assert reader.imageCount() == count
        assert not reader.read().isNull()


def test_window_icon_is_found_as_a_resource(qapp):
    from PySide6.QtGui import QIcon

    from ui.app import app_icon_path

    path = app_icon_path()
    assert path.is_file()
    assert not QIcon(str(path)).pixmap(16, 16).isNull()


def run_app(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_smoke_test_opens_the_sample_and_passes():
    result = run_app("--smoke-test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke test: passed" in result.stdout
    assert "members stored in" in result.stdout


def test_quit_when_shown_prints_the_marker_and_exits(tmp_path):
    result = run_app("--db", str(tmp_path / "workspace.ahoy.sqlite"), "--quit-when-shown")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["first window shown"]
    assert (tmp_path / "workspace.ahoy.sqlite").exists()
