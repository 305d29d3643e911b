"""Terbit as a real process (`python -m bot`) against the fake Bot API, so a
test can kill it by its PID, as a power cut or the OOM killer would."""
from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.flow.harness import ADMIN_ID

ROOT = Path(__file__).resolve().parents[2]


class BotProcess:
    def __init__(self, tg, data_dir: Path, **env: str) -> None:
        self.tg, self.data_dir, self.extra = tg, data_dir, env
        self.proc: asyncio.subprocess.Process | None = None
        self.log = data_dir.parent / "bot-process.log"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
        env.update({
            "TELEGRAM_BOT_TOKEN": self.tg.token,
            "TELEGRAM_API_URL": self.tg.base_url,
            "TELEGRAM_FILE_URL": self.tg.base_file_url,
            "DATA_DIR": str(self.data_dir),
            "ADMIN_IDS": str(ADMIN_ID),
            "OUTBOX_POLL_SECONDS": "0.2",
            "DELIVERY_POLL_SECONDS": "0.3",
            "REMINDERS_ENABLED": "false",
            "MONTHLY_REPORT_ENABLED": "false",
            "PYTHONPATH": str(ROOT),
        })
        env.update(self.extra)
        return env

    async def start(self) -> BotProcess:
        out = open(self.log, "ab")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=str(self.data_dir.parent), env=self.env(), stdout=out, stderr=out)
        out.close()
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, exactly like a crash."""
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        await self.proc.wait()

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(self.proc.wait(), 15)
            except TimeoutError:
                await self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""
