"""The workspace schema: one SQLite file per workspace, portable peewee models.

Only peewee's own fields and expressions are used here, so the same models can
run on a PostgreSQL server later; SQLite-only features live in ``sqlite.py``.
Ids from X are strings end to end; times are stored as UTC.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from peewee import (
    BooleanField,
    CharField,
    DatabaseProxy,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database_proxy = DatabaseProxy()


class JSONField(TextField):
    """A JSON document stored as text (portable; no JSON1 needed)."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class UTCDateTimeField(DateTimeField):
    """Stores naive UTC (portable, sortable as text) and reads back aware UTC."""

    def db_value(self, value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return super().db_value(value)

    def python_value(self, value):
        value = super().python_value(value)
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class WorkspaceInfo(BaseModel):
    """Facts about the workspace itself (schema version, sample anchor...)."""

    key = CharField(primary_key=True)
    value = TextField()


class Account(BaseModel):
    """A connected X account and where it syncs from."""

    x_user_id = CharField()
    username = CharField()
    name = CharField(default="")
    profile_image_url = TextField(default="")
    credential_kind = CharField()  # "sandbox" or "x"
    # For X: the API base URL. For the sandbox: empty, resolved when the sandbox starts.
    api_base_url = TextField(default="")
    # For the sandbox: "sample" or the path of a world file.
    sandbox_world = TextField(default="")
    connected_at = UTCDateTimeField()
    disconnected_at = UTCDateTimeField(null=True)  # set when disconnected with its data kept
    first_import_done = BooleanField(default=False)
    last_sync_at = UTCDateTimeField(null=True)
    last_sync_outcome = CharField(default="")  # "ok", "partial", "failed", "cancelled", "rate_limited"
    last_sync_message = TextField(default="")
    raw_user = JSONField(null=True)

    class Meta:
        indexes = ((("x_user_id", "credential_kind", "sandbox_world"), True),)


class AccountSnapshot(BaseModel):
    """The account's own counts as users/me reported them at each sync."""

    account = ForeignKeyField(Account, backref="snapshots", on_delete="CASCADE")
    taken_at = UTCDateTimeField(index=True)
    followers_count = IntegerField(null=True)
    following_count = IntegerField(null=True)
    tweet_count = IntegerField(null=True)


class Member(BaseModel):
    """A person of the community, made from one or more X identities.

    The built-in member fields are columns (see ``member_fields.py``); which
    of them were typed by hand is kept in ``manual_fields``, and no mapping
    rule ever overwrites those.
    """

    first_seen_at = UTCDateTimeField()
    # The latest raw X user object, and which of its fields X returned, so the
    # field mapping can be re-applied later without any API call.
    raw_x_user = JSONField(null=True)
    x_fields = JSONField(null=True)
    x_user_updated_at = UTCDateTimeField(null=True)
    x_user_fingerprint = CharField(null=True)  # of the last X object stored: unchanged users cost no decoding
    manual_fields = JSONField(default=list)
    # Kept up to date by the sync, so the members table sorts 100k rows in SQL.
    activity_count = IntegerField(default=0)
    first_active_at = UTCDateTimeField(null=True)
    last_active_at = UTCDateTimeField(null=True)

    name = TextField(default="", index=True)
    x_handle = CharField(default="", index=True)
    avatar = TextField(null=True)
    bio = TextField(null=True)
    location = TextField(null=True)
    website = TextField(null=True)
    followers = IntegerField(null=True)
    company = TextField(null=True)
    job_title = TextField(null=True)
    email = TextField(null=True)
    phone = TextField(null=True)
    country = TextField(null=True)
    city = TextField(null=True)
    tags = TextField(null=True)


class Identity(BaseModel):
    """An X user id; it belongs to exactly one member."""

    member = ForeignKeyField(Member, backref="identities", on_delete="CASCADE")
    x_user_id = CharField(null=True, unique=True)
    handle = CharField(default="")
    handle_lower = CharField(default="", index=True)
    first_seen_at = UTCDateTimeField()


class HandleHistory(BaseModel):
    """Every handle an identity has been seen with, and when first."""

    identity = ForeignKeyField(Identity, backref="handles", on_delete="CASCADE")
    handle = CharField()
    seen_at = UTCDateTimeField()

    class Meta:
        indexes = ((("identity", "handle"), True),)


class MemberCustomValue(BaseModel):
    """A custom member field's value, and whether it came from X or was typed by hand."""

    member = ForeignKeyField(Member, backref="custom_values", on_delete="CASCADE")
    field_key = CharField()
    value = TextField(null=True)
    source = CharField()  # "x" or "manual"
    updated_at = UTCDateTimeField()

    class Meta:
        indexes = ((("member", "field_key"), True),)


class CustomField(BaseModel):
    """A member field the user created. ``key`` never changes, so renaming keeps values and mappings."""

    key = CharField(unique=True)
    name = CharField()
    name_lower = CharField(unique=True)  # names are unique ignoring case
    type = CharField()  # text, number, date, url, yes_no, choice
    choices = JSONField(null=True)  # for "choice": the allowed values
    created_at = UTCDateTimeField()


class FieldMappingRule(BaseModel):
    """Which X field fills a member field (one source per member field), and how."""

    member_field = CharField(unique=True)  # a built-in field key or a custom field key
    x_field = CharField()
    rule = CharField(default="always")  # "always" or "fill_empty"

    class Meta:
        table_name = "field_mapping"


class EventPoints(BaseModel):
    """What one activity of a kind is worth (1 to 10), and whether the kind counts at all."""

    kind = CharField(primary_key=True)
    points = IntegerField()
    tracked = BooleanField(default=True)


class Stage(BaseModel):
    """An activity stage: a badge for members whose 30-day score is in its range."""

    name = CharField()
    colour = CharField(default="#4e79a7")
    min_points = IntegerField()
    max_points = IntegerField(null=True)  # None: open-ended


class MemberScore(BaseModel):
    """A member's score over the last 30 days and the stage it puts them in."""

    member = ForeignKeyField(Member, primary_key=True, backref="score", on_delete="CASCADE")
    score = IntegerField(default=0, index=True)
    stage = ForeignKeyField(Stage, null=True, backref="members", on_delete="SET NULL")
    computed_at = UTCDateTimeField()


class StageChange(BaseModel):
    """A member moving between stages, and why: their activity, time passing, or a new setup."""

    member = ForeignKeyField(Member, backref="stage_changes", on_delete="CASCADE")
    from_stage = ForeignKeyField(Stage, null=True, on_delete="SET NULL", backref="+")
    to_stage = ForeignKeyField(Stage, null=True, on_delete="SET NULL", backref="+")
    from_name = CharField(default="")  # kept so history reads right after a stage is renamed or deleted
    to_name = CharField(default="")
    at = UTCDateTimeField(index=True)
    cause = CharField()  # "activity", "time" or "setup"


class OwnPost(BaseModel):
    """One of a connected account's own posts, with its last-seen metrics."""

    account = ForeignKeyField(Account, backref="posts", on_delete="CASCADE")
    post_id = CharField()
    created_at = UTCDateTimeField(null=True)
    text = TextField(default="")
    like_count = IntegerField(default=0)
    retweet_count = IntegerField(default=0)
    reply_count = IntegerField(default=0)
    quote_count = IntegerField(default=0)
    metrics_seen_at = UTCDateTimeField(null=True)
    # The counts at the last time likers / retweeters / quotes were fetched:
    # a post is asked about again only when its public count moved.
    likers_fetched_count = IntegerField(null=True)
    retweeters_fetched_count = IntegerField(null=True)
    quotes_fetched_count = IntegerField(null=True)
    deleted = BooleanField(default=False)

    class Meta:
        indexes = ((("account", "post_id"), True),)


class Activity(BaseModel):
    """Something a member did around an account: one post is one activity.

    ``kind`` is open-ended text (mention, reply, quote, like, retweet today).
    ``dedup_key`` makes every write idempotent: ``post:<id>`` for posts,
    ``like:<user>:<post>`` / ``retweet:<user>:<post>`` for likes and retweets.
    """

    account = ForeignKeyField(Account, backref="activities", on_delete="CASCADE")
    member = ForeignKeyField(Member, backref="activities", on_delete="CASCADE")
    x_user_id = CharField(null=True)
    kind = CharField()
    post_id = CharField()  # the member's post, or the own post liked / retweeted
    target_post_id = CharField(null=True)  # the own post replied to, quoted, liked...
    occurred_at = UTCDateTimeField()
    estimated = BooleanField(default=False)
    text = TextField(default="")
    dedup_key = CharField()

    class Meta:
        indexes = (
            (("account", "dedup_key"), True),
            (("member", "occurred_at"), False),
            (("account", "occurred_at"), False),
            (("kind", "occurred_at"), False),
        )


class SyncCursor(BaseModel):
    """Where each part of an account's sync stands, committed with its page."""

    account = ForeignKeyField(Account, backref="cursors", on_delete="CASCADE")
    name = CharField()
    value = TextField(null=True)

    class Meta:
        indexes = ((("account", "name"), True),)


class SyncRun(BaseModel):
    """One sync of one account: when, how it ended, and what it changed."""

    account = ForeignKeyField(Account, backref="runs", on_delete="CASCADE")
    started_at = UTCDateTimeField()
    finished_at = UTCDateTimeField(null=True)
    outcome = CharField(default="running")
    message = TextField(default="")
    report = JSONField(null=True)


class RequestLog(BaseModel):
    """Every API request: the basis for usage and cost figures."""

    account = ForeignKeyField(Account, backref="requests", null=True, on_delete="SET NULL")
    at = UTCDateTimeField()
    utc_day = CharField(index=True)  # YYYY-MM-DD, X bills per UTC day
    endpoint = CharField()
    method = CharField(default="GET")
    status = IntegerField()
    resource_type = CharField(default="")  # "tweets" or "users"
    resource_ids = JSONField(null=True)  # ids in `data`
    included_user_ids = JSONField(null=True)  # ids in `includes.users`
    resource_count = IntegerField(default=0)
    rate_limit = IntegerField(null=True)
    rate_remaining = IntegerField(null=True)
    rate_reset = IntegerField(null=True)
    error = TextField(default="")


class AccountAuth(BaseModel):
    """How an X account signs in: which keychain entry holds its tokens (never the tokens themselves)."""

    account = ForeignKeyField(Account, primary_key=True, backref="auth", on_delete="CASCADE")
    token_key = CharField(unique=True)  # the keychain entry's name
    client_id = CharField()
    scopes = TextField(default="")
    status = CharField(default="ok")  # "ok" or "reconnect_needed"
    status_message = TextField(default="")
    authorized_at = UTCDateTimeField()
    import_approved = BooleanField(default=False)  # the user accepted the first import's estimated cost


class PendingRevocation(BaseModel):
    """A token to revoke at X once it can be reached; the token waits in the keychain under ``token_key``."""

    token_key = CharField(unique=True)
    client_id = CharField()
    revoke_url = TextField()
    queued_at = UTCDateTimeField()
    attempts = IntegerField(default=0)
    last_error = TextField(default="")


class MemberTag(BaseModel):
    """A label the user gave a member. The member's ``tags`` column keeps a display copy."""

    member = ForeignKeyField(Member, backref="tag_rows", on_delete="CASCADE")
    tag = CharField()
    tag_key = CharField(index=True)  # folded: "VIP" and "vip" are one tag

    class Meta:
        indexes = ((("member", "tag_key"), True),)


class MemberNote(BaseModel):
    """The user's free-text notes about a member."""

    member = ForeignKeyField(Member, primary_key=True, backref="note", on_delete="CASCADE")
    text = TextField(default="")
    updated_at = UTCDateTimeField()


class MergeRecord(BaseModel):
    """What a merge needs to be undone: the absorbed member and the survivor as they were.

    Plain integer ids, not foreign keys: the record must outlive the survivor
    being merged into someone else, so undoing that later merge makes this one
    undoable again.
    """

    survivor_id = IntegerField(index=True)
    absorbed_id = IntegerField(index=True)
    merged_at = UTCDateTimeField()
    snapshot = JSONField()


class DismissedPair(BaseModel):
    """Two members the user said are not the same person: never suggested again."""

    member_low = ForeignKeyField(Member, backref="+", on_delete="CASCADE")
    member_high = ForeignKeyField(Member, backref="+", on_delete="CASCADE")
    dismissed_at = UTCDateTimeField()

    class Meta:
        indexes = ((("member_low", "member_high"), True),)


class SuppressedXUser(BaseModel):
    """An X user someone asked to be forgotten: no sync brings them back. Only the id is kept."""

    x_user_id = CharField(primary_key=True)
    suppressed_at = UTCDateTimeField()


class SavedSegment(BaseModel):
    """A filter of the members list saved under a name (unique ignoring case), to pick again."""

    name = CharField()
    name_lower = CharField(unique=True)
    filter_json = TextField()  # a ``MemberFilter`` as JSON
    search = TextField(default="")
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()

    class Meta:
        table_name = "segment"


ALL_MODELS = [
    WorkspaceInfo,
    Account,
    AccountSnapshot,
    Member,
    Identity,
    HandleHistory,
    MemberCustomValue,
    CustomField,
    FieldMappingRule,
    EventPoints,
    Stage,
    MemberScore,
    StageChange,
    OwnPost,
    Activity,
    SyncCursor,
    SyncRun,
    RequestLog,
    AccountAuth,
    PendingRevocation,
    MemberTag,
    MemberNote,
    MergeRecord,
    DismissedPair,
    SuppressedXUser,
    SavedSegment,
]
