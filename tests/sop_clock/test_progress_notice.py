"""The writer's "forwarded to the Kepala" is a progress note: when the Kepala
decides within two minutes, the writer hears only the decision."""
from __future__ import annotations

from datetime import timedelta

from services.transitions.effects import PROGRESS_GRACE
from tests.flow.harness import running, staffed_office, submit_new
from tests.sop_clock.conftest import J

FORWARDED = "diteruskan ke Kepala oleh Kasubbag"


async def _forwarded(office) -> None:
    card = await submit_new(office)
    await office.press(office.kasubbag, card, "✅ Teruskan ke Kepala")


def _heard(user, text: str) -> int:
    return sum(text in (m.text or "") for m in user.messages)


async def test_the_writer_hears_forwarded_when_the_kepala_takes_longer(make_office):
    office, clock = make_office(J(2026, 12, 1, 9, 0))
    async with running(office, clock=clock):
        await staffed_office(office)
        await _forwarded(office)
        assert _heard(office.writer, FORWARDED) == 0  # not yet: the Kepala may decide at once
        clock.advance(PROGRESS_GRACE + timedelta(seconds=1))
        office.app.bot_data["postman"].kick()
        await office.writer.wait_for_message(lambda m: FORWARDED in (m.text or ""), timeout=10)
        await office.tg.settle()
        assert _heard(office.writer, FORWARDED) == 1


async def test_a_quick_kepala_decision_replaces_the_progress_note(make_office):
    office, clock = make_office(J(2026, 12, 1, 9, 0))
    async with running(office, clock=clock):
        await staffed_office(office)
        await _forwarded(office)
        clock.advance(timedelta(seconds=40))
        await office.press(office.kepala, office.kepala.last_message, "↩️ Kembalikan")
        await office.say(office.kepala, "Tambahkan foto kegiatan.")
        returned = await office.writer.wait_for_message(lambda m: "Tambahkan foto kegiatan" in (m.text or ""),
                                                       timeout=10)
        assert "Kepala" in returned.text
        clock.advance(PROGRESS_GRACE)
        office.app.bot_data["postman"].kick()
        await office.tg.settle()
        assert _heard(office.writer, FORWARDED) == 0
