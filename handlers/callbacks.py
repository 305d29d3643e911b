"""Callback data: small, versioned, authenticated, safe to parse.

Format: ``1:<op>:<arg>:<arg>...:<tag>`` where the tag is a truncated
HMAC-SHA256 of everything before it, keyed from the bot token.  The tag does
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
MAX_BYTES = 64
_TAG_LEN = 8
_ARG = re.compile(r"^[A-Za-z0-9_-]{1,20}$")


@dataclass(frozen=True)
class Callback:
    op: Op
    args: tuple[str, ...]

    def int(self, i: int) -> int:
        return int(self.args[i])


class BadCallback(ValueError):
    pass


class CallbackCodec:
    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(b"terbit-callback:" + secret.encode()).digest()

    def _tag(self, payload: str) -> str:
        return hmac.new(self._key, payload.encode(), hashlib.sha256).hexdigest()[:_TAG_LEN]

    def encode(self, op: Op, *args: object) -> str:
        if len(args) != op.nargs:
            raise ValueError(f"{op.name} takes {op.nargs} argument(s), got {len(args)}")
        parts = [VERSION, op.value, *(str(a) for a in args)]
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
        if len(parts) < 3 or parts[0] != VERSION:
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
        return Callback(op, args)


def pattern(*ops: Op) -> re.Pattern[str]:
    """A CallbackQueryHandler pattern selecting these ops (verification happens in decode)."""
    return re.compile(rf"^{VERSION}:(?:{'|'.join(re.escape(op.value) for op in ops)}):")
