"""The writer's preview on the review desk (issue 22): «Lihat seperti di situs» on the writer's
preview opens the desk read-only — the article as the site's templates render it, with the
writer's photo, the checks, no decision form — through the same gate → exchange → view →
preview routes; every decision posted with the writer's session is refused.  Another writer
of the same office is refused; after submission the old button no longer admits the writer
(the item is the reviewers' now); when the desk is off the preview has no such button.
"""
from __future__ import annotations

import re
import time

import httpx

from handlers.desk import page
from tests.desk import test_desk_routes as routes_test
from tests.desk.test_desk_routes import _office, launched
from tests.fakebot.webapp import sign_init_data
from tests.flow.harness import draft_to_preview, running, staffed_office, with_button
from texts.id import desk as K
from texts.id import review as R

TITLE = "Rapat Koordinasi Program Kerja 2027"
SUBMIT = "✅ Ajukan ke Kasubbag"
#: The desk's fixture (a bot in webhook mode, staffed, with bot/web.py's listener).
desk_office = routes_test.desk_office


def labels(message) -> list[str]:
    return [t for row in message.buttons for t, _ in row]


async def test_the_writer_sees_the_draft_as_the_site_will_and_decides_nothing(desk_office):
    o = desk_office
    w = o.writer
    preview = await draft_to_preview(o, photos=1)
    assert K.BTN_PREVIEW in labels(preview) and SUBMIT in labels(preview), labels(preview)
    path, raw, sid, rid = launched(w.open_web_app(preview, K.BTN_PREVIEW))

    async with httpx.AsyncClient(base_url=o.base, timeout=15) as http:
        gate = await http.get(path)
        assert gate.status_code == 200 and 'id="meja-data"' in gate.text
        ex = await http.post(page.exchange_path(sid, rid), content=raw)
        assert ex.status_code == 200, ex.text
        token, view = ex.json()["token"], ex.json()["view"]

        desk = await http.get(view)
        assert desk.status_code == 200, desk.text
        assert K.WRITER_NO_DECISION in desk.text and K.PAGE_TITLE.format(id=sid) in desk.text
        assert 'id="keputusan"' not in desk.text and "formaction" not in desk.text  # no decision form
        assert K.CHECKS_HEADING in desk.text and K.COMMENTS_NONE in desk.text

        article = await http.get(view + page.PREVIEW_PATH)
        assert article.status_code == 200 and TITLE in article.text
        media = re.findall(r'src="\.\./\.\./(berkas/\d+/[a-z]+)"', article.text)
        assert media, article.text
        photo = await http.get(view + media[0])
        assert photo.status_code == 200 and photo.headers["Content-Type"].startswith("image/")

        for action in ("teruskan", "setujui", "kembalikan", "koreksi"):
            r = await http.post(page.action_path(sid, rid, action), json={"note": "x", "field": "title", "text": "x"},
                                headers={page.TOKEN_HEADER: token})
            assert r.status_code == 403 and r.json()["message"] == K.WRITER_READ_ONLY, (action, r.text)

    # The preview's other buttons still work with the web_app button on the message: the class menu
    # opens in place (its keyboard read back and drawn again), and submitting goes through.
    class_button = next(t for t in labels(preview) if t.startswith("🏷 Kelas"))
    await o.press(w, preview, class_button)
    opened = next(m for m in w.messages if m.message_id == preview.message_id)
    assert class_button not in labels(opened) and K.BTN_PREVIEW in labels(opened), labels(opened)
    await o.press(w, with_button(w, SUBMIT), SUBMIT)
    assert TITLE in (o.kasubbag.last_message.text or "")


async def test_another_writer_and_a_submitted_draft_are_refused(desk_office):
    o = desk_office
    w = o.writer
    other = o.tg.user(7_000_001, "Wati Penulis", "wati")
    await o.onboard(other, "penulis", "Humas")
    preview = await draft_to_preview(o)
    _path, raw, sid, rid = launched(w.open_web_app(preview, K.BTN_PREVIEW))
    stranger = sign_init_data(o.tg.token, user={"id": other.id, "first_name": "Wati"}, auth_date=int(time.time()))
    kasubbag = sign_init_data(o.tg.token, user={"id": o.kasubbag.id, "first_name": "Kasim"},
                              auth_date=int(time.time()))
    async with httpx.AsyncClient(base_url=o.base, timeout=15) as http:
        for data in (stranger, kasubbag):  # not the draft's writer: a reviewer has nothing to review yet
            r = await http.post(page.exchange_path(sid, rid), content=data)
            assert r.status_code == 403 and r.json()["message"] == K.WRITER_FORBIDDEN, r.text
        r = await http.post(page.exchange_path(sid, rid + 1), content=raw)  # not the draft's revision
        assert r.status_code == 403 and r.json()["message"] == K.WRITER_FORBIDDEN

        opened = await http.post(page.exchange_path(sid, rid), content=raw)  # a session opened before submitting
        assert opened.status_code == 200, opened.text
        view = opened.json()["view"]

        await o.press(w, preview, SUBMIT)
        assert TITLE in (o.kasubbag.last_message.text or "")
        submitted = next(m for m in w.messages if m.message_id == preview.message_id)
        assert K.BTN_PREVIEW not in labels(submitted)  # the preview became "terkirim": its buttons are gone

        # The address opened again (a Mini App kept open, a client reopening it with fresh initData):
        # the item is the Kasubbag's to review now, not the writer's to see.
        again = sign_init_data(o.tg.token, user={"id": w.id, "first_name": "Wulan"}, auth_date=int(time.time()))
        r = await http.post(page.exchange_path(sid, rid), content=again)
        assert r.status_code == 403 and r.json()["message"] == K.FORBIDDEN, r.text
        # And the session opened before: its pages are closed too.
        late = await http.get(view)
        assert late.status_code == 410 and K.WRITER_FORBIDDEN in late.text
        assert (await http.get(view + page.PREVIEW_PATH)).status_code == 410


async def test_switched_off_the_preview_has_no_desk_button(fake_telegram, tmp_path):
    o = await _office(fake_telegram, tmp_path, miniapp_enabled=False)
    async with running(o):
        await staffed_office(o)
        preview = await draft_to_preview(o)
        assert K.BTN_PREVIEW not in labels(preview) and SUBMIT in labels(preview)


async def test_a_returned_draft_is_the_writers_to_see_at_its_current_revision(desk_office):
    """Returned, the item is the writer's again: «Perbaiki» opens a new revision (the one the Kasubbag
    saw stays as it was) and the preview's button opens that one, showing the writer's changes as they
    make them; the revision the Kasubbag saw is not the writer's to open."""
    o = desk_office
    w, ks = o.writer, o.kasubbag
    preview = await draft_to_preview(o)
    await o.press(w, preview, SUBMIT)
    card = ks.last_message
    _p, _raw, sid, seen_rid = launched(ks.open_web_app(card, K.BTN_OPEN))
    await o.press(ks, card, R.BTN_RETURN)
    await o.say(ks, "Judul kurang spesifik, sebutkan bidangnya.")
    m = await o.press(w, w.last_message, R.BTN_REVISE)
    assert K.BTN_PREVIEW in labels(m), labels(m)
    _p, raw, sid2, rid = launched(w.open_web_app(m, K.BTN_PREVIEW))
    assert sid2 == sid and rid != seen_rid
    async with httpx.AsyncClient(base_url=o.base, timeout=15) as http:
        old = sign_init_data(o.tg.token, user={"id": w.id, "first_name": "Wulan"}, auth_date=int(time.time()))
        r = await http.post(page.exchange_path(sid, seen_rid), content=old)
        assert r.status_code == 403 and r.json()["message"] == K.WRITER_FORBIDDEN
        ex = await http.post(page.exchange_path(sid, rid), content=raw)
        assert ex.status_code == 200, ex.text
        view = ex.json()["view"]
        assert TITLE in (await http.get(view + page.PREVIEW_PATH)).text

        m = await o.press(w, m, "✏️ Ubah")
        m = await o.press(w, m, "Judul")
        m = await o.say(w, "Rapat Koordinasi Program Kerja Bidang Humas 2027")
        assert launched(w.open_web_app(m, K.BTN_PREVIEW))[3] == rid  # the same revision, changed
        assert "Bidang Humas" in (await http.get(view + page.PREVIEW_PATH)).text
