"""TelegramChannelPublisher against the strict fake Bot API (real PTB Bot over HTTP)."""
from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from publishers.base import PriorPublication, PublishError
from publishers.telegram_channel import CAPTION_LIMIT, TEXT_LIMIT, TelegramChannelPublisher
from tests.fakebot import has_gps_exif

from .conftest import CHANNEL, CHANNEL_ID, TOKEN, long_body

HOSTILE_TITLE = '<b>Judul</b> & "kutip" <script>alert(1)</script> a<b'
HOSTILE_BODY = "1 < 2 && 3 > 2\n<a href='javascript:x'>klik</a> &amp; &lt;\n\n</b></i> <tg-spoiler> &#0; & ;"


def channel_msgs(tg, **kw):
    return sorted(tg.messages(CHANNEL_ID, **kw), key=lambda m: m.message_id)


def sends(tg):
    names = ("sendMessage", "sendPhoto", "sendMediaGroup", "sendDocument", "sendAudio", "sendVoice", "sendVideo")
    return [c for c in tg.calls if c.method in names]


def prior_of(result):
    return PriorPublication(result.remote_id, result.url, dict(result.remote))


# ---------------------------------------------------------------- posting

async def test_album_with_caption(tg, publisher, factory):
    photos = tuple(factory.photo() for _ in range(3))
    art = factory.article(assets=photos)
    res = await publisher.publish(art, None)

    calls = sends(tg)
    assert [c.method for c in calls] == ["sendMediaGroup"], "album and caption must go in one call"
    msgs = channel_msgs(tg)
    assert len(msgs) == 3 and all(m.kind == "photo" for m in msgs)
    assert len({m.media_group_id for m in msgs}) == 1 and msgs[0].media_group_id
    first = msgs[0]
    assert first.text.startswith("Rapat Koordinasi Pelayanan Publik\nBerita · Sekretariat\n\nParagraf pertama.")
    assert {"type": "bold", "offset": 0, "length": len("Rapat Koordinasi Pelayanan Publik")} in first.entities
    assert all(m.caption is None for m in msgs[1:])
    # Uploaded bytes are the web renditions, never the GPS-tagged originals.
    uploads = list(calls[0].files.values())
    assert [u.data for u in uploads] == [p.web.read_bytes() for p in photos]
    assert not any(has_gps_exif(u.data) for u in uploads)

    assert res.url == f"https://t.me/{CHANNEL}/{first.message_id}"
    assert res.remote_id == str(first.message_id)
    r = res.remote
    assert r["chat_id"] == CHANNEL_ID and r["message_ids"] == [m.message_id for m in msgs]
    assert r["caption_in"] == "album" and r["text_message_id"] is None
    assert r["caption_message_id"] == first.message_id


async def test_single_photo_uses_send_photo(tg, publisher, factory):
    res = await publisher.publish(factory.article(assets=(factory.photo(),)), None)
    assert [c.method for c in sends(tg)] == ["sendPhoto"]
    assert res.remote["caption_in"] == "album"


async def test_long_body_goes_to_a_text_message(tg, publisher, factory):
    body = long_body(6)  # ~3000 characters: too long for a caption, fits one message
    art = factory.article(body=body, assets=(factory.photo(), factory.photo()))
    res = await publisher.publish(art, None)
    assert [c.method for c in sends(tg)] == ["sendMediaGroup", "sendMessage"]
    msgs = channel_msgs(tg)
    assert all(m.caption is None for m in msgs if m.kind == "photo")
    text = msgs[-1]
    assert CAPTION_LIMIT < len(text.text) <= TEXT_LIMIT
    assert text.text.endswith("kata59.")
    assert res.remote["caption_in"] == "text" and res.remote["text_message_id"] == text.message_id


async def test_very_long_body_split_at_paragraphs(tg, publisher, factory):
    body = long_body(30)  # ~14 000 characters
    res = await publisher.publish(factory.article(body=body, assets=(factory.photo(), factory.photo())), None)
    texts = [m for m in channel_msgs(tg) if m.kind == "text"]
    assert len(texts) >= 4
    assert all(len(m.text) <= TEXT_LIMIT for m in texts)
    # Every paragraph arrives whole, in order, none lost.
    paras = [p for m in texts for p in m.text.split("\n\n")]
    assert paras[:2] == ["Rapat Koordinasi Pelayanan Publik\nBerita · Sekretariat", "Paragraf 1: " + paras[1][12:]]
    assert [p for p in paras if p.startswith("Paragraf ")] == body.split("\n\n")
    assert res.remote["text_message_ids"] == [m.message_id for m in texts]


async def test_one_huge_paragraph_is_cut_within_limits(tg, publisher, factory):
    body = " ".join(f"kata{j}" for j in range(3000))  # one ~23 000-char paragraph
    await publisher.publish(factory.article(body=body), None)
    texts = channel_msgs(tg)
    assert len(texts) >= 6 and all(len(m.text) <= TEXT_LIMIT for m in texts)
    assert " ".join(m.text for m in texts[1:]).split()[-1] == "kata2999"


async def test_very_long_body_summarised_with_site_link(tg, bot, factory):
    url = "https://dinas.example.go.id/artikel/7-rapat/?a=1&b=2"
    pub = TelegramChannelPublisher(bot, CHANNEL_ID, site_url_for=lambda a: url)
    await pub.publish(factory.article(body=long_body(30), assets=(factory.photo(), factory.photo())), None)
    texts = [m for m in channel_msgs(tg) if m.kind == "text"]
    assert len(texts) == 1
    msg = texts[0]
    assert len(msg.text) <= TEXT_LIMIT and msg.text.endswith("… Baca selengkapnya")
    link = [e for e in msg.entities if e["type"] == "text_link"]
    assert link and link[0]["url"] == url


async def test_text_only_article(tg, publisher, factory):
    res = await publisher.publish(factory.article(), None)
    msgs = channel_msgs(tg)
    assert [m.kind for m in msgs] == ["text"]
    assert res.remote["caption_in"] == "text" and res.url == f"https://t.me/{CHANNEL}/{msgs[0].message_id}"


@pytest.mark.parametrize("long", [False, True])
async def test_hostile_text_is_escaped(tg, publisher, factory, long):
    body = HOSTILE_BODY + ("\n\n" + long_body(5) if long else "")
    photo = factory.photo(caption="<i>foto</i> & <b")
    doc = factory.pdf(filename="<b>laporan</b> & co.pdf", caption="</a> <x>")
    art = factory.article(title=HOSTILE_TITLE, body=body, section="<Rubrik & Co>", assets=(photo, factory.photo(), doc))
    await publisher.publish(art, None)  # the fake refuses any bad HTML (strict mode)
    msgs = channel_msgs(tg)
    holder = msgs[0] if not long else next(m for m in msgs if m.kind == "text")
    assert holder.text.startswith(HOSTILE_TITLE + "\nBerita · <Rubrik & Co>\n\n1 < 2 && 3 > 2\n<a href='javascript:x'>")
    assert "&amp; &lt;" in holder.text and "&#0; & ;" in holder.text
    assert [e["type"] for e in holder.entities] == ["bold"]
    docmsg = next(m for m in msgs if m.kind == "document")
    assert docmsg.text == "<b>laporan</b> & co.pdf\n</a> <x>"
    assert docmsg.entities == []


async def test_more_than_ten_photos_make_two_albums(tg, publisher, factory):
    photos = tuple(factory.photo() for _ in range(11))
    res = await publisher.publish(factory.article(assets=photos), None)
    calls = sends(tg)
    assert [c.method for c in calls] == ["sendMediaGroup", "sendMediaGroup"]
    msgs = channel_msgs(tg)
    groups = {}
    for m in msgs:
        groups.setdefault(m.media_group_id, []).append(m)
    assert sorted(len(g) for g in groups.values()) == [5, 6]  # never an album of one
    assert msgs[0].caption and all(m.caption is None for m in msgs[1:])
    assert [len(a) for a in res.remote["albums"]] == [6, 5]
    assert len(res.remote["photos"]) == 11


async def test_twenty_one_photos_three_albums(tg, publisher, factory):
    await publisher.publish(factory.article(assets=tuple(factory.photo() for _ in range(21))), None)
    assert [len(c.files) for c in sends(tg)] == [7, 7, 7]


async def test_documents_and_voice_after_album(tg, publisher, factory):
    doc = factory.pdf(caption="Lampiran resmi")
    voice = factory.voice()
    art = factory.article(body=long_body(6), assets=(doc, factory.photo(), voice, factory.photo()))
    res = await publisher.publish(art, None)
    assert [c.method for c in sends(tg)] == ["sendMediaGroup", "sendMessage", "sendDocument", "sendVoice"]
    msgs = channel_msgs(tg)
    assert [m.kind for m in msgs] == ["photo", "photo", "text", "document", "voice"]
    d = msgs[3]
    assert d.file_bytes == doc.original.read_bytes()
    assert d.media["document"]["file_name"] == "Laporan Kegiatan.pdf"
    assert d.text == "Laporan Kegiatan.pdf\nLampiran resmi"
    assert msgs[4].file_bytes == voice.original.read_bytes()
    assert [a["kind"] for a in res.remote["attachments"]] == ["document", "voice"]
    assert res.remote["message_ids"] == [m.message_id for m in msgs]


# ---------------------------------------------------------------- updates

async def test_update_edits_caption_in_place(tg, publisher, factory):
    photos = (factory.photo(), factory.photo())
    doc = factory.pdf()
    res1 = await publisher.publish(factory.article(assets=(*photos, doc)), None)
    n_sends = len(sends(tg))
    art2 = factory.article(title="Rapat Koordinasi (ralat)", body="Isi baru & benar.", assets=(*photos, doc),
                           revision=2)
    res2 = await publisher.publish(art2, prior_of(res1))
    assert len(sends(tg)) == n_sends, "an update must not post a second copy"
    assert [c.method for c in tg.calls_to("editMessageCaption")] == ["editMessageCaption"] * 2  # text + doc
    first = tg.message(CHANNEL_ID, res1.remote["caption_message_id"])
    assert first.text == "Rapat Koordinasi (ralat)\nBerita · Sekretariat\n\nIsi baru & benar."
    assert first.edits, "caption was edited"
    assert res2.url == res1.url and res2.remote_id == res1.remote_id
    assert res2.remote["message_ids"] == res1.remote["message_ids"]
    assert len(channel_msgs(tg)) == 3


async def test_update_edits_text_message_in_place(tg, publisher, factory):
    photos = (factory.photo(), factory.photo())
    res1 = await publisher.publish(factory.article(body=long_body(6), assets=photos), None)
    n_sends = len(sends(tg))
    res2 = await publisher.publish(factory.article(body=long_body(7), assets=photos, revision=2), prior_of(res1))
    assert len(sends(tg)) == n_sends
    msg = tg.message(CHANNEL_ID, res1.remote["text_message_id"])
    assert msg.text.count("Paragraf ") == 7 and msg.edits
    assert res2.remote["text_message_ids"] == res1.remote["text_message_ids"]


async def test_update_text_grows_and_shrinks_over_messages(tg, publisher, factory):
    res1 = await publisher.publish(factory.article(body=long_body(6)), None)
    assert len(res1.remote["text_message_ids"]) == 1
    res2 = await publisher.publish(factory.article(body=long_body(20), revision=2), prior_of(res1))
    assert res2.remote["text_message_ids"][0] == res1.remote["text_message_ids"][0]
    assert len(res2.remote["text_message_ids"]) >= 3
    res3 = await publisher.publish(factory.article(body="Singkat saja.", revision=3), prior_of(res2))
    assert res3.remote["text_message_ids"] == res1.remote["text_message_ids"]
    live = channel_msgs(tg)
    assert [m.message_id for m in live] == res3.remote["message_ids"] == res1.remote["message_ids"]
    assert live[0].text.endswith("Singkat saja.")


async def test_update_without_change_is_success(tg, publisher, factory):
    art = factory.article(assets=(factory.photo(), factory.photo(), factory.pdf()))
    res1 = await publisher.publish(art, None)
    n_sends = len(sends(tg))
    res2 = await publisher.publish(art, prior_of(res1))  # e.g. a retry after the record was saved
    edits = tg.calls_to("editMessageCaption")
    assert edits and all(c.ok is False and "not modified" in c.description for c in edits)
    assert len(sends(tg)) == n_sends
    assert res2.remote["message_ids"] == res1.remote["message_ids"] and res2.url == res1.url


async def test_changed_photos_post_a_correction_album(tg, publisher, factory):
    a, b, c = factory.photo(), factory.photo(), factory.photo()
    res1 = await publisher.publish(factory.article(assets=(a, b)), None)
    res2 = await publisher.publish(factory.article(body="Foto diganti.", assets=(a, c), revision=2), prior_of(res1))
    calls = sends(tg)
    assert [x.method for x in calls] == ["sendMediaGroup", "sendMediaGroup"]
    new = [m for m in channel_msgs(tg) if m.message_id not in res1.remote["message_ids"]]
    assert len(new) == 2 and new[0].text.startswith("Pembaruan: foto untuk Rapat Koordinasi")
    assert tg.message(CHANNEL_ID, res1.remote["caption_message_id"]).text.endswith("Foto diganti.")
    assert res2.remote["photos"] == [a.sha256, c.sha256]
    assert res2.remote["corrections"][0]["message_ids"] == [m.message_id for m in new]
    assert res2.remote["message_ids"] == res1.remote["message_ids"] + [m.message_id for m in new]
    # Same photos again: nothing new.
    await publisher.publish(factory.article(body="Foto diganti.", assets=(a, c), revision=3), prior_of(res2))
    assert len(sends(tg)) == 2


async def test_caption_outgrown_moves_text_to_message(tg, publisher, factory):
    photos = (factory.photo(), factory.photo())
    res1 = await publisher.publish(factory.article(assets=photos), None)
    res2 = await publisher.publish(factory.article(body=long_body(6), assets=photos, revision=2), prior_of(res1))
    assert tg.message(CHANNEL_ID, res1.remote["caption_message_id"]).caption is None
    assert res2.remote["caption_in"] == "text"
    text = tg.message(CHANNEL_ID, res2.remote["text_message_id"])
    assert text.kind == "text" and text.text.count("Paragraf ") == 6
    # And the next update edits that text message.
    n = len(sends(tg))
    await publisher.publish(factory.article(body=long_body(5), assets=photos, revision=3), prior_of(res2))
    assert len(sends(tg)) == n and text.text.count("Paragraf ") == 5


async def test_deleted_text_message_is_sent_again(tg, publisher, factory):
    res1 = await publisher.publish(factory.article(), None)
    tg.message(CHANNEL_ID, res1.remote["text_message_id"]).deleted = True  # removed by hand in the channel
    res2 = await publisher.publish(factory.article(body="Baru.", revision=2), prior_of(res1))
    assert res2.remote["text_message_id"] != res1.remote["text_message_id"]
    assert [m.text.endswith("Baru.") for m in channel_msgs(tg)] == [True]


# ---------------------------------------------------------------- errors

async def test_retry_after_once_then_success(tg, publisher, factory):
    tg.fail_next("sendMediaGroup", error_code=429, retry_after=1)
    res = await publisher.publish(factory.article(assets=(factory.photo(), factory.photo())), None)
    calls = tg.calls_to("sendMediaGroup")
    assert [c.ok for c in calls] == [False, True]
    assert calls[1].at - calls[0].at >= 0.9
    assert len(channel_msgs(tg)) == 2 and res.remote_id


async def test_long_retry_after_is_retryable_error(tg, publisher, factory):
    tg.fail_next("sendMediaGroup", error_code=429, retry_after=600)
    with pytest.raises(PublishError) as ei:
        await publisher.publish(factory.article(assets=(factory.photo(), factory.photo())), None)
    assert ei.value.retryable and "flood" in ei.value.message
    assert channel_msgs(tg) == []


async def test_server_error_is_retryable(tg, publisher, factory):
    tg.fail_next("sendMessage", error_code=500)
    with pytest.raises(PublishError) as ei:
        await publisher.publish(factory.article(), None)
    assert ei.value.retryable


@pytest.mark.parametrize("code,description", [
    (403, "Forbidden: bot is not a member of the channel chat"),
    (400, "Bad Request: need administrator rights in the channel chat"),
    (400, "Bad Request: not enough rights to send photos to the chat"),
])
async def test_bot_not_admin_is_final(tg, publisher, factory, code, description):
    tg.fail_next("sendMediaGroup", error_code=code, description=description)
    with pytest.raises(PublishError) as ei:
        await publisher.publish(factory.article(assets=(factory.photo(), factory.photo())), None)
    assert not ei.value.retryable
    assert ei.value.message.startswith(f"Bot bukan admin kanal @{CHANNEL}")
    assert "@terbit_test_bot" in ei.value.message


async def test_unknown_channel_is_final(tg, bot, factory):
    for channel in ("@tidak_ada", -1009999):
        pub = TelegramChannelPublisher(bot, channel)
        with pytest.raises(PublishError) as ei:
            await pub.publish(factory.article(), None)
        assert not ei.value.retryable and "tidak ditemukan" in ei.value.message


async def test_failure_midway_removes_what_was_sent(tg, publisher, factory):
    tg.fail_next("sendDocument", error_code=403, description="Forbidden: bot was kicked from the channel chat")
    art = factory.article(body=long_body(6), assets=(factory.photo(), factory.photo(), factory.pdf()))
    with pytest.raises(PublishError) as ei:
        await publisher.publish(art, None)
    assert not ei.value.retryable and "dikeluarkan" in ei.value.message
    assert channel_msgs(tg) == [], "album and text of the failed attempt were deleted again"
    res = await publisher.publish(art, None)  # the admin fixed it; retry posts one clean copy
    assert len(channel_msgs(tg)) == 4 == len(res.remote["message_ids"])


async def test_token_never_in_errors_or_logs(tg, publisher, factory, caplog):
    caplog.set_level(logging.DEBUG)
    tg.fail_next("sendMessage", error_code=502, description="Bad Gateway")
    with pytest.raises(PublishError) as ei:
        await publisher.publish(factory.article(), None)
    assert TOKEN not in ei.value.message and TOKEN.split(":")[1] not in repr(publisher)
    own = [r for r in caplog.records if r.name.startswith("publishers")]
    assert own and not any(TOKEN in r.getMessage() for r in own)


# ---------------------------------------------------------------- withdraw

async def test_withdraw_deletes_everything(tg, publisher, factory):
    a, b, c = factory.photo(), factory.photo(), factory.photo()
    res1 = await publisher.publish(factory.article(body=long_body(6), assets=(a, b, factory.pdf())), None)
    res2 = await publisher.publish(factory.article(body=long_body(6), assets=(a, c, factory.pdf()), revision=2),
                                   prior_of(res1))
    assert len(channel_msgs(tg)) == 6
    await publisher.withdraw(factory.article(), prior_of(res2))
    assert channel_msgs(tg) == []
    assert len(channel_msgs(tg, include_deleted=True)) == 6
    await publisher.withdraw(factory.article(), prior_of(res2))  # again: already gone is fine
    await publisher.withdraw(factory.article(), PriorPublication())  # nothing recorded: nothing to do


async def test_withdraw_after_48_hours_marks_text(tg, publisher, factory):
    res = await publisher.publish(factory.article(body=long_body(6), assets=(factory.photo(), factory.photo())),
                                  None)
    tg.fail_next("deleteMessage", error_code=400, description="Bad Request: message can't be deleted", times=3)
    with pytest.raises(PublishError) as ei:
        await publisher.withdraw(factory.article(), prior_of(res))
    assert not ei.value.retryable and "48 jam" in ei.value.message
    assert f"https://t.me/{CHANNEL}/" in ei.value.message
    text = tg.message(CHANNEL_ID, res.remote["text_message_id"])
    assert not text.deleted and text.text == "[Ditarik]"


async def test_withdraw_after_48_hours_marks_caption(tg, publisher, factory):
    res = await publisher.publish(factory.article(assets=(factory.photo(), factory.photo())), None)
    tg.fail_next("deleteMessage", error_code=400, description="Bad Request: message can't be deleted", times=2)
    with pytest.raises(PublishError):
        await publisher.withdraw(factory.article(), prior_of(res))
    assert tg.message(CHANNEL_ID, res.remote["caption_message_id"]).caption == "[Ditarik]"


async def test_numeric_channel_and_private_channel_without_username(tg, bot, factory):
    tg.add_channel(-100777, None, title="Kanal Internal")
    pub = TelegramChannelPublisher(bot, "-100777")
    res = await pub.publish(factory.article(), None)
    assert res.url is None and res.remote_id == "1" and res.remote["chat_id"] == -100777
    res2 = await pub.publish(replace(factory.article(body="Ubah."), revision_number=2), prior_of(res))
    assert res2.remote_id == "1" and len(tg.messages(-100777)) == 1
