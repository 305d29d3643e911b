import pytest

from tests.flow.harness import Office, make_settings, running, staffed_office


@pytest.fixture
async def office(fake_telegram, tmp_path):
    """A staffed office on a running bot.  Afterwards: every button press was answered."""
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data"))
    async with running(o):
        await staffed_office(o)
        yield o
        await o.tg.settle()
        assert o.tg.unanswered_callback_queries == [], "a button press was left spinning on the phone"
