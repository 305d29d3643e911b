"""Simulated Telegram users that talk to the bot through real updates."""

from __future__ import annotations

import mimetypes
import random
import re
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .html import utf16_len
from .media import image_size

if TYPE_CHECKING:  # pragma: no cover
    from .server import FakeTelegram, StoredMessage

_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_])")


class FakeUser:
    """A private-chat user.  ``chat_id == id``.  Every ``send_*``/``press`` enqueues a real update."""

    def __init__(self, tg: FakeTelegram, *, id: int, first_name: str, username: str | None = None,
                 last_name: str | None = None, language_code: str | None = "en"):
        self.tg = tg
        self.id = id
        self.first_name = first_name
        self.username = username
        self.last_name = last_name
        self.language_code = language_code
        self.started = False
        self.blocked = False
        self._cursor = 0  # index into self.messages for wait_for_message

    # ---- identity ------------------------------------------------------------------------
    @property
    def chat_id(self) -> int:
        return self.id

    @property
    def chat(self):
        return self.tg.chats[self.id]

    def to_api(self) -> dict:
        d: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            d["last_name"] = self.last_name
        if self.username:
            d["username"] = self.username
        if self.language_code:
            d["language_code"] = self.language_code
        return d

    def __repr__(self) -> str:
        return f"<FakeUser {self.id} @{self.username}>"

    # ---- inspection ----------------------------------------------------------------------
    @property
    def messages(self) -> list[StoredMessage]:
        """Bot messages in this chat, in order, current state (deleted ones left out)."""
        return self.tg.messages(self.id)

    @property
    def all_messages(self) -> list[StoredMessage]:
        """Every message in the chat (both sides, deleted included)."""
        return list(self.chat.messages.values())

    @property
    def last_message(self) -> StoredMessage | None:
        msgs = self.messages
        return msgs[-1] if msgs else None

    def buttons(self, msg: StoredMessage | int | None = None) -> list[list[tuple[str, str | None]]]:
        m = self._resolve(msg) if msg is not None else self.last_message
        return m.buttons if m else []

    @property
    def callback_answers(self) -> list[dict]:
        return [a for a in self.tg.callback_answers if a["user_id"] == self.id]

    @property
    def chat_actions(self) -> list[str]:
        return [a["action"] for a in self.tg.chat_actions if a["chat_id"] == self.id]

    async def wait_for_message(self, predicate: Callable[[StoredMessage], Any] | None = None,
                               timeout: float = 5.0) -> StoredMessage:
        """The next bot message in this chat sent after this user's last action (or after the one
        previously returned), optionally the first such one matching ``predicate``."""

        def find():
            msgs = [m for m in self.tg.messages(self.id, include_deleted=True)]
            for idx in range(self._cursor, len(msgs)):
                if predicate is None or predicate(msgs[idx]):
                    return idx + 1, msgs[idx]
            return None

        found = await self.tg.wait_until(find, timeout, what=f"a new bot message to {self!r}")
        self._cursor = found[0]
        return found[1]

    def _mark_action(self) -> None:
        self.started = True
        self._cursor = len(self.tg.messages(self.id, include_deleted=True))

    def _resolve(self, msg: StoredMessage | int) -> StoredMessage:
        mid = msg if isinstance(msg, int) else msg.message_id
        m = self.chat.messages.get(mid)
        if m is None:
            raise AssertionError(f"no message {mid} in chat with {self!r}")
        return m

    # ---- sending -------------------------------------------------------------------------
    def _send(self, kind: str, *, text: str | None = None, entities: list | None = None,
              media: dict | None = None, files: list | None = None, media_group_id: str | None = None,
              reply_to: StoredMessage | None = None, quote: dict | None = None) -> StoredMessage:
        if self.blocked:
            raise AssertionError(f"{self!r} blocked the bot; unblock first (tg.unblock)")
        self._mark_action()
        msg = self.tg.add_message(self.chat, from_bot=False, kind=kind, sender=self, text=text, html=text,
                                  entities=entities or [], media=media or {}, files=files or [],
                                  media_group_id=media_group_id, reply_to=reply_to, quote=quote)
        self.tg.enqueue_update("message", msg.to_api())
        return msg

    async def send_text(self, text: str) -> StoredMessage:
        return self._send("text", text=text, entities=self._command_entities(text))

    async def reply(self, message: StoredMessage | int, text: str, *, quote: str | None = None,
                    occurrence: int = 0) -> StoredMessage:
        """Reply to a message; with ``quote``, after selecting those words in it first (the
        ``occurrence``-th time they appear), as a phone does: Telegram then sends ``message.quote``
        with the words, their position in UTF-16 code units and ``is_manual``."""
        target = self._resolve(message)
        return self._send("text", text=text, entities=self._command_entities(text), reply_to=target,
                          quote=None if quote is None else text_quote(target, quote, occurrence))

    async def edit_text(self, message: StoredMessage | int, new_text: str) -> StoredMessage:
        """Edit one of this user's own text messages -> ``edited_message`` update."""
        m = self._resolve(message)
        if m.from_bot or m.kind != "text":
            raise AssertionError("users can only edit their own text messages")
        self._mark_action()
        m.edits.append(m.snapshot())
        m.text = m.html = new_text
        m.entities = self._command_entities(new_text)
        m.edit_date = int(time.time())
        self.tg.enqueue_update("edited_message", m.to_api())
        return m

    @staticmethod
    def _command_entities(text: str) -> list[dict]:
        m = _COMMAND.match(text)
        return [{"type": "bot_command", "offset": 0, "length": utf16_len(m.group(0))}] if m else []

    async def send_photo(self, image_bytes: bytes, caption: str | None = None,
                         media_group_id: str | None = None) -> StoredMessage:
        """Like a phone client: re-encoded JPEG variants, metadata stripped."""
        group = self.tg.store_photo(image_bytes)
        return self._send("photo", text=caption, media={"photo": [f.photo_size_dict() for f in group]},
                          files=group, media_group_id=media_group_id)

    async def send_document(self, data: bytes, filename: str, mime_type: str | None = None,
                            caption: str | None = None, media_group_id: str | None = None) -> StoredMessage:
        """Bytes kept exactly (EXIF/GPS included)."""
        mime = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        f = self.tg.store_file("document", data, file_name=filename, mime_type=mime)
        return self._send("document", text=caption, media={"document": f.media_dict()}, files=[f],
                          media_group_id=media_group_id)

    async def send_big_document(self, size_bytes: int, filename: str, mime_type: str | None = None,
                                caption: str | None = None) -> StoredMessage:
        """A document of ``size_bytes`` without allocating it (content is zeros)."""
        mime = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        f = self.tg.store_file("document", None, size=size_bytes, file_name=filename, mime_type=mime)
        return self._send("document", text=caption, media={"document": f.media_dict()}, files=[f])

    async def send_voice(self, ogg_bytes: bytes, duration: int, mime_type: str = "audio/ogg") -> StoredMessage:
        f = self.tg.store_file("voice", ogg_bytes, mime_type=mime_type, duration=duration)
        return self._send("voice", media={"voice": f.media_dict()}, files=[f])

    async def send_audio(self, data: bytes, filename: str, duration: int, mime_type: str | None = None,
                         caption: str | None = None, performer: str | None = None, title: str | None = None,
                         media_group_id: str | None = None) -> StoredMessage:
        mime = mime_type or mimetypes.guess_type(filename)[0] or "audio/mpeg"
        f = self.tg.store_file("audio", data, file_name=filename, mime_type=mime, duration=duration)
        d = f.media_dict()
        if performer:
            d["performer"] = performer
        if title:
            d["title"] = title
        return self._send("audio", text=caption, media={"audio": d}, files=[f], media_group_id=media_group_id)

    async def send_video(self, data: bytes, filename: str, duration: int, width: int, height: int,
                         mime_type: str | None = None, caption: str | None = None,
                         media_group_id: str | None = None) -> StoredMessage:
        mime = mime_type or mimetypes.guess_type(filename)[0] or "video/mp4"
        f = self.tg.store_file("video", data, file_name=filename, mime_type=mime, duration=duration,
                               width=width, height=height)
        return self._send("video", text=caption, media={"video": f.media_dict()}, files=[f],
                          media_group_id=media_group_id)

    async def send_album(self, items: Iterable[bytes | tuple], caption: str | None = None) -> list[StoredMessage]:
        """Several messages sharing one media_group_id, delivered as back-to-back updates.

        ``items``: image bytes (photo) or tuples ``(kind, data, filename)`` with kind in
        photo/video/document/audio.  ``caption`` goes on the first item, as clients do.
        """
        items = list(items)
        if not 2 <= len(items) <= 10:
            raise AssertionError("an album has 2..10 items")
        group_id = self.tg.next_media_group_id()
        out = []
        for idx, item in enumerate(items):
            cap = caption if idx == 0 else None
            if isinstance(item, (bytes, bytearray)):
                item = ("photo", bytes(item), None)
            kind, data, filename = item[0], item[1], (item[2] if len(item) > 2 else None)
            if kind == "photo":
                out.append(await self.send_photo(data, caption=cap, media_group_id=group_id))
            elif kind == "document":
                out.append(await self.send_document(data, filename or f"file{idx}.bin", caption=cap,
                                                    media_group_id=group_id))
            elif kind == "audio":
                out.append(await self.send_audio(data, filename or f"audio{idx}.mp3", 1, caption=cap,
                                                 media_group_id=group_id))
            elif kind == "video":
                w, h = 640, 360
                out.append(await self.send_video(data, filename or f"video{idx}.mp4", 1, w, h, caption=cap,
                                                 media_group_id=group_id))
            else:
                raise AssertionError(f"unknown album item kind {kind!r}")
        return out

    # ---- buttons -------------------------------------------------------------------------
    def _callback(self, msg: StoredMessage, data: str) -> str:
        self._mark_action()
        qid = str(random.randint(10**17, 10**19))
        while qid in self.tg.callback_queries:
            qid = str(random.randint(10**17, 10**19))
        self.tg.callback_queries[qid] = {"id": qid, "user_id": self.id, "message_id": msg.message_id,
                                         "data": data, "answered": False}
        payload = {"id": qid, "from": self.to_api(), "message": msg.to_api(),
                   "chat_instance": str(abs(hash((self.tg.bot_id, self.id))) % 10**18), "data": data}
        self.tg.enqueue_update("callback_query", payload)
        return qid

    async def press(self, message: StoredMessage | int, button: str) -> str:
        """Press an inline button that really is on that bot message (matched by text, then by data).

        Returns the callback query id.  Raises AssertionError if there is no such button.
        """
        m = self._resolve(message)
        if m.deleted:
            raise AssertionError(f"message {m.message_id} was deleted; its buttons can't be pressed")
        if not m.from_bot:
            raise AssertionError("only bot messages carry inline buttons")
        rows = (m.reply_markup or {}).get("inline_keyboard") or []
        flat = [b for row in rows for b in row]
        btn = next((b for b in flat if b.get("text") == button), None) or next(
            (b for b in flat if b.get("callback_data") == button), None)
        if btn is None:
            raise AssertionError(f"no button {button!r} on message {m.message_id}; buttons: {m.buttons}")
        if "callback_data" not in btn:
            raise AssertionError(f"button {button!r} is not a callback button: {btn}")
        return self._callback(m, btn["callback_data"])

    def open_web_app(self, message: StoredMessage | int, button: str, *, auth_date: int | None = None,
                     theme: dict[str, str] | None = None) -> str:
        """Tap a web_app button that really is on that bot message: the address the Telegram client
        opens, its fragment carrying the initData Telegram signs for this user with the bot's token
        (``#tgWebAppData=…&tgWebAppVersion=…``).  ``auth_date``: a Unix time (default now; Telegram
        Desktop reuses an old one)."""
        from .webapp import launch_fragment, sign_init_data

        m = self._resolve(message)
        if m.deleted:
            raise AssertionError(f"message {m.message_id} was deleted; its buttons can't be pressed")
        flat = [b for row in (m.reply_markup or {}).get("inline_keyboard") or [] for b in row]
        btn = next((b for b in flat if b.get("text") == button), None)
        if btn is None or not isinstance(btn.get("web_app"), dict):
            raise AssertionError(f"no web_app button {button!r} on message {m.message_id}: {flat}")
        user = {"id": self.id, "first_name": self.first_name, "last_name": self.last_name,
                "username": self.username, "language_code": self.language_code, "allows_write_to_pm": True}
        init = sign_init_data(self.tg.token, user={k: v for k, v in user.items() if v is not None},
                              auth_date=int(time.time()) if auth_date is None else auth_date,
                              query_id=f"AAH{random.getrandbits(64):016x}")
        return f"{btn['web_app']['url']}#{launch_fragment(init, theme=theme)}"

    async def press_raw(self, message: StoredMessage | int, data: str) -> str:
        """Forge a callback query with arbitrary ``data`` on an existing bot message."""
        return self._callback(self._resolve(message), data)

    async def block_bot(self) -> None:
        self.blocked = True

    async def unblock_bot(self) -> None:
        self.blocked = False


#: The formatting a quote keeps (Bot API TextQuote.entities).
QUOTE_ENTITIES = frozenset({"bold", "italic", "underline", "strikethrough", "spoiler", "custom_emoji"})


def text_quote(message: StoredMessage, words: str, occurrence: int = 0) -> dict:
    """The TextQuote Telegram sends when these words of ``message`` (its text or caption) were
    selected by hand.  A phone can select only what the message shows: anything else is an error
    of the test, as is a selection of nothing but spaces."""
    source = message.text or ""
    selected = words.strip()
    if not selected:
        raise AssertionError("a quote selects at least one visible character")
    at = -1
    for _ in range(occurrence + 1):
        at = source.find(selected, at + 1)
        if at < 0:
            raise AssertionError(f"{selected!r} (occurrence {occurrence}) is not in message "
                                 f"{message.message_id}: {source[:200]!r}")
    start, end = utf16_len(source[:at]), utf16_len(source[:at]) + utf16_len(selected)
    entities = []
    for e in message.entities:
        lo, hi = max(e["offset"], start), min(e["offset"] + e["length"], end)
        if e["type"] in QUOTE_ENTITIES and lo < hi:
            entities.append({**e, "offset": lo - start, "length": hi - lo})
    quote: dict[str, Any] = {"text": selected, "position": start, "is_manual": True}
    if entities:
        quote["entities"] = entities
    return quote


__all__ = ["FakeUser", "image_size", "text_quote"]
