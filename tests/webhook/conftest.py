"""A reference receiving end for the Terbit webhook, on 127.0.0.1 (aiohttp).

It does what publishers/WEBHOOK.md asks of a CMS: verify the signature over
the exact body bytes, upsert on X-Terbit-Delivery, answer {"url", "id"}.
``receiver.script`` injects failures for retry tests.
"""
from __future__ import annotations

import email.parser
import email.policy
import hashlib
import io
import itertools
import json
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from publishers.base import Article, Asset, Person
from publishers.webhook import verify

SECRET = "rahasia-bersama-uji-0123456789abcdef"


def parse_multipart(content_type: str, body: bytes) -> dict[str, dict]:
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    parts = {}
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        parts[name] = {
            "filename": part.get_filename(),
            "content_type": part.get_content_type(),
            "data": part.get_payload(decode=True),
        }
    return parts


@dataclass
class Receiver:
    secret: str = SECRET
    items: dict[str, dict] = field(default_factory=dict)  # key -> stored item
    requests: list[dict] = field(default_factory=list)
    script: list = field(default_factory=list)  # per request: int status | "lose_response" | None
    url: str = ""
    _ids: itertools.count = field(default_factory=lambda: itertools.count(501))

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        headers = dict(request.headers)
        rec = {"headers": headers, "body": body, "verified": False}
        self.requests.append(rec)
        if not verify(self.secret, body, headers.get("X-Terbit-Signature")):
            return web.json_response({"error": "bad signature"}, status=401)
        rec["verified"] = True
        action = self.script.pop(0) if self.script else None
        if isinstance(action, int):
            return web.json_response({"error": "scripted"}, status=action)
        parts = parse_multipart(headers["Content-Type"], body)
        article_bytes = parts["article"]["data"]
        if "X-Terbit-Article-Signature" in headers:  # what a PHP receiver checks instead
            assert verify(self.secret, article_bytes, headers["X-Terbit-Article-Signature"])
        article = json.loads(article_bytes)
        event, key = headers["X-Terbit-Event"], headers["X-Terbit-Delivery"]
        assert article["delivery"]["event"] == event and article["delivery"]["key"] == key
        # Every file part must match the sha256 the JSON announces.
        for a in article["assets"]:
            if "original" in a["parts"]:
                assert hashlib.sha256(parts[a["parts"]["original"]]["data"]).hexdigest() == a["sha256"]
            if "web" in a["parts"]:
                assert hashlib.sha256(parts[a["parts"]["web"]]["data"]).hexdigest() == a["web_sha256"]
        rec["parts"] = parts
        rec["article"] = article
        item = self.items.get(key)
        if event == "withdraw":
            if item is None:
                return web.json_response({"error": "unknown"}, status=404)
            item["withdrawn"] = True
        else:
            if item is None:  # upsert on the delivery key: never a second item
                item = self.items[key] = {"id": str(next(self._ids)), "versions": []}
            item.update(withdrawn=False, title=article["title"], slug=article["slug"], event=event,
                        files={n: p["data"] for n, p in parts.items() if n != "article"})
            item["versions"].append(article["revision_number"])
        answer = {"url": f"{self.url}/berita/{article['slug']}", "id": item["id"]}
        if action == "lose_response":  # stored, but the answer never arrives
            request.transport.close()
            return web.Response(status=200)
        return web.json_response(answer)


@pytest.fixture
async def receiver():
    rcv = Receiver()
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_post("/terbit/webhook", rcv.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    rcv.url = f"http://127.0.0.1:{port}"
    rcv.endpoint = f"{rcv.url}/terbit/webhook"
    yield rcv
    await runner.cleanup()


def _jpeg(color, size) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG")
    return buf.getvalue()


@pytest.fixture
def article(tmp_path) -> Article:
    def asset(i, kind, filename, mime, data, web=None, web_mime=None, caption=""):
        sha = hashlib.sha256(data).hexdigest()
        (tmp_path / sha).write_bytes(data)
        web_path = None
        if web is not None:
            web_path = tmp_path / f"{sha}.web"
            web_path.write_bytes(web)
        return Asset(id=i, kind=kind, sha256=sha, original=tmp_path / sha, filename=filename, mime=mime,
                     size=len(data), caption=caption, web=web_path, web_mime=web_mime)

    # Binary content that contains CR/LF and "--" on purpose.
    raw = bytes(range(256)) * 8 + b"\r\n--\r\n--terbit-\r\n"
    return Article(
        submission_id=42, revision_number=1, slug="pengumuman-libur", kind="pengumuman",
        kind_label="Pengumuman", section="Layanan", title="Pengumuman Libur Nasional",
        body="Kantor tutup pada tanggal merah.\n\nLayanan daring tetap buka.",
        author=Person("Siti", 1, "siti"), approved_by=Person("Budi", 2, None),
        approved_at=datetime(2026, 2, 1, 8, 0, tzinfo=UTC),
        assets=(
            asset(7, "photo", "Foto Kantor.HEIC", "image/heic", raw, web=_jpeg((1, 2, 3), (64, 48)),
                  web_mime="image/jpeg", caption="Kantor dinas"),
            asset(8, "document", "Surat Edaran \"resmi\".pdf", "application/pdf", b"%PDF-1.4\n" + raw),
        ),
        record={"revisions": [1], "audit": [{"who": "Budi", "what": "approve"}]},
    )
