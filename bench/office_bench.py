"""Offices benchmark (issue 20): many offices at once vs one office (run: ``python -m bench.office_bench``).

For each W in ``--writers-per-office`` two real bot processes (``python -m bot`` under the loop
probe, fresh DATA_DIR, each against its own ``BenchTelegram`` from bench/load_bench.py) are driven,
one after the other, with the same number of writers, K x W:

* **1 office** (the baseline): the deployment as installed, office no. 1 only, with 1 Kasubbag,
  1 Kepala and K x W writers;
* **K offices** (``--offices``): office no. 1 as above with W writers, and K - 1 offices the
  deployment admin adds by ``/kantor tambah Kantor NN``; each one's own admin joins by the
  invitation link from that reply and staffs it through chat (``/bagian tambah Humas``,
  ``/undang kasubbag``, ``/undang kepala``, ``/undang penulis Humas`` -> ``/start <code>``):
  1 Kasubbag, 1 Kepala and W writers each.  Offices are added one after the other, then staffed
  at once.  Office no. 1 is named "Kantor 01" (OFFICE_NAME) in both runs.

Staffing is not timed.  Then all writers run at once the article flow of load_bench's
``writer_flow`` (12 updates, closed loop; their own office's Kasubbag and Kepala review), and each
waits for its "🌐 Terbit".  Writer i has the same title, body and 3 photos in both runs.

Measured as in load_bench (update->reply p50/p95/p99, callback answers, approve->"🌐 Terbit",
updates/s, chat-bound calls per flow and per update, the Telegram ceiling 30 / (calls per update),
bot CPU ms per update over the load phase, loop stalls, peak RSS) for both runs, with the ratio
K offices / 1 office; plus each office's median flow time /baru -> "🌐 Terbit" (the best and the
worst office), the chat-bound calls per flow by whose chat they went to, where the approve->"🌐 Terbit"
time goes (from the database: approval -> site job done -> archive job done, when the notices are
owed -> the writer's sent), and the machine's load average (the bench shares the machine).  After
the flows, the bench waits (at most ``--step-timeout``) until the deployment admin, who is told of
every office's publications, has each "🌐 Terbit" too, so the calls counted include those; how many
came and how long after the last flow is printed.  Bear in mind when reading CPU per update: the one office's
site grows to K x W articles and every publication renders all its listing pages again, while
each of the K offices' sites holds W.

Checked and printed (nothing is asserted): load_bench's checks (updates lost, flows stuck,
callbacks unanswered, replies lost, late, sent twice, decided cards still with buttons, failed Bot
API calls, decisions recorded twice in ``audit_events``), and between offices:

* every flow's card reached its own office's Kasubbag, and no item's title appears in any chat of
  another office's people (Kasubbag, Kepala, writers, the office's own admin; the deployment admin,
  an admin of every office, is left out);
* with several offices, every review card and "🌐 Terbit" (the writer's, and the deployment admin's,
  who hears every office's) starts with its office's line ("🏛 Kantor NN"); with one, none names
  an office;
* every "🌐 Terbit" reached its own writer, and no writer got another's;
* each office's article pages are in its own site: office no. 1's in ``DATA_DIR/site/artikel/``,
  office NN's in ``DATA_DIR/kantor/<slug>/site/artikel/`` (the slug as the bot's reply named it),
  one per completed flow, none of another office's items.

The issue's goals are printed against what was measured (met / not met), for whatever sizes ran:
(1) 30 offices x 1 writer: update->reply p95 <= 1 s; (2) 30 x 10 vs 1 x 300: calls per flow <= 18,
throughput >= 90 % of the ceiling, reply times no worse than the one office's; (3) bot CPU per
update with K offices <= 1.10 x one office's.

``--quick`` is 5 offices x 2 writers vs 1 office x 10 writers (about 30-40 s on 2 vCPUs); the whole
run (``--offices 30 --writers-per-office 1,10``) is four bot processes and takes about 14 minutes
there (bench/README-load.md has the commands and their times).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bench.load_bench import ADMIN_ID as DEPLOYMENT_ADMIN_ID
from bench.load_bench import (
    BTN_APPROVE,
    BTN_FORWARD,
    NOT_CHAT_BOUND,
    TOKEN,
    UPDATES_PER_FLOW,
    WRITER_BASE,
    BenchTelegram,
    Driver,
    Stats,
    add_run_options,
    cell_ceiling,
    cell_cpu,
    cell_failed,
    cell_late,
    cell_lost,
    cell_notices,
    cell_stale,
    cell_stall,
    cell_stuck,
    cell_twice,
    count_twice,
    cpu_ms,
    find_stale,
    fmt,
    invite_writers,
    load_phase,
    make_photos,
    onboard,
    pct,
    print_calls,
    print_steps,
    print_table,
    ratio,
    read_db,
    say,
    share_of_ceiling,
    stop_bot,
    terbit_process,
    title_of,
    trio,
    worst_stall,
    writer_flow,
)
from tests.fakebot import reencode_photo
from tests.fakebot.server import StoredFile
from tests.fakebot.users import FakeUser

BOT_USERNAME = "terbit_office_bot"
OFFICE_ADMIN_BASE, KASUBBAG_BASE, KEPALA_BASE = 40_000, 20_000, 30_000
SECTION = "Humas"
#: The issue's goals (printed against the measurements, never asserted).
GOAL_P95_MS, GOAL_CALLS_PER_FLOW, GOAL_SHARE, GOAL_CPU_RATIO = 1000.0, 18.0, 90.0, 1.10
#: A title in a message: title_of(i) with its number captured.
TITLE_RE = re.compile(re.escape(title_of(0)).replace("000", r"(\d+)"))
CODE_RE = re.compile(r"start=([A-Za-z0-9_-]+)")


def office_name(no: int) -> str:
    return f"Kantor {no:02d}"


@dataclass
class Office:
    no: int
    admin: FakeUser
    ks: FakeUser
    kp: FakeUser
    writers: list[tuple[int, FakeUser]]  # (title index, writer)
    #: DATA_DIR/kantor/<slug>; None for office no. 1 (DATA_DIR/site).
    slug: str | None = None
    done: set[int] = field(default_factory=set)  # title indices whose flow got to the Kepala's approval
    flow_s: list[float] = field(default_factory=list)  # /baru -> 🌐 Terbit of its completed flows

    @property
    def name(self) -> str:
        return office_name(self.no)

    @property
    def line(self) -> str:
        """What a card or notice of this office starts with when there are several."""
        return f"🏛 {self.name}\n"

    def people(self) -> list[FakeUser]:
        """Who works in this office only (the deployment admin, admin everywhere, is left out)."""
        own_admin = [] if self.admin.id == DEPLOYMENT_ADMIN_ID else [self.admin]
        return [*own_admin, self.ks, self.kp, *(w for _, w in self.writers)]

    def site(self, data: Path) -> Path:
        return data / "site" / "artikel" if self.slug is None else data / "kantor" / self.slug / "site" / "artikel"


@dataclass
class Apart:
    """What was checked between offices (see the module's docstring)."""

    cards_home: int = 0  # flows whose card reached their own office's Kasubbag
    seen_elsewhere: Counter = field(default_factory=Counter)  # role -> (item, chat) pairs of another office
    named: int = 0  # cards and 🌐 Terbit notices (writers', the deployment admin's) checked for their office line
    misnamed: int = 0  # ... of which did not start with theirs (or, one office, named one)
    terbit_home: int = 0  # 🌐 Terbit notices that reached their own writer
    terbit_astray: int = 0  # 🌐 Terbit notices in a writer's chat for another writer's item
    pages_home: int = 0  # completed flows with their page in their own office's site
    pages_missing: int = 0
    pages_foreign: int = 0  # pages of another office's item in an office's site
    flow_s_by_office: list[float] = field(default_factory=list)  # each office's median flow seconds
    calls_to: Counter = field(default_factory=Counter)  # chat-bound calls in the load, by whose chat
    #: The deployment admin's 🌐 Terbit notices (one per completed flow) received, and the last one's
    #: seconds after the last flow ended (None: some never came within the step timeout).
    admin_terbit: int = 0
    admin_lag_s: float | None = None
    #: Seconds from the approval (the jobs' creation) to: the site job done, the archive job done (the
    #: notices owed then), the writer's 🌐 Terbit sent; one list each, from the database.
    pipeline: tuple[list[float], list[float], list[float]] = field(default_factory=lambda: ([], [], []))
    load_avg: tuple[float, float] | None = None  # the machine's 1-minute load average at start and end


# --- set-up --------------------------------------------------------------------------------


def reencoded(photos: list[list[bytes]]) -> list[list[list[tuple[int, int, bytes]]]]:
    """The fake's re-encode of every photo (Pillow, ~0.1 s each), done once for all the runs."""
    return [[reencode_photo(b) for b in row] for row in photos]


def store_reencoded(tg: BenchTelegram, variants: list[tuple[int, int, bytes]]) -> list[StoredFile]:
    """``FakeTelegram.store_photo`` of a photo already re-encoded (``reencoded``)."""
    group = [tg.store_file("photo", blob, width=w, height=h) for w, h, blob in variants]
    for f in group:
        f.photo_group = group
    return group


def people(tg: BenchTelegram, offices: int, per_office: int) -> list[Office]:
    """The offices' people; writer j of office k has title index (k - 1) * per_office + j."""
    out = []
    for no in range(1, offices + 1):
        admin = (tg.user(DEPLOYMENT_ADMIN_ID, "Ani Admin", "ani") if no == 1
                 else tg.user(OFFICE_ADMIN_BASE + no, f"Admin {no:02d}", f"admin{no:02d}"))
        first = (no - 1) * per_office
        out.append(Office(
            no, admin,
            tg.user(KASUBBAG_BASE + no, f"Kasubbag {no:02d}", f"kasubbag{no:02d}"),
            tg.user(KEPALA_BASE + no, f"Kepala {no:02d}", f"kepala{no:02d}"),
            [(i, tg.user(WRITER_BASE + i, f"Penulis {i:03d}", f"penulis{i:03d}"))
             for i in range(first, first + per_office)]))
    return out


async def staff(drv: Driver, o: Office, timeout: float) -> None:
    """The office's admin adds the section and invites its Kasubbag, Kepala and writers."""
    await say(drv, o.admin, f"/bagian tambah {SECTION}", SECTION, timeout)
    await onboard(drv, o.admin, o.ks, "kasubbag", timeout)
    await onboard(drv, o.admin, o.kp, "kepala", timeout)
    await invite_writers(drv, o.admin, [w for _, w in o.writers], timeout, SECTION)


async def add_office(drv: Driver, deployment_admin: FakeUser, o: Office, timeout: float) -> str:
    """``/kantor tambah Kantor NN``: the office's slug (from the reply) and its admin's invitation code."""
    ev = await say(drv, deployment_admin, f"/kantor tambah {o.name}", CODE_RE.pattern, timeout)
    slug = re.search(r"folder ([a-z0-9-]+)", ev.text)
    if slug is None:
        raise RuntimeError(f"set-up: no folder in the reply to /kantor tambah {o.name}: {ev.text[:200]!r}")
    code = CODE_RE.search(ev.blob)
    if code is None:  # say() waited for it
        raise RuntimeError(f"set-up: no invitation link for {o.name}")
    o.slug = slug.group(1)
    return code.group(1)


async def join_and_staff(drv: Driver, o: Office, code: str, timeout: float) -> None:
    await say(drv, o.admin, f"/start {code}", "terdaftar", timeout)
    await staff(drv, o, timeout)


# --- one run --------------------------------------------------------------------------------


async def office_flow(drv: Driver, o: Office, i: int, w: FakeUser, photos: list) -> None:
    """load_bench's article flow for writer ``w`` of office ``o``, reviewed in that office."""
    t = time.monotonic()
    await writer_flow(drv, w, o.ks, o.kp, i, photos)
    o.done.add(i)
    if any("Terbit:" in e.text and title_of(i) in e.text for e in drv.tg.events[w.id]):
        o.flow_s.append(time.monotonic() - t)


async def run_offices(offices: int, per_office: int, args, variants: list) -> tuple[Stats, Apart, list[Office]]:
    n = offices * per_office
    label = f"{offices} office" + ("s" if offices > 1 else "")
    st, ap = Stats(label, n, UPDATES_PER_FLOW), Apart()
    load0 = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="terbit-offices-") as tmp:
        async with BenchTelegram(token=TOKEN, bot_username=BOT_USERNAME, flood_limit=args.flood_limit) as tg:
            proc, data, lag = terbit_process(tg, Path(tmp), OFFICE_NAME=office_name(1))
            those = people(tg, offices, per_office)
            try:
                stored = [[store_reencoded(tg, v) for v in row] for row in variants[:n]]
                await proc.start()
                st.startup_s = await proc.wait_ready(tg, args.startup_timeout)

                # staff the offices (untimed) -------------------------------------------------
                t_setup = time.monotonic()
                setup = Driver(tg, Stats("setup", 0, 1), args.step_timeout)
                to = args.step_timeout
                first = those[0]
                await say(setup, first.admin, "/start", ".", to)
                await staff(setup, first, to)
                codes = [await add_office(setup, first.admin, o, to) for o in those[1:]]
                await asyncio.gather(*(join_and_staff(setup, o, code, to) for o, code in zip(those[1:], codes)))
                await tg.quiet(0.5, 30)
                st.setup_s = time.monotonic() - t_setup

                # the load: every writer of every office at once ------------------------------
                await load_phase(tg, st, proc, lag, args, [
                    lambda d, o=o, i=i, w=w: office_flow(d, o, i, w, stored[i])
                    for o in those for i, w in o.writers], settle=lambda: admin_heard(tg, those, args, ap))
                count_recipients(tg, those, st.t0, time.monotonic(), ap)
                for o in those:
                    count_twice(tg, st, o.ks, o.kp, o.writers)
                find_stale(tg, st)
                check_chats(tg, those, ap)
                st.rss_kb = proc.status_kb("VmHWM")
            except Exception as e:
                st.errors.append(f"{type(e).__name__}: {e}")
            finally:
                await stop_bot(proc, st)
        read_db(st, data, None)
        check_pages(data, those, st, ap)
        read_pipeline(data, ap)
    ap.flow_s_by_office = [m for o in those if (m := pct(o.flow_s, 50)) is not None]
    ap.load_avg = (load0, os.getloadavg()[0])
    return st, ap, those


async def admin_heard(tg: BenchTelegram, offices: list[Office], args, ap: Apart) -> None:
    """After the flows: wait (at most the step timeout) until the deployment admin, an admin of every
    office, has each completed flow's 🌐 Terbit too (SOP step 7: the admins are told), so the calls
    counted include them; how many came, and how long after the last flow."""
    t_end = time.monotonic()
    want = {i for o in offices for i in o.done}

    def heard() -> int:
        return len({i for e in tg.events[DEPLOYMENT_ADMIN_ID] if e.kind == "send" and "Terbit:" in e.text
                    for i in titles_in(e.text) if i in want})

    while heard() < len(want) and time.monotonic() - t_end < args.step_timeout:
        await asyncio.sleep(0.2)
    ap.admin_terbit = heard()
    last = max((e.t for e in tg.events[DEPLOYMENT_ADMIN_ID] if e.kind == "send" and "Terbit:" in e.text),
               default=None)
    if ap.admin_terbit >= len(want):
        ap.admin_lag_s = max(0.0, last - t_end) if last is not None else 0.0


def read_pipeline(data: Path, ap: Apart) -> None:
    """approve -> site job done -> archive job done (the 🌐 Terbit owed) -> the writer's sent, from the
    database (the bot's own clock): where the approve->🌐 Terbit time goes."""
    def t(v: str | None) -> datetime | None:
        return datetime.fromisoformat(v) if v else None

    try:
        con = sqlite3.connect(f"file:{data / 'terbit.sqlite3'}?mode=ro", uri=True)
        try:
            jobs = con.execute("SELECT revision_id, stage, created_at, done_at FROM publication_jobs "
                               "WHERE operation = 'publish'").fetchall()
            sent = con.execute("SELECT key, sent_at FROM outgoing_messages WHERE key LIKE 'rev%:publish:done:%' "
                               "AND chat_id >= ?", (WRITER_BASE,)).fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return
    by: dict[int, dict[int, tuple[datetime | None, datetime | None]]] = {}
    for rev, stage, created, done in jobs:
        by.setdefault(rev, {})[stage] = (t(created), t(done))
    told = {int(key.split(":")[0][3:]): t(at) for key, at in sent}
    site, archive, writer = ap.pipeline
    for rev, stages in by.items():
        approved = min((c for c, _ in stages.values() if c is not None), default=None)
        if approved is None:
            continue
        if (done := stages.get(0, (None, None))[1]) is not None:
            site.append((done - approved).total_seconds())
        if (done := stages.get(max(stages), (None, None))[1]) is not None and max(stages) > 0:
            archive.append((done - approved).total_seconds())
        if (at := told.get(rev)) is not None:
            writer.append((at - approved).total_seconds())


# --- between offices ------------------------------------------------------------------------


def titles_in(text: str) -> set[int]:
    return {int(m) for m in TITLE_RE.findall(text)}


def check_chats(tg: BenchTelegram, offices: list[Office], ap: Apart) -> None:
    many = len(offices) > 1
    office_of = {i: o for o in offices for i, _ in o.writers}

    def named_right(o: Office, text: str) -> bool:
        return text.startswith(o.line) if many else not text.startswith("🏛")

    for o in offices:
        own = {i for i, _ in o.writers}
        # every flow's card at its own Kasubbag, and how the reviewers' cards name their office
        ks_cards, kp_cards = ([(e, i) for e in tg.events[chat] if e.kind == "send" and btn in e.buttons
                               for i in titles_in(e.text)]
                              for chat, btn in ((o.ks.id, BTN_FORWARD), (o.kp.id, BTN_APPROVE)))
        ap.cards_home += len({i for _, i in ks_cards if i in own})
        for e, i in ks_cards + kp_cards:
            if i in own:
                ap.named += 1
                ap.misnamed += 0 if named_right(o, e.text) else 1
        # nothing of another office's items in this office's people's chats
        roles = [("admin", o.admin), ("Kasubbag", o.ks), ("Kepala", o.kp), *(("penulis", w) for _, w in o.writers)]
        for role, person in roles:
            if person not in o.people():
                continue
            foreign = {i for e in tg.events[person.id] for i in titles_in(e.text) if i in office_of and i not in own}
            ap.seen_elsewhere[role] += len(foreign)
        # each 🌐 Terbit at its own writer only
        for i, w in o.writers:
            notices = [e for e in tg.events[w.id] if e.kind == "send" and "Terbit:" in e.text]
            mine = [e for e in notices if i in titles_in(e.text)]
            ap.terbit_home += 1 if mine else 0
            ap.terbit_astray += sum(1 for e in notices if titles_in(e.text) - {i})
            for e in mine[:1]:
                ap.named += 1
                ap.misnamed += 0 if named_right(o, e.text) else 1
    # the deployment admin, admin of every office, hears each office's 🌐 Terbit: named by its office
    for e in tg.events[DEPLOYMENT_ADMIN_ID]:
        if e.kind == "send" and "Terbit:" in e.text:
            for i in titles_in(e.text) & office_of.keys():
                ap.named += 1
                ap.misnamed += 0 if named_right(office_of[i], e.text) else 1
    ap.seen_elsewhere = +ap.seen_elsewhere


def count_recipients(tg: BenchTelegram, offices: list[Office], t0: float, t1: float, ap: Apart) -> None:
    """The load's chat-bound calls (as load_bench's count_calls) by whose chat they went to."""
    role = {o.ks.id: "Kasubbag" for o in offices} | {o.kp.id: "Kepala" for o in offices}
    role |= {w.id: "writer" for o in offices for _, w in o.writers}
    role |= {o.admin.id: "office admin" for o in offices[1:]} | {DEPLOYMENT_ADMIN_ID: "deployment admin"}
    for c in tg.all_calls:
        if t0 <= c.at <= t1 and c.method not in NOT_CHAT_BOUND and "chat_id" in c.params:
            try:
                ap.calls_to[role.get(int(c.params["chat_id"]), "other")] += 1
            except (TypeError, ValueError):
                ap.calls_to["other"] += 1


def check_pages(data: Path, offices: list[Office], st: Stats, ap: Apart) -> None:
    """Each office's site: its completed flows' pages, and none of another office's items."""
    office_of = {i: o for o in offices for i, _ in o.writers}
    total = 0
    for o in offices:
        folder = o.site(data)
        found: set[int] = set()
        for page in folder.glob("*/index.html") if folder.is_dir() else ():
            total += 1
            found |= {i for i in titles_in(page.read_text(errors="replace")) if i in office_of}
        own = {i for i, _ in o.writers}
        ap.pages_home += len(o.done & found)
        ap.pages_missing += len(o.done - found)
        ap.pages_foreign += len(found - own)
    st.pages = total


# --- report ---------------------------------------------------------------------------------


def met(ok: bool | None) -> str:
    return "-" if ok is None else ("met" if ok else "NOT met")


def report(offices: int, per_office: int, base: Stats, multi: Stats, ab: Apart, am: Apart, took: str) -> None:
    n = offices * per_office

    def apart(a: Apart, s: Stats) -> list[str]:
        done = s.flows_done
        return [
            f"{a.cards_home}/{s.n}",
            str(sum(a.seen_elsewhere.values())) + (
                f" ({', '.join(f'{k}×{v}' for k, v in a.seen_elsewhere.items())})" if a.seen_elsewhere else ""),
            f"{a.named - a.misnamed}/{a.named}",
            f"{a.terbit_home}/{done}",
            str(a.terbit_astray),
            f"{a.pages_home}/{done}",
            str(a.pages_missing),
            str(a.pages_foreign),
        ]

    def flow_spread(a: Apart) -> str:
        v = a.flow_s_by_office
        return f"{min(v):.1f}/{max(v):.1f}" if v else "-"

    def pipeline(a: Apart) -> str:
        return "/".join(fmt(pct(v, 50), ".1f") for v in a.pipeline) if any(a.pipeline) else "-"

    def admin(a: Apart, s: Stats) -> str:
        return f"{a.admin_terbit}/{s.flows_done}; {fmt(a.admin_lag_s, '.1f')}"

    def load(a: Apart) -> str:
        return f"{a.load_avg[0]:.1f}/{a.load_avg[1]:.1f}" if a.load_avg else "-"

    rows = [
        ("flows completed", f"{base.flows_done}/{n}", f"{multi.flows_done}/{n}", ""),
        ("updates/s", fmt(base.ups, ".1f"), fmt(multi.ups, ".1f"), ratio(multi.ups, base.ups)),
        ("update->reply ms p50/p95/p99", trio(base.reply_ms), trio(multi.reply_ms),
         "/".join(ratio(pct(multi.reply_ms, p), pct(base.reply_ms, p)) for p in (50, 95, 99))),
        ("callback answer ms p50/p99", trio(base.cb_ms, (50, 99)), trio(multi.cb_ms, (50, 99)),
         ratio(pct(multi.cb_ms, 50), pct(base.cb_ms, 50)) + " (p50)"),
        ("approve->🌐 Terbit ms p50/p95", trio(base.publish_ms, (50, 95)), trio(multi.publish_ms, (50, 95)),
         ratio(pct(multi.publish_ms, 50), pct(base.publish_ms, 50)) + " (p50)"),
        ("  approve->site->archive->writer's 🌐 sent s p50", pipeline(ab), pipeline(am), ""),
        ("deployment admin's 🌐 Terbit; last, s after flows", admin(ab, base), admin(am, multi), ""),
        ("flow s /baru->🌐 p50, best/worst office", flow_spread(ab), flow_spread(am), ""),
        ("chat-bound calls / flow", fmt(base.calls_per_flow, ".1f"), fmt(multi.calls_per_flow, ".1f"),
         ratio(multi.calls_per_flow, base.calls_per_flow)),
        ("chat-bound calls / update", fmt(base.calls_per_update, ".2f"), fmt(multi.calls_per_update, ".2f"), ""),
        ("ceiling 30/(calls/upd) upd/s", fmt(base.ceiling, ".1f"), fmt(multi.ceiling, ".1f"), ""),
        ("throughput % of ceiling", cell_ceiling(base), cell_ceiling(multi), ""),
        ("bot CPU ms / update", cell_cpu(base), cell_cpu(multi), ratio(cpu_ms(multi), cpu_ms(base))),
        ("worst loop stall ms (load); >=50 ms", cell_stall(base), cell_stall(multi),
         ratio(worst_stall(multi), worst_stall(base), ".1f")),
        ("peak RSS MB", fmt(base.rss_kb / 1024 if base.rss_kb else None, ".0f"),
         fmt(multi.rss_kb / 1024 if multi.rss_kb else None, ".0f"), ratio(multi.rss_kb, base.rss_kb)),
        ("start-up s (spawn->getUpdates)", fmt(base.startup_s, ".2f"), fmt(multi.startup_s, ".2f"), ""),
        ("machine load avg (1 min) start/end", load(ab), load(am), ""),
        ("updates lost / sent", cell_lost(base), cell_lost(multi), ""),
        ("flows stuck (no button/deadline)", cell_stuck(base), cell_stuck(multi), ""),
        ("callbacks unanswered", str(base.cb_unanswered), str(multi.cb_unanswered), ""),
        ("replies lost (cards, 🌐, press msgs)", cell_notices(base), cell_notices(multi), ""),
        ("press msg >30s after answer", cell_late(base), cell_late(multi), ""),
        ("replies sent twice (cards, 🌐)", cell_twice(base), cell_twice(multi), ""),
        ("decided cards still with buttons", cell_stale(base), cell_stale(multi), ""),
        ("failed Bot API calls", cell_failed(base), cell_failed(multi), ""),
        ("decisions recorded twice", fmt(base.dup_decisions, "d"), fmt(multi.dup_decisions, "d"), ""),
        ("published pages (all sites)", f"{fmt(base.pages, 'd')} (expect {base.flows_done})",
         f"{fmt(multi.pages, 'd')} (expect {multi.flows_done})", ""),
    ]
    names = ("card at own office's Kasubbag", "items seen by another office's people",
             "cards & 🌐 naming their office", "🌐 Terbit at its own writer", "🌐 Terbit in another's chat",
             "page in own office's site", "pages missing", "pages of another office's item")
    rows += [(k, b, m, "") for k, b, m in zip(names, apart(ab, base), apart(am, multi))]
    if base.flood_refused or multi.flood_refused:
        rows.append(("429 from --flood-limit", str(base.flood_refused), str(multi.flood_refused), ""))

    def phase(s: Stats) -> str:
        return fmt(s.t_last - s.t0 if s.t_last else None, ".1f")

    head = (f"{offices} offices x {per_office} writer(s) vs 1 office x {n} writers ({took}); "
            f"{UPDATES_PER_FLOW} updates per flow; load phase {phase(base)}s / {phase(multi)}s; "
            f"set-up (untimed) {fmt(base.setup_s, '.1f')}s / {fmt(multi.setup_s, '.1f')}s; "
            f"stop (SIGINT -> exit) {fmt(base.stop_s, '.1f')}s / {fmt(multi.stop_s, '.1f')}s")
    print_table(head, ("1 office", f"{offices} offices", f"{offices} offices/1"), rows)
    for s, a in ((base, ab), (multi, am)):
        print_calls(s.who, s, 40)
        if s.flows_done:
            print(f"{s.who} calls / flow by recipient:".ljust(40) + " "
                  + " · ".join(f"{k} {v / s.flows_done:.2f}" for k, v in a.calls_to.most_common()))
    for s in (base, multi):
        print_steps(s.who, s)

    # the issue's goals, against what ran
    p95 = pct(multi.reply_ms, 95)
    cpf, share = multi.calls_per_flow, share_of_ceiling(multi)
    worse = [p for p in (50, 95, 99) if (pct(multi.reply_ms, p) or 0) > (pct(base.reply_ms, p) or float("inf"))]
    same_reply = None if not multi.reply_ms or not base.reply_ms else not worse
    cpu_m, cpu_b = cpu_ms(multi), cpu_ms(base)
    cpu_r = cpu_m / cpu_b if cpu_m is not None and cpu_b else None
    print(f"goals (issue 20; stated for 30 x 1 and 30 x 10 vs 1 x 300; this is {offices} x {per_office} "
          f"vs 1 x {n}):")
    print(f"  1. update->reply p95 with {offices} offices: {fmt(p95)} ms (<= {GOAL_P95_MS:.0f} ms): "
          f"{met(None if p95 is None else p95 <= GOAL_P95_MS)}")
    print(f"  2. calls / flow {fmt(cpf, '.1f')} (<= {GOAL_CALLS_PER_FLOW:.0f}): "
          f"{met(None if cpf is None else cpf <= GOAL_CALLS_PER_FLOW)}; throughput {fmt(share, '.0f')} % of the "
          f"ceiling (>= {GOAL_SHARE:.0f} %): {met(None if share is None else share >= GOAL_SHARE)}; reply "
          f"p50/p95/p99 no worse than 1 office's: {met(same_reply)}"
          + (f" (worse at p{', p'.join(map(str, worse))})" if worse else ""))
    print(f"  3. bot CPU ms / update {cell_cpu(multi)} vs {cell_cpu(base)}: x{fmt(cpu_r, '.2f')} "
          f"(<= x{GOAL_CPU_RATIO:.2f}): {met(None if cpu_r is None else cpu_r <= GOAL_CPU_RATIO)}")
    for s in (base, multi):
        for e in s.errors:
            print(f"! {s.who}: {e}")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--offices", type=int, default=None, help="K offices at once (default 30; --quick 5)")
    ap.add_argument("--writers-per-office", default=None,
                    help="comma-separated W: K x W writers vs 1 office x K*W writers (default 1,10; --quick 2)")
    ap.add_argument("--quick", action="store_true", help="5 offices x 2 writers vs 1 office x 10 (about a minute)")
    add_run_options(ap)
    args = ap.parse_args(argv)
    offices = args.offices if args.offices is not None else (5 if args.quick else 30)
    spec = args.writers_per_office or ("2" if args.quick else "1,10")
    per = [int(x) for x in spec.split(",") if x.strip()]
    if offices < 2 or not per or min(per) < 1:
        ap.error("--offices must be at least 2 and every writers-per-office at least 1")
    if args.step_timeout is None:
        args.step_timeout = 60.0 if args.quick else 300.0
    if args.deadline is None:
        args.deadline = 150.0 if args.quick else 1500.0

    import telegram

    t = time.perf_counter()
    n_max = offices * max(per)
    variants = reencoded(make_photos(n_max))
    print(f"python-telegram-bot {telegram.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s); "
          f"ran {', '.join(f'{offices} x {w} vs 1 x {offices * w}' for w in per)} (offices x writers each; the "
          f"issue's: 30 x 1, and 30 x 10 vs 1 x 300); step timeout {args.step_timeout:.0f}s, load deadline "
          f"{args.deadline:.0f}s; fake flood limit "
          f"{'off (the fake has none)' if not args.flood_limit else f'{args.flood_limit}/s'}; "
          f"{3 * n_max} photos built and re-encoded in {time.perf_counter() - t:.1f}s")
    sys.stdout.flush()
    quick = "--quick; " if args.quick else ""

    async def go() -> None:
        for w in per:
            t0 = time.perf_counter()
            base, ab, _ = await run_offices(1, offices * w, args, variants)
            multi, am, _ = await run_offices(offices, w, args, variants)
            report(offices, w, base, multi, ab, am, f"{quick}both runs {time.perf_counter() - t0:.0f}s")

    t = time.perf_counter()
    asyncio.run(go())
    print(f"total {time.perf_counter() - t:.0f}s")


if __name__ == "__main__":
    main()

