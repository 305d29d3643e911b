"""The review desk in headless Chromium, phone (390 px) and desktop (1366 px) wide.

A small server on 127.0.0.1 plays the desk's routes with the real pieces — initdata.validate,
DeskSessions, render_gate/render_desk with their Content-Security-Policy headers, and the static
site's preview of a sample article (a long title, a wide photo, a tall one, a PDF, audio) — and
Chromium opens the gate as Telegram would: with a freshly signed initData in the URL fragment.
The test checks what a reviewer's phone would do with it: the page's own scripts run under the
policy (nothing violates it), the initData is exchanged and the token leaves the address bar, no
horizontal overflow on either page, photos in proportion, a field above a simulated keyboard,
Telegram's theme applied (and a spurious theme_changed harmless), a decision posted with the token
in its header, Telegram Desktop's reopening (the same initData again) refused as a replay yet
landing on the open session, a forged initData refused.

    python tests/desk/test_desk_browser.py   # writes docs/img/meja-periksa-{ponsel,desktop}.png
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from handlers.desk import page as desk_page
from handlers.desk.initdata import InitDataRefused, validate
from handlers.desk.sessions import DeskSessions, SessionRefused
from publishers.base import Article, Asset
from publishers.static_site import StaticSitePublisher
from tests.chromium import CHROMIUM, MISSING, Chromium
from tests.desk import sample
from tests.fakebot.webapp import launch_fragment, sign_init_data
from tests.publishers.conftest import Factory
from texts.id import desk as K

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=MISSING)

TOKEN = "123456789:AAFakeTokenForTheDeskTests-0123456789"
KEPALA = {"id": 5001, "first_name": "Drs. Budi", "last_name": "Santoso", "username": "kepala", "language_code": "id"}
DARK = {"bg_color": "#17212b", "secondary_bg_color": "#232e3c", "text_color": "#f5f5f5", "hint_color": "#708499",
        "link_color": "#6ab3f3", "button_color": "#5288c1", "button_text_color": "#ffffff"}
MAX_AGE = timedelta(minutes=5)
WIDTHS = {"ponsel": (390, 844), "desktop": (1366, 900)}
#: A phone keyboard's height, taken off the viewport as Telegram's web views do (resizes-content).
KEYBOARD = 336

# Every Content-Security-Policy violation in every frame, recorded before any page script runs.
WATCH = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')));"""

MEASURE = """(() => {
  const f = document.getElementById('pratinjau'), d = f.contentDocument;
  const imgs = [...d.images].map(i => {
    const r = i.getBoundingClientRect();
    return {src: i.getAttribute('src'), natural: [i.naturalWidth, i.naturalHeight], drawn: [r.width, r.height]};
  });
  return JSON.stringify({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    frameScrollWidth: d.documentElement.scrollWidth, frameWidth: d.documentElement.clientWidth,
    frameHeight: f.getBoundingClientRect().height, frameContent: d.documentElement.scrollHeight,
    imgs: imgs, csp: (window.__csp || []).concat(f.contentWindow.__csp || []), hash: location.hash,
    panel: getComputedStyle(document.documentElement).getPropertyValue('--panel').trim(),
    stored: sessionStorage.getItem('meja:12'),
    title: d.title, captions: [...d.querySelectorAll('figcaption')].map(c => c.textContent.trim())});
})()"""


@dataclass
class Desk:
    """The routes the wiring will serve, played with the real pieces."""

    pub: StaticSitePublisher
    article: Article
    sessions: DeskSessions = field(default_factory=lambda: DeskSessions(timedelta(minutes=15),
                                                                        lambda: datetime.now(UTC)))
    exchanged: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/meja/{sid}/{rid}/", self.gate)
        app.router.add_post("/meja/api/{sid}/{rid}/sesi", self.exchange)
        app.router.add_post("/meja/api/{sid}/{rid}/{action}", self.decide)
        app.router.add_get("/meja/v/{key}/", self.desk)
        app.router.add_get("/meja/v/{key}/artikel/pratinjau/", self.preview)
        app.router.add_get("/meja/v/{key}/style.css", self.style)
        logo = self.pub.logo()
        if logo is not None:
            app.router.add_get(f"/meja/v/{{key}}/{logo[0]}", self.logo)
        app.router.add_get("/meja/v/{key}/berkas/{aid}/{variant}", self.file)
        return app

    @staticmethod
    def _page(text: str, csp: str) -> web.Response:
        return web.Response(text=text, content_type="text/html", headers=desk_page.response_headers(csp))

    async def gate(self, request: web.Request) -> web.Response:
        nonce = desk_page.new_nonce()
        return self._page(desk_page.render_gate(nonce=nonce, submission_id=int(request.match_info["sid"]),
                                                revision_id=int(request.match_info["rid"])),
                          desk_page.content_security_policy(nonce))

    async def exchange(self, request: web.Request) -> web.Response:
        sid = int(request.match_info["sid"])
        try:
            user = validate(await request.text(), TOKEN, now=datetime.now(UTC), max_age=MAX_AGE)
            session = self.sessions.exchange(user, sid, init_max_age=MAX_AGE)
        except InitDataRefused as exc:
            self.refused.append(exc.reason.value)
            return web.json_response({"message": K.INIT_REFUSED[exc.reason.value]}, status=403)
        except SessionRefused as exc:
            self.refused.append(exc.reason.value)
            return web.json_response({"message": K.SESSION_REFUSED[exc.reason.value]}, status=409)
        self.exchanged.append({"user": user.id, "token": session.token})
        return web.json_response({"token": session.token, "view": desk_page.view_path(session.view_key)},
                                 headers={"Cache-Control": "no-store"})

    def _visit(self, request: web.Request) -> None:
        try:
            self.sessions.check_view(request.match_info["key"], 12)
        except SessionRefused as exc:
            raise web.HTTPForbidden(text=exc.reason.value) from exc

    async def desk(self, request: web.Request) -> web.Response:
        self._visit(request)
        nonce = desk_page.new_nonce()
        html = desk_page.render_desk(sample.card_view(diff=sample.a_diff(4)), nonce=nonce,
                                     clock="🟢 2 jam 10 menit dari standar 1 hari kerja", standard="1 hari kerja",
                                     tz="Asia/Makassar", open_comments=[sample.comment(1), sample.comment(2)])
        return self._page(html, desk_page.content_security_policy(nonce))

    async def preview(self, request: web.Request) -> web.Response:
        self._visit(request)
        html = await self.pub.preview(self.article, desk_page.preview_media_url)
        return self._page(html, desk_page.preview_content_security_policy())

    async def style(self, request: web.Request) -> web.Response:
        self._visit(request)
        return web.Response(text=self.pub.stylesheet(), content_type="text/css",
                            headers=desk_page.response_headers("default-src 'none'"))

    async def logo(self, request: web.Request) -> web.FileResponse:
        self._visit(request)
        logo = self.pub.logo()
        assert logo is not None
        return web.FileResponse(logo[1], headers=desk_page.response_headers("default-src 'none'"))

    async def file(self, request: web.Request) -> web.FileResponse:
        self._visit(request)
        asset: Asset = next(a for a in self.article.assets if a.id == int(request.match_info["aid"]))
        variant = request.match_info["variant"]
        path = {"web": asset.web, "thumb": asset.thumb, "play": asset.web or asset.original,
                "download": asset.original}.get(variant)
        if path is None:
            raise web.HTTPNotFound()
        return web.FileResponse(path, headers=desk_page.response_headers("default-src 'none'"))

    async def decide(self, request: web.Request) -> web.Response:
        try:
            user = self.sessions.check(request.headers.get(desk_page.TOKEN_HEADER, ""), int(request.match_info["sid"]))
        except SessionRefused as exc:
            return web.json_response({"ok": False, "message": K.SESSION_REFUSED[exc.reason.value]}, status=401)
        body = await request.json()
        self.decisions.append({"user": user, "action": request.match_info["action"], "body": body,
                               "token": request.headers[desk_page.TOKEN_HEADER]})
        return web.json_response({"ok": True, "message": "↩️ Dikembalikan ke penulis."})


def sample_article(store: Path) -> Article:
    factory = Factory(store)
    assets = (factory.photo("Panorama aula saat rapat koordinasi dibuka", size=(2400, 800)),
              factory.photo("Peserta mengisi daftar hadir", color=(20, 110, 60), size=(900, 1600)),
              factory.pdf("Notulen Rapat Koordinasi Pelayanan Publik Tahun 2026.pdf", caption="Notulen rapat"),
              factory.audio(kind="voice", filename="sambutan.ogg"))
    body = sample.BODY + ("\n\nTautan dokumen: https://kota-contoh.go.id/dokumen/standar-pelayanan-publik-"
                          "tahun-2026-versi-final-yang-sangat-panjang-sekali.pdf")
    return factory.article(12, 2, title=sample.LONG_TITLE, body=body, slug="12-rapat", assets=assets)


def publisher(tmp: Path) -> StaticSitePublisher:
    logo = tmp / "logo.png"
    Image.new("RGB", (640, 160), (180, 20, 20)).save(logo)
    return StaticSitePublisher(tmp / "situs", timezone="Asia/Makassar", office_logo=str(logo),
                               office_name="Dinas Komunikasi dan Informatika Kota Contoh")


@contextlib.asynccontextmanager
async def serving(desk: Desk):
    runner = web.AppRunner(desk.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def wait_for(browser: Chromium, expression: str, what: str, tries: int = 200) -> None:
    for _ in range(tries):
        if await browser.evaluate(expression):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{what}: {await browser.evaluate('document.body && document.body.innerText')!r}")


DESK_READY = """document.documentElement.dataset.meja === 'siap' && (() => {
  const f = document.getElementById('pratinjau'), d = f && f.contentDocument;
  if (!d || d.readyState !== 'complete' || !d.querySelector('article')) return false;
  return [...d.images].every(i => { i.loading = 'eager'; return i.complete && i.naturalWidth > 0; });
})()"""


async def open_desk(browser: Chromium, url: str, width: int, height: int) -> dict[str, Any]:
    await browser.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                       mobile=width < 600)
    await browser.call("Page.navigate", url=url)
    await wait_for(browser, DESK_READY, f"the desk at {width} px")
    await asyncio.sleep(0.15)  # the frame's last fit after its images
    return json.loads(await browser.evaluate(MEASURE))


def check_layout(found: dict[str, Any], width: int) -> None:
    assert found["innerWidth"] == width
    assert found["scrollWidth"] <= width, f"the desk overflows at {width} px"
    assert found["frameScrollWidth"] <= found["frameWidth"], f"the preview overflows at {width} px"
    assert found["frameHeight"] >= found["frameContent"] - 1, "the preview frame cuts its page"
    assert len(found["imgs"]) == 3  # the logo and both photos
    for img in found["imgs"]:
        (nw, nh), (dw, dh) = img["natural"], img["drawn"]
        assert nw > 0 and dw > 0 and dh > 0, img
        assert abs(dw / dh - nw / nh) <= (nw / nh) * (1.5 / min(dw, dh)), (width, img)
        assert dw <= found["frameWidth"]


async def test_the_desk_on_a_phone_and_a_desktop(tmp_path):
    desk = Desk(publisher(tmp_path), sample_article(tmp_path / "store"))
    async with serving(desk) as base, Chromium(tmp_path / "profil") as browser:
        await browser.call("Page.addScriptToEvaluateOnNewDocument", source=WATCH)
        gate = base + desk_page.gate_path(12, 34)
        fresh = sign_init_data(TOKEN, user=KEPALA, auth_date=datetime.now(UTC))
        figures = {}

        # A phone: Telegram opens the gate with a fresh initData and its (dark) theme.
        found = await open_desk(browser, f"{gate}#{launch_fragment(fresh, theme=DARK)}", *WIDTHS["ponsel"])
        figures["ponsel"] = found
        check_layout(found, 390)
        assert found["csp"] == []  # our inline script and style ran under the policy; nothing else tried
        assert desk.exchanged and desk.exchanged[0]["user"] == 5001
        assert "sesi=" not in found["hash"] and "tgWebAppThemeParams" in found["hash"]  # the token left the URL
        assert json.loads(found["stored"])["token"] == desk.exchanged[0]["token"]
        assert found["panel"] == DARK["bg_color"]
        assert found["title"].startswith(sample.LONG_TITLE) and found["captions"][:2] == [
            "Panorama aula saat rapat koordinasi dibuka", "Peserta mengisi daftar hadir"]
        await browser.screenshot(tmp_path / "meja-ponsel.png")

        # The keyboard comes up over the note: the field stays in view.
        await browser.call("Emulation.setDeviceMetricsOverride", width=390, height=844 - KEYBOARD,
                           deviceScaleFactor=1, mobile=True)
        await browser.evaluate("document.getElementById('catatan').focus()")
        await asyncio.sleep(0.8)
        box = json.loads(await browser.evaluate(
            "JSON.stringify((r => [r.top, r.bottom, innerHeight])"
            "(document.getElementById('catatan').getBoundingClientRect()))"))
        assert box[0] >= 0 and box[1] <= box[2], box

        # theme_changed fires with nothing new (and then with something new): the typed note survives.
        await browser.evaluate("document.getElementById('catatan').value = 'Jumlah peserta belum disebut.'")
        await browser.evaluate(f"Telegram.WebView.receiveEvent('theme_changed', {{theme_params: {json.dumps(DARK)}}})")
        await browser.evaluate("Telegram.WebView.receiveEvent('theme_changed', {theme_params: {bg_color: '#ffffff'}})")
        assert await browser.evaluate("document.getElementById('catatan').value") == "Jumlah peserta belum disebut."
        assert await browser.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--panel')"
                                      ".trim()") == "#ffffff"

        # Kembalikan: posted with the session's token in its header, the note in its body.
        await browser.evaluate("document.querySelector('button[value=kembalikan]').click()")
        await wait_for(browser, "document.getElementById('status').textContent.includes('Dikembalikan')",
                       "the decision's answer")
        assert desk.decisions == [{"user": 5001, "action": "kembalikan", "token": desk.exchanged[0]["token"],
                                   "body": {"note": "Jumlah peserta belum disebut."}}]

        # A desktop: Telegram Desktop opens the desk again with the very same initData.
        found = await open_desk(browser, f"{gate}#{launch_fragment(fresh)}", *WIDTHS["desktop"])
        figures["desktop"] = found
        check_layout(found, 1366)
        assert found["csp"] == []
        assert desk.refused == ["replayed"] and len(desk.exchanged) == 1  # not a second session…
        # …but the one it opened: the gate found it in this web view's session storage.
        assert json.loads(found["stored"])["token"] == desk.exchanged[0]["token"]
        side = json.loads(await browser.evaluate(
            "JSON.stringify([document.querySelector('.samping').getBoundingClientRect().left,"
            " document.getElementById('pratinjau').getBoundingClientRect().right])"))
        assert side[0] >= side[1], "on a desktop the checks and the decision sit beside the article"
        await browser.screenshot(tmp_path / "meja-desktop.png")

        # A forged initData (another bot's token) for an item with no open session: refused, said why.
        forged = sign_init_data("987654321:AnotherBotsToken", user=KEPALA, auth_date=datetime.now(UTC))
        await browser.call("Page.navigate", url=f"{base}{desk_page.gate_path(13, 35)}#{launch_fragment(forged)}")
        await wait_for(browser, f"document.getElementById('status').textContent === {json.dumps(K.INIT_REFUSED['forged'])}",
                       "the refusal")
        assert desk.refused == ["replayed", "forged"]

    print({name: (f["scrollWidth"], f["innerWidth"], f["frameScrollWidth"], f["frameWidth"])
           for name, f in figures.items()})


async def save_screenshots(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        desk = Desk(publisher(tmp), sample_article(tmp / "store"))
        async with serving(desk) as base, Chromium(tmp / "profil") as browser:
            for name, (width, height) in WIDTHS.items():
                fresh = sign_init_data(TOKEN, user=KEPALA, auth_date=datetime.now(UTC))
                await open_desk(browser, f"{base}{desk_page.gate_path(12, 34)}#{launch_fragment(fresh)}", width,
                                height)
                await browser.screenshot(out / f"meja-periksa-{name}.png")


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(save_screenshots(ROOT / "docs" / "img"))
