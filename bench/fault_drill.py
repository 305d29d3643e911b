"""The 60-second disk-full drill, measured (issue 18): ``python -m bench.fault_drill``.

The real ``python -m bot`` process polls the fake Bot API (tests/fakebot/) with
the production backoff settings; its data folder is on a small tmpfs that is
filled to the last byte for ``--seconds`` (60) while a writer sends /status and
a Kasubbag /antrian every ``--every`` seconds.  Then the disk is freed and every
update must be handled once.  The drill machinery (the office, the process,
tmpfs, filling) is tests/durability/test_faults.py's, imported.

Printed: getUpdates calls per second during the fault, log bytes written during
it (goal < 1 MB), tracebacks in the whole log (goal 0), what each person heard
(one "belum bisa menyimpan" each, one admin alert, one "pulih" each), and
updates lost / doubled after recovery (goal 0 / 0), from the replies and from
the inbox table.  A bench, not a test: it measures and prints, it asserts
nothing.  Needs ``mount -t tmpfs`` (root); where that is refused it says so and
exits with status 2.
"""
from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.durability.process import BotProcess
from tests.durability.test_crash import texts
from tests.durability.test_faults import fill_disk, polls, staffed, started, tmpfs
from tests.fakebot.server import FakeTelegram
from texts.id import common as C
from texts.id import review as R

WAIT = "belum bisa menyimpan"
ALERT = "Penyimpanan Terbit bermasalah"
ADMIN_BACK = "Penyimpanan Terbit pulih"


def count(said: list[str], needle: str) -> int:
    return sum(needle in t for t in said)


def inbox_figures(db: Path, ids: list[int]) -> tuple[int, int, int]:
    """(updates of the drill not in the inbox, stored more than once, stored but not done)."""
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT update_id, count(*), sum(done_at IS NULL) FROM inbox_updates GROUP BY update_id"
                         ).fetchall()
    by_id = {uid: (n, open_) for uid, n, open_ in rows}
    return (sum(uid not in by_id for uid in ids), sum(by_id.get(uid, (0, 0))[0] > 1 for uid in ids),
            sum(by_id.get(uid, (0, 0))[1] > 0 for uid in ids))


async def drill(work: Path, seconds: float, every: float) -> dict:
    async with FakeTelegram(token="123456:TEST", bot_username="terbit_test_bot") as tg:
        with tmpfs(work / "disk") as disk:
            data = disk / "data"
            office = await staffed(tg, data)
            db = data / "terbit.sqlite3"
            bot = BotProcess(tg, data)  # production backoff: 1 s doubling to 8 s, a summary a minute
            bot.log = work / "bot-process.log"  # the log is not on the full disk
            w, k, admin = office.writer, office.kasubbag, office.admin
            try:
                seen = await started(tg, office, bot)
                fill_disk(db, disk / "filler")
                log_before, calls_before, t0 = len(bot.output().encode()), len(tg.all_calls), time.monotonic()
                ids: list[int] = []
                sent = {"w": 0, "k": 0}
                while time.monotonic() - t0 < seconds:
                    await w.send_text("/status")
                    await k.send_text("/antrian")
                    ids += [u["update_id"] for u in tg.pending_updates[-2:]]
                    sent["w"] += 1
                    sent["k"] += 1
                    await asyncio.sleep(every)
                lasted = time.monotonic() - t0
                n_polls, fault_log = polls(tg, calls_before), bot.output().encode()[log_before:]
                (disk / "filler").unlink()

                def all_answered() -> bool:
                    return (count(texts(w)[seen["w"]:], R.STATUS_EMPTY) >= sent["w"]
                            and count(texts(k)[seen["k"]:], R.QUEUE_EMPTY) >= sent["k"])
                try:
                    await tg.wait_until(all_answered, timeout=180, what="every update answered")
                    await tg.wait_until(lambda: not tg.pending_updates, timeout=60, what="every update confirmed")
                except AssertionError as exc:
                    print(f"(not everything answered: {str(exc).splitlines()[0]})", file=sys.stderr)
                await asyncio.sleep(3.0)  # a doubled answer would come now
            finally:
                await bot.stop()
            out = bot.output()
            said = {"writer": texts(w)[seen["w"]:], "kasubbag": texts(k)[seen["k"]:], "admin": texts(admin)[seen["a"]:]}
            answers = {"w": count(said["writer"], R.STATUS_EMPTY), "k": count(said["kasubbag"], R.QUEUE_EMPTY)}
            missing, stored_twice, open_ = inbox_figures(db, ids)
    return {
        "seconds": lasted, "polls": n_polls, "log_bytes": len(fault_log),
        "fault_log": fault_log.decode(errors="replace").splitlines(), "tracebacks": out.count("Traceback"),
        "enospc": "No space left" in out or "disk is full" in out, "said": said, "sent": sent, "answers": answers,
        "lost": sum(max(0, sent[p] - answers[p]) for p in sent),
        "doubled": sum(max(0, answers[p] - sent[p]) for p in sent),
        "inbox": (missing, stored_twice, open_)
    }


def report(r: dict, seconds: float, every: float) -> str:
    said = r["said"]
    lines = [
        f"disk full for {r['seconds']:.1f} s (tmpfs filled to the last byte; ENOSPC in the log: "
        f"{'yes' if r['enospc'] else 'NO'}); writer /status + Kasubbag /antrian every {every:g} s: "
        f"{r['sent']['w'] + r['sent']['k']} updates",
        f"getUpdates during the fault: {r['polls']} in {r['seconds']:.1f} s = {r['polls'] / r['seconds']:.2f}/s "
        "(at most 1/s)",
        f"log written during the fault: {r['log_bytes']} bytes (goal < 1 MB: "
        f"{'met' if r['log_bytes'] < 1 << 20 else 'NOT met'}); its first lines:",
        *[f"    {line[:160]}" for line in r["fault_log"][:6]],
        f"tracebacks in the log: {r['tracebacks']} (goal 0)",
    ]
    for who in ("writer", "kasubbag"):
        lines.append(f"{who}: {count(said[who], WAIT)}x '{WAIT}', {count(said[who], C.STORAGE_BACK)}x 'pulih' "
                     f"(goal 1 / 1)")
    lines.append(f"admin: {count(said['admin'], ALERT)} alert, {count(said['admin'], ADMIN_BACK)}x 'pulih' "
                 "(goal 1 / 1)")
    missing, twice, open_ = r["inbox"]
    lines.append(f"after recovery: answers {r['answers']['w']}/{r['sent']['w']} (writer), "
                 f"{r['answers']['k']}/{r['sent']['k']} (Kasubbag); lost {r['lost']} / doubled {r['doubled']} "
                 f"(goal 0 / 0); inbox: {missing} missing, {twice} stored twice, {open_} not done")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="how long the disk stays full (default 60)")
    ap.add_argument("--every", type=float, default=3.0, help="each person sends every this many seconds (3)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="terbit-fault-drill-") as tmp:
        try:
            result = asyncio.run(drill(Path(tmp), args.seconds, args.every))
        except pytest.skip.Exception as exc:
            print(f"fault_drill: tmpfs mounting refused here: {exc.msg}", file=sys.stderr)
            sys.exit(2)
    print(report(result, args.seconds, args.every))


if __name__ == "__main__":
    main()
