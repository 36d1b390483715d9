"""The settings registry: typed values with bounds, kept beside the data when a data folder is given."""

from __future__ import annotations

from pathlib import Path

from ahoy_desktop.settings import SYNC_INTERVAL_HOURS, Settings


def test_a_given_data_folder_keeps_its_own_settings(tmp_path, monkeypatch):
    folder = tmp_path / "trial"
    folder.mkdir()
    monkeypatch.setenv("AHOY_DATA_DIR", str(folder))

    settings = Settings()
    settings.set(SYNC_INTERVAL_HOURS, 6.0)
    settings.sync()

    assert (folder / "settings.ini").exists()
    assert "interval_hours=6" in (folder / "settings.ini").read_text()
    assert Settings().get(SYNC_INTERVAL_HOURS) == 6.0
    monkeypatch.setenv("AHOY_DATA_DIR", str(tmp_path / "other"))
    assert Settings().get(SYNC_INTERVAL_HOURS) == SYNC_INTERVAL_HOURS.default


def test_values_out_of_bounds_read_as_the_default(tmp_path, monkeypatch):
    monkeypatch.setenv("AHOY_DATA_DIR", str(tmp_path))
    Path(tmp_path, "settings.ini").write_text("[sync]\ninterval_hours=-4\n")

    assert Settings().get(SYNC_INTERVAL_HOURS) == SYNC_INTERVAL_HOURS.default
