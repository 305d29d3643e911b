"""The static site as a reader's browser draws it: headless Chromium at phone and desktop width.

Chromium is driven through its DevTools protocol (aiohttp's websocket client, already a test
dependency): the pages forbid scripts (CSP), and DevTools evaluates outside the page's policy.
The pages are opened from disk (file://), so nothing listens on a port but Chromium's own
DevTools on 127.0.0.1.

    python tests/publishers/test_static_site_browser.py   # refreshes docs/img/static-site-*.png
"""
from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from publishers.static_site import StaticSitePublisher
from tests.chromium import CHROMIUM, MISSING, Chromium
from tests.publishers.conftest import Factory

WIDTHS = {"ponsel": (390, 844), "desktop": (1366, 900)}

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=MISSING)


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
