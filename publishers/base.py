"""The one small interface every publishing target implements.

A publisher receives an immutable :class:`Article` (the approved revision with
its files already converted) and the :class:`PriorPublication` it left last
time for the same article, if any.  Passing the prior record in is what makes
publishing idempotent: a retry after a crash, or a later update of the same
article, must update what exists instead of creating a second copy.

Publishers know nothing of Telegram or SQL; the outbox (services/website/outbox.py)
owns retries, ordering and bookkeeping.
"""
from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Person:
    name: str
    telegram_id: int | None = None
    username: str | None = None


@dataclass(frozen=True)
class Asset:
    """One supporting file of an article.

    ``original`` is the untouched upload (content-addressed, kept for the
    archive); ``web`` and ``thumb`` are metadata-free renditions for the web
    (present for photos; ``web`` may also be a playable audio rendition).
    """

    id: int
    kind: str  # "photo" | "audio" | "voice" | "video" | "document"
    sha256: str
    original: Path
    filename: str  # safe display name, never used as a path component
    mime: str
    size: int
    caption: str = ""
    web: Path | None = None
    web_mime: str | None = None
    thumb: Path | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # width, height, pages, duration...


@dataclass(frozen=True)
class Article:
    submission_id: int
    revision_number: int
    slug: str
    kind: str  # domain key: "berita" | "pengumuman" | "artikel" | "laporan_kegiatan"
    kind_label: str  # shown to readers, e.g. "Laporan Kegiatan"
    section: str
    title: str
    body: str  # plain text, paragraphs separated by blank lines; never HTML
    author: Person
    approved_by: Person | None
    approved_at: datetime
    assets: tuple[Asset, ...] = ()
    # Everything the archive keeps beyond the article itself: revisions,
    # audit trail, people.  Plain JSON-serialisable data.
    record: dict[str, Any] = field(default_factory=dict)
    #: How a remote system finds this article again after a crash: stable
    #: across revisions and unique across installations (a fresh database
    #: starts its ids at 1 again; without the installation part, a new #1
    #: would overwrite the old #1 on the CMS).
    key: str = ""
    #: The public-information class (UU 14/2008): its key and the label readers see; "" when unknown.
    kip_class: str = ""
    kip_label: str = ""

    @property
    def idempotency_key(self) -> str:
        return self.key or f"terbit-{self.submission_id}"

    @property
    def photos(self) -> tuple[Asset, ...]:
        return tuple(a for a in self.assets if a.kind == "photo")


def person_dict(p: Person | None) -> dict[str, Any] | None:
    """A person as plain JSON data (archive metadata, webhook payload)."""
    if p is None:
        return None
    return {"name": p.name, "telegram_id": p.telegram_id, "username": p.username}


def article_fields(article: Article) -> dict[str, Any]:
    """The article's own fields as plain JSON data, in the order both the
    archive's ``metadata.json`` and the webhook contract list them.  Callers
    add the dates (each in its own zone) and what else they carry."""
    return {
        "submission_id": article.submission_id,
        "revision_number": article.revision_number,
        "slug": article.slug,
        "kind": article.kind,
        "kind_label": article.kind_label,
        "section": article.section,
        "title": article.title,
        "body": article.body,
    }


@dataclass(frozen=True)
class PriorPublication:
    """What this target recorded the last time it handled the article."""

    remote_id: str | None = None
    url: str | None = None
    remote: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PublishResult:
    url: str | None
    remote_id: str | None = None
    remote: dict[str, Any] = field(default_factory=dict)


class PublishError(Exception):
    """A publishing attempt failed.

    ``retryable`` tells the outbox whether trying again can help (network
    down, 5xx, 429) or not (bad credentials, forbidden): those go straight to
    the admin.  ``message`` is plain words for the admin; it must never
    contain a secret.
    """

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


#: Why a target could not be reached, in plain Indonesian, by the transport error's class name
#: (httpx's, or the one python-telegram-bot wraps); the class name itself goes to the log only.
_UNREACHABLE = {
    "ConnectError": "server tidak dapat dijangkau atau menolak sambungan",
    "ProxyError": "proksi jaringan menolak sambungan",
    "RemoteProtocolError": "server memutus sambungan di tengah jalan",
    "ReadError": "sambungan terputus saat menerima jawaban",
    "WriteError": "sambungan terputus saat mengirim data",
    "UnsupportedProtocol": "alamat server tidak dapat dipakai (periksa awalan https://)",
}
_UNREACHABLE_OTHER = "gangguan jaringan"


def unreachable_reason(exc: BaseException) -> str:
    """Why a target could not be reached, in words for the admin (never a class name, a URL or a token)."""
    for e in (exc, exc.__cause__, exc.__context__):
        if e is not None and type(e).__name__ in _UNREACHABLE:
            return _UNREACHABLE[type(e).__name__]
    text = str(exc)  # python-telegram-bot's NetworkError says "httpx.ConnectError: …": only the name is read
    return next((why for name, why in _UNREACHABLE.items() if f"{name}:" in text), _UNREACHABLE_OTHER)


class Publisher(abc.ABC):
    #: Stable key stored in the outbox, e.g. "static_site", "archive".
    name: str
    #: Human label for messages to people, e.g. "Situs statis".
    label: str
    #: Publishers with a higher stage run only after every lower-stage target
    #: of the same revision has settled.  The archive (SOP step 7) is stage 1.
    stage: int = 0

    @abc.abstractmethod
    async def publish(self, article: Article, prior: PriorPublication | None) -> PublishResult:
        """Create or update the article on this target.

        Must be idempotent: called again with the same article and the prior
        record (or with ``prior=None`` after a crash that lost the record),
        it must not create a duplicate.
        """

    async def withdraw(self, article: Article, prior: PriorPublication) -> None:
        """Take a published article down.  Targets that cannot may ignore it."""
        return None

    async def prepare(self) -> None:
        """Made ready for a new office, before its first article (nothing for most targets)."""
        return None

    async def aclose(self) -> None:
        return None
