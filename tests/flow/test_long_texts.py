"""A long text pasted on a phone arrives as several messages: nothing of it is
lost, and an update handled again after a crash joins nothing twice."""
from __future__ import annotations

import sqlite3

from sqlalchemy import select

from storage.models import InboxUpdate, Revision, Submission
from tests.flow.harness import Office, jpeg, make_settings, running, staffed_office
from texts.id import drafting as D
from texts.id import review as R

LIMIT = 4096


def long_body(total: int = 10_001) -> str:
    """An article of exactly ``total`` characters, in paragraphs that start with a capital."""
    sentence = "Kegiatan berjalan lancar dan diikuti peserta dari seluruh bidang dengan antusias. "
    paras = [f"Bagian {n}. {sentence * 7}".strip() for n in range(1, 40)]
    body = "\n\n".join(paras)[: total - 1].rstrip()
    body += "x" * (total - 1 - len(body)) + "."
    assert len(body) == total
    return body


def phone_split(text: str, limit: int = LIMIT) -> list[str]:
    """What a Telegram client sends for a text over its limit: several messages,
    cut at the last blank line (else line break, else space) that fits, the
    whitespace at the cut dropped."""
    parts = []
    while len(text) > limit:
        cut = next(c for c in (text.rfind(sep, 0, limit) for sep in ("\n\n", "\n", " ")) if c > 0)
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*parts, text]


async def current_body(office: Office) -> str:
    async with office.app.bot_data["terbit"].sessions() as s:
        sub = (await s.scalars(select(Submission).order_by(Submission.id.desc()))).unique().first()
        return (await s.get(Revision, sub.current_revision_id)).body


async def to_body_step(office: Office) -> None:
    w = office.writer
    m = await office.say(w, "/baru")
    m = await office.press(w, m, "📝 Artikel")
    m = await office.say(w, "Laporan Lengkap Rapat Kerja Tahunan 2027")
    await office.press(w, m, D.BODY_FREE)


async def test_a_body_pasted_as_three_parts_is_published_whole(office):
    w, ks, kp = office.writer, office.kasubbag, office.kepala
    body = long_body()
    parts = phone_split(body)
    assert len(parts) == 3 and all(len(p) <= LIMIT for p in parts)
    await to_body_step(office)
    m = await office.say(w, parts[0])
    assert "bahan pendukung" in m.text  # the media step follows the body, as always
    m = await office.say(w, parts[1])
    assert m.text.startswith("✅ Isi diterima: 2 bagian,") and "Selesai" in m.text
    m = await office.say(w, parts[2])
    assert m.text.startswith("✅ Isi diterima: 3 bagian, 10.001 karakter.")
    assert await current_body(office) == body
    # The flow goes on with one update per step: photos, then Selesai.
    for i in range(3):
        await w.send_photo(jpeg((60 * i, 90, 160)))
        await office.tg.settle()
    m = await office.press(w, w.last_message, D.MEDIA_DONE)
    await office.press(w, m, D.BTN_SUBMIT)
    await office.press(ks, ks.last_message, R.BTN_FORWARD)
    await office.press(kp, kp.last_message, R.BTN_APPROVE)
    await w.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=15)
    async with office.app.bot_data["terbit"].sessions() as s:
        sub = (await s.scalars(select(Submission))).unique().one()
        published = await s.get(Revision, sub.published_revision_id)
    assert published.body == body and len(published.body) == 10_001
    html = next((office.settings.site_dir / "artikel").glob("*/index.html")).read_text()
    for para in body.split("\n\n"):
        assert para in html


async def test_a_text_after_a_photo_is_not_taken_into_the_body(office):
    w = office.writer
    await to_body_step(office)
    body = long_body(1_000)
    await office.say(w, body)
    await w.send_photo(jpeg())
    await office.tg.settle()
    m = await office.say(w, "Ini bukan bagian isi.")
    assert m.text == D.USE_BUTTONS
    assert await current_body(office) == body


async def test_a_part_handled_again_after_a_crash_is_joined_once(fake_telegram, tmp_path):
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data"))
    body = long_body()
    parts = phone_split(body)
    async with running(o):
        await staffed_office(o)
        w = o.writer
        await to_body_step(o)
        await o.say(w, parts[0])
        await o.say(w, parts[1])
        async with o.app.bot_data["terbit"].sessions() as s:
            rows = (await s.scalars(select(InboxUpdate).order_by(InboxUpdate.update_id))).all()
            second = next(r.update_id for r in rows if (r.payload.get("message") or {}).get("text") == parts[1])
    # The process died after the second part was joined but before the inbox
    # recorded it as handled: the next start handles it again.
    with sqlite3.connect(tmp_path / "data" / "terbit.sqlite3") as db:
        db.execute("UPDATE inbox_updates SET done_at = NULL WHERE update_id = ?", (second,))
    async with running(o):
        await o.tg.settle()
        async with o.app.bot_data["terbit"].sessions() as s:
            assert (await s.get(InboxUpdate, second)).done_at is not None  # it was handled again
        assert await current_body(o) == "\n\n".join(parts[:2])
        acks = [m for m in w.messages if (m.text or "").startswith("✅ Isi diterima")]
        assert [m.text.split(",")[0] for m in acks] == ["✅ Isi diterima: 2 bagian"]  # told once
        m = await o.say(w, parts[2])
        assert m.text.startswith("✅ Isi diterima: 3 bagian, 10.001 karakter.")
        assert await current_body(o) == body
