"""Telegram's signed initData: genuine ones accepted, forged, expired and malformed ones refused."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote

import pytest

from handlers.desk.initdata import InitDataRefused, Refusal, validate
from tests.fakebot.webapp import launch_fragment, sign_init_data

TOKEN = "123456789:AAFakeTokenForTheDeskTests-0123456789"
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
AGE = timedelta(minutes=10)
KEPALA = {"id": 5001, "first_name": "Drs. Budi", "last_name": "Santoso", "username": "kepala_dinas",
          "language_code": "id", "allows_write_to_pm": True,
          "photo_url": "https://t.me/i/userpic/320/abc.svg"}


def signed(**kw) -> str:
    kw.setdefault("user", KEPALA)
    kw.setdefault("auth_date", NOW - timedelta(seconds=30))
    return sign_init_data(TOKEN, **kw)


def check(raw: str, *, now: datetime = NOW, token: str = TOKEN):
    return validate(raw, token, now=now, max_age=AGE)


def refused(raw: str, reason: Refusal, **kw) -> InitDataRefused:
    with pytest.raises(InitDataRefused) as info:
        check(raw, **kw)
    assert info.value.reason is reason, info.value
    return info.value


# -- published reference vectors (neither made by our signer nor checked by it first) -------------

def test_the_tma_reference_vector_without_signature():
    raw = ("query_id=AAHdF6IQAAAAAN0XohDhrOrc&user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vladislav%22"
           "%2C%22last_name%22%3A%22Kibenko%22%2C%22username%22%3A%22vdkfrost%22%2C%22language_code%22%3A%22ru%22"
           "%2C%22is_premium%22%3Atrue%7D&auth_date=1662771648"
           "&hash=c501b71e775f74ce10e377dea85a7ea24ecd640b223ea86dfe453e0eaed2e2b2")
    user = validate(raw, "5768337691:AAH5YkoiEuPk8-FZa32hStHTqXiLPtAEhx8",
                    now=datetime.fromtimestamp(1662771648 + 5, UTC), max_age=AGE)
    assert (user.id, user.first_name, user.username, user.language_code) == (279058397, "Vladislav", "vdkfrost", "ru")
    assert user.auth_date == datetime.fromtimestamp(1662771648, UTC)


def test_the_tma_reference_vector_with_signature_keeps_it_in_the_checked_string():
    """A newer client's initData (with ``signature``): the bot-token hash covers ``signature`` too."""
    raw = ("user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vladislav%20%2B%20-%20%3F%20%5C%2F%22%2C%22last_name"
           "%22%3A%22Kibenko%22%2C%22username%22%3A%22vdkfrost%22%2C%22language_code%22%3A%22ru%22%2C%22is_premium"
           "%22%3Atrue%2C%22allows_write_to_pm%22%3Atrue%2C%22photo_url%22%3A%22https%3A%5C%2F%5C%2Ft.me%5C%2Fi%5C%2F"
           "userpic%5C%2F320%5C%2F4FPEE4tmP3ATHa57u6MqTDih13LTOiMoKoLDRG4PnSA.svg%22%7D&chat_instance="
           "8134722200314281151&chat_type=private&auth_date=1733509682&signature=TYJxVcisqbWjtodPepiJ6ghziUL94-KNpG8"
           "Pau-X7oNNLNBM72APCpi_RKiUlBvcqo5L-LAxIc3dnTzcZX_PDg"
           "&hash=a433d8f9847bd6addcc563bff7cc82c89e97ea0d90c11fe5729cae6796a36d73")
    user = validate(raw, "7342037359:AAHI25ES9xCOMPokpYoz-p8XVrZUdygo2J4",
                    now=datetime.fromtimestamp(1733509682, UTC), max_age=AGE)
    assert user.first_name == "Vladislav + - ? /" and user.id == 279058397
    # Leaving signature out of the checked string (as some libraries do) would refuse Telegram's own data.
    without = "&".join(p for p in raw.split("&") if not p.startswith("signature="))
    with pytest.raises(InitDataRefused) as info:
        validate(without, "7342037359:AAHI25ES9xCOMPokpYoz-p8XVrZUdygo2J4",
                 now=datetime.fromtimestamp(1733509682, UTC), max_age=AGE)
    assert info.value.reason is Refusal.FORGED


# -- genuine ---------------------------------------------------------------------------------

def test_a_genuine_init_data_names_its_user():
    raw = signed()
    user = check(raw)
    assert (user.id, user.first_name, user.last_name, user.username, user.language_code) == (
        5001, "Drs. Budi", "Santoso", "kepala_dinas", "id")
    assert user.init_hash == dict(parse_qsl(raw))["hash"]
    assert user.auth_date == NOW - timedelta(seconds=30)


def test_every_field_is_checked_even_ones_nobody_knows_yet():
    raw = signed(extra={"chat_type": "private", "chat_instance": "-81347", "zz_new_field": "x", "start_param": ""})
    assert check(raw).id == 5001
    for name, value in (("zz_new_field", "y"), ("chat_type", "group"), ("start_param", "admin")):
        fields = dict(parse_qsl(raw, keep_blank_values=True))
        fields[name] = value
        refused("&".join(f"{k}={quote(v)}" for k, v in fields.items()), Refusal.FORGED)


def test_the_raw_string_is_checked_not_a_reserialised_copy():
    """initDataUnsafe re-serialised by a page ("/" no longer escaped, keys reordered) is not what Telegram signed."""
    raw = signed()
    fields = dict(parse_qsl(raw))
    fields["user"] = json.dumps(json.loads(fields["user"]), separators=(",", ":"), ensure_ascii=False)
    assert "\\/" in dict(parse_qsl(raw))["user"] and "\\/" not in fields["user"]
    refused("&".join(f"{k}={quote(v)}" for k, v in fields.items()), Refusal.FORGED)


def test_field_order_and_encoding_of_the_query_string_do_not_matter():
    raw = signed()
    pairs = raw.split("&")
    assert check("&".join(reversed(pairs))).id == 5001
    assert check(raw.replace("%20", "+")).id == 5001  # a space may be written either way


def test_unicode_names_are_kept():
    user = check(signed(user={"id": 7, "first_name": "Ni Luh Putu Ayu 🌺", "username": None}))
    assert user.first_name == "Ni Luh Putu Ayu 🌺" and user.username is None and user.last_name is None


# -- forged -----------------------------------------------------------------------------------

def test_forged_init_data_is_refused():
    raw = signed()
    refused(raw, Refusal.FORGED, token="987654321:AnotherBotsToken")                 # another bot's
    refused(raw.replace("5001", "5002"), Refusal.FORGED)                             # another person
    fields = dict(parse_qsl(raw))
    refused(raw.replace(fields["hash"], fields["hash"][:-1] + ("0" if fields["hash"][-1] != "0" else "1")),
            Refusal.FORGED)
    refused(raw.replace(fields["hash"], fields["hash"].upper()), Refusal.FORGED)
    refused(raw.replace(fields["hash"], "é" * 64), Refusal.FORGED)                   # not ASCII: no TypeError
    refused(raw.replace(fields["hash"], ""), Refusal.FORGED)
    # The signature scheme of the Login Widget (SHA-256 of the token as the key) is not this one.
    import hashlib
    import hmac
    check_string = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "hash")
    widget = hmac.new(hashlib.sha256(TOKEN.encode()).digest(), check_string.encode(), hashlib.sha256).hexdigest()
    refused(raw.replace(fields["hash"], widget), Refusal.FORGED)


def test_an_empty_bot_token_is_never_a_key():
    with pytest.raises(ValueError):
        check(sign_init_data("", user=KEPALA, auth_date=NOW), token="")


# -- expired ----------------------------------------------------------------------------------

def test_expired_init_data_is_refused():
    assert check(signed(auth_date=NOW - AGE)).id == 5001  # exactly the accepted age
    error = refused(signed(auth_date=NOW - AGE - timedelta(seconds=1)), Refusal.EXPIRED)
    assert "601 s ago" in error.detail
    # Telegram Desktop opening the desk again with the initData of last week.
    refused(signed(auth_date=NOW - timedelta(days=7)), Refusal.EXPIRED)


def test_a_date_from_the_future_is_refused_beyond_a_little_skew():
    assert check(signed(auth_date=NOW + timedelta(seconds=45))).id == 5001
    refused(signed(auth_date=NOW + timedelta(minutes=5)), Refusal.MALFORMED)


# -- malformed --------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "reason"), [
    ("", Refusal.MALFORMED),
    ("x" * 9000, Refusal.MALFORMED),                     # far longer than any initData
    ("user=%7B%7D&auth_date=1", Refusal.MALFORMED),      # no hash
    ("a=%ff%fe&hash=00", Refusal.MALFORMED),             # not UTF-8
    ("hash=", Refusal.FORGED),                           # a hash, but not Telegram's
    ("%ZZ=1&hash=ab", Refusal.FORGED),
])
def test_not_init_data_at_all(raw, reason):
    refused(raw, reason)


def test_a_field_given_twice_is_refused_before_anything_is_read():
    raw = signed()
    refused(raw + "&hash=" + dict(parse_qsl(raw))["hash"], Refusal.MALFORMED)   # hash twice
    refused(raw + "&user=" + quote(json.dumps({"id": 1})), Refusal.MALFORMED)   # a second user
    refused(raw + "&" + "&".join(f"f{i}=1" for i in range(40)), Refusal.MALFORMED)  # far too many fields


@pytest.mark.parametrize("auth_date", ["", "abc", "-5", "+1764554400", " 1764554400", "1764554400.5", "1_764_554_400"])
def test_a_signed_but_unusable_auth_date_is_malformed(auth_date):
    raw = sign_init_data(TOKEN, user=KEPALA, auth_date=0, extra={"auth_date": auth_date})
    refused(raw, Refusal.MALFORMED)


@pytest.mark.parametrize("user", [None, "[]", '"5001"', "{}", '{"id":"5001"}', '{"id":true}', '{"id":-3}', "{id:1}"])
def test_a_signed_but_unusable_user_is_malformed(user):
    extra = {} if user is None else {"user": user}
    raw = sign_init_data(TOKEN, user=None, auth_date=NOW, extra=extra)
    refused(raw, Refusal.MALFORMED)


def test_the_launch_fragment_carries_the_raw_init_data_once_encoded():
    """What the gate page reads: URLSearchParams(location.hash).get('tgWebAppData') is the raw string."""
    raw = signed()
    fragment = launch_fragment(raw, theme={"bg_color": "#ffffff"})
    assert dict(parse_qsl(fragment))["tgWebAppData"] == raw
    assert check(dict(parse_qsl(fragment))["tgWebAppData"]).id == 5001
