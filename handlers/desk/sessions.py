"""A validated initData, exchanged once for a short server session of the review desk.

Why exchange at all: Telegram Desktop opens a Mini App again with the initData (and ``auth_date``) it
was first given, so initData cannot be what every request carries — it would expire under a
reviewer's hands, or, accepted for long, be a long-lived credential.  So the page trades it, once,
for a session of a few minutes bound to one person and one item:

* ``token`` — 32 random bytes (URL-safe), sent by the page's script in a header with every decision;
* ``view_key`` — 32 other random bytes, in the path of the read-only GETs (the desk page, the preview
  frame, its photos and files), which cannot carry a header.  It reads this item only, and decides
  nothing.

Both are kept by their SHA-256 only, so a lookup does not compare secrets byte by byte, and a dump
of this process's memory holds no usable token.

Replay: the initData's ``hash`` may be exchanged once.  Seen hashes are kept until the initData
would be refused as expired anyway (``auth_date`` + the accepted age): no longer, so the set stays
small.  It is bounded; when it is full of hashes still live, a new exchange is refused (``busy``)
rather than a live hash forgotten, which would let it be replayed.

In memory, on purpose: the bot runs as one process (bot/instance.py's instance lock), the sessions live
minutes, and a restart costs a reviewer only a tap on "Buka meja periksa" again.  (It also forgets
the seen hashes: an initData exchanged before a restart could be exchanged once more until it
expires — within the accepted age, and only by whoever holds that person's initData.)  Several
processes behind one address would need this store in the database.
"""
from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from handlers.desk.initdata import WebAppUser

#: Bytes of randomness in a token and in a view key.
TOKEN_BYTES = 32


class SessionRefusal(StrEnum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    #: A session opened for another item.
    OTHER_ITEM = "other_item"
    #: This initData was exchanged before.
    REPLAYED = "replayed"
    #: Too many initData still live were exchanged for the store to remember another.
    BUSY = "busy"


class SessionRefused(Exception):
    def __init__(self, reason: SessionRefusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class DeskSession:
    """A session as it is opened: the only time its token and view key are at hand."""

    token: str
    view_key: str
    user_id: int
    submission_id: int
    expires_at: datetime
    #: A writer's look at their own draft: it decides nothing.
    read_only: bool = False


@dataclass(frozen=True)
class Visit:
    """Whose a checked session is, and for which item (what the store keeps: no secret)."""

    user_id: int
    submission_id: int
    expires_at: datetime
    token_digest: bytes
    view_digest: bytes
    read_only: bool = False


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).digest()


class DeskSessions:
    """The desk's sessions and the initData hashes already exchanged, in this process's memory."""

    def __init__(self, ttl: timedelta, clock: Callable[[], datetime], *, max_sessions: int = 4096,
                 max_seen: int = 65536) -> None:
        if ttl <= timedelta(0):
            raise ValueError("a desk session must last a while")
        self.ttl = ttl
        self.clock = clock
        self.max_sessions = max(1, max_sessions)
        self.max_seen = max(1, max_seen)
        self._by_token: dict[bytes, Visit] = {}
        self._by_view: dict[bytes, Visit] = {}
        self._seen: dict[str, datetime] = {}  # initData hash -> when it expires anyway
        # The webhook's handlers run on one event loop; the lock only keeps a thread (a test, a
        # to_thread caller) from seeing a half-made session.
        self._lock = threading.Lock()

    # -- the exchange ---------------------------------------------------------------------

    def exchange(self, user: WebAppUser, submission_id: int, *, init_max_age: timedelta,
                 read_only: bool = False) -> DeskSession:
        """A new session for a *validated* initData, once per initData (``replayed`` the second time).

        ``init_max_age`` is the age ``validate`` accepts: the hash is remembered until then.
        ``read_only``: a writer's session (their own draft's preview), which decides nothing."""
        now = self.clock()
        with self._lock:
            if user.init_hash in self._seen:
                raise SessionRefused(SessionRefusal.REPLAYED)
            if len(self._seen) >= self.max_seen:
                self._seen = {h: until for h, until in self._seen.items() if until >= now}
                if len(self._seen) >= self.max_seen:
                    raise SessionRefused(SessionRefusal.BUSY)
            self._seen[user.init_hash] = user.auth_date + init_max_age
            return self._open(user.id, submission_id, now, read_only)

    def open(self, user_id: int, submission_id: int) -> str:
        """A new session's token (the caller has established who ``user_id`` is)."""
        now = self.clock()
        with self._lock:
            return self._open(user_id, submission_id, now).token

    def _open(self, user_id: int, submission_id: int, now: datetime, read_only: bool = False) -> DeskSession:
        if len(self._by_token) >= self.max_sessions:
            self._drop_expired(now)
            while len(self._by_token) >= self.max_sessions:  # still full: the oldest goes (a reviewer reopens)
                oldest = min(self._by_token.values(), key=lambda s: s.expires_at)
                self._forget(oldest)
        session = DeskSession(token=secrets.token_urlsafe(TOKEN_BYTES), view_key=secrets.token_urlsafe(TOKEN_BYTES),
                              user_id=user_id, submission_id=submission_id, expires_at=now + self.ttl,
                              read_only=read_only)
        visit = Visit(user_id, submission_id, session.expires_at, _digest(session.token), _digest(session.view_key),
                      read_only)
        self._by_token[visit.token_digest] = visit
        self._by_view[visit.view_digest] = visit
        return session

    # -- checks ---------------------------------------------------------------------------------

    def check(self, token: str, submission_id: int) -> int:
        """The person a decision request comes from; :class:`SessionRefused` otherwise."""
        return self.visit(token, submission_id).user_id

    def visit(self, token: str, submission_id: int) -> Visit:
        """The session a decision request comes from (who, and whether it is read-only)."""
        return self._check(self._by_token, token, submission_id)

    def check_view(self, view_key: str, submission_id: int | None = None) -> Visit:
        """The session a read-only request (page, preview, file) belongs to; :class:`SessionRefused`
        otherwise.  ``submission_id``: the item the request names, when it names one."""
        return self._check(self._by_view, view_key, submission_id)

    def _check(self, table: dict[bytes, Visit], secret: str, submission_id: int | None) -> Visit:
        if not isinstance(secret, str) or not secret or len(secret) > 256:
            raise SessionRefused(SessionRefusal.UNKNOWN)
        now = self.clock()
        with self._lock:
            session = table.get(_digest(secret))
            if session is None:
                raise SessionRefused(SessionRefusal.UNKNOWN)
            if session.expires_at <= now:
                self._forget(session)
                raise SessionRefused(SessionRefusal.EXPIRED)
        if submission_id is not None and session.submission_id != submission_id:
            raise SessionRefused(SessionRefusal.OTHER_ITEM)
        return session

    def close(self, token: str) -> None:
        """End a session (its view key too)."""
        with self._lock:
            session = self._by_token.get(_digest(token)) if isinstance(token, str) else None
            if session is not None:
                self._forget(session)

    # -- housekeeping ---------------------------------------------------------------------------

    def _forget(self, visit: Visit) -> None:
        self._by_token.pop(visit.token_digest, None)
        self._by_view.pop(visit.view_digest, None)

    def _drop_expired(self, now: datetime) -> None:
        for session in [s for s in self._by_token.values() if s.expires_at <= now]:
            self._forget(session)
        self._seen = {h: until for h, until in self._seen.items() if until >= now}

    def __len__(self) -> int:
        return len(self._by_token)
