"""Long texts on phones: the parts a phone splits a text into, joined again;
a body as numbered paragraphs, changed one paragraph at a time.

A Telegram client splits a text longer than 4,096 characters into several
messages, cutting at whitespace (a blank line, a line break or a space) and
dropping it.  :func:`join_part` puts back the most likely break: a blank line
between a finished sentence and a new one, a line break inside a list, else
a space.
"""
from __future__ import annotations

import re

#: A paragraph ends at a blank line (spaces on it do not count).
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)\]]$")
_LIST_ITEM = re.compile(r"^(?:[-–•*]\s|\d{1,3}[.)]\s)")
_OPENERS = "\"“‘'(["


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs (split on blank lines), stripped, empty ones left out."""
    return [p.strip() for p in _BLANK_LINE.split(body.replace("\r\n", "\n")) if p.strip()]


def join_paragraphs(paras: list[str]) -> str:
    return "\n\n".join(p.strip() for p in paras if p.strip())


def _starts_sentence(text: str) -> bool:
    first = text.lstrip(_OPENERS)[:1]
    return first.isupper() or first.isdigit()


def separator(before: str, after: str) -> str:
    """The whitespace a phone most likely dropped between two parts of one text."""
    if _LIST_ITEM.match(after) and (before.endswith(":") or _LIST_ITEM.match(before.rsplit("\n", 1)[-1])):
        return "\n"  # a list goes on (not "… Bagian" + "8. Kegiatan", a sentence cut before a number)
    if _SENTENCE_END.search(before) and _starts_sentence(after):
        return "\n\n"
    return " "


def join_part(text: str, part: str) -> str:
    """``text`` with the next part of the same message after it."""
    text, part = text.rstrip(), part.strip()
    if not text or not part:
        return text or part
    return f"{text}{separator(text, part)}{part}"


def replace_paragraph(body: str, number: int, text: str | None) -> str:
    """The body with paragraph ``number`` (1-based) replaced by ``text``, or removed
    when ``text`` is None or blank.  IndexError for a paragraph that is not there."""
    paras = paragraphs(body)
    if not 1 <= number <= len(paras):
        raise IndexError(number)
    if text is None or not text.strip():
        del paras[number - 1]
    else:
        paras[number - 1] = text
    return join_paragraphs(paras)


def add_paragraph(body: str, text: str) -> str:
    """The body with ``text`` as its last paragraph(s)."""
    return join_paragraphs([*paragraphs(body), text])
