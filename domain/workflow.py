"""The SOP's moderation workflow as one pure transition table.

Modelled on Wagtail's moderation workflow: a submission moves through
states; each move is an :class:`Action` taken by a person holding a
:class:`Role`; every accepted move yields a :class:`Transition` that the
storage layer records as an audit event in the same transaction as the state
change.  Nothing here knows Telegram or SQL.

SOP mapping:
  step 1-3  collect, convert, draft ........ DRAFT (writer), RETURNED (revising)
  step 4    Kasubbag checks and forwards ... WAIT_KASUBBAG
  step 5    Kepala checks / corrects ....... WAIT_KEPALA
  step 6    publish ........................ APPROVED -> PUBLISHED (system)
  step 7    archive ........................ recorded by the outbox (system)
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.kip import KipClass


class State(StrEnum):
    DRAFT = "draf"
    WAIT_KASUBBAG = "menunggu_kasubbag"
    WAIT_KEPALA = "menunggu_kepala"
    RETURNED = "dikembalikan"
    APPROVED = "disetujui"
    PUBLISHED = "terbit"
    CANCELLED = "dibatalkan"
    WITHDRAW_PENDING = "menunggu_penarikan"
    WITHDRAWN = "ditarik"
    #: A draft left untouched too long, archived by the SOP clock (never deleted).
    ABANDONED = "ditinggalkan"


class Role(StrEnum):
    WRITER = "penulis"
    KASUBBAG = "kasubbag"
    KEPALA = "kepala"
    ADMIN = "admin"
    SYSTEM = "sistem"


class Action(StrEnum):
    SUBMIT = "ajukan"
    FORWARD = "teruskan"
    RETURN = "kembalikan"
    CORRECT = "koreksi"
    APPROVE = "setujui"
    PUBLISHED = "terbitkan"
    ARCHIVED = "arsipkan"
    CANCEL = "batalkan"
    REVISE_PUBLISHED = "perbarui"
    DISCARD_UPDATE = "batalkan_perubahan"
    REQUEST_WITHDRAW = "minta_tarik"
    WITHDRAW = "tarik"
    ABANDON = "tinggalkan"
    KEEP_PUBLISHED = "tolak_tarik"
    #: A scheduled approval taken back before it went live: the item waits for the Kepala again.
    UNSCHEDULE = "batalkan_jadwal"
    #: A pengumuman past its "berlaku sampai": the system withdraws it.
    EXPIRE = "kedaluwarsa"


@dataclass(frozen=True)
class Rule:
    to: State
    roles: frozenset[Role]
    #: The actor must be the submission's author (writer actions).
    author_only: bool = False
    #: The actor must NOT be the author: nobody reviews their own work.
    not_author: bool = False
    note_required: bool = False
    #: An admin may do it for the author (updating or dropping a live article's update).
    admin_for_author: bool = False
    #: True: only for an article that is live; False: only for one never published.
    live: bool | None = None
    #: The move brings the item closer to the public website: its public-information class must be
    #: known and publishable (UU 14/2008 Pasal 17: excepted information is never published).
    toward_public: bool = False


def _r(to: State, *roles: Role, author_only: bool = False, not_author: bool = False, note: bool = False,
       admin_for_author: bool = False, live: bool | None = None, public: bool = False) -> Rule:
    return Rule(to, frozenset(roles), author_only, not_author, note, admin_for_author, live, public)


# (from state, action) -> rule.  This table is the whole workflow.
TRANSITIONS: dict[tuple[State, Action], Rule] = {
    (State.DRAFT, Action.SUBMIT): _r(State.WAIT_KASUBBAG, Role.WRITER, Role.ADMIN, author_only=True,
                                     admin_for_author=True, public=True),
    (State.RETURNED, Action.SUBMIT): _r(State.WAIT_KASUBBAG, Role.WRITER, Role.ADMIN, author_only=True,
                                        admin_for_author=True, public=True),
    (State.DRAFT, Action.CANCEL): _r(State.CANCELLED, Role.WRITER, author_only=True, live=False),
    # The SOP clock archives a draft nobody touched for weeks (after a warning).
    (State.DRAFT, Action.ABANDON): _r(State.ABANDONED, Role.SYSTEM),
    (State.RETURNED, Action.ABANDON): _r(State.ABANDONED, Role.SYSTEM),
    (State.RETURNED, Action.CANCEL): _r(State.CANCELLED, Role.WRITER, author_only=True, live=False),
    (State.WAIT_KASUBBAG, Action.FORWARD): _r(State.WAIT_KEPALA, Role.KASUBBAG, not_author=True, public=True),
    (State.WAIT_KASUBBAG, Action.RETURN): _r(State.RETURNED, Role.KASUBBAG, not_author=True, note=True),
    (State.WAIT_KEPALA, Action.CORRECT): _r(State.WAIT_KEPALA, Role.KEPALA, not_author=True),
    (State.WAIT_KEPALA, Action.RETURN): _r(State.RETURNED, Role.KEPALA, not_author=True, note=True),
    (State.WAIT_KEPALA, Action.APPROVE): _r(State.APPROVED, Role.KEPALA, not_author=True, public=True),
    (State.APPROVED, Action.PUBLISHED): _r(State.PUBLISHED, Role.SYSTEM, public=True),
    (State.PUBLISHED, Action.ARCHIVED): _r(State.PUBLISHED, Role.SYSTEM),
    # Updating what is published (pembaharuan): a new revision goes through the
    # same two reviews; the live version stays up until the update is approved.
    (State.PUBLISHED, Action.REVISE_PUBLISHED): _r(State.DRAFT, Role.WRITER, Role.ADMIN, author_only=True,
                                                   admin_for_author=True, live=True),
    (State.DRAFT, Action.DISCARD_UPDATE): _r(State.PUBLISHED, Role.WRITER, Role.ADMIN, author_only=True,
                                             admin_for_author=True, live=True),
    (State.RETURNED, Action.DISCARD_UPDATE): _r(State.PUBLISHED, Role.WRITER, Role.ADMIN, author_only=True,
                                                admin_for_author=True, live=True),
    # Withdrawal: the admin asks, with a reason; the Kepala confirms or keeps it.
    (State.PUBLISHED, Action.REQUEST_WITHDRAW): _r(State.WITHDRAW_PENDING, Role.ADMIN, note=True),
    (State.WITHDRAW_PENDING, Action.WITHDRAW): _r(State.WITHDRAWN, Role.KEPALA),
    (State.WITHDRAW_PENDING, Action.KEEP_PUBLISHED): _r(State.PUBLISHED, Role.KEPALA),
    # Scheduled publishing: before the moment comes, the Kepala (or an admin) may take the
    # approval back; the item waits for the Kepala's decision again (services/reviewing/review.py
    # refuses it once a publication job has started).
    (State.APPROVED, Action.UNSCHEDULE): _r(State.WAIT_KEPALA, Role.KEPALA, Role.ADMIN),
    # "Berlaku sampai": past it, the system takes the announcement down (no Kepala to ask:
    # the Kepala approved the end date with the announcement).
    (State.PUBLISHED, Action.EXPIRE): _r(State.WITHDRAWN, Role.SYSTEM),
}

#: States in which the author may still change the content.
EDITABLE = frozenset({State.DRAFT, State.RETURNED})
#: States that wait for a reviewer, and which role they wait for.
WAITING_FOR: dict[State, Role] = {
    State.WAIT_KASUBBAG: Role.KASUBBAG,
    State.WAIT_KEPALA: Role.KEPALA,
}


class WorkflowError(Exception):
    """A move the workflow does not allow.  ``code`` selects the message."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code


@dataclass(frozen=True)
class Actor:
    person_id: int | None  # None for the system
    roles: frozenset[Role]


SYSTEM = Actor(None, frozenset({Role.SYSTEM}))


@dataclass(frozen=True)
class Transition:
    action: Action
    from_state: State
    to_state: State
    actor_id: int | None
    role: Role
    note: str | None


def decide(
    state: State,
    action: Action,
    actor: Actor,
    *,
    author_id: int,
    note: str | None = None,
    live: bool = False,
    kip_class: KipClass | None = None,
) -> Transition:
    """Check one move against the table and return what must be recorded.

    Raises :class:`WorkflowError` with a code:
    ``not_allowed`` (no such move from this state: stale button, second press),
    ``forbidden`` (the actor lacks the role), ``own_submission`` (self-review),
    ``not_author`` (someone else's draft), ``note_required``, ``kip_excepted`` (a move
    toward the website for excepted information), ``kip_unknown`` (such a move without
    the item's class: the rule fails closed).
    ``live`` says whether an earlier revision of the submission is published;
    ``kip_class`` is the item's effective public-information class.
    """
    rule = TRANSITIONS.get((state, action))
    if rule is None or (rule.live is not None and rule.live != live):
        raise WorkflowError("not_allowed", f"{action} is not possible from {state}")
    role = next((r for r in (Role.SYSTEM, Role.KEPALA, Role.KASUBBAG, Role.ADMIN, Role.WRITER)
                 if r in rule.roles and r in actor.roles), None)
    if role is None:
        raise WorkflowError("forbidden", f"{action} needs one of {sorted(rule.roles)}")
    acting_for_author = rule.admin_for_author and Role.ADMIN in actor.roles
    if rule.author_only and actor.person_id != author_id and not acting_for_author:
        raise WorkflowError("not_author")
    if rule.not_author and actor.person_id == author_id:
        raise WorkflowError("own_submission")
    clean_note = (note or "").strip() or None
    if rule.note_required and not clean_note:
        raise WorkflowError("note_required")
    if rule.toward_public:
        if kip_class is None:
            raise WorkflowError("kip_unknown", f"{action} needs the public-information class")
        if not kip_class.publishable:
            raise WorkflowError("kip_excepted", f"{action} of excepted information (UU 14/2008 Pasal 17)")
    return Transition(action, state, rule.to, actor.person_id, role, clean_note)


def needs_class(state: State, action: Action) -> bool:
    """Whether deciding this move needs the item's public-information class."""
    rule = TRANSITIONS.get((state, action))
    return rule is not None and rule.toward_public


def allowed_actions(state: State, actor: Actor, *, author_id: int, live: bool = False) -> list[Action]:
    """Actions the actor could take now (used to draw buttons).  The class is not asked: a
    card for excepted information keeps its buttons, and the press says why it is refused."""
    out = []
    for (st, action), _rule in TRANSITIONS.items():
        if st != state:
            continue
        try:
            decide(state, action, actor, author_id=author_id, note="-", live=live, kip_class=KipClass.SETIAP_SAAT)
        except WorkflowError:
            continue
        out.append(action)
    return out
