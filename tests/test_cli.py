"""The command line: sync and export, as a script or cron would run them."""

from __future__ import annotations

import csv
import os
import subprocess
import sys

from ahoy_desktop.db.models import Account
from ahoy_desktop.sync.lock import account_lock

from .conftest import REAL_WORLD, ROOT

NOW = "2026-12-01T09:00:00Z"


def cli(*args, check=True):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True,
                            text=True, env=env, cwd=ROOT, timeout=300)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_sync_prints_what_it_did_and_export_writes_exact_ids(tmp_path):
    db = tmp_path / "w.sqlite"
    out = cli("sync", "--world", REAL_WORLD, "--db", db, "--now", NOW).stdout
    assert "new activities: like 43, mention 799, retweet 38" in out
    assert "requests made: 12" in out
    assert "resources read:" in out and "waits: 0" in out

    cli("export", "members", "--csv", tmp_path / "m.csv", "--db", db)
    with open(tmp_path / "m.csv", encoding="utf-8-sig", newline="") as f:
        members = list(csv.DictReader(f))
    assert len(members) == 803
    by_id = {m["X user id"]: m for m in members}
    assert "1328271312628936705" in by_id  # a 19-digit id, exact
    assert by_id["1328271312628936705"]["X handle"] == "uiuxadrian"

    cli("export", "activities", "--csv", tmp_path / "a.csv", "--db", db)
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as f:
        activities = list(csv.DictReader(f))
    assert len(activities) == 880
    assert {a["kind"] for a in activities} == {"mention", "like", "retweet"}
    assert all(a["post_id"].isdigit() for a in activities)


def test_second_sync_of_the_same_account_is_refused_while_one_runs(tmp_path, db_path, clock, sandbox, connect,
                                                                    real_world):
    """The app and a scheduled sync on one file: one sync per account at a time."""
    server = sandbox(real_world)
    account, _ = connect(server, world_key=str(REAL_WORLD))
    with account_lock(db_path, account.id):
        result = cli("sync", "--db", db_path, "--now", NOW, check=False)
    assert result.returncode == 1
    assert "already syncing this account" in result.stderr
    assert Account.get_by_id(account.id).last_sync_at is None


def test_bad_inputs_get_clear_messages(tmp_path):
    result = cli("sync", "--world", tmp_path / "missing.json", "--db", tmp_path / "w.sqlite", check=False)
    assert result.returncode == 2 and "no world file" in result.stderr
    result = cli("sync", "--world", REAL_WORLD, "--db", tmp_path / "w.sqlite", "--now", "yesterday", check=False)
    assert result.returncode == 2 and "not an ISO-8601 time" in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "ahoy-sandbox-world/1", "me": ', encoding="utf-8")
    result = cli("sync", "--world", broken, "--db", tmp_path / "w.sqlite", check=False)
    assert result.returncode == 2 and "broken.json" in result.stderr
    assert "Traceback" not in result.stderr
    result = cli("export", "members", "--csv", tmp_path / "x.csv", "--db", tmp_path / "none.sqlite", check=False)
    assert result.returncode == 2 and "no workspace" in result.stderr


def test_export_to_a_folder_that_does_not_exist_says_so(tmp_path):
    db = tmp_path / "w.sqlite"
    cli("sync", "--world", REAL_WORLD, "--db", db, "--now", NOW)

    result = cli("export", "members", "--csv", tmp_path / "missing" / "m.csv", "--db", db, check=False)

    assert result.returncode == 1
    assert "could not be written" in result.stderr and "Traceback" not in result.stderr


def test_an_x_account_held_back_is_named_with_why(tmp_path, db_path, clock, sandbox, real_world):
    """Cron's log says what to do, not that nothing is connected."""
    from ahoy_desktop.auth.credentials import mark_reconnect_needed
    from ahoy_desktop.auth.oauth import OAuthEndpoints
    from ahoy_desktop.auth.tokens import FILE, open_token_store
    from ahoy_desktop.workspace import connect_x_account

    from .oauth_support import sandbox_sign_in

    server = sandbox(real_world)
    account, _ = connect_x_account(sandbox_sign_in(server, clock), open_token_store(FILE), clock,
                                   sandbox_world=str(REAL_WORLD), endpoints=OAuthEndpoints.at(server.base_url))
    mark_reconnect_needed(account.id, "X refused to renew the sign-in (invalid_grant); reconnect the account.")
    result = cli("sync", "--db", db_path, "--now", NOW, check=False)
    assert result.returncode == 1
    assert f"@{account.username}: reconnect_needed" in result.stderr
    assert "no connected account" not in result.stderr


def test_sync_refuses_the_sample_with_another_file_and_says_why(tmp_path, isolated_user_files):
    other = tmp_path / "mine.sqlite"
    result = cli("sync", "--sample", "--db", other, check=False)
    assert result.returncode == 2
    assert "--sample and --db cannot be used together" in result.stderr
    assert "Leave out --db to sync the sample, or --sample to sync the file given." in result.stderr
    assert not other.exists()
    data = isolated_user_files / "data"
    assert not data.exists() or not any(data.iterdir())  # nor was the sample made or synced
