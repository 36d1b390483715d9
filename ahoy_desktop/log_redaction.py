"""Keep sign-in secrets out of logs and crash reports.

Tokens never belong in a log line, but a library's debug message, an HTTP
error that quotes its request or an exception's text could carry one. Every
log handler the app sets up gets ``RedactingFilter``, and the crash report
passes through ``redact``: Authorization headers, bearer tokens, OAuth form
and JSON fields, and random-looking strings are replaced before anything is
written. Patterns cannot tell a short token from a word, so the tokens the
app holds are also known by name: ``remember_secrets`` is called wherever a
token set is made (signed in, refreshed or read from the keychain), and those
exact strings are redacted wherever they appear.
"""

from __future__ import annotations

import logging
import re
import threading

REDACTED = "[redacted]"

_SECRET_FIELDS = ("access_token", "refresh_token", "id_token", "client_secret", "code_verifier",
                  "token", "password", "oauth_token", "oauth_token_secret")

_PATTERNS = (
    # Authorization: Bearer xyz / 'Authorization': 'Basic xyz' (the whole header value)
    (re.compile(r"(?i)(\bauthorization['\"]?\s*[:=]\s*['\"]?)[^'\"\r\n,}]+"), rf"\1{REDACTED}"),
    # Bearer xyz anywhere else
    (re.compile(r"(?i)(\bbearer\s+)[^\s'\",;)}\]]+"), rf"\1{REDACTED}"),
    # access_token=xyz, "refresh_token": "xyz", token: xyz
    (re.compile(rf"(?i)(\b(?:{'|'.join(_SECRET_FIELDS)})['\"]?\s*[:=]\s*['\"]?)[^\s'\"&,;)}}\]]+"),
     rf"\1{REDACTED}"),
)

# A run of token characters that looks random is a secret: 32+ mixing two of
# lower case, upper case and digits (X's tokens are long base64 strings), or
# 20+ mixing all three and not mostly digits (ids, UTC times in file names).
# A run of such parts joined by dots (a JWT-like token) goes as a whole.
_RUN = r"[A-Za-z0-9_\-~+%=]"
_OPAQUE = re.compile(rf"(?<![\w\-~+%=.]){_RUN}{{20,}}(?:\.{_RUN}+)*(?![\w\-~+%=])|"
                     rf"(?<![\w\-~+%=.]){_RUN}+(?:\.{_RUN}+)+(?![\w\-~+%=])")

MIN_KNOWN = 8  # shorter strings would be redacted in ordinary words
KNOWN_LIMIT = 64  # the newest tokens this process held; old ones were revoked or have expired
_known: dict[str, None] = {}
_known_pattern: re.Pattern | None = None
_known_lock = threading.Lock()


def _looks_random(text: str) -> bool:
    has_digit = any(c.isdigit() for c in text)
    has_upper = any(c.isupper() for c in text)
    has_lower = any(c.islower() for c in text)
    classes = has_lower + has_upper + has_digit
    if len(text) >= 32:
        return classes >= 2 and not text.isdigit()
    return len(text) >= 20 and classes == 3 and sum(c.isdigit() for c in text) * 2 <= len(text)


def _secret_run(match: re.Match) -> str:
    run = match.group(0)
    return REDACTED if any(_looks_random(part) for part in run.split(".")) else run


def remember_secrets(*secrets: str | None) -> None:
    """Redact these exact strings from now on (and their long parts, split at dots or colons)."""
    global _known_pattern
    with _known_lock:
        for secret in secrets:
            if not secret or len(secret) < MIN_KNOWN:
                continue
            for text in (secret, *(p for p in re.split(r"[.:]", secret) if len(p) >= 12)):
                _known.pop(text, None)
                _known[text] = None
        while len(_known) > KNOWN_LIMIT:
            del _known[next(iter(_known))]
        ordered = sorted(_known, key=len, reverse=True)  # a token before its own parts
        _known_pattern = re.compile("|".join(re.escape(s) for s in ordered)) if ordered else None


def redact(text: str) -> str:
    """``text`` with the tokens the app holds, anything that looks like a token, and Authorization headers replaced."""
    known = _known_pattern
    if known is not None:
        text = known.sub(REDACTED, text)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return _OPAQUE.sub(_secret_run, text)


class RedactingFilter(logging.Filter):
    """Rewrites each record, its arguments and its traceback included, with secrets redacted."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what there is
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def redact_handlers(logger: logging.Logger | None = None) -> None:
    """Give every handler of ``logger`` (the root logger by default) the redacting filter, once."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
