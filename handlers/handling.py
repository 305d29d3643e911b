"""The update being handled now, as the handlers see it.

The inbox (bot/inbox.py) sets :data:`HANDLING` while one update is handled, so the
handlers can owe their replies with a delivery key derived from it: handling an
update again (after a crash) owes the same replies again, and the postbox records
them once.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from telegram.error import NetworkError


@dataclass
class Handling:
    """The update being handled in this task, and how many replies it owed so far."""

    update_id: int
    chat_id: int | None
    #: The bot that received it (0: stored before the bot was recorded, migration 0009).
    bot_id: int = 0
    #: Owes a reply (chat, Notice.TEXT params); the postman sends it straight away, in the background.
    owe_reply: OweReply | None = None
    replies: int = 0
    #: The pressed message whose buttons the next reply replaces (chat, message id):
    #: a button step answers in place instead of stripping the keyboard and sending anew.
    replace: tuple[int, int] | None = None
    #: The newest message id seen in each chat (sent or received), shared with the postman.
    latest: dict[int, int] = field(default_factory=dict)
    #: Replies still on their way, per chat (shared with the postman).
    in_flight: Mapping[int, int] = field(default_factory=dict)

    def is_latest(self, chat_id: int, message_id: int) -> bool:
        """Whether this is the newest message of the chat (replacing it keeps the chat's order)."""
        if self.in_flight.get(chat_id):
            return False  # a reply is still being sent: it will be newer than anything seen
        newest = self.latest.get(chat_id)
        return newest is not None and message_id >= newest

    def take_replace(self, chat_id: int) -> int | None:
        """The message the next reply to ``chat_id`` should replace, once."""
        if self.replace is None or self.replace[0] != chat_id:
            return None
        message_id, self.replace = self.replace[1], None
        return message_id

    @property
    def reply_prefix(self) -> str:
        """What this update's delivery keys start with (an update stored before 0009: the old form)."""
        return f"b{self.bot_id}u{self.update_id}:" if self.bot_id else f"u{self.update_id}:"

    def next_reply_key(self) -> str:
        self.replies += 1
        return f"{self.reply_prefix}{self.replies}"


OweReply = Callable[["Handling", int, dict[str, Any]], Awaitable[None]]

HANDLING: ContextVar[Handling | None] = ContextVar("terbit_handling", default=None)


class PollingFailed(NetworkError):
    """getUpdates failed; already logged as a state change (the error handler stays quiet)."""
