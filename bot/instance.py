"""A random id for this installation, kept beside its data.

Remote targets find an article by "terbit-<installation>-<submission id>"; the
installation part keeps a reinstalled bot (ids starting at 1 again) from
updating another installation's posts on the same CMS.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def installation_id(data_dir: Path) -> str:
    path = data_dir / "installation-id"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    value = secrets.token_hex(4)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(value + "\n")
    try:
        os.link(tmp, path)  # atomic and never overwrites: a concurrent first start keeps one id
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text().strip()
