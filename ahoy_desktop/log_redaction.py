"""Keep sign-in secrets out of logs and crash reports.

Tokens never belong in a log line, but a library's debug message, an HTTP
error that quotes its request or an exception's text could carry one. Every
log handler the app sets up gets ``RedactingFilter``, and the crash report
passes through ``redact``: Authorization headers, bearer tokens, OAuth form
and JSON fields, and long random-looking strings are replaced before anything
is written.
"""

from __future__ import annotations

import logging
import re

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

# A run of 32+ token characters mixing letters and digits looks like a secret
# (X's tokens are long base64 strings); identifiers and paths do not match.
_OPAQUE = re.compile(r"(?<![\w\-~+%=])[A-Za-z0-9_\-~+%=]{32,}(?![\w\-~+%=])")


def _looks_random(text: str) -> bool:
    has_digit = any(c.isdigit() for c in text)
    has_upper = any(c.isupper() for c in text)
    has_lower = any(c.islower() for c in text)
    return has_lower + has_upper + has_digit >= 2 and not text.isdigit()


def redact(text: str) -> str:
    """``text`` with anything that looks like a token, or an Authorization header, replaced."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return _OPAQUE.sub(lambda m: REDACTED if _looks_random(m.group(0)) else m.group(0), text)


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
