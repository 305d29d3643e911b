"""Issue 18 in conversation: files fetched with patience, bad numbers, /batal with nothing
open, a getUpdates outage that stays quiet in the log, and updates keyed by (bot, update id)."""
from __future__ import annotations

import contextlib
import itertools
import logging
import sqlite3
from datetime import UTC, datetime

from tests.flow.harness import Office, jpeg, make_settings, running, staffed_office, to_media_step
from texts.id import common as C
from texts.id import review as R


@contextlib.asynccontextmanager
async def writer_sending_files(tg, tmp_path, window: float, fail_times: int):
    """A draft waiting for files on a bot whose file window is ``window`` s; getFile fails ``fail_times``."""
    office = Office(tg, make_settings(tg, tmp_path / "data", file_fetch_window_seconds=window))
    async with running(office):
        await staffed_office(office)
        w = await to_media_step(office)
        seen = len(w.messages)
        tg.fail_next("getFile", error_code=502, description="Bad Gateway", times=fail_times)
        yield office, w, seen


async def test_a_photo_whose_getfile_fails_for_a_while_is_fetched_with_patience(fake_telegram, tmp_path):
    async with writer_sending_files(fake_telegram, tmp_path, 8, 3) as (office, w, seen):
        await w.send_photo(jpeg((1, 2, 3)))
        await office.tg.settle(timeout=20)
        said = [m.text for m in w.messages[seen:]]
        assert len(said) == 2 and "sedang diunduh" in said[0] and "Foto" in said[0], said
        assert "Total lampiran: <b>1</b>" in said[1] or "Total lampiran: 1" in said[1], said
        assert len(office.tg.calls_to("getFile")) == 4


async def test_a_file_that_cannot_be_fetched_within_the_window_is_named_in_the_kirim_ulang(fake_telegram, tmp_path):
    async with writer_sending_files(fake_telegram, tmp_path, 1.5, 100) as (office, w, seen):
        await w.send_document(b"%PDF-1.4 not really", "undangan-rapat.pdf")
        await office.tg.settle(timeout=20)
        said = [m.text for m in w.messages[seen:]]
        assert len(said) == 2 and "sedang diunduh" in said[0], said
        assert "«undangan-rapat.pdf»" in said[1] and "kirim ulang" in said[1], said
        assert "diterima. Total" not in said[1]
        office.tg._failures.clear()


async def test_bad_numbers_and_an_empty_batal_get_plain_answers(office):
    a, w = office.admin, office.writer
    for command in ("/riwayat 1234567890123456789", "/riwayat ²", "/perbarui 99999999999999999999",
                    "/tarik ³ salah data"):
        m = await office.say(a if command.startswith("/tarik") else w, command)
        assert "bukan nomor pengajuan" in m.text, (command, m.text)
    m = await office.say(w, "/riwayat 4242")
    assert m.text == C.NOT_FOUND.format(id=4242)
    m = await office.say(w, "/batal")
    assert m.text == C.NOTHING_TO_CANCEL


async def test_a_getupdates_outage_is_two_log_lines_not_a_traceback_each_time(fake_telegram, tmp_path, caplog):
    office = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data"))
    async with running(office):
        await staffed_office(office)
        app = office.app
        # As Application.run_polling wires it: polling errors go to the application's error handler.
        await app.updater.stop()
        await app.updater.start_polling(poll_interval=0.0, timeout=1, error_callback=lambda exc: app.create_task(
            app.process_error(error=exc, update=None)))
        caplog.set_level(logging.INFO)
        caplog.clear()
        office.tg.fail_next("getUpdates", error_code=502, description="Bad Gateway", times=3)
        await office.tg.wait_until(lambda: sum(not c.ok for c in office.tg.calls_to("getUpdates")) == 3,
                                   timeout=30, what="three failed polls")
        w = office.writer
        seen = len(w.messages)
        await w.send_text("/status")
        await office.tg.wait_until(lambda: any(R.STATUS_EMPTY in (m.text or "") for m in w.messages[seen:]),
                                   timeout=30, what="the answer after the outage")
        lines = [r for r in caplog.records if "getUpdates failing" in r.getMessage()]
        assert [r.levelno for r in lines] == [logging.ERROR, logging.WARNING], [r.getMessage() for r in lines]
        assert "recovered" in lines[-1].getMessage()
        assert not any(r.exc_info for r in caplog.records), [r.getMessage() for r in caplog.records if r.exc_info]
        assert not any("unhandled error" in r.getMessage() for r in caplog.records)


async def test_another_bots_update_ids_in_the_database_do_not_hide_this_bots_update(fake_telegram, tmp_path):
    """A database restored onto a new token: it holds the old bot's update 5000 (handled, answered);
    this bot's own update 5000 is still stored, handled and answered."""
    office = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data"))
    db = tmp_path / "data" / "terbit.sqlite3"
    async with running(office):
        await staffed_office(office)
    now = datetime.now(UTC).isoformat(sep=" ")
    with sqlite3.connect(db) as c:
        c.executemany("INSERT INTO inbox_updates (bot_id, update_id, lane, payload, received_at, attempts, done_at) "
                      "VALUES (?, ?, 1001, '{}', ?, 1, ?)", [(bot, 5000 + i, now, now) for bot in (0, 999)
                                                             for i in range(3)])
    office.tg._update_ids = itertools.count(5000)
    async with running(office):
        w = office.writer
        seen = len(w.messages)
        await w.send_text("/status")
        await office.tg.settle()
        assert [m.text for m in w.messages[seen:]] == [R.STATUS_EMPTY]
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT bot_id, done_at IS NOT NULL FROM inbox_updates WHERE update_id = 5000 "
                         "ORDER BY bot_id").fetchall()
    assert rows == [(0, 1), (999, 1), (123456, 1)]
