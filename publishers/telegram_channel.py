"""Publish approved articles as posts in a public Telegram channel.

The bot must be an administrator of the channel with the right to post
(and to edit and delete its posts, for updates and withdrawals).  ``channel``
is ``"@username"`` or the numeric id (``-100…``).

What a post looks like
----------------------
* Photos, as their metadata-free web renditions (``asset.web``) uploaded as
  files.  Originals are never sent: they can carry EXIF/GPS data.  Photos
  without a web rendition are skipped.  Up to 10 photos form one album
  (``sendMediaGroup``); more are spread evenly over several albums (never an
  album of one: Telegram wants 2-10 items; a single photo goes by
  ``sendPhoto``).
* The text (Telegram HTML): bold title, ``Jenis · Rubrik`` line, the body
  paragraphs; every piece of user text is escaped.  When it fits the
  1024-character caption limit it is the caption of the first photo;
  otherwise the album goes without caption and the text follows as message(s)
  of at most 4096 characters, split at paragraph boundaries — or, when
  ``site_url_for(article)`` gives the article's web address, one message
  summarising the beginning with a "Baca selengkapnya" link.
* Documents after that (``sendDocument``, the original file, the display name
  as caption); audio, voice and video with ``sendAudio`` / ``sendVoice`` /
  ``sendVideo`` (the web rendition when there is one).

Lengths are counted in UTF-16 code units of the text after entity parsing,
which is never less than Telegram's own count.

Errors
------
``RetryAfter`` (flood control) is waited out when it is short (at most
``max_retry_wait`` seconds) and the call repeated; longer waits, network
trouble and time-outs raise a retryable :class:`PublishError`; ``Forbidden``
and ``BadRequest`` (bot not an admin, channel unknown) raise a non-retryable
one with plain Indonesian words for the admin.  Messages and logs never
contain the bot token (exception texts of network errors are not shown at
all: they could hold the request URL).

Idempotency, and the one window where it cannot hold
-----------------------------------------------------
The result records the channel's chat id and every message id (see
:meth:`TelegramChannelPublisher.publish`).  When ``prior`` holds them — a
later revision of the same article, or a retry after a recorded attempt —
the post is updated in place: ``editMessageCaption`` / ``editMessageText``
for the text and the attachments' captions.  An edit that changes nothing
("message is not modified") counts as success.  Album media cannot be
replaced reliably, so when the set of photos changed a short "Pembaruan: …"
album with the new photos is posted and recorded; later edits still go to
the original post.  A message that is gone (deleted in the channel by hand)
is sent again; one Telegram refuses to edit is followed by a "Pembaruan"
message with the new text.

A bot cannot search or read a channel's history, so when a crash happens
after Telegram accepted some messages but before the outbox recorded the
result (``prior=None`` on the retry), nothing can tell this publisher that
the post exists and the retry posts it again.  The window is kept small:
the album and its caption go in one ``sendMediaGroup`` call, the text in as
few messages as possible; and when an attempt fails part-way with an error
Telegram reports (flood, refusal), the messages that attempt already sent
are deleted again before the error is raised, so the retry starts clean.
Only a crash of the process itself, or a network failure whose request did
reach Telegram, can leave a duplicate behind.

Withdrawal deletes every recorded message.  Telegram lets a bot delete its
own channel posts only for 48 hours; after that the text (caption or text
messages) is edited to "[Ditarik]" and a non-retryable error tells the admin
which messages have to be deleted by hand.
"""
from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram import Bot, InputMediaPhoto, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from publishers import render
from publishers.base import (
    Article,
    Asset,
    PriorPublication,
    Publisher,
    PublishError,
    PublishResult,
    unreachable_reason,
)

log = logging.getLogger(__name__)

CAPTION_LIMIT = 1024
TEXT_LIMIT = 4096
ALBUM_MAX = 10
#: Room kept free in every text chunk for a "Pembaruan" prefix.
_UPDATE_PREFIX = "<b>Pembaruan:</b> "
_UPDATE_PREFIX_PLAIN = "Pembaruan: "
WITHDRAWN = "[Ditarik]"

SiteUrlFor = Callable[[Article], "str | None"]


# --------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------

def tg_escape(text: str) -> str:
    """Escape plain text for Telegram HTML (``&``, ``<``, ``>``)."""
    return html.escape(text, quote=False)


def tg_len(plain: str) -> int:
    """Length as Telegram limits count it, conservatively (UTF-16 code units)."""
    return len(plain.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Block:
    """One piece of text: what readers see (``plain``) and its HTML."""

    plain: str
    html: str


def _join(blocks: list[Block], sep: str = "\n\n") -> Block:
    return Block(sep.join(b.plain for b in blocks), sep.join(b.html for b in blocks))


def _split_plain(text: str, limit: int) -> list[str]:
    """Cut plain text into pieces of at most ``limit``, at the gentlest
    boundary that works: line break, sentence end, space, else anywhere
    (never inside a surrogate pair: Python strings are code points)."""
    if tg_len(text) <= limit:
        return [text]
    for sep in ("\n", ". ", " "):
        parts = text.split(sep)
        if len(parts) < 2:
            continue
        tokens = [p + sep for p in parts[:-1]] + [parts[-1]]
        out: list[str] = []
        cur = ""
        for tok in tokens:
            if tg_len(cur + tok.rstrip()) <= limit:
                cur += tok
                continue
            if cur.strip():
                out.append(cur.rstrip())
            cur = ""
            if tg_len(tok.rstrip()) <= limit:
                cur = tok
            else:
                pieces = _split_plain(tok.rstrip(), limit)
                out.extend(pieces[:-1])
                cur = pieces[-1] + " "
        if cur.strip():
            out.append(cur.rstrip())
        return [p for p in out if p]
    out, cur = [], ""
    for ch in text:
        if tg_len(cur + ch) > limit:
            out.append(cur)
            cur = ""
        cur += ch
    if cur:
        out.append(cur)
    return out


def _text_block(text: str) -> Block:
    return Block(text, tg_escape(text))


def header_block(article: Article) -> Block:
    title = render.one_line(article.title)
    rubrik = [render.one_line(article.kind_label), render.one_line(article.section)]
    line = " · ".join(p for p in rubrik if p)
    plain = title + (f"\n{line}" if line else "")
    markup = f"<b>{tg_escape(title)}</b>" + (f"\n{tg_escape(line)}" if line else "")
    return Block(plain, markup)


def body_blocks(article: Article) -> list[Block]:
    return [_text_block(p) for p in render.paragraphs(article.body)]


def full_text(article: Article) -> Block:
    return _join([header_block(article), *body_blocks(article)])


def split_text(article: Article, limit: int) -> list[str]:
    """The whole text as HTML messages of at most ``limit`` characters each,
    split between paragraphs (and inside a paragraph only when it alone is
    longer than ``limit``)."""
    blocks: list[Block] = []
    for block in [header_block(article), *body_blocks(article)]:
        if tg_len(block.plain) <= limit:
            blocks.append(block)
        else:  # only a huge paragraph (or title) gets here
            blocks.extend(_text_block(p) for p in _split_plain(block.plain, limit))
    chunks: list[list[Block]] = []
    size = 0
    for block in blocks:
        n = tg_len(block.plain)
        if chunks and size + 2 + n <= limit:
            chunks[-1].append(block)
            size += 2 + n
        else:
            chunks.append([block])
            size = n
    return [_join(c).html for c in chunks]


def summary_text(article: Article, url: str, limit: int) -> str:
    """The beginning of the text and a "Baca selengkapnya" link, within ``limit``."""
    tail = Block("… Baca selengkapnya", f'… <a href="{html.escape(url, quote=True)}">Baca selengkapnya</a>')
    budget = limit - tg_len(tail.plain) - 2
    head = header_block(article)
    if tg_len(head.plain) > budget:
        head = _text_block(_split_plain(head.plain, budget)[0])
    kept = [head]
    size = tg_len(head.plain)
    for block in body_blocks(article):
        n = tg_len(block.plain)
        if size + 2 + n <= budget:
            kept.append(block)
            size += 2 + n
            continue
        room = budget - size - 2
        if room > 80:  # a cut paragraph is worth showing only when not tiny
            cut = _split_plain(block.plain, room)[0].rstrip(" ,.;:-")
            if cut:
                kept.append(_text_block(cut))
        break
    return _join([*kept, tail]).html


# --------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------

@dataclass
class Layout:
    photos: list[Asset]
    albums: list[list[Asset]]
    caption: str | None  # HTML caption of the first photo, when the text fits
    texts: list[str]  # HTML text messages (empty when the caption holds the text)
    extras: list[Asset] = field(default_factory=list)  # documents, audio, voice, video


def albums_of(photos: list[Asset]) -> list[list[Asset]]:
    """At most 10 per album, spread evenly so no album has a single photo."""
    if not photos:
        return []
    n = -(-len(photos) // ALBUM_MAX)
    size, extra = divmod(len(photos), n)
    out, pos = [], 0
    for i in range(n):
        k = size + (1 if i < extra else 0)
        out.append(photos[pos:pos + k])
        pos += k
    return out


# --------------------------------------------------------------------------
# The publisher
# --------------------------------------------------------------------------

def _web_path(photo: Asset) -> Path:
    """The web rendition of a photo (a layout holds only photos that have one)."""
    if photo.web is None:
        raise ValueError(f"photo #{photo.id} has no web rendition")
    return Path(photo.web)


class _Sent(list[int]):
    """Message ids sent during one attempt (for the clean-up on failure)."""


class TelegramChannelPublisher(Publisher):
    name = "telegram_channel"
    label = "Kanal Telegram"
    stage = 0

    def __init__(
        self,
        bot: Bot,
        channel: str | int,
        *,
        site_url_for: SiteUrlFor | None = None,
        max_retry_wait: float = 60.0,
        max_attempts: int = 3,
        upload_timeout: float = 120.0,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        if isinstance(channel, str):
            channel = channel.strip()
            if re.fullmatch(r"-?\d+", channel):
                channel = int(channel)
            elif not channel.startswith("@"):
                channel = "@" + channel
        self.bot = bot
        self.channel: str | int = channel
        self.site_url_for = site_url_for
        self.max_retry_wait = max_retry_wait
        self.max_attempts = max(1, max_attempts)
        self.upload_timeout = upload_timeout
        self._sleep = sleep

    def __repr__(self) -> str:  # never the bot (its repr could show the token)
        return f"TelegramChannelPublisher({self.channel!r})"

    # -- naming for people ----------------------------------------------
    @property
    def channel_label(self) -> str:
        return self.channel if isinstance(self.channel, str) else f"dengan ID {self.channel}"

    def _bot_label(self) -> str:
        try:
            return f"@{self.bot.username}"
        except Exception:  # bot not initialised
            return "bot Terbit"

    # -- error mapping ----------------------------------------------------
    def _error(self, exc: TelegramError, action: str) -> PublishError:
        desc = str(getattr(exc, "message", "") or "")
        low = desc.lower()
        kanal = f"kanal {self.channel_label}"
        if isinstance(exc, Forbidden) or "not enough rights" in low or "administrator rights" in low \
                or "chat_write_forbidden" in low or "chat_admin_required" in low:
            if "kicked" in low:
                msg = (f"Bot sudah dikeluarkan dari {kanal}. Tambahkan lagi {self._bot_label()} sebagai admin "
                       "kanal dengan hak mengirim, menyunting dan menghapus pesan.")
            else:
                msg = (f"Bot bukan admin {kanal} (atau tidak berhak mengirim pesan di sana). Jadikan "
                       f"{self._bot_label()} admin kanal dengan hak mengirim, menyunting dan menghapus pesan.")
            return PublishError(msg, retryable=False)
        if isinstance(exc, BadRequest):
            if "chat not found" in low or "chat_id is empty" in low or "peer_id_invalid" in low:
                return PublishError(
                    f"Kanal {self.channel_label} tidak ditemukan. Periksa nama atau ID kanal di pengaturan, dan "
                    f"pastikan {self._bot_label()} sudah ditambahkan sebagai admin kanal.",
                    retryable=False,
                )
            if "can't parse entities" in low:
                return PublishError(
                    f"Telegram menolak format teks saat {action} ({desc[:200]}). Ini kesalahan program; "
                    "laporkan ke pengembang.",
                    retryable=False,
                )
            if "too long" in low:
                return PublishError(
                    f"Telegram menolak teks yang terlalu panjang saat {action}. Ini kesalahan program; "
                    "laporkan ke pengembang.",
                    retryable=False,
                )
            if "too big" in low or "file is too" in low or "entity too large" in low:
                return PublishError(f"Berkas terlalu besar untuk Telegram saat {action}.", retryable=False)
            return PublishError(f"Telegram menolak permintaan saat {action}: {desc[:200]}", retryable=False)
        if isinstance(exc, InvalidToken):
            return PublishError("Token bot ditolak Telegram. Periksa token bot di pengaturan.", retryable=False)
        if isinstance(exc, ChatMigrated):
            return PublishError(
                f"{kanal.capitalize()} sudah pindah ke ID {exc.new_chat_id}; perbarui pengaturan kanal.",
                retryable=False,
            )
        if isinstance(exc, RetryAfter):
            wait = int(_retry_seconds(exc))
            return PublishError(
                f"Telegram membatasi pengiriman ke {kanal} (flood control, tunggu {wait} detik) saat {action}; "
                "akan dicoba lagi.",
                retryable=True,
            )
        if isinstance(exc, TimedOut):
            return PublishError(f"Telegram tidak menjawab tepat waktu saat {action}; akan dicoba lagi.",
                                retryable=True)
        if isinstance(exc, NetworkError):
            # str(exc) may carry an httpx message with the request URL (and
            # so the token): only the reason, in words.
            return PublishError(
                f"Telegram tidak dapat dihubungi saat {action}: {unreachable_reason(exc)}; akan dicoba lagi.",
                retryable=True,
            )
        return PublishError(f"Telegram menjawab dengan kesalahan yang tidak dikenal saat {action}; akan dicoba lagi.",
                            retryable=True)

    async def _call(self, action: str, fn: Callable[..., Awaitable[Any]], /, **kwargs: Any) -> Any:
        """One Bot API call with flood-control waits; failures become PublishError."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return await fn(**kwargs)
            except RetryAfter as exc:
                wait = _retry_seconds(exc)
                if wait > self.max_retry_wait or attempt >= self.max_attempts:
                    log.warning("telegram_channel: flood control %.0fs on %s; giving up for now", wait, action)
                    raise self._error(exc, action) from None
                log.info("telegram_channel: flood control, waiting %.1fs before %s", wait, action)
                await self._sleep(wait)
            except TelegramError as exc:
                err = self._error(exc, action)
                log.warning("telegram_channel: %s failed: %s (%s)", action, type(exc).__name__,
                            "retryable" if err.retryable else "final")
                raise err from None

    async def _edit(self, action: str, fn: Callable[..., Awaitable[Any]], /, **kwargs: Any) -> str:
        """An edit: ``"ok"`` (also when nothing changed), ``"gone"`` (message
        deleted) or ``"refused"`` (Telegram will not edit it)."""
        try:
            await self._call(action, _raw(fn), **kwargs)
            return "ok"
        except _RawBadRequest as wrapped:
            low = wrapped.exc.message.lower()
            if "message is not modified" in low:
                return "ok"
            if "message to edit not found" in low or "message_id_invalid" in low:
                return "gone"
            if "message can't be edited" in low:
                return "refused"
            raise self._error(wrapped.exc, action) from None

    # -- sending ----------------------------------------------------------
    @property
    def _upload_kw(self) -> dict[str, Any]:
        return {"write_timeout": self.upload_timeout, "read_timeout": self.upload_timeout}

    async def _send_album(self, chat: str | int, photos: list[Asset], caption: str | None,
                          sent: _Sent) -> list[Message]:
        datas = await asyncio.gather(*(asyncio.to_thread(_web_path(p).read_bytes) for p in photos))
        if len(photos) == 1:
            msg = await self._call(
                "mengirim foto", self.bot.send_photo, chat_id=chat, photo=datas[0],
                filename=_photo_name(photos[0], 1), caption=caption, parse_mode=ParseMode.HTML if caption else None,
                **self._upload_kw,
            )
            sent.append(msg.message_id)
            return [msg]
        media = [
            InputMediaPhoto(
                data, filename=_photo_name(p, n),
                caption=caption if n == 1 and caption else None,
                parse_mode=ParseMode.HTML if n == 1 and caption else None,
            )
            for n, (p, data) in enumerate(zip(photos, datas, strict=True), start=1)
        ]
        msgs = await self._call("mengirim album foto", self.bot.send_media_group, chat_id=chat, media=media,
                                **self._upload_kw)
        sent.extend(m.message_id for m in msgs)
        return list(msgs)

    async def _send_text(self, chat: str | int, text: str, sent: _Sent, *, preview: bool) -> Message:
        msg: Message = await self._call(
            "mengirim teks", self.bot.send_message, chat_id=chat, text=text, parse_mode=ParseMode.HTML,
            link_preview_options=None if preview else LinkPreviewOptions(is_disabled=True),
        )
        sent.append(msg.message_id)
        return msg

    def _extra_caption(self, asset: Asset) -> str:
        name = render.display_name(asset)
        cap = render.one_line(asset.caption)
        plain = name + (f"\n{cap}" if cap and cap != name else "")
        if tg_len(plain) > CAPTION_LIMIT:
            plain = _split_plain(plain, CAPTION_LIMIT - 1)[0] + "…"
        return tg_escape(plain)

    async def _send_extra(self, chat: str | int, asset: Asset, sent: _Sent) -> Message:
        web = asset.web if asset.kind != "document" else None
        use_web = web is not None
        path = Path(web if web is not None else asset.original)
        data = await asyncio.to_thread(path.read_bytes)
        filename = _file_name(asset, use_web)
        caption = self._extra_caption(asset)
        common = {"chat_id": chat, "caption": caption, "parse_mode": ParseMode.HTML, "filename": filename,
                  **self._upload_kw}
        duration = asset.meta.get("duration") if isinstance(asset.meta, dict) else None
        duration = int(duration) if isinstance(duration, (int, float)) and duration > 0 else None
        name = render.display_name(asset)
        msg: Message
        if asset.kind == "audio":
            msg = await self._call(f"mengirim audio {name}", self.bot.send_audio, audio=data,
                                   duration=duration, **common)
        elif asset.kind == "voice":
            msg = await self._call(f"mengirim rekaman suara {name}", self.bot.send_voice, voice=data,
                                   duration=duration, **common)
        elif asset.kind == "video":
            msg = await self._call(f"mengirim video {name}", self.bot.send_video, video=data,
                                   duration=duration, **common)
        else:
            msg = await self._call(f"mengirim dokumen {name}", self.bot.send_document, document=data, **common)
        sent.append(msg.message_id)
        return msg

    async def _cleanup(self, chat: str | int, sent: _Sent) -> None:
        """Best effort: delete what a failed attempt already posted."""
        for mid in reversed(sent):
            try:
                await self.bot.delete_message(chat_id=chat, message_id=mid)
            except TelegramError as exc:
                log.warning("telegram_channel: could not remove message %s after a failed attempt (%s)",
                            mid, type(exc).__name__)

    # -- layout -----------------------------------------------------------
    def layout(self, article: Article, *, force_text: bool = False) -> Layout:
        photos = [p for p in article.photos if p.web is not None]
        skipped = len(article.photos) - len(photos)
        if skipped:
            log.warning("telegram_channel: %d photo(s) of submission %s have no web rendition; not sent",
                        skipped, article.submission_id)
        extras = [a for a in article.assets if a.kind != "photo"]
        text = full_text(article)
        if photos and not force_text and tg_len(text.plain) <= CAPTION_LIMIT:
            return Layout(photos, albums_of(photos), text.html, [], extras)
        limit = TEXT_LIMIT - tg_len(_UPDATE_PREFIX_PLAIN)
        if tg_len(text.plain) <= limit:
            texts = [text.html]
        else:
            url = self.site_url_for(article) if self.site_url_for else None
            texts = [summary_text(article, url, limit)] if url else split_text(article, limit)
        return Layout(photos, albums_of(photos), None, texts, extras)

    # -- Publisher ----------------------------------------------------------
    async def publish(self, article: Article, prior: PriorPublication | None) -> PublishResult:
        """Post the article, or update the post recorded in ``prior``.

        ``remote``: ``chat_id``, ``username``, ``message_ids`` (every live
        message, in posting order), ``albums`` (message ids per album),
        ``photos`` (sha256 of the photos shown, in order),
        ``caption_in`` (``"album"`` or ``"text"``), ``caption_message_id``,
        ``text_message_id`` / ``text_message_ids``, ``attachments``
        (``[{sha256, kind, message_id}]``), ``corrections`` (albums posted
        because the photos changed).
        """
        remote = dict(prior.remote) if prior is not None and prior.remote else {}
        if remote.get("message_ids") and self._same_channel(remote):
            return await self._update(article, remote)
        return await self._publish_new(article)

    def _same_channel(self, remote: dict[str, Any]) -> bool:
        if isinstance(self.channel, int):
            return remote.get("chat_id") == self.channel
        wanted = self.channel.lstrip("@").lower()
        return (remote.get("username") or "").lower() == wanted or remote.get("channel") == self.channel

    def _result(self, remote: dict[str, Any]) -> PublishResult:
        first = remote["message_ids"][0] if remote.get("message_ids") else None
        first = remote.get("first_message_id", first)
        user = remote.get("username")
        url = f"https://t.me/{user}/{first}" if user and first else None
        return PublishResult(url=url, remote_id=str(first) if first else None, remote=remote)

    async def _publish_new(self, article: Article) -> PublishResult:
        lay = self.layout(article)
        sent = _Sent()
        chat: str | int = self.channel
        remote: dict[str, Any] = {"channel": self.channel if isinstance(self.channel, str) else None}
        try:
            albums: list[list[int]] = []
            first_msg: Message | None = None
            for i, group in enumerate(lay.albums):
                msgs = await self._send_album(chat, group, lay.caption if i == 0 else None, sent)
                first_msg = first_msg or msgs[0]
                chat = msgs[0].chat.id  # numeric from now on
                albums.append([m.message_id for m in msgs])
            texts: list[int] = []
            for text in lay.texts:
                msg = await self._send_text(chat, text, sent, preview=not lay.photos)
                first_msg = first_msg or msg
                chat = msg.chat.id
                texts.append(msg.message_id)
            attachments = []
            for asset in lay.extras:
                msg = await self._send_extra(chat, asset, sent)
                first_msg = first_msg or msg
                chat = msg.chat.id
                attachments.append({"sha256": asset.sha256, "kind": asset.kind, "message_id": msg.message_id})
        except PublishError:
            if sent:
                await self._cleanup(chat, sent)
            raise
        if first_msg is None:
            raise PublishError("Artikel kosong: tidak ada teks maupun berkas untuk dikirim ke kanal.",
                               retryable=False)
        remote.update({
            "chat_id": first_msg.chat.id,
            "username": first_msg.chat.username,
            "first_message_id": first_msg.message_id,
            "message_ids": list(sent),
            "albums": albums,
            "photos": [p.sha256 for p in lay.photos],
            "caption_in": "album" if lay.caption is not None else "text",
            "caption_message_id": albums[0][0] if lay.caption is not None else None,
            "text_message_id": texts[0] if texts else None,
            "text_message_ids": texts,
            "attachments": attachments,
            "corrections": [],
            "revision": article.revision_number,
        })
        log.info("telegram_channel: posted submission %s as %d message(s) in %s", article.submission_id,
                 len(sent), first_msg.chat.id)
        return self._result(remote)

    async def _update(self, article: Article, remote: dict[str, Any]) -> PublishResult:
        chat = int(remote["chat_id"])
        live: list[int] = list(remote.get("message_ids") or [])
        dropped: set[int] = set()
        sent = _Sent()
        caption_in = remote.get("caption_in") or "text"
        caption_mid = remote.get("caption_message_id")
        text_mids: list[int] = list(remote.get("text_message_ids") or [])
        lay = self.layout(article, force_text=caption_in == "text")
        try:
            # 1. Photos: album media cannot be swapped reliably -> correction album.
            new_photos = [p.sha256 for p in lay.photos]
            corrections = list(remote.get("corrections") or [])
            if new_photos != list(remote.get("photos") or []):
                note = (f"{_UPDATE_PREFIX}foto untuk <b>{tg_escape(render.one_line(article.title))}</b> "
                        "diperbarui.")
                if lay.photos:
                    ids = []
                    for i, group in enumerate(lay.albums):
                        ids += [m.message_id for m in await self._send_album(chat, group, note if i == 0 else None,
                                                                              sent)]
                else:
                    note = (f"{_UPDATE_PREFIX}foto pada kiriman <b>{tg_escape(render.one_line(article.title))}"
                            "</b> tidak lagi menjadi bagian artikel.")
                    ids = [(await self._send_text(chat, note, sent, preview=False)).message_id]
                corrections.append({"message_ids": ids, "photos": new_photos})

            # 2. The text.
            if caption_in == "album" and caption_mid:
                if lay.caption is not None:
                    state = await self._edit("menyunting keterangan foto", self.bot.edit_message_caption,
                                             chat_id=chat, message_id=caption_mid, caption=lay.caption,
                                             parse_mode=ParseMode.HTML)
                    if state != "ok":  # album gone or frozen: the text goes as a message
                        lay = self.layout(article, force_text=True)
                        prefix = _UPDATE_PREFIX if state == "refused" else ""
                        text_mids = [(await self._send_text(chat, prefix + t, sent, preview=False)).message_id
                                     for t in lay.texts]
                        caption_in, caption_mid = "text", None
                else:  # grew beyond a caption: empty the caption, post the text
                    await self._edit("menyunting keterangan foto", self.bot.edit_message_caption,
                                     chat_id=chat, message_id=caption_mid, caption=None)
                    text_mids = [(await self._send_text(chat, t, sent, preview=False)).message_id
                                 for t in lay.texts]
                    caption_in, caption_mid = "text", None
            else:
                new_mids: list[int] = []
                for i, text in enumerate(lay.texts):
                    if i < len(text_mids):
                        state = await self._edit("menyunting teks", self.bot.edit_message_text, chat_id=chat,
                                                 message_id=text_mids[i], text=text, parse_mode=ParseMode.HTML,
                                                 link_preview_options=None if not lay.photos
                                                 else LinkPreviewOptions(is_disabled=True))
                        if state == "ok":
                            new_mids.append(text_mids[i])
                            continue
                        if state == "gone":
                            dropped.add(text_mids[i])
                        text = (_UPDATE_PREFIX + text) if state == "refused" else text
                    new_mids.append((await self._send_text(chat, text, sent, preview=not lay.photos)).message_id)
                for mid in text_mids[len(lay.texts):]:
                    if await self._delete_quietly(chat, mid):
                        dropped.add(mid)
                text_mids = new_mids
                caption_in = "text"

            # 3. Attachments: same file -> edit its caption; new -> send; removed -> delete.
            old = {a["sha256"]: a for a in remote.get("attachments") or []}
            attachments = []
            for asset in lay.extras:
                prev = old.pop(asset.sha256, None)
                if prev is not None and prev.get("kind") == asset.kind:
                    state = await self._edit(f"menyunting keterangan {render.display_name(asset)}",
                                             self.bot.edit_message_caption, chat_id=chat,
                                             message_id=prev["message_id"], caption=self._extra_caption(asset),
                                             parse_mode=ParseMode.HTML)
                    if state != "gone":
                        attachments.append(prev)
                        continue
                    dropped.add(prev["message_id"])
                elif prev is not None:
                    old[asset.sha256] = prev  # kind changed: replace below
                msg = await self._send_extra(chat, asset, sent)
                attachments.append({"sha256": asset.sha256, "kind": asset.kind, "message_id": msg.message_id})
            for prev in old.values():
                if await self._delete_quietly(chat, prev["message_id"]):
                    dropped.add(prev["message_id"])
        except PublishError:
            if sent:
                await self._cleanup(chat, sent)
            raise

        remote = dict(remote)
        remote.update({
            "message_ids": [m for m in live if m not in dropped] + list(sent),
            "photos": new_photos,
            "caption_in": caption_in,
            "caption_message_id": caption_mid,
            "text_message_id": text_mids[0] if text_mids else None,
            "text_message_ids": text_mids,
            "attachments": attachments,
            "corrections": corrections,
            "revision": article.revision_number,
        })
        remote.setdefault("first_message_id", live[0] if live else None)
        log.info("telegram_channel: updated submission %s in %s (%d new message(s))", article.submission_id,
                 chat, len(sent))
        return self._result(remote)

    async def _delete_quietly(self, chat: int, mid: int) -> bool:
        """Delete one message; True when it is gone afterwards."""
        try:
            await self._call("menghapus pesan", _raw(self.bot.delete_message), chat_id=chat, message_id=mid)
            return True
        except _RawBadRequest as wrapped:
            low = wrapped.exc.message.lower()
            if "message to delete not found" in low:
                return True
            if "message can't be deleted" in low:
                return False
            raise self._error(wrapped.exc, "menghapus pesan") from None

    async def withdraw(self, article: Article, prior: PriorPublication) -> None:
        remote = dict(prior.remote or {}) if prior is not None else {}
        mids: list[int] = list(remote.get("message_ids") or [])
        if not mids or remote.get("chat_id") is None:
            return
        chat = int(remote["chat_id"])
        stuck = [mid for mid in mids if not await self._delete_quietly(chat, mid)]
        if not stuck:
            log.info("telegram_channel: withdrew submission %s (%d message(s) deleted)", article.submission_id,
                     len(mids))
            return
        # Older than 48 hours: blank the text where Telegram still lets us edit.
        marked = 0
        for mid in stuck:
            if mid in (remote.get("text_message_ids") or []):
                state = await self._edit("menandai teks ditarik", self.bot.edit_message_text, chat_id=chat,
                                         message_id=mid, text=WITHDRAWN)
            elif mid == remote.get("caption_message_id") or any(
                    a.get("message_id") == mid for a in remote.get("attachments") or []):
                state = await self._edit("menandai keterangan ditarik", self.bot.edit_message_caption,
                                         chat_id=chat, message_id=mid, caption=WITHDRAWN)
            else:
                continue
            marked += state == "ok"
        user = remote.get("username")
        where = ", ".join(f"https://t.me/{user}/{m}" if user else str(m) for m in stuck)
        raise PublishError(
            f"{len(stuck)} pesan di kanal {self.channel_label} lebih dari 48 jam sehingga tidak bisa dihapus bot "
            f"({where}). Teksnya sudah diganti \"{WITHDRAWN}\"" + ("" if marked else " bila bisa")
            + "; hapus pesan itu secara manual di kanal.",
            retryable=False,
        )


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

class _RawBadRequest(Exception):
    """Carries a BadRequest out of :meth:`_call` untranslated (for edits and
    deletes, where some refusals mean success)."""

    def __init__(self, exc: BadRequest) -> None:
        super().__init__(exc.message)
        self.exc = exc


def _raw(fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    async def call(**kwargs: Any) -> Any:
        try:
            return await fn(**kwargs)
        except BadRequest as exc:
            low = exc.message.lower()
            if any(s in low for s in ("message is not modified", "message to edit not found", "message_id_invalid",
                                      "message can't be edited", "message to delete not found",
                                      "message can't be deleted")):
                raise _RawBadRequest(exc) from None
            raise
    return call


def _retry_seconds(exc: RetryAfter) -> float:
    value = getattr(exc, "_retry_after", None)  # a timedelta; the public property warns about ints
    if not isinstance(value, timedelta):
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _photo_name(asset: Asset, n: int) -> str:
    return f"foto-{n}.jpg" if (asset.web_mime or "image/jpeg") == "image/jpeg" else f"foto-{n}"


def _file_name(asset: Asset, use_web: bool) -> str:
    name = render.display_name(asset)
    if use_web:
        stem = name.rsplit(".", 1)[0] if "." in name else name
        ext = {"audio/mpeg": ".mp3", "audio/ogg": ".ogg", "video/mp4": ".mp4", "audio/mp4": ".m4a"}.get(
            asset.web_mime or "", "")
        return stem + ext
    return name
