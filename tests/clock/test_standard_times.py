from datetime import timedelta

import pytest

from domain.standard_times import (
    SOP_DEFAULTS,
    WAITING_STATE_STEP,
    StandardTimes,
    Step,
    step_for_state,
)


def test_sop_defaults():
    st = StandardTimes()
    assert [s.value for s in Step] == [
        "collect", "convert", "draft", "review_kasubbag", "review_kepala", "publish", "archive"]
    assert [s.number for s in Step] == [1, 2, 3, 4, 5, 6, 7]
    assert st[Step.COLLECT] == timedelta(hours=3)
    assert st["convert"] == st.draft == timedelta(hours=1)
    for s in (Step.REVIEW_KASUBBAG, Step.REVIEW_KEPALA, Step.PUBLISH, Step.ARCHIVE):
        assert st.for_step(s) == timedelta(minutes=30) == s.default == SOP_DEFAULTS[s]
    assert st.total() == timedelta(hours=7)
    assert Step.REVIEW_KASUBBAG.label == "Pemeriksaan Kasubbag"


def test_overrides_from_settings():
    st = StandardTimes.from_settings({"review_kasubbag": 45, "PUBLISH": "15", "archive": timedelta(hours=1)})
    assert st.review_kasubbag == timedelta(minutes=45)
    assert st.publish == timedelta(minutes=15)
    assert st.archive == timedelta(hours=1)
    assert st.collect == timedelta(hours=3)
    with pytest.raises(ValueError):
        StandardTimes.from_settings({"reviw": 10})
    with pytest.raises(ValueError):
        StandardTimes(publish=timedelta(0))
    with pytest.raises(TypeError):
        StandardTimes.from_settings({"publish": "abc"})


def test_waiting_states():
    assert step_for_state("menunggu_kasubbag") is Step.REVIEW_KASUBBAG
    assert step_for_state("menunggu_kepala") is Step.REVIEW_KEPALA
    assert step_for_state("disetujui") is Step.PUBLISH
    assert step_for_state("draf") is None
    assert len(WAITING_STATE_STEP) == 3
