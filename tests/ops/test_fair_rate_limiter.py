"""The rate limiter admits chat-bound calls busiest chat first; calls without a chat never wait."""
from __future__ import annotations

import asyncio

import pytest

from bot.ratelimit import BACKLOG, FairRateLimiter


class Calls:
    """Telegram calls that finish when the test says so, recording the order they started in."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.release: dict[str, asyncio.Event] = {}

    def make(self, name: str):
        self.release[name] = asyncio.Event()

        async def call() -> dict:
            self.started.append(name)
            await self.release[name].wait()
            return {"ok": name}
        return call


async def _request(limiter: FairRateLimiter, calls: Calls, name: str, *, chat: int | None, backlog: int = 1):
    BACKLOG.set(backlog)
    data = {"chat_id": chat} if chat is not None else {}
    return await limiter.process_request(calls.make(name), (), {}, "sendMessage", data, None)


async def _until(predicate) -> None:
    for _ in range(200):
        if predicate():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("condition not reached")


@pytest.mark.asyncio
async def test_the_chat_with_most_waiting_goes_first_and_presses_never_wait():
    limiter = FairRateLimiter(admitted=1)
    await limiter.initialize()
    calls = Calls()
    first = asyncio.create_task(_request(limiter, calls, "writer-a", chat=1))
    await _until(lambda: calls.started == ["writer-a"])
    # While one call is inside: a writer with one reply, a reviewer with 40 cards, another with 3.
    waiting = [asyncio.create_task(_request(limiter, calls, name, chat=chat, backlog=backlog))
               for name, chat, backlog in (("writer-b", 2, 1), ("kasubbag", 3, 40), ("kepala", 4, 3))]
    await asyncio.sleep(0.02)
    assert calls.started == ["writer-a"]
    # Answering a press has no chat: it goes straight through.
    press = asyncio.create_task(_request(limiter, calls, "answer-press", chat=None))
    await _until(lambda: "answer-press" in calls.started)
    calls.release["answer-press"].set()
    assert await press == {"ok": "answer-press"}

    for name, started in (("writer-a", 3), ("kasubbag", 4), ("kepala", 5)):
        calls.release[name].set()  # one leaves: the next in line (by backlog) goes in
        await _until(lambda n=started: len(calls.started) == n)
    assert calls.started == ["writer-a", "answer-press", "kasubbag", "kepala", "writer-b"]
    calls.release["writer-b"].set()
    assert [r["ok"] for r in await asyncio.gather(first, *waiting)] == ["writer-a", "writer-b", "kasubbag", "kepala"]
    await limiter.shutdown()


@pytest.mark.asyncio
async def test_a_caller_that_gives_up_while_waiting_does_not_lose_the_place():
    limiter = FairRateLimiter(admitted=1)
    await limiter.initialize()
    calls = Calls()
    inside = asyncio.create_task(_request(limiter, calls, "inside", chat=1))
    await _until(lambda: calls.started == ["inside"])
    quitter = asyncio.create_task(_request(limiter, calls, "quitter", chat=2, backlog=9))
    patient = asyncio.create_task(_request(limiter, calls, "patient", chat=3))
    await asyncio.sleep(0.02)
    quitter.cancel()
    calls.release["inside"].set()
    await _until(lambda: calls.started == ["inside", "patient"])
    calls.release["patient"].set()
    assert await patient == {"ok": "patient"}
    await inside
    with pytest.raises(asyncio.CancelledError):
        await quitter
    # The one place is free again: a new call goes in at once.
    after = asyncio.create_task(_request(limiter, calls, "after", chat=4))
    await _until(lambda: "after" in calls.started)
    calls.release["after"].set()
    await after
    await limiter.shutdown()
