"""What changed between two revisions, for a reviewer reading on a phone."""
from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class RevisionView:
    title: str
    body: str
    attachments: dict[int, str]  # attachment id -> display name


@dataclass(frozen=True)
class RevisionDiff:
    old_title: str | None  # None when unchanged
    new_title: str | None
    body_lines: list[tuple[str, str]]  # ("-"|"+", paragraph)
    added: list[str]
    removed: list[str]

    @property
    def empty(self) -> bool:
        return self.new_title is None and not self.body_lines and not self.added and not self.removed


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.replace("\r\n", "\n").split("\n") if p.strip()]


def diff_revisions(old: RevisionView, new: RevisionView) -> RevisionDiff:
    title_changed = old.title.strip() != new.title.strip()
    lines: list[tuple[str, str]] = []
    for line in difflib.ndiff(_paragraphs(old.body), _paragraphs(new.body)):
        tag, text = line[:1], line[2:]
        if tag in "-+":
            lines.append((tag, text))
    added = [name for aid, name in new.attachments.items() if aid not in old.attachments]
    removed = [name for aid, name in old.attachments.items() if aid not in new.attachments]
    return RevisionDiff(
        old.title if title_changed else None,
        new.title if title_changed else None,
        lines,
        added,
        removed,
    )
