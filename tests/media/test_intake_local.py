"""With a local Bot API server (--local), getFile answers an absolute path: the
intake copies that file into the store instead of downloading it."""
from __future__ import annotations

import io
from pathlib import Path

import httpx
from PIL import Image

from media.pipeline import MediaPolicy
from services.writing.intake import Incoming, Intake


async def test_local_bot_api_path_is_ingested_from_disk(tmp_path: Path):
    src = tmp_path / "telegram-bot-api" / "photos" / "file_1.jpg"
    src.parent.mkdir(parents=True)
    buf = io.BytesIO()
    Image.new("RGB", (2400, 1800), (10, 120, 200)).save(buf, "JPEG")
    src.write_bytes(buf.getvalue())
    async with httpx.AsyncClient() as http:
        intake = Intake(tmp_path / "data", MediaPolicy(max_bytes=50 * 1024 * 1024), http)
        processed = await intake.fetch(str(src), Incoming("f1", "u1", None, None, "", None, "photo"))
    assert processed.kind == "photo" and processed.rendition("web") is not None
    assert intake.store.path_for(processed.sha256).read_bytes() == src.read_bytes()
    assert src.exists()  # the Bot API server's own copy is left alone
