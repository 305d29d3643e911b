"""What this process is: Terbit's version (from the package metadata) and when it started."""
from __future__ import annotations

from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _package_version

#: When this process started (this module is imported as the command line starts).
STARTED_AT = datetime.now(UTC)


def version() -> str:
    """The installed version of the ``terbit`` package ("unknown" when run from a bare checkout)."""
    try:
        return _package_version("terbit")
    except PackageNotFoundError:
        return "unknown"
