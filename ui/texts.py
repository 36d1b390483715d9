"""Human words for the core's codes (sync stages, outcomes, activity kinds), translated."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("texts", text)


def stage_label(stage: str) -> str:
    labels = {
        "starting": _tr("Starting"),
        "profile": _tr("Reading the account's profile"),
        "posts": _tr("Reading your posts"),
        "metrics": _tr("Checking your posts"),
        "mentions": _tr("Reading mentions"),
        "liking_users": _tr("Who liked your posts"),
        "retweeted_by": _tr("Who retweeted your posts"),
        "quotes": _tr("Quotes of your posts"),
        "done": _tr("Done"),
    }
    return labels.get(stage, stage)


def outcome_label(outcome: str) -> str:
    labels = {
        "ok": _tr("Completed"),
        "rate_limited": _tr("Paused by X's rate limit"),
        "capped": _tr("Stopped: X's monthly cap is reached"),
        "cancelled": _tr("Cancelled"),
        "failed": _tr("Failed"),
        "running": _tr("Running"),
    }
    return labels.get(outcome, outcome)


def kind_label(kind: str, count: int = 1) -> str:
    singular = {
        "mention": _tr("Mention"), "reply": _tr("Reply"), "quote": _tr("Quote"),
        "like": _tr("Like"), "retweet": _tr("Retweet"),
    }
    plural = {
        "mention": _tr("Mentions"), "reply": _tr("Replies"), "quote": _tr("Quotes"),
        "like": _tr("Likes"), "retweet": _tr("Retweets"),
    }
    table = singular if count == 1 else plural
    return table.get(kind, kind.capitalize())
