"""What a post from X means as activity: its kind, its text, its time."""

from __future__ import annotations

from datetime import datetime

from ..clock import parse_iso

MENTION, REPLY, QUOTE, LIKE, RETWEET = "mention", "reply", "quote", "like", "retweet"
KINDS = (MENTION, REPLY, QUOTE, LIKE, RETWEET)


def references(tweet: dict, kind: str) -> list[str]:
    return [
        ref.get("id") for ref in tweet.get("referenced_tweets") or []
        if isinstance(ref, dict) and ref.get("type") == kind and ref.get("id")
    ]


def classify(tweet: dict, me_id: str, own_post_ids: set[str]) -> tuple[str, str | None]:
    """(kind, own post it targets): a retweet of an own post; else reply before quote before mention."""
    for target in references(tweet, "retweeted"):
        if target in own_post_ids:
            return RETWEET, target
    for target in references(tweet, "replied_to"):
        if target in own_post_ids:
            return REPLY, target
    if references(tweet, "replied_to") and tweet.get("in_reply_to_user_id") == me_id:
        return REPLY, references(tweet, "replied_to")[0]
    for target in references(tweet, "quoted"):
        if target in own_post_ids:
            return QUOTE, target
    return MENTION, None


def dedup_key(kind: str, user_id: str, post_id: str, target: str | None) -> str:
    """One post is one activity; a like or retweet is one per person and own post.

    A plain retweet found in the mentions timeline and the same person listed
    by retweeted_by are one retweet, so both get the same key.
    """
    if kind in (LIKE, RETWEET) and target:
        return f"{kind}:{user_id}:{target}"
    return f"post:{post_id}"


def post_text(tweet: dict) -> str:
    """The whole text as X sent it: a long post's text is its ``note_tweet``."""
    note = tweet.get("note_tweet")
    if isinstance(note, dict) and isinstance(note.get("text"), str):
        return note["text"]
    text = tweet.get("text")
    return text if isinstance(text, str) else ""


def post_time(tweet: dict) -> datetime | None:
    value = tweet.get("created_at")
    if not isinstance(value, str):
        return None
    try:
        return parse_iso(value)
    except ValueError:
        return None


def unescape_for_display(text: str) -> str:
    """X escapes &, < and > in post text; undo it once, for display only."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
