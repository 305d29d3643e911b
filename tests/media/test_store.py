from __future__ import annotations

import asyncio
import hashlib
import os

import pytest
from media_asserts import assert_message

from media import ContentStore, MediaRejected


async def chunks(data: bytes, size: int = 1000):
    for i in range(0, len(data), size):
        yield data[i : i + size]


async def test_ingest_hashes_and_addresses_by_content(store: ContentStore):
    data = os.urandom(10_000)
    blob = await store.ingest_stream(chunks(data), max_bytes=1 << 20)
    sha = hashlib.sha256(data).hexdigest()
    assert blob.sha256 == sha and blob.size == len(data) and not blob.existed
    assert blob.path == store.objects / sha[:2] / sha[2:4] / sha
    assert blob.path.read_bytes() == data
    assert not os.access(blob.path, os.W_OK) or os.geteuid() == 0  # read-only object
    assert list(store.tmp.iterdir()) == []


async def test_same_bytes_stored_once(store: ContentStore):
    data = b"\xff\xd8\xff" + os.urandom(5000)
    a = await store.ingest_stream(chunks(data), max_bytes=1 << 20)
    b = await store.ingest_bytes(data)
    assert not a.existed and b.existed and a.path == b.path
    assert len(list(store.iter_objects())) == 1
    assert list(store.tmp.iterdir()) == []


async def test_concurrent_same_bytes_only_one_is_new(store: ContentStore):
    data = os.urandom(50_000)
    blobs = await asyncio.gather(*(store.ingest_stream(chunks(data, 4096)) for _ in range(8)))
    assert sum(not b.existed for b in blobs) == 1
    assert len(list(store.iter_objects())) == 1


async def test_zero_bytes_rejected(store: ContentStore):
    with pytest.raises(MediaRejected) as e:
        await store.ingest_stream(chunks(b""), max_bytes=100)
    assert e.value.code == "empty"
    assert_message("empty")
    assert list(store.tmp.iterdir()) == [] and list(store.iter_objects()) == []


async def test_over_limit_aborts_early_and_keeps_nothing(store: ContentStore):
    consumed = 0

    async def endless():
        nonlocal consumed
        while True:  # a client that would send forever
            consumed += 1
            yield b"x" * 65536

    with pytest.raises(MediaRejected) as e:
        await store.ingest_stream(endless(), max_bytes=3 * 65536)
    assert e.value.code == "too_large" and e.value.params["max_bytes"] == 3 * 65536
    assert consumed == 4  # stopped at the first chunk over the limit
    assert_message("too_large", **e.value.params)
    assert list(store.tmp.iterdir()) == [] and list(store.iter_objects()) == []


async def test_error_mid_stream_removes_partial_file(store: ContentStore):
    async def broken():
        yield b"abc" * 1000
        raise ConnectionResetError("peer went away")

    with pytest.raises(ConnectionResetError):
        await store.ingest_stream(broken(), max_bytes=1 << 20)
    assert list(store.tmp.iterdir()) == [] and list(store.iter_objects()) == []


async def test_ingest_file_leaves_source_alone(store: ContentStore, tmp_path):
    src = tmp_path / "..evil name.pdf"
    src.write_bytes(b"%PDF-1.4 hello")
    blob = await store.ingest_file(src)
    assert src.read_bytes() == b"%PDF-1.4 hello"
    assert blob.path.name == blob.sha256  # never the user's name
    with pytest.raises(MediaRejected) as e:
        await store.ingest_file(src, max_bytes=3)
    assert e.value.code == "too_large"


def test_path_for_rejects_non_hashes(store: ContentStore):
    for bad in ("../../etc/passwd", "ab" * 31, "g" * 64):
        with pytest.raises(ValueError):
            store.path_for(bad)
    assert store.get("0" * 64) is None
