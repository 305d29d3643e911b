"""Logs: office time, no secrets (tracebacks included), no chatter, no traceback for a failed start."""
from __future__ import annotations

import io
import logging
import re

from bot.logging_setup import configure, redact

TOKEN = "5566778899:AAH-very-secret-token-part-abcdefghij"


def test_lines_are_stamped_in_office_time_and_secrets_are_masked_even_in_tracebacks(capsys):
    configure("Asia/Makassar", secrets=[TOKEN, "wp-app-password"])
    log = logging.getLogger("terbit.test")
    try:
        raise RuntimeError(f"https://api.telegram.org/bot{TOKEN}/getMe failed, password wp-app-password")
    except RuntimeError:
        log.exception("request to %s failed", f"https://api.telegram.org/bot{TOKEN}/getMe")
    err = capsys.readouterr().err
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d WITA ERROR terbit\.test: request to "
                    r"https://api\.telegram\.org/bot\*\*\*/getMe failed", err), err
    assert "Traceback" in err, "an unexpected error keeps its traceback"
    assert TOKEN not in err and "wp-app-password" not in err


def test_a_token_nobody_told_us_about_is_masked_by_its_shape():
    other = "1234567890:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789_-"
    assert redact(f"token {other} here", []) == "token *** here"


def test_job_and_request_chatter_is_quiet(capsys):
    configure("Asia/Jakarta")
    logging.getLogger("apscheduler.executors.default").info('Running job "outbox" (trigger: interval)')
    logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/bot123:x/getUpdates")
    logging.getLogger("apscheduler.scheduler").warning("Run time of job was missed")
    err = capsys.readouterr().err
    assert "Running job" not in err and "HTTP Request" not in err
    assert "Run time of job was missed" in err


def test_the_failed_start_from_python_telegram_bot_is_left_to_the_command_line():
    stream = io.StringIO()
    configure("Asia/Jakarta")
    handler = logging.getLogger().handlers[0]
    handler.setStream(stream)  # type: ignore[attr-defined]
    ptb = logging.getLogger("telegram.ext._utils.networkloop")
    try:
        raise ConnectionError("no route")
    except ConnectionError:
        ptb.exception("%s Failed run number %s of %s. Aborting.",
                      "Network Retry Loop (Bootstrap Initialize Application):", 0, 0)
        ptb.exception("%s Invalid token. Aborting retry loop.", "Network Retry Loop (Bootstrap Initialize Application):")
    ptb.error("%s Something else", "Network Retry Loop (Polling Updates):")
    out = stream.getvalue()
    assert "Aborting" not in out and "Traceback" not in out
    assert "Polling Updates" in out, "errors while running are still logged"
