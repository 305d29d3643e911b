"""Every state and every action has its words, in the chat and in the reports: a pending
withdrawal once showed its raw key (``menunggu_penarikan``) in /status and /riwayat."""
from __future__ import annotations

from domain import labels
from domain.workflow import Action, State
from handlers.render import state_label
from texts.id import common as C


def test_every_state_has_a_label_in_the_chat_and_in_the_reports():
    assert set(C.STATE_LABELS) == set(State)
    assert set(labels.STATE_LABELS) == set(State)
    for state in State:
        assert state_label(state) != state.value and labels.state_label(state) != state.value
    assert state_label(State.WITHDRAW_PENDING) == "Terbit, menunggu keputusan penarikan"
    assert state_label("menunggu_penarikan") == C.STATE_LABELS[State.WITHDRAW_PENDING]  # as stored


def test_every_action_has_its_words_in_the_audit_trail():
    assert set(C.ACTION_LABELS) == set(Action)
    assert C.ACTION_LABELS.get("minta_tarik") == "meminta penarikan"
