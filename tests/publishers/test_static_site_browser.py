"""The static site as a reader's browser draws it: headless Chromium at phone and desktop width.

Chromium is driven through its DevTools protocol (aiohttp's websocket client, already a test
dependency): the pages forbid scripts (CSP), and DevTools evaluates outside the page's policy.
The pages are opened from disk (file://), so nothing listens on a port but Chromium's own
DevTools on 127.0.0.1.

    python tests/publishers/test_static_site_browser.py   # refreshes docs/img/static-site-*.png
"""
from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from publishers.static_site import StaticSitePublisher
from tests.publishers.conftest import Factory

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WIDTHS = {"ponsel": (390, 844), "desktop": (1366, 900)}

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (scripts/install-test-services.sh installs Debian's chromium)",
)

# What the reader's browser is asked: overflow, and each image's drawn vs natural shape.
MEASURE = """(() => {
  const imgs = [...document.images].map(i => {
    const r = i.getBoundingClientRect();
    return {src: i.getAttribute('src'), cls: i.className, natural: [i.naturalWidth, i.naturalHeight],
            drawn: [r.width, r.height], thumb: !!i.closest('.entri')};
  });
  return JSON.stringify({scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
                         imgs: imgs});
})()"""


class Chromium:
    """One headless Chromium, one tab, spoken to over the DevTools protocol."""

    def __init__(self, profile: Path) -> None:
        self.profile = profile
        self.proc: subprocess.Popen[bytes] | None = None
        self.http: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self._id = 0

    async def __aenter__(self) -> Chromium:
        assert CHROMIUM is not None
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
             "--disable-dev-shm-usage", f"--user-data-dir={self.profile}", "--remote-debugging-address=127.0.0.1",
             "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        port = await asyncio.wait_for(asyncio.to_thread(self._devtools_port), timeout=60)
        self.http = aiohttp.ClientSession()
        async with self.http.get(f"http://127.0.0.1:{port}/json/list") as resp:
            tabs = await resp.json(content_type=None)
        page = next(t for t in tabs if t.get("type") == "page")
        self.ws = await self.http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)
        await self.call("Page.enable")
        return self

    def _devtools_port(self) -> int:
        assert self.proc is not None and self.proc.stderr is not None
        for raw in self.proc.stderr:
            m = re.search(rb"DevTools listening on ws://127\.0\.0\.1:(\d+)/", raw)
            if m:
                return int(m.group(1))
        raise RuntimeError("chromium exited before it opened DevTools")

    async def __aexit__(self, *exc: object) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.http is not None:
            await self.http.close()
        if self.proc is not None:
            self.proc.terminate()
            try:
                await asyncio.to_thread(self.proc.wait, 10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                await asyncio.to_thread(self.proc.wait)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        assert self.ws is not None
        self._id += 1
        await self.ws.send_json({"id": self._id, "method": method, "params": params})
        while True:
            msg = await asyncio.wait_for(self.ws.receive_json(), timeout=60)
            if msg.get("id") == self._id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    async def open(self, url: str, width: int, height: int) -> None:
        """Load ``url`` in a window ``width`` x ``height`` and wait until every image is decoded."""
        await self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                        deviceScaleFactor=1, mobile=width < 600)
        await self.call("Page.navigate", url=url)
        for _ in range(200):
            ready = await self.evaluate(
                "document.readyState === 'complete' && location.href !== 'about:blank' && "
                "[...document.images].every(i => { i.loading = 'eager'; return i.complete; })")
            if ready:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"{url} did not finish loading")

    async def measure(self) -> dict[str, Any]:
        return json.loads(await self.evaluate(MEASURE))

    async def screenshot(self, path: Path) -> None:
        shot = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))


async def build_site(root: Path, store: Path) -> tuple[Path, Path]:
    """A site with a few articles (wide and tall photos, a voice note, a PDF); (index, article page)."""
    factory = Factory(store)
    logo = store / "logo-pemda.png"
    Image.new("RGB", (640, 160), (180, 20, 20)).save(logo)  # a wide logo must not be squeezed
    pub = StaticSitePublisher(root, site_title="Berita dan Informasi", timezone="Asia/Makassar",
                              office_name="Dinas Komunikasi dan Informatika Kota Contoh", office_logo=str(logo),
                              office_url="https://kota-contoh.go.id", page_size=5)
    wide = factory.photo("Suasana rapat koordinasi di aula kantor", size=(1600, 1200))
    tall = factory.photo("Peserta mengisi daftar hadir", color=(20, 110, 60), size=(900, 1600))
    pano = factory.photo("Panorama halaman kantor", color=(40, 40, 160), size=(2400, 800))
    body = ("Rapat koordinasi membahas standar pelayanan publik tahun 2026 bersama seluruh bidang. "
            "Setiap bidang menyampaikan capaian dan kendala pelayanan selama satu semester.\n\n"
            "Tautan panjang untuk diuji: https://kota-contoh.go.id/dokumen/standar-pelayanan-publik-"
            "tahun-2026-versi-final-yang-sangat-panjang-sekali.pdf\n\nParagraf penutup.")
    base = datetime(2026, 11, 20, 1, 15, tzinfo=UTC)
    sections = ("Sekretariat", "Bidang Informasi dan Komunikasi Publik", "Bidang Statistik")
    result = None
    for n in range(7):
        assets = (wide, tall, pano, factory.audio(), factory.pdf()) if n == 6 else ((wide,) if n % 2 else (tall,))
        result = await pub.publish(factory.article(
            100 + n, slug=f"{100 + n}-kegiatan", title=f"Rapat Koordinasi Pelayanan Publik ke-{n + 1} "
            "Dinas Komunikasi dan Informatika", body=body, section=sections[n % 3],
            approved_at=base + timedelta(days=n), assets=assets), None)
    assert result is not None
    return root / "index.html", Path(result.remote["path"])


def check_layout(found: dict[str, Any], width: int) -> None:
    assert found["innerWidth"] == width
    assert found["scrollWidth"] <= found["innerWidth"], f"horizontal overflow at {width} px"
    assert found["imgs"], "no images on the page"
    for img in found["imgs"]:
        (nw, nh), (dw, dh) = img["natural"], img["drawn"]
        assert nw > 0 and nh > 0, f"{img['src']} did not load"
        assert dw > 0 and dh > 0, f"{img['src']} not drawn"
        # Rounded to whole pixels by layout: compare the shapes within a pixel's worth.
        assert abs(dw / dh - nw / nh) <= (nw / nh) * (1.5 / min(dw, dh)), (width, img)
        assert dw <= width


async def test_pages_fit_phone_and_desktop_and_keep_image_shapes(tmp_path):
    index, article = await build_site(tmp_path / "site", tmp_path / "store")
    async with Chromium(tmp_path / "profil") as browser:
        for width, height in WIDTHS.values():
            await browser.open(index.as_uri(), width, height)
            found = await browser.measure()
            check_layout(found, width)
            thumbs = [i for i in found["imgs"] if i["thumb"]]
            assert len(thumbs) == 5  # page 1 of 7 articles, 5 a page
            # 120 px beside the text on a desktop, 88 px on a phone (the link around it never shrinks).
            assert {round(i["drawn"][0]) for i in thumbs} == ({120} if width >= 1000 else {88})

            await browser.open(article.as_uri(), width, height)
            found = await browser.measure()
            check_layout(found, width)
            assert len(found["imgs"]) == 4  # the logo and three photos

            await browser.open((index.parent / "halaman" / "2" / "index.html").as_uri(), width, height)
            check_layout(await browser.measure(), width)


async def save_screenshots(out: Path) -> None:
    """docs/img/static-site-ponsel.png (index) and static-site-desktop.png (index)."""
    with tempfile.TemporaryDirectory() as tmp:
        index, _article = await build_site(Path(tmp) / "site", Path(tmp) / "store")
        async with Chromium(Path(tmp) / "profil") as browser:
            for name, (width, height) in WIDTHS.items():
                await browser.open(index.as_uri(), width, height)
                await browser.screenshot(out / f"static-site-{name}.png")


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(save_screenshots(ROOT / "docs" / "img"))
