"""Headless Chromium for the tests that look at pages as a browser draws them, spoken to over its
DevTools protocol (aiohttp's websocket client, already a test dependency).  DevTools evaluates
outside a page's Content-Security-Policy, so pages that forbid scripts can still be measured.

Debian's ``chromium`` (scripts/install-test-services.sh installs it); tests skip without it.
"""
from __future__ import annotations

import asyncio
import base64
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MISSING = "chromium is not installed (scripts/install-test-services.sh, or: apt-get install chromium)"

# What the reader's browser is asked: overflow, and each image's drawn vs natural shape.
MEASURE = """(() => {
  const imgs = [...document.images].map(i => {
    const r = i.getBoundingClientRect();
    return {src: i.getAttribute('src'), cls: i.className, natural: [i.naturalWidth, i.naturalHeight],
            drawn: [r.width, r.height], thumb: !!i.closest('.entri')};
  });
  return JSON.stringify({scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
                         imgs: imgs});
})()"""


class Chromium:
    """One headless Chromium, one tab, spoken to over the DevTools protocol."""

    def __init__(self, profile: Path) -> None:
        self.profile = profile
        self.proc: subprocess.Popen[bytes] | None = None
        self.http: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self._id = 0

    async def __aenter__(self) -> Chromium:
        assert CHROMIUM is not None
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
             "--disable-dev-shm-usage", f"--user-data-dir={self.profile}", "--remote-debugging-address=127.0.0.1",
             "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        port = await asyncio.wait_for(asyncio.to_thread(self._devtools_port), timeout=60)
        self.http = aiohttp.ClientSession()
        async with self.http.get(f"http://127.0.0.1:{port}/json/list") as resp:
            tabs = await resp.json(content_type=None)
        page = next(t for t in tabs if t.get("type") == "page")
        self.ws = await self.http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)
        await self.call("Page.enable")
        return self

    def _devtools_port(self) -> int:
        assert self.proc is not None and self.proc.stderr is not None
        for raw in self.proc.stderr:
            m = re.search(rb"DevTools listening on ws://127\.0\.0\.1:(\d+)/", raw)
            if m:
                return int(m.group(1))
        raise RuntimeError("chromium exited before it opened DevTools")

    async def __aexit__(self, *exc: object) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.http is not None:
            await self.http.close()
        if self.proc is not None:
            self.proc.terminate()
            try:
                await asyncio.to_thread(self.proc.wait, 10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                await asyncio.to_thread(self.proc.wait)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        assert self.ws is not None
        self._id += 1
        await self.ws.send_json({"id": self._id, "method": method, "params": params})
        while True:
            msg = await asyncio.wait_for(self.ws.receive_json(), timeout=60)
            if msg.get("id") == self._id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    async def open(self, url: str, width: int, height: int) -> None:
        """Load ``url`` in a window ``width`` x ``height`` and wait until every image is decoded."""
        await self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                        deviceScaleFactor=1, mobile=width < 600)
        await self.call("Page.navigate", url=url)
        for _ in range(200):
            ready = await self.evaluate(
                "document.readyState === 'complete' && location.href !== 'about:blank' && "
                "[...document.images].every(i => { i.loading = 'eager'; return i.complete; })")
            if ready:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"{url} did not finish loading")

    async def measure(self) -> dict[str, Any]:
        return json.loads(await self.evaluate(MEASURE))

    async def screenshot(self, path: Path) -> None:
        shot = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))
