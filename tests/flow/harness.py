"""A whole office on a fake Telegram: the real Application, the real request
path, four people who talk to the bot the way they would on their phones."""
from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from bot.app import build_application
from config.settings import Settings

ADMIN_ID, KASUBBAG_ID, KEPALA_ID, WRITER_ID, OUTSIDER_ID = 9001, 2001, 3001, 1001, 6666


def jpeg(color=(200, 30, 30), size=(1200, 900), exif_gps: bool = False, *,
         taken: str | None = None, offset: str | None = None,
         at: tuple[float, float] | None = None) -> bytes:
    """A JPEG; ``exif_gps`` adds a latitude-only GPS block, ``taken`` ("2026:11:30 09:15:00"),
    ``offset`` ("+08:00") and ``at`` (lat, lon) a capture time and a full position."""
    im = Image.new("RGB", size, color)
    buf = io.BytesIO()
    if not (exif_gps or taken or at):
        im.save(buf, "JPEG")
        return buf.getvalue()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    if exif_gps:
        gps[1], gps[2] = "S", (6.0, 10.0, 0.0)  # degrees, minutes, seconds (rationals)
    if at is not None:
        for ref, tag, value, neg in ((1, 2, at[0], "S"), (3, 4, at[1], "W")):
            a = abs(value)
            d, m = int(a), int((a - int(a)) * 60)
            gps[ref] = neg if value < 0 else ("N" if ref == 1 else "E")
            gps[tag] = (float(d), float(m), round((a - d - m / 60) * 3600, 2))
    if taken:
        sub = exif.get_ifd(0x8769)
        sub[0x9003] = taken
        if offset:
            sub[0x9011] = offset
    im.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def tiny_pdf(pages: int = 2) -> bytes:
    from pypdf import PdfWriter
    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(width=200, height=200)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def ogg_opus() -> bytes:
    """A minimal but well-formed Ogg Opus stream (header pages + one silent packet)."""
    import struct
    import zlib  # noqa: F401

    def crc(data: bytes) -> int:
        poly, table = 0x04C11DB7, []
        for i in range(256):
            r = i << 24
            for _ in range(8):
                r = ((r << 1) ^ poly) if r & 0x80000000 else (r << 1)
            table.append(r & 0xFFFFFFFF)
        c = 0
        for b in data:
            c = ((c << 8) ^ table[((c >> 24) ^ b) & 0xFF]) & 0xFFFFFFFF
        return c

    def page(payload: bytes, seq: int, flags: int, granule: int) -> bytes:
        segs = []
        n = len(payload)
        while n >= 255:
            segs.append(255)
            n -= 255
        segs.append(n)
        hdr = struct.pack("<4sBBqIIIB", b"OggS", 0, flags, granule, 1234, seq, 0, len(segs)) + bytes(segs)
        raw = hdr + payload
        c = crc(raw)
        return raw[:22] + struct.pack("<I", c) + raw[26:]

    head = b"OpusHead" + struct.pack("<BBHIhB", 1, 1, 312, 48000, 0, 0)
    tags = b"OpusTags" + struct.pack("<I", 5) + b"terbit" [:5] + struct.pack("<I", 0)
    frames = b"".join(page(bytes([0xF8, 0xFF, 0xFE]), 2 + i, 4 if i == 49 else 0, 960 * (i + 1) + 312)
                      for i in range(50))
    return page(head, 0, 2, 0) + page(tags, 1, 0, 0) + frames


def body_text(n: int = 3) -> str:
    para = ("Kegiatan sosialisasi keterbukaan informasi publik diikuti oleh seluruh pegawai dan "
            "perwakilan masyarakat di aula kantor, dengan tanya jawab yang hidup.")
    return "\n\n".join([para] * n)


@dataclass
class Office:
    tg: object
    settings: Settings
    app: object = None
    people: dict = field(default_factory=dict)
    #: A readable record of who said what, for the README's transcript.
    log: list = field(default_factory=list)

    def _seen(self) -> dict:
        """The newest message id per chat, and how often each message was edited."""
        seen: dict = {cid: max(chat.messages, default=0) for cid, chat in self.tg.chats.items()}
        seen["edits"] = {(cid, mid): len(m.edits) for cid, chat in self.tg.chats.items()
                         for mid, m in chat.messages.items()}
        return seen

    def _record(self, actor, action: str, before: dict) -> None:
        names = {u.id: u.first_name for u in self.people.values()}
        self.log.append(f"{actor.first_name}: {action}")
        for cid, chat in self.tg.chats.items():
            for mid, m in sorted(chat.messages.items()):
                # An edit that changed the text (a question answered in place), not only the buttons.
                edited = len(m.edits) > before["edits"].get((cid, mid), 0) and m.edits[-1]["text"] != m.text
                if (mid > before.get(cid, 0) or edited) and m.from_bot:
                    body = m.text or f"[{m.kind}]"
                    if m.kind != "text":
                        body = f"[{m.kind}] {m.text or ''}".strip()
                    buttons = " ".join(f"[{t}]" for row in m.buttons for t, _ in row)
                    verb = "Bot ✎ " if mid <= before.get(cid, 0) else "Bot → "
                    self.log.append(f"  {verb}{names.get(cid, cid)}: " + body.replace("\n", "\n      ")
                                    + (f"\n      {buttons}" if buttons else ""))

    @property
    def admin(self):
        return self.people["admin"]

    @property
    def writer(self):
        return self.people["writer"]

    @property
    def kasubbag(self):
        return self.people["kasubbag"]

    @property
    def kepala(self):
        return self.people["kepala"]

    async def say(self, user, text: str):
        before = self._seen()
        await user.send_text(text)
        await self.tg.settle()
        self._record(user, text, before)
        return user.last_message

    async def press(self, user, msg, label: str):
        before = self._seen()
        await user.press(msg, label)
        await self.tg.settle()
        self._record(user, f"(menekan «{label}»)", before)
        return user.last_message

    async def upload(self, user, what: str, send):
        before = self._seen()
        await send
        await self.tg.settle()
        self._record(user, f"(mengirim {what})", before)
        return user.last_message

    async def invite(self, role: str, section: str | None = None) -> str:
        cmd = f"/undang {role}" + (f" {section}" if section else "")
        msg = await self.say(self.admin, cmd)
        m = re.search(r"start=([A-Za-z0-9_-]+)", msg.text)
        assert m, msg.text
        return m.group(1)

    async def onboard(self, user, role: str, section: str | None = None):
        code = await self.invite(role, section)
        seen = len(user.messages)
        await self.say(user, f"/start {code}")
        # settle() can return while a machine under load is still storing the update (no Bot API call
        # in flight, none queued): wait for the welcome itself rather than for quiet.
        await self.tg.wait_until(lambda: any("Anda terdaftar sebagai" in (m.text or "")
                                             for m in user.messages[seen:]), timeout=15, what="the welcome")
        return user


def make_settings(tg, data_dir: Path, **over) -> Settings:
    return Settings(
        _env_file=None,
        telegram_bot_token=tg.token,
        telegram_api_url=tg.base_url,
        telegram_file_url=tg.base_file_url,
        data_dir=data_dir,
        admin_ids=[ADMIN_ID],
        outbox_poll_seconds=0.2,
        **over,
    )


@contextlib.asynccontextmanager
async def running(office: Office, **build_kwargs):
    """What Application.run_polling does, step by step, so the test keeps the loop."""
    app = build_application(office.settings, **build_kwargs)
    office.tg.attach(app)
    await app.initialize()
    await app.post_init(app)
    try:
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        office.app = app
        await office.tg.settle()
        yield office
    finally:
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)


async def staffed_office(office: Office) -> Office:
    """Admin sets up a section and invites the three others through deep links."""
    tg = office.tg
    office.people["admin"] = tg.user(ADMIN_ID, "Ani Admin", "ani")
    office.people["writer"] = tg.user(WRITER_ID, "Wulan Penulis", "wulan")
    office.people["kasubbag"] = tg.user(KASUBBAG_ID, "Kasim Kasubbag", "kasim")
    office.people["kepala"] = tg.user(KEPALA_ID, "Kartini Kepala", "kartini")
    await office.say(office.admin, "/start")
    await office.say(office.admin, "/bagian tambah Humas")
    await office.onboard(office.writer, "penulis", "Humas")
    await office.onboard(office.kasubbag, "kasubbag")
    await office.onboard(office.kepala, "kepala")
    return office


async def draft_to_preview(office: Office, *, title="Rapat Koordinasi Program Kerja 2027", kind="📝 Artikel",
                           body=None, photos: int = 0):
    """The writer's side up to the preview, by the shortest honest path."""
    w = office.writer
    await office.say(w, "/baru")
    # (a notice about an earlier item may have arrived after the question: the button is on the question)
    m = with_button(w, kind)
    m = await office.press(w, m, kind)
    m = await office.say(w, title)
    m = await office.press(w, m, "✍️ Tulis bebas")
    m = await office.say(w, body or body_text())
    for i in range(photos):
        await w.send_photo(jpeg((40 * i % 255, 90, 160)))
        await office.tg.settle()
    return await office.press(w, w.last_message, "✅ Selesai, lihat pratinjau")


async def to_media_step(office: Office):
    """The writer's new draft, titled and written, waiting for files; returns the writer."""
    w = office.writer
    m = await office.say(w, "/baru")
    m = await office.press(w, m, "📝 Artikel")
    m = await office.say(w, "Rapat Koordinasi Program Kerja 2027")
    m = await office.press(w, m, "✍️ Tulis bebas")
    await office.say(w, body_text())
    return w


def with_button(user, label: str):
    """The newest message in the user's chat that carries this button."""
    for m in reversed(user.messages):
        if any(text == label for row in m.buttons for text, _ in row):
            return m
    raise AssertionError(f"no message with the button {label!r}")


async def submit_new(office: Office, **kw):
    preview = await draft_to_preview(office, **kw)
    await office.press(office.writer, preview, "✅ Ajukan ke Kasubbag")
    return office.kasubbag.last_message


async def retitle_published(office: Office, sid: int, title: str):
    """The writer updates a live article's title and both reviewers pass it."""
    w = office.writer
    m = await office.say(w, f"/perbarui {sid}")
    m = await office.press(w, m, "✏️ Ubah")
    m = await office.press(w, m, "Judul")
    m = await office.say(w, title)
    await office.press(w, m, "✅ Ajukan ke Kasubbag")
    await office.press(office.kasubbag, office.kasubbag.last_message, "✅ Teruskan ke Kepala")
    await office.press(office.kepala, office.kepala.last_message, "✅ Setujui & Terbitkan")
