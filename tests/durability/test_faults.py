"""Issue 18's drills: the real `python -m bot` process while its storage fails.

* disk full: DATA_DIR on a small tmpfs filled to the last byte (a real ENOSPC from the
  kernel; skipped, saying so, where ``mount -t tmpfs`` is not allowed: the lock drills
  below reach the same fault state there);
* a lock held by another connection while running, and at start;
* PostgreSQL stopped while running.

Each asserts what people hear (one "cannot save now" each, one alert for the admins,
then "pulih" and the real answer once), the poll rate while it lasts, the log's size
and that nothing is lost or doubled afterwards.  The windows are short through the
settings (FAULT_WINDOW below), never by timing assertions.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.durability.process import BotProcess
from tests.durability.test_crash import polling, texts, wait_for_text
from tests.flow.harness import Office, make_settings, running, staffed_office
from texts.id import common as C
from texts.id import review as R

_SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
if str(_SCRIPTS) not in sys.path:
    sys.path.insert(0, str(_SCRIPTS))
from pg_test_server import PostgresServer, PostgresUnavailable

#: How long each fault is held (seconds): long enough for several backoff rounds.
FAULT_WINDOW = 4.0
#: The settings that make the windows short (production: 1 s .. 8 s, 60 s, 5 s, 2 s).
FAST = {"STORAGE_RETRY_FIRST_SECONDS": "0.25", "STORAGE_RETRY_MAX_SECONDS": "1",
        "FAULT_SUMMARY_SECONDS": "2", "SQLITE_BUSY_TIMEOUT_SECONDS": "0.3", "START_LOCK_POLL_SECONDS": "0.3"}
#: At most this many getUpdates while a fault of FAULT_WINDOW lasts (backoff 0.25, 0.5, 1, 1, ...).
MAX_POLLS = 12


async def staffed(tg, data: Path, **over) -> Office:
    tg.quiet_window = 0.3  # the process's answers come over several polls
    office = Office(tg, make_settings(tg, data, **over))
    async with running(office):
        await staffed_office(office)
    return office


def polls(tg, since: int) -> int:
    return sum(c.method == "getUpdates" for c in tg.all_calls[since:])


async def during_the_fault(tg, office: Office, bot: BotProcess) -> tuple[int, int]:
    """Two people write while storage fails; returns (polls during the window, log bytes written)."""
    w, k, admin = office.writer, office.kasubbag, office.admin
    log_before, calls_before = len(bot.output().encode()), len(tg.all_calls)
    await w.send_text("/status")
    await w.send_text("/draf")
    await k.send_text("/antrian")
    await wait_for_text(tg, w, "belum bisa menyimpan", timeout=15)
    await wait_for_text(tg, k, "belum bisa menyimpan", timeout=15)
    await wait_for_text(tg, admin, "Penyimpanan Terbit bermasalah", timeout=30)
    await asyncio.sleep(FAULT_WINDOW)
    return polls(tg, calls_before), len(bot.output().encode()) - log_before


async def after_the_fault(tg, office: Office, seen: dict) -> None:
    """Storage is back: "pulih", then every answer once, in order; nothing doubled."""
    w, k, admin = office.writer, office.kasubbag, office.admin
    await wait_for_text(tg, w, R.STATUS_EMPTY, after=seen["w"], timeout=30)
    await wait_for_text(tg, w, "Tidak ada draf", after=seen["w"], timeout=30)
    await wait_for_text(tg, k, "pulih", after=seen["k"], timeout=30)
    await wait_for_text(tg, admin, "pulih", after=seen["a"], timeout=30)
    await tg.wait_until(lambda: not tg.pending_updates, timeout=30, what="every update confirmed")
    await asyncio.sleep(0.5)
    said = texts(w)[seen["w"]:]
    assert sum("belum bisa menyimpan" in t for t in said) == 1, said
    assert sum(C.STORAGE_BACK in t for t in said) == 1, said
    assert sum(R.STATUS_EMPTY in t for t in said) == 1 and sum("Tidak ada draf" in t for t in said) == 1, said
    assert said.index(C.STORAGE_BACK) < said.index(next(t for t in said if R.STATUS_EMPTY in t))
    assert not any("tersimpan" in t and "belum" not in t and "Penyimpanan" not in t for t in said), said
    alerts = [t for t in texts(admin)[seen["a"]:] if "Penyimpanan Terbit bermasalah" in t]
    assert len(alerts) == 1, alerts


async def drill(tg, office: Office, bot: BotProcess, hold, release, what: str) -> None:
    """Start the process, hold the fault (``hold()``) while two people write, ``release()`` it,
    then check what people heard, the poll count and the log."""
    try:
        seen = await started(tg, office, bot)
        await hold()
        try:
            n, written = await during_the_fault(tg, office, bot)
        finally:
            await release()
        assert n <= MAX_POLLS, f"{n} getUpdates in {FAULT_WINDOW} s of {what}"
        await after_the_fault(tg, office, seen)
        assert_small_log(written, bot.output())
    finally:
        await bot.stop()


async def started(tg, office: Office, bot: BotProcess) -> dict:
    """Start the process; once it polls and all is quiet, what each person has been sent so far."""
    before = len(tg.all_calls)
    await bot.start()
    await polling(tg, before)
    await tg.settle(timeout=60)
    return seen_of(office)


def seen_of(office: Office) -> dict:
    return {"w": len(office.writer.messages), "k": len(office.kasubbag.messages), "a": len(office.admin.messages)}


def assert_small_log(written: int, out: str) -> None:
    assert written < 64 * 1024, f"{written} bytes of log during the fault"  # the bound: < 1 MB in 60 s
    assert "Traceback" not in out, out[-3000:]
    assert out.count("ERROR handlers.faults: storage failing") == 1, out[-3000:]  # one line when it starts ...
    assert out.count("recovered after") == 1, out[-3000:]  # ... one when it ends (plus summaries)


def inbox_once(db: Path) -> None:
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(*) FROM inbox_updates WHERE done_at IS NULL").fetchone()[0] == 0
        rows = c.execute("SELECT bot_id, update_id, count(*) FROM inbox_updates GROUP BY 1, 2 "
                         "HAVING count(*) > 1").fetchall()
        assert rows == []


# --- disk full --------------------------------------------------------------------------

@contextlib.contextmanager
def tmpfs(where: Path, size: str = "24m"):
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"no tmpfs here ({done.stderr.strip()}); the in-process ENOSPC shim covers it")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def fill_disk(db: Path, filler: Path) -> None:
    """The database's disk full: its WAL file emptied (the next write must grow a file), then ``fill``."""
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    fill(filler)


def fill(filler: Path) -> None:
    """Fill the file system to the last byte (remove ``filler`` to free it)."""
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for size in (1 << 20, 4096, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)


async def test_disk_full_is_a_state_people_are_told_once_and_nothing_is_lost(fake_telegram, tmp_path):
    tg = fake_telegram
    with tmpfs(tmp_path / "disk") as disk:
        data = disk / "data"
        office = await staffed(tg, data)
        db = data / "terbit.sqlite3"
        bot = BotProcess(tg, data, **FAST)
        bot.log = tmp_path / "bot-process.log"  # the log is not on the full disk
        filler = disk / "filler"

        async def hold() -> None:
            fill_disk(db, filler)

        async def release() -> None:
            filler.unlink()

        await drill(tg, office, bot, hold, release, "a full disk")
        assert "No space left" in bot.output() or "disk is full" in bot.output()
        inbox_once(db)


# --- a lock held by another connection ------------------------------------------------------

async def test_a_lock_held_while_running_is_waited_out_and_people_are_told(fake_telegram, tmp_path):
    tg = fake_telegram
    office = await staffed(tg, tmp_path / "data")
    db = tmp_path / "data" / "terbit.sqlite3"
    bot = BotProcess(tg, tmp_path / "data", **FAST)
    holder = sqlite3.connect(db, isolation_level=None)

    async def hold() -> None:
        holder.execute("BEGIN IMMEDIATE")  # another process's write transaction, held

    async def release() -> None:
        holder.execute("ROLLBACK")
        holder.close()

    await drill(tg, office, bot, hold, release, "a locked database")
    assert "database is locked" in bot.output()
    inbox_once(db)


async def test_a_lock_held_at_start_is_waited_for_and_never_called_damage(fake_telegram, tmp_path):
    tg = fake_telegram
    data = tmp_path / "data"
    office = await staffed(tg, data)
    db = data / "terbit.sqlite3"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    bot = BotProcess(tg, data, **FAST)
    await bot.start()
    try:
        await tg.wait_until(lambda: "dikunci" in bot.output(), timeout=30, what="the bot saying it waits")
        w = office.writer
        seen = len(w.messages)
        await w.send_text("/status")  # waits at Telegram while the bot waits for the lock
        await asyncio.sleep(FAULT_WINDOW)
        assert bot.proc.returncode is None, bot.output()  # still waiting, not gone
        holder.execute("ROLLBACK")
        holder.close()
        await wait_for_text(tg, w, R.STATUS_EMPTY, after=seen, timeout=30)
        out = bot.output()
        assert out.count("dikunci oleh proses lain") == 1, out  # said once ...
        assert "dilepas" in out  # ... and once that it starts
        assert "rusak, pulihkan" not in out and "restore the latest backup" not in out, out
        assert "Traceback" not in out, out
    finally:
        with contextlib.suppress(sqlite3.Error):
            holder.close()
        await bot.stop()


# --- PostgreSQL stopped -----------------------------------------------------------------

@pytest.fixture
def own_pg():
    """A PostgreSQL of this test's own (it is stopped and started again: not the shared one)."""
    try:
        server = PostgresServer()
    except PostgresUnavailable as e:
        pytest.skip(f"real PostgreSQL not available: {e} (scripts/install-test-services.sh does that)")
    url = server.__enter__()
    try:
        yield server, url
    finally:
        server.__exit__(None, None, None)


def pg_halt(server) -> None:
    server._cmd("pg_ctl", "-D", str(server.datadir), "-m", "fast", "-w", "stop")


def pg_resume(server) -> None:
    server._cmd("pg_ctl", "-D", str(server.datadir), "-l", str(server.logfile), "-w", "-o",
                f"-p {server.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={server.socket_dir}",
                "start")


async def test_postgresql_stopped_while_running_is_a_state_and_the_bot_recovers(fake_telegram, tmp_path, own_pg):
    tg = fake_telegram
    server, pg_url = own_pg
    data = tmp_path / "data"
    office = await staffed(tg, data, database_url=pg_url)
    bot = BotProcess(tg, data, DATABASE_URL=pg_url, **FAST)

    async def hold() -> None:
        await asyncio.to_thread(pg_halt, server)

    async def release() -> None:
        await asyncio.to_thread(pg_resume, server)

    await drill(tg, office, bot, hold, release, "PostgreSQL stopped")
