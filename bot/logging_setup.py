"""Logging that never shows the bot token.

httpx logs every request URL at INFO, and Telegram URLs contain the token
(``/bot123:ABC.../sendMessage``); exceptions can carry it too. A filter on the handler
redacts anything shaped like a token from every record, whoever logged it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
from datetime import datetime
from typing import TextIO

from bot.localtime import COPENHAGEN, OPERATOR_FORMAT

_TOKEN_RE = re.compile(r"(?<![0-9])\d{4,}:[A-Za-z0-9_-]{30,}")
_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    """Redact this exact value too, whatever its shape (stand-in tokens may be short)."""
    if value and len(value) >= 4:
        _secrets.add(value)


def redact(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, "<token>")
    return _TOKEN_RE.sub("<token>", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class LocalTimeFormatter(logging.Formatter):
    """Log times on Copenhagen's clock with the zone named, as `feeds list` shows them: the
    machine's own zone (UTC in a container) made the two disagree by an hour."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        moment = datetime.fromtimestamp(record.created, COPENHAGEN)
        return moment.strftime(datefmt or OPERATOR_FORMAT)


class _OwnHandler(logging.StreamHandler[TextIO]):
    """The stderr handler setup_logging installs; its class tells it from others'."""


def setup_logging(level: str | None = None) -> None:
    level = (level or os.environ.get("TOPICBOT_LOG_LEVEL") or "INFO").upper()
    handler = _OwnHandler(sys.stderr)
    handler.setFormatter(LocalTimeFormatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    # Replace only our own handler: others (pytest's caplog, an embedding app) stay.
    for old in list(root.handlers):
        if isinstance(old, _OwnHandler):
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Request lines are noise at INFO (and carry the token, which the filter removes anyway).
    for noisy in ("httpx", "httpcore", "apscheduler", "telegram.ext.Updater"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


_redaction_installed = False


def install_log_redaction() -> None:
    """Redact registered secrets when a log record is created, not only when it is printed.

    httpx logs every request URL at INFO, and Telegram URLs carry the token; a filter on our
    stderr handler (logging_setup) covers what we print, but any other handler (a test's
    caplog, a library's own) would still see the raw record. A record factory cleans it at
    the source, once for everyone.
    """
    global _redaction_installed
    if _redaction_installed:
        return
    previous = logging.getLogRecordFactory()
    redactor = RedactingFilter()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        with contextlib.suppress(Exception):  # a malformed log call must still be logged
            redactor.filter(record)
        return record

    logging.setLogRecordFactory(factory)
    _redaction_installed = True
