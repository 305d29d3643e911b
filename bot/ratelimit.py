"""Telegram's ceiling shared so that the work that holds others up goes first.

python-telegram-bot's :class:`AIORateLimiter` keeps the bot under about 30
chat-bound calls a second and retries 429s.  Whoever waits for it waits in no
particular order, and the postman sends one message at a time per chat (to
keep each chat's order).  Under a rush every writer has one reply waiting and
the two reviewers have a hundred cards each: waiting their turn among two
hundred writers, a reviewer's chat got one message every few seconds, so the
articles piled up at the review step and the ceiling went unused at the end.

Here chat-bound calls enter the AIORateLimiter a few at a time, and the call
for the chat with the most messages waiting (:data:`BACKLOG`, set by the
postman) goes in first; equal backlogs keep their arrival order.  Calls
without a chat (answering a press, getFile, getUpdates) never wait here.
"""
from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from typing import Any

from telegram.ext import AIORateLimiter

#: How many messages the chat of the call being made has waiting (this one included).
BACKLOG: ContextVar[int] = ContextVar("terbit_backlog", default=1)

#: Calls inside the AIORateLimiter at once: enough to keep 30 a second going
#: at a few hundred milliseconds a call, few enough that the order is decided here.
ADMITTED = 8


class FairRateLimiter(AIORateLimiter):
    """AIORateLimiter, with chat-bound calls admitted busiest chat first."""

    def __init__(self, *, admitted: int = ADMITTED, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._admitted = admitted
        self._inside = 0
        self._queue: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if data.get("chat_id") is None:
            return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        await self._enter(BACKLOG.get())
        try:
            return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        finally:
            self._leave()

    async def _enter(self, backlog: int) -> None:
        if self._inside < self._admitted and not self._queue:
            self._inside += 1
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._queue, (-backlog, next(self._order), turn))
        try:
            await turn  # the place is handed over by _leave, already counted
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._leave()  # it was handed over just as the caller gave up: pass it on
            raise

    def _leave(self) -> None:
        while self._queue:
            _, _, turn = heapq.heappop(self._queue)
            if not turn.done():
                turn.set_result(None)
                return
        self._inside -= 1
