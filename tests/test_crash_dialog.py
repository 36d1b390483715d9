"""A bug shows a calm dialog and leaves a private crash log with the traceback, and never a token."""

from __future__ import annotations

import logging
import os
import stat
import sys

import pytest

from ahoy_desktop.log_redaction import REDACTED, RedactingFilter, redact
from ahoy_desktop.paths import data_dir

ACCESS_TOKEN = "c2FuZGJveC1hdC1XbjNrN1pxVjlYcDJMbTRSdDhZYzFCdjZOczBKaEZn"  # as X issues them
REFRESH_TOKEN = "rt-Q8m2ZkP0sWx7Lr4Nv9Bt3Yh6Jc1Df5Gq"


def raised(message: str):
    try:
        raise RuntimeError(message)
    except RuntimeError:
        return sys.exc_info()


@pytest.fixture
def shown(monkeypatch):
    """The crash dialogs shown, each captured as it would be seen (exec is not run modally)."""
    from ui.crash_dialog import CrashDialog

    dialogs = []

    def exec_(dialog):
        dialogs.append({"title": dialog.windowTitle(), "message": dialog.message.text(),
                        "path": dialog.path_label.text(), "details": dialog.details,
                        "buttons": [dialog.open_folder_button.text(), dialog.copy_button.text()],
                        "dialog": dialog})
        return 0

    monkeypatch.setattr(CrashDialog, "exec", exec_)
    return dialogs


def test_a_crash_shows_a_calm_dialog_and_logs_the_traceback_without_the_token(qapp, shown, caplog):
    from ui.crash_dialog import report_crash

    def load_members():
        raise ValueError(f"X said no to Authorization: Bearer {ACCESS_TOKEN} (refresh_token={REFRESH_TOKEN})")

    try:
        load_members()
    except ValueError:
        exc_info = sys.exc_info()
    with caplog.at_level(logging.ERROR):
        log_path = report_crash(None, *exc_info)

    assert log_path.parent == data_dir() and log_path.name.startswith("crash-") and log_path.suffix == ".log"
    assert stat.S_IMODE(os.stat(log_path).st_mode) == 0o600 or os.name == "nt"
    text = log_path.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "in load_members" in text
    assert "ValueError: X said no to Authorization:" in text
    assert ACCESS_TOKEN not in text and REFRESH_TOKEN not in text and REDACTED in text

    [dialog] = shown
    assert dialog["title"] == "Something went wrong"
    assert "unexpected problem" in dialog["message"] and "Your data is safe" in dialog["message"]
    assert dialog["path"] == str(log_path)
    assert dialog["buttons"] == ["Open folder", "Copy details"]
    assert ACCESS_TOKEN not in dialog["details"]
    assert all(ACCESS_TOKEN not in r.getMessage() and REFRESH_TOKEN not in r.getMessage() for r in caplog.records)


def test_copy_details_copies_the_redacted_traceback(qapp, shown):
    from PySide6.QtGui import QGuiApplication

    from ui.crash_dialog import report_crash

    report_crash(None, *raised(f"token={ACCESS_TOKEN}"))
    shown[0]["dialog"].copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert "RuntimeError: token=" in copied and ACCESS_TOKEN not in copied


def test_a_crash_before_the_window_exists_or_after_it_is_gone_still_shows_the_dialog(qapp, qtbot, shown):
    from PySide6.QtWidgets import QWidget

    from ui.crash_dialog import report_crash

    window = QWidget()
    window.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(window))
    report_crash(window, *raised("after the window"))
    report_crash(None, *raised("before the window"))
    assert [d["dialog"].parent() for d in shown] == [None, None]


def test_a_crash_inside_the_dialog_does_not_recurse(qapp, monkeypatch, capsys):
    from ui.crash_dialog import CrashDialog, report_crash

    calls = []

    def failing_exec(dialog):
        calls.append(dialog)
        report_crash(None, *raised("while reporting"))  # as the excepthook would, from inside the dialog
        raise RuntimeError("the dialog itself broke")

    monkeypatch.setattr(CrashDialog, "exec", failing_exec)
    log_path = report_crash(None, *raised("the first problem"))

    assert len(calls) == 1
    assert "the first problem" in log_path.read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert "while reporting" in err and "the dialog itself broke" in err
    assert len(list(data_dir().glob("crash-*.log"))) == 1


@pytest.mark.parametrize("line", [
    f"Authorization: Bearer {ACCESS_TOKEN}",
    f"{{'Authorization': 'Bearer {ACCESS_TOKEN}', 'User-Agent': 'tweepy'}}",
    f'{{"access_token": "{ACCESS_TOKEN}", "refresh_token": "{REFRESH_TOKEN}", "expires_in": 7200}}',
    f"grant_type=refresh_token&refresh_token={REFRESH_TOKEN}&client_id=abc",
    f"token={ACCESS_TOKEN}&token_type_hint=access_token",
    f"request failed for {ACCESS_TOKEN}",
])
def test_redact_removes_tokens_in_every_shape(line):
    cleaned = redact(line)
    assert ACCESS_TOKEN not in cleaned and REFRESH_TOKEN not in cleaned
    assert REDACTED in cleaned


@pytest.mark.parametrize("line", [
    "synced 1234 members in 2.5 s (status code 429, 15 requests)",
    "File \"/work/ahoy_desktop/sync/engine.py\", line 212, in test_members_with_long_descriptive_names",
    "tweet 1739274982741823488 by user 1602345678901234567",
    "token_key x-3f2a stays in the keychain",
    "unexpected error (details in crash-20261204T093459Z-2.log)",
    "backed up to workspace.ahoy.sqlite.daily-20261204T093459Z.bak",
    "ahoy_desktop.db.file_check.WorkspaceCorrupt: w.ahoy.sqlite is damaged",
    "PySide6.QtWidgets.QAbstractItemView.setModel() takes 2 arguments, PySide6 6.7.2",
    "avatar https://pbs.twimg.com/profile_images/1325667540758931309/Gfi1RND_normal.jpg",
])
def test_redact_leaves_ordinary_log_lines_alone(line):
    assert redact(line) == line


def test_the_logging_filter_redacts_messages_arguments_and_tracebacks():
    record = logging.LogRecord("ahoy", logging.ERROR, __file__, 1, "refresh with %s failed",
                               (f"refresh_token={REFRESH_TOKEN}",), raised(f"Bearer {ACCESS_TOKEN}"))
    assert RedactingFilter().filter(record)
    line = logging.Formatter("%(message)s").format(record)
    assert "refresh with refresh_token=" in line and "Traceback" in line
    assert REFRESH_TOKEN not in line and ACCESS_TOKEN not in line


def test_the_apps_own_start_up_catches_bugs_on_every_thread_and_keeps_the_token_out(tmp_path):
    """The real ``ui.app.run``: a slot, a Python thread, a thread-pool job and an asyncio task each raise."""
    import subprocess
    from pathlib import Path

    probe = Path(__file__).with_name("fault_probe.py")
    data = tmp_path / "data"
    env = {**os.environ, "AHOY_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(probe), str(tmp_path / "w.ahoy.sqlite"), ACCESS_TOKEN], env=env,
                          capture_output=True, text=True, timeout=180)

    assert done.returncode == 0, done.stderr[-2000:]
    dialogs = sorted(line for line in done.stdout.splitlines() if line.startswith("dialog "))
    assert dialogs == [f"dialog True RuntimeError: boom {where} with access token {REDACTED}"
                       for where in ("in a pool job", "in a slot", "in a task", "in a thread")]
    logs = sorted(data.glob("crash-*.log"))
    assert len(logs) == 4
    texts = [p.read_text(encoding="utf-8") for p in logs]
    assert all("Traceback (most recent call last)" in t and "in boom" in t for t in texts)
    assert all(stat.S_IMODE(os.stat(p).st_mode) == 0o600 for p in logs) or os.name == "nt"
    assert "boom in a thread" in done.stderr  # the app's log goes to stderr too, redacted
    for text in [*texts, (data / "ahoy-desktop.log").read_text(encoding="utf-8"), done.stderr, done.stdout]:
        assert ACCESS_TOKEN not in text


@pytest.mark.parametrize("line", [
    f"c2FuZGJveC1hdC1XbjNr.{ACCESS_TOKEN[20:]}",  # a token with a dot in it
    f"failed for {ACCESS_TOKEN[:20]}.{ACCESS_TOKEN[20:26]}",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "retrying with Zq8xK2mP0sLw4Nb1Vt7Y in the header",  # 20 characters, no field name
])
def test_redact_removes_tokens_split_by_dots_and_short_ones_that_look_random(line):
    cleaned = redact(line)
    assert REDACTED in cleaned
    assert not [part for part in line.replace(".", " ").split() if len(part) >= 12 and part in cleaned]


def test_the_tokens_the_app_holds_are_redacted_however_short_and_wherever_they_appear():
    from datetime import UTC, datetime

    from ahoy_desktop.auth.tokens import TokenSet

    short_access, short_refresh = "Qm9vTmV3a2V5", "rt.b0aT2c4"
    assert redact(f"got {short_access} and {short_refresh}") == f"got {short_access} and {short_refresh}"

    stored = TokenSet(short_access, short_refresh, datetime(2026, 12, 1, tzinfo=UTC)).to_json()
    TokenSet.from_json(stored)  # as a keychain read makes them

    for line in (f"got {short_access} and {short_refresh}", f"GET /2/users/me?t={short_access}&x=1",
                 f"'{short_access}'", f"code {short_refresh}, again: {short_refresh}"):
        cleaned = redact(line)
        assert short_access not in cleaned and short_refresh not in cleaned, cleaned
        assert REDACTED in cleaned
    record = logging.LogRecord("ahoy", logging.WARNING, __file__, 1, "refresh failed for %s", (short_refresh,), None)
    assert RedactingFilter().filter(record) and short_refresh not in record.getMessage()
