"""A strict fake Telegram Bot API server (aiohttp) for driving a real PTB Application.

See ``tests/fakebot/__init__.py`` for the overview.  Error strings follow the real Bot API
server (tdlib/telegram-bot-api ``Client.cpp``) and TDLib; each deliberate deviation is
marked "(fakebot ...)" in the description so it can never be mistaken for a live error.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import mimetypes
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .html import HtmlParseError, parse_html, strip_formatted
from .media import ImageProcessFailed, reencode_photo

if TYPE_CHECKING:  # pragma: no cover
    from .users import FakeUser

MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024
MAX_UPLOAD_SIZE = 50 * 1024 * 1024
MAX_PHOTO_UPLOAD_SIZE = 10 * 1024 * 1024
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200

QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = ("message is not modified: specified new message content and reply markup are exactly the same "
                "as a current content and reply markup of the message")
CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice", "record_audio",
    "upload_audio", "upload_document", "choose_sticker", "find_location", "pick_up_location",
    "record_video_note", "upload_video_note", "cancel",
}
BUTTON_KINDS = ("url", "callback_data", "web_app", "login_url", "switch_inline_query",
                "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
                "callback_game", "pay")
DEFAULT_UPDATE_TYPES = {"message", "edited_message", "channel_post", "edited_channel_post", "callback_query",
                        "inline_query", "chosen_inline_result", "my_chat_member", "shipping_query",
                        "pre_checkout_query", "poll", "poll_answer", "chat_join_request", "business_message"}


# --------------------------------------------------------------------------------------------
# errors


class ApiError(Exception):
    """An error answer.  ``ApiError.bad("Message text is empty")`` formats like the Bot API."""

    def __init__(self, code: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    @classmethod
    def of(cls, code: int, message: str) -> ApiError:
        prefix = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
                  409: "Conflict", 413: "Request Entity Too Large", 429: "Too Many Requests"}[code]
        if message.startswith(prefix):
            return cls(code, message)
        # Client.cpp: keep UPPER_CASE codes, lowercase the first letter otherwise
        if len(message) >= 2 and (message[1] == "_" or "A" <= message[1] <= "Z"):
            return cls(code, f"{prefix}: {message}")
        return cls(code, f"{prefix}: {message[:1].lower()}{message[1:]}")

    @classmethod
    def bad(cls, message: str) -> ApiError:
        return cls.of(400, message)

    @classmethod
    def forbidden(cls, message: str) -> ApiError:
        return cls.of(403, message)


# --------------------------------------------------------------------------------------------
# records


@dataclass
class UploadedFile:
    name: str
    filename: str | None
    content_type: str | None
    data: bytes

    def describe(self) -> dict:
        return {"filename": self.filename, "content_type": self.content_type, "size": len(self.data)}


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str  # photo | document | audio | voice | video
    size: int
    data: bytes | None  # None -> synthetic (send_big_document); zeros are served
    file_path: str
    mime_type: str | None = None
    file_name: str | None = None
    width: int | None = None
    height: int | None = None
    duration: int | None = None
    photo_group: list[StoredFile] | None = None  # all PhotoSizes of the same photo

    def read(self) -> bytes:
        return self.data if self.data is not None else bytes(self.size)

    def photo_size_dict(self) -> dict:
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id, "width": self.width,
                "height": self.height, "file_size": self.size}

    def media_dict(self) -> dict:
        d: dict[str, Any] = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.kind in ("video",):
            d.update(width=self.width or 0, height=self.height or 0, duration=self.duration or 0)
        if self.kind in ("audio", "voice"):
            d["duration"] = self.duration or 0
        if self.file_name and self.kind != "voice":
            d["file_name"] = self.file_name
        if self.mime_type:
            d["mime_type"] = self.mime_type
        d["file_size"] = self.size
        return d


@dataclass
class ApiCall:
    method: str
    params: dict
    files: dict[str, UploadedFile]
    ok: bool | None = None
    result: Any = None
    error_code: int | None = None
    description: str | None = None
    at: float = field(default_factory=time.monotonic)

    def __repr__(self) -> str:
        shown = {k: (v if len(repr(v)) < 120 else repr(v)[:117] + "...") for k, v in self.params.items()}
        status = "ok" if self.ok else f"{self.error_code} {self.description}"
        return f"<{self.method} {shown} -> {status}>"


@dataclass
class StoredMessage:
    """One message in a chat, kept current (edits applied, ``deleted`` flag) with history in ``edits``."""

    chat: Chat
    message_id: int
    from_bot: bool
    date: int
    kind: str  # text | photo | document | audio | voice | video
    text: str | None = None  # plain text (or plain caption for media), entities resolved
    html: str | None = None  # text/caption exactly as sent (with parse_mode markup)
    entities: list[dict] = field(default_factory=list)
    parse_mode: str | None = None
    reply_markup: dict | None = None
    media: dict = field(default_factory=dict)  # Bot API fields: {"photo": [...]} / {"document": {...}}
    files: list[StoredFile] = field(default_factory=list)
    media_group_id: str | None = None
    reply_to: StoredMessage | None = None
    #: The part of ``reply_to`` the sender selected before replying (Bot API TextQuote: text,
    #: position in UTF-16 code units, is_manual, the quoted part's formatting entities).
    quote: dict | None = None
    sender: FakeUser | None = None
    edits: list[dict] = field(default_factory=list)
    edit_date: int | None = None
    deleted: bool = False

    # -- convenience ------------------------------------------------------------------------
    @property
    def chat_id(self) -> int:
        return self.chat.id

    @property
    def caption(self) -> str | None:
        return None if self.kind == "text" else self.text

    @property
    def is_media(self) -> bool:
        return self.kind != "text"

    @property
    def file(self) -> StoredFile | None:
        """The main file (largest PhotoSize for photos)."""
        return self.files[-1] if self.files else None

    @property
    def file_bytes(self) -> bytes | None:
        f = self.file
        return f.read() if f else None

    @property
    def buttons(self) -> list[list[tuple[str, str | None]]]:
        """Inline keyboard as rows of (text, callback_data or url)."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [[(b.get("text"), b.get("callback_data", b.get("url"))) for b in row] for row in rows]

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        """Texts of a ReplyKeyboardMarkup sent with this message (None if there is none)."""
        rows = (self.reply_markup or {}).get("keyboard")
        if rows is None:
            return None
        return [[b if isinstance(b, str) else b.get("text") for b in row] for row in rows]

    @property
    def button_texts(self) -> list[str]:
        return [t for row in self.buttons for t, _ in row]

    def snapshot(self) -> dict:
        return {"text": self.text, "html": self.html, "entities": list(self.entities),
                "reply_markup": self.reply_markup, "media": self.media, "edit_date": self.edit_date}

    def to_api(self, *, with_reply: bool = True) -> dict:
        d: dict[str, Any] = {"message_id": self.message_id}
        if self.chat.type == "channel":
            d["sender_chat"] = self.chat.to_api()
        elif self.from_bot:
            d["from"] = self.chat.tg.bot_user
        else:
            d["from"] = self.sender.to_api() if self.sender else None
        d["chat"] = self.chat.to_api()
        d["date"] = self.date
        if self.edit_date:
            d["edit_date"] = self.edit_date
        if self.media_group_id:
            d["media_group_id"] = self.media_group_id
        if with_reply and self.reply_to is not None:
            d["reply_to_message"] = self.reply_to.to_api(with_reply=False)
            if self.quote is not None:
                d["quote"] = self.quote
        if self.kind == "text":
            d["text"] = self.text
            if self.entities:
                d["entities"] = self.entities
        else:
            d.update(self.media)
            if self.text:
                d["caption"] = self.text
                if self.entities:
                    d["caption_entities"] = self.entities
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            d["reply_markup"] = self.reply_markup
        return d

    def __repr__(self) -> str:
        who = "bot" if self.from_bot else "user"
        extra = " DELETED" if self.deleted else ""
        return f"<Msg {self.chat.id}/{self.message_id} {who} {self.kind} {self.text!r}{extra}>"


class Chat:
    def __init__(self, tg: FakeTelegram, chat_id: int, type_: str, *, title: str | None = None,
                 username: str | None = None, user: FakeUser | None = None):
        self.tg = tg
        self.id = chat_id
        self.type = type_
        self.title = title
        self.username = username
        self.user = user
        self.messages: dict[int, StoredMessage] = {}
        self._ids = itertools.count(1)

    def next_message_id(self) -> int:
        return next(self._ids)

    def to_api(self) -> dict:
        if self.type == "private" and self.user is not None:
            d = {"id": self.id, "type": "private", "first_name": self.user.first_name}
            if self.user.last_name:
                d["last_name"] = self.user.last_name
            if self.user.username:
                d["username"] = self.user.username
            return d
        d = {"id": self.id, "type": self.type, "title": self.title or f"Chat {self.id}"}
        if self.username:
            d["username"] = self.username
        return d


# --------------------------------------------------------------------------------------------
# parameters


class Params:
    """Typed access to request parameters that came as JSON (native types) or as form strings."""

    def __init__(self, raw: dict, files: dict[str, UploadedFile]):
        self.raw = raw
        self.files = files

    def has(self, name: str) -> bool:
        return self.raw.get(name) not in (None, "") or name in self.files

    def str(self, name: str, default: str | None = None) -> str | None:
        v = self.raw.get(name)
        if v is None:
            return default
        if isinstance(v, bool):
            return "true" if v else "false"
        return v if isinstance(v, str) else json.dumps(v) if isinstance(v, (dict, list)) else str(v)

    def int(self, name: str, default: int | None = None) -> int | None:
        v = self.raw.get(name)
        if v in (None, ""):
            return default
        if isinstance(v, bool):
            return int(v)
        if isinstance(v, (int, float)):
            return int(v)
        try:
            return int(str(v).strip())
        except ValueError:
            try:
                return int(float(v))
            except ValueError:
                return 0  # td::to_integer returns 0 on garbage

    def bool(self, name: str) -> bool:
        v = self.raw.get(name)
        if isinstance(v, bool):
            return v
        if isinstance(v, (int, float)):
            return v != 0
        return str(v).strip().lower() in ("true", "1") if v is not None else False

    def json(self, name: str, error: str) -> Any:
        v = self.raw.get(name)
        if v is None or v == "":
            return None
        if isinstance(v, str):
            try:
                return json.loads(v)
            except ValueError:
                raise ApiError.bad(error) from None
        return v


def _decoded_params(raw: dict) -> dict:
    """For the call log: JSON-looking strings decoded, so tests can assert on structures."""
    out = {}
    for k, v in raw.items():
        if isinstance(v, str) and v[:1] in "[{" and k not in ("text", "caption"):
            try:
                v = json.loads(v)
            except ValueError:
                pass
        out[k] = v
    return out


# --------------------------------------------------------------------------------------------
# the server


_METHOD_NAMES = [
    "getMe", "getUpdates", "deleteWebhook", "setWebhook", "getWebhookInfo", "setMyCommands", "getMyCommands",
    "deleteMyCommands", "setChatMenuButton", "getChatMenuButton", "sendMessage", "editMessageText",
    "editMessageReplyMarkup", "editMessageCaption", "deleteMessage", "answerCallbackQuery", "sendPhoto",
    "sendDocument", "sendAudio", "sendVoice", "sendVideo", "sendMediaGroup", "sendChatAction", "getFile",
    "copyMessage", "getChat", "logOut", "close",
]
METHODS = {m.lower(): m for m in _METHOD_NAMES}


class FakeTelegram:
    """A fake Bot API on 127.0.0.1:<random port>.

    ``async with FakeTelegram() as tg:`` then build the Application with
    ``tg.application_builder()`` (or ``.base_url(tg.base_url).base_file_url(tg.base_file_url)``).
    """

    def __init__(self, token: str = "123456:TEST", bot_username: str = "terbit_test_bot", *,
                 bot_first_name: str = "Terbit Test", strict_html: bool = True, strict_buttons: bool = True,
                 quiet_window: float = 0.04, host: str = "127.0.0.1"):
        self.token = token
        self.bot_username = bot_username
        self.bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 777000
        self.bot_first_name = bot_first_name
        self.strict_html = strict_html
        self.strict_buttons = strict_buttons
        self.quiet_window = quiet_window
        self.host = host
        self.port: int | None = None

        self.all_calls: list[ApiCall] = []
        self.chats: dict[int, Chat] = {}
        self.users: dict[int, FakeUser] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, dict] = {}
        self.callback_answers: list[dict] = []
        self.chat_actions: list[dict] = []
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.menu_buttons: dict[int | None, dict] = {}
        self.webhook_url = ""
        self.application = None

        self._updates: list[dict] = []
        self._update_ids = itertools.count(random.randint(100_000, 900_000))
        self._delivered_ids: set[int] = set()
        self._allowed_updates: set[str] | None = None
        self._poll_generation = 0
        self._file_seq = itertools.count(1)
        self._mg_seq = itertools.count(random.randint(10**16, 9 * 10**16))
        self._inflight = 0
        self._last_activity = time.monotonic()
        self._wakeup: asyncio.Event | None = None
        self._closing = False
        self._failures: list[dict] = []
        self._runner: web.AppRunner | None = None

    # ---- lifecycle --------------------------------------------------------------------------
    async def start(self) -> FakeTelegram:
        self._wakeup = asyncio.Event()
        app = web.Application(client_max_size=MAX_UPLOAD_SIZE + 5 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    def application_builder(self):
        """A ``telegram.ext.ApplicationBuilder`` pointed at this server (token, URLs set)."""
        from telegram.ext import ApplicationBuilder

        return ApplicationBuilder().token(self.token).base_url(self.base_url).base_file_url(self.base_file_url)

    def attach(self, application) -> None:
        """Let :meth:`settle` also wait for ``application``'s update queue and handler tasks."""
        self.application = application

    @property
    def bot_user(self) -> dict:
        return {"id": self.bot_id, "is_bot": True, "first_name": self.bot_first_name,
                "username": self.bot_username}

    # ---- world setup -----------------------------------------------------------------------
    def user(self, id: int, first_name: str = "User", username: str | None = None, *, last_name: str | None = None,
             language_code: str | None = "en", started: bool = False) -> FakeUser:
        from .users import FakeUser

        if id in self.users:
            return self.users[id]
        if id <= 0:
            raise ValueError("user ids are positive")
        u = FakeUser(self, id=id, first_name=first_name, username=username, last_name=last_name,
                     language_code=language_code)
        u.started = started
        self.users[id] = u
        self.chats[id] = Chat(self, id, "private", user=u)
        return u

    def add_channel(self, chat_id: int, username: str | None = None, title: str | None = None) -> Chat:
        if chat_id >= 0:
            raise ValueError("channel ids are negative (e.g. -100123...)")
        chat = Chat(self, chat_id, "channel", title=title or (username or f"Channel {chat_id}"),
                    username=(username or "").lstrip("@") or None)
        self.chats[chat_id] = chat
        return chat

    def block(self, user: FakeUser | int) -> None:
        self._as_user(user).blocked = True

    def unblock(self, user: FakeUser | int) -> None:
        self._as_user(user).blocked = False

    def _as_user(self, user: FakeUser | int) -> FakeUser:
        return user if not isinstance(user, int) else self.users[user]

    def fail_next(self, method: str, *, error_code: int = 429, description: str | None = None,
                  retry_after: int | None = None, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` fail (e.g. flood control: 429 retry_after)."""
        if description is None:
            description = (f"Too Many Requests: retry after {retry_after or 1}" if error_code == 429
                           else "Internal Server Error")
        if error_code == 429 and retry_after is None:
            retry_after = 1
        self._failures.append({"method": method.lower(), "code": error_code, "description": description,
                               "retry_after": retry_after, "times": times})

    # ---- inspection -------------------------------------------------------------------------
    @property
    def calls(self) -> list[ApiCall]:
        """Every bot API call except getUpdates, in order."""
        return [c for c in self.all_calls if c.method != "getUpdates"]

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.all_calls if c.method.lower() == method.lower()]

    def messages(self, chat_id: int, *, include_deleted: bool = False, from_bot: bool | None = True
                 ) -> list[StoredMessage]:
        chat = self.chats.get(chat_id)
        if chat is None:
            return []
        return [m for m in chat.messages.values()
                if (include_deleted or not m.deleted) and (from_bot is None or m.from_bot == from_bot)]

    def message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        chat = self.chats.get(chat_id)
        return chat.messages.get(message_id) if chat else None

    @property
    def unanswered_callback_queries(self) -> list[dict]:
        return [q for q in self.callback_queries.values() if not q["answered"]]

    @property
    def pending_updates(self) -> list[dict]:
        return list(self._updates)

    def file_bytes(self, file_id: str) -> bytes:
        return self.files[file_id].read()

    # ---- synchronisation --------------------------------------------------------------------
    def _notify(self) -> None:
        self._last_activity = time.monotonic()
        self._wake()

    def _wake(self) -> None:
        if self._wakeup is not None:
            self._wakeup.set()
            self._wakeup = asyncio.Event()

    def _app_busy(self) -> str | None:
        app = self.application
        if app is None:
            return None
        q = app.update_queue
        if getattr(q, "_unfinished_tasks", 0) or not q.empty():
            return "application.update_queue has unfinished updates"
        try:
            if app.update_processor.current_concurrent_updates:
                return "application is processing updates"
        except AttributeError:  # pragma: no cover
            pass
        tasks = getattr(app, "_Application__create_task_tasks", None)
        if tasks and any(not t.done() for t in tasks):
            return "application.create_task tasks running"
        return None

    def _unsettled_reason(self) -> str | None:
        if self._updates:
            return f"{len(self._updates)} update(s) not yet confirmed by getUpdates"
        if self._inflight:
            return f"{self._inflight} API request(s) in flight"
        busy = self._app_busy()
        if busy:
            return busy
        if time.monotonic() - self._last_activity < self.quiet_window:
            return "bot API activity within quiet window"
        return None

    async def settle(self, timeout: float = 15.0) -> None:
        """Wait until all updates are consumed and handled and the bot went quiet.  (A generous
        bound: it only matters when the machine is slow, e.g. a benchmark running alongside; a
        test that settles returns as soon as the bot is quiet.)"""
        deadline = time.monotonic() + timeout
        while True:
            reason = self._unsettled_reason()
            if reason is None:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"fake Telegram did not settle within {timeout}s: {reason}\n"
                                     + self.describe_recent())
            await asyncio.sleep(0.005)

    async def wait_until(self, predicate: Callable[[], Any], timeout: float = 5.0, what: str = "condition") -> Any:
        deadline = time.monotonic() + timeout
        while True:
            ev = self._wakeup
            value = predicate()
            if value:
                return value
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}\n" + self.describe_recent())
            try:
                await asyncio.wait_for(ev.wait(), min(remaining, 0.05))  # type: ignore[union-attr]
            except TimeoutError:
                pass

    def describe_recent(self, n: int = 8) -> str:
        lines = [f"  {c!r}" for c in self.calls[-n:]] or ["  (no bot API calls)"]
        pending = f"pending updates: {len(self._updates)}; in flight: {self._inflight}"
        return "last calls:\n" + "\n".join(lines) + "\n" + pending

    # ---- updates ----------------------------------------------------------------------------
    def enqueue_update(self, kind: str, payload: dict) -> dict:
        update = {"update_id": next(self._update_ids), kind: payload}
        self._updates.append(update)
        self._notify()
        return update

    # ---- files ------------------------------------------------------------------------------
    _FILE_PREFIX = {"photo": ("AgACAgIAAxkBAAI", "AQAD"), "document": ("BQACAgIAAxkBAAI", "AgAD"),
                    "audio": ("CQACAgIAAxkBAAI", "AgAD"), "voice": ("AwACAgIAAxkBAAI", "AgAD"),
                    "video": ("BAACAgIAAxkBAAI", "AgAD")}
    _FILE_DIR = {"photo": "photos", "document": "documents", "audio": "music", "voice": "voice",
                 "video": "videos"}

    def store_file(self, kind: str, data: bytes | None, *, size: int | None = None, file_name: str | None = None,
                   mime_type: str | None = None, width: int | None = None, height: int | None = None,
                   duration: int | None = None) -> StoredFile:
        n = next(self._file_seq)
        p1, p2 = self._FILE_PREFIX[kind]
        rnd = "".join(random.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", k=40))
        file_id = f"{p1}{n:06d}{rnd}"
        unique = f"{p2}{n:06d}{rnd[:8]}"
        ext = ""
        if kind == "photo":
            ext = ".jpg"
        elif kind == "voice":
            ext = ".oga"
        elif file_name and "." in file_name:
            ext = "." + file_name.rsplit(".", 1)[1]
        elif mime_type:
            ext = mimetypes.guess_extension(mime_type) or ""
        path = f"{self._FILE_DIR[kind]}/file_{n}{ext}"
        f = StoredFile(file_id=file_id, file_unique_id=unique, kind=kind,
                       size=size if size is not None else len(data or b""), data=data, file_path=path,
                       mime_type=mime_type, file_name=file_name, width=width, height=height, duration=duration)
        self.files[file_id] = f
        self.files_by_path[path] = f
        return f

    def store_photo(self, data: bytes) -> list[StoredFile]:
        variants = reencode_photo(data)
        group: list[StoredFile] = []
        for w, h, blob in variants:
            group.append(self.store_file("photo", blob, width=w, height=h))
        for f in group:
            f.photo_group = group
        return group

    # ---- messages ---------------------------------------------------------------------------
    def add_message(self, chat: Chat, *, from_bot: bool, kind: str, sender: FakeUser | None = None,
                    **fields) -> StoredMessage:
        msg = StoredMessage(chat=chat, message_id=chat.next_message_id(), from_bot=from_bot,
                            date=int(time.time()), kind=kind, sender=sender, **fields)
        chat.messages[msg.message_id] = msg
        self._notify()
        return msg

    def next_media_group_id(self) -> str:
        return str(next(self._mg_seq))

    # ---- HTTP -------------------------------------------------------------------------------
    async def _read_params(self, request: web.Request) -> tuple[dict, dict[str, UploadedFile]]:
        raw: dict[str, Any] = dict(request.query)
        files: dict[str, UploadedFile] = {}
        if request.can_read_body:
            ctype = request.content_type
            if ctype == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise ApiError.bad("Can't parse JSON object") from None
                if isinstance(body, dict):
                    raw.update(body)
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                post = await request.post()
                for k, v in post.items():
                    if isinstance(v, web.FileField):
                        files[k] = UploadedFile(k, v.filename, v.content_type, v.file.read())
                    else:
                        raw[k] = v
        return raw, files

    @staticmethod
    def _json_response(status: int, body: dict) -> web.Response:
        return web.Response(status=status, text=json.dumps(body, ensure_ascii=False),
                            content_type="application/json")

    async def _handle_api(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        if token != self.token:
            return self._json_response(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        canonical = METHODS.get(method.lower())
        polling = canonical == "getUpdates"
        if not polling:
            self._inflight += 1
            self._notify()
        call = ApiCall(method=canonical or method, params={}, files={})
        try:
            raw, files = await self._read_params(request)
            call.params = _decoded_params(raw)
            call.files = files
            self.all_calls.append(call)
            if canonical is None:
                raise ApiError(404, "Not Found")
            self._maybe_fail(canonical)
            handler = getattr(self, "_m_" + canonical)
            result = await handler(Params(raw, files))
            call.ok, call.result = True, result
            return self._json_response(200, {"ok": True, "result": result})
        except ApiError as e:
            call.ok, call.error_code, call.description = False, e.code, e.description
            body: dict[str, Any] = {"ok": False, "error_code": e.code, "description": e.description}
            if e.parameters:
                body["parameters"] = e.parameters
            return self._json_response(e.code, body)
        finally:
            if not polling:
                self._inflight -= 1
                self._notify()

    def _maybe_fail(self, method: str) -> None:
        for f in self._failures:
            if f["method"] == method.lower() and f["times"] > 0:
                f["times"] -= 1
                params = {"retry_after": f["retry_after"]} if f["retry_after"] is not None else None
                raise ApiError(f["code"], f["description"], params)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return self._json_response(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        f = self.files_by_path.get(request.match_info["path"])
        if f is None or f.size > MAX_DOWNLOAD_SIZE:
            return self._json_response(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        resp = web.StreamResponse(status=200, headers={"Content-Type": "application/octet-stream"})
        resp.content_length = f.size
        await resp.prepare(request)
        chunk = 64 * 1024
        if f.data is not None:
            for i in range(0, f.size, chunk):
                await resp.write(f.data[i:i + chunk])
        else:
            zeros = bytes(chunk)
            left = f.size
            while left > 0:
                await resp.write(zeros[:min(chunk, left)])
                left -= chunk
        await resp.write_eof()
        return resp

    # ---- common validation ------------------------------------------------------------------
    def _chat(self, p: Params, *, write: bool = True, name: str = "chat_id") -> Chat:
        v = p.raw.get(name)
        if v is None or v == "":
            raise ApiError.bad("chat_id is empty" if name == "chat_id" else f"{name} is empty")
        chat: Chat | None = None
        if isinstance(v, str) and v.strip().startswith("@"):
            uname = v.strip()[1:].lower()
            chat = next((c for c in self.chats.values() if c.type != "private" and (c.username or "").lower() == uname),
                        None)
        else:
            try:
                chat = self.chats.get(int(v))
            except (TypeError, ValueError):
                chat = None
        if chat is None:
            raise ApiError.bad("chat not found")
        if chat.type == "private":
            u = chat.user
            assert u is not None
            if not u.started:
                if write:
                    raise ApiError.forbidden("bot can't initiate conversation with a user")
                raise ApiError.bad("chat not found")
            if write and u.blocked:
                raise ApiError.forbidden("bot was blocked by the user")
        return chat

    def _format(self, text: str | None, parse_mode: str | None, entities: Any, *, what: str
                ) -> tuple[str, list[dict]]:
        text = text or ""
        if len(text.encode("utf-8")) > (1 << 15):
            raise ApiError.bad("Text is too long")
        mode = (parse_mode or "").lower()
        if text and mode and mode != "none":
            if mode == "html":
                try:
                    plain, ents = parse_html(text, strict=self.strict_html)
                except HtmlParseError as e:
                    raise ApiError.bad(f"Can't parse entities: {e.message}") from None
            elif mode in ("markdown", "markdownv2"):
                raise ApiError.bad(
                    f"Can't parse entities: parse_mode {parse_mode} is not supported by the fake Telegram "
                    "(fakebot: Terbit uses HTML only)")
            else:
                raise ApiError.bad("Unsupported parse_mode")
        else:
            plain, ents = text, []
            if isinstance(entities, list):
                ents = [dict(e) for e in entities if isinstance(e, dict)]
        return strip_formatted(plain, ents)

    def _caption(self, p_caption: Any, parse_mode: Any, entities: Any) -> tuple[str | None, list[dict], str | None]:
        if p_caption in (None, ""):
            return None, [], None
        plain, ents = self._format(str(p_caption), parse_mode, entities, what="caption")
        if len(plain) > MAX_CAPTION:
            raise ApiError.bad("message caption is too long")
        return (plain or None), ents, str(p_caption)

    def _check_url(self, url: str) -> bool:
        return bool(re.match(r"^(https?|tg)://[^\s]+$", url)) or bool(re.match(r"^[a-z0-9.-]+\.[a-z]{2,}(/\S*)?$", url, re.I))

    def _reply_markup(self, p: Params, chat: Chat | None = None) -> dict | None:
        markup = p.json("reply_markup", "Can't parse reply keyboard markup JSON object")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError.bad("Object expected as reply markup")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list):
                raise ApiError.bad('Field "inline_keyboard" must be of type Array')
            total = 0
            for row in rows:
                if not isinstance(row, list):
                    raise ApiError.bad('Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
                for btn in row:
                    total += 1
                    self._check_inline_button(btn, chat)
            if total > 100:
                raise ApiError.bad("reply markup is too long")
            return markup
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or any(not isinstance(r, list) for r in rows):
                raise ApiError.bad('Field "keyboard" must be an Array of Arrays')
            for row in rows:
                for btn in row:
                    if isinstance(btn, str):
                        continue
                    if not isinstance(btn, dict) or not isinstance(btn.get("text"), str):
                        raise ApiError.bad("Can't parse keyboard button: Field \"text\" must be of type String")
            return markup
        if markup.get("remove_keyboard") or markup.get("hide_keyboard") or markup.get("force_reply"):
            return markup
        return None  # an empty object is accepted and means "no markup"

    def _check_inline_button(self, btn: Any, chat: Chat | None = None) -> None:
        def fail(msg: str) -> ApiError:
            return ApiError.bad(f"Can't parse inline keyboard button: {msg}")

        if not isinstance(btn, dict):
            raise fail("InlineKeyboardButton must be an Object")
        if not isinstance(btn.get("text"), str):
            raise fail('Field "text" must be of type String' if "text" in btn else 'Can\'t find field "text"')
        kinds = [k for k in BUTTON_KINDS if k in btn and btn[k] not in (None, "")]
        if not kinds:
            raise fail("Text buttons are unallowed in the inline keyboard")
        if len(kinds) > 1 and self.strict_buttons:
            raise fail(f"exactly one of {', '.join(kinds)} must be set (fakebot strict mode; real Telegram "
                       f"silently uses {kinds[0]})")
        if not btn["text"].strip():
            raise ApiError.bad("BUTTON_TEXT_INVALID")
        if "callback_data" in btn and btn["callback_data"] not in (None, ""):
            data = btn["callback_data"]
            if not isinstance(data, str):
                raise fail('Field "callback_data" must be of type String')
            if len(data.encode("utf-8")) > MAX_CALLBACK_DATA:
                raise ApiError.bad("BUTTON_DATA_INVALID")
        if kinds[0] == "url" and (not isinstance(btn["url"], str) or not self._check_url(btn["url"])):
            raise ApiError.bad("BUTTON_URL_INVALID")
        if kinds[0] == "web_app":
            info = btn["web_app"]
            if not isinstance(info, dict):
                raise fail('Field "web_app" must be of type Object')
            if not isinstance(info.get("url"), str):
                raise fail('Field "url" must be of type String' if "url" in info else 'Can\'t find field "url"')
            # A Mini App opens from a private chat with the bot only: in a group or a channel Telegram
            # refuses the whole message (or edit).
            if chat is not None and chat.type != "private":
                raise ApiError.bad("BUTTON_TYPE_INVALID")
            # Telegram opens Mini Apps over HTTPS only (this wording is as bot authors quote it).
            if not re.match(r"^https://[^\s/]+", info["url"]):
                raise ApiError.bad(f"inline keyboard button Web App URL '{info['url']}' is invalid: "
                                   "Only HTTPS links are allowed")

    def _reply_to(self, p: Params, chat: Chat) -> StoredMessage | None:
        rp = p.json("reply_parameters", "Can't parse reply parameters JSON object")
        mid = None
        allow = p.bool("allow_sending_without_reply")
        if isinstance(rp, dict):
            mid = rp.get("message_id")
            allow = allow or bool(rp.get("allow_sending_without_reply"))
            if rp.get("chat_id") not in (None, chat.id):
                raise ApiError.bad("message to be replied not found")  # cross-chat replies: not modelled
        elif p.has("reply_to_message_id"):
            mid = p.int("reply_to_message_id")
        if not mid:
            return None
        m = chat.messages.get(int(mid))
        if m is None or m.deleted:
            if allow:
                return None
            raise ApiError.bad("message to be replied not found")
        return m

    # ---- methods: bot & updates ---------------------------------------------------------
    async def _m_getMe(self, p: Params) -> dict:
        return {**self.bot_user, "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False, "can_connect_to_business": False, "has_main_web_app": False}

    async def _m_logOut(self, p: Params) -> bool:
        return True

    async def _m_close(self, p: Params) -> bool:
        return True

    async def _m_deleteWebhook(self, p: Params) -> bool:
        self.webhook_url = ""
        if p.bool("drop_pending_updates"):
            self._updates.clear()
            self._notify()
        return True

    async def _m_setWebhook(self, p: Params) -> bool:
        self.webhook_url = p.str("url", "") or ""
        return True

    async def _m_getWebhookInfo(self, p: Params) -> dict:
        return {"url": self.webhook_url, "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    def _update_allowed(self, u: dict) -> bool:
        kind = next(k for k in u if k != "update_id")
        allowed = self._allowed_updates or DEFAULT_UPDATE_TYPES
        return kind in allowed

    async def _m_getUpdates(self, p: Params) -> list:
        if self.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook "
                                "to delete the webhook first")
        offset = p.int("offset", 0) or 0
        limit = min(max(p.int("limit", 100) or 100, 1), 100)
        timeout = max(p.int("timeout", 0) or 0, 0)
        allowed = p.json("allowed_updates", "Can't parse allowed_updates JSON object")
        if isinstance(allowed, list):
            self._allowed_updates = set(allowed) if allowed else None
        if offset > 0:
            before = len(self._updates)
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if len(self._updates) != before:
                self._notify()
        elif offset < 0:
            drop = len(self._updates) + offset
            if drop > 0:
                self._updates = self._updates[drop:]
                self._notify()
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake()  # an older long poll still waiting gets its 409 now
        deadline = time.monotonic() + timeout
        while True:
            if self._closing:
                return []
            if generation != self._poll_generation:
                raise ApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot "
                                    "instance is running")
            kept = [u for u in self._updates if self._update_allowed(u)]
            if len(kept) != len(self._updates):
                self._updates = kept
                self._notify()
            if kept:
                batch = kept[:limit]
                self._delivered_ids.update(u["update_id"] for u in batch)
                return batch
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            ev = self._wakeup
            try:
                await asyncio.wait_for(ev.wait(), remaining)  # type: ignore[union-attr]
            except TimeoutError:
                pass

    async def _m_setMyCommands(self, p: Params) -> bool:
        cmds = p.json("commands", "Can't parse commands JSON object")
        if not isinstance(cmds, list):
            raise ApiError.bad("Field \"commands\" must be of type Array" if cmds is not None
                               else "Parameter \"commands\" is required")
        if len(cmds) > 100:
            raise ApiError.bad("BOT_COMMANDS_TOO_MUCH")
        clean = []
        for c in cmds:
            if not isinstance(c, dict) or not isinstance(c.get("command"), str):
                raise ApiError.bad("Can't parse BotCommand: Field \"command\" must be of type String")
            name = c["command"].lstrip("/")
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise ApiError.bad("BOT_COMMAND_INVALID")
            desc = c.get("description")
            if not isinstance(desc, str) or not (1 <= len(desc.strip()) <= 256):
                raise ApiError.bad("BOT_COMMAND_DESCRIPTION_INVALID")
            clean.append({"command": name, "description": desc})
        self.commands[self._scope_key(p)] = clean
        return True

    def _scope_key(self, p: Params) -> tuple[str, str]:
        scope = p.json("scope", "Can't parse BotCommandScope JSON object") or {"type": "default"}
        if scope.get("type") in ("chat", "chat_administrators", "chat_member"):
            # As Telegram: a chat scope names a chat the bot can see (a user who started it).
            try:
                chat = self.chats.get(int(scope.get("chat_id")))
            except (TypeError, ValueError):
                chat = None
            if chat is None or (chat.type == "private" and chat.user is not None and not chat.user.started):
                raise ApiError.bad("chat not found")
        return json.dumps(scope, sort_keys=True), p.str("language_code", "") or ""

    def commands_for(self, chat_id: int | None = None) -> list[str]:
        """The command names a chat's menu shows (Telegram's scope order: the chat's own, else the default)."""
        default = self.commands.get((json.dumps({"type": "default"}), ""), [])
        if chat_id is None:
            return [c["command"] for c in default]
        own = self.commands.get((json.dumps({"chat_id": chat_id, "type": "chat"}, sort_keys=True), ""))
        return [c["command"] for c in (own if own is not None else default)]

    async def _m_getMyCommands(self, p: Params) -> list:
        return self.commands.get(self._scope_key(p), [])

    async def _m_deleteMyCommands(self, p: Params) -> bool:
        self.commands.pop(self._scope_key(p), None)
        return True

    async def _m_setChatMenuButton(self, p: Params) -> bool:
        mb = p.json("menu_button", "Can't parse menu button JSON object") or {"type": "default"}
        if not isinstance(mb, dict) or mb.get("type") not in ("commands", "web_app", "default"):
            raise ApiError.bad("Can't parse menu button: MenuButton must be an Object with a valid type")
        chat_id = p.int("chat_id") if p.has("chat_id") else None
        if chat_id is not None:
            self._chat(p, write=False)
        self.menu_buttons[chat_id] = mb
        return True

    async def _m_getChatMenuButton(self, p: Params) -> dict:
        chat_id = p.int("chat_id") if p.has("chat_id") else None
        return self.menu_buttons.get(chat_id) or self.menu_buttons.get(None) or {"type": "default"}

    async def _m_getChat(self, p: Params) -> dict:
        chat = self._chat(p, write=False)
        d = chat.to_api()
        d.update({"accent_color_id": 0, "max_reaction_count": 11})
        return d

    # ---- methods: sending -------------------------------------------------------------------
    def _bot_message(self, chat: Chat, kind: str, **fields) -> StoredMessage:
        return self.add_message(chat, from_bot=True, kind=kind, **fields)

    async def _m_sendMessage(self, p: Params) -> dict:
        chat = self._chat(p)
        text = p.str("text")
        if not text:
            raise ApiError.bad("Message text is empty")
        plain, ents = self._format(text, p.str("parse_mode"),
                                   p.json("entities", "Can't parse entities JSON object"), what="text")
        if not plain:
            raise ApiError.bad("Message text is empty")
        if len(plain) > MAX_TEXT:
            raise ApiError.bad("message is too long")
        markup = self._reply_markup(p, chat)
        reply_to = self._reply_to(p, chat)
        msg = self._bot_message(chat, "text", text=plain, html=text, entities=ents, parse_mode=p.str("parse_mode"),
                                reply_markup=markup, reply_to=reply_to)
        return msg.to_api()

    def _input_file(self, p: Params, name: str, kind: str, *, value: Any = None, upload_name: str | None = None
                    ) -> tuple[StoredFile | None, UploadedFile | None]:
        """Resolve a file parameter: (existing StoredFile, None) or (None, fresh upload)."""
        v = p.raw.get(name) if value is None else value
        up = p.files.get(upload_name or name) if value is None else None
        if isinstance(v, str) and v.startswith("attach://"):
            up = p.files.get(v[len("attach://"):])
            if up is None:
                raise ApiError.bad("Can't parse InputMedia: media not found")
            v = None
        if up is not None:
            if not up.data:
                raise ApiError.bad("file must be non-empty")
            if len(up.data) > MAX_UPLOAD_SIZE:
                raise ApiError(413, "Request Entity Too Large")
            return None, up
        if not v:
            raise ApiError.bad(f"there is no {kind} in the request")
        v = str(v)
        if re.match(r"^https?://", v):
            raise ApiError.bad("failed to get HTTP URL content")
        f = self.files.get(v)
        if f is None:
            raise ApiError.bad("wrong file identifier/HTTP URL specified")
        if (f.kind == "photo") != (kind == "photo"):
            raise ApiError.bad("type of file mismatch")
        return f, None

    def _photo_from_upload(self, up: UploadedFile) -> list[StoredFile]:
        if len(up.data) > MAX_PHOTO_UPLOAD_SIZE:
            raise ApiError.bad("PHOTO_SAVE_FILE_INVALID")
        try:
            from .media import image_size

            w, h = image_size(up.data)
        except Exception:
            raise ApiError.bad("IMAGE_PROCESS_FAILED") from None
        if w + h > 10000 or max(w, h) / max(1, min(w, h)) > 20:
            raise ApiError.bad("PHOTO_INVALID_DIMENSIONS")
        try:
            return self.store_photo(up.data)
        except ImageProcessFailed:
            raise ApiError.bad("IMAGE_PROCESS_FAILED") from None

    def _media_payload(self, p: Params, kind: str, *, value: Any = None, item: dict | None = None
                       ) -> tuple[dict, list[StoredFile]]:
        """Build the Bot API media field(s) for one photo/document/audio/voice/video."""
        src = item or {}
        existing, up = self._input_file(p, kind, kind, value=value)
        if kind == "photo":
            group = existing.photo_group if existing and existing.photo_group else (
                [existing] if existing else self._photo_from_upload(up))  # type: ignore[arg-type]
            return {"photo": [f.photo_size_dict() for f in group]}, list(group)
        if existing is not None:
            f = existing
        else:
            assert up is not None
            mime = up.content_type
            if not mime or mime == "application/octet-stream":
                mime = (mimetypes.guess_type(up.filename or "")[0] if up.filename else None) or mime
            if kind == "voice":
                mime = "audio/ogg"
            get = (lambda k: src.get(k)) if item is not None else (lambda k: p.int(k))
            f = self.store_file(kind, up.data, file_name=up.filename, mime_type=mime,
                                width=get("width"), height=get("height"), duration=get("duration"))
        d = f.media_dict()
        if kind == "audio":
            for k in ("performer", "title"):
                val = src.get(k) if item is not None else p.str(k)
                if val:
                    d[k] = val
        return {kind: d}, [f]

    async def _send_media(self, p: Params, kind: str) -> dict:
        chat = self._chat(p)
        caption, ents, html = self._caption(p.raw.get("caption"), p.str("parse_mode"),
                                            p.json("caption_entities", "Can't parse entities JSON object"))
        markup = self._reply_markup(p, chat)
        reply_to = self._reply_to(p, chat)
        media, files = self._media_payload(p, kind)
        msg = self._bot_message(chat, kind, text=caption, html=html, entities=ents, parse_mode=p.str("parse_mode"),
                                reply_markup=markup, reply_to=reply_to, media=media, files=files)
        return msg.to_api()

    async def _m_sendPhoto(self, p: Params) -> dict:
        return await self._send_media(p, "photo")

    async def _m_sendDocument(self, p: Params) -> dict:
        return await self._send_media(p, "document")

    async def _m_sendAudio(self, p: Params) -> dict:
        return await self._send_media(p, "audio")

    async def _m_sendVoice(self, p: Params) -> dict:
        return await self._send_media(p, "voice")

    async def _m_sendVideo(self, p: Params) -> dict:
        return await self._send_media(p, "video")

    async def _m_sendMediaGroup(self, p: Params) -> list:
        chat = self._chat(p)
        if not p.has("media"):
            raise ApiError.bad('Parameter "media" is required')
        items = p.json("media", "Can't parse media JSON object")
        if not isinstance(items, list):
            raise ApiError.bad("Expected an Array of InputMedia")
        if not items:
            raise ApiError.bad("there are no messages to send")
        if len(items) > 10:
            raise ApiError.bad("too many messages to send as an album")
        kinds = []
        for it in items:
            if not isinstance(it, dict):
                raise ApiError.bad("Can't parse InputMedia: expected an Object")
            t = it.get("type")
            if t in ("animation",):
                raise ApiError.bad(f'Can\'t parse InputMedia: type "{t}" can\'t be used in sendMediaGroup')
            if t not in ("photo", "video", "document", "audio"):
                raise ApiError.bad(f'Can\'t parse InputMedia: type "{t}" is unsupported')
            kinds.append(t)
        if "document" in kinds and set(kinds) != {"document"}:
            raise ApiError.bad("document can't be mixed with other media types")
        if "audio" in kinds and set(kinds) != {"audio"}:
            raise ApiError.bad("audio can't be mixed with other media types")
        reply_to = self._reply_to(p, chat)
        prepared = []
        for it, t in zip(items, kinds):
            caption, ents, html = self._caption(it.get("caption"), it.get("parse_mode"), it.get("caption_entities"))
            media, files = self._media_payload(p, t, value=it.get("media") or "", item=it)
            prepared.append((t, caption, ents, html, it.get("parse_mode"), media, files))
        group_id = self.next_media_group_id() if len(items) > 1 else None
        out = []
        for t, caption, ents, html, pm, media, files in prepared:
            msg = self._bot_message(chat, t, text=caption, html=html, entities=ents, parse_mode=pm, media=media,
                                    files=files, media_group_id=group_id, reply_to=reply_to)
            out.append(msg.to_api())
        return out

    async def _m_sendChatAction(self, p: Params) -> bool:
        chat = self._chat(p)
        action = (p.str("action") or "").lower()
        if action not in CHAT_ACTIONS:
            raise ApiError.bad("Wrong parameter action in request")
        self.chat_actions.append({"chat_id": chat.id, "action": action, "at": time.monotonic()})
        return True

    async def _m_copyMessage(self, p: Params) -> dict:
        chat = self._chat(p)
        src_chat = self._chat(p, write=False, name="from_chat_id")
        mid = p.int("message_id")
        src = src_chat.messages.get(mid or 0)
        if src is None or src.deleted:
            raise ApiError.bad("message to copy not found")
        markup = self._reply_markup(p, chat)
        text, ents, html = src.text, src.entities, src.html
        if src.kind != "text" and p.has("caption"):
            text, ents, html = self._caption(p.raw.get("caption"), p.str("parse_mode"),
                                             p.json("caption_entities", "Can't parse entities JSON object"))
        msg = self._bot_message(chat, src.kind, text=text, html=html, entities=list(ents), parse_mode=src.parse_mode,
                                reply_markup=markup, media=src.media, files=list(src.files),
                                reply_to=self._reply_to(p, chat))
        return {"message_id": msg.message_id}

    # ---- methods: editing ---------------------------------------------------------------
    def _message_to_edit(self, p: Params) -> StoredMessage:
        if p.has("inline_message_id"):
            raise ApiError.bad("MESSAGE_ID_INVALID")  # inline messages are not modelled
        chat = self._chat(p)
        if not p.has("message_id"):
            raise ApiError.bad("Message identifier is not specified")
        msg = chat.messages.get(p.int("message_id") or 0)
        if msg is None or msg.deleted:
            raise ApiError.bad("message to edit not found")
        if not msg.from_bot:
            raise ApiError.bad("message can't be edited")
        return msg

    def _apply_edit(self, msg: StoredMessage, *, text: str | None, html: str | None, entities: list[dict],
                    markup: dict | None, parse_mode: str | None) -> dict:
        if msg.text == text and msg.entities == entities and (msg.reply_markup or None) == (markup or None):
            raise ApiError.bad(NOT_MODIFIED)
        msg.edits.append(msg.snapshot())
        msg.text, msg.html, msg.entities, msg.reply_markup = text, html, entities, markup
        msg.parse_mode = parse_mode
        msg.edit_date = int(time.time())
        self._notify()
        return msg.to_api()

    async def _m_editMessageText(self, p: Params) -> dict:
        text = p.str("text")
        msg = self._message_to_edit(p)
        if not text:
            raise ApiError.bad("Message text is empty")
        plain, ents = self._format(text, p.str("parse_mode"),
                                   p.json("entities", "Can't parse entities JSON object"), what="text")
        if not plain:
            raise ApiError.bad("Message text is empty")
        if len(plain) > MAX_TEXT:
            raise ApiError.bad("message is too long")
        markup = self._reply_markup(p, msg.chat)
        if msg.kind != "text":
            raise ApiError.bad("there is no text in the message to edit")
        return self._apply_edit(msg, text=plain, html=text, entities=ents, markup=markup,
                                parse_mode=p.str("parse_mode"))

    async def _m_editMessageCaption(self, p: Params) -> dict:
        msg = self._message_to_edit(p)
        caption, ents, html = self._caption(p.raw.get("caption"), p.str("parse_mode"),
                                            p.json("caption_entities", "Can't parse entities JSON object"))
        markup = self._reply_markup(p, msg.chat)
        if msg.kind == "text":
            raise ApiError.bad("there is no caption in the message to edit")
        return self._apply_edit(msg, text=caption, html=html, entities=ents, markup=markup,
                                parse_mode=p.str("parse_mode"))

    async def _m_editMessageReplyMarkup(self, p: Params) -> dict:
        msg = self._message_to_edit(p)
        markup = self._reply_markup(p, msg.chat)
        return self._apply_edit(msg, text=msg.text, html=msg.html, entities=msg.entities, markup=markup,
                                parse_mode=msg.parse_mode)

    async def _m_deleteMessage(self, p: Params) -> bool:
        chat = self._chat(p, write=False)
        msg = chat.messages.get(p.int("message_id") or 0)
        if msg is None or msg.deleted:
            raise ApiError.bad("message to delete not found")
        if chat.type != "private" and not msg.from_bot:
            pass  # bot is admin in registered channels
        msg.deleted = True
        self._notify()
        return True

    # ---- methods: callbacks & files -----------------------------------------------------
    async def _m_answerCallbackQuery(self, p: Params) -> bool:
        qid = p.str("callback_query_id") or ""
        q = self.callback_queries.get(qid)
        text = p.str("text")
        if text is not None and len(text) > MAX_CALLBACK_ANSWER:
            raise ApiError.bad("MESSAGE_TOO_LONG")
        if q is None or q["answered"]:
            raise ApiError.bad(QUERY_TOO_OLD)
        q["answered"] = True
        answer = {"callback_query_id": qid, "user_id": q["user_id"], "data": q["data"], "text": text,
                  "show_alert": p.bool("show_alert"), "url": p.str("url"), "cache_time": p.int("cache_time", 0)}
        self.callback_answers.append(answer)
        self._notify()
        return True

    async def _m_getFile(self, p: Params) -> dict:
        file_id = p.str("file_id") or ""
        if not file_id:
            raise ApiError.bad("file_id not specified")
        f = self.files.get(file_id)
        if f is None:
            raise ApiError.bad("invalid file_id")
        if f.size > MAX_DOWNLOAD_SIZE:
            raise ApiError.bad("file is too big")
        return {"file_id": f.file_id, "file_unique_id": f.file_unique_id, "file_size": f.size,
                "file_path": f.file_path}
