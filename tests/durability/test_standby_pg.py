"""On PostgreSQL a second process waits as a standby and takes over when the
active one is killed, losing nothing."""
from __future__ import annotations

import asyncio

from tests.durability.process import BotProcess
from tests.durability.test_crash import polling, texts, wait_for_text
from tests.flow.harness import Office, make_settings, running, staffed_office
from tests.storage_pg.conftest import pg_server, pg_url  # noqa: F401  (fixtures)
from texts.id import review as R


async def until_nothing_in_flight(url: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine
    engine = create_async_engine(url)
    try:
        for _ in range(200):
            async with engine.connect() as c:
                busy = (await c.execute(text("SELECT count(*) FROM outgoing_messages WHERE state IN "
                                             "('pending', 'sending')"))).scalar()
                open_updates = (await c.execute(text("SELECT count(*) FROM inbox_updates "
                                                     "WHERE done_at IS NULL"))).scalar()
            if not busy and not open_updates:
                return
            await asyncio.sleep(0.05)
        raise AssertionError("the active process never settled")
    finally:
        await engine.dispose()


async def test_a_standby_takes_over_when_the_active_process_is_killed(fake_telegram, tmp_path, pg_url):  # noqa: F811
    tg = fake_telegram
    tg.quiet_window = 0.3
    data = tmp_path / "data"
    office = Office(tg, make_settings(tg, data, database_url=pg_url))
    async with running(office):
        await staffed_office(office)
    w = office.writer
    before = len(tg.all_calls)
    active = await BotProcess(tg, data, DATABASE_URL=pg_url).start()
    standby = BotProcess(tg, data, DATABASE_URL=pg_url)
    standby.log = tmp_path / "standby.log"
    try:
        await polling(tg, before)
        await standby.start()
        await tg.wait_until(lambda: "standing by" in standby.output(), timeout=60, what="the standby waiting")
        seen = len(w.messages)
        await w.send_text("/status")
        await wait_for_text(tg, w, R.STATUS_EMPTY, after=seen)
        assert standby.proc.returncode is None
        # Killed once that reply is recorded as sent.  (Killed in the milliseconds between
        # Telegram's answer and that record, the reply would go out once more: Telegram's
        # sendMessage has no idempotency key; README says so.)
        await until_nothing_in_flight(pg_url)

        await active.kill()
        seen = len(w.messages)
        await w.send_text("/status")  # sent while nobody is active: waits at Telegram, then in the inbox
        await tg.wait_until(lambda: "takes over" in standby.output(), timeout=30, what="the standby taking over")
        await wait_for_text(tg, w, R.STATUS_EMPTY, after=seen, timeout=30)
        await asyncio.sleep(1.5)
        assert sum(t == R.STATUS_EMPTY for t in texts(w)[seen:]) == 1
    finally:
        await standby.stop()
        await active.stop()
