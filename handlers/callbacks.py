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
from dataclasses import dataclass

VERSION = "1"
MAX_BYTES = 64
_TAG_LEN = 8
_ARG = re.compile(r"^[A-Za-z0-9_-]{1,20}$")


@dataclass(frozen=True)
class Callback:
    op: str
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

    def encode(self, op: str, *args: object) -> str:
        parts = [VERSION, op, *(str(a) for a in args)]
        for p in parts[1:]:
            if not _ARG.match(p):
                raise ValueError(f"callback part {p!r} is not safe")
        payload = ":".join(parts)
        data = f"{payload}:{self._tag(payload)}"
        if len(data.encode()) > MAX_BYTES:
            raise ValueError("callback data over 64 bytes")
        return data

    def decode(self, data: str | None, ops: dict[str, int] | None = None) -> Callback:
        """Parse and verify; ``ops`` maps each accepted op to its argument count."""
        if not data or len(data.encode()) > MAX_BYTES:
            raise BadCallback("empty or too long")
        parts = data.split(":")
        if len(parts) < 3 or parts[0] != VERSION:
            raise BadCallback("version")
        payload, tag = ":".join(parts[:-1]), parts[-1]
        if not hmac.compare_digest(tag, self._tag(payload)):
            raise BadCallback("tag")
        op, args = parts[1], tuple(parts[2:-1])
        if ops is not None and ops.get(op) != len(args):
            raise BadCallback("op")
        return Callback(op, args)

    def pattern(self, *ops: str) -> re.Pattern:
        """A CallbackQueryHandler pattern selecting these ops (verification happens in decode)."""
        return re.compile(rf"^{VERSION}:(?:{'|'.join(map(re.escape, ops))}):")
