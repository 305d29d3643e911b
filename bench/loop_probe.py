"""Run a bot under a loop-lag probe: ``python -m bench.loop_probe <module> [args]`` (bench use only).

Every callback the asyncio event loop runs is timed (``asyncio.events.Handle._run``); one that
holds the loop for ``LOOP_PROBE_MIN_MS`` (default 20) or more is a stall, and is appended to
``LOOP_PROBE_FILE`` as a JSON line: its start (``time.monotonic``, the same clock as the
bench's on Linux), its length in ms, and where it was (a watchdog thread samples the main
thread's stack once a callback has run 40 ms: the innermost frames of our code).  Nothing of
the bot is changed; the module is then run as ``python -m <module>`` would run it.
"""
from __future__ import annotations

import asyncio.events
import json
import os
import runpy
import sys
import threading
import time
import traceback
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent.parent)
MIN_S = float(os.environ.get("LOOP_PROBE_MIN_MS", "20")) / 1e3
SAMPLE_AFTER_S = 0.04
_out = open(os.environ["LOOP_PROBE_FILE"], "a", buffering=1)
_running = [0.0]  # the start of the callback running now; 0.0 between callbacks
_handle: list[asyncio.events.Handle | None] = [None]
_where: dict[float, str] = {}
_main = threading.main_thread().ident
_original = asyncio.events.Handle._run


def _ours(stack: traceback.StackSummary) -> str:
    frames = [f for f in stack if f.filename.startswith(ROOT) and "/.venv/" not in f.filename]
    picked = frames[-3:] or list(stack)[-3:]
    return " < ".join(f"{Path(f.filename).relative_to(ROOT) if f.filename.startswith(ROOT) else Path(f.filename).name}"
                      f":{f.lineno} {f.name}" for f in reversed(picked))


def _awaiting(handle: asyncio.events.Handle) -> str:
    """The task's await chain, innermost of our frames first (SQLAlchemy's greenlets hide it from the stack)."""
    task = getattr(getattr(handle, "_callback", None), "__self__", None)
    coro = task.get_coro() if isinstance(task, asyncio.Task) else None
    frames = []
    while coro is not None and getattr(coro, "cr_frame", None) is not None:
        f = coro.cr_frame
        frames.append(traceback.FrameSummary(f.f_code.co_filename, f.f_lineno, f.f_code.co_name))
        coro = coro.cr_await
    return _ours(traceback.StackSummary.from_list(frames)) if frames else ""


def _run(self: asyncio.events.Handle) -> None:
    t0 = time.monotonic()
    _running[0] = t0
    _handle[0] = self
    try:
        _original(self)
    finally:
        _running[0] = 0.0
        took = time.monotonic() - t0
        if took >= MIN_S:
            where = _where.pop(t0, None) or repr(self)[:160]
            _out.write(json.dumps({"t": t0, "ms": round(took * 1e3, 1), "where": where}) + "\n")
        else:
            _where.pop(t0, None)


def _watch() -> None:
    sampled = 0.0
    while True:
        time.sleep(0.005)
        t0 = _running[0]
        if t0 and t0 != sampled and time.monotonic() - t0 >= SAMPLE_AFTER_S:
            frame = sys._current_frames().get(_main)
            if frame is not None and _running[0] == t0:
                stack = traceback.extract_stack(frame)
                where = _ours(stack)
                if not any(f.filename.startswith(ROOT) and "/.venv/" not in f.filename for f in stack):
                    handle = _handle[0]
                    chain = _awaiting(handle) if handle is not None else ""
                    where = f"{where} [in {chain}]" if chain else where
                _where[t0] = where
                sampled = t0


asyncio.events.Handle._run = _run  # type: ignore[method-assign]
threading.Thread(target=_watch, name="loop-probe", daemon=True).start()

if __name__ == "__main__":
    module = sys.argv[1]
    sys.argv = [module, *sys.argv[2:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
