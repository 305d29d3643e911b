"""Pembaharuan and penarikan: updating a live article in place, and withdrawing it."""
from __future__ import annotations

import json

from sqlalchemy import select

from storage.models import PublicationJob, Submission
from tests.flow.harness import submit_new
from texts.id import drafting as D
from texts.id import publishing as P
from texts.id import review as R


async def publish_one(office) -> int:
    card = await submit_new(office, title="Jadwal Pelayanan Akhir Tahun 2026")
    sid = int(card.text.split("#", 1)[1].split()[0])
    await office.press(office.kasubbag, card, R.BTN_FORWARD)
    await office.press(office.kepala, office.kepala.last_message, R.BTN_APPROVE)
    await office.writer.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=15)
    await office.tg.settle()
    return sid


async def test_update_goes_through_both_reviews_and_updates_in_place(office):
    w, ks, kp = office.writer, office.kasubbag, office.kepala
    sid = await publish_one(office)
    site = office.settings.site_dir
    [page] = list((site / "artikel").glob("*/index.html"))
    m = await office.say(w, f"/perbarui {sid}")
    assert "Pratinjau" in m.text
    m = await office.press(w, m, D.BTN_EDIT)
    m = await office.press(w, m, D.BTN_EDIT_TITLE)
    m = await office.say(w, "Jadwal Pelayanan Akhir Tahun 2026 (Diperbarui)")
    # The live page is unchanged while the update is under review.
    assert "(Diperbarui)" not in page.read_text()
    await office.press(w, m, D.BTN_SUBMIT)
    card = ks.last_message
    assert "Perubahan sejak versi yang Anda periksa" in card.text and "(Diperbarui)" in card.text
    await office.press(ks, card, R.BTN_FORWARD)
    assert "Perubahan sejak versi yang Anda periksa" in kp.last_message.text
    await office.press(kp, kp.last_message, R.BTN_APPROVE)
    await w.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=15)
    pages = list((site / "artikel").glob("*/index.html"))
    assert pages == [page] and "(Diperbarui)" in page.read_text()  # same URL, new content
    index = (site / "index.html").read_text()
    assert index.count("Jadwal Pelayanan Akhir Tahun 2026") == 1
    base = next(office.settings.archive_dir.rglob("v1")).parent
    assert sorted(p.name for p in base.iterdir() if p.is_dir()) == ["v1", "v2"]  # a new version beside the old
    v1 = json.loads((base / "v1" / "metadata.json").read_text())
    assert "(Diperbarui)" not in v1["article"]["title"]


async def test_discarding_an_update_keeps_the_live_version(office):
    w = office.writer
    sid = await publish_one(office)
    m = await office.say(w, f"/perbarui {sid}")
    m = await office.press(w, m, D.BTN_CANCEL_DRAFT)
    await office.press(w, m, D.BTN_CONFIRM_CANCEL)
    async with office.app.bot_data["terbit"].sessions() as s:
        sub = await s.get(Submission, sid)
        assert sub.state == "terbit" and sub.current_revision_id == sub.published_revision_id
    # Only the author or an admin may update.
    assert "tidak berhak" in (await office.say(office.kasubbag, f"/perbarui {sid}")).text


async def test_withdrawal_is_confirmed_by_the_kepala_and_the_archive_keeps_everything(office):
    admin, kp, w = office.admin, office.kepala, office.writer
    sid = await publish_one(office)
    assert "Gunakan" in (await office.say(admin, f"/tarik {sid}")).text  # a reason is required
    assert (await office.say(w, f"/tarik {sid} salah")).text == "Perintah ini hanya untuk admin website."
    m = await office.say(admin, f"/tarik {sid} Jadwal berubah total")
    assert "dikirim ke Kepala" in m.text
    card = kp.last_message
    assert "Jadwal berubah total" in card.text
    await office.press(kp, card, P.BTN_CONFIRM_WITHDRAW)
    done = await w.wait_for_message(lambda m: "Ditarik:" in (m.text or ""), timeout=15)
    assert "Arsip kantor tetap disimpan dan ditandai ditarik" in done.text
    assert not list((office.settings.site_dir / "artikel").glob("*/index.html"))
    assert "Jadwal Pelayanan" not in (office.settings.site_dir / "index.html").read_text()
    marker = json.loads(next(office.settings.archive_dir.rglob("DITARIK.json")).read_text())
    # Both halves of the withdrawal, from the audit trail: the admin's request and the Kepala's decision.
    request, decision = marker["request"], marker["decision"]
    assert request["by"]["telegram_id"] == admin.id and request["role"] == "admin"
    assert request["note"] == "Jadwal berubah total" and request["action"] == "minta_tarik"
    assert decision["by"]["telegram_id"] == kp.id and decision["role"] == "kepala"
    assert request["at"] <= decision["at"] and request["at"].endswith("+07:00")
    assert marker["reason"] == "Jadwal berubah total"
    async with office.app.bot_data["terbit"].sessions() as s:
        assert (await s.get(Submission, sid)).state == "ditarik"
        ops = (await s.execute(select(PublicationJob.target, PublicationJob.operation, PublicationJob.state)
                               .where(PublicationJob.operation == "withdraw"))).all()
        assert {(t, st) for t, _, st in ops} == {("static_site", "published"), ("archive", "published")}
    listing = await office.say(admin, "/terbitan")
    assert f"#{sid}" in listing.text and "penarikan" in listing.text
    assert "sudah diturunkan" in listing.text and "tersimpan di arsip elektronik kantor" in listing.text
    # The archive is never taken down: /terbitan says what the notice says.
    archive_lines = [line for line in listing.text.splitlines() if "Arsip" in line and "penarikan" in line]
    assert archive_lines and all("ditandai ditarik; arsip tetap disimpan" in line for line in archive_lines)
    assert not any("diturunkan" in line for line in archive_lines)
    # In Indonesian, and never a path on the server.
    for word in ("file://", str(office.settings.data_dir), "published", "queued", "failed", "retry", "withdraw"):
        assert word not in listing.text, word


async def test_kepala_may_keep_it_published(office):
    sid = await publish_one(office)
    await office.say(office.admin, f"/tarik {sid} Ragu")
    await office.press(office.kepala, office.kepala.last_message, P.BTN_KEEP)
    async with office.app.bot_data["terbit"].sessions() as s:
        assert (await s.get(Submission, sid)).state == "terbit"
    assert list((office.settings.site_dir / "artikel").glob("*/index.html"))
