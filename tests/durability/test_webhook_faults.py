"""Issue 18's drill in webhook mode: the real `python -m bot` process behind
``run_webhook`` (secret_token, 127.0.0.1) while its database is locked by
another process.

Updates are posted the way Telegram posts them: each pending update as JSON
with the secret header; a 200 confirms it, anything else keeps it and it is
posted again a moment later (for one chat, in order: a later update of a chat
waits until the earlier one was taken).  While storage fails the webhook must
answer an error (so Telegram retries) and store nothing; people and the
admins are told once; once storage is back every update is handled once, in
order, after "pulih" -- also one whose 200 was lost and which Telegram posts
a second time.
"""
from __future__ import annotations

import asyncio
import contextlib
import socket
import sqlite3
from dataclasses import dataclass, field

import httpx

from tests.durability.process import BotProcess
from tests.durability.test_crash import texts
from tests.durability.test_faults import (
    FAST,
    after_the_fault,
    assert_small_log,
    during_the_fault,
    inbox_once,
    seen_of,
    staffed,
)
from texts.id import review as R

SECRET = "s3cret-token-for-the-fault-drill"


@dataclass
class TelegramPoster:
    """Telegram's side of a webhook: posts pending updates until each is answered 200."""

    tg: object
    url: str
    #: (update id, HTTP status) of every post, in order.
    posts: list[tuple[int, int]] = field(default_factory=list)
    every: float = 0.25

    def chat_of(self, update: dict) -> int:
        body = next(v for k, v in update.items() if k != "update_id")
        return body.get("chat", {}).get("id") or body.get("from", {}).get("id", 0)

    async def post(self, http: httpx.AsyncClient, update: dict) -> int:
        try:
            r = await http.post(self.url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        except httpx.TransportError:
            status = 0  # not up yet, or the connection dropped: Telegram retries as well
        else:
            status = r.status_code
        self.posts.append((update["update_id"], status))
        return status

    async def run(self) -> None:
        async with httpx.AsyncClient(timeout=15) as http:
            while True:
                held: set[int] = set()  # chats whose earlier update was not taken: theirs wait
                for update in self.tg.pending_updates:
                    chat = self.chat_of(update)
                    if chat in held:
                        continue
                    if await self.post(http, update) == 200:
                        self.tg._updates.remove(update)
                        self.tg._notify()
                    else:
                        held.add(chat)
                await asyncio.sleep(self.every)

    def statuses(self, ids: set[int]) -> list[int]:
        return [s for uid, s in self.posts if uid in ids]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_webhook_answers_an_error_while_storage_fails_and_handles_everything_once_after(fake_telegram,
                                                                                              tmp_path):
    tg = fake_telegram
    data = tmp_path / "data"
    office = await staffed(tg, data)
    db = data / "terbit.sqlite3"
    port = free_port()
    url = f"http://127.0.0.1:{port}/tg-hook"
    bot = BotProcess(tg, data, TELEGRAM_WEBHOOK_URL=url, TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
                     TELEGRAM_WEBHOOK_PORT=str(port), TELEGRAM_WEBHOOK_SECRET=SECRET, **FAST)
    poster = TelegramPoster(tg, url)
    holder = sqlite3.connect(db, isolation_level=None)
    await bot.start()
    posting = asyncio.create_task(poster.run())
    try:
        await tg.wait_until(lambda: tg.webhook_url, timeout=30, what="setWebhook")
        w = office.writer
        seen = len(w.messages)
        await w.send_text("/status")  # the webhook works before the fault
        await tg.wait_until(lambda: texts(w)[seen:], timeout=30, what="an answer before the fault")
        await tg.settle(timeout=30)
        first_ok = poster.posts[-1][0]
        seen, posted = seen_of(office), len(poster.posts)

        holder.execute("BEGIN IMMEDIATE")  # another process's write transaction, held
        try:
            _, written = await during_the_fault(tg, office, bot)
            during = {uid for uid, _ in poster.posts[posted:]}
            statuses = poster.statuses(during)
            assert statuses and all(s >= 500 for s in statuses), poster.posts[posted:]
            assert len(tg.pending_updates) == 3  # all kept by Telegram, none confirmed
            stored = {r[0] for r in holder.execute("SELECT update_id FROM inbox_updates")}
            assert not stored & during, "an update stored although its request failed"
        finally:
            holder.execute("ROLLBACK")
            holder.close()

        await after_the_fault(tg, office, seen)
        said = texts(w)[seen["w"]:]
        assert said.index(next(t for t in said if R.STATUS_EMPTY in t)) < \
            said.index(next(t for t in said if "Tidak ada draf" in t)), said
        assert [s for uid, s in poster.posts if uid in during][-1] == 200
        assert all(poster.statuses({uid})[-1] == 200 and poster.statuses({uid}).count(200) == 1 for uid in during)

        # Telegram posts an update a second time when our 200 was lost: taken (200), not handled again.
        before = len(w.messages)
        async with httpx.AsyncClient(timeout=15) as http:
            again = {"update_id": first_ok, "message": {
                "message_id": 1, "date": 1_700_000_000, "text": "/status",
                "chat": {"id": w.id, "type": "private", "first_name": w.first_name},
                "from": {"id": w.id, "is_bot": False, "first_name": w.first_name},
                "entities": [{"type": "bot_command", "offset": 0, "length": 7}]}}
            assert await poster.post(http, again) == 200
        await asyncio.sleep(1.0)
        assert len(w.messages) == before, texts(w)[before:]

        assert_small_log(written, bot.output())
        inbox_once(db)
    finally:
        posting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await posting
        with contextlib.suppress(sqlite3.Error):
            holder.close()
        await bot.stop()
