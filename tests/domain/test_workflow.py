import pytest

from domain.kip import KipClass
from domain.workflow import (
    SYSTEM,
    TRANSITIONS,
    Action,
    Actor,
    Role,
    State,
    WorkflowError,
    allowed_actions,
    decide,
    needs_class,
)

AUTHOR = 1
writer = Actor(AUTHOR, frozenset({Role.WRITER}))
other_writer = Actor(5, frozenset({Role.WRITER}))
kasubbag = Actor(2, frozenset({Role.KASUBBAG}))
kepala = Actor(3, frozenset({Role.KEPALA}))
admin = Actor(4, frozenset({Role.ADMIN}))
#: A publishable class: what every move toward the website must be given.
OPEN = KipClass.SETIAP_SAAT


def test_the_sop_path():
    s = State.DRAFT
    for actor, action, note in [(writer, Action.SUBMIT, None), (kasubbag, Action.FORWARD, None),
                                (kepala, Action.CORRECT, None), (kepala, Action.APPROVE, None),
                                (SYSTEM, Action.PUBLISHED, None)]:
        t = decide(s, action, actor, author_id=AUTHOR, note=note, kip_class=OPEN)
        assert t.from_state == s and t.actor_id == actor.person_id
        s = t.to_state
    assert s == State.PUBLISHED


@pytest.mark.parametrize("level,actor", [(State.WAIT_KASUBBAG, kasubbag), (State.WAIT_KEPALA, kepala)])
def test_return_from_each_level_needs_a_note_and_goes_back_to_the_writer(level, actor):
    with pytest.raises(WorkflowError) as e:
        decide(level, Action.RETURN, actor, author_id=AUTHOR, note="   ")
    assert e.value.code == "note_required"
    t = decide(level, Action.RETURN, actor, author_id=AUTHOR, note=" Foto kurang jelas ")
    assert t.to_state == State.RETURNED and t.note == "Foto kurang jelas"
    assert decide(State.RETURNED, Action.SUBMIT, writer, author_id=AUTHOR, kip_class=OPEN).to_state == State.WAIT_KASUBBAG


def test_no_self_review_at_any_level():
    both = Actor(AUTHOR, frozenset({Role.WRITER, Role.KASUBBAG, Role.KEPALA}))
    for state, action in [(State.WAIT_KASUBBAG, Action.FORWARD), (State.WAIT_KASUBBAG, Action.RETURN),
                          (State.WAIT_KEPALA, Action.APPROVE), (State.WAIT_KEPALA, Action.CORRECT),
                          (State.WAIT_KEPALA, Action.RETURN)]:
        with pytest.raises(WorkflowError) as e:
            decide(state, action, both, author_id=AUTHOR, note="x")
        assert e.value.code == "own_submission"


def test_roles_are_enforced():
    with pytest.raises(WorkflowError) as e:
        decide(State.WAIT_KASUBBAG, Action.FORWARD, kepala, author_id=AUTHOR)
    assert e.value.code == "forbidden"  # the Kepala does not skip the Kasubbag's step
    with pytest.raises(WorkflowError) as e:
        decide(State.WAIT_KEPALA, Action.APPROVE, kasubbag, author_id=AUTHOR)
    assert e.value.code == "forbidden"
    with pytest.raises(WorkflowError) as e:
        decide(State.DRAFT, Action.SUBMIT, other_writer, author_id=AUTHOR)
    assert e.value.code == "not_author"
    with pytest.raises(WorkflowError):
        decide(State.APPROVED, Action.PUBLISHED, admin, author_id=AUTHOR)


def test_every_illegal_move_raises_not_allowed():
    everyone = Actor(99, frozenset(Role))
    for state in State:
        for action in Action:
            if (state, action) in TRANSITIONS:
                continue
            with pytest.raises(WorkflowError) as e:
                decide(state, action, everyone, author_id=AUTHOR, note="x")
            assert e.value.code == "not_allowed"


def test_second_press_is_not_allowed():
    t = decide(State.WAIT_KASUBBAG, Action.FORWARD, kasubbag, author_id=AUTHOR, kip_class=OPEN)
    with pytest.raises(WorkflowError) as e:
        decide(t.to_state, Action.FORWARD, kasubbag, author_id=AUTHOR, kip_class=OPEN)
    assert e.value.code == "not_allowed"


def test_allowed_actions_draw_the_right_buttons():
    assert set(allowed_actions(State.WAIT_KASUBBAG, kasubbag, author_id=AUTHOR)) == {Action.FORWARD, Action.RETURN}
    assert set(allowed_actions(State.WAIT_KEPALA, kepala, author_id=AUTHOR)) == {
        Action.APPROVE, Action.CORRECT, Action.RETURN}
    assert allowed_actions(State.WAIT_KEPALA, kasubbag, author_id=AUTHOR) == []


#: Every move that brings an item closer to the public website, with who makes it.
TOWARD_PUBLIC = [(State.DRAFT, Action.SUBMIT, writer), (State.RETURNED, Action.SUBMIT, writer),
                 (State.WAIT_KASUBBAG, Action.FORWARD, kasubbag), (State.WAIT_KEPALA, Action.APPROVE, kepala),
                 (State.APPROVED, Action.PUBLISHED, SYSTEM)]


@pytest.mark.parametrize("state,action,actor", TOWARD_PUBLIC)
def test_excepted_information_never_moves_toward_the_website(state, action, actor):
    """UU 14/2008 Pasal 17, decided where the move is decided: refused for the excepted class,
    and refused (fail closed) when the caller did not say which class the item has."""
    assert needs_class(state, action)
    with pytest.raises(WorkflowError) as e:
        decide(state, action, actor, author_id=AUTHOR, kip_class=KipClass.DIKECUALIKAN)
    assert e.value.code == "kip_excepted"
    with pytest.raises(WorkflowError) as e:
        decide(state, action, actor, author_id=AUTHOR)
    assert e.value.code == "kip_unknown"
    for publishable in (KipClass.BERKALA, KipClass.SERTA_MERTA, KipClass.SETIAP_SAAT):
        assert decide(state, action, actor, author_id=AUTHOR, kip_class=publishable).from_state == state


def test_only_moves_toward_the_website_ask_for_the_class():
    """Returning, correcting, cancelling or taking down excepted information stays possible."""
    toward = {(state, action) for state, action, _ in TOWARD_PUBLIC}
    assert {key for key in TRANSITIONS if needs_class(*key)} == toward
    assert decide(State.WAIT_KEPALA, Action.RETURN, kepala, author_id=AUTHOR, note="Dikecualikan",
                  kip_class=KipClass.DIKECUALIKAN).to_state == State.RETURNED
    assert decide(State.WAIT_KEPALA, Action.CORRECT, kepala, author_id=AUTHOR).to_state == State.WAIT_KEPALA
    assert decide(State.DRAFT, Action.CANCEL, writer, author_id=AUTHOR).to_state == State.CANCELLED


def test_buttons_are_drawn_for_excepted_items_too():
    """The card keeps Setujui for an excepted item: the press is what explains the refusal."""
    assert Action.APPROVE in allowed_actions(State.WAIT_KEPALA, kepala, author_id=AUTHOR)
