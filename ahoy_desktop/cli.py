"""The command line: ``sync`` and ``export``, headless, for scripts and cron.

    python main.py sync [--sample | --world FILE] [--db PATH] [--now ISO-TIME]
    python main.py export members|activities --csv FILE [--sample | --db PATH]
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from .accounts import account_summaries, active_accounts
from .backups import newest_backup, run_daily_backup
from .clock import Clock, parse_iso
from .db import NotAWorkspace, WorkspaceCorrupt, WorkspaceTooNew, close_db
from .db.models import Account
from .member_io.csv_export import write_csv
from .member_io.member_export import export_members
from .paths import default_workspace_path, sample_workspace_path
from .private_files import make_private, use_private_umask
from .queries import activity_rows, workspace_totals
from .session import WorkspaceSession
from .settings import OWN_POSTS_DAYS, RATE_WAIT_LIMIT_MINUTES, Settings
from .sync.engine import SyncOptions, SyncProgress, SyncReport
from .sync.lock import SyncBusy
from .workspace import connect_sandbox_account, open_workspace, sync_account


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ahoy-desktop", description="Ahoy Desktop, headless.")
    commands = parser.add_subparsers(dest="command", required=True)

    sync = commands.add_parser("sync", help="Sync every account of a workspace once.")
    source = sync.add_mutually_exclusive_group()
    source.add_argument("--sample", action="store_true", help="the sample workspace (its own file)")
    source.add_argument("--world", type=Path, help="connect and sync the account of a sandbox world file")
    sync.add_argument("--db", type=Path, help="the workspace file (default: your workspace; not with --sample, "
                                              "which has a file of its own)")
    sync.add_argument("--now", help="start the clock at this ISO-8601 time and let it run on")
    sync.add_argument("--quiet", action="store_true", help="print only the summary")

    export = commands.add_parser("export", help="Write what the workspace holds as CSV.")
    export.add_argument("what", choices=["members", "activities"])
    export.add_argument("--csv", type=Path, required=True, help="the file to write (CSV; .xlsx for Excel members)")
    where = export.add_mutually_exclusive_group()
    where.add_argument("--sample", action="store_true", help="the sample workspace")
    where.add_argument("--db", type=Path, help="the workspace file (default: your workspace)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    use_private_umask()  # workspaces, backups and exports are the user's alone
    try:
        if args.command == "sync":
            return run_sync(args)
        return run_export(args)
    except (WorkspaceTooNew, NotAWorkspace) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except WorkspaceCorrupt as exc:
        backup = newest_backup(exc.path)
        hint = (f"The newest backup is {backup.path} (open the app to restore it)." if backup is not None
                else "There is no backup of it.")
        print(f"error: {exc} {hint}", file=sys.stderr)
        return 2
    finally:
        close_db()


def run_sync(args) -> int:
    if args.sample and args.db:  # the sample is a file of its own: syncing it "into" another would surprise
        print("error: --sample and --db cannot be used together: the sample workspace is a file of its own. "
              "Leave out --db to sync the sample, or --sample to sync the file given.", file=sys.stderr)
        return 2
    try:
        clock = Clock(parse_iso(args.now)) if args.now else Clock()
    except ValueError:
        print(f"error: --now {args.now!r} is not an ISO-8601 time", file=sys.stderr)
        return 2
    if args.world and not args.world.is_file():
        print(f"error: no world file at {args.world}", file=sys.stderr)
        return 2
    settings = Settings()
    try:
        if args.sample:
            session = WorkspaceSession.open_sample(clock, settings)
        else:
            session = WorkspaceSession(args.db or default_workspace_path(), clock, settings)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    cancel = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    try:
        if args.world:
            try:
                connect_sandbox_account(session.host, str(args.world), clock)
            except (ValueError, OSError) as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
        accounts = active_accounts(clock.now())
        held = [s for s in account_summaries(now=clock.now()) if s.blocked is not None]
        for summary in held:  # an X account waiting for approval, a reconnect or next month: say so
            print(f"@{summary.account.username}: {summary.blocked[0]} - {summary.blocked[1]}", file=sys.stderr)
        if not accounts:
            if not held:
                print(f"{session.path}: no connected account. Use --sample or --world FILE.", file=sys.stderr)
            return 1
        options = SyncOptions(own_posts_days=settings.get(OWN_POSTS_DAYS),
                              wait_limit_seconds=settings.get(RATE_WAIT_LIMIT_MINUTES) * 60)
        print(f"Workspace: {session.path}")
        failed = False
        for account in accounts:
            progress = None if args.quiet else _print_progress
            try:
                report = sync_account(account, session.host, clock, options=options, progress=progress,
                                      cancel=cancel)
            except SyncBusy as exc:
                print(f"@{account.username}: {exc}", file=sys.stderr)
                failed = True
                continue
            _print_report(account, report)
            failed |= report.outcome not in ("ok", "rate_limited")
        totals = workspace_totals()
        print(f"Workspace now holds {totals['members']} members and {totals['activities']} activities: "
              + ", ".join(f"{k} {v}" for k, v in sorted(totals["by_kind"].items())))
        backup = run_daily_backup(session.path)
        if backup is not None:
            print(f"Daily backup: {backup}")
        return 1 if failed else 0
    finally:
        signal.signal(signal.SIGINT, previous)
        session.close()


def _print_progress(p: SyncProgress) -> None:
    if p.waiting_until is not None:
        print(f"  waiting until {p.waiting_until:%H:%M:%S} UTC for X's rate limit ({p.stage}) - Ctrl+C cancels",
              flush=True)
    elif p.stage != "done":
        print(f"  {p.stage}: {p.detail} ({p.requests} requests so far)", flush=True)


def _print_report(account: Account, report: SyncReport) -> None:
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(report.activities_added.items())) or "none"
    print(f"@{account.username}: {report.outcome} - {report.message}")
    print(f"  new members: {len(report.members_added)}, updated members: {len(report.members_updated)}")
    print(f"  new activities: {kinds}")
    print(f"  requests made: {sum(report.requests.values())} "
          f"({', '.join(f'{e} {n}' for e, n in sorted(report.requests.items()))})")
    print(f"  resources read: {report.resources.get('tweets', 0)} posts, {report.resources.get('users', 0)} users, "
          f"{report.resources.get('includes.users', 0)} included users")
    waited = sum(seconds for _, seconds in report.waits)
    print(f"  waits: {len(report.waits)} ({waited:.0f} s)")


def run_export(args) -> int:
    path = sample_workspace_path() if args.sample else (args.db or default_workspace_path())
    if not Path(path).exists():
        print(f"error: no workspace at {path}", file=sys.stderr)
        return 2
    open_workspace(path)
    try:
        if args.what == "members":
            count = export_members(args.csv)  # CSV or .xlsx, formulas defused, ids as their digits
        else:
            header, rows = activity_rows()
            count = write_csv(args.csv, header, rows)
    except OSError as exc:
        print(f"error: {args.csv} could not be written: {exc.strerror or exc}", file=sys.stderr)
        return 1
    make_private(args.csv)
    print(f"Wrote {count} {args.what} to {args.csv}")
    return 0
