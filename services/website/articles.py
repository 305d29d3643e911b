"""Turn a stored revision into the immutable Article the publishers receive."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.kinds import Kind
from domain.places import PRIVATE_META
from domain.workflow import Action
from publishers.base import Article, Asset
from publishers.base import Person as PersonRef
from services.reviewing import comments
from services.transitions.audit import history
from services.uow import must_get
from services.writing import drafts, kip
from storage.models import Attachment, Person, Revision, Submission


def _ref(p: Person) -> PersonRef:
    return PersonRef(p.full_name, p.telegram_id, p.username)


def asset_of(a: Attachment, data_dir: Path) -> Asset:
    rend = {r["role"]: r for r in (a.renditions or [])}
    web = rend.get("web") or rend.get("audio_web")
    thumb = rend.get("thumb")
    return Asset(
        id=a.id,
        kind=a.kind,
        sha256=a.sha256,
        original=data_dir / a.path,
        filename=a.original_name or f"{a.kind}-{a.id}",
        mime=a.mime,
        size=a.size,
        caption=a.caption or "",
        web=data_dir / web["path"] if web else None,
        web_mime=web["mime"] if web else None,
        thumb=data_dir / thumb["path"] if thumb else None,
        # A photo's position stays in the archive's original: publishers (a CMS webhook) never get it.
        meta={k: v for k, v in (a.meta or {}).items() if k not in PRIVATE_META}
        | {"label": a.label, "renditions": list(a.renditions or [])},
    )


async def build_article(s: AsyncSession, data_dir: Path, submission_id: int, revision_id: int,
                        installation: str = "") -> Article:
    sub = await must_get(s, Submission, submission_id)
    rev = await must_get(s, Revision, revision_id)
    atts = await drafts.attachments_of(s, rev)
    events = await history(s, submission_id)
    approval = next((e for e in reversed(events) if e.action == Action.APPROVE and e.revision_id == rev.id), None)
    if approval is None:  # an update re-approved later, or a withdrawal of the live revision
        approval = next((e for e in reversed(events) if e.action == Action.APPROVE), None)
    revisions = (await s.scalars(
        select(Revision).where(Revision.submission_id == submission_id).order_by(Revision.number))).all()
    people = {p.id: p for p in (await s.scalars(select(Person).where(
        Person.id.in_({r.created_by for r in revisions} | {e.actor_id for e in events if e.actor_id}
                      | {sub.author_id})))).all()}

    def name(pid: int | None) -> str | None:
        return people[pid].full_name if pid in people else None

    record = {
        "submission_id": sub.id,
        "section": sub.section.name if sub.section else None,
        "revisions": [
            {"number": r.number, "reason": r.reason, "kind": r.kind, "title": r.title, "body": r.body,
             "attachment_ids": list(r.attachment_ids or []), "created_by": name(r.created_by),
             "created_at": r.created_at.isoformat(), "frozen_at": r.frozen_at.isoformat() if r.frozen_at else None}
            for r in revisions
        ],
        "audit": [
            {"at": e.at.isoformat(), "actor": name(e.actor_id) if e.actor_id else "sistem", "role": e.role,
             "action": e.action, "from": e.from_state, "to": e.to_state, "note": e.note,
             "revision": next((r.number for r in revisions if r.id == e.revision_id), None)}
            for e in events
        ],
        "people": {str(p.telegram_id): p.full_name for p in people.values()},
        # The reviewers' discussion of the draft: kept with the record, never on the public page.
        "comments": comments.record_of(await comments.trail(s, submission_id)),
        # The exemption records (PerKI 1/2017), lifted ones too: the record only, never the public page.
        "exemptions": kip.record_of(await kip.exemptions(s, submission_id)),
    }
    kind = Kind(rev.kind) if rev.kind else Kind.ARTIKEL
    kip_class = await kip.effective(s, sub)
    return Article(
        submission_id=sub.id,
        revision_number=rev.number,
        slug=sub.slug or f"{sub.id}-artikel",
        kind=kind.value,
        kind_label=kind.label,
        section=sub.section.name if sub.section else "",
        title=rev.title or "",
        body=rev.body or "",
        author=_ref(sub.author),
        approved_by=_ref(people[approval.actor_id]) if approval and approval.actor_id in people else None,
        approved_at=approval.at if approval else rev.created_at,
        assets=tuple(asset_of(a, data_dir) for a in atts),
        record=record,
        key=f"terbit-{installation}-{sub.id}" if installation else "",
        kip_class=kip_class.value,
        kip_label=kip_class.label,
    )
