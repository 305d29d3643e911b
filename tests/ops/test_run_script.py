"""scripts/run: an upgrade with no package index says so plainly, in both languages."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

RAW_PIP = "ERROR: Could not find a version that satisfies the requirement httpx (from versions: none)"


def test_an_upgrade_without_a_package_index_is_explained_not_dumped(tmp_path):
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "run", tmp_path / "scripts" / "run")
    for name in ("pyproject.toml", "constraints.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    # An earlier release is installed (its stamp differs); pip finds no index, as on a server offline.
    (tmp_path / ".venv" / ".terbit-install").write_text("an-older-release\n")
    (venv / "python").write_text(f"#!/bin/sh\necho '{RAW_PIP}' >&2\nexit 1\n")
    (venv / "terbit").write_text("#!/bin/sh\necho 'the bot must not start' >&2\nexit 0\n")
    for exe in ("python", "terbit"):
        (venv / exe).chmod(0o755)
    ran = subprocess.run(["bash", "scripts/run"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert ran.returncode == 1
    assert "Terbit belum dapat dipasang atau diperbarui" in ran.stderr
    assert "Terbit could not be installed or upgraded" in ran.stderr
    assert RAW_PIP not in ran.stderr and "must not start" not in ran.stderr
    assert RAW_PIP in (tmp_path / ".venv" / "pip-install.log").read_text()  # the details, for whoever wants them
    assert (tmp_path / ".venv" / ".terbit-install").read_text() == "an-older-release\n"  # nothing marked done
