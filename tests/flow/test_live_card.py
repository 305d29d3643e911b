"""The Kepala's card does not stay at "sedang diterbitkan": once the article is live it says
so, with where (a link a phone can open) — and "🌐 Terbit" reaches the writer and the admin
once, owed by the transition that completed publishing."""
from __future__ import annotations

from tests.flow.harness import Office, make_settings, running, staffed_office, submit_new
from texts.id import review as R


async def test_the_kepalas_card_shows_the_article_live_with_its_link(fake_telegram, tmp_path):
    settings = make_settings(fake_telegram, tmp_path / "data", site_base_url="https://kantor.example.go.id")
    o = Office(fake_telegram, settings)
    async with running(o):
        await staffed_office(o)
        kp, w, a = o.kepala, o.writer, o.admin
        card = await submit_new(o, title="Pelantikan Pejabat Pengawas 2026")
        await o.press(o.kasubbag, card, R.BTN_FORWARD)
        card = kp.last_message
        await o.press(kp, card, R.BTN_APPROVE)
        await w.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=15)
        await o.tg.settle()
        live = kp.tg.message(kp.chat_id, card.message_id)
        assert "sedang diterbitkan" not in live.text and not live.button_texts
        assert "✅ Disetujui oleh Kartini Kepala" in live.text and "🌐 Terbit" in live.text
        assert "https://kantor.example.go.id/artikel/" in live.text
        assert sum("Terbit:" in (m.text or "") for m in w.messages) == 1
        assert sum("Terbit:" in (m.text or "") for m in a.messages) == 1
        assert not any("Terbit:" in (m.text or "") for m in kp.messages)  # the card says it for the Kepala
