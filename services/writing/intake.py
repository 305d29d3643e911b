"""Receiving one uploaded file: download, store by SHA-256, convert, record.

Telegram-free: the handler resolves the file's download URL and passes it in.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from media.download import stream_download
from media.errors import MediaRejected
from media.pipeline import MediaPolicy, Processed, process
from media.store import ContentStore, too_large
from storage.models import Attachment


@dataclass(frozen=True)
class Incoming:
    """What the chat said about a file; none of it is trusted for its type."""

    file_id: str
    unique_id: str | None
    size: int | None
    name: str | None
    caption: str
    media_group_id: str | None
    #: How the client sent it (photo, document, voice...): needed to send it on by file id.
    tg_type: str = "document"
    #: When the writer sent it (the message's date): SOP step 2, conversion, runs from here until the
    #: attachment is recorded with its renditions (``created_at``).
    sent_at: datetime | None = None


@dataclass
class Intake:
    data_dir: Path
    policy: MediaPolicy
    http: httpx.AsyncClient

    def __post_init__(self) -> None:
        self.store = ContentStore(self.data_dir / "files")
        self.renditions = self.data_dir / "files" / "renditions"

    def precheck(self, incoming: Incoming) -> None:
        """Refuse what cannot be downloaded before trying (the 20 MB Bot API cap)."""
        if incoming.size is not None and incoming.size > self.policy.max_bytes:
            raise too_large(self.policy.max_bytes, incoming.size)

    async def fetch(self, url: str, incoming: Incoming) -> Processed:
        """``url`` is the Bot API file URL, or, with a local Bot API server
        started with --local, the absolute path of the file it downloaded."""
        if url.startswith("/"):
            blob = await self.store.ingest_file(url, self.policy.max_bytes)
        else:
            blob = await stream_download(self.http, url, self.store, self.policy.max_bytes)
        try:
            return await process(blob, original_name=incoming.name, out_dir=self.renditions, policy=self.policy)
        except MediaRejected:
            # A refused file is not kept (an .exe has no business in the archive);
            # bytes that were already there belong to an accepted upload.
            if not blob.existed:
                self.store.path_for(blob.sha256).unlink(missing_ok=True)
            raise

    def _rel(self, path: Path) -> str:
        return str(Path(path).resolve().relative_to(self.data_dir.resolve()))

    async def record(self, s: AsyncSession, *, submission_id: int, person_id: int, incoming: Incoming,
                     processed: Processed, now: datetime) -> Attachment:
        existing = await s.scalar(select(Attachment).where(
            Attachment.submission_id == submission_id, Attachment.sha256 == processed.sha256))
        if existing is not None:
            return existing
        att = Attachment(
            submission_id=submission_id,
            kind=processed.kind,
            sha256=processed.sha256,
            path=self._rel(self.store.path_for(processed.sha256)),
            mime=processed.mime,
            label=processed.label,
            size=processed.size,
            original_name=processed.display_name,
            caption=" ".join((incoming.caption or "").split())[:1000],
            telegram_file_id=incoming.file_id,
            telegram_unique_id=incoming.unique_id,
            media_group_id=incoming.media_group_id,
            meta=dict(processed.meta) | {"tg_type": incoming.tg_type}
            | ({"sent_at": incoming.sent_at.isoformat()} if incoming.sent_at is not None else {}),
            renditions=[
                {"role": d.role, "path": self._rel(d.path), "mime": d.mime, "size": d.size, "sha256": d.sha256,
                 "parent": processed.sha256, "width": d.width, "height": d.height}
                for d in processed.derived
            ],
            added_by=person_id,
            created_at=now,
        )
        s.add(att)
        await s.flush()
        return att


__all__ = ["Incoming", "Intake", "MediaPolicy", "MediaRejected"]
