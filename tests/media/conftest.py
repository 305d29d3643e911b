from __future__ import annotations

from pathlib import Path

import pytest

from media import ContentStore, MediaPolicy, process


@pytest.fixture
def store(tmp_path: Path) -> ContentStore:
    return ContentStore(tmp_path / "store", fsync=False)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path / "derived"


@pytest.fixture
def run(store: ContentStore, out_dir: Path):
    """Ingest bytes, then run the pipeline on them (the name is only for display)."""

    async def _run(data: bytes, name: str | None = "upload.bin", policy: MediaPolicy | None = None):
        blob = await store.ingest_bytes(data)
        return await process(blob, original_name=name, out_dir=out_dir, policy=policy or MediaPolicy())

    return _run
