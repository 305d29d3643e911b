"""The 5W1H guide: six short answers composed into a first draft of the body."""
from __future__ import annotations

QUESTIONS = ("apa", "siapa", "kapan", "di_mana", "mengapa", "bagaimana")


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def compose(answers: dict[str, str]) -> str:
    """A plain, neutral news paragraph order: what/who/when/where, then why, then how."""
    a = {k: _sentence(answers.get(k, "")) for k in QUESTIONS}
    lead = " ".join(x for x in (a["apa"], a["siapa"], a["kapan"], a["di_mana"]) if x)
    paragraphs = [p for p in (lead, a["mengapa"], a["bagaimana"]) if p]
    return "\n\n".join(paragraphs)
