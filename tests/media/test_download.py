from __future__ import annotations

import hashlib
import os

import httpx
import pytest
from media_asserts import assert_message

from media import ContentStore, MediaRejected
from media import download as dl
from media.download import stream_download

URL = "https://api.telegram.org/file/bot123:SECRET/photos/file_1.jpg"


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    async def fast(_s):
        return None

    monkeypatch.setattr(dl.asyncio, "sleep", fast)


class Body(httpx.AsyncByteStream):
    def __init__(self, data: bytes, fail_after: int | None = None, chunk=8192):
        self.data, self.fail_after, self.chunk, self.sent = data, fail_after, chunk, 0

    async def __aiter__(self):
        for i in range(0, len(self.data), self.chunk):
            if self.fail_after is not None and i >= self.fail_after:
                raise httpx.ReadError("connection reset")
            self.sent += 1
            yield self.data[i : i + self.chunk]


def client(handler) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


async def test_streams_into_store(store: ContentStore):
    data = os.urandom(100_000)

    async def handler(request):
        return httpx.Response(200, stream=Body(data))

    async with client(handler) as c:
        blob = await stream_download(c, URL, store, max_bytes=1 << 20)
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert blob.path.read_bytes() == data


async def test_retries_transient_errors_and_cleans_partial(store: ContentStore):
    data = os.urandom(50_000)
    calls = 0

    async def handler(request):
        nonlocal calls
        calls += 1
        if calls == 1:
            raise httpx.ConnectTimeout("slow network")
        if calls == 2:
            return httpx.Response(200, stream=Body(data, fail_after=16384))
        if calls == 3:
            return httpx.Response(502)
        return httpx.Response(200, stream=Body(data))

    async with client(handler) as c:
        with pytest.raises(MediaRejected) as e:
            await stream_download(c, URL, store, max_bytes=1 << 20, retries=2)
        assert e.value.code == "download_failed"
        assert "SECRET" not in str(e.value)  # the token never leaks into errors
        assert_message("download_failed", **e.value.params)
        assert list(store.tmp.iterdir()) == []
        blob = await stream_download(c, URL, store, max_bytes=1 << 20, retries=2)
    assert calls == 4 and blob.size == len(data)


async def test_too_large_by_content_length_without_reading(store: ContentStore):
    body = Body(b"x" * 300_000)

    async def handler(request):
        return httpx.Response(200, stream=body, headers={"Content-Length": "300000"})

    async with client(handler) as c:
        with pytest.raises(MediaRejected) as e:
            await stream_download(c, URL, store, max_bytes=100_000)
    assert e.value.code == "too_large" and body.sent == 0


async def test_too_large_while_streaming_without_length(store: ContentStore):
    body = Body(b"x" * 300_000)

    async def handler(request):
        return httpx.Response(200, stream=body)

    async with client(handler) as c:
        with pytest.raises(MediaRejected) as e:
            await stream_download(c, URL, store, max_bytes=100_000)
    assert e.value.code == "too_large"
    assert body.sent < 300_000 // 8192  # stopped early
    assert list(store.tmp.iterdir()) == [] and list(store.iter_objects()) == []


async def test_http_error_not_retried(store: ContentStore):
    calls = 0

    async def handler(request):
        nonlocal calls
        calls += 1
        return httpx.Response(404)

    async with client(handler) as c:
        with pytest.raises(MediaRejected) as e:
            await stream_download(c, URL, store, max_bytes=1000)
    assert e.value.code == "download_failed" and calls == 1
