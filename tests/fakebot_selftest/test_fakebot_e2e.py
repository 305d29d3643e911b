"""End-to-end: a real PTB Application, real HTTPXRequest, against the fake Bot API."""

from __future__ import annotations

import asyncio
import html
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputMediaDocument, InputMediaPhoto, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from tests.fakebot import FakeTelegram, has_gps_exif, make_jpeg, make_ogg, run_application
from tests.fakebot.media import image_size

KB = InlineKeyboardMarkup([[InlineKeyboardButton("Next", callback_data="page:2")],
                           [InlineKeyboardButton("Docs", url="https://example.com/docs")]])


async def start(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    ctx.bot_data.setdefault("start_args", []).append(ctx.args)
    name = html.escape(update.effective_user.first_name)
    await update.message.reply_text(f"Hello <b>{name}</b> &amp; welcome", parse_mode=ParseMode.HTML,
                                    reply_markup=KB)


async def on_button(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    q = update.callback_query
    if q.data == "page:2":
        await q.answer("Loading…")
        await q.edit_message_text("Page <i>2</i>", parse_mode=ParseMode.HTML, reply_markup=KB)
    else:
        await q.answer(f"unknown {q.data}", show_alert=True)


async def echo(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(f"echo: <code>{html.escape(update.message.text)}</code>",
                                    parse_mode=ParseMode.HTML)


async def on_photo(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    m = update.message
    ctx.bot_data.setdefault("albums", []).append((m.media_group_id, m.caption))
    largest = m.photo[-1]
    f = await ctx.bot.get_file(largest.file_id)
    data = bytes(await f.download_as_bytearray())
    ctx.bot_data.setdefault("photos", []).append(data)
    await m.reply_text(f"photo {len(data)} bytes {largest.width}x{largest.height}")


async def on_document(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    doc = update.message.document
    try:
        f = await ctx.bot.get_file(doc.file_id)
    except BadRequest as e:
        await update.message.reply_text(f"cannot download: {e.message}")
        return
    ctx.bot_data["doc"] = (doc.file_name, doc.mime_type, bytes(await f.download_as_bytearray()))
    await update.message.reply_text(f"doc {doc.file_name} ok")


async def on_voice(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    v = update.message.voice
    f = await ctx.bot.get_file(v.file_id)
    ctx.bot_data["voice"] = bytes(await f.download_as_bytearray())
    await ctx.bot.send_chat_action(update.effective_chat.id, "typing")
    await update.message.reply_text(f"voice {v.duration}s {v.mime_type}")


def build_app(tg: FakeTelegram):
    app = tg.application_builder().build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.PHOTO, on_photo))
    app.add_handler(MessageHandler(filters.Document.ALL, on_document))
    app.add_handler(MessageHandler(filters.VOICE, on_voice))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


@pytest.fixture
async def bot(fake_telegram):
    app = build_app(fake_telegram)
    async with run_application(app, fake_telegram):
        yield app


@pytest.fixture
def tg(fake_telegram):
    return fake_telegram


# ------------------------------------------------------------------------------------------
# conversation basics


async def test_start_deep_link_buttons_and_edit(tg, bot):
    alice = tg.user(1001, "Alice <3", "alice")
    await alice.send_text("/start promo_42")
    msg = await alice.wait_for_message()
    assert bot.bot_data["start_args"] == [["promo_42"]]  # bot_command entity made CommandHandler fire
    assert msg.text == "Hello Alice <3 & welcome"
    assert msg.html == "Hello <b>Alice &lt;3</b> &amp; welcome"
    assert msg.entities == [{"type": "bold", "offset": 6, "length": 8}]
    assert alice.buttons(msg) == [[("Next", "page:2")], [("Docs", "https://example.com/docs")]]

    await alice.press(msg, "Next")
    await tg.settle()
    assert alice.callback_answers[-1]["text"] == "Loading…"
    assert msg.text == "Page 2" and len(msg.edits) == 1 and msg.edits[0]["text"].startswith("Hello")
    assert alice.messages == [msg]  # edited in place, no new message
    assert tg.unanswered_callback_queries == []

    # pressing again -> bot edits to the same content -> Telegram refuses
    await alice.press(msg, "page:2")
    await tg.settle()
    err = tg.calls[-1]
    assert err.method == "editMessageText" and not err.ok
    assert err.description.startswith("Bad Request: message is not modified: specified new message content")


async def test_echo_and_wait_for_message_timeout(tg, bot):
    bob = tg.user(1002, "Bob")
    await bob.send_text("a <b> & c")
    msg = await bob.wait_for_message()
    assert msg.text == "echo: a <b> & c"
    assert msg.entities == [{"type": "code", "offset": 6, "length": 9}]
    with pytest.raises(AssertionError, match="last calls"):
        await bob.wait_for_message(timeout=0.2)


async def test_press_checks_the_button_exists(tg, bot):
    alice = tg.user(1001, "Alice")
    await alice.send_text("/start")
    msg = await alice.wait_for_message()
    with pytest.raises(AssertionError, match="no button"):
        await alice.press(msg, "Delete everything")
    with pytest.raises(AssertionError, match="not a callback button"):
        await alice.press(msg, "Docs")
    await alice.press_raw(msg, "forged:1")
    await tg.settle()
    assert alice.callback_answers[-1] == {**alice.callback_answers[-1], "text": "unknown forged:1",
                                          "show_alert": True}


# ------------------------------------------------------------------------------------------
# rule 1: the bot cannot write first


async def test_bot_cannot_initiate_and_blocked(tg, bot):
    carol = tg.user(1003, "Carol")
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.bot.send_message(carol.id, "hi")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.bot.send_message(999999, "hi")
    await carol.send_text("hello")
    await carol.wait_for_message()
    await bot.bot.send_message(carol.id, "now I may")
    tg.block(carol)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.bot.send_message(carol.id, "hi again")
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.bot.send_photo(carol.id, make_jpeg(100, 100))


async def test_channel_is_writable(tg, bot):
    tg.add_channel(-1001234567890, "terbit_news", title="Terbit News")
    m = await bot.bot.send_message("@terbit_news", "<b>Published</b>", parse_mode=ParseMode.HTML)
    assert m.chat.type == "channel" and m.sender_chat.id == -1001234567890
    assert tg.messages(-1001234567890)[0].text == "Published"
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.bot.send_message("@no_such_channel", "x")


# ------------------------------------------------------------------------------------------
# rule 2: keyboards


async def test_callback_data_limit_and_button_structure(tg, bot):
    alice = tg.user(1001, "Alice", started=True)

    def kb(**kw):
        return InlineKeyboardMarkup([[InlineKeyboardButton("b", **kw)]])

    await bot.bot.send_message(alice.id, "ok", reply_markup=kb(callback_data="é" * 32))  # 64 bytes
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        await bot.bot.send_message(alice.id, "x", reply_markup=kb(callback_data="é" * 33))  # 66 bytes
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        await bot.bot.send_message(alice.id, "x", reply_markup=kb(callback_data="x" * 65))
    with pytest.raises(BadRequest, match="(?i)text buttons are unallowed"):
        await bot.bot.send_message(alice.id, "x", reply_markup=kb())
    with pytest.raises(BadRequest, match="(?i)exactly one"):
        await bot.bot.send_message(alice.id, "x", reply_markup=kb(callback_data="a", url="https://x.org"))
    # also through edits
    m = await bot.bot.send_message(alice.id, "edit me")
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        await bot.bot.edit_message_reply_markup(alice.id, m.message_id, reply_markup=kb(callback_data="y" * 65))


async def test_web_app_buttons_in_private_chats_only(tg, bot):
    from urllib.parse import parse_qsl, urlsplit

    from telegram import WebAppInfo

    from handlers.desk.initdata import validate

    alice = tg.user(1001, "Alice", "alice", started=True)
    tg.add_channel(-1001234567890, "terbit_news", title="Terbit News")
    desk = InlineKeyboardMarkup([[InlineKeyboardButton("Buka meja", web_app=WebAppInfo("https://terbit.example/meja/7/9/"))]])
    m = await bot.bot.send_message(alice.id, "kartu", reply_markup=desk)
    assert tg.messages(alice.id)[-1].reply_markup["inline_keyboard"][0][0]["web_app"]["url"].endswith("/meja/7/9/")
    with pytest.raises(BadRequest, match="(?i)button_type_invalid"):
        await bot.bot.send_message("@terbit_news", "kartu", reply_markup=desk)
    posted = await bot.bot.send_message("@terbit_news", "tanpa tombol")
    with pytest.raises(BadRequest, match="(?i)button_type_invalid"):
        await bot.bot.edit_message_reply_markup("@terbit_news", posted.message_id, reply_markup=desk)
    with pytest.raises(BadRequest, match="(?i)only https links are allowed"):
        await bot.bot.send_message(alice.id, "x", reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("Buka", web_app=WebAppInfo("http://terbit.example/meja/"))]]))
    # Tapping it opens the address with the initData Telegram signs for Alice (with this bot's token).
    url = alice.open_web_app(m.message_id, "Buka meja")
    parts = urlsplit(url)
    assert parts.path == "/meja/7/9/"
    init = dict(parse_qsl(parts.fragment))["tgWebAppData"]
    user = validate(init, tg.token, now=datetime.now(UTC), max_age=timedelta(minutes=1))
    assert (user.id, user.first_name, user.username) == (1001, "Alice", "alice")


# ------------------------------------------------------------------------------------------
# rule 3: files


async def test_file_too_big_and_exact_download(tg, bot):
    alice = tg.user(1001, "Alice")
    big = await alice.send_big_document(25 * 1024 * 1024, "video_backup.zip")
    reply = await alice.wait_for_message()
    assert reply.text == "cannot download: File is too big"
    with pytest.raises(BadRequest, match="File is too big"):
        await bot.bot.get_file(big.file.file_id)

    ok = await alice.send_big_document(3 * 1024 * 1024, "zeros.bin")
    await alice.wait_for_message()
    assert bot.bot_data["doc"][2] == bytes(3 * 1024 * 1024)
    assert ok.file.size == 3 * 1024 * 1024
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.bot.get_file("nope")


async def test_photo_is_reencoded_document_is_kept(tg, bot):
    alice = tg.user(1001, "Alice")
    original = make_jpeg(3000, 2000, gps=True)
    assert has_gps_exif(original)
    msg = await alice.send_photo(original, caption="site photo")
    reply = await alice.wait_for_message()
    assert reply.text.endswith("2560x1707")
    sizes = msg.media["photo"]
    assert [max(s["width"], s["height"]) for s in sizes] == [90, 320, 800, 1280, 2560]
    assert len({s["file_id"] for s in sizes}) == 5 and len({s["file_unique_id"] for s in sizes}) == 5
    downloaded = bot.bot_data["photos"][0]
    assert not has_gps_exif(downloaded) and image_size(downloaded) == (2560, 1707)

    small = make_jpeg(200, 100)
    msg2 = await alice.send_photo(small)
    await alice.wait_for_message()
    assert [(s["width"], s["height"]) for s in msg2.media["photo"]] == [(90, 45), (200, 100)]

    await alice.send_document(original, "IMG_0001.JPG")
    reply = await alice.wait_for_message()
    assert reply.text == "doc IMG_0001.JPG ok"
    name, mime, data = bot.bot_data["doc"]
    assert (name, mime) == ("IMG_0001.JPG", "image/jpeg") and data == original and has_gps_exif(data)


async def test_album_and_voice(tg, bot):
    alice = tg.user(1001, "Alice")
    msgs = await alice.send_album([make_jpeg(400, 300), make_jpeg(300, 400), make_jpeg(500, 500)], caption="set")
    await tg.settle()
    albums = bot.bot_data["albums"]
    assert len(albums) == 3 and len({g for g, _ in albums}) == 1 and albums[0][0] == msgs[0].media_group_id
    assert [c for _, c in albums] == ["set", None, None]
    assert len(alice.messages) == 3

    ogg = make_ogg(4)
    await alice.send_voice(ogg, duration=4)
    reply = await alice.wait_for_message()
    assert reply.text == "voice 4s audio/ogg" and bot.bot_data["voice"] == ogg
    assert "typing" in alice.chat_actions
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await bot.bot.send_chat_action(alice.id, "dancing")


async def test_bot_uploads_and_media_group_rules(tg, bot):
    alice = tg.user(1001, "Alice", started=True)
    jpeg = make_jpeg(1000, 800, gps=True)
    m = await bot.bot.send_photo(alice.id, jpeg, caption="<b>cap</b>", parse_mode=ParseMode.HTML)
    assert m.photo[-1].width == 1000 and m.caption == "cap"
    assert not has_gps_exif(tg.file_bytes(m.photo[-1].file_id))  # Telegram re-encodes bot photos too
    d = await bot.bot.send_document(alice.id, jpeg, filename="report.jpg")
    assert d.document.file_name == "report.jpg" and tg.file_bytes(d.document.file_id) == jpeg
    # resend by file_id; type mismatch is refused
    await bot.bot.send_photo(alice.id, m.photo[-1].file_id)
    with pytest.raises(BadRequest, match="Type of file mismatch"):
        await bot.bot.send_document(alice.id, m.photo[-1].file_id)
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.bot.send_document(alice.id, "BQACAgIAAxkBAAIbogus")
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.bot.send_photo(alice.id, b"not an image at all")

    group = await bot.bot.send_media_group(alice.id, [InputMediaPhoto(jpeg, caption="one"),
                                                      InputMediaPhoto(make_jpeg(300, 300))])
    assert len(group) == 2 and group[0].media_group_id == group[1].media_group_id is not None
    assert group[0].caption == "one"
    with pytest.raises(BadRequest, match="Document can't be mixed"):
        await bot.bot.send_media_group(alice.id, [InputMediaPhoto(jpeg), InputMediaDocument(b"%PDF-1.4", filename="a.pdf")])
    with pytest.raises(BadRequest, match="Too many messages to send as an album"):
        await bot.bot.send_media_group(alice.id, [InputMediaPhoto(m.photo[-1].file_id)] * 11)
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.bot.send_media_group(alice.id, [InputMediaPhoto(jpeg, caption="x" * 1025),
                                                  InputMediaPhoto(jpeg)])
    # the upload call is recorded with its files
    call = tg.calls_to("sendMediaGroup")[0]
    assert call.ok and len(call.files) == 2 and call.params["media"][0]["type"] == "photo"


# ------------------------------------------------------------------------------------------
# rules 4-6: text, HTML, lengths, edits


async def test_html_and_length_rules(tg, bot):
    alice = tg.user(1001, "Alice", started=True)
    with pytest.raises(BadRequest, match='(?i)can\'t parse entities: unsupported start tag "p" at byte offset 0'):
        await bot.bot.send_message(alice.id, "<p>x</p>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)can't parse entities: can't find end tag"):
        await bot.bot.send_message(alice.id, "<b>x", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)can't parse entities.*strict"):
        await bot.bot.send_message(alice.id, "Q&A", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)not supported by the fake"):
        await bot.bot.send_message(alice.id, "*x*", parse_mode=ParseMode.MARKDOWN_V2)
    # no parse_mode: markup is plain text
    plain = await bot.bot.send_message(alice.id, "<b>not bold</b>")
    assert plain.text == "<b>not bold</b>" and not plain.entities

    await bot.bot.send_message(alice.id, "<b>" + "a" * 4096 + "</b>", parse_mode=ParseMode.HTML)  # 4096 after parse
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.bot.send_message(alice.id, "a" * 4097)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.bot.send_message(alice.id, "&amp;" * 4097, parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.bot.send_message(alice.id, "<b> </b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.bot.send_message(alice.id, "")
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.bot.send_photo(alice.id, make_jpeg(50, 50), caption="c" * 1025)
    await bot.bot.send_photo(alice.id, make_jpeg(50, 50), caption="<i>" + "c" * 1024 + "</i>",
                             parse_mode=ParseMode.HTML)
    assert [c.ok for c in tg.calls_to("sendMessage")].count(True) == 2


async def test_edit_rules(tg, bot):
    alice = tg.user(1001, "Alice")
    await alice.send_text("hi")
    await alice.wait_for_message()
    user_msg = alice.all_messages[0]
    kb = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    m = await bot.bot.send_message(alice.id, "<b>v1</b>", parse_mode=ParseMode.HTML, reply_markup=kb)

    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.bot.edit_message_text("<b>v1</b>", alice.id, m.message_id, parse_mode=ParseMode.HTML, reply_markup=kb)
    # same text, different entities -> modified
    await bot.bot.edit_message_text("v1", alice.id, m.message_id, reply_markup=kb)
    # omitting reply_markup removes the keyboard, as on real Telegram
    await bot.bot.edit_message_text("v1", alice.id, m.message_id)
    stored = tg.message(alice.id, m.message_id)
    assert stored.reply_markup is None and len(stored.edits) == 2
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.bot.edit_message_reply_markup(alice.id, m.message_id)
    await bot.bot.edit_message_reply_markup(alice.id, m.message_id, reply_markup=kb)
    assert stored.buttons == [[("A", "a")]]

    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.bot.edit_message_text("x", alice.id, 9999)
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.bot.edit_message_text("x", alice.id, user_msg.message_id)
    with pytest.raises(BadRequest, match="There is no caption in the message to edit"):
        await bot.bot.edit_message_caption(alice.id, m.message_id, caption="c")

    p = await bot.bot.send_photo(alice.id, make_jpeg(64, 64), caption="old")
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        await bot.bot.edit_message_text("t", alice.id, p.message_id)
    await bot.bot.edit_message_caption(alice.id, p.message_id, caption="<u>new</u>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.bot.edit_message_caption(alice.id, p.message_id, caption="<u>new</u>", parse_mode=ParseMode.HTML)

    assert await bot.bot.delete_message(alice.id, m.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.bot.delete_message(alice.id, m.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.bot.edit_message_text("x", alice.id, m.message_id)
    assert m.message_id not in [x.message_id for x in alice.messages]


# ------------------------------------------------------------------------------------------
# rule 7: callback answers


async def test_answer_callback_query_rules(tg):
    app = tg.application_builder().build()
    seen = []

    async def slowpoke(update: Update, ctx):
        seen.append(update.callback_query.id)

    app.add_handler(CallbackQueryHandler(slowpoke))
    alice = tg.user(1001, "Alice", started=True)
    async with run_application(app, tg):
        m = await app.bot.send_message(alice.id, "pick", reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("Go", callback_data="go")]]))
        qid = await alice.press(m.message_id, "Go")
        await tg.settle()
        assert seen == [qid] and len(tg.unanswered_callback_queries) == 1
        with pytest.raises(BadRequest, match="(?i)message_too_long"):
            await app.bot.answer_callback_query(qid, text="x" * 201)
        assert await app.bot.answer_callback_query(qid, text="x" * 200)
        with pytest.raises(BadRequest, match="Query is too old and response timeout expired or query id is invalid"):
            await app.bot.answer_callback_query(qid)
        with pytest.raises(BadRequest, match="Query is too old"):
            await app.bot.answer_callback_query("12345")
        assert alice.callback_answers[0]["text"] == "x" * 200


# ------------------------------------------------------------------------------------------
# protocol-level behaviour


async def test_wrong_token_and_unknown_method(tg):
    app = FakeTelegram.application_builder(tg).token("654321:WRONG").build()
    with pytest.raises(InvalidToken):
        await app.initialize()
    async with httpx.AsyncClient() as client:
        r = await client.post(f"{tg.base_url}{tg.token}/sendTelepathy", data={"chat_id": "1"})
        assert r.status_code == 404 and r.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        r = await client.get(f"{tg.base_url}654321:WRONG/getMe")
        assert r.status_code == 401 and r.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
        r = await client.post(f"{tg.base_url}{tg.token}/getme", json={})  # method names are case-insensitive
        assert r.json()["result"]["username"] == "terbit_test_bot"


async def test_long_polling_offset_and_conflict(tg):
    alice = tg.user(1001, "Alice")
    url = f"{tg.base_url}{tg.token}/getUpdates"
    async with httpx.AsyncClient(timeout=10) as client:
        t0 = time.monotonic()
        r = await client.post(url, data={"timeout": "0"})
        assert r.json() == {"ok": True, "result": []} and time.monotonic() - t0 < 0.5

        async def later():
            await asyncio.sleep(0.2)
            await alice.send_text("ping")

        task = asyncio.create_task(later())
        t0 = time.monotonic()
        r = await client.post(url, json={"timeout": 5})
        waited = time.monotonic() - t0
        await task
        updates = r.json()["result"]
        assert 0.15 < waited < 2 and updates[0]["message"]["text"] == "ping"
        uid = updates[0]["update_id"]
        # not confirmed yet -> delivered again; offset confirms
        again = (await client.post(url, json={})).json()["result"]
        assert [u["update_id"] for u in again] == [uid]
        assert (await client.post(url, json={"offset": uid + 1})).json()["result"] == []
        assert tg.pending_updates == []

        # a second concurrent getUpdates terminates the first with 409
        first = asyncio.create_task(client.post(url, json={"timeout": 3}))
        await asyncio.sleep(0.1)
        second = asyncio.create_task(client.post(url, json={"timeout": 0}))
        r1, r2 = await first, await second
        assert r1.status_code == 409 and r1.json()["description"].startswith("Conflict: terminated by other getUpdates")
        assert r2.json()["ok"] is True

        # allowed_updates filters (and drops) other update types
        await alice.send_text("msg")
        r = await client.post(url, json={"allowed_updates": ["callback_query"]})
        assert r.json()["result"] == [] and tg.pending_updates == []


async def test_flood_control_injection_and_call_log(tg, bot):
    alice = tg.user(1001, "Alice", started=True)
    tg.fail_next("sendMessage", error_code=429, retry_after=7)
    with pytest.raises(RetryAfter) as ei:
        await bot.bot.send_message(alice.id, "x")
    ra = ei.value.retry_after
    assert (ra.total_seconds() if hasattr(ra, "total_seconds") else ra) == 7
    await bot.bot.send_message(alice.id, "y")
    last = tg.calls[-1]
    assert last.method == "sendMessage" and last.ok and last.params["text"] == "y"
    assert last.params["chat_id"] == str(alice.id)  # form-encoded by PTB, exactly as on the wire


async def test_commands_menu_getchat_copy(tg, bot):
    from telegram import BotCommand, MenuButtonCommands

    alice = tg.user(1001, "Alice", "alice", started=True)
    await bot.bot.set_my_commands([BotCommand("start", "Start"), BotCommand("new_draft", "New draft")])
    assert [c.command for c in await bot.bot.get_my_commands()] == ["start", "new_draft"]
    with pytest.raises(BadRequest, match="(?i)bot_command_invalid"):
        await bot.bot.set_my_commands([BotCommand("New-Draft", "x")])
    assert await bot.bot.set_chat_menu_button(menu_button=MenuButtonCommands())
    chat = await bot.bot.get_chat(alice.id)
    assert chat.username == "alice" and chat.type == "private"
    m = await bot.bot.send_message(alice.id, "original")
    copied = await bot.bot.copy_message(alice.id, alice.id, m.message_id)
    assert tg.message(alice.id, copied.message_id).text == "original"
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.bot.send_message(alice.id, "re", reply_to_message_id=4242)
    r = await bot.bot.send_message(alice.id, "re", reply_to_message_id=m.message_id)
    assert r.reply_to_message.message_id == m.message_id


async def test_settle_waits_for_slow_handler(tg):
    app = tg.application_builder().build()
    done = []

    async def slow(update: Update, ctx):
        await asyncio.sleep(0.3)  # no API calls meanwhile: only the app-queue check catches this
        done.append(update.message.text)

    app.add_handler(MessageHandler(filters.TEXT, slow))
    alice = tg.user(1001, "Alice")
    async with run_application(app, tg):
        await alice.send_text("one")
        await alice.send_text("two")
        await tg.settle()
        assert done == ["one", "two"]


async def test_a_reply_to_selected_words_carries_the_quote_as_telegram_sends_it(tg):
    """Selecting words in a bot message and replying: ``reply_to_message`` and ``quote`` (text, position in
    UTF-16 code units, is_manual, the quoted part's formatting) reach the bot as python-telegram-bot's
    TextQuote; a quote of words the message does not show cannot be made."""
    seen: list = []

    async def record(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(update.message)

    app = tg.application_builder().build()
    app.add_handler(MessageHandler(filters.TEXT, record))
    alice = tg.user(1001, "Alice", "alice")
    async with run_application(app, tg):
        await alice.send_text("hai")
        await tg.settle()
        sent = await app.bot.send_message(alice.id, "🔎 <b>Rapat</b> di aula. Rapat lagi besok.",
                                          parse_mode=ParseMode.HTML)
        card = alice.messages[-1]
        await alice.reply(card, "Rapat apa?", quote="Rapat")
        await alice.reply(card, "Yang kedua", quote=" Rapat ", occurrence=1)  # spaces around are not selected
        await alice.reply(card, "Sebutkan nama aulanya", quote="aula")
        await alice.reply(card, "Tanpa kutipan")
        await tg.settle()
        with pytest.raises(AssertionError):
            await alice.reply(card, "x", quote="tidak ada")
    quoted, second, aula, plain = seen[1:]
    # "🔎" is two UTF-16 code units: positions count them as Telegram does.
    assert quoted.reply_to_message.message_id == sent.message_id
    assert (quoted.quote.text, quoted.quote.position, quoted.quote.is_manual) == ("Rapat", 3, True)
    assert [(e.type, e.offset, e.length) for e in quoted.quote.entities] == [("bold", 0, 5)]
    assert (second.quote.text, second.quote.position, second.quote.entities) == ("Rapat", 18, ())
    assert (aula.quote.text, aula.quote.position) == ("aula", 12)
    assert aula.quote.entities == () and aula.reply_to_message.text.startswith("🔎 Rapat di aula")
    assert plain.quote is None and plain.reply_to_message.message_id == sent.message_id
