"""Public-information classes (UU 14/2008) and the Daftar Informasi Publik
(PerKI 1/2021), lived by the office on their phones."""
from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from domain.kip import KipClass
from handlers.context import terbit
from services.errors import ServiceError
from services.writing import kip
from tests.flow.harness import draft_to_preview, with_button
from texts.id import kip as K
from texts.id import publishing as P
from texts.id import review as R

SUBMIT = "✅ Ajukan ke Kasubbag"


def cls(label: str) -> str:
    return K.BTN_CLASS.format(label=label)


#: The four classes as the chooser shows them, two a row, when "Setiap saat" is the current one.
OPTIONS_SETIAP_SAAT = [["Berkala", "Serta-merta"], ["✓ Setiap saat", "⛔ Dikecualikan"]]


def rows(m) -> list[list[str]]:
    return [[text for text, _ in row] for row in m.buttons]


async def choose(office, user, m, current: str, option: str):
    """Open the class button, then choose one of the four classes shown."""
    await office.press(user, m, cls(current))
    opened = user.tg.message(user.chat_id, m.message_id)
    assert cls(current) not in opened.button_texts and any(option in row for row in rows(opened)), rows(opened)
    return await office.press(user, opened, option)


async def test_class_chosen_confirmed_changed_and_shown_on_page_and_archive(office):
    w, ks, kp = office.writer, office.kasubbag, office.kepala
    preview = await draft_to_preview(office, title="Laporan Realisasi Anggaran Triwulan III")
    # An article starts with its kind's default class, shown on the preview's button.
    assert cls("Setiap saat") in preview.button_texts
    # The button shows the four classes to choose from, the other buttons staying where they were.
    await office.press(w, preview, cls("Setiap saat"))
    opened = w.tg.message(w.chat_id, preview.message_id)
    assert rows(opened)[1:3] == OPTIONS_SETIAP_SAAT
    assert rows(opened)[0] == [SUBMIT] and w.callback_answers[-1]["text"] == K.CHOOSE_CLASS
    # Choosing the excepted one: the writer is told why it cannot go out.
    asked = await office.press(w, opened, "⛔ Dikecualikan")
    lead = next(m.text for m in reversed(w.messages) if "Kelas informasi: Dikecualikan" in (m.text or ""))
    assert "tidak boleh diterbitkan" in lead and "UU 14/2008 Pasal 17" in lead
    # ... and asked, after the preview, for the exemption's record (PerKI 1/2017): its ground first.
    assert "1/3 — Atas dasar apa" in asked.text and len(asked.button_texts) == 10
    preview = with_button(w, cls("Dikecualikan"))
    await office.press(w, preview, SUBMIT)
    assert w.callback_answers[-1]["text"] == K.EXCEPTED_POPUP_WRITER and w.callback_answers[-1]["show_alert"]
    assert "UU 14/2008 Pasal 17" in w.last_message.text and "rahasia pribadi" in w.last_message.text
    assert not any("menunggu pemeriksaan Kasubbag" in (m.text or "") for m in ks.messages)
    # Choosing "Berkala": now it goes.
    preview = await choose(office, w, with_button(w, cls("Dikecualikan")), "Dikecualikan", "Berkala")
    assert cls("Berkala") in preview.button_texts
    await office.press(w, preview, SUBMIT)
    assert "terkirim ke Kasubbag" in w.last_message.text

    # The Kasubbag sees the writer's class on the card and changes it without deciding.
    card = ks.last_message
    assert "menunggu pemeriksaan Kasubbag" in card.text
    assert card.button_texts == [R.BTN_FORWARD, R.BTN_RETURN, cls("Berkala")]
    # Serta-merta is one choice away, not three presses past the excepted class.
    await choose(office, ks, card, "Berkala", "Serta-merta")
    card = ks.tg.message(ks.chat_id, card.message_id)
    assert card.button_texts == [R.BTN_FORWARD, R.BTN_RETURN, cls("Serta-merta")]
    assert ks.callback_answers[-1]["text"] == K.CLASS_SET.format(label="Serta-merta")
    assert not any("menunggu persetujuan Kepala" in (m.text or "") for m in kp.messages)
    await office.press(ks, card, R.BTN_FORWARD)

    card = kp.last_message
    assert "menunggu persetujuan Kepala" in card.text and cls("Serta-merta") in card.button_texts
    await office.press(kp, card, R.BTN_APPROVE)
    await w.wait_for_message(lambda x: "Terbit:" in (x.text or ""), timeout=15)
    await office.tg.settle()

    html = next((office.settings.site_dir / "artikel").glob("*/index.html")).read_text()
    assert "Kelas informasi: Serta-merta · Unit penanggung jawab: Humas" in html
    meta = json.loads(next(office.settings.archive_dir.rglob("metadata.json")).read_text())
    assert meta["kip"] == {"class": "serta_merta", "label": "Serta-merta", "unit": "Humas"}
    md = next(office.settings.archive_dir.rglob("artikel.md")).read_text()
    assert "Kelas informasi: Serta-merta" in md


async def test_reviewer_cannot_forward_an_excepted_item(office):
    w, ks, kp = office.writer, office.kasubbag, office.kepala
    preview = await draft_to_preview(office, title="Rapat Koordinasi Program Kerja 2027")
    await office.press(w, preview, SUBMIT)
    card = ks.last_message
    await choose(office, ks, card, "Setiap saat", "⛔ Dikecualikan")
    assert ks.callback_answers[-1]["text"] == K.CARD_EXCEPTED
    card = ks.tg.message(ks.chat_id, card.message_id)
    await office.press(ks, card, R.BTN_FORWARD)
    assert ks.callback_answers[-1]["text"] == K.EXCEPTED_POPUP and ks.callback_answers[-1]["show_alert"]
    assert not any("menunggu persetujuan Kepala" in (m.text or "") for m in kp.messages)
    card = ks.tg.message(ks.chat_id, card.message_id)
    assert R.BTN_FORWARD in card.button_texts  # nothing was decided
    # Choosing another class lets it go on.
    await choose(office, ks, card, "Dikecualikan", "Berkala")
    await office.press(ks, ks.tg.message(ks.chat_id, card.message_id), R.BTN_FORWARD)
    assert "menunggu persetujuan Kepala" in kp.last_message.text


async def test_admin_sets_the_default_class_of_a_kind(office):
    a, w = office.admin, office.writer
    m = await office.say(w, "/kip")
    assert m.text == K.ADMIN_ONLY
    m = await office.say(a, "/kip")
    assert "• Pengumuman: Serta-merta" in m.text and "• Artikel: Setiap saat" in m.text
    await office.press(a, m, "Artikel: Setiap saat ▾")
    opened = a.tg.message(a.chat_id, m.message_id)
    assert rows(opened)[2:4] == OPTIONS_SETIAP_SAAT  # in place of the Artikel row (the third kind)
    m = await office.press(a, opened, "Berkala")
    assert "• Artikel: Berkala" in m.text
    assert a.callback_answers[-1]["text"] == K.DEFAULT_SET.format(kind="Artikel", label="Berkala")
    preview = await draft_to_preview(office)
    assert cls("Berkala") in preview.button_texts
    # A submitted item keeps its class when the default changes later.
    await office.press(w, preview, SUBMIT)
    m = with_button(a, "Artikel: Berkala ▾")
    await office.press(a, m, "Artikel: Berkala ▾")
    m = await office.press(a, a.tg.message(a.chat_id, m.message_id), "Serta-merta")
    assert "• Artikel: Serta-merta" in m.text
    assert cls("Berkala") in office.kasubbag.last_message.button_texts


async def _publish(office, title: str, kind: str = "📝 Artikel") -> None:
    w, ks, kp = office.writer, office.kasubbag, office.kepala
    preview = await draft_to_preview(office, title=title, kind=kind)
    await office.press(w, preview, SUBMIT)
    await office.press(ks, ks.last_message, R.BTN_FORWARD)
    await office.press(kp, kp.last_message, R.BTN_APPROVE)
    await w.wait_for_message(lambda x: "Terbit:" in (x.text or "") and title in (x.text or ""), timeout=15)
    await office.tg.settle()


async def test_dip_workbook_lists_what_was_published(office):
    a, ks, kp, w = office.admin, office.kasubbag, office.kepala, office.writer
    await _publish(office, "Sosialisasi Keterbukaan Informasi Publik")
    await _publish(office, "Jadwal Pelayanan Publik Desember", kind="📢 Pengumuman")
    m = await office.say(a, "/tarik 1 Data sudah tidak berlaku")
    await office.tg.settle()
    await office.press(kp, with_button(kp, P.BTN_CONFIRM_WITHDRAW), P.BTN_CONFIRM_WITHDRAW)
    await w.wait_for_message(lambda x: "Ditarik:" in (x.text or ""), timeout=15)
    await office.tg.settle()
    now = datetime.now(UTC).astimezone(ZoneInfo(office.settings.timezone))

    m = await office.say(w, "/dip")
    assert m.text == K.DIP_FORBIDDEN
    await office.say(ks, "/dip")
    await office.tg.settle(timeout=15)
    doc = ks.last_message
    assert doc.kind == "document" and doc.file.file_name == f"daftar-informasi-publik-{now.year}.xlsx"
    assert doc.text == K.DIP_CAPTION.format(period=f"Tahun {now.year}", n=2)
    wb = load_workbook(io.BytesIO(doc.file_bytes))
    rows = list(wb["DIP"].iter_rows(values_only=True))
    assert rows[0][0] == "Daftar Informasi Publik" and rows[1][0] == f"Periode: Tahun {now.year}"
    assert list(rows[2]) == list(K.XLSX_HEADERS)
    data = rows[3:]
    assert [r[0] for r in data] == [1, 2]
    first, second = data
    assert first[1].startswith("Sosialisasi Keterbukaan Informasi Publik — ")
    assert first[2] == "Humas" and first[3] == "Kartini Kepala"
    assert first[5] == "Elektronik (HTML)" and first[6] == "5 tahun"
    assert first[7] == "Setiap saat" and first[10] == "Ditarik"
    assert second[7] == "Serta-merta" and second[10] == "Tersedia" and second[8] == "Pengumuman"

    # By month: this one holds both; a year with nothing gives an empty list; nonsense is explained.
    await office.say(kp, f"/dip {now:%Y-%m}")
    await office.tg.settle(timeout=15)
    assert kp.last_message.kind == "document"
    assert load_workbook(io.BytesIO(kp.last_message.file_bytes))["DIP"].max_row == 5
    await office.say(a, f"/dip {now.year - 1}")
    await office.tg.settle(timeout=15)
    assert any(K.DIP_EMPTY.format(period=f"Tahun {now.year - 1}") == (m.text or "") for m in a.messages[-3:])
    assert load_workbook(io.BytesIO(a.last_message.file_bytes))["DIP"].max_row == 3
    m = await office.say(a, "/dip kemarin sore")
    assert "/dip 2026-11" in m.text


async def test_only_the_person_it_waits_for_changes_the_class(office):
    w, ks, kp = office.writer, office.kasubbag, office.kepala
    preview = await draft_to_preview(office)
    await office.press(w, preview, SUBMIT)
    t = terbit(office.app)
    for who in (w, kp):  # the writer after submitting, the Kepala before it reaches them
        with pytest.raises(ServiceError) as refused:
            await kip.set_class(t.sessions, telegram_id=who.id, submission_id=1, kip_class=KipClass.BERKALA,
                                now=t.now())
        assert refused.value.code == "kip_forbidden"
    assert await kip.class_of(t.sessions, 1) is KipClass.SETIAP_SAAT
    await office.press(ks, ks.last_message, R.BTN_FORWARD)
    changed = await kip.set_class(t.sessions, telegram_id=kp.id, submission_id=1, kip_class=KipClass.BERKALA,
                                  now=t.now())
    assert changed.kip_class is KipClass.BERKALA


async def test_dip_lists_excepted_items_on_a_second_sheet_without_their_content(office):
    w, ks, a = office.writer, office.kasubbag, office.admin
    title, secret = "Nota Dinas Rencana Pengadaan Lahan", "Harga tanah per meter"
    preview = await draft_to_preview(office, title=title, body=(secret + " dan lokasi lahan yang dinilai. ") * 6)
    await choose(office, w, preview, "Setiap saat", "⛔ Dikecualikan")
    from sqlalchemy import select

    from storage.models import Submission
    async with terbit(office.app).sessions() as s:
        sid = await s.scalar(select(Submission.id).where(Submission.kip_class == KipClass.DIKECUALIKAN))
    await office.say(ks, "/dip")
    wb = load_workbook(io.BytesIO(ks.last_message.file_bytes))
    assert wb.sheetnames == ["DIP", "DIK"]
    rows = [r for r in wb["DIK"].iter_rows(values_only=True)]
    assert rows[0][0] == K.DIK_TITLE and rows[3] == K.DIK_HEADERS
    number, kind, section, by, when, *record = rows[4][1:]
    assert (number, kind, section, by) == (sid, "Artikel", "Humas", "Wulan Penulis") and isinstance(when, datetime)
    assert record == [K.DIK_NO_RECORD] * 3  # the writer did not answer the record's questions
    everything = " ".join(str(v) for r in wb["DIK"].iter_rows(values_only=True) for v in r if v is not None)
    assert title not in everything and secret not in everything  # never the content
    # Chosen anew (publishable): no longer excepted.
    await choose(office, w, with_button(w, cls("Dikecualikan")), "Dikecualikan", "Berkala")
    await office.say(a, "/dip")
    assert load_workbook(io.BytesIO(a.last_message.file_bytes))["DIK"].max_row == 4


async def test_an_exemption_is_recorded_kept_in_the_history_and_the_dik_sheet_never_on_the_page(office):
    """PerKI 1/2017: classed dikecualikan on the card, the Kasubbag answers the ground, the reason and the
    period; /riwayat and /dip's DIK sheet show the record; the workflow still refuses it; another class
    later lifts it (kept in the history and the archive's record, never on the public page)."""
    w, ks, kp = office.writer, office.kasubbag, office.kepala
    reason = "Memuat data pribadi pemohon yang belum disamarkan"
    preview = await draft_to_preview(office, title="Daftar Penerima Bantuan Sosial Tahap II")
    await office.press(w, preview, SUBMIT)
    card = ks.last_message
    asked = await choose(office, ks, card, "Setiap saat", "⛔ Dikecualikan")
    assert "1/3" in asked.text and "PerKI 1/2017" in asked.text
    m = await office.press(ks, asked, "h. mengungkap rahasia pribadi")
    assert "2/3" in m.text and "Pasal 17 huruf h: mengungkap rahasia pribadi" in m.text
    assert not ks.buttons(asked.message_id)  # the ground's buttons are used up
    m = await office.say(ks, reason)
    assert "3/3" in m.text
    m = await office.say(ks, "lima tahun")
    assert m.text == K.PERIOD_UNREADABLE
    m = await office.say(ks, "1-1-2020")
    assert m.text == K.PERIOD_PAST
    m = await office.say(ks, "5 tahun")
    assert "tersimpan" in m.text and "Jangka waktu: 5 tahun" in m.text and "Ditetapkan oleh: Kasim Kasubbag" in m.text
    assert reason in m.text

    # The workflow's own rule still refuses to send it on.
    await office.press(ks, ks.tg.message(ks.chat_id, card.message_id), R.BTN_FORWARD)
    assert ks.callback_answers[-1]["text"] == K.EXCEPTED_POPUP
    history = await office.say(ks, "/riwayat 1")
    assert "Kasim Kasubbag menetapkan informasi dikecualikan: Pasal 17 huruf h" in history.text
    assert reason in history.text and "5 tahun" in history.text
    await office.say(ks, "/dip")
    dik = list(load_workbook(io.BytesIO(ks.last_message.file_bytes))["DIK"].iter_rows(values_only=True))
    assert dik[4][1] == 1 and dik[4][4] == "Kasim Kasubbag"  # who classed it, then the record next to it
    assert dik[4][6:] == ("Pasal 17 huruf h: mengungkap rahasia pribadi", reason, "5 tahun")

    # Another class: no longer excepted, the record kept (lifted) in the history; it goes on.
    await choose(office, ks, ks.tg.message(ks.chat_id, card.message_id), "Dikecualikan", "Berkala")
    history = await office.say(ks, "/riwayat 1")
    assert reason in history.text and "Kasim Kasubbag memilih kelas lain" in history.text
    await office.say(ks, "/dip")
    assert load_workbook(io.BytesIO(ks.last_message.file_bytes))["DIK"].max_row == 4
    await office.press(ks, ks.tg.message(ks.chat_id, card.message_id), R.BTN_FORWARD)

    # The Kepala excepts it on the card, until a date: the approval is refused.
    card = kp.last_message
    asked = await choose(office, kp, card, "Berkala", "⛔ Dikecualikan")
    await office.press(kp, asked, "a. menghambat proses penegakan hukum")
    m = await office.say(kp, "   ")
    assert m.text == K.REASON_EMPTY
    await office.say(kp, "Sedang dalam penyidikan")
    m = await office.say(kp, "31/12/2030")
    assert "Jangka waktu: sampai 31 Desember 2030" in m.text
    await office.press(kp, kp.tg.message(kp.chat_id, card.message_id), R.BTN_APPROVE)
    assert kp.callback_answers[-1]["text"] == K.EXCEPTED_POPUP
    assert not any("Terbit:" in (x.text or "") for x in w.messages)
    # Classed publishable again and approved: the archive keeps both records, the page shows neither.
    await choose(office, kp, kp.tg.message(kp.chat_id, card.message_id), "Dikecualikan", "Berkala")
    await office.press(kp, kp.tg.message(kp.chat_id, card.message_id), R.BTN_APPROVE)
    await w.wait_for_message(lambda x: "Terbit:" in (x.text or ""), timeout=15)
    await office.tg.settle()
    meta = json.loads(next(office.settings.archive_dir.rglob("metadata.json")).read_text())
    records = meta["record"]["exemptions"]
    assert [(r["ground"], r["reason"], r["years"], r["until"], r["decided_by"], r["lifted_by"]) for r in records] == [
        ("UU 14/2008 Pasal 17 huruf h", reason, 5, None, "Kasim Kasubbag", "Kasim Kasubbag"),
        ("UU 14/2008 Pasal 17 huruf a", "Sedang dalam penyidikan", None, "2030-12-31", "Kartini Kepala",
         "Kartini Kepala")]
    pages = [p.read_text() for p in office.settings.site_dir.rglob("*.html")]
    assert pages and not any(reason in p or "penyidikan" in p or "Pasal 17" in p for p in pages)
