"""Telegram's signed Mini App ``initData``, validated on the server exactly as Telegram documents it
(https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app).

The page sends the *raw* string Telegram gave it (the ``tgWebAppData`` of the URL fragment), never a
copy the page parsed and re-serialised (``initDataUnsafe``).  Here:

1. the string is split with :func:`urllib.parse.parse_qsl` (``keep_blank_values``): every field, and
   no field twice (a repeated field could be read one way here and signed another way);
2. ``hash`` is taken out; the data-check-string is every other field, ``key=value``, sorted by key and
   joined by ``\\n``.  *Every* field: no allow-list, so a field Telegram adds tomorrow is still
   covered by the signature.  ``signature`` (Telegram's Ed25519 signature for third parties, sent by
   newer clients) stays in: the bot-token HMAC covers it too;
3. secret = HMAC-SHA256(key=b"WebAppData", msg=bot_token); the hex HMAC-SHA256 of the
   data-check-string under it must equal ``hash`` (compared in constant time);
4. only then are the fields read: ``auth_date`` no older than ``max_age`` and not in the future
   beyond :data:`FUTURE_SKEW`; ``user`` a JSON object with an integer ``id``.

A refusal raises :class:`InitDataRefused` with a :class:`Refusal` reason (``forged``, ``expired``,
``malformed``) and a detail for the log; the page tells people only to open the desk again.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from urllib.parse import parse_qsl

#: Telegram's constant key for the Mini App secret.
WEBAPP_KEY = b"WebAppData"
#: A Telegram client's clock and ours may differ a little: an ``auth_date`` this far ahead is accepted.
FUTURE_SKEW = timedelta(seconds=60)
#: initData is a few hundred bytes (a user, a photo URL, a signature); anything far larger is not Telegram's.
MAX_LENGTH = 8192
MAX_FIELDS = 32

_DIGITS = re.compile(r"[0-9]{1,12}")


class Refusal(StrEnum):
    """Why an initData is refused."""

    #: The signature does not hold: not made by Telegram for this bot (or changed on the way).
    FORGED = "forged"
    #: Signed, but older than the desk accepts (or Telegram Desktop's reused ``auth_date``).
    EXPIRED = "expired"
    #: Not initData at all: no hash, a field twice, no usable ``auth_date`` or ``user``.
    MALFORMED = "malformed"


class InitDataRefused(Exception):
    """The initData may not be trusted; ``reason`` says why, ``detail`` is for the log only."""

    def __init__(self, reason: Refusal, detail: str) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class WebAppUser:
    """The person Telegram signed for, with what the once-only exchange needs of the initData."""

    id: int
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str | None
    #: When Telegram signed it (``auth_date``), aware UTC.
    auth_date: datetime
    #: The initData's ``hash``: the key of the once-only exchange (handlers.desk.sessions).
    init_hash: str


def secret_key(bot_token: str) -> bytes:
    """HMAC-SHA256 of the bot token under the constant key ``WebAppData``."""
    if not bot_token:
        # An empty token would make the key a constant anyone can compute.
        raise ValueError("no bot token to validate initData with")
    return hmac.new(WEBAPP_KEY, bot_token.encode("utf-8"), hashlib.sha256).digest()


def data_check_string(fields: list[tuple[str, str]]) -> str:
    """Every field but ``hash``, ``key=value``, sorted by key, one a line."""
    return "\n".join(f"{k}={v}" for k, v in sorted(fields) if k != "hash")


def _fields(raw: str) -> list[tuple[str, str]]:
    if not isinstance(raw, str) or not raw:
        raise InitDataRefused(Refusal.MALFORMED, "empty")
    if len(raw) > MAX_LENGTH:
        raise InitDataRefused(Refusal.MALFORMED, f"{len(raw)} characters")
    try:
        fields = parse_qsl(raw, keep_blank_values=True, strict_parsing=False, max_num_fields=MAX_FIELDS,
                           errors="strict")
    except (ValueError, UnicodeDecodeError) as exc:
        raise InitDataRefused(Refusal.MALFORMED, f"not a query string: {exc}") from exc
    keys = [k for k, _v in fields]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise InitDataRefused(Refusal.MALFORMED, f"field(s) given twice: {', '.join(twice)}")
    return fields


def validate(raw: str, bot_token: str, *, now: datetime, max_age: timedelta,
             skew: timedelta = FUTURE_SKEW) -> WebAppUser:
    """The user of a genuine, fresh initData; :class:`InitDataRefused` otherwise.  ``now`` is aware."""
    fields = _fields(raw)
    given = dict(fields)
    if "hash" not in given:
        raise InitDataRefused(Refusal.MALFORMED, "no hash")
    received = given["hash"]
    expected = hmac.new(secret_key(bot_token), data_check_string(fields).encode("utf-8"), hashlib.sha256).hexdigest()
    # Bytes, not str: compare_digest refuses non-ASCII text (a TypeError is not a refusal).
    if not hmac.compare_digest(expected.encode("ascii"), received.encode("utf-8", "surrogatepass")):
        raise InitDataRefused(Refusal.FORGED, "hash does not match")

    # Signed by Telegram from here on; still checked for shape before it is used.
    auth = given.get("auth_date", "")
    if not _DIGITS.fullmatch(auth):
        raise InitDataRefused(Refusal.MALFORMED, f"auth_date {auth[:20]!r} is not a Unix time")
    signed_at = datetime.fromtimestamp(int(auth), tz=UTC)
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    if signed_at - now > skew:
        raise InitDataRefused(Refusal.MALFORMED, f"auth_date {int((signed_at - now).total_seconds())} s ahead "
                                                 "of the server's clock")
    if now - signed_at > max_age:
        raise InitDataRefused(Refusal.EXPIRED, f"signed {int((now - signed_at).total_seconds())} s ago")

    try:
        user = json.loads(given.get("user", ""))
    except ValueError as exc:
        raise InitDataRefused(Refusal.MALFORMED, "user is not JSON") from exc
    if not isinstance(user, dict):
        raise InitDataRefused(Refusal.MALFORMED, "user is not an object")
    uid = user.get("id")
    if not isinstance(uid, int) or isinstance(uid, bool) or uid <= 0:
        raise InitDataRefused(Refusal.MALFORMED, "user has no id")

    def text(key: str) -> str | None:
        value = user.get(key)
        return value if isinstance(value, str) and value else None

    return WebAppUser(id=uid, first_name=text("first_name") or "", last_name=text("last_name"),
                      username=text("username"), language_code=text("language_code"),
                      auth_date=signed_at, init_hash=received)
