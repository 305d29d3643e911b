"""The 5W1H guide: six short answers composed into a first draft of the body.

The composition follows the inverted pyramid of a news lead: what, when and
where first, then who, why, and how it went.  Writers answer in fragments
("aula kantor", "di aula kantor", "Senin pagi"), so leading prepositions are
normalised instead of doubled.
"""
from __future__ import annotations

import re

QUESTIONS = ("apa", "siapa", "kapan", "di_mana", "mengapa", "bagaimana")

_PURPOSE = re.compile(r"^(agar|supaya|untuk|guna|dalam rangka)\b", re.I)
_CAUSE = re.compile(r"^(karena|sebab|oleh karena)\b", re.I)


def _clean(text: str) -> str:
    return " ".join((text or "").split()).rstrip(".!? ")


def _drop(prefix: str, text: str) -> str:
    return re.sub(rf"^{prefix}\s+", "", text, flags=re.I)


def _sentence(text: str) -> str:
    return f"{text[0].upper()}{text[1:]}." if text else ""


def compose(answers: dict[str, str]) -> str:
    a = {k: _clean(answers.get(k, "")) for k in QUESTIONS}
    lead = a["apa"]
    if a["kapan"]:
        lead += f" berlangsung pada {_drop('pada', a['kapan'])}"
    if a["di_mana"]:
        lead += f" di {_drop('di', a['di_mana'])}"
    first = [_sentence(lead.strip())]
    if a["siapa"]:
        first.append(_sentence(f"kegiatan ini diikuti oleh {_drop('oleh', a['siapa'])}"))
    why = a["mengapa"]
    if why:
        why = why if _PURPOSE.match(why) or _CAUSE.match(why) else f"karena {why}"
        first.append(_sentence(f"kegiatan ini diadakan {why}"))
    paragraphs = [" ".join(x for x in first if x), _sentence(a["bagaimana"])]
    return "\n\n".join(p for p in paragraphs if p)
