"""The core runs with no display: it never imports Qt widgets or GUI."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import ahoy_desktop

from .conftest import ROOT


def test_core_imports_no_qt_widgets():
    modules = [m.name for m in pkgutil.walk_packages(ahoy_desktop.__path__, "ahoy_desktop.")]
    assert len(modules) > 10
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = [m for m in ('PySide6.QtWidgets', 'PySide6.QtGui') if m in sys.modules]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
