"""Strict fake Telegram Bot API for end-to-end tests of the real PTB Application.

    from tests.fakebot import FakeTelegram, run_application

    async with FakeTelegram() as tg:
        app = tg.application_builder().build()
        app.add_handler(...)
        alice = tg.user(1001, "Alice", "alice")
        async with run_application(app, tg):
            await alice.send_text("/start")
            msg = await alice.wait_for_message()
            await alice.press(msg, "Next")
            await tg.settle()
"""

from .html import HtmlParseError, parse_html
from .media import has_gps_exif, make_jpeg, make_ogg, make_png, reencode_photo
from .runner import run_application
from .server import ApiCall, ApiError, Chat, FakeTelegram, StoredFile, StoredMessage
from .users import FakeUser

__all__ = [
    "ApiCall", "ApiError", "Chat", "FakeTelegram", "FakeUser", "HtmlParseError", "StoredFile", "StoredMessage",
    "has_gps_exif", "make_jpeg", "make_ogg", "make_png", "parse_html", "reencode_photo", "run_application",
]
