"""How Terbit logs: office time, no secrets, no chatter.

* Every line carries its time in the office's time zone (TIMEZONE), e.g.
  ``2026-03-02 08:15:04 WIB INFO bot.cli: ...``.
* Secrets (the bot token, passwords, signing keys) are replaced by ``***`` in
  every line, tracebacks included; a Telegram token is also recognised by its shape.
* Libraries that log every request or every job run (httpx, APScheduler) log only
  warnings and errors.
* python-telegram-bot's own traceback for a failed start (token rejected, Telegram
  unreachable) is left out: bot/cli.py says what happened in one paragraph instead.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

#: Loggers that say something at INFO on every request or job run.
CHATTY = ("httpx", "httpcore", "apscheduler", "alembic", "aiosqlite", "asyncio")
#: A Telegram bot token wherever it appears (``123456789:AA...``), even one we were not told about.
TOKEN_SHAPE = re.compile(r"(?<![0-9])[0-9]{5,}:[A-Za-z0-9_-]{30,}")
MASK = "***"


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret (and anything shaped like a bot token) replaced by ``***``."""
    for secret in sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return TOKEN_SHAPE.sub(MASK, text)


class OfficeFormatter(logging.Formatter):
    """Log lines stamped in the office's time zone, with secrets masked (tracebacks too)."""

    def __init__(self, zone: str, secrets: Iterable[str] = ()) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.zone = ZoneInfo(zone)
        self.secrets = tuple(secrets)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, self.zone).strftime(datefmt or "%Y-%m-%d %H:%M:%S %Z")

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


class FailedStartIsReportedElsewhere(logging.Filter):
    """Drops python-telegram-bot's "Network Retry Loop (Bootstrap ...) Aborting" record and its traceback:
    the command line reports that failure itself, in words (bot/cli.py)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("telegram.ext") or record.levelno < logging.ERROR:
            return True
        message = record.getMessage()
        return not ("Network Retry Loop" in message and "Bootstrap" in message)


def configure(zone: str, secrets: Iterable[str] = (), level: int = logging.INFO) -> None:
    """Log to stderr the Terbit way (replaces any handler set before)."""
    handler = logging.StreamHandler()
    handler.setFormatter(OfficeFormatter(zone, secrets))
    handler.addFilter(FailedStartIsReportedElsewhere())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
