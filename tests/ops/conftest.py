import logging

import pytest

from bot.logging_setup import CHATTY
from tests.flow.conftest import office  # noqa: F401  (fixture: a staffed office on a running bot)


@pytest.fixture(autouse=True)
def restore_logging():
    """bot.cli.main sets up logging for a whole process; give the test run its own back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in CHATTY}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, lvl in levels.items():
        logging.getLogger(name).setLevel(lvl)
