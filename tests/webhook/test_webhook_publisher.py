"""WebhookPublisher against a real HTTP receiver on 127.0.0.1."""
from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import replace

import httpx
import pytest

from publishers.base import PriorPublication, PublishError
from publishers.webhook import WebhookPublisher, article_payload, build_body, sign, verify

from .conftest import SECRET


def prior_of(res):
    return PriorPublication(remote_id=res.remote_id, url=res.url, remote=res.remote)


async def test_publish_signed_multipart(receiver, article):
    pub = WebhookPublisher(receiver.endpoint, SECRET)
    try:
        res = await pub.publish(article, None)
    finally:
        await pub.aclose()
    assert res.url == f"{receiver.url}/berita/pengumuman-libur" and res.remote_id == "501"
    assert res.remote["idempotency_key"] == "terbit-42"
    (req,) = receiver.requests
    h = req["headers"]
    assert req["verified"]
    assert h["X-Terbit-Signature"] == "sha256=" + hmac.new(SECRET.encode(), req["body"], hashlib.sha256).hexdigest()
    assert h["X-Terbit-Event"] == "publish" and h["X-Terbit-Delivery"] == "terbit-42"
    assert h["Content-Type"].startswith("multipart/form-data; boundary=")
    parts = req["parts"]
    assert set(parts) == {"article", "original-7", "web-7", "original-8"}
    photo, doc = article.assets
    assert parts["original-7"]["data"] == photo.original.read_bytes()
    assert parts["web-7"]["data"] == photo.web.read_bytes()
    assert parts["web-7"]["filename"] == "Foto Kantor.jpg" and parts["web-7"]["content_type"] == "image/jpeg"
    assert parts["original-8"]["data"] == doc.original.read_bytes()
    assert '"' not in parts["original-8"]["filename"]
    a = req["article"]
    assert a["title"] == article.title and a["body"] == article.body
    assert a["author"] == {"name": "Siti", "telegram_id": 1, "username": "siti"}
    assert a["assets"][0]["parts"] == {"original": "original-7", "web": "web-7"}
    assert a["record"] == article.record and a["approved_at"] == "2026-02-01T08:00:00+00:00"


async def test_tampered_signature_is_rejected(receiver, article):
    data, files = article_payload(article, "publish", None)
    body, ctype, _ = build_body(data, files)
    good = sign(SECRET, body)
    tampered = body.replace(b"Pengumuman Libur Nasional", b"Pengumuman Libur Nasionai")
    assert verify(SECRET, body, good) and not verify(SECRET, tampered, good)
    async with httpx.AsyncClient() as c:
        base = {"Content-Type": ctype, "X-Terbit-Event": "publish", "X-Terbit-Delivery": "terbit-42"}
        r1 = await c.post(receiver.endpoint, content=tampered, headers={**base, "X-Terbit-Signature": good})
        r2 = await c.post(receiver.endpoint, content=body,
                          headers={**base, "X-Terbit-Signature": "sha256=" + "0" * 64})
        r3 = await c.post(receiver.endpoint, content=body, headers=base)
        r4 = await c.post(receiver.endpoint, content=body, headers={**base, "X-Terbit-Signature": good})
    assert (r1.status_code, r2.status_code, r3.status_code, r4.status_code) == (401, 401, 401, 200)
    assert len(receiver.items) == 1


async def test_wrong_secret_is_not_retryable(receiver, article):
    pub = WebhookPublisher(receiver.endpoint, "kunci-yang-salah")
    try:
        with pytest.raises(PublishError) as exc:
            await pub.publish(article, None)
    finally:
        await pub.aclose()
    assert exc.value.retryable is False and "401" in exc.value.message
    assert "kunci-yang-salah" not in exc.value.message and "kunci-yang-salah" not in repr(pub)
    assert receiver.items == {}


@pytest.mark.parametrize("status, retryable", [(500, True), (503, True), (429, True), (400, False),
                                               (403, False), (422, False), (404, False)])
async def test_status_classification_then_retry(receiver, article, status, retryable):
    receiver.script = [status]
    pub = WebhookPublisher(receiver.endpoint, SECRET)
    try:
        with pytest.raises(PublishError) as exc:
            await pub.publish(article, None)
        assert exc.value.retryable is retryable
        res = await pub.publish(article, None)  # the outbox tries again
    finally:
        await pub.aclose()
    assert res.remote_id == "501" and len(receiver.items) == 1


async def test_lost_response_then_retry_is_exactly_once(receiver, article):
    """The CMS stored the article but the answer was lost: the retry carries the
    same X-Terbit-Delivery and the CMS upserts -- one item, same id."""
    receiver.script = ["lose_response"]
    pub = WebhookPublisher(receiver.endpoint, SECRET)
    try:
        with pytest.raises(PublishError) as exc:
            await pub.publish(article, None)
        assert exc.value.retryable is True
        res = await pub.publish(article, None)
    finally:
        await pub.aclose()
    assert len(receiver.items) == 1 and res.remote_id == "501"
    assert [r["headers"]["X-Terbit-Delivery"] for r in receiver.requests] == ["terbit-42"] * 2
    assert receiver.requests[0]["body"] != receiver.requests[1]["body"]  # new sent_at/boundary, new signature


async def test_receiver_down_is_retryable(article):
    pub = WebhookPublisher("http://127.0.0.1:9/terbit/webhook", SECRET, timeout=5)
    try:
        with pytest.raises(PublishError) as exc:
            await pub.publish(article, None)
    finally:
        await pub.aclose()
    assert exc.value.retryable is True and "tidak dapat dihubungi" in exc.value.message


async def test_update_and_withdraw(receiver, article):
    pub = WebhookPublisher(receiver.endpoint, SECRET)
    try:
        first = await pub.publish(article, None)
        second = await pub.publish(replace(article, revision_number=2, title="Libur Diperpanjang"), prior_of(first))
        await pub.withdraw(article, prior_of(second))
    finally:
        await pub.aclose()
    assert second.remote_id == first.remote_id and second.remote["event"] == "update"
    assert [r["headers"]["X-Terbit-Event"] for r in receiver.requests] == ["publish", "update", "withdraw"]
    item = receiver.items["terbit-42"]
    assert item["title"] == "Libur Diperpanjang" and item["versions"] == [1, 2] and item["withdrawn"]
    withdraw = receiver.requests[2]
    assert set(withdraw["parts"]) == {"article"}  # no files on withdraw
    assert withdraw["article"]["delivery"]["prior_id"] == first.remote_id


async def test_withdraw_unknown_is_fine(receiver, article):
    pub = WebhookPublisher(receiver.endpoint, SECRET)
    try:
        await pub.withdraw(article, PriorPublication(remote_id="999"))
    finally:
        await pub.aclose()


async def test_bad_answer_is_not_retryable(article):
    def handler(request):
        return httpx.Response(200, text="OK")

    pub = WebhookPublisher("https://cms.example/hook", SECRET, transport=httpx.MockTransport(handler))
    with pytest.raises(PublishError) as exc:
        await pub.publish(article, None)
    await pub.aclose()
    assert exc.value.retryable is False and "kontrak" in exc.value.message


async def test_redirect_is_not_followed(article):
    def handler(request):
        return httpx.Response(301, headers={"Location": "https://elsewhere.example/"})

    pub = WebhookPublisher("http://cms.example/hook", SECRET, transport=httpx.MockTransport(handler))
    with pytest.raises(PublishError) as exc:
        await pub.publish(article, None)
    await pub.aclose()
    assert exc.value.retryable is False and "301" in exc.value.message


def test_article_json_is_plain_json(article):
    data, files = article_payload(article, "publish", None)
    assert json.loads(json.dumps(data)) == data
    assert [f.name for f in files] == ["original-7", "web-7", "original-8"]
