"""A sync killed at random moments and run again equals one never interrupted."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

from .conftest import REAL_WORLD, ROOT

NOW = "2026-12-01T09:00:00Z"


def run_sync(db, *, kill_after_lines: int | None = None, delay: float = 0.0) -> int | None:
    """Run ``main.py sync``; with ``kill_after_lines``, SIGKILL it after that many progress lines and ``delay``."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "sync", "--world", str(REAL_WORLD), "--db", str(db), "--now", NOW],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT,
    )
    if kill_after_lines is None:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
        return 0
    for _ in range(kill_after_lines):
        if not proc.stdout.readline():
            break
    time.sleep(delay)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    return proc.returncode


def snapshot(db) -> dict:
    con = sqlite3.connect(db)
    try:
        connected = dict(con.execute("SELECT id, connected_at FROM account"))
        members = sorted(con.execute(
            "SELECT i.x_user_id, i.handle, m.name, m.bio, m.followers"
            " FROM identity i JOIN member m ON m.id = i.member_id"))
        activities = sorted(
            (key, kind, uid, post, target, text, est,
             "connected" if est and when == connected[account] else when)
            for key, kind, uid, post, target, text, est, when, account in con.execute(
                "SELECT dedup_key, kind, x_user_id, post_id, target_post_id, text, estimated, occurred_at, account_id"
                " FROM activity")
        )
        member_count = con.execute("SELECT COUNT(*) FROM member").fetchone()[0]
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
    return {"members": members, "member_count": member_count, "activities": activities, "integrity": integrity}


def test_killed_syncs_rerun_equal_an_uninterrupted_one(tmp_path):
    clean = tmp_path / "clean.sqlite"
    run_sync(clean)
    expected = snapshot(clean)
    assert len(expected["activities"]) == 799 + 43 + 38

    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    killed = tmp_path / "killed.sqlite"
    kills = 0
    for _ in range(8):
        # The first lines are the workspace name and the profile; pages follow.
        code = run_sync(killed, kill_after_lines=rng.randint(1, 12), delay=rng.uniform(0, 0.02))
        kills += code == -signal.SIGKILL
    run_sync(killed)
    got = snapshot(killed)
    assert kills >= 4, f"seed {seed}: only {kills} runs were killed mid-way"
    assert got["integrity"] == "ok"
    assert got == expected, f"seed {seed}"
