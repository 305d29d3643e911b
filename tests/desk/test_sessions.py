"""initData exchanged once for a short desk session: replays, expiry, other items, bounds."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handlers.desk.initdata import validate
from handlers.desk.sessions import DeskSessions, SessionRefusal, SessionRefused
from tests.fakebot.webapp import sign_init_data

TOKEN = "123456789:AAFakeTokenForTheDeskTests-0123456789"
AGE = timedelta(minutes=10)
TTL = timedelta(minutes=15)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def user(clock: Clock, uid: int = 5001, ago: timedelta = timedelta(seconds=5)):
    raw = sign_init_data(TOKEN, user={"id": uid, "first_name": "Budi"}, auth_date=clock.now - ago)
    return validate(raw, TOKEN, now=clock.now, max_age=AGE)


def refused(reason: SessionRefusal, call, *args, **kw) -> None:
    with pytest.raises(SessionRefused) as info:
        call(*args, **kw)
    assert info.value.reason is reason


def test_an_exchange_gives_a_token_for_decisions_and_a_key_for_reading(clock):
    desk = DeskSessions(TTL, clock)
    s = desk.exchange(user(clock), 42, init_max_age=AGE)
    assert s.user_id == 5001 and s.submission_id == 42 and s.expires_at == clock.now + TTL
    assert len(s.token) >= 43 and len(s.view_key) >= 43 and s.token != s.view_key  # 32 random bytes each
    assert desk.check(s.token, 42) == 5001
    visit = desk.check_view(s.view_key, 42)
    assert (visit.user_id, visit.submission_id) == (5001, 42)
    assert desk.check_view(s.view_key).submission_id == 42
    # Neither secret stands for the other.
    refused(SessionRefusal.UNKNOWN, desk.check, s.view_key, 42)
    refused(SessionRefusal.UNKNOWN, desk.check_view, s.token, 42)


def test_the_store_keeps_no_secret(clock):
    desk = DeskSessions(TTL, clock)
    s = desk.exchange(user(clock), 42, init_max_age=AGE)
    kept = repr(vars(desk))
    assert s.token not in kept and s.view_key not in kept


def test_the_same_init_data_is_exchanged_once(clock):
    desk = DeskSessions(TTL, clock)
    u = user(clock)
    desk.exchange(u, 42, init_max_age=AGE)
    refused(SessionRefusal.REPLAYED, desk.exchange, u, 42, init_max_age=AGE)


def test_a_replay_is_refused_as_long_as_the_init_data_would_be_accepted(clock):
    desk = DeskSessions(TTL, clock)
    u = user(clock, ago=timedelta(seconds=5))
    desk.exchange(u, 42, init_max_age=AGE)
    clock.advance(seconds=AGE.total_seconds() - 5)  # the last instant validate() accepts it
    assert validate(sign_init_data(TOKEN, user={"id": 1, "first_name": "x"}, auth_date=u.auth_date), TOKEN,
                    now=clock.now, max_age=AGE)
    refused(SessionRefusal.REPLAYED, desk.exchange, u, 43, init_max_age=AGE)  # nor for another item


def test_expired_and_unknown_sessions_are_refused(clock):
    desk = DeskSessions(TTL, clock)
    s = desk.exchange(user(clock), 42, init_max_age=AGE)
    clock.advance(minutes=14, seconds=59)
    assert desk.check(s.token, 42) == 5001
    clock.advance(seconds=1)
    refused(SessionRefusal.EXPIRED, desk.check, s.token, 42)
    refused(SessionRefusal.UNKNOWN, desk.check, s.token, 42)  # forgotten once found expired
    refused(SessionRefusal.UNKNOWN, desk.check_view, s.view_key, 42)
    for junk in ("", "x", "a" * 300, None, 42):
        refused(SessionRefusal.UNKNOWN, desk.check, junk, 42)


def test_a_session_is_for_its_item_only(clock):
    desk = DeskSessions(TTL, clock)
    s = desk.exchange(user(clock), 42, init_max_age=AGE)
    refused(SessionRefusal.OTHER_ITEM, desk.check, s.token, 43)
    refused(SessionRefusal.OTHER_ITEM, desk.check_view, s.view_key, 43)
    assert desk.check(s.token, 42) == 5001  # still good for its own


def test_two_people_two_sessions(clock):
    desk = DeskSessions(TTL, clock)
    a = desk.exchange(user(clock, 5001), 42, init_max_age=AGE)
    b = desk.exchange(user(clock, 5002), 42, init_max_age=AGE)
    assert (desk.check(a.token, 42), desk.check(b.token, 42)) == (5001, 5002)
    desk.close(a.token)
    refused(SessionRefusal.UNKNOWN, desk.check, a.token, 42)
    refused(SessionRefusal.UNKNOWN, desk.check_view, a.view_key, 42)
    assert desk.check(b.token, 42) == 5002


def test_open_without_init_data(clock):
    desk = DeskSessions(TTL, clock)
    token = desk.open(5001, 42)
    assert desk.check(token, 42) == 5001


def test_sessions_are_bounded_the_oldest_goes(clock):
    desk = DeskSessions(TTL, clock, max_sessions=3)
    tokens = []
    for n in range(4):
        tokens.append(desk.open(5000 + n, 42))
        clock.advance(seconds=1)
    assert len(desk) == 3
    refused(SessionRefusal.UNKNOWN, desk.check, tokens[0], 42)
    assert [desk.check(t, 42) for t in tokens[1:]] == [5001, 5002, 5003]


def test_seen_hashes_are_bounded_without_forgetting_a_live_one(clock):
    desk = DeskSessions(TTL, clock, max_seen=2)
    first, second = user(clock, 1), user(clock, 2)
    desk.exchange(first, 42, init_max_age=AGE)
    desk.exchange(second, 42, init_max_age=AGE)
    third = user(clock, 3)
    refused(SessionRefusal.BUSY, desk.exchange, third, 42, init_max_age=AGE)
    # Once the first two would be refused as expired anyway, they make room.
    clock.advance(seconds=AGE.total_seconds())
    fourth = user(clock, 4)
    assert desk.exchange(fourth, 42, init_max_age=AGE).user_id == 4
    assert len(desk._seen) == 1


def test_a_session_must_last(clock):
    with pytest.raises(ValueError):
        DeskSessions(timedelta(0), clock)
