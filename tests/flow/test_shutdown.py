"""An ordinary shutdown while work is still finishing says nothing alarming: no PTBUserWarning
("Tasks created via Application.create_task while the application is not running..."), and
the work started meanwhile is done before the database closes."""
from __future__ import annotations

import warnings

from telegram.warnings import PTBUserWarning

from services.transitions.effects import Worker
from tests.flow.harness import Office, make_settings, running, staffed_office


async def test_work_started_while_stopping_is_awaited_without_a_warning(fake_telegram, tmp_path):
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with running(o):
            await staffed_office(o)
            await o.app.updater.stop()
            await o.app.stop()  # as at Ctrl-C / SIGTERM: the application no longer runs ...
            # ... while an update still finishing wakes the postman.
            o.app.bot_data["terbit"].wake(Worker.POSTMAN)
    at_shutdown = [str(w.message) for w in caught
                   if issubclass(w.category, PTBUserWarning) and "create_task" in str(w.message)]
    assert at_shutdown == []
