"""Fixtures for the publisher tests: real small files and Article builders."""
from __future__ import annotations

import hashlib
import io
import sys
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PIL import Image

from publishers.base import Article, Asset, Person

HOSTILE = '<script>alert("x")</script> & "kutip" \'satu\' — Ωμέγα 日本語 اختبار'


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _image_bytes(size: tuple[int, int], color: tuple[int, int, int], fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt)
    return buf.getvalue()


def _pdf_bytes(pages: int, pad_to: int = 0) -> bytes:
    objs = [b"%PDF-1.4\n"]
    for i in range(pages):
        objs.append(f"{i + 3} 0 obj << /Type /Page >> endobj\n".encode())
    data = b"".join(objs) + b"%%EOF\n"
    if pad_to > len(data):
        data += b"%" + b"x" * (pad_to - len(data) - 2) + b"\n"
    return data


class Factory:
    """Builds assets backed by real files under ``store`` and articles."""

    def __init__(self, store: Path) -> None:
        self.store = store
        store.mkdir(parents=True, exist_ok=True)
        self._next_id = 1

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _write(self, name: str, data: bytes) -> Path:
        path = self.store / name
        path.write_bytes(data)
        return path

    def photo(self, caption: str = "Foto kegiatan", color=(200, 30, 30),
              filename: str = "IMG_0001.jpg", size=(80, 60)) -> Asset:
        original = _image_bytes(size, color, "JPEG")
        sha = _sha(original)
        web = _image_bytes((size[0] // 2, size[1] // 2), color, "JPEG")
        thumb = _image_bytes((size[0] // 4, size[1] // 4), color, "PNG")
        return Asset(
            id=self._id(), kind="photo", sha256=sha,
            original=self._write(f"{sha}.orig", original), filename=filename,
            mime="image/jpeg", size=len(original), caption=caption,
            web=self._write(f"{sha}.web.jpg", web), web_mime="image/jpeg",
            thumb=self._write(f"{sha}.thumb.png", thumb),
            meta={"width": size[0], "height": size[1]},
        )

    def pdf(self, filename: str = "Laporan Kegiatan.pdf", pages: int = 3,
            pad_to: int = 1_250_000, caption: str = "") -> Asset:
        data = _pdf_bytes(pages, pad_to)
        sha = _sha(data)
        return Asset(
            id=self._id(), kind="document", sha256=sha,
            original=self._write(f"{sha}.orig", data), filename=filename,
            mime="application/pdf", size=len(data), caption=caption, meta={"pages": pages},
        )

    def audio(self, kind: str = "voice", filename: str = "pesan suara.ogg", with_web: bool = False) -> Asset:
        data = b"OggS\x00\x02" + bytes(range(256)) * 4 + kind.encode()
        sha = _sha(data)
        web = self._write(f"{sha}.web.mp3", b"ID3" + data) if with_web else None
        return Asset(
            id=self._id(), kind=kind, sha256=sha,
            original=self._write(f"{sha}.orig", data), filename=filename,
            mime="audio/ogg", size=len(data), web=web,
            web_mime="audio/mpeg" if with_web else None, meta={"duration": 83},
        )

    def article(self, submission_id: int = 7, revision_number: int = 1, *,
                title: str = "Rapat Koordinasi Pelayanan Publik",
                body: str = "Paragraf pertama.\nBaris kedua.\n\nParagraf kedua.",
                approved_at: datetime | None = None, assets: tuple[Asset, ...] = (),
                slug: str | None = None, section: str = "Sekretariat",
                kind: str = "berita", kind_label: str = "Berita",
                author: str = "Siti Aminah", record: dict | None = None) -> Article:
        if slug is None:
            slug = f"{submission_id}-rapat-koordinasi"
        return Article(
            submission_id=submission_id, revision_number=revision_number, slug=slug,
            kind=kind, kind_label=kind_label, section=section, title=title, body=body,
            author=Person(author, telegram_id=1001, username="siti"),
            approved_by=Person("Drs. Kepala", telegram_id=1, username=None),
            approved_at=approved_at or datetime(2026, 11, 24, 3, 5, tzinfo=UTC),
            assets=assets, record=record if record is not None else {"revisions": []},
        )


@pytest.fixture
def factory(tmp_path: Path) -> Factory:
    return Factory(tmp_path / "store")


class Parsed(HTMLParser):
    """Collects start tags with attributes and all text (entities decoded)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.chunks: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def find(self, tag: str, **attrs) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


@pytest.fixture
def parse():
    return Parsed


@pytest.fixture
def hostile() -> str:
    return HOSTILE
