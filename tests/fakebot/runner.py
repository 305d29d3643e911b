"""Start/stop a real PTB Application against a FakeTelegram."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator


@contextlib.asynccontextmanager
async def run_application(application, tg, *, poll_timeout: int = 1, drop_pending_updates: bool = False,
                          allowed_updates=None) -> AsyncIterator:
    """initialize -> start -> updater.start_polling; on exit settle-free shutdown in reverse order.

    ``tg.attach(application)`` is done for you so ``tg.settle()`` also waits for handlers.
    """
    tg.attach(application)
    await application.initialize()
    try:
        await application.start()
        await application.updater.start_polling(poll_interval=0.0, timeout=poll_timeout,
                                                drop_pending_updates=drop_pending_updates,
                                                allowed_updates=allowed_updates)
        try:
            yield application
        finally:
            if application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
    finally:
        await application.shutdown()
