"""The review desk end to end (issue 22): the Kasubbag's card carries «Buka meja periksa», the
Telegram client opens it with signed initData, and an HTTP client walks gate → exchange → desk →
preview → file → decision on the webhook listener's routes (bot/web.py); the item moves on, the
Kepala gets the card, the Kasubbag's card shows the outcome.  Forged, expired and replayed initData,
a person without the role, another item's session and the off switch are refused.

The bot runs in-process (the flow harness) with webhook-mode settings (an https
TELEGRAM_WEBHOOK_URL, so the desk is on by default); the listener is bot/web.py's tornado
application on 127.0.0.1, serving Telegram's path and the desk as `terbit run` does.
"""
from __future__ import annotations

import json
import re
import time
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
import tornado.httpserver

from bot import web
from handlers.desk import page
from handlers.desk.routes import routes
from services.reviewing import review
from tests.chromium import CHROMIUM, MISSING, Chromium
from tests.desk.test_desk_browser import DESK_READY, MEASURE, WATCH, wait_for
from tests.durability.process import BotProcess
from tests.durability.test_crash import wait_for_text
from tests.durability.test_webhook_faults import SECRET, free_port
from tests.fakebot.webapp import sign_init_data
from tests.flow.harness import (
    WRITER_ID,
    Office,
    jpeg,
    make_settings,
    running,
    staffed_office,
    submit_new,
    tiny_pdf,
    to_media_step,
)
from texts.id import comments as M
from texts.id import desk as K
from texts.id import review as R

PUBLIC = "https://terbit.example"


async def _office(fake_telegram, tmp_path, **over):
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data",
                                            telegram_webhook_url=f"{PUBLIC}/tg-hook",
                                            telegram_webhook_secret=SECRET, **over))
    return o


class Listener:
    """bot/web.py's tornado application for a running harness bot, on a free local port."""

    def __init__(self, office: Office) -> None:
        app = office.app
        self.server = tornado.httpserver.HTTPServer(
            web.web_application(app, office.settings, routes(web.desk(app, office.settings))))
        self.port = free_port()
        self.server.listen(self.port, address="127.0.0.1")
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.stop()


@pytest.fixture
async def desk_office(fake_telegram, tmp_path):
    o = await _office(fake_telegram, tmp_path)
    async with running(o):
        await staffed_office(o)
        listener = Listener(o)
        o.base = listener.base  # type: ignore[attr-defined]
        try:
            yield o
        finally:
            listener.stop()


def launched(url: str) -> tuple[str, str, int, int]:
    """(path, raw initData, item, revision) of the address a web_app button opened."""
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("https", "terbit.example"), url
    m = re.fullmatch(r"/meja/(\d+)/(\d+)/", parts.path)
    assert m, parts.path
    raw = parse_qs(parts.fragment)["tgWebAppData"][0]  # what the gate's URLSearchParams hands fetch()
    return parts.path, raw, int(m.group(1)), int(m.group(2))


def assert_desk_headers(r: httpx.Response) -> None:
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]


async def test_the_kasubbag_decides_from_the_desk_and_the_chat_follows(desk_office):
    o = desk_office
    k, tg = o.kasubbag, o.tg
    w = await to_media_step(o)
    await w.send_photo(jpeg((40, 90, 160)))
    await o.tg.settle()
    await w.send_document(tiny_pdf(), "undangan-rapat.pdf")
    await o.tg.settle()
    preview = await o.press(w, w.last_message, "✅ Selesai, lihat pratinjau")
    await o.press(w, preview, "✅ Ajukan ke Kasubbag")
    card = k.last_message
    labels = [t for row in card.buttons for t, _ in row]
    assert K.BTN_OPEN in labels and R.BTN_FORWARD in labels, labels
    path, raw, sid, rid = launched(k.open_web_app(card, K.BTN_OPEN))

    async with httpx.AsyncClient(base_url=o.base, timeout=15) as http:
        gate = await http.get(path)
        assert gate.status_code == 200 and 'id="meja-data"' in gate.text
        assert_desk_headers(gate)
        assert "Rapat Koordinasi" not in gate.text  # the gate shows nothing of the item

        ex = await http.post(page.exchange_path(sid, rid), content=raw)
        assert ex.status_code == 200, ex.text
        got = ex.json()
        token, view = got["token"], got["view"]
        assert view.startswith("/meja/v/")

        again = await http.post(page.exchange_path(sid, rid), content=raw)  # the same initData twice
        assert again.status_code == 403 and again.json()["message"] == K.SESSION_REFUSED["replayed"]

        desk = await http.get(view)
        assert desk.status_code == 200 and K.PAGE_TITLE.format(id=sid) in desk.text
        assert_desk_headers(desk)
        assert page.action_path(sid, rid, "teruskan") in desk.text
        assert page.action_path(sid, rid, "setujui") not in desk.text  # the Kepala's, not at this step

        preview = await http.get(view + page.PREVIEW_PATH)
        assert preview.status_code == 200 and "Rapat Koordinasi Program Kerja 2027" in preview.text
        assert "script-src 'none'" in preview.headers["Content-Security-Policy"]
        media = re.findall(r'src="\.\./\.\./(berkas/\d+/[a-z]+)"', preview.text)
        assert media, preview.text
        photo = await http.get(view + media[0])
        assert photo.status_code == 200 and photo.headers["Content-Type"].startswith("image/")
        assert photo.content[:2] == b"\xff\xd8" or photo.content[:4] == b"RIFF" or photo.content[:4] == b"\x89PNG"
        css = await http.get(view + "style.css")
        assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
        assert (await http.get(view + "berkas/999999/web")).status_code == 404  # not a file of this item
        document = re.findall(r'href="\.\./\.\./(berkas/\d+/download)"', preview.text)
        assert document, preview.text
        pdf = await http.get(view + document[0])
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert pdf.headers["Content-Type"] == "application/pdf"
        assert pdf.headers["Content-Disposition"].startswith("attachment;")
        assert "sandbox" in pdf.headers["Content-Security-Policy"]

        # A session is for its own item only; a decision needs the session's token.
        other = await http.post(page.action_path(sid + 1, rid, "teruskan"), json={},
                                headers={page.TOKEN_HEADER: token})
        assert other.status_code == 403 and other.json()["message"] == K.SESSION_REFUSED["other_item"]
        none = await http.post(page.action_path(sid, rid, "teruskan"), json={})
        assert none.status_code == 403
        unknown = await http.get(page.view_path("x" * 43))
        assert unknown.status_code == 403 and K.SESSION_REFUSED["unknown"] in unknown.text

        before = len(o.kepala.messages)
        done = await http.post(page.action_path(sid, rid, "teruskan"), json={"note": ""},
                               headers={page.TOKEN_HEADER: token, "Content-Type": "application/json"})
        assert done.status_code == 200, done.text
        assert done.json() == {"ok": True, "message": R.POPUP_FORWARDED}

    await tg.wait_until(lambda: any(R.BTN_APPROVE in [t for row in m.buttons for t, _ in row]
                                    for m in o.kepala.messages[before:]), timeout=15, what="the Kepala's card")
    kepala_card = next(m for m in reversed(o.kepala.messages) if m.buttons)
    assert K.BTN_OPEN in [t for row in kepala_card.buttons for t, _ in row]

    def decided():
        m = k.chat.messages.get(card.message_id) if hasattr(k, "chat") else None
        m = m or next((x for x in k.messages if x.message_id == card.message_id), None)
        return m is not None and m.text.splitlines()[-1].startswith("✅ Diteruskan ke Kepala oleh ") and not m.buttons
    await tg.wait_until(decided, timeout=15, what="the Kasubbag's card showing the outcome")


async def test_a_stale_decision_says_what_happened(desk_office):
    o = desk_office
    k = o.kasubbag
    card = await submit_new(o)
    _path, raw, sid, rid = launched(k.open_web_app(card, K.BTN_OPEN))
    async with httpx.AsyncClient(base_url=o.base, timeout=15) as http:
        token = (await http.post(page.exchange_path(sid, rid), content=raw)).json()["token"]
        await o.press(k, card, R.BTN_FORWARD)  # the button first
        late = await http.post(page.action_path(sid, rid, "teruskan"), json={}, headers={page.TOKEN_HEADER: token})
    assert late.status_code == 409
    assert late.json()["message"] == R.POPUP_DECIDED_BY_YOU.format(outcome="diteruskan ke Kepala")


async def test_forged_expired_and_roleless_initdata_are_refused(desk_office):
    o = desk_office
    k = o.kasubbag
    card = await submit_new(o)
    _path, raw, sid, rid = launched(k.open_web_app(card, K.BTN_OPEN))
    forged = re.sub(r"hash=([0-9a-f])", lambda m: "hash=" + ("0" if m.group(1) != "0" else "1"), raw)
    _p, old, _s, _r = launched(k.open_web_app(card, K.BTN_OPEN, auth_date=int(time.time()) - 2 * 3600))
    writer = sign_init_data(o.tg.token, user={"id": WRITER_ID, "first_name": "Wulan"}, auth_date=int(time.time()))
    kepala = sign_init_data(o.tg.token, user={"id": o.kepala.id, "first_name": "Kartini"},
                            auth_date=int(time.time()))
    async with httpx.AsyncClient(base_url=o.base, timeout=15) as http:
        async def exchange(data: str) -> httpx.Response:
            return await http.post(page.exchange_path(sid, rid), content=data)

        r = await exchange(forged)
        assert r.status_code == 403 and r.json()["message"] == K.INIT_REFUSED["forged"]
        r = await exchange(old)
        assert r.status_code == 403 and r.json()["message"] == K.INIT_REFUSED["expired"]
        r = await exchange("user=%7B%7D&auth_date=1")
        assert r.status_code == 403 and r.json()["message"] == K.INIT_REFUSED["malformed"]
        for data in (writer, kepala):  # registered, but not the reviewer this item waits for now
            r = await exchange(data)
            assert r.status_code == 403 and r.json()["message"] == K.FORBIDDEN, r.text
        r = await http.post(page.exchange_path(sid, rid + 1), content=raw)  # not the item's revision
        assert r.status_code == 403
        assert (await exchange(raw)).status_code == 200  # the genuine one, refused nothing above


async def test_switched_off_the_cards_stay_as_today_and_the_desk_says_so(fake_telegram, tmp_path):
    o = await _office(fake_telegram, tmp_path, miniapp_enabled=False)
    async with running(o):
        await staffed_office(o)
        listener = Listener(o)
        try:
            card = await submit_new(o)
            assert K.BTN_OPEN not in [t for row in card.buttons for t, _ in row]
            async with httpx.AsyncClient(base_url=listener.base, timeout=15) as http:
                r = await http.get(page.gate_path(1, 1))
                assert r.status_code == 503 and K.DESK_OFF in r.text
                r = await http.post(page.exchange_path(1, 1), content="x")
                assert r.status_code == 503 and json.loads(r.text)["message"] == K.DESK_OFF
        finally:
            listener.stop()


def test_the_desk_is_on_by_default_only_with_a_public_https_webhook(fake_telegram, tmp_path):
    def settings(**over):
        return make_settings(fake_telegram, tmp_path / "d", **over)

    assert not settings().desk_enabled  # polling
    assert not settings(telegram_webhook_url="http://127.0.0.1:8081/hook", telegram_webhook_secret=SECRET).desk_enabled
    on = settings(telegram_webhook_url="https://bot.example.go.id/tg", telegram_webhook_secret=SECRET)
    assert on.desk_enabled and on.desk_origin == "https://bot.example.go.id"
    assert not settings(telegram_webhook_url="https://bot.example.go.id/tg", telegram_webhook_secret=SECRET,
                        miniapp_enabled=False).desk_enabled


async def test_terbit_run_serves_telegram_and_the_desk_on_one_listener(fake_telegram, tmp_path):
    """`python -m bot` in webhook mode: setWebhook with the public address and the secret; the listener
    answers Telegram's path (403 without the secret, 200 with it) and the desk's routes."""
    tg = fake_telegram
    port = free_port()
    bot = BotProcess(tg, tmp_path / "data", TELEGRAM_WEBHOOK_URL=f"{PUBLIC}/tg-hook",
                     TELEGRAM_WEBHOOK_LISTEN="127.0.0.1", TELEGRAM_WEBHOOK_PORT=str(port),
                     TELEGRAM_WEBHOOK_SECRET=SECRET)
    await bot.start()
    try:
        await tg.wait_until(lambda: tg.webhook_url, timeout=30, what="setWebhook")
        assert tg.webhook_url == f"{PUBLIC}/tg-hook"
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=15) as http:
            assert (await http.post("/tg-hook", json={"update_id": 1})).status_code == 403
            wrong = await http.post("/tg-hook", json={"update_id": 1},
                                    headers={"X-Telegram-Bot-Api-Secret-Token": "x" * 20})
            assert wrong.status_code == 403
            ok = await http.post("/tg-hook", json={"update_id": 1},
                                 headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
            assert ok.status_code == 200
            gate = await http.get(page.gate_path(1, 1))
            assert gate.status_code == 200 and 'id="meja-data"' in gate.text
            assert_desk_headers(gate)
            refused = await http.post(page.exchange_path(1, 1), content="bukan initData")
            assert refused.status_code == 403 and refused.json()["message"] == K.INIT_REFUSED["malformed"]
    finally:
        await bot.stop()
    assert "Traceback" not in bot.output(), bot.output()


@pytest.mark.skipif(CHROMIUM is None, reason=MISSING)
async def test_a_phone_opens_the_desk_through_the_real_routes_and_returns_the_item(desk_office, tmp_path):
    """Headless Chromium at 390 px opens the address the card's button gives (on the local listener):
    the gate exchanges, the desk and the site's preview load under their policies with nothing
    refused, no horizontal overflow; «Kembalikan» with a note returns the item, the chat follows."""
    o = desk_office
    k, w, tg = o.kasubbag, o.writer, o.tg
    card = await submit_new(o, photos=1)
    url = k.open_web_app(card, K.BTN_OPEN).replace(PUBLIC, o.base, 1)
    async with Chromium(tmp_path / "profil") as browser:
        await browser.call("Page.addScriptToEvaluateOnNewDocument", source=WATCH)
        await browser.call("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=1,
                           mobile=True)
        await browser.call("Page.navigate", url=url)
        await wait_for(browser, DESK_READY, "the desk on a phone")
        found = json.loads(await browser.evaluate(MEASURE))
        assert found["csp"] == [], found["csp"]
        assert found["scrollWidth"] <= 390 and found["frameScrollWidth"] <= found["frameWidth"]
        assert "sesi=" not in found["hash"]
        assert found["title"].startswith("Rapat Koordinasi Program Kerja 2027")
        photos = [i for i in found["imgs"] if "berkas/" in (i["src"] or "")]
        assert photos and all(i["natural"][0] > 0 for i in photos), found["imgs"]

        seen = len(w.messages)
        await browser.evaluate("document.getElementById('catatan').value = 'Sebutkan jumlah peserta.'")
        await browser.evaluate("document.querySelector('button[value=kembalikan]').click()")
        await wait_for(browser, f"document.getElementById('status').textContent.includes({json.dumps(R.POPUP_RETURNED)})",
                       "the decision's answer")
    await wait_for_text(tg, w, "Sebutkan jumlah peserta.", after=seen, timeout=15)

    def decided():
        m = next((x for x in k.messages if x.message_id == card.message_id), None)
        return m is not None and not m.buttons and "Dikembalikan" in m.text.splitlines()[-1]
    await tg.wait_until(decided, timeout=15, what="the Kasubbag's card showing the return")


async def test_an_item_of_another_office_is_reviewed_in_its_own_office(desk_office):
    """Office B's Kasubbag opens the desk of B's item: the use cases run in B's scope (the item is
    found, its preview is B's site); A's Kasubbag is refused at B's item, and B's at A's."""
    from tests.flow.test_offices import _second_office, _submit_in_b

    o = desk_office
    b = await _second_office(o)
    card_b = await _submit_in_b(o, b)
    card_a = await submit_new(o)
    _path, raw, sid, rid = launched(b["kasubbag"].open_web_app(card_b, K.BTN_OPEN))
    _pa, raw_a, sid_a, rid_a = launched(o.kasubbag.open_web_app(card_a, K.BTN_OPEN))
    a_at_b = sign_init_data(o.tg.token, user={"id": o.kasubbag.id, "first_name": "Kasim"},
                            auth_date=int(time.time()))
    b_at_a = sign_init_data(o.tg.token, user={"id": b["kasubbag"].id, "first_name": "Bima"},
                            auth_date=int(time.time()))
    async with httpx.AsyncClient(base_url=o.base, timeout=15) as http:
        r = await http.post(page.exchange_path(sid, rid), content=a_at_b)
        assert r.status_code == 403 and r.json()["message"] == K.FORBIDDEN
        r = await http.post(page.exchange_path(sid_a, rid_a), content=b_at_a)
        assert r.status_code == 403 and r.json()["message"] == K.FORBIDDEN
        ex = await http.post(page.exchange_path(sid, rid), content=raw)
        assert ex.status_code == 200, ex.text
        view = ex.json()["view"]
        preview = await http.get(view + page.PREVIEW_PATH)
        assert preview.status_code == 200 and "Penyuluhan Gizi Balita" in preview.text
        done = await http.post(page.action_path(sid, rid, "teruskan"), json={},
                               headers={page.TOKEN_HEADER: ex.json()["token"]})
        assert done.status_code == 200, done.text
        assert (await http.post(page.exchange_path(sid_a, rid_a), content=raw_a)).status_code == 200
    await o.tg.wait_until(lambda: any("Penyuluhan Gizi" in (m.text or "") and m.buttons
                                      for m in b["kepala"].messages), timeout=15, what="B's Kepala's card")
    assert not any("Penyuluhan Gizi" in (m.text or "") for m in o.kepala.messages)


async def test_the_kepala_corrects_and_schedules_from_the_desk(desk_office):
    """Koreksi (the title) makes a new revision and a new card, as «Simpan» does; from the new card's
    desk, «Setujui & jadwalkan» with a moment in office time schedules it; a past moment is refused."""
    o = desk_office
    k, kepala, tg = o.kasubbag, o.kepala, o.tg
    card = await submit_new(o)
    before = len(kepala.messages)
    await o.press(k, card, R.BTN_FORWARD)
    await tg.wait_until(lambda: any(K.BTN_OPEN in [t for row in m.buttons for t, _ in row]
                                    for m in kepala.messages[before:]), timeout=15, what="the Kepala's card")
    first = next(m for m in reversed(kepala.messages) if m.buttons)
    _p, raw, sid, rid = launched(kepala.open_web_app(first, K.BTN_OPEN))
    async with httpx.AsyncClient(base_url=o.base, timeout=15) as http:
        ex = (await http.post(page.exchange_path(sid, rid), content=raw)).json()
        desk = await http.get(ex["view"])
        for offered in ("setujui", "jadwalkan", "kembalikan", "koreksi"):
            assert page.action_path(sid, rid, offered) in desk.text, offered
        seen = len(kepala.messages)
        fixed = await http.post(page.action_path(sid, rid, "koreksi"),
                                json={"field": "title", "text": "Rapat Koordinasi Program Kerja Tahun 2027"},
                                headers={page.TOKEN_HEADER: ex["token"]})
        assert fixed.status_code == 200 and fixed.json()["message"] == R.POPUP_CORRECTED, fixed.text

    def new_card():
        return next((m for m in kepala.messages[seen:] if "Tahun 2027" in (m.text or "")
                     and K.BTN_OPEN in [t for row in m.buttons for t, _ in row]), None)
    second = await tg.wait_until(new_card, timeout=15, what="the corrected item's new card")
    _p, raw2, sid2, rid2 = launched(kepala.open_web_app(second, K.BTN_OPEN))
    assert sid2 == sid and rid2 != rid
    later = (datetime.now(ZoneInfo(o.settings.timezone)) + timedelta(days=2)).strftime("%Y-%m-%dT08:00")
    async with httpx.AsyncClient(base_url=o.base, timeout=15) as http:
        ex = (await http.post(page.exchange_path(sid, rid2), content=raw2)).json()
        headers = {page.TOKEN_HEADER: ex["token"]}
        past = await http.post(page.action_path(sid, rid2, "jadwalkan"), json={"publish_at": "2020-01-01T08:00"},
                               headers=headers)
        assert past.status_code == 409 and past.json()["message"] == R.WHEN_PAST, past.text
        empty = await http.post(page.action_path(sid, rid2, "jadwalkan"), json={}, headers=headers)
        assert empty.status_code == 400 and empty.json()["message"] == K.SCHEDULE_NEEDED
        done = await http.post(page.action_path(sid, rid2, "jadwalkan"), json={"publish_at": later}, headers=headers)
        assert done.status_code == 200 and done.json()["message"] == R.POPUP_SCHEDULED, done.text
    t = o.app.bot_data["terbit"]
    waiting = [x for x in await t.run(review.scheduled, t.now()) if x.submission_id == sid]
    assert waiting and waiting[0].revision_id == rid2
    assert waiting[0].publish_at.astimezone(ZoneInfo(o.settings.timezone)).strftime("%Y-%m-%dT%H:%M") == later


async def test_approving_over_open_comments_is_asked_once_more(desk_office):
    """As in the chat: «Setujui» over open comments asks again (the page shows the question); confirmed,
    it approves."""
    o = desk_office
    k, kepala, tg = o.kasubbag, o.kepala, o.tg
    card = await submit_new(o)
    await k.reply(card, "Sebutkan jumlah peserta rapat.")
    await tg.settle()
    before = len(kepala.messages)
    await o.press(k, card, R.BTN_FORWARD)
    await tg.wait_until(lambda: any(K.BTN_OPEN in [t for row in m.buttons for t, _ in row]
                                    for m in kepala.messages[before:]), timeout=15, what="the Kepala's card")
    kcard = next(m for m in reversed(kepala.messages) if m.buttons)
    _p, raw, sid, rid = launched(kepala.open_web_app(kcard, K.BTN_OPEN))
    async with httpx.AsyncClient(base_url=o.base, timeout=15) as http:
        ex = (await http.post(page.exchange_path(sid, rid), content=raw)).json()
        desk = await http.get(ex["view"])
        assert "Sebutkan jumlah peserta rapat." in desk.text  # the open comment beside the text
        headers = {page.TOKEN_HEADER: ex["token"]}
        asked = await http.post(page.action_path(sid, rid, "setujui"), json={}, headers=headers)
        assert asked.status_code == 200 and asked.json() == {"ok": False, "confirm": M.ASK_APPROVE_OPEN.format(
            n=1, id=sid)}
        done = await http.post(page.action_path(sid, rid, "setujui"), json={"confirmed": True}, headers=headers)
        assert done.status_code == 200 and done.json() == {"ok": True, "message": R.POPUP_APPROVED}
