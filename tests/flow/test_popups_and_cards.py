"""Reviewing on a phone: every press gets a popup that says what happened; a press
on a round someone already decided says who decided what; a button from an
earlier round says it is no longer valid; a decided card shows its outcome as
its last line, with no button left, in one edit."""
from __future__ import annotations

from handlers.ops import Op
from tests.flow.harness import body_text, submit_new
from texts.id import review as R


def sid_of(card) -> int:
    return int(card.text.split("#", 1)[1].split()[0])


def data_of(card, label: str) -> str:
    """The callback data a button carried when the card was drawn (what an offline phone still shows)."""
    return next(data for row in card.buttons for text, data in row if text == label)


def now_reads(user, card):
    return user.tg.message(user.chat_id, card.message_id)


def edits_of(tg, card) -> list[str]:
    """The Bot API calls that changed this message after it was sent."""
    return [c.method for c in tg.calls if c.method.startswith("edit") and c.ok
            and c.params.get("chat_id") in (card.chat_id, str(card.chat_id))
            and int(c.params.get("message_id") or 0) == card.message_id]


async def test_a_decided_card_shows_its_outcome_as_text_in_one_edit(office):
    ks, kp = office.kasubbag, office.kepala
    card = await submit_new(office, title="Rapat Koordinasi Program Kerja 2027")
    await office.press(ks, card, R.BTN_FORWARD)
    assert ks.callback_answers[-1]["text"] == R.POPUP_FORWARDED
    decided = now_reads(ks, card)
    assert decided.buttons == []
    assert "Rapat Koordinasi Program Kerja 2027" in decided.text  # the card as the Kasubbag read it ...
    assert decided.text.endswith("✅ Diteruskan ke Kepala oleh Kasim Kasubbag")  # ... and what became of it
    assert edits_of(office.tg, card) == ["editMessageText"]  # text and keyboard in the same call

    kcard = kp.last_message
    await office.press(kp, kcard, R.BTN_APPROVE)
    assert kp.callback_answers[-1]["text"] == R.POPUP_APPROVED
    assert now_reads(kp, kcard).buttons == []
    # The approval wakes the outbox at once: by the time the card is drawn it may be live already.
    outcome = now_reads(kp, kcard).text
    assert outcome.endswith("✅ Disetujui oleh Kartini Kepala; sedang diterbitkan") or (
        "✅ Disetujui oleh Kartini Kepala" in outcome and "🌐 Terbit" in outcome)
    # text and keyboard in the same call (a second one, once it is live, may already have come)
    assert set(edits_of(office.tg, kcard)) == {"editMessageText"}


async def test_a_returned_card_keeps_the_note_in_its_text(office):
    ks = office.kasubbag
    card = await submit_new(office)
    await office.press(ks, card, R.BTN_RETURN)
    await office.say(ks, "Nomor HP narasumber jangan diterbitkan.")
    decided = now_reads(ks, card)
    assert decided.buttons == []
    assert decided.text.endswith("↩️ Dikembalikan oleh Kasim Kasubbag: Nomor HP narasumber jangan diterbitkan.")


async def test_pressing_a_round_already_decided_says_who_decided_what(office):
    ks, kp = office.kasubbag, office.kepala
    ks2 = office.tg.user(2002, "Kasubbag Dua", "dua")
    await office.onboard(ks2, "kasubbag")
    card = await submit_new(office)
    card2 = ks2.last_message
    forward, forward2, return2 = (data_of(card, R.BTN_FORWARD), data_of(card2, R.BTN_FORWARD),
                                  data_of(card2, R.BTN_RETURN))
    await office.press(ks, card, R.BTN_FORWARD)
    # The other Kasubbag's phone had not caught up: their card still offered the buttons.
    await ks2.press_raw(card2, return2)
    await office.tg.settle()
    assert ks2.callback_answers[-1]["text"] == R.POPUP_DECIDED.format(name="Kasim Kasubbag",
                                                                      outcome="diteruskan ke Kepala")
    assert ks2.callback_answers[-1]["show_alert"]
    # The one who decided presses again (a double tap): it was their own decision.
    await ks.press_raw(card, forward)
    await office.tg.settle()
    assert ks.callback_answers[-1]["text"] == R.POPUP_DECIDED_BY_YOU.format(outcome="diteruskan ke Kepala")
    # Later in the same round the Kepala approves; the old Kasubbag card now says so.
    await office.press(kp, kp.last_message, R.BTN_APPROVE)
    await ks2.press_raw(card2, forward2)
    await office.tg.settle()
    assert ks2.callback_answers[-1]["text"] == R.POPUP_DECIDED.format(name="Kartini Kepala",
                                                                      outcome="disetujui untuk diterbitkan")


async def test_a_button_from_an_earlier_round_is_no_longer_valid(office):
    w, ks = office.writer, office.kasubbag
    card = await submit_new(office)
    sid = sid_of(card)
    old_forward = data_of(card, R.BTN_FORWARD)
    await office.press(ks, card, R.BTN_RETURN)
    await office.say(ks, "Lengkapi daftar peserta.")
    m = await office.press(w, w.last_message, R.BTN_REVISE)
    m = await office.press(w, m, "✏️ Ubah")
    m = await office.press(w, m, "Isi")
    m = await office.press(w, m, "✍️ Tulis ulang seluruh isi")
    m = await office.press(w, m, "✍️ Tulis bebas")
    m = await office.say(w, body_text(4))
    await office.press(w, m, "✅ Ajukan ke Kasubbag")
    new_card = ks.last_message
    assert sid_of(new_card) == sid and new_card.message_id != card.message_id
    # The first round's card, pressed from a phone that still showed it: the item waits for
    # the Kasubbag again, yet that button belongs to the earlier round.
    await ks.press_raw(card, old_forward)
    await office.tg.settle()
    said = ks.callback_answers[-1]
    assert said["text"] == R.POPUP_STALE.format(id=sid, state="Menunggu Kasubbag") + R.POPUP_USE_NEWEST
    assert said["show_alert"] and len(said["text"]) <= 200
    assert new_card.buttons  # nothing was recorded: the new card still waits for a decision
    await office.press(ks, new_card, R.BTN_FORWARD)
    assert ks.callback_answers[-1]["text"] == R.POPUP_FORWARDED


async def test_every_review_press_gets_a_popup_with_text(office):
    ks, kp = office.kasubbag, office.kepala
    card = await submit_new(office)
    sid = sid_of(card)
    forward = data_of(card, R.BTN_FORWARD)
    await office.press(ks, card, R.BTN_FORWARD)
    await ks.press_raw(card, forward)
    await kp.press_raw(kp.last_message, office.app.bot_data["terbit"].codec.encode(Op.APPROVE, sid, 999))
    await office.press(kp, kp.last_message, R.BTN_APPROVE)
    # A button drawn by an earlier version of the bot (the outcome as a button) still answers.
    await ks.press_raw(card, office.app.bot_data["terbit"].codec.encode(Op.STATUS, sid))
    await office.tg.settle()
    answers = ks.callback_answers + kp.callback_answers
    assert len(answers) == 5 and all(a["text"] for a in answers), answers
    assert office.tg.unanswered_callback_queries == []


async def test_every_press_in_drafting_gets_a_popup_that_says_what_counted(office):
    w = office.writer
    await submit_new(office, photos=1)
    answers = [a.get("text") for a in w.callback_answers]
    assert len(answers) >= 4  # kind, body mode, done, submit
    assert all(answers), answers  # never an empty popup, even when the next question is slow to come
    assert "✓ 📝 Artikel" in answers and "✓ ✍️ Tulis bebas" in answers
