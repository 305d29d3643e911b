"""`python -m bot ...` as the office runs it, with its own environment, for the command-line tests."""
from __future__ import annotations

import asyncio
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from config.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Ran:
    code: int | None
    out: str
    err: str

    @property
    def both(self) -> str:
        return self.out + self.err


def clean_env(**env: str) -> dict[str, str]:
    """This process's environment without any Terbit setting, plus ``env``."""
    names = {name.upper() for name in Settings.model_fields}
    base = {k: v for k, v in os.environ.items() if k not in names}
    base["PYTHONPATH"] = str(ROOT)
    base.update(env)
    return base


async def terbit(*args: str, cwd: Path, timeout: float = 60, **env: str) -> Ran:
    """Run `python -m bot <args>` to its end (killed after ``timeout`` seconds)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=str(cwd), env=clean_env(**env),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        proc.kill()
        out, err = await proc.communicate()
    return Ran(proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"))


def unused_port() -> int:
    """A local port where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
