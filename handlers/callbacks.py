"""Callback data: small, versioned, authenticated, safe to parse.

Format: ``1:<op>:<arg>:<arg>...:<tag>`` where the tag is a truncated
HMAC-SHA256 of everything before it, keyed from the bot token.  A button of
an office other than no. 1 says so in its first part, ``1k<office>``, so a
press always acts in the office the button was drawn for (and office no. 1's
buttons read exactly as before offices existed).  The tag does
not replace authorisation (every press is checked against the database); it
makes forged or garbled data cheap to refuse before any query runs.
Telegram allows 64 bytes; a review button with two ids uses about 30.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass

from handlers.ops import Op

VERSION = "1"
#: ``1`` (office no. 1) or ``1k<office>``.
_HEAD = re.compile(r"^1(?:k([1-9][0-9]{0,8}))?$")
MAX_BYTES = 64
_TAG_LEN = 8
_ARG = re.compile(r"^[A-Za-z0-9_-]{1,20}$")


@dataclass(frozen=True)
class Callback:
    op: Op
    args: tuple[str, ...]
    #: The office the button was drawn for.
    office: int = 1

    def int(self, i: int) -> int:
        return int(self.args[i])


class BadCallback(ValueError):
    pass


class CallbackCodec:
    def __init__(self, secret: str, office: int = 1) -> None:
        self._key = hashlib.sha256(b"terbit-callback:" + secret.encode()).digest()
        self.office = office
        self._head = VERSION if office == 1 else f"{VERSION}k{office}"

    def for_office(self, office: int) -> CallbackCodec:
        """The codec of an office's buttons (same key)."""
        other = CallbackCodec.__new__(CallbackCodec)
        other._key, other.office = self._key, office
        other._head = VERSION if office == 1 else f"{VERSION}k{office}"
        return other

    def _tag(self, payload: str) -> str:
        return hmac.new(self._key, payload.encode(), hashlib.sha256).hexdigest()[:_TAG_LEN]

    def encode(self, op: Op, *args: object) -> str:
        if len(args) != op.nargs:
            raise ValueError(f"{op.name} takes {op.nargs} argument(s), got {len(args)}")
        parts = [self._head, op.value, *(str(a) for a in args)]
        for p in parts[1:]:
            if not _ARG.match(p):
                raise ValueError(f"callback part {p!r} is not safe")
        payload = ":".join(parts)
        data = f"{payload}:{self._tag(payload)}"
        if len(data.encode()) > MAX_BYTES:
            raise ValueError("callback data over 64 bytes")
        return data

    def decode(self, data: str | None, ops: Iterable[Op] | None = None) -> Callback:
        """Parse and verify; ``ops``: the ops accepted here (with their argument counts)."""
        if not data or len(data.encode()) > MAX_BYTES:
            raise BadCallback("empty or too long")
        parts = data.split(":")
        head = _HEAD.match(parts[0]) if len(parts) >= 3 else None
        if head is None:
            raise BadCallback("version")
        payload, tag = ":".join(parts[:-1]), parts[-1]
        if not hmac.compare_digest(tag, self._tag(payload)):
            raise BadCallback("tag")
        args = tuple(parts[2:-1])
        try:
            op = Op.named(parts[1])
        except ValueError:
            raise BadCallback("op") from None
        if op.nargs != len(args) or (ops is not None and op not in set(ops)):
            raise BadCallback("op")
        return Callback(op, args, int(head.group(1) or 1))


def office_in(data: str | None) -> int | None:
    """The office a button's data names (before it is verified: it only chooses where the press is
    looked at; :meth:`CallbackCodec.decode` refuses it if it was changed); None: not our data."""
    if not data:
        return None
    head = _HEAD.match(data.split(":", 1)[0])
    return int(head.group(1) or 1) if head else None


def pattern(*ops: Op) -> re.Pattern[str]:
    """A CallbackQueryHandler pattern selecting these ops (verification happens in decode)."""
    return re.compile(rf"^{VERSION}(?:k[0-9]+)?:(?:{'|'.join(re.escape(op.value) for op in ops)}):")
