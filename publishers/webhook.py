"""Publish articles to any CMS through a signed multipart webhook.

The contract the receiving end implements is in ``publishers/WEBHOOK.md``.
In short: one ``multipart/form-data`` POST per delivery, a JSON part
``article`` plus one part per file; header ``X-Terbit-Signature:
sha256=<hex HMAC-SHA256(secret, exact body bytes)>``; ``X-Terbit-Event``
(publish | update | withdraw); ``X-Terbit-Delivery`` = the article's
idempotency key ``terbit-<submission_id>``, on which the receiver upserts;
answer ``{"url": "...", "id": "..."}``.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import mimetypes
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from publishers.base import (
    Article,
    Asset,
    PriorPublication,
    Publisher,
    PublishError,
    PublishResult,
    article_fields,
    person_dict,
    unreachable_reason,
)
from publishers.files import sha256_file

log = logging.getLogger(__name__)

CONTRACT_VERSION = 1
SIGNATURE_HEADER = "X-Terbit-Signature"
EVENT_HEADER = "X-Terbit-Event"
DELIVERY_HEADER = "X-Terbit-Delivery"
#: HMAC of the bytes of part ``article`` alone: for receivers that never see
#: the raw body (PHP fills $_POST/$_FILES and leaves php://input empty for
#: multipart); the JSON holds the sha256 of every file part.
ARTICLE_SIGNATURE_HEADER = "X-Terbit-Article-Signature"


def idempotency_key(article: Article) -> str:
    return article.idempotency_key


def sign(secret: str | bytes, body: bytes) -> str:
    """The value of X-Terbit-Signature for ``body``."""
    key = secret.encode() if isinstance(secret, str) else secret
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def verify(secret: str | bytes, body: bytes, header: str | None) -> bool:
    """Constant-time check of a received X-Terbit-Signature (for receivers/tests)."""
    if not header:
        return False
    return hmac.compare_digest(sign(secret, body), header.strip())


def _header_filename(name: str) -> str:
    """An ASCII filename without quotes/CR/LF for a Content-Disposition."""
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    name = re.sub(r'[^A-Za-z0-9._ -]+', "_", name).strip(" .") or "berkas"
    return name[:120]


def _web_filename(asset: Asset) -> str:
    stem = Path(asset.filename).stem or "berkas"
    ext = mimetypes.guess_extension(asset.web_mime or "", strict=False) or Path(asset.filename).suffix
    return stem + (".jpg" if ext == ".jpe" else ext)


@dataclass
class FilePart:
    name: str
    filename: str
    content_type: str
    path: Path


def article_payload(
    article: Article, event: str, prior: PriorPublication | None
) -> tuple[dict[str, Any], list[FilePart]]:
    """The JSON of part ``article`` and the file parts that go with it.

    Reads every web rendition to hash it: call it off the event loop.
    """
    files: list[FilePart] = []
    assets = []
    for a in article.assets:
        parts: dict[str, str] = {}
        if event != "withdraw":
            parts["original"] = f"original-{a.id}"
            files.append(FilePart(parts["original"], _header_filename(a.filename), a.mime, Path(a.original)))
            if a.web is not None:
                parts["web"] = f"web-{a.id}"
                files.append(FilePart(parts["web"], _header_filename(_web_filename(a)),
                                      a.web_mime or a.mime, Path(a.web)))
        assets.append({
            "id": a.id,
            "kind": a.kind,
            "sha256": a.sha256,
            "filename": a.filename,
            "mime": a.mime,
            "size": a.size,
            "caption": a.caption,
            "web_mime": a.web_mime if a.web is not None else None,
            "web_sha256": sha256_file(Path(a.web)) if a.web is not None and event != "withdraw" else None,
            "meta": a.meta,
            "parts": parts,
        })
    data = {
        "contract": CONTRACT_VERSION,
        "delivery": {
            "event": event,
            "key": idempotency_key(article),
            "sent_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "prior_id": prior.remote_id if prior else None,
            "prior_url": prior.url if prior else None,
        },
        **article_fields(article),
        "author": person_dict(article.author),
        "approved_by": person_dict(article.approved_by),
        "approved_at": article.approved_at.isoformat(),
        "assets": assets,
        # The office's own record; the reviewers' comments on the draft stay in the archive.
        "record": {k: v for k, v in article.record.items() if k != "comments"},
    }
    return data, files


def build_body(data: dict[str, Any], files: list[FilePart], boundary: str | None = None) -> tuple[bytes, str, bytes]:
    """Encode the multipart body; returns (body, content type, article part bytes)."""
    boundary = boundary or "terbit-" + secrets.token_hex(16)
    b = boundary.encode()
    out = bytearray()
    out += b"--" + b + b"\r\n"
    out += b'Content-Disposition: form-data; name="article"\r\n'
    out += b"Content-Type: application/json; charset=utf-8\r\n\r\n"
    article_bytes = json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
    out += article_bytes + b"\r\n"
    for f in files:
        content = f.path.read_bytes()
        if b"--" + b in content:  # astronomically unlikely; pick another boundary
            return build_body(data, files)
        out += b"--" + b + b"\r\n"
        out += f'Content-Disposition: form-data; name="{f.name}"; filename="{f.filename}"\r\n'.encode()
        out += f"Content-Type: {f.content_type}\r\n\r\n".encode()
        out += content + b"\r\n"
    out += b"--" + b + b"--\r\n"
    return bytes(out), f"multipart/form-data; boundary={boundary}", article_bytes


def _encode(article: Article, event: str, prior: PriorPublication | None) -> tuple[bytes, str, bytes]:
    data, files = article_payload(article, event, prior)
    return build_body(data, files)


class WebhookPublisher(Publisher):
    name = "webhook"
    label = "CMS (webhook)"
    stage = 0

    def __init__(
        self,
        url: str,
        secret: str,
        *,
        timeout: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not secret:
            raise ValueError("a webhook needs a shared secret")
        self.url = url
        self._secret = secret.encode()
        self.timeout = httpx.Timeout(timeout, connect=min(10.0, timeout))
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    def __repr__(self) -> str:  # never show the secret
        return f"WebhookPublisher({self.url!r})"

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None or self._client.is_closed:
            self._client = httpx.AsyncClient(
                timeout=self.timeout, transport=self._transport, follow_redirects=False,
                headers={"User-Agent": f"Terbit/0.1 (webhook contract {CONTRACT_VERSION})"},
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _deliver(self, article: Article, event: str, prior: PriorPublication | None) -> httpx.Response | None:
        # Hashing and reading the files (photos, PDFs) blocks: off the event loop.
        body, content_type, article_bytes = await asyncio.to_thread(_encode, article, event, prior)
        key = idempotency_key(article)
        headers = {
            "Content-Type": content_type,
            SIGNATURE_HEADER: sign(self._secret, body),
            ARTICLE_SIGNATURE_HEADER: sign(self._secret, article_bytes),
            EVENT_HEADER: event,
            DELIVERY_HEADER: key,
        }
        what = {"publish": "mengirim artikel", "update": "memperbarui artikel", "withdraw": "menarik artikel"}[event]
        try:
            resp = await self.client.post(self.url, content=body, headers=headers)
        except httpx.TimeoutException as e:
            raise PublishError(f"CMS tidak menjawab tepat waktu saat {what}; akan dicoba lagi.", retryable=True) from e
        except httpx.TransportError as e:
            raise PublishError(
                f"CMS tidak dapat dihubungi saat {what}: {unreachable_reason(e)}; akan dicoba lagi.", retryable=True
            ) from e
        code = resp.status_code
        log.info("webhook: %s %s -> HTTP %s", event, key, code)
        if 200 <= code < 300:
            return resp
        if event == "withdraw" and code in (404, 410):
            return None  # nothing (left) to take down
        if code == 401:
            raise PublishError(
                "CMS menolak tanda tangan webhook (401). Periksa kunci rahasia (secret) bersama di kedua sisi.",
                retryable=False,
            )
        if code == 403:
            raise PublishError(f"CMS tidak mengizinkan Terbit {what} (403).", retryable=False)
        if code == 429:
            raise PublishError("CMS membatasi jumlah kiriman (429); akan dicoba lagi.", retryable=True)
        if code in (408, 425) or code >= 500:
            raise PublishError(f"CMS sedang bermasalah (HTTP {code}) saat {what}; akan dicoba lagi.", retryable=True)
        if code == 404:
            raise PublishError(f"Alamat webhook CMS tidak ditemukan (404): {self.url}", retryable=False)
        if code == 413:
            raise PublishError(f"Kiriman terlalu besar untuk CMS (413) saat {what}.", retryable=False)
        if 300 <= code < 400:
            raise PublishError(
                f"Alamat webhook CMS mengalihkan (HTTP {code}); isi alamat tujuan yang benar di pengaturan.",
                retryable=False,
            )
        raise PublishError(f"CMS menolak kiriman (HTTP {code}) saat {what}.", retryable=False)

    async def publish(self, article: Article, prior: PriorPublication | None) -> PublishResult:
        event = "update" if prior is not None and prior.remote_id else "publish"
        resp = await self._deliver(article, event, prior)
        assert resp is not None
        try:
            answer = resp.json()
            url = answer["url"]
            remote_id = answer["id"]
            if not isinstance(url, str) or not url or remote_id in (None, ""):
                raise ValueError
        except (ValueError, KeyError, TypeError) as e:
            raise PublishError(
                f"Jawaban CMS tidak sesuai kontrak (HTTP {resp.status_code}): harus JSON "
                '{"url": "...", "id": "..."}.',
                retryable=False,
            ) from e
        return PublishResult(
            url=url,
            remote_id=str(remote_id),
            remote={"idempotency_key": idempotency_key(article), "event": event},
        )

    async def withdraw(self, article: Article, prior: PriorPublication) -> None:
        await self._deliver(article, "withdraw", prior)
