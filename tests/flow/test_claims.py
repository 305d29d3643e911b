"""Who is on it (issue 21): two Kasubbag share the office's queue.  The first to press
"🙋 Saya periksa" takes the item on; the other's card says who and waits without buttons; a
decision from an old button is refused naming the claimant; "Lepaskan" (or the claim's time
running out on the SOP clock) gives the buttons back; the clock reminds the claimant only; the
Kepala, alone in the role, never sees the claim button; /riwayat keeps it all."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.workers import clock as sop_clock
from domain.sop_clock import FrozenClock
from tests.flow.harness import Office, make_settings, running, staffed_office, submit_new
from texts.id import review as R

pytestmark = pytest.mark.asyncio
JKT = ZoneInfo("Asia/Jakarta")
SECOND_KASUBBAG_ID = 2002


def J(*args) -> datetime:
    return datetime(*args, tzinfo=JKT)


def labels(msg) -> list[str]:
    return [text for row in msg.buttons for text, _ in row]


def data_of(msg, label: str) -> str:
    return next(data for row in msg.buttons for text, data in row if text == label)


async def with_second_kasubbag(o: Office):
    k2 = o.tg.user(SECOND_KASUBBAG_ID, "Kiki Kasubbag", "kiki")
    o.people["kasubbag2"] = k2
    await o.onboard(k2, "kasubbag")
    return k2


def card_of(user):
    return next(m for m in reversed(user.messages) if R.BTN_FORWARD in labels(m) or "Sedang diperiksa" in (m.text or ""))


async def test_two_kasubbag_the_first_claims_the_other_waits_and_gets_the_buttons_back(office):
    o = office
    ks, kp, w = o.kasubbag, o.kepala, o.writer
    k2 = await with_second_kasubbag(o)
    await submit_new(o)
    card1, card2 = card_of(ks), card_of(k2)
    assert labels(card1)[0] == R.BTN_CLAIM and labels(card2)[0] == R.BTN_CLAIM
    forward_before = data_of(card1, R.BTN_FORWARD)

    await o.press(k2, card2, R.BTN_CLAIM)
    assert k2.callback_answers[-1]["text"].startswith("Anda memeriksa #1 sampai")
    assert "Sedang diperiksa oleh Kiki Kasubbag" in card1.text and card1.buttons == []
    assert "Anda sedang memeriksa ini" in card2.text and R.BTN_RELEASE in labels(card2)
    assert R.BTN_FORWARD in labels(card2) and R.BTN_CLAIM not in labels(card2)

    # The other Kasubbag presses the Teruskan it had before the claim: refused, naming the claimant.
    await ks.press_raw(card1, forward_before)
    await o.tg.settle()
    assert ks.callback_answers[-1]["text"] == "#1 sedang diperiksa oleh Kiki Kasubbag. Tunggu sampai dilepaskan."
    assert not any(R.BTN_APPROVE in labels(m) for m in kp.messages)  # nothing moved

    await o.press(k2, card2, R.BTN_RELEASE)
    assert k2.callback_answers[-1]["text"] == R.POPUP_RELEASED.format(id=1)
    assert "Sedang diperiksa" not in card1.text and labels(card1)[0] == R.BTN_CLAIM
    assert R.BTN_FORWARD in labels(card1) and "Anda sedang memeriksa" not in card2.text

    await o.press(ks, card1, R.BTN_FORWARD)
    kcard = kp.last_message
    assert R.BTN_APPROVE in labels(kcard) and R.BTN_CLAIM not in labels(kcard)  # the Kepala alone: no claim
    history = await o.say(w, "/riwayat 1")
    assert "Kiki Kasubbag menandai «Saya periksa»" in history.text
    assert "Kiki Kasubbag melepaskan pemeriksaan" in history.text
    assert history.text.index("melepaskan pemeriksaan") < history.text.index("meneruskan ke Kepala")


@pytest.fixture
def make_office(fake_telegram, tmp_path):
    def make(start: datetime, **over) -> tuple[Office, FrozenClock]:
        settings = make_settings(fake_telegram, tmp_path / "data", reminder_poll_seconds=3600, **over)
        return Office(fake_telegram, settings), FrozenClock(start)
    return make


async def test_the_reminder_goes_to_the_claimant_and_the_claim_times_out_on_the_clock(make_office):
    o, clock = make_office(J(2026, 12, 1, 9, 0), claim_timeout_minutes=60)  # a Tuesday; the standard is 30 min
    async with running(o, clock=clock):
        await staffed_office(o)
        ks = o.kasubbag
        k2 = await with_second_kasubbag(o)
        await submit_new(o)
        card1, card2 = card_of(ks), card_of(k2)
        await o.press(k2, card2, R.BTN_CLAIM)
        assert "sampai Selasa, 1 Desember 2026 pukul 10.00 WIB" in card1.text

        clock.set(J(2026, 12, 1, 9, 31))  # past the step's standard: the claimant is reminded, only they
        await sop_clock.run_now(o.app)
        await o.tg.settle()
        assert k2.last_message.text.startswith("⏰ Pengingat — Pengajuan #1")
        assert R.BTN_RELEASE in labels(k2.last_message)
        assert not any((m.text or "").startswith("⏰") for m in ks.messages)
        assert card1.buttons == []

        clock.set(J(2026, 12, 1, 10, 1))  # the claim's hour is over: everyone's buttons come back
        await sop_clock.run_now(o.app)
        await o.tg.settle()
        assert "Sedang diperiksa" not in card1.text and labels(card1)[0] == R.BTN_CLAIM
        assert "Anda sedang memeriksa" not in card2.text and R.BTN_RELEASE not in labels(card2)
        history = await o.say(o.writer, "/riwayat 1")
        assert "waktu pemeriksaan oleh Kiki Kasubbag habis" in history.text
        await o.press(ks, card1, R.BTN_FORWARD)
        assert R.BTN_APPROVE in labels(o.kepala.last_message)
