"""What a person sent reaches the bot, and the bot's answer reaches them:
through SIGKILL of the real process, Telegram errors and a second copy.

The office is staffed by the in-process harness; then Terbit runs as a real
`python -m bot` process on the same data folder and fake Bot API, and the
test kills it by its PID at the worst moments.
"""
from __future__ import annotations

import asyncio
import re
import sqlite3

import httpx

from tests.durability.process import BotProcess
from tests.flow.harness import (
    Office,
    jpeg,
    make_settings,
    running,
    staffed_office,
    to_media_step,
)
from texts.id import review as R


def texts(user) -> list[str]:
    return [m.text or "" for m in user.messages]


async def wait_for_text(tg, user, needle: str, timeout: float = 30.0, after: int = 0):
    """The first bot message to ``user`` (from index ``after``) containing ``needle``."""
    def found():
        return next((m for m in user.messages[after:] if needle in (m.text or "")), None)
    return await tg.wait_until(found, timeout=timeout, what=f"a message with {needle!r} to {user.first_name}")


async def polling(tg, since: int) -> None:
    """The (re)started process is up: it asked for updates."""
    await tg.wait_until(lambda: sum(c.method == "getUpdates" for c in tg.all_calls[since:]) >= 1,
                        timeout=30, what="the bot process polling")


async def office_at_media_step(tg, tmp_path) -> Office:
    """A staffed office whose writer has a draft waiting for photos (set up in-process)."""
    office = Office(tg, make_settings(tg, tmp_path / "data"))
    async with running(office):
        await staffed_office(office)
        await to_media_step(office)
    return office


def attachments_in_db(data_dir) -> int:
    with sqlite3.connect(data_dir / "terbit.sqlite3") as db:
        ids = db.execute("SELECT r.attachment_ids FROM submissions s JOIN revisions r "
                         "ON r.id = s.current_revision_id ORDER BY s.id DESC LIMIT 1").fetchone()[0]
    return len(eval(ids)) if isinstance(ids, str) else len(ids)  # JSON list as text on SQLite


async def test_kill_during_an_album_loses_no_photo_and_acknowledges_the_true_count(fake_telegram, tmp_path):
    tg = fake_telegram
    tg.quiet_window = 0.3
    office = await office_at_media_step(tg, tmp_path)
    w = office.writer
    bot = await BotProcess(tg, tmp_path / "data").start()
    try:
        await polling(tg, len(tg.all_calls))
        seen = len(w.messages)
        calls = len(tg.all_calls)
        await w.send_album([jpeg((30 * i, 90, 160)) for i in range(5)])
        # Kill it while the album is being fetched: some photos stored, some not yet.
        await tg.wait_until(lambda: sum(c.method == "getFile" for c in tg.all_calls[calls:]) >= 2, timeout=30,
                            what="the album being downloaded")
        await bot.kill()
        restart_calls = len(tg.all_calls)
        await bot.start()
        await polling(tg, restart_calls)
        ack = await wait_for_text(tg, w, "Album diterima", after=seen, timeout=60)
        await asyncio.sleep(2.0)  # nothing else may follow: no second acknowledgement, no "duplicate"
        later = texts(w)[seen:]
        assert "5 berkas" in ack.text and "Total lampiran: 5" in ack.text, later
        assert sum("Album diterima" in t for t in later) == 1, later
        assert not any("sudah" in t.lower() and "diterima" in t.lower() and "Album" not in t for t in later), later
        assert attachments_in_db(tmp_path / "data") == 5
    finally:
        await bot.stop()


async def test_kill_right_after_approval_publishes_once_and_tells_everyone_once(fake_telegram, tmp_path):
    tg = fake_telegram
    tg.quiet_window = 0.3
    office = Office(tg, make_settings(tg, tmp_path / "data"))
    async with running(office):
        await staffed_office(office)
        from tests.flow.harness import submit_new
        card = await submit_new(office)
        await office.press(office.kasubbag, card, "✅ Teruskan ke Kepala")
    kp = office.kepala
    bot = await BotProcess(tg, tmp_path / "data").start()
    try:
        await polling(tg, len(tg.all_calls))
        answers = len(tg.callback_answers)
        await kp.press(kp.last_message, "✅ Setujui & Terbitkan")
        await tg.wait_until(lambda: len(tg.callback_answers) > answers, timeout=30, what="the approval answered")
        await bot.kill()  # right after the decision was recorded, before the notices went out
        restart_calls = len(tg.all_calls)
        await bot.start()
        await polling(tg, restart_calls)
        # The writer and the admin hear it (SOP step 7); the reviewers see it on their decided cards.
        for person in (office.writer, office.admin):
            await wait_for_text(tg, person, "Terbit:", timeout=60)
        await asyncio.sleep(2.0)
        for person in (office.writer, office.admin):
            assert sum("Terbit:" in t for t in texts(person)) == 1, (person.first_name, texts(person)[-5:])
        pages = list((tmp_path / "data" / "site" / "artikel").iterdir())
        assert len(pages) == 1
        bundles = [p for p in (tmp_path / "data" / "archive").rglob("metadata.json")]
        assert len(bundles) == 1
    finally:
        await bot.stop()


async def test_kill_during_publishing_takes_the_job_over_at_once(fake_telegram, tmp_path):
    """A job held by a killed process is not left under its 5-minute lease."""
    tg = fake_telegram
    tg.quiet_window = 0.3
    office = Office(tg, make_settings(tg, tmp_path / "data"))
    async with running(office):
        await staffed_office(office)
        from tests.flow.harness import submit_new
        card = await submit_new(office, photos=3)
        await office.press(office.kasubbag, card, "✅ Teruskan ke Kepala")
    kp = office.kepala
    bot = await BotProcess(tg, tmp_path / "data").start()
    try:
        await polling(tg, len(tg.all_calls))
        await kp.press(kp.last_message, "✅ Setujui & Terbitkan")
        db = tmp_path / "data" / "terbit.sqlite3"

        def running_job() -> bool:
            with sqlite3.connect(db) as c:
                return bool(c.execute("SELECT 1 FROM publication_jobs WHERE state='running'").fetchone())
        await tg.wait_until(running_job, timeout=30, what="a publication job running")
        await bot.kill()
        with sqlite3.connect(db) as c:
            assert c.execute("SELECT count(*) FROM publication_jobs WHERE state='running'").fetchone()[0] >= 1
        restart_calls = len(tg.all_calls)
        await bot.start()
        await polling(tg, restart_calls)
        await wait_for_text(tg, office.writer, "Terbit:", timeout=30)  # seconds, not the 5-minute lease
        await asyncio.sleep(1.5)
        assert sum("Terbit:" in t for t in texts(office.writer)) == 1
        assert len(list((tmp_path / "data" / "site" / "artikel").iterdir())) == 1
    finally:
        await bot.stop()


async def test_replies_owed_during_a_telegram_outage_arrive_once_afterwards(fake_telegram, tmp_path):
    tg = fake_telegram
    office = Office(tg, make_settings(tg, tmp_path / "data"))
    async with running(office):
        await staffed_office(office)
        w = office.writer
        seen = len(w.messages)
        tg.fail_next("sendMessage", error_code=502, description="Bad Gateway", times=4)
        await w.send_text("/status")
        await w.send_text("/draf")
        status = await wait_for_text(tg, w, R.STATUS_EMPTY, after=seen, timeout=30)
        drafts = await wait_for_text(tg, w, "Tidak ada draf", after=seen, timeout=30)
        await office.tg.settle(timeout=30)
        later = texts(w)[seen:]
        assert sum(t == status.text for t in later) == 1 and sum(t == drafts.text for t in later) == 1, later
        # /status was answered before /draf: one person's answers keep their order.
        assert later.index(status.text) < later.index(drafts.text)


async def test_flood_control_on_every_reply_is_waited_out(fake_telegram, tmp_path):
    tg = fake_telegram
    office = Office(tg, make_settings(tg, tmp_path / "data"))
    async with running(office):
        await staffed_office(office)
        w = office.writer
        seen = len(w.messages)
        tg.fail_next("sendMessage", error_code=429, retry_after=1, times=6)
        await w.send_text("/status")
        await wait_for_text(tg, w, R.STATUS_EMPTY, after=seen, timeout=30)
        await office.tg.settle(timeout=30)
        assert sum(R.STATUS_EMPTY in t for t in texts(w)[seen:]) == 1


async def test_a_second_copy_on_the_same_data_refuses_to_start(fake_telegram, tmp_path):
    tg = fake_telegram
    data = tmp_path / "data"
    data.mkdir()
    first = await BotProcess(tg, data).start()
    try:
        await polling(tg, 0)
        second = BotProcess(tg, data)
        second.log = tmp_path / "second.log"
        await second.start()
        assert await asyncio.wait_for(second.proc.wait(), 60) == 3
        out = second.output()
        assert "sudah berjalan" in out and "already running" in out
        assert first.proc.returncode is None  # the first one carries on
    finally:
        await first.stop()


async def test_webhook_refuses_requests_without_the_secret_and_handles_the_right_one(fake_telegram, tmp_path):
    import socket
    tg = fake_telegram
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    secret = "s3cret-token-for-tests"
    office = Office(tg, make_settings(tg, tmp_path / "data"))
    async with running(office):
        await staffed_office(office)
    bot = await BotProcess(tg, tmp_path / "data", TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/tg-hook",
                           TELEGRAM_WEBHOOK_LISTEN="127.0.0.1", TELEGRAM_WEBHOOK_PORT=str(port),
                           TELEGRAM_WEBHOOK_SECRET=secret).start()
    try:
        await tg.wait_until(lambda: tg.webhook_url, timeout=30, what="setWebhook")
        # setWebhook can come a moment before the listener accepts on a loaded machine.
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                await asyncio.sleep(0.05)
        w = office.writer
        seen = len(w.messages)
        url = f"http://127.0.0.1:{port}/tg-hook"

        def update(uid: int, text: str) -> dict:
            return {"update_id": uid, "message": {
                "message_id": 900 + uid % 100, "date": 1_700_000_000, "text": text,
                "chat": {"id": w.id, "type": "private", "first_name": w.first_name},
                "from": {"id": w.id, "is_bot": False, "first_name": w.first_name},
                "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]}}
        async with httpx.AsyncClient(timeout=10) as http:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong-secret-value"}):
                r = await http.post(url, json=update(5001, "/status"), headers=headers)
                assert r.status_code == 403
            r = await http.post(url, json=update(5002, "/status"),
                                headers={"X-Telegram-Bot-Api-Secret-Token": secret})
            assert r.status_code == 200
        await wait_for_text(tg, w, R.STATUS_EMPTY, after=seen, timeout=30)
        with sqlite3.connect(tmp_path / "data" / "terbit.sqlite3") as c:
            stored = {r[0] for r in c.execute("SELECT update_id FROM inbox_updates")}
        assert 5002 in stored and 5001 not in stored  # refused requests are not stored
    finally:
        await bot.stop()


def test_the_reply_keys_are_per_update():
    from handlers.handling import Handling
    h = Handling(77, 1)
    assert [h.next_reply_key(), h.next_reply_key()] == ["u77:1", "u77:2"]
    assert re.fullmatch(r"u\d+:\d+", Handling(5, None).next_reply_key())
