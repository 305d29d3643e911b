"""Uploads through the real bot, on a phone: bad input is refused in plain
Indonesian and the draft stays exactly as it was; good input is attached once.

Every test is a real writer conversation (``/baru`` -> kind -> title -> body ->
media step) against the strict fake Bot API; the expected replies are built
from the i18n modules, never copied.

Speed: one bot (and one fake Telegram) serves the module; each test gets a
writer of its own, onboarded through a real invite, so its draft, chat and
album jobs are its own.  Tests that need other settings or the whole office
start their own bot.
"""
from __future__ import annotations

import contextlib
import hashlib
import itertools
import re
import zlib
from pathlib import Path

import pytest
import pytest_asyncio
from PIL import Image

from handlers.render import esc, fmt
from media import sniff
from services.staff.people import by_telegram_id
from services.writing import drafts
from tests.fakebot.media import has_gps_exif, make_jpeg
from tests.fakebot.server import FakeTelegram
from tests.flow.harness import (
    ADMIN_ID,
    Office,
    body_text,
    jpeg,
    make_settings,
    running,
    staffed_office,
)
from tests.media import media_factories as mf
from texts.id import drafting as D
from texts.id.media import rejection_text

pytestmark = pytest.mark.asyncio(loop_scope="module")

MB = 1024 * 1024
TITLE = "Sosialisasi Keterbukaan Informasi Publik 2026"
_writer_ids = itertools.count(1101)


async def admin_and_section(office: Office) -> Office:
    office.people["admin"] = office.tg.user(ADMIN_ID, "Ani Admin", "ani")
    await office.say(office.admin, "/start")
    await office.say(office.admin, "/bagian tambah Humas")
    return office


async def new_writer(office: Office) -> Office:
    """A writer of this test's own, invited by the admin into Humas."""
    uid = next(_writer_ids)
    o = Office(office.tg, office.settings, office.app, dict(office.people))
    o.people["writer"] = o.tg.user(uid, f"Penulis {uid}", f"penulis{uid}")
    await o.onboard(o.writer, "penulis", "Humas")
    return o


async def admin_and_writer(office: Office) -> Office:
    return await new_writer(await admin_and_section(office))


@contextlib.asynccontextmanager
async def own_bot(data_dir: Path, staff, **settings):
    """A fresh fake Telegram and bot, for tests that need other settings or more people."""
    async with FakeTelegram(token="123456:TEST", bot_username="terbit_test_bot") as tg:
        o = Office(tg, make_settings(tg, data_dir, **settings))
        async with running(o):
            yield await staff(o)
            await tg.settle()
            assert tg.unanswered_callback_queries == []


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_bot(tmp_path_factory):
    async with own_bot(tmp_path_factory.mktemp("uploads") / "data", admin_and_section) as o:
        yield o


@pytest_asyncio.fixture(loop_scope="module")
async def office(shared_bot):
    o = await new_writer(shared_bot)
    yield o
    await o.tg.settle()
    assert o.tg.unanswered_callback_queries == [], "a button press was left spinning on the phone"


# --- helpers ---------------------------------------------------------------------


async def to_media_step(office: Office):
    """The writer starts a Berita and reaches the "bahan pendukung" step."""
    w = office.writer
    m = await office.say(w, "/baru")
    m = await office.press(w, m, D.KIND_LABELS["berita"])
    m = await office.say(w, TITLE)
    m = await office.press(w, m, D.BODY_FREE)
    m = await office.say(w, body_text())
    assert m.html == D.ASK_MEDIA
    return m


async def draft_state(office: Office):
    """(title, body, [(kind, sha256)...]) of the writer's open draft, from the database."""
    t = office.app.bot_data["terbit"]
    async with t.sessions() as s:
        person = await by_telegram_id(s, office.writer.id)
        open_ = await drafts.open_drafts(s, person)
        assert len(open_) == 1
        d = await drafts.load(s, open_[0].id)
        return d.revision.title, d.revision.body, [(a.kind, a.sha256) for a in d.attachments]


async def db_attachments(office: Office):
    t = office.app.bot_data["terbit"]
    async with t.sessions() as s:
        person = await by_telegram_id(s, office.writer.id)
        (sub,) = await drafts.open_drafts(s, person)
        return (await drafts.load(s, sub.id)).attachments


def received(what: str, count: int) -> str:
    return fmt(D.MEDIA_RECEIVED, what=what, count=count)


def refused(code: str, count: int, **params) -> str:
    return fmt(D.MEDIA_REJECTED, reason=rejection_text(code, **params), count=count)


async def with_one_photo(office: Office):
    """Media step with one photo already attached: the thing a refusal must not lose."""
    await to_media_step(office)
    w = office.writer
    await w.send_photo(jpeg((30, 120, 200), size=(800, 600)), caption="Suasana acara")
    await office.tg.settle()
    assert w.last_message.html == received("Foto", 1)
    before = await draft_state(office)
    assert len(before[2]) == 1 and before[:2] == (TITLE, body_text())
    return before


async def expect_refusal(office: Office, send, code: str, **params):
    """Send something bad after one good photo: one Indonesian answer, draft unchanged."""
    before = await with_one_photo(office)
    w = office.writer
    n = len(w.messages)
    await send(w)
    await office.tg.settle()
    new = w.messages[n:]
    assert len(new) == 1, [m.text for m in new]
    assert new[0].html == refused(code, 1, **params)
    assert await draft_state(office) == before
    return new[0]


def send_without_size(tg, user, data: bytes | None, filename: str, *, size: int | None = None,
                      mime: str = "application/octet-stream"):
    """A document whose message carries no ``file_size`` (the Bot API field is optional)."""
    f = tg.store_file("document", data, size=size, file_name=filename, mime_type=mime)
    media = f.media_dict()
    del media["file_size"]
    return user._send("document", media={"document": media}, files=[f])


def get_file_calls(tg, file_id: str) -> list:
    return [c for c in tg.calls if c.method == "getFile" and c.params.get("file_id") == file_id]


# --- bad input: one test each -------------------------------------------------------


async def test_zero_byte_file(office):
    await expect_refusal(office, lambda w: w.send_document(b"", "kosong.jpg"), "empty")


async def test_truncated_jpeg(office):
    data = mf.jpeg_bytes(Image.effect_noise((800, 600), 60).convert("RGB"), quality=90)
    await expect_refusal(office, lambda w: w.send_document(data[: len(data) * 6 // 10], "foto.jpg"),
                         "image_corrupt")


async def test_decompression_bomb_30000_square(office):
    bomb = mf.png_raw(30000, 30000, idat=zlib.compress(b"\x00" * 1000))
    assert len(bomb) < 1000
    await expect_refusal(office, lambda w: w.send_document(bomb, "peta.png"), "image_too_large_pixels",
                         max_mp=60)


async def test_png_with_huge_text_chunk(office):
    # zTXt inflating to 64 MB (Pillow's MAX_TEXT_CHUNK is 1 MB): stopped before the memory is spent.
    chunk = mf.png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(bytes(64 << 20), 1))
    data = mf.png_raw(16, 16, extra=chunk)
    await expect_refusal(office, lambda w: w.send_document(data, "grafik.png"), "image_corrupt")


async def test_exe_renamed_pdf(office):
    exe = b"MZ\x90\x00" + b"\x00" * 56 + b"\x80\x00\x00\x00" + b"\x00" * 64 + b"PE\x00\x00" + b"\x00" * 512
    await expect_refusal(office, lambda w: w.send_document(exe, "Laporan Tahunan.pdf"), "type_not_allowed",
                         label=sniff.EXE.label)
    # Nothing of a refused file is kept: the store holds only accepted uploads.
    store = office.settings.data_dir / "files" / "objects"
    assert store.is_dir()
    assert not [p for p in store.rglob("*") if p.is_file() and p.name == hashlib.sha256(exe).hexdigest()]


async def test_html_renamed_jpg(office):
    html = b"<!doctype html><html><body onload=alert(1)><script>alert(2)</script></body></html>"
    await expect_refusal(office, lambda w: w.send_document(html, "foto.jpg"), "type_not_allowed",
                         label=sniff.HTML.label)


async def test_svg_with_script(office):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>fetch("//x")</script></svg>'
    await expect_refusal(office, lambda w: w.send_document(svg, "logo.svg"), "type_not_allowed",
                         label=sniff.SVG.label)


async def test_encrypted_pdf(office):
    data = mf.pdf(2, user_password="rahasia")
    await expect_refusal(office, lambda w: w.send_document(data, "Notulen.pdf"), "pdf_encrypted")


async def test_zip_renamed_docx(office):
    await expect_refusal(office, lambda w: w.send_document(mf.plain_zip(), "Laporan.docx"), "type_not_allowed",
                         label=sniff.ZIP.label)


async def test_over_20_mb_with_size_refused_before_download(office):
    msg = await expect_refusal(office, lambda w: w.send_big_document(21 * MB, "Video acara.mp4"), "too_large",
                               max_mb=20)
    assert "20 MB" in msg.text
    big = office.writer.all_messages[-2]
    assert not get_file_calls(office.tg, big.file.file_id)  # nothing to ask Telegram for


async def test_over_20_mb_without_size_refused_by_get_file(office):
    sent = []

    async def send(w):
        sent.append(send_without_size(office.tg, w, None, "Rekaman.mp4", size=21 * MB, mime="video/mp4"))

    msg = await expect_refusal(office, send, "too_large", max_mb=20)
    assert "20 MB" in msg.text
    (call,) = get_file_calls(office.tg, sent[0].file.file_id)
    assert call.ok is False and "too big" in call.description


async def test_stream_over_small_configured_limit(tmp_path):
    async with own_bot(tmp_path / "data", admin_and_writer, max_upload_mb=1) as o:
        sent = []

        async def send(w):
            sent.append(send_without_size(o.tg, w, None, "Materi.pdf", size=2 * MB, mime="application/pdf"))

        msg = await expect_refusal(o, send, "too_large", max_mb=1)
        assert "1 MB" in msg.text
        (call,) = get_file_calls(o.tg, sent[0].file.file_id)
        assert call.ok  # Telegram would serve it; our own limit stopped the download
        assert not list((tmp_path / "data" / "files" / "tmp").iterdir())  # no partial left behind


async def test_same_photo_twice_kept_once(office):
    w = office.writer
    await to_media_step(office)
    photo = jpeg((10, 160, 90), size=(800, 600))
    await w.send_photo(photo)
    await office.tg.settle()
    assert w.last_message.html == received("Foto", 1)
    before = await draft_state(office)
    n = len(w.messages)
    await w.send_photo(photo)
    await office.tg.settle()
    assert [m.html for m in w.messages[n:]] == [D.MEDIA_DUPLICATE]
    assert await draft_state(office) == before


async def test_twenty_photos_in_two_albums(office):
    w = office.writer
    await to_media_step(office)
    n = len(w.messages)
    photos = [jpeg((12 * i, 255 - 12 * i, (37 * i) % 256), size=(640, 480)) for i in range(20)]

    await w.send_album(photos[:10], caption="Suasana acara, bagian 1")
    first = await w.wait_for_message(lambda m: m.html == fmt(D.ALBUM_RECEIVED, n=10, count=10), timeout=15)
    await w.send_album(photos[10:], caption="Suasana acara, bagian 2")
    second = await w.wait_for_message(lambda m: m.html == fmt(D.ALBUM_RECEIVED, n=10, count=20), timeout=15)
    await office.tg.settle()

    assert w.messages[n:] == [first, second]  # two acknowledgements, not twenty messages
    assert first.button_texts == second.button_texts == [D.MEDIA_DONE, D.MEDIA_MANAGE]
    atts = await db_attachments(office)
    assert len(atts) == 20 and len({a.sha256 for a in atts}) == 20
    assert {a.kind for a in atts} == {"photo"}
    assert len({a.media_group_id for a in atts}) == 2
    assert [a.caption for a in atts if a.caption] == ["Suasana acara, bagian 1", "Suasana acara, bagian 2"]


async def test_name_with_traversal_and_non_latin_stored_and_shown_safely(office):
    w = office.writer
    await to_media_step(office)
    name = "../../../etc/passwd/..\\Laporan <Ramaḍān> سلام 报告 & Co.pdf"
    safe = "Laporan _Ramaḍān_ سلام 报告 & Co.pdf"
    pdf = mf.pdf(1)
    await w.send_document(pdf, name)
    await office.tg.settle()
    assert w.last_message.html == received("Dokumen", 1)

    (att,) = await db_attachments(office)
    data_dir = office.settings.data_dir.resolve()
    assert att.original_name == safe
    assert att.path == f"files/objects/{att.sha256[:2]}/{att.sha256[2:4]}/{att.sha256}"
    stored = (data_dir / att.path).resolve()
    assert stored.is_relative_to(data_dir) and stored.read_bytes() == pdf
    # no name from the phone became a path anywhere
    assert not [p for p in data_dir.rglob("*") if "passwd" in p.name or "Laporan" in p.name or "报告" in p.name]

    # The list replaces the acknowledgement whose button was pressed (one call, not two).
    m = await office.press(w, w.last_message, D.MEDIA_MANAGE)
    assert m.html.startswith(D.MANAGE_HEADER.format(count=1))
    assert f" {esc(safe)}" in m.html and "&amp; Co.pdf" in m.html
    assert safe in m.text and "../" not in m.text and "<Ramaḍān>" not in m.text


async def test_photo_as_file_keeps_gps_in_original_but_not_on_the_site(tmp_path):
    async with own_bot(tmp_path / "data", staffed_office) as office:
        await _photo_as_file_to_the_site(office)


async def _photo_as_file_to_the_site(office: Office):
    tg, w, ks, kp = office.tg, office.writer, office.kasubbag, office.kepala
    await to_media_step(office)
    original = make_jpeg(1600, 1200, gps=True, orientation=6)
    assert has_gps_exif(original)
    await w.send_document(original, "IMG_20260412_091500.jpg", mime_type="image/jpeg")
    await tg.settle()
    assert w.last_message.html == received("Foto", 1)

    (att,) = await db_attachments(office)
    assert att.kind == "photo" and att.meta["tg_type"] == "document"
    stored = office.settings.data_dir / att.path
    assert stored.read_bytes() == original and has_gps_exif(stored.read_bytes())  # the archive keeps it all
    web = next(r for r in att.renditions if r["role"] == "web")
    assert (web["width"], web["height"]) == (1200, 1600)  # EXIF orientation 6 applied

    m = await office.press(w, w.last_message, D.MEDIA_DONE)
    m = await office.press(w, m, D.BTN_SUBMIT)
    await office.press(ks, ks.last_message, "✅ Teruskan ke Kepala")
    await office.press(kp, kp.last_message, "✅ Setujui & Terbitkan")
    await w.wait_for_message(lambda x: "Terbit:" in (x.text or ""), timeout=15)

    site = office.settings.site_dir
    (page,) = (site / "artikel").glob("*/index.html")
    srcs = re.findall(r'<img[^>]+src="([^"]+)"', page.read_text())
    assert srcs, "the photo is on the page"
    jpgs = {(page.parent / s).resolve() for s in srcs} | set(site.rglob("*.jpg"))
    assert jpgs and all(p.is_relative_to(site.resolve()) for p in jpgs)
    for p in jpgs:
        data = p.read_bytes()
        assert not has_gps_exif(data), p
        with Image.open(p) as im:
            assert not im.getexif() and "exif" not in im.info, p
        assert b"FakePhone" not in data and b"Exif\x00\x00" not in data, p
        assert data != original


async def test_photo_sent_as_photo_is_accepted(office):
    w = office.writer
    await to_media_step(office)
    sent = await w.send_photo(make_jpeg(1600, 1200, gps=True), caption="Penyerahan bantuan")
    await office.tg.settle()
    assert w.last_message.html == received("Foto", 1)
    assert w.last_message.button_texts == [D.MEDIA_DONE, D.MEDIA_MANAGE]
    (att,) = await db_attachments(office)
    assert att.kind == "photo" and att.meta["tg_type"] == "photo" and att.caption == "Penyerahan bantuan"
    assert {r["role"] for r in att.renditions} == {"web", "thumb"}
    # what is kept is the largest size Telegram re-encoded, without the phone's metadata
    stored = (office.settings.data_dir / att.path).read_bytes()
    assert stored == office.tg.file_bytes(sent.file.file_id) and not has_gps_exif(stored)
    assert (att.meta["width"], att.meta["height"]) == (sent.file.width, sent.file.height) == (1600, 1200)
