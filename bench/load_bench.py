"""Load benchmark: Terbit vs a bare PTB echo bot on the fake Bot API (run: ``python -m bench.load_bench``).

For each N in ``--writers`` (``--quick``: only 10) two real processes are
driven, one after the other, each against its own fresh ``FakeTelegram``
(tests/fakebot, in this process, 127.0.0.1 only):

* **bare**: ``bench/bare_echo_bot.py`` (PTB 22, AIORateLimiter, 64 concurrent
  updates).  N users each send 12 texts, closed loop (the next one only after
  the echo), then press the echo's button once (13 updates per user; the
  press gives the baseline callback-answer latency);
* **terbit**: ``python -m bot`` with DATA_DIR in a temp dir.  An admin, one
  Kasubbag, one Kepala and N+1 writers are staffed the way an office does it
  (``/bagian tambah Humas``, ``/undang ...`` -> deep link -> ``/start <code>``;
  untimed).  Then the N writers run at once, each closed loop: /baru ->
  "📝 Artikel" -> title -> "✍️ Tulis bebas" -> body -> 3 photos -> "✅ Selesai,
  lihat pratinjau" -> "✅ Ajukan ke Kasubbag"; the Kasubbag presses "✅ Teruskan
  ke Kepala" on that item's card, the Kepala "✅ Setujui & Terbitkan"
  (12 updates per flow), then the writer waits for the "🌐 Terbit" notice.
  After the load: a second Kasubbag joins, the spare writer submits one more
  article and both Kasubbags press its card in the same instant (race).

Measured (all clocks are this process's ``time.monotonic``):

* update->reply: from enqueueing the update to the first bot message (sent or
  edited) in that chat after the bot fetched it (getUpdates).  Reviewers'
  chats carry every item's cards, so there only the pressed card or a message
  naming the item counts.  A writer's next step waits for that reply (and, for
  a press, the callback answer) or, where the flow needs one, the message
  with the next button;
* callback answer: press -> ``answerCallbackQuery`` for that query seen;
* approve -> "🌐 Terbit": the Kepala's press -> the notice in the writer's chat;
* updates/s: updates answered / (last answer - load start);
* chat-bound calls: requests carrying a ``chat_id`` (sendMessage, sendPhoto,
  sendMediaGroup, editMessage*, sendChatAction, ...; not getUpdates / getFile /
  answerCallbackQuery / getMe) from load start until the bot went quiet,
  per completed flow; the Telegram ceiling is 30 / (chat-bound calls per
  update) updates/s (Telegram's ~30 messages/s per bot);
* loop stalls: both bots run under ``bench/loop_probe.py``, which times every callback of
  the asyncio event loop; the worst one during the load phase (and how many held the loop
  50 ms or more) is printed, with where Terbit's worst ones were;
* a press while another person's first GPS photo is previewed: before the load, in the
  fresh process (nothing loaded yet), one writer drafts an article and sends a photo as a
  file with GPS EXIF, then opens the preview (which names the town), while another person
  presses a button again and again (closed loop, 10 ms apart); for the bare bot the second
  person presses while the first sends texts.  Printed: that person's answer p50 / max and
  how many took over 100 ms;
* peak RSS (``VmHWM``) and CPU time (utime+stime) of the bot process from
  /proc; start-up = process start -> its first getUpdates seen by the fake;
* correctness: updates lost (neither a message nor a callback answer within
  ``--step-timeout``; the writer's flow stops there), review cards / Terbit
  notices never received, failed Bot API calls, decisions recorded twice
  (``audit_events``: one submission, one action, more than one row), pages in
  DATA_DIR/site/artikel/.

The fake has no flood control of its own; ``--flood-limit 30`` makes this
bench's subclass answer 429 (retry after 1) above 30 chat-bound calls/s.
Nothing is asserted on times; a step the bot does not answer is recorded and
that writer stops, the others carry on, and every phase is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import re
import signal
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import ImageDraw

from bench.media_bench import photo_like
from tests.fakebot.server import ApiError, FakeTelegram
from tests.fakebot.users import FakeUser
from tests.media.media_factories import jpeg_with_exif_gps

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "424242:BenchLoadToken"
BOT_USERNAME = "terbit_load_bot"
ADMIN_ID, KASUBBAG_ID, KASUBBAG2_ID, KEPALA_ID, SPARE_WRITER_ID, GPS_WRITER_ID = 9001, 2001, 2002, 3001, 1000, 1001
WRITER_BASE = 100_000
BARE_BASE = 500_000
UPDATES_PER_FLOW = 12
BARE_TEXTS = 12
CEILING_CALLS_PER_S = 30.0
#: The other person's presses while a writer's first GPS photo is previewed: at least this many, this far apart.
BYSTANDER_PRESSES, BYSTANDER_GAP = 60, 0.01
#: A stall of the event loop the bench counts (ms); the probe records from 20 ms.
STALL_MS = 50.0
#: After a press was answered, how long its message (edit or new) may still take before it counts as missing.
REPLY_AFTER_ANSWER = 30.0

BTN_ARTICLE = "📝 Artikel"
BTN_FREE = "✍️ Tulis bebas"
BTN_DONE = "✅ Selesai, lihat pratinjau"
BTN_SUBMIT = "✅ Ajukan ke Kasubbag"
BTN_FORWARD = "✅ Teruskan ke Kepala"
BTN_APPROVE = "✅ Setujui & Terbitkan"
BTN_ECHO = "🔁 Lagi"

BODY = (
    "Kegiatan sosialisasi keterbukaan informasi publik diikuti oleh seluruh pegawai dan perwakilan "
    "masyarakat di aula kantor, dengan tanya jawab yang hidup.\n\n"
    "Peserta menyampaikan usulan agar jadwal layanan informasi diumumkan lebih awal melalui kanal resmi, "
    "dan panitia mencatat seluruh masukan untuk rapat evaluasi berikutnya."
)
NOT_CHAT_BOUND = {"getUpdates", "getFile", "answerCallbackQuery", "getMe"}
CHAT_BOUND_METHODS = {
    "sendMessage", "sendPhoto", "sendDocument", "sendAudio", "sendVoice", "sendVideo", "sendMediaGroup",
    "sendChatAction", "editMessageText", "editMessageReplyMarkup", "editMessageCaption", "deleteMessage",
    "copyMessage",
}


def title_of(i: int) -> str:
    return f"Rapat Koordinasi Humas Penulis {i:03d} Tahun 2027"


# --- the fake, instrumented ------------------------------------------------------------


@dataclass
class Ev:
    t: float
    kind: str  # send | edit
    message_id: int
    text: str
    blob: str  # text + html + button labels/data, for searching
    buttons: tuple[str, ...]


class BenchTelegram(FakeTelegram):
    """The project's fake, plus: a timestamped log of every bot message (sent or edited) per chat,
    callback answers by query id, the first getUpdates, and optional flood control."""

    def __init__(self, *a, flood_limit: int = 0, **kw):
        super().__init__(*a, **kw)
        self.first_poll_at: float | None = None
        self.delivered_at: dict[int, float] = {}  # update_id -> when a getUpdates answer carried it
        self.last_enqueued: int | None = None
        self.events: dict[int, list[Ev]] = defaultdict(list)
        self._chat_wake: dict[int, asyncio.Event] = {}
        self.answered: dict[str, tuple[float, str | None]] = {}
        self._answer_waiters: dict[str, asyncio.Future] = {}
        self.flood_limit = flood_limit
        self._window: deque[float] = deque()
        self.flood_refused = 0

    # hooks ------------------------------------------------------------------------------
    def _record(self, chat_id: int, kind: str, msg) -> None:
        labels = tuple(t for t in msg.button_texts if t)
        data = " ".join(str(d) for row in msg.buttons for _, d in row if d)
        self.events[chat_id].append(Ev(time.monotonic(), kind, msg.message_id, msg.text or "",
                                       f"{msg.text or ''} {msg.html or ''} {' '.join(labels)} {data}", labels))
        ev = self._chat_wake.pop(chat_id, None)
        if ev is not None:
            ev.set()

    def add_message(self, chat, *, from_bot, kind, sender=None, **fields):
        msg = super().add_message(chat, from_bot=from_bot, kind=kind, sender=sender, **fields)
        if from_bot:
            self._record(chat.id, "send", msg)
        return msg

    def _apply_edit(self, msg, **kw):
        out = super()._apply_edit(msg, **kw)
        self._record(msg.chat.id, "edit", msg)
        return out

    async def _m_answerCallbackQuery(self, p):
        out = await super()._m_answerCallbackQuery(p)
        qid = p.str("callback_query_id") or ""
        self.answered[qid] = (time.monotonic(), p.str("text"))
        fut = self._answer_waiters.pop(qid, None)
        if fut is not None and not fut.done():
            fut.set_result(self.answered[qid])
        return out

    async def _m_getUpdates(self, p):
        if self.first_poll_at is None:
            self.first_poll_at = time.monotonic()
        batch = await super()._m_getUpdates(p)
        now = time.monotonic()
        for u in batch:
            self.delivered_at.setdefault(u["update_id"], now)
        return batch

    def enqueue_update(self, kind, payload):
        update = super().enqueue_update(kind, payload)
        self.last_enqueued = update["update_id"]
        return update

    def _maybe_fail(self, method: str) -> None:
        super()._maybe_fail(method)
        if self.flood_limit and method in CHAT_BOUND_METHODS:
            now = time.monotonic()
            while self._window and now - self._window[0] >= 1.0:
                self._window.popleft()
            if len(self._window) >= self.flood_limit:
                self.flood_refused += 1
                raise ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
            self._window.append(now)

    # waiting ----------------------------------------------------------------------------
    async def wait_event(self, chat_id: int, start: int, pred: Callable[[Ev], Any], timeout: float
                         ) -> Ev | None:
        """The first event in ``chat_id`` at index >= ``start`` matching ``pred``, or None on timeout."""
        deadline = time.monotonic() + timeout
        i = start
        while True:
            evs = self.events[chat_id]
            while i < len(evs):
                if pred(evs[i]):
                    return evs[i]
                i += 1
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            wake = self._chat_wake.get(chat_id)
            if wake is None:
                wake = self._chat_wake[chat_id] = asyncio.Event()
            try:
                await asyncio.wait_for(wake.wait(), left)
            except TimeoutError:
                pass

    async def wait_answer(self, qid: str, timeout: float) -> tuple[float, str | None] | None:
        if qid in self.answered:
            return self.answered[qid]
        fut = self._answer_waiters.setdefault(qid, asyncio.get_running_loop().create_future())
        try:
            return await asyncio.wait_for(asyncio.shield(fut), timeout)
        except TimeoutError:
            return None

    async def quiet(self, seconds: float, limit: float) -> None:
        """Until no bot API request for ``seconds`` (at most ``limit`` seconds)."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            if self._inflight == 0 and time.monotonic() - self._last_activity >= seconds:
                return
            await asyncio.sleep(0.1)


def send_stored_photo(user: FakeUser, group) -> None:
    """``FakeUser.send_photo`` without the re-encode (done at set-up, so not in the timed loop)."""
    user._send("photo", media={"photo": [f.photo_size_dict() for f in group]}, files=group)


# --- measurements ----------------------------------------------------------------------


@dataclass
class Stats:
    who: str
    n: int
    per_flow: int
    sent: int = 0
    answered: int = 0
    reply_ms: list[float] = field(default_factory=list)
    cb_ms: list[float] = field(default_factory=list)
    publish_ms: list[float] = field(default_factory=list)
    presses: int = 0
    cb_unanswered: int = 0
    lost: Counter = field(default_factory=Counter)  # step -> updates lost there
    stuck: Counter = field(default_factory=Counter)  # step -> flows that could not go on (no button etc.)
    notices_lost: Counter = field(default_factory=Counter)
    flows_done: int = 0
    t0: float = 0.0
    t_last: float = 0.0
    calls: Counter = field(default_factory=Counter)
    failed_calls: Counter = field(default_factory=Counter)
    cpu_s: float | None = None
    rss_kb: int | None = None
    startup_s: float | None = None
    setup_s: float | None = None
    stop_s: float | None = None
    dup_decisions: int | None = None
    pages: int | None = None
    race: str | None = None
    flood_refused: int = 0
    pressed_cards: list = field(default_factory=list)  # (chat id, message id, decision button, label)
    stale_cards: Counter = field(default_factory=Counter)  # decided, yet still offering the decision button
    twice: Counter = field(default_factory=Counter)  # review cards / notices delivered more than once
    late: Counter = field(default_factory=Counter)  # step -> press messages later than REPLY_AFTER_ANSWER
    no_reply: Counter = field(default_factory=Counter)  # step -> presses answered but no message in the chat
    by_step: dict = field(default_factory=lambda: defaultdict(list))  # step -> reply ms
    wall_step: dict = field(default_factory=lambda: defaultdict(list))  # step -> ms until the flow could go on
    errors: list[str] = field(default_factory=list)
    stalls: list = field(default_factory=list)  # (ms, where) of loop stalls in the load phase
    bystander_ms: list[float] = field(default_factory=list)  # presses while another's first GPS photo is previewed
    side_stalls: list = field(default_factory=list)  # loop stalls meanwhile

    @property
    def ups(self) -> float | None:
        span = self.t_last - self.t0
        return self.answered / span if self.answered and span > 0 else None

    @property
    def calls_per_flow(self) -> float | None:
        return sum(self.calls.values()) / self.flows_done if self.flows_done else None

    @property
    def calls_per_update(self) -> float | None:
        c = self.calls_per_flow
        return c / self.per_flow if c is not None else None

    @property
    def ceiling(self) -> float | None:
        c = self.calls_per_update
        return CEILING_CALLS_PER_S / c if c else None


class StepFailed(Exception):
    pass


def pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]


class Driver:
    """Closed-loop steps: enqueue an update, wait for the bot's answer, record it."""

    def __init__(self, tg: BenchTelegram, stats: Stats, timeout: float):
        self.tg, self.st, self.timeout = tg, stats, timeout
        self.stop_at = float("inf")  # the load deadline: no step starts, no wait lasts beyond it
        #: presses answered whose message had not come when the flow went on: (step, chat, start, pred, t0, waited)
        self.deferred: list[tuple] = []

    def resolve_deferred(self) -> None:
        """After the load: find the messages of answered presses in the log (late, or never sent)."""
        for what, chat, start, pred, t0, waited in self.deferred:
            ev = next((e for e in self.tg.events[chat][start:] if pred(e)), None)
            if ev is None:
                self.st.no_reply[what] += 1
                continue
            self.st.reply_ms.append((ev.t - t0) * 1e3)
            self.st.by_step[what].append((ev.t - t0) * 1e3)
            if waited:
                self.st.late[what] += 1
        self.deferred.clear()

    def left(self) -> float:
        """How long a wait may last: the step timeout, cut at the deadline."""
        return max(0.0, min(self.timeout, self.stop_at - time.monotonic()))

    def over(self) -> bool:
        return time.monotonic() >= self.stop_at

    def _answered(self, t: float) -> None:
        self.st.answered += 1
        self.st.t_last = max(self.st.t_last, t)

    async def step(self, user: FakeUser, what: str, do: Callable[[], Awaitable[Any] | Any], *,
                   press: bool = False, expect_reply: bool = True, wait_reply: bool = True,
                   reply_ok: Callable[[Ev], bool] = lambda e: True,
                   need_button: str | None = None) -> Ev | None:
        """Run one update.  Returns the event carrying ``need_button`` (or the reply).

        A press is done when answered and its message came (``wait_reply``; at most REPLY_AFTER_ANSWER after
        the answer) or, with ``wait_reply=False``, when answered; a message still missing then is looked for
        after the load (``resolve_deferred``), so it counts late or lost without holding the flow up.

        Raises StepFailed when the update is never answered (counted lost) or the flow cannot go on.
        """
        if self.over():
            self.st.stuck[f"{what} (deadline)"] += 1
            raise StepFailed(f"{what}: deadline")
        chat = user.id
        start = len(self.tg.events[chat])
        t0 = time.monotonic()
        try:
            res = do()
            if asyncio.iscoroutine(res):
                res = await res
        except AssertionError as e:  # the button to press is not there
            self.st.stuck[what] += 1
            raise StepFailed(f"{what}: {str(e).splitlines()[0][:120]}") from None
        self.st.sent += 1
        uid = self.tg.last_enqueued

        def is_reply(e: Ev) -> bool:  # nothing the bot sent before it fetched this update can answer it
            return e.t >= self.tg.delivered_at.get(uid, float("inf")) and reply_ok(e)

        reply_w = asyncio.ensure_future(self.tg.wait_event(chat, start, is_reply, self.left() if expect_reply else 0))
        answer = None
        try:
            if press:
                self.st.presses += 1
                answer = await self.tg.wait_answer(res, self.left())
                if answer is None:
                    self.st.cb_unanswered += 0 if self.over() else 1
                else:
                    self.st.cb_ms.append((answer[0] - t0) * 1e3)
            if answer is not None:  # answered: don't sit out the whole timeout for its message
                bound = answer[0] + (REPLY_AFTER_ANSWER if wait_reply else 0.0) - time.monotonic()
                if bound > 0:
                    await asyncio.wait({reply_w}, timeout=bound)
                else:
                    await asyncio.sleep(0)
                reply = reply_w.result() if reply_w.done() else None
            else:
                reply = await reply_w
        finally:
            reply_w.cancel()
        if reply is not None:
            self.st.reply_ms.append((reply.t - t0) * 1e3)
            self.st.by_step[what].append((reply.t - t0) * 1e3)
        elif expect_reply and answer is not None:
            self.deferred.append((what, chat, start, is_reply, t0, wait_reply))
            if wait_reply and os.environ.get("LOAD_BENCH_DEBUG"):
                evs = self.tg.events[chat][start:]
                print(f"DEBUG {user.first_name} {what}: answered {answer}, no reply; events since: "
                      f"{[(round((e.t - t0) * 1e3), e.kind, e.message_id, e.text[:50]) for e in evs]}", file=sys.stderr)
        if reply is None and answer is None:
            self.st.lost[f"{what} (deadline)" if self.over() else what] += 1
            raise StepFailed(f"{what}: no answer within {self.timeout:.0f}s")
        self._answered(min(x for x in (reply.t if reply else None, answer[0] if answer else None) if x))
        if need_button is not None:
            ev = await self.tg.wait_event(chat, start, lambda e: need_button in e.buttons, self.left())
            if ev is None:
                self.st.stuck[f"{what} (deadline)" if self.over() else what] += 1
                raise StepFailed(f"{what}: no message with {need_button!r}")
        else:
            ev = reply
        self.st.wall_step[what].append((time.monotonic() - t0) * 1e3)
        return ev


# --- processes -------------------------------------------------------------------------


class BotProcess:
    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path, log: Path):
        self.argv, self.env, self.cwd, self.log = argv, env, cwd, log
        self.proc: asyncio.subprocess.Process | None = None
        self.t_spawn = 0.0

    async def start(self) -> None:
        out = open(self.log, "ab")
        self.t_spawn = time.monotonic()
        self.proc = await asyncio.create_subprocess_exec(*self.argv, cwd=str(self.cwd), env=self.env,
                                                         stdout=out, stderr=out)
        out.close()

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    def status_kb(self, key: str) -> int | None:
        try:
            for line in open(f"/proc/{self.proc.pid}/status"):
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        except (OSError, AttributeError):
            return None
        return None

    def cpu_s(self) -> float | None:
        try:
            fields = open(f"/proc/{self.proc.pid}/stat").read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, AttributeError, IndexError, ValueError):
            return None

    async def wait_ready(self, tg: BenchTelegram, timeout: float) -> float:
        end = time.monotonic() + timeout
        while tg.first_poll_at is None:
            if not self.alive:
                raise RuntimeError(f"bot exited with {self.proc.returncode}:\n{self.tail()}")
            if time.monotonic() > end:
                raise RuntimeError(f"no getUpdates within {timeout:.0f}s:\n{self.tail()}")
            await asyncio.sleep(0.01)
        return tg.first_poll_at - self.t_spawn

    async def stop(self) -> None:
        if not self.alive:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(self.proc.wait(), 20)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()

    def tail(self, n: int = 12) -> str:
        try:
            lines = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join("    " + line for line in lines[-n:])


def tracebacks(log: Path) -> list[str]:
    """The bot log's tracebacks, summarised: how many, and the distinct exception lines."""
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return []
    found: Counter = Counter()
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            j = i + 1
            while j < len(lines) and (lines[j].startswith((" ", "\t")) or not lines[j].strip()):
                j += 1
            found[lines[j][:200] if j < len(lines) else "?"] += 1
    return [f"bot log: {c} traceback(s) ending in: {exc}" for exc, c in found.most_common(3)]


def bot_env(tg: BenchTelegram, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update({"TELEGRAM_BOT_TOKEN": tg.token, "TELEGRAM_API_URL": tg.base_url,
                "TELEGRAM_FILE_URL": tg.base_file_url, "PYTHONPATH": str(ROOT)})
    env.update(extra)
    return env


def probed(module: str) -> list[str]:
    """``python -m <module>`` under the loop-lag probe (bench/loop_probe.py)."""
    return [sys.executable, "-m", "bench.loop_probe", module]


def read_stalls(path: Path, t0: float, t1: float) -> list[tuple[float, str]]:
    """The probe's stalls that started in [t0, t1]: (ms, where)."""
    out = []
    try:
        for line in path.read_text(errors="replace").splitlines():
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if t0 <= r["t"] <= t1:
                out.append((float(r["ms"]), str(r["where"])))
    except OSError:
        pass
    return out


async def bystander(tg: BenchTelegram, press: Callable[[], Awaitable[str]], busy: asyncio.Future) -> list[float]:
    """Press again and again (closed loop, BYSTANDER_GAP apart) until ``busy`` is done and at least
    BYSTANDER_PRESSES were answered; the answer times in ms."""
    out: list[float] = []
    while len(out) < BYSTANDER_PRESSES or not busy.done():
        t = time.monotonic()
        answer = await tg.wait_answer(await press(), 30)
        if answer is None:
            break
        out.append((answer[0] - t) * 1e3)
        await asyncio.sleep(BYSTANDER_GAP)
    return out


def count_calls(tg: BenchTelegram, st: Stats, t0: float, t1: float) -> None:
    for c in tg.all_calls:
        if not (t0 <= c.at <= t1):
            continue
        if c.ok is False:
            st.failed_calls[f"{c.method} {c.error_code}"] += 1
        if c.method not in NOT_CHAT_BOUND and "chat_id" in c.params:
            st.calls[c.method] += 1


async def run_users(tasks: list[asyncio.Task], drv: Driver, st: Stats) -> None:
    """Wait for all flows; they stop by themselves at ``drv.stop_at``.  Stragglers are cancelled."""
    if not tasks:
        return
    _done, pending = await asyncio.wait(tasks, timeout=max(0.0, drv.stop_at - time.monotonic()) + 10)
    if drv.over():
        st.errors.append(f"load deadline hit after {drv.stop_at - st.t0:.0f}s; flows cut short are counted above")
    for _ in range(20):  # a cancel can be swallowed by asyncio.wait_for on 3.11: repeat until they are gone
        if not pending:
            break
        for t in pending:
            t.cancel()
        _done, pending = await asyncio.wait(pending, timeout=0.5)
    if pending:
        st.errors.append(f"{len(pending)} flow(s) would not stop")
    crashed = Counter(f"{type(t.exception()).__name__}: {t.exception()}"[:200] for t in tasks
                      if t.done() and not t.cancelled() and t.exception() is not None)
    st.errors.extend(f"{c} flow(s) ended by a driver error: {e}" for e, c in crashed.items())


# --- bare echo bot ---------------------------------------------------------------------


async def run_bare(n: int, args) -> Stats:
    st = Stats("bare", n, BARE_TEXTS + 1)
    with tempfile.TemporaryDirectory(prefix="terbit-load-bare-") as tmp:
        async with BenchTelegram(token=TOKEN, bot_username=BOT_USERNAME, flood_limit=args.flood_limit) as tg:
            lag = Path(tmp) / "lag.jsonl"
            proc = BotProcess(probed("bench.bare_echo_bot"), bot_env(tg, LOOP_PROBE_FILE=str(lag)), Path(tmp),
                              Path(tmp) / "bot.log")
            try:
                await proc.start()
                st.startup_s = await proc.wait_ready(tg, args.startup_timeout)
                users = [tg.user(BARE_BASE + i, f"Pengguna {i}", f"pengguna{i}") for i in range(n)]
                drv = Driver(tg, st, args.step_timeout)
                # the bystander: one person presses while another sends texts (as Terbit's GPS preview, below)
                a, b = tg.user(BARE_BASE - 1, "Pengirim", "pengirim"), tg.user(BARE_BASE - 2, "Penekan", "penekan")
                side = Driver(tg, Stats("side", 0, 1), args.step_timeout)
                echo = await side.step(b, "echo", lambda: b.send_text("tombol"))

                async def texts() -> None:
                    for k in range(8):
                        await side.step(a, "text", lambda k=k: a.send_text(f"Pesan {k}"))

                busy = asyncio.ensure_future(texts())
                st.bystander_ms = await bystander(tg, lambda: b.press(echo.message_id, BTN_ECHO), busy)
                await busy
                await tg.quiet(0.5, 10)

                async def flow(i: int, u: FakeUser) -> None:
                    try:
                        ev = None
                        for k in range(BARE_TEXTS):
                            ev = await drv.step(u, f"text{k + 1}", lambda k=k: u.send_text(f"Pesan {k + 1} dari {i}"))
                        await drv.step(u, "press", lambda: u.press(ev.message_id, BTN_ECHO), press=True,
                                       expect_reply=False)
                        st.flows_done += 1
                    except StepFailed:
                        pass

                cpu0 = proc.cpu_s()
                st.t0 = time.monotonic()
                drv.stop_at = st.t0 + args.deadline
                tasks = [asyncio.ensure_future(flow(i, u)) for i, u in enumerate(users)]
                await run_users(tasks, drv, st)
                await tg.quiet(1.0, 15)
                count_calls(tg, st, st.t0, time.monotonic())
                st.stalls = read_stalls(lag, st.t0, time.monotonic())
                cpu1 = proc.cpu_s()
                st.cpu_s = cpu1 - cpu0 if cpu0 is not None and cpu1 is not None else None
                st.rss_kb = proc.status_kb("VmHWM")
                st.flood_refused = tg.flood_refused
            except Exception as e:
                st.errors.append(f"{type(e).__name__}: {e}")
            finally:
                t = time.monotonic()
                await proc.stop()
                st.stop_s = time.monotonic() - t
    return st


# --- Terbit ----------------------------------------------------------------------------


def make_photos(count: int) -> list[list[bytes]]:
    """``count`` x 3 distinct photo-like 1280x960 JPEGs (a unique block per photo)."""
    bases = [photo_like(1280, 960, seed=11 * k) for k in range(3)]
    out = []
    for i in range(count):
        row = []
        for k, base in enumerate(bases):
            im = base.copy()
            d = ImageDraw.Draw(im)
            d.rectangle((40 + (i % 50) * 20, 40 + k * 60, 140 + (i % 50) * 20, 90 + k * 60),
                        fill=((i * 37) % 256, (i * 91 + k * 50) % 256, (k * 80) % 256))
            d.text((60, 800), f"writer {i} photo {k}", fill=(255, 255, 255))
            buf = io.BytesIO()
            im.save(buf, "JPEG", quality=85)
            row.append(buf.getvalue())
        out.append(row)
    return out


async def say(drv: Driver, user: FakeUser, text: str, expect: str, timeout: float) -> Ev:
    """Set-up helper (not in the stats): send ``text`` and wait for a bot message matching ``expect``."""
    start = len(drv.tg.events[user.id])
    await user.send_text(text)
    ev = await drv.tg.wait_event(user.id, start, lambda e: re.search(expect, e.blob), timeout)
    if ev is None:
        raise RuntimeError(f"set-up: {user.first_name} {text!r}: no reply matching {expect!r} within {timeout:.0f}s")
    return ev


async def onboard(drv: Driver, admin: FakeUser, user: FakeUser, role: str, timeout: float) -> None:
    ev = await say(drv, admin, f"/undang {role}", r"start=([A-Za-z0-9_-]+)", timeout)
    code = re.search(r"start=([A-Za-z0-9_-]+)", ev.blob).group(1)
    await say(drv, user, f"/start {code}", "terdaftar", timeout)


async def writer_flow(drv: Driver, w: FakeUser, ks: FakeUser, kp: FakeUser, i: int, photos: list,
                      *, stop_after_submit: bool = False) -> int | None:
    """One article, 12 updates (10 by the writer, 1 Kasubbag, 1 Kepala).  Returns the submission id."""
    tg, st, title = drv.tg, drv.st, title_of(i)
    m = await drv.step(w, "/baru", lambda: w.send_text("/baru"), need_button=BTN_ARTICLE)
    await drv.step(w, "artikel", lambda: w.press(m.message_id, BTN_ARTICLE), press=True)
    m = await drv.step(w, "judul", lambda: w.send_text(title), need_button=BTN_FREE)
    await drv.step(w, "tulis bebas", lambda: w.press(m.message_id, BTN_FREE), press=True)
    await drv.step(w, "isi", lambda: w.send_text(BODY), need_button=BTN_DONE)
    for k, group in enumerate(photos):
        await drv.step(w, f"foto{k + 1}", lambda g=group: send_stored_photo(w, g))
    m = next((e for e in reversed(tg.events[w.id]) if BTN_DONE in e.buttons), None)
    if m is None:
        st.stuck["selesai"] += 1
        raise StepFailed("no message with 'Selesai'")
    m = await drv.step(w, "selesai", lambda: w.press(m.message_id, BTN_DONE), press=True, need_button=BTN_SUBMIT)
    ks_start = len(tg.events[ks.id])
    await drv.step(w, "ajukan", lambda: w.press(m.message_id, BTN_SUBMIT), press=True)
    card = await tg.wait_event(ks.id, ks_start, lambda e: title in e.text and BTN_FORWARD in e.buttons, drv.left())
    if card is None:
        st.notices_lost["kartu Kasubbag (deadline)" if drv.over() else "kartu Kasubbag"] += 1
        raise StepFailed("no Kasubbag card")
    sid_m = re.search(r"#(\d+)", card.text)
    sid = int(sid_m.group(1)) if sid_m else None
    if stop_after_submit:
        return sid

    def about(card_ev: Ev):  # reviewers' chats carry every item: only a message about this one counts
        return lambda e: e.message_id == card_ev.message_id or title in e.text or (
            sid is not None and re.search(rf"#{sid}\b", e.text))

    kp_start = len(tg.events[kp.id])
    await drv.step(ks, "teruskan", lambda: ks.press(card.message_id, BTN_FORWARD), press=True, wait_reply=False,
                   reply_ok=about(card))
    st.pressed_cards.append((ks.id, card.message_id, BTN_FORWARD, "kartu Kasubbag"))
    card2 = await tg.wait_event(kp.id, kp_start, lambda e: title in e.text and BTN_APPROVE in e.buttons, drv.left())
    if card2 is None:
        st.notices_lost["kartu Kepala (deadline)" if drv.over() else "kartu Kepala"] += 1
        raise StepFailed("no Kepala card")
    w_start = len(tg.events[w.id])
    t_approve = time.monotonic()
    await drv.step(kp, "setujui", lambda: kp.press(card2.message_id, BTN_APPROVE), press=True, wait_reply=False,
                   reply_ok=about(card2))
    st.pressed_cards.append((kp.id, card2.message_id, BTN_APPROVE, "kartu Kepala"))
    st.flows_done += 1
    done = await tg.wait_event(w.id, w_start, lambda e: "Terbit:" in e.text and title in e.text, drv.left())
    if done is None:
        st.notices_lost["🌐 Terbit (deadline)" if drv.over() else "🌐 Terbit"] += 1
    else:
        st.publish_ms.append((done.t - t_approve) * 1e3)
    return sid


async def first_gps_photo(drv: Driver, w: FakeUser) -> None:
    """A writer's article up to its preview, with one photo sent as a file carrying GPS EXIF."""
    m = await drv.step(w, "/baru", lambda: w.send_text("/baru"), need_button=BTN_ARTICLE)
    await drv.step(w, "artikel", lambda: w.press(m.message_id, BTN_ARTICLE), press=True)
    m = await drv.step(w, "judul", lambda: w.send_text(title_of(998)), need_button=BTN_FREE)
    await drv.step(w, "tulis bebas", lambda: w.press(m.message_id, BTN_FREE), press=True)
    await drv.step(w, "isi", lambda: w.send_text(BODY + "\n\nAcara berlangsung di Jakarta."), need_button=BTN_DONE)
    photo = jpeg_with_exif_gps()
    await drv.step(w, "foto GPS", lambda: w.send_document(photo, "lapangan.jpg", "image/jpeg"))
    m = next((e for e in reversed(drv.tg.events[w.id]) if BTN_DONE in e.buttons), None)
    if m is None:
        raise StepFailed("no message with 'Selesai'")
    await drv.step(w, "selesai", lambda: w.press(m.message_id, BTN_DONE), press=True, need_button=BTN_SUBMIT)


def terbit_process(tg: BenchTelegram, tmp: Path, **extra: str) -> tuple[BotProcess, Path, Path]:
    """``python -m bot`` (under the loop probe) with its DATA_DIR in ``tmp``: the process, DATA_DIR, the
    probe's file.  Shipped defaults (OUTBOX_POLL_SECONDS and the rest); only the SOP clock's reminders and
    monthly report are off, which a load of minutes would never reach."""
    data, lag = tmp / "data", tmp / "lag.jsonl"
    env = bot_env(tg, DATA_DIR=str(data), ADMIN_IDS=str(ADMIN_ID), LOOP_PROBE_FILE=str(lag),
                  REMINDERS_ENABLED="false", MONTHLY_REPORT_ENABLED="false", **extra)
    return BotProcess(probed("bot"), env, tmp, tmp / "bot.log"), data, lag


async def invite_writers(drv: Driver, admin: FakeUser, users: list[FakeUser], timeout: float,
                         section: str = "Humas") -> None:
    """The admin invites each of ``users`` as a writer of ``section`` (one ``/undang`` after another);
    they join by their links meanwhile."""
    joins = []
    for u in users:
        ev = await say(drv, admin, f"/undang penulis {section}", r"start=([A-Za-z0-9_-]+)", timeout)
        code = re.search(r"start=([A-Za-z0-9_-]+)", ev.blob).group(1)
        joins.append(asyncio.ensure_future(say(drv, u, f"/start {code}", "terdaftar", timeout)))
    await asyncio.gather(*joins)


async def load_phase(tg: BenchTelegram, st: Stats, proc: BotProcess, lag: Path, args,
                     flows: list[Callable[[Driver], Awaitable[Any]]],
                     settle: Callable[[], Awaitable[Any]] | None = None) -> None:
    """Run ``flows`` at once (each stops at its first StepFailed), then ``settle`` (what else the flows
    owe someone, if the caller waits for it), until the bot is quiet; then the load's loop stalls,
    late press messages, bot CPU, chat-bound calls and 429s into ``st``."""
    drv = Driver(tg, st, args.step_timeout)

    async def flow(run: Callable[[Driver], Awaitable[Any]]) -> None:
        try:
            await run(drv)
        except StepFailed:
            pass

    cpu0 = proc.cpu_s()
    st.t0 = time.monotonic()
    drv.stop_at = st.t0 + args.deadline
    tasks = [asyncio.ensure_future(flow(run)) for run in flows]
    await run_users(tasks, drv, st)
    if settle is not None:
        await settle()
    await tg.quiet(1.5, 30)
    t1 = time.monotonic()
    st.stalls = read_stalls(lag, st.t0, t1)
    drv.resolve_deferred()
    cpu1 = proc.cpu_s()
    st.cpu_s = cpu1 - cpu0 if cpu0 is not None and cpu1 is not None else None
    count_calls(tg, st, st.t0, t1)
    st.flood_refused = tg.flood_refused


async def stop_bot(proc: BotProcess, st: Stats) -> None:
    """SIGINT and wait (``st.stop_s``); a bad exit code and the log's tracebacks into ``st.errors``."""
    t = time.monotonic()
    await proc.stop()
    st.stop_s = time.monotonic() - t
    if proc.proc is not None and proc.proc.returncode not in (0, -signal.SIGINT, None):
        st.errors.append(f"bot exit code {proc.proc.returncode}; log tail:\n{proc.tail()}")
    st.errors.extend(tracebacks(proc.log))


async def run_terbit(n: int, args, photos: list) -> Stats:
    st = Stats("terbit", n, UPDATES_PER_FLOW)
    with tempfile.TemporaryDirectory(prefix="terbit-load-") as tmp:
        async with BenchTelegram(token=TOKEN, bot_username=BOT_USERNAME, flood_limit=args.flood_limit) as tg:
            proc, data, lag = terbit_process(tg, Path(tmp))
            race_sid = None
            try:
                # staff the office (untimed) ------------------------------------------------
                admin = tg.user(ADMIN_ID, "Ani Admin", "ani")
                ks = tg.user(KASUBBAG_ID, "Kasim Kasubbag", "kasim")
                ks2 = tg.user(KASUBBAG2_ID, "Kasubbag Dua", "dua")
                kp = tg.user(KEPALA_ID, "Kartini Kepala", "kartini")
                spare = tg.user(SPARE_WRITER_ID, "Penulis Cadangan", "cadangan")
                gps = tg.user(GPS_WRITER_ID, "Penulis Lapangan", "lapangan")
                writers = [tg.user(WRITER_BASE + i, f"Penulis {i:03d}", f"penulis{i:03d}") for i in range(n)]
                stored = [[tg.store_photo(b) for b in row] for row in photos[:n + 1]]
                await proc.start()
                st.startup_s = await proc.wait_ready(tg, args.startup_timeout)
                t_setup = time.monotonic()
                setup = Driver(tg, Stats("setup", 0, 1), args.step_timeout)
                to = args.step_timeout
                await say(setup, admin, "/start", ".", to)
                await say(setup, admin, "/bagian tambah Humas", "Humas", to)
                await onboard(setup, admin, ks, "kasubbag", to)
                await onboard(setup, admin, kp, "kepala", to)
                await invite_writers(setup, admin, [spare, gps, *writers], to)
                await tg.quiet(0.5, 30)
                st.setup_s = time.monotonic() - t_setup

                # a press while another person's first GPS photo is previewed (nothing loaded yet) ----
                side = Driver(tg, Stats("side", 0, 1), args.step_timeout)
                menu = await say(setup, admin, "/bantuan", ".", to)
                busy = asyncio.ensure_future(first_gps_photo(side, gps))
                t_side = time.monotonic()
                st.bystander_ms = await bystander(tg, lambda: admin.press_raw(menu.message_id, "bench"), busy)
                st.side_stalls = read_stalls(lag, t_side, time.monotonic())
                try:
                    await busy
                except StepFailed as e:
                    st.errors.append(f"GPS preview: {e}")
                await tg.quiet(0.5, 30)

                # the load ------------------------------------------------------------------
                await load_phase(tg, st, proc, lag, args, [
                    lambda d, i=i, w=w: writer_flow(d, w, ks, kp, i, stored[i + 1]) for i, w in enumerate(writers)])
                find_anomalies(tg, st, n, ks, kp, writers)

                # the race: two Kasubbags, one card, the same instant -------------------------
                try:
                    race = Driver(tg, Stats("race", 0, 1), args.step_timeout)
                    await onboard(race, admin, ks2, "kasubbag", to)
                    ks2_start = len(tg.events[ks2.id])
                    race_sid = await writer_flow(race, spare, ks, kp, 999, stored[0], stop_after_submit=True)
                    t = title_of(999)
                    c2 = await tg.wait_event(ks2.id, ks2_start, lambda e: t in e.text and BTN_FORWARD in e.buttons, to)
                    c1 = next((e for e in reversed(tg.events[ks.id]) if t in e.text and BTN_FORWARD in e.buttons), None)
                    if c1 is None or c2 is None:
                        raise StepFailed("a Kasubbag got no card")
                    q1 = await ks.press(c1.message_id, BTN_FORWARD)
                    q2 = await ks2.press(c2.message_id, BTN_FORWARD)
                    a1, a2 = await asyncio.gather(tg.wait_answer(q1, to), tg.wait_answer(q2, to))
                    texts = [a[1] if a else None for a in (a1, a2)]
                    st.race = f"answers {texts!r}"
                    await tg.quiet(1.0, 20)
                except (StepFailed, RuntimeError) as e:
                    st.race = f"not run: {e}"
                st.rss_kb = proc.status_kb("VmHWM")
            except Exception as e:
                st.errors.append(f"{type(e).__name__}: {e}")
            finally:
                await stop_bot(proc, st)
        read_db(st, data, race_sid)
    return st


def find_anomalies(tg: BenchTelegram, st: Stats, n: int, ks: FakeUser, kp: FakeUser, writers: list[FakeUser]) -> None:
    """Messages the bot delivered more than once (a review card of the same item with decision buttons, a
    🌐 Terbit), and pressed cards that still offer the decision (never updated after it)."""
    count_twice(tg, st, ks, kp, list(enumerate(writers[:n])))
    find_stale(tg, st)


def count_twice(tg: BenchTelegram, st: Stats, ks: FakeUser, kp: FakeUser,
                writers: list[tuple[int, FakeUser]]) -> None:
    """Review cards (in ``ks``'s and ``kp``'s chats) and 🌐 Terbit notices of the (title index, writer)
    ``writers`` the bot delivered more than once, into ``st.twice``."""
    titles = [title_of(i) for i, _ in writers]
    for label, chat, btn in (("kartu Kasubbag", ks.id, BTN_FORWARD), ("kartu Kepala", kp.id, BTN_APPROVE)):
        seen = Counter(title for e in tg.events[chat] if e.kind == "send" and btn in e.buttons
                       for title in titles if title in e.text)
        st.twice[label] += sum(c - 1 for c in seen.values() if c > 1)
    for i, w in writers:
        k = sum(1 for e in tg.events[w.id] if e.kind == "send" and "Terbit:" in e.text and title_of(i) in e.text)
        st.twice["🌐 Terbit"] += max(0, k - 1)
    st.twice = +st.twice


def find_stale(tg: BenchTelegram, st: Stats) -> None:
    """Pressed cards that still offer the decision (never updated after it), into ``st.stale_cards``."""
    for chat, mid, btn, label in st.pressed_cards:
        m = tg.message(chat, mid)
        if m is not None and not m.deleted and btn in m.button_texts:
            st.stale_cards[label] += 1


def read_db(st: Stats, data: Path, race_sid: int | None) -> None:
    db = data / "terbit.sqlite3"
    pages = data / "site" / "artikel"
    st.pages = sum(1 for p in pages.iterdir() if p.is_dir()) if pages.is_dir() else 0
    if not db.exists():
        st.errors.append("no database in DATA_DIR")
        return
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            rows = con.execute("SELECT submission_id, action, COUNT(*) FROM audit_events "
                               "GROUP BY submission_id, action HAVING COUNT(*) > 1").fetchall()
            st.dup_decisions = sum(c - 1 for _, _, c in rows)
            if race_sid is not None and st.race and not st.race.startswith("not run"):
                k = con.execute("SELECT COUNT(*) FROM audit_events WHERE submission_id = ? AND action = 'teruskan'",
                                (race_sid,)).fetchone()[0]
                st.race = f"{k} 'teruskan' recorded; {st.race}"
        finally:
            con.close()
    except sqlite3.Error as e:
        st.errors.append(f"database: {e}")


# --- report ----------------------------------------------------------------------------


def fmt(v: float | None, spec: str = ".0f") -> str:
    return "-" if v is None else format(v, spec)


def trio(vals: list[float], ps=(50, 95, 99)) -> str:
    return "/".join(fmt(pct(vals, p)) for p in ps) if vals else "-"


def ratio(a: float | None, b: float | None, spec: str = ".2f") -> str:
    return fmt(a / b, spec) if a is not None and b else "-"


def cell_lost(s: Stats) -> str:
    total = sum(s.lost.values())
    detail = ", ".join(f"{k}×{v}" for k, v in s.lost.most_common(4))
    return f"{total}/{s.sent}" + (f" ({detail})" if detail else "")


def cell_stuck(s: Stats) -> str:
    total = sum(s.stuck.values())
    return str(total) + (f" ({', '.join(f'{k}×{v}' for k, v in s.stuck.most_common(4))})" if total else "")


def cell_notices(s: Stats) -> str:
    c = s.notices_lost + Counter({f"{k} (no msg)": v for k, v in s.no_reply.items()})
    total = sum(c.values())
    return str(total) + (f" ({', '.join(f'{k}×{v}' for k, v in c.most_common(4))})" if total else "")


def cell_stale(s: Stats) -> str:
    total = sum(s.stale_cards.values())
    return f"{total}/{len(s.pressed_cards)}" + (
        f" ({', '.join(f'{k}×{v}' for k, v in s.stale_cards.items())})" if total else "")


def cell_late(s: Stats) -> str:
    total = sum(s.late.values())
    return str(total) + (f" ({', '.join(f'{k}×{v}' for k, v in s.late.items())})" if total else "")


def cell_twice(s: Stats) -> str:
    total = sum(s.twice.values())
    return str(total) + (f" ({', '.join(f'{k}×{v}' for k, v in s.twice.items())})" if total else "")


def cell_failed(s: Stats) -> str:
    total = sum(s.failed_calls.values())
    return str(total) + (f" ({', '.join(f'{k}×{v}' for k, v in s.failed_calls.most_common(3))})" if total else "")


def share_of_ceiling(s: Stats) -> float | None:
    """Updates/s as a percentage of the Telegram ceiling."""
    return s.ups / s.ceiling * 100 if s.ups and s.ceiling else None


def cell_ceiling(s: Stats) -> str:
    share = share_of_ceiling(s)
    return fmt(share, ".0f") + " %" if share is not None else "-"


def cpu_ms(s: Stats) -> float | None:
    """Bot CPU ms per answered update in the load phase."""
    return s.cpu_s / s.answered * 1e3 if s.cpu_s is not None and s.answered else None


def cell_cpu(s: Stats) -> str:
    return fmt(cpu_ms(s), ".1f")


def worst_stall(s: Stats) -> float | None:
    return max((ms for ms, _ in s.stalls), default=None)


def cell_stall(s: Stats) -> str:
    return f"{fmt(worst_stall(s) or 0.0, '.0f')}; {sum(1 for ms, _ in s.stalls if ms >= STALL_MS)}"


def print_table(head: str, names: tuple[str, str, str], rows: list[tuple[str, str, str, str]]) -> None:
    """``head``, then rows of (what, column 1, column 2, ratio) under the column ``names``."""
    w0 = max(len(r[0]) for r in rows)
    w1 = max(8, *(len(r[1]) for r in rows))
    w2 = max(8, *(len(r[2]) for r in rows))
    print()
    print(head)
    hdr = f"{'':<{w0}}  {names[0]:>{w1}}  {names[1]:>{w2}}  {names[2]}"
    print(hdr)
    print("-" * max(len(hdr), 80))
    for r in rows:
        print(f"{r[0]:<{w0}}  {r[1]:>{w1}}  {r[2]:>{w2}}  {r[3]}".rstrip())


def print_calls(who: str, st: Stats, width: int = 30) -> None:
    """A run's chat-bound calls per flow, by method."""
    if st.flows_done:
        print(f"{who} calls / flow by method:".ljust(width) + " "
              + " · ".join(f"{m} {c / st.flows_done:.1f}" for m, c in st.calls.most_common()))


def print_steps(who: str, st: Stats) -> None:
    """A Terbit run's ms per step and worst loop stalls."""
    if st.by_step:
        print(f"{who} ms per step, reply p50 | until the flow could go on p50: "
              + " · ".join(f"{k} {fmt(pct(v, 50))}|{fmt(pct(st.wall_step.get(k, []), 50))}"
                           for k, v in st.by_step.items()))
    for label, stalls in (("in the load", st.stalls), ("during the GPS preview", st.side_stalls)):
        by_where: Counter = Counter()
        for ms, where in stalls:
            by_where[where] = max(by_where[where], ms)
        if by_where:
            print(f"{who} loop stalls {label}, worst first (ms, where): " + " | ".join(
                f"{ms:.0f} {where}" for where, ms in by_where.most_common(4)))


def report(n: int, bare: Stats, tb: Stats) -> None:
    def bystanding(s: Stats) -> str:
        v = s.bystander_ms
        return (f"{fmt(pct(v, 50))}/{fmt(max(v))} ({sum(1 for x in v if x > 100)}/{len(v)} >100)" if v else "-")

    rows = [
        ("flows completed", f"{bare.flows_done}/{n}", f"{tb.flows_done}/{n}", ""),
        ("updates/s", fmt(bare.ups, ".1f"), fmt(tb.ups, ".1f"), ratio(tb.ups, bare.ups)),
        ("update->reply ms p50/p95/p99", trio(bare.reply_ms), trio(tb.reply_ms),
         ratio(pct(tb.reply_ms, 50), pct(bare.reply_ms, 50), ".1f") + " (p50)"),
        ("callback answer ms p50/p99", trio(bare.cb_ms, (50, 99)), trio(tb.cb_ms, (50, 99)),
         ratio(pct(tb.cb_ms, 50), pct(bare.cb_ms, 50), ".1f") + " (p50)"),
        ("approve->🌐 Terbit ms p50/p95", "-", trio(tb.publish_ms, (50, 95)), ""),
        ("chat-bound calls / flow", fmt(bare.calls_per_flow, ".1f"), fmt(tb.calls_per_flow, ".1f"),
         ratio(tb.calls_per_flow, bare.calls_per_flow, ".1f")),
        ("chat-bound calls / update", fmt(bare.calls_per_update, ".2f"), fmt(tb.calls_per_update, ".2f"), ""),
        ("ceiling 30/(calls/upd) upd/s", fmt(bare.ceiling, ".1f"), fmt(tb.ceiling, ".1f"), ""),
        ("throughput % of ceiling", cell_ceiling(bare), cell_ceiling(tb), ""),
        ("bot CPU ms / update", cell_cpu(bare), cell_cpu(tb), ""),
        ("worst loop stall ms (load); >=50 ms", cell_stall(bare), cell_stall(tb),
         ratio(worst_stall(tb), worst_stall(bare), ".1f")),
        ("press ms p50/max, other's 1st GPS preview", bystanding(bare), bystanding(tb),
         ratio(max(tb.bystander_ms, default=None), max(bare.bystander_ms, default=None), ".1f") + " (max)"),
        ("peak RSS MB", fmt(bare.rss_kb / 1024 if bare.rss_kb else None, ".0f"),
         fmt(tb.rss_kb / 1024 if tb.rss_kb else None, ".0f"), ratio(tb.rss_kb, bare.rss_kb, ".1f")),
        ("start-up s (spawn->getUpdates)", fmt(bare.startup_s, ".2f"), fmt(tb.startup_s, ".2f"),
         ratio(tb.startup_s, bare.startup_s, ".1f")),
        ("updates lost / sent", cell_lost(bare), cell_lost(tb), ""),
        ("flows stuck (no button/deadline)", cell_stuck(bare), cell_stuck(tb), ""),
        ("callbacks unanswered", str(bare.cb_unanswered), str(tb.cb_unanswered), ""),
        ("replies lost (cards, 🌐, press msgs)", cell_notices(bare), cell_notices(tb), ""),
        ("press msg >30s after answer", "-", cell_late(tb), ""),
        ("replies sent twice (cards, 🌐)", "-", cell_twice(tb), ""),
        ("decided cards still with buttons", "-", cell_stale(tb), ""),
        ("failed Bot API calls", cell_failed(bare), cell_failed(tb), ""),
        ("decisions recorded twice", "-", fmt(tb.dup_decisions, "d"), ""),
        ("published pages", "-", f"{fmt(tb.pages, 'd')} (expect {tb.flows_done})", ""),
    ]
    if bare.flood_refused or tb.flood_refused:
        rows.append(("429 from --flood-limit", str(bare.flood_refused), str(tb.flood_refused), ""))
    head = (f"N={n}: bare = {n} users x ({BARE_TEXTS} texts + 1 press); terbit = {n} writers x {UPDATES_PER_FLOW} "
            f"updates; load phase: bare {fmt(bare.t_last - bare.t0 if bare.t_last else None, '.1f')}s, terbit "
            f"{fmt(tb.t_last - tb.t0 if tb.t_last else None, '.1f')}s; terbit set-up {fmt(tb.setup_s, '.1f')}s; "
            f"stop (SIGINT -> exit) {fmt(bare.stop_s, '.1f')}s/{fmt(tb.stop_s, '.1f')}s")
    print_table(head, ("bare", "terbit", "terbit/bare"), rows)
    print_calls("terbit", tb)
    print_calls("bare", bare)
    print_steps("terbit", tb)
    print(f"race (2 Kasubbag, same card, same instant): {tb.race or '-'}")
    for s in (bare, tb):
        for e in s.errors:
            print(f"! {s.who}: {e}")
    sys.stdout.flush()


def add_run_options(ap: argparse.ArgumentParser) -> None:
    """The options every load benchmark shares (this one and bench/office_bench.py)."""
    ap.add_argument("--step-timeout", type=float, default=None,
                    help="seconds to wait for each answer (default 300; --quick 60)")
    ap.add_argument("--deadline", type=float, default=None,
                    help="seconds for one load phase before the remaining flows are cancelled "
                         "(default 1500; --quick 150)")
    ap.add_argument("--startup-timeout", type=float, default=60.0)
    ap.add_argument("--flood-limit", type=int, default=0,
                    help="fake answers 429 above this many chat-bound calls/s (default 0 = off, as the fake)")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--writers", default="10,50,200", help="comma-separated N (default 10,50,200)")
    ap.add_argument("--quick", action="store_true", help="N=10 only, shorter timeouts (a couple of minutes)")
    add_run_options(ap)
    args = ap.parse_args(argv)
    ns = [10] if args.quick else [int(x) for x in args.writers.split(",") if x.strip()]
    if args.step_timeout is None:
        args.step_timeout = 60.0 if args.quick else 300.0
    if args.deadline is None:
        args.deadline = 150.0 if args.quick else 1500.0

    import telegram

    t = time.perf_counter()
    photos = make_photos(max(ns) + 1)
    print(f"python-telegram-bot {telegram.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s); "
          f"writers {ns}; step timeout {args.step_timeout:.0f}s, load deadline {args.deadline:.0f}s; "
          f"fake flood limit {'off (the fake has none)' if not args.flood_limit else f'{args.flood_limit}/s'}; "
          f"{3 * (max(ns) + 1)} photos built in {time.perf_counter() - t:.1f}s")

    async def go() -> None:
        for n in ns:
            bare = await run_bare(n, args)
            tb = await run_terbit(n, args, photos)
            report(n, bare, tb)

    t = time.perf_counter()
    asyncio.run(go())
    print(f"total {time.perf_counter() - t:.0f}s")


if __name__ == "__main__":
    main()
