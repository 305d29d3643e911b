"""A real WordPress 6.1 (Debian package) on 127.0.0.1 for the whole session.

The server comes from scripts/wordpress/wp_server.py.  When PHP, MariaDB or
the WordPress tree are missing, it runs scripts/wordpress/install.sh itself
if it can (root or sudo); the tests are skipped only when that is impossible,
with the command to run in the reason.  Set TERBIT_WP_AUTO_INSTALL=0 to
forbid the automatic install.
"""
from __future__ import annotations

import hashlib
import io
import itertools
import os
import struct
import sys
import wave
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

_ROOT = Path(__file__).resolve().parents[2]
for p in (str(_ROOT), str(_ROOT / "scripts" / "wordpress")):
    if p not in sys.path:
        sys.path.insert(0, p)

from wp_server import INSTALL_CMD, WordPressServer, WordPressUnavailable

from publishers.base import Article, Asset, Person


@pytest.fixture(scope="session")
def wp(tmp_path_factory):
    auto = os.environ.get("TERBIT_WP_AUTO_INSTALL", "1") != "0"
    server = WordPressServer(tmp_path_factory.mktemp("wordpress"), auto_install=auto)
    try:
        server.setup()
    except WordPressUnavailable as e:
        server.close()
        msg = str(e) if INSTALL_CMD in str(e) else f"{e} (install with: {INSTALL_CMD})"
        pytest.skip(f"real WordPress not available: {msg}")
    except BaseException:
        server.close()
        raise
    yield server
    server.close()


@pytest.fixture
def rest(wp):
    """A synchronous admin client on the REST API, for checking results."""
    user, pw = wp.credentials["administrator"]
    with httpx.Client(base_url=wp.rest_url, auth=(user, pw), timeout=30) as c:
        yield c


_ids = itertools.count(1001)


@pytest.fixture
def submission_id():
    return next(_ids)


# ---- test files ---------------------------------------------------------

def jpeg_bytes(color, size=(320, 240)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def pdf_bytes(text: str = "Terbit") -> bytes:
    """A minimal, valid one-page PDF."""
    content = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def wav_bytes(seconds: float = 0.5, rate: int = 8000) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = int(seconds * rate)
        w.writeframes(b"".join(struct.pack("<h", (i * 300) % 20000 - 10000) for i in range(frames)))
    return buf.getvalue()


def make_asset(dirpath: Path, asset_id: int, kind: str, filename: str, mime: str, data: bytes,
               caption: str = "", web: bytes | None = None, web_mime: str | None = None) -> Asset:
    sha = hashlib.sha256(data).hexdigest()
    orig = dirpath / f"{sha}.orig"
    orig.write_bytes(data)
    web_path = None
    if web is not None:
        web_path = dirpath / f"{sha}.web"
        web_path.write_bytes(web)
    return Asset(id=asset_id, kind=kind, sha256=sha, original=orig, filename=filename, mime=mime,
                 size=len(data), caption=caption, web=web_path, web_mime=web_mime)


@pytest.fixture
def make_article(tmp_path):
    def make(submission_id: int, *, title="Rapat Koordinasi Penanganan Banjir", body=None,
             section="Berita Daerah", kind_label="Berita", photos=2, pdf=True, audio=True,
             slug=None, seed=0) -> Article:
        assets = []
        n = itertools.count(1)
        for i in range(photos):
            color = ((40 * i + 7 * submission_id + seed) % 256, (90 + 13 * i) % 256, (150 + seed) % 256)
            original = jpeg_bytes(color, (640, 480))
            assets.append(make_asset(
                tmp_path, next(n), "photo", f"foto rapat {i + 1}.JPG", "image/jpeg", original,
                caption=f"Suasana rapat, foto {i + 1}", web=jpeg_bytes(color), web_mime="image/jpeg",
            ))
        if pdf:
            assets.append(make_asset(tmp_path, next(n), "document", "Notulen Rapat.pdf", "application/pdf",
                                     pdf_bytes(f"Notulen {submission_id} {seed}"), caption="Notulen rapat"))
        if audio:
            assets.append(make_asset(tmp_path, next(n), "audio", "sambutan.wav", "audio/wav",
                                     wav_bytes(0.3 + 0.01 * (submission_id % 7) + 0.01 * seed),
                                     caption="Sambutan kepala dinas"))
        return Article(
            submission_id=submission_id,
            revision_number=1,
            slug=slug or f"rapat-koordinasi-{submission_id}",
            kind="berita",
            kind_label=kind_label,
            section=section,
            title=title,
            body=body if body is not None else (
                "Dinas menggelar rapat koordinasi penanganan banjir pada Senin pagi.\n\n"
                "Rapat dihadiri camat & lurah se-kabupaten <b>tanpa</b> kecuali.\n"
                "Baris kedua paragraf yang sama."
            ),
            author=Person("Siti Rahma", 111, "siti"),
            approved_by=Person("Budi Santoso", 222, "budi"),
            approved_at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
            assets=tuple(assets),
        )

    return make
