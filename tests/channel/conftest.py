"""Fixtures for the Telegram channel publisher: the fake Bot API on
127.0.0.1, a real ``telegram.Bot`` pointed at it, and articles backed by
real small JPEG / PDF / audio files."""
from __future__ import annotations

import hashlib
import io
import itertools
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio
from PIL import Image
from pypdf import PdfWriter
from telegram import Bot

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from publishers.base import Article, Asset, Person
from publishers.telegram_channel import TelegramChannelPublisher
from tests.fakebot import FakeTelegram, has_gps_exif, make_jpeg

TOKEN = "123456:TEST-channel-secret"
CHANNEL_ID = -1001234567890
CHANNEL = "terbit_kanal"


@pytest_asyncio.fixture
async def tg():
    async with FakeTelegram(token=TOKEN, bot_username="terbit_test_bot") as fake:
        fake.add_channel(CHANNEL_ID, CHANNEL, title="Kanal Dinas")
        yield fake


@pytest_asyncio.fixture
async def bot(tg):
    b = Bot(TOKEN, base_url=tg.base_url, base_file_url=tg.base_file_url)
    await b.initialize()
    try:
        yield b
    finally:
        await b.shutdown()


@pytest.fixture
def publisher(bot):
    return TelegramChannelPublisher(bot, f"@{CHANNEL}")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pdf_bytes(pages: int = 2) -> bytes:
    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def web_jpeg(original: bytes, size=(160, 120)) -> bytes:
    with Image.open(io.BytesIO(original)) as im:
        im = im.convert("RGB")
        im.thumbnail(size)
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=80)  # no exif= -> metadata dropped
        return buf.getvalue()


class Factory:
    def __init__(self, store: Path) -> None:
        self.store = store
        store.mkdir(parents=True, exist_ok=True)
        self._ids = itertools.count(1)
        self._colors = itertools.count(0)

    def _write(self, name: str, data: bytes) -> Path:
        p = self.store / name
        p.write_bytes(data)
        return p

    def photo(self, caption: str = "", color=None) -> Asset:
        if color is None:
            n = next(self._colors)
            color = ((n * 37) % 256, (n * 91 + 40) % 256, (n * 53 + 90) % 256)
        original = make_jpeg(320, 240, color=color, gps=True)
        assert has_gps_exif(original)
        web = web_jpeg(original)
        assert not has_gps_exif(web)
        h = sha(original)
        return Asset(
            id=next(self._ids), kind="photo", sha256=h, original=self._write(f"{h}.orig", original),
            filename="IMG_0001.jpg", mime="image/jpeg", size=len(original), caption=caption,
            web=self._write(f"{h}.web.jpg", web), web_mime="image/jpeg",
            meta={"width": 320, "height": 240},
        )

    def pdf(self, filename: str = "Laporan Kegiatan.pdf", caption: str = "", pages: int = 2) -> Asset:
        data = pdf_bytes(pages)
        h = sha(data + filename.encode())
        return Asset(
            id=next(self._ids), kind="document", sha256=h, original=self._write(f"{h}.pdf", data),
            filename=filename, mime="application/pdf", size=len(data), caption=caption, meta={"pages": pages},
        )

    def voice(self) -> Asset:
        data = b"OggS\x00\x02" + bytes(range(256)) * 8
        h = sha(data)
        return Asset(
            id=next(self._ids), kind="voice", sha256=h, original=self._write(f"{h}.ogg", data),
            filename="pesan suara.ogg", mime="audio/ogg", size=len(data), meta={"duration": 7},
        )

    def article(self, *, title: str = "Rapat Koordinasi Pelayanan Publik",
                body: str = "Paragraf pertama.\nBaris kedua.\n\nParagraf kedua.",
                assets: tuple[Asset, ...] = (), revision: int = 1, submission_id: int = 7,
                kind_label: str = "Berita", section: str = "Sekretariat") -> Article:
        return Article(
            submission_id=submission_id, revision_number=revision, slug=f"{submission_id}-rapat",
            kind="berita", kind_label=kind_label, section=section, title=title, body=body,
            author=Person("Siti Aminah", telegram_id=1001, username="siti"),
            approved_by=Person("Drs. Kepala", telegram_id=1),
            approved_at=datetime(2026, 11, 24, 3, 5, tzinfo=UTC),
            assets=assets,
        )


@pytest.fixture
def factory(tmp_path: Path) -> Factory:
    return Factory(tmp_path / "store")


def long_body(paragraphs: int, words: int = 60) -> str:
    out = []
    for i in range(paragraphs):
        out.append(f"Paragraf {i + 1}: " + " ".join(f"kata{j}" for j in range(words)) + ".")
    return "\n\n".join(out)
