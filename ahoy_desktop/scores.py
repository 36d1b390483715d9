"""Members' scores over the last 30 days, their stages, and the history of stage changes.

A score is the sum of the points of a member's tracked activities in the 30 ×
24 hours before now (an activity exactly 30 days old is outside). Scores are
computed in SQL over the activities, never by loading them into Python:
for everyone after the setup changes, for the members with new activity after
a sync, and for the members whose activity left the window as time passes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .db import get_info, set_info
from .db.models import Activity, EventPoints, Stage, database_proxy
from .db.sqlite import write_transaction

WINDOW = timedelta(days=30)
LOCKOUT = timedelta(hours=24)
MIN_POINTS, MAX_POINTS = 1, 10
DEFAULT_POINTS: dict[str, int] = {"mention": 3, "reply": 4, "quote": 5, "like": 1, "retweet": 2}

SETUP_KEY = "scoring_setup"  # "automatic" until the user saves a setup of their own
SCORES_AS_OF_KEY = "scores_as_of"  # the time scores are current for
SCORED_THROUGH_KEY = "scored_through_activity"  # the last activity id counted
LATEST_CLOCK_KEY = "latest_clock_seen"

ACTIVITY, TIME, SETUP = "activity", "time", "setup"


class ScoringError(ValueError):
    """A setup that cannot be saved; the message says why."""


@dataclass(frozen=True)
class StageDef:
    name: str
    min_points: int
    max_points: int | None  # None: open-ended
    colour: str = "#4e79a7"
    id: int | None = None

    def holds(self, score: int) -> bool:
        return score >= self.min_points and (self.max_points is None or score <= self.max_points)


@dataclass
class ScoringSetup:
    points: dict[str, int]  # every kind the user can track, with its points
    tracked: set[str]
    stages: list[StageDef] = field(default_factory=list)

    def tracked_points(self) -> dict[str, int]:
        return {k: p for k, p in self.points.items() if k in self.tracked}


# -- the setup ---------------------------------------------------------------


def known_kinds(found: list[str] = ()) -> list[str]:
    """Every kind the app records: the five of today, then any other stored or ``found``."""
    stored = [k for (k,) in EventPoints.select(EventPoints.kind).tuples()]
    return list(dict.fromkeys([*DEFAULT_POINTS, *sorted(stored), *sorted(found)]))


def validate(setup: ScoringSetup) -> list[str]:
    """Raise ScoringError for what cannot be saved; return warnings (gaps between stages)."""
    for kind, points in setup.points.items():
        if not isinstance(points, int) or isinstance(points, bool) or not MIN_POINTS <= points <= MAX_POINTS:
            raise ScoringError(f"{kind.capitalize()} must be worth a whole number of points from "
                               f"{MIN_POINTS} to {MAX_POINTS}; {points!r} is not.")
    stages = sorted(setup.stages, key=lambda s: s.min_points)
    for stage in stages:
        if not stage.name.strip():
            raise ScoringError("Every stage needs a name.")
        if stage.min_points < 0:
            raise ScoringError(f"“{stage.name}” starts below 0 points.")
        if stage.max_points is not None and stage.max_points < stage.min_points:
            raise ScoringError(f"“{stage.name}” ends ({stage.max_points}) before it starts ({stage.min_points}).")
    names = [s.name.strip().lower() for s in stages]
    if len(set(names)) != len(names):
        raise ScoringError("Two stages have the same name.")
    warnings = []
    for lower, upper in zip(stages, stages[1:], strict=False):
        if lower.max_points is None or lower.max_points >= upper.min_points:
            raise ScoringError(f"“{lower.name}” and “{upper.name}” overlap: a member can be in one stage only.")
        if upper.min_points > lower.max_points + 1:
            first, last = lower.max_points + 1, upper.min_points - 1
            span = f"{first}" if first == last else f"{first}-{last}"
            warnings.append(f"Members with {span} points have no stage.")
    return warnings


def load_setup() -> ScoringSetup:
    rows = {r.kind: r for r in EventPoints.select()}
    points = {k: rows[k].points if k in rows else DEFAULT_POINTS.get(k, MIN_POINTS) for k in known_kinds()}
    tracked = {k for k in points if k not in rows or rows[k].tracked}
    stages = [StageDef(s.name, s.min_points, s.max_points, s.colour, s.id)
              for s in Stage.select().order_by(Stage.min_points)]
    return ScoringSetup(points, tracked, stages)


def is_automatic() -> bool:
    return get_info(SETUP_KEY, "automatic") == "automatic"


def save_setup(setup: ScoringSetup, *, by_user: bool = True, now: datetime | None = None) -> list[str]:
    """Store a setup (validated first) and return its warnings.

    A stage keeps its row when it is edited, even renamed (matched by id,
    else by name), so its members keep it. Renaming or deleting a stage is
    written into the stage history as a setup change for each of its members
    (at ``now``, by default when the scores were last current), so that the
    history keeps adding up to the members who hold each stage.
    """
    warnings = validate(setup)
    with write_transaction(database_proxy):
        EventPoints.delete().execute()
        EventPoints.insert_many([{"kind": k, "points": p, "tracked": k in setup.tracked}
                                 for k, p in setup.points.items()]).execute()
        existing = {s.id: s for s in Stage.select()}
        rows = _match_stages(setup.stages, existing)
        at = _history_time(now)
        keep = set()
        for stage, row in zip(setup.stages, rows, strict=True):
            values = {"name": stage.name.strip(), "colour": stage.colour, "min_points": stage.min_points,
                      "max_points": stage.max_points}
            if row is None:
                row = Stage.create(**values)
            else:
                if row.name != values["name"]:
                    _record_stage_edit(row.id, row.name, row.id, values["name"], at)
                Stage.update(values).where(Stage.id == row.id).execute()
            keep.add(row.id)
        for stage_id in set(existing) - keep:
            _record_stage_edit(stage_id, existing[stage_id].name, None, "", at)  # its members are left without one
        gone = Stage.delete()
        (gone.where(Stage.id.not_in(keep)) if keep else gone).execute()
        set_info(SETUP_KEY, "user" if by_user else "automatic")
    return warnings


def _match_stages(stages: list[StageDef], existing: dict[int, Stage]) -> list[Stage | None]:
    """The stored row each stage of a new setup continues: by id first, then by name; None for a new one."""
    rows: list[Stage | None] = [existing.get(s.id) if s.id is not None else None for s in stages]
    taken = {row.id for row in rows if row is not None}
    by_name = {row.name.strip().lower(): row for row in existing.values()}
    for index, stage in enumerate(stages):
        if rows[index] is None:
            row = by_name.get(stage.name.strip().lower())
            if row is not None and row.id not in taken:
                rows[index] = row
                taken.add(row.id)
    return rows


def _history_time(now: datetime | None) -> datetime | None:
    """When a setup edit enters the stage history: never before a change already recorded."""
    db = database_proxy.obj
    latest = db.execute_sql('SELECT MAX("at") FROM "stage_change"').fetchone()[0]
    as_of = get_info(SCORES_AS_OF_KEY)
    moments = [Activity.occurred_at.python_value(t) for t in (latest, as_of) if t]
    if now is not None:
        moments.append(now)
    return max(moments, default=None)


def _record_stage_edit(stage_id: int, old_name: str, new_id: int | None, new_name: str, at: datetime | None) -> None:
    """Every member in stage ``stage_id`` moves from ``old_name`` to ``new_name``, caused by the setup."""
    if at is None:  # no score was ever computed: nobody holds a stage
        return
    db = database_proxy.obj
    p = db.param
    db.execute_sql(
        f'INSERT INTO "stage_change" ("member_id", "from_stage_id", "to_stage_id", "from_name", "to_name", "at", '
        f'"cause") SELECT "member_id", {p}, {p}, {p}, {p}, {p}, {p} FROM "member_score" WHERE "stage_id" = {p}',
        [stage_id, new_id, old_name, new_name, Activity.occurred_at.db_value(at), SETUP, stage_id])


# -- computing ---------------------------------------------------------------


def _points_case(points: dict[str, int]) -> tuple[str, list]:
    p = database_proxy.obj.param
    if not points:
        return "0", []
    whens = " ".join(f"WHEN {p} THEN {p}" for _ in points)
    return f'CASE a."kind" {whens} ELSE 0 END', [v for kp in points.items() for v in kp]


def _stage_case(score_sql: str) -> str:
    stages = list(Stage.select().order_by(Stage.min_points))
    if not stages:
        return "NULL"
    whens = []
    for s in stages:
        upper = "" if s.max_points is None else f" AND {score_sql} <= {int(s.max_points)}"
        whens.append(f"WHEN {score_sql} >= {int(s.min_points)}{upper} THEN {int(s.id)}")
    return f"CASE {' '.join(whens)} ELSE NULL END"


def _window(now: datetime) -> tuple[str, str]:
    to_db = Activity.occurred_at.db_value
    return to_db(now - WINDOW), to_db(now)


def recompute(now: datetime, *, member_ids: list[int] | None = None, cause: str = SETUP) -> int:
    """Recompute scores and stages (of everyone, or of ``member_ids``); return how many stages changed.

    Call inside a write transaction.
    """
    db = database_proxy.obj
    p = db.param
    if member_ids is not None and not member_ids:
        return 0
    case_sql, case_params = _points_case(load_setup().tracked_points())
    start, end = _window(now)
    only = f" AND a.\"member_id\" IN ({', '.join(p for _ in member_ids)})" if member_ids is not None else ""
    _new_score_table(
        f'SELECT a."member_id", SUM({case_sql}) FROM "activity" a '
        f'WHERE a."occurred_at" > {p} AND a."occurred_at" <= {p}{only} GROUP BY a."member_id"',
        [*case_params, start, end, *(member_ids or [])])
    if member_ids is not None:
        targets, params = f'm."id" IN ({", ".join(p for _ in member_ids)})', list(member_ids)
    elif Stage.select().where(Stage.min_points <= 0).exists():
        targets, params = "1 = 1", []
    else:  # members with points now, or with a score or stage to clear
        targets = ('(m."id" IN (SELECT "member_id" FROM temp."new_score") OR m."id" IN '
                   '(SELECT "member_id" FROM "member_score" WHERE "score" <> 0 OR "stage_id" IS NOT NULL))')
        params = []
    return _store_new_scores(now, cause, targets, params)


def add_new_activity(now: datetime, after_activity_id: int) -> int:
    """Add the points of activities stored after ``after_activity_id`` to their members' scores.

    Exact when the scores were current at ``now`` before those activities came
    (``update_scores`` makes them so first): a sync only ever adds activity.
    Call inside a write transaction; returns how many stages changed.
    """
    db = database_proxy.obj
    p = db.param
    case_sql, case_params = _points_case(load_setup().tracked_points())
    start, end = _window(now)
    # The new rows are found by id range first; grouping them straight from the table would walk an index.
    _new_score_table(
        f'SELECT d."member_id", COALESCE(s."score", 0) + d."points" FROM (SELECT a."member_id", '
        f'SUM(CASE WHEN a."occurred_at" > {p} AND a."occurred_at" <= {p} THEN {case_sql} ELSE 0 END) AS "points" '
        f'FROM a GROUP BY a."member_id") d LEFT JOIN "member_score" s ON s."member_id" = d."member_id"',
        [after_activity_id, start, end, *case_params],
        with_sql=f'WITH a AS MATERIALIZED (SELECT "member_id", "kind", "occurred_at" FROM "activity" WHERE "id" > {p})')
    return _store_new_scores(now, ACTIVITY, 'm."id" IN (SELECT "member_id" FROM temp."new_score")', [])


def _new_score_table(select_sql: str, params: list, with_sql: str = "") -> None:
    db = database_proxy.obj
    db.execute_sql('DROP TABLE IF EXISTS temp."new_score"')
    db.execute_sql('CREATE TEMP TABLE "new_score" ("member_id" INTEGER PRIMARY KEY, "score" INTEGER)')
    db.execute_sql(f'{with_sql} INSERT INTO temp."new_score" {select_sql}', params)


def _store_new_scores(now: datetime, cause: str, targets: str, target_params: list) -> int:
    """Record stage changes and store the scores in temp.new_score for the ``targets`` members."""
    db = database_proxy.obj
    p = db.param
    stage_sql = _stage_case('COALESCE(n."score", 0)')
    source = (f'FROM "member" m LEFT JOIN temp."new_score" n ON n."member_id" = m."id" '
              f'LEFT JOIN "member_score" s ON s."member_id" = m."id" WHERE {targets}')
    at = Activity.occurred_at.db_value(now)
    changed = db.execute_sql(
        f'INSERT INTO "stage_change" ("member_id", "from_stage_id", "to_stage_id", "from_name", "to_name", "at", '
        f'"cause") SELECT m."id", s."stage_id", {stage_sql}, '
        f'COALESCE((SELECT "name" FROM "stage" WHERE "id" = s."stage_id"), \'\'), '
        f'COALESCE((SELECT "name" FROM "stage" WHERE "id" = {stage_sql}), \'\'), {p}, {p} '
        f'{source} AND s."stage_id" IS NOT {stage_sql}',
        [at, cause, *target_params]).rowcount
    db.execute_sql(
        f'INSERT INTO "member_score" ("member_id", "score", "stage_id", "computed_at") '
        f'SELECT m."id", COALESCE(n."score", 0), {stage_sql}, {p} {source} '
        f'ON CONFLICT ("member_id") DO UPDATE SET "score" = excluded."score", "stage_id" = excluded."stage_id", '
        f'"computed_at" = excluded."computed_at" '
        f'WHERE "member_score"."score" IS NOT excluded."score" OR "member_score"."stage_id" IS NOT excluded."stage_id"',
        [at, *target_params])
    db.execute_sql('DROP TABLE temp."new_score"')
    return changed


def _last_activity_id() -> int:
    return database_proxy.obj.execute_sql('SELECT MAX("id") FROM "activity"').fetchone()[0] or 0


def recompute_all(now: datetime, cause: str = SETUP, *, progress=None, chunk: int = 10_000) -> int:
    """Recompute everyone; with ``progress(done, total)``, in chunks of members, one short transaction each."""
    if progress is None:
        with write_transaction(database_proxy):
            changed = recompute(now, cause=cause)
            _mark_current(now)
        return changed
    ids = [m for (m,) in database_proxy.obj.execute_sql('SELECT "id" FROM "member" ORDER BY "id"')]
    changed = 0
    for start in range(0, len(ids), chunk):
        with write_transaction(database_proxy):
            changed += recompute(now, member_ids=ids[start:start + chunk], cause=cause)
        progress(min(start + chunk, len(ids)), len(ids))
    with write_transaction(database_proxy):
        _mark_current(now)
    progress(len(ids), len(ids))
    return changed


def _mark_current(now: datetime) -> None:
    set_info(SCORES_AS_OF_KEY, Activity.occurred_at.db_value(now))
    set_info(SCORED_THROUGH_KEY, str(_last_activity_id()))


def members_leaving_window(since: datetime, now: datetime) -> list[int]:
    """Members with an activity that was inside the window at ``since`` and is outside it at ``now``."""
    to_db = Activity.occurred_at.db_value
    return [m for (m,) in database_proxy.obj.execute_sql(
        f'SELECT DISTINCT "member_id" FROM "activity" WHERE "occurred_at" > {database_proxy.obj.param} '
        f'AND "occurred_at" <= {database_proxy.obj.param}', (to_db(since - WINDOW), to_db(now - WINDOW)))]


def update_scores(now: datetime) -> int:
    """The incremental update: members whose activity left the window, then activity added since last time."""
    note_clock_reading(now)
    as_of, through = get_info(SCORES_AS_OF_KEY), get_info(SCORED_THROUGH_KEY)
    if as_of is None or through is None:
        return recompute_all(now, cause=ACTIVITY)
    since = Activity.occurred_at.python_value(as_of)
    now = max(now, since)
    changed = 0
    with write_transaction(database_proxy):
        # The delta first: the full recount of members whose activity left the window then includes it.
        last = _last_activity_id()
        if last > int(through):
            changed += add_new_activity(now, int(through))
        if now > since:
            leaving = members_leaving_window(since, now)
            for start in range(0, len(leaving), 2000):
                changed += recompute(now, member_ids=leaving[start:start + 2000], cause=TIME)
        set_info(SCORES_AS_OF_KEY, Activity.occurred_at.db_value(now))
        set_info(SCORED_THROUGH_KEY, str(last))
    return changed


# -- the automatic setup -------------------------------------------------------

AUTO_STAGES = (("Newcomer", "#59a14f"), ("Regular", "#4e79a7"), ("Champion", "#f28e2b"))
AUTO_SHARES = (0.6, 0.9)  # about 60% newcomers, 30% regulars, 10% champions among active members


def kind_counts(now: datetime) -> dict[str, int]:
    start, end = _window(now)
    return dict(database_proxy.obj.execute_sql(
        f'SELECT "kind", COUNT(*) FROM "activity" WHERE "occurred_at" > {database_proxy.obj.param} '
        f'AND "occurred_at" <= {database_proxy.obj.param} GROUP BY "kind"', (start, end)).fetchall())


def score_distribution(points: dict[str, int], now: datetime) -> dict[int, int]:
    """{score: members with it} for the members with points in the window, under ``points``."""
    db = database_proxy.obj
    case_sql, params = _points_case(points)
    start, end = _window(now)
    rows = db.execute_sql(
        f'SELECT "score", COUNT(*) FROM (SELECT SUM({case_sql}) AS "score" FROM "activity" a '
        f'WHERE a."occurred_at" > {db.param} AND a."occurred_at" <= {db.param} GROUP BY a."member_id") '
        f'WHERE "score" > 0 GROUP BY "score"', [*params, start, end]).fetchall()
    return dict(rows)


def automatic_setup(now: datetime) -> ScoringSetup:
    """Points from how rare each kind is, stages from how 30-day scores are spread.

    The most common kind is worth 1 point and each halving of frequency adds
    one, up to 10; a kind not seen yet is worth as much as the rarest seen.
    Stage thresholds split the active members roughly 60 / 30 / 10.
    """
    counts = kind_counts(now)
    kinds = known_kinds(list(counts))
    most = max(counts.values(), default=0)
    points = {}
    for kind in kinds:
        if counts.get(kind):
            points[kind] = max(MIN_POINTS, min(MAX_POINTS, 1 + round(math.log2(most / counts[kind]))))
    rarest = max(points.values(), default=None)
    for kind in kinds:
        points.setdefault(kind, rarest or DEFAULT_POINTS.get(kind, MIN_POINTS))
    setup = ScoringSetup(points, set(kinds))
    setup.stages = automatic_stages(score_distribution(points, now))
    return setup


def automatic_stages(distribution: dict[int, int]) -> list[StageDef]:
    values = sorted(distribution)
    if not values:
        return [StageDef(AUTO_STAGES[0][0], 1, None, AUTO_STAGES[0][1])]
    total = sum(distribution.values())
    bounds = [values[0]]
    for share in AUTO_SHARES:
        seen = 0
        for value in values:
            if value > bounds[-1] and seen / total >= share:
                bounds.append(value)
                break
            seen += distribution[value]
    if len(bounds) < len(AUTO_STAGES) and len(values) >= len(AUTO_STAGES):
        bounds = [values[0], values[len(values) // 2], values[-1]][: len(AUTO_STAGES)]
    bounds[0] = 1
    stages = []
    for index, low in enumerate(bounds):
        high = bounds[index + 1] - 1 if index + 1 < len(bounds) else None
        name, colour = AUTO_STAGES[index]
        stages.append(StageDef(name, low, high, colour))
    return stages


def refresh_automatic_setup(now: datetime) -> bool:
    """While no setup of the user's own exists, keep the automatic one current; True if it changed."""
    if not is_automatic():
        return False
    proposal = automatic_setup(now)
    current = load_setup()
    same = (current.points == proposal.points and current.tracked == proposal.tracked
            and [(s.name, s.min_points, s.max_points) for s in current.stages]
            == [(s.name, s.min_points, s.max_points) for s in proposal.stages])
    if same:
        return False
    save_setup(proposal, by_user=False, now=now)
    return True


def stage_counts(setup: ScoringSetup, now: datetime) -> list[int]:
    """How many members each stage of ``setup`` would hold now (for the proposal)."""
    distribution = score_distribution(setup.tracked_points(), now)
    return [sum(n for score, n in distribution.items() if stage.holds(score)) for stage in setup.stages]


# -- the lockout ---------------------------------------------------------------


def lockout_remaining(now: datetime, start: datetime | None) -> timedelta | None:
    """Time left before scoring can be configured; None if no account was ever connected.

    Measured against the latest clock reading the workspace has seen, so
    setting the clock back never extends the lockout.
    """
    if start is None:
        return None
    latest = note_clock_reading(now)
    return max(LOCKOUT - (latest - start), timedelta(0))


def note_clock_reading(now: datetime) -> datetime:
    """Remember the latest clock reading the workspace has seen, and return it."""
    seen = get_info(LATEST_CLOCK_KEY)
    latest = max(now, Activity.occurred_at.python_value(seen)) if seen else now
    if seen is None or latest > Activity.occurred_at.python_value(seen):
        set_info(LATEST_CLOCK_KEY, Activity.occurred_at.db_value(latest))
    return latest


# -- why a member has their score ------------------------------------------------


@dataclass
class ScoreExplanation:
    score: int
    stage: StageDef | None
    by_kind: dict[str, tuple[int, int]]  # kind -> (activities in window, points they bring)
    next_leaving: tuple[str, datetime, int] | None  # kind, when it leaves the window, points lost
    next_stage: StageDef | None
    points_to_next: int | None


def explain(member_id: int, now: datetime) -> ScoreExplanation:
    setup = load_setup()
    points = setup.tracked_points()
    start, end = _window(now)
    p = database_proxy.obj.param
    rows = database_proxy.obj.execute_sql(
        f'SELECT "kind", COUNT(*), MIN("occurred_at") FROM "activity" WHERE "member_id" = {p} '
        f'AND "occurred_at" > {p} AND "occurred_at" <= {p} GROUP BY "kind"', (member_id, start, end)).fetchall()
    by_kind = {kind: (count, count * points.get(kind, 0)) for kind, count, _ in rows}
    score = sum(v for _, v in by_kind.values())
    oldest = [(Activity.occurred_at.python_value(first), kind) for kind, _, first in rows if points.get(kind)]
    next_leaving = None
    if oldest:
        first, kind = min(oldest)
        next_leaving = (kind, first + WINDOW, points[kind])
    stage = next((s for s in setup.stages if s.holds(score)), None)
    above = [s for s in setup.stages if s.min_points > score]
    next_stage = min(above, key=lambda s: s.min_points) if above else None
    return ScoreExplanation(score, stage, by_kind, next_leaving, next_stage,
                            next_stage.min_points - score if next_stage else None)
