"""An outage speaks up: a target failing for OUTBOX_OUTAGE_MINUTES reaches the admins
(with "Coba lagi") and the writer once, and its recovery reaches the admins once."""
from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage.models import PublicationJob
from tests.flow.harness import Office, make_settings, running, staffed_office
from tests.flow.test_targets import approve
from tests.webhook.conftest import SECRET, receiver  # noqa: F401  (fixture)
from texts.id import review as R


class ShiftedClock:
    """Real time plus an offset the test moves (the outage lasts a quarter of an hour)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


async def failed_attempts(o, n: int) -> None:
    """Wait until the CMS's job has recorded its ``n``-th failed attempt (not only sent it)."""
    for _ in range(400):
        async with o.app.bot_data["terbit"].sessions() as s:
            job = await s.scalar(select(PublicationJob).where(PublicationJob.target == "webhook"))
        if job is not None and job.state == "retry" and job.attempts == n:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the CMS's job never recorded attempt {n}")


def texts(person, word: str) -> list[str]:
    """What this person read that contains ``word``."""
    return [m.text for m in person.messages if word in (m.text or "")]


async def test_a_target_down_for_a_quarter_hour_is_told_once_and_its_recovery_too(
        fake_telegram, tmp_path, receiver):  # noqa: F811
    receiver.script = [500, 500, 500]  # the CMS is down for three attempts
    clock = ShiftedClock()
    settings = make_settings(fake_telegram, tmp_path / "data", publishers=["static_site", "webhook", "archive"],
                             webhook_url=receiver.endpoint, webhook_secret=SECRET)
    assert settings.outbox_outage_after == timedelta(minutes=15)  # half the SOP's 30-minute publishing standard
    o = Office(fake_telegram, settings)
    async with running(o, clock=clock):
        await staffed_office(o)
        await approve(o, title="Pengumuman Libur Nasional dan Cuti Bersama")
        await failed_attempts(o, 1)
        await o.tg.settle()
        # A first failure is not an outage yet: nobody is disturbed.
        assert not texts(o.admin, "gagal menerbitkan") and not texts(o.writer, "tertunda")
        clock.offset = timedelta(minutes=16)  # the retry, a quarter of an hour later, fails again
        alert = await o.admin.wait_for_message(lambda m: "gagal menerbitkan" in (m.text or ""), timeout=15)
        assert "CMS (webhook)" in alert.text and "500" in alert.text and "Penyebab" in alert.text
        assert [t for row in alert.buttons for t, _ in row] == [R.BTN_RETRY]
        late = await o.writer.wait_for_message(lambda m: "tertunda" in (m.text or ""), timeout=15)
        assert "Pengumuman Libur Nasional" in late.text and "CMS (webhook)" in late.text
        assert "Terbit" in late.text  # the writer knows what comes next
        listing = await o.say(o.admin, "/terbitan")
        assert "🔁 CMS (webhook): gagal, akan dicoba lagi otomatis — " in listing.text and "500" in listing.text
        # The outage goes on: a third failure says nothing new.
        clock.offset = timedelta(minutes=20)
        await failed_attempts(o, 3)
        await o.tg.settle()
        assert len(texts(o.admin, "gagal menerbitkan")) == 1 and len(texts(o.writer, "tertunda")) == 1
        # The admin retries now; the CMS is back.
        await o.press(o.admin, alert, R.BTN_RETRY)
        back = await o.admin.wait_for_message(lambda m: "berhasil diproses" in (m.text or ""), timeout=15)
        assert "CMS (webhook)" in back.text and "#" in back.text
        await o.writer.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=15)
        await o.tg.settle()
    assert len(texts(o.admin, "berhasil diproses")) == 1
    assert len(texts(o.writer, "tertunda")) == 1 and len(texts(o.writer, "Terbit:")) == 1
    assert not texts(o.writer, "berhasil diproses")  # the writer's news is the "Terbit" itself
    assert len(receiver.items) == 1


async def test_the_reason_of_an_outage_is_plain_indonesian(fake_telegram, tmp_path):
    """A CMS nobody answers at: the admin reads why in words, never an English class name."""
    import socket
    with socket.socket() as s:  # a port on this machine that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    clock = ShiftedClock()
    settings = make_settings(fake_telegram, tmp_path / "data", publishers=["static_site", "webhook", "archive"],
                             webhook_url=f"http://127.0.0.1:{port}/terbit", webhook_secret=SECRET)
    o = Office(fake_telegram, settings)
    async with running(o, clock=clock):
        await staffed_office(o)
        await approve(o, title="Pengumuman Libur Nasional dan Cuti Bersama")
        await failed_attempts(o, 1)
        clock.offset = timedelta(minutes=16)
        alert = await o.admin.wait_for_message(lambda m: "gagal menerbitkan" in (m.text or ""), timeout=15)
        late = await o.writer.wait_for_message(lambda m: "tertunda" in (m.text or ""), timeout=15)
        await o.tg.settle()
    # Since when, the way people read times everywhere.
    assert re.search(r"sejak (Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu), \d{1,2} \w+ \d{4} pukul \d\d\.\d\d WIB "
                     r"\(\d+ menit\)", alert.text), alert.text
    for text in (alert.text, late.text):
        assert "Penyebab: CMS tidak dapat dihubungi saat mengirim artikel: " \
               "server tidak dapat dijangkau atau menolak sambungan; akan dicoba lagi." in text
        assert "Error" not in text and "(" not in text.split("Penyebab:")[1].split("\n")[0]


def test_unreachable_reasons_name_no_class():
    import httpx
    from telegram.error import NetworkError

    from publishers.base import unreachable_reason
    assert unreachable_reason(httpx.ConnectError("refused")) == "server tidak dapat dijangkau atau menolak sambungan"
    assert unreachable_reason(NetworkError("httpx.ConnectError: All connection attempts failed")) \
        == "server tidak dapat dijangkau atau menolak sambungan"
    assert unreachable_reason(httpx.RemoteProtocolError("closed")) == "server memutus sambungan di tengah jalan"
    assert unreachable_reason(OSError("?")) == "gangguan jaringan"
