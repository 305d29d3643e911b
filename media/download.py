"""Streaming download of an upload (e.g. from the Telegram file API) into the store.

The URL of a Telegram file contains the bot token: it is never logged and
never put into an exception message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import httpx

from .errors import MediaRejected
from .store import Blob, ContentStore, too_large

__all__ = ["TRANSIENT_STATUS", "stream_download"]

log = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


class _Transient(Exception):
    pass


async def _chunks(resp: httpx.Response) -> AsyncIterator[bytes]:
    async for chunk in resp.aiter_bytes(CHUNK_SIZE):
        yield chunk


async def stream_download(
    client: httpx.AsyncClient,
    url: str,
    store: ContentStore,
    max_bytes: int,
    *,
    retries: int = 2,
    backoff: float = 0.5,
) -> Blob:
    """GET ``url`` chunk by chunk into ``store``; never holds the whole body.

    Retries ``retries`` times (so ``retries + 1`` attempts) on network errors
    and 5xx/429 answers, starting over each time. Raises
    ``MediaRejected("too_large")`` (immediately, from Content-Length when the
    server sends it), ``MediaRejected("empty")`` or
    ``MediaRejected("download_failed")``.
    """
    attempt = 0
    while True:
        attempt += 1
        try:
            async with client.stream("GET", url) as resp:
                if resp.status_code in TRANSIENT_STATUS:
                    raise _Transient(f"HTTP {resp.status_code}")
                if resp.status_code != 200:
                    raise MediaRejected("download_failed", status=resp.status_code)
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise too_large(max_bytes, int(declared))
                return await store.ingest_stream(_chunks(resp), max_bytes)
        except MediaRejected:
            raise
        except (httpx.TransportError, _Transient) as exc:
            # TransportError covers timeouts, connection resets, protocol errors
            # (including a body cut short mid-stream).
            reason = type(exc).__name__ if isinstance(exc, httpx.TransportError) else str(exc)
            if attempt > retries:
                log.warning("download failed after %d attempts: %s", attempt, reason)
                raise MediaRejected("download_failed", reason=reason) from None
            log.info("download attempt %d failed (%s); retrying", attempt, reason)
            await asyncio.sleep(backoff * (2 ** (attempt - 1)))
