"""The big read-only word lists, loaded in a thread and never on the event loop.

The Hunspell id_ID dictionary (``domain.spelling``, about 0.25 s of pure Python and
~27 MB) and the town list (``domain.places``) are loaded once per process.  Loading
them where they are first used would hold the event loop, and with it every other
person's update, for that long; so a writer starting a draft starts the load in a
thread (:func:`warm`), and every use case that checks or describes a draft first
awaits it (:func:`ready`, at once when loaded).  Not at start-up: a process that
nobody writes in never pays for them.
"""
from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from domain import places, spelling

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_loaded: Future[None] | None = None


def _load() -> None:
    spelling.dictionary()
    spelling.standard_forms()
    places.towns()
    places.named_in("", ())  # the towns' names as one pattern, compiled


def warm() -> Future[None]:
    """Start loading (once); the future is done when everything is loaded."""
    global _loaded
    with _lock:
        if _loaded is None:
            pool = ThreadPoolExecutor(1, thread_name_prefix="lexicons")
            _loaded = pool.submit(_load)
            pool.shutdown(wait=False)
        return _loaded


async def ready() -> None:
    """Loaded: at once when it is, else waited for without holding the event loop."""
    loaded = warm()
    if not loaded.done():
        await asyncio.wrap_future(loaded)
    loaded.result()  # a failure to load shows here, as it would have where the list is used


def needs_lexicons(use_case: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """A use case that checks or describes a draft: the word lists are loaded first, off the loop."""
    @functools.wraps(use_case)
    async def loaded_first(*args: P.args, **kwargs: P.kwargs) -> R:
        await ready()
        return await use_case(*args, **kwargs)
    return loaded_first
