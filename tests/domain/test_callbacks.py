import pytest

from handlers.callbacks import MAX_BYTES, BadCallback, CallbackCodec

codec = CallbackCodec("123456:TEST")


def test_round_trip_and_size():
    data = codec.encode("rf", 123456789, 987654321)
    assert len(data.encode()) <= MAX_BYTES
    cb = codec.decode(data, {"rf": 2})
    assert cb.op == "rf" and cb.int(0) == 123456789 and cb.int(1) == 987654321


@pytest.mark.parametrize("forged", [
    None, "", "x", "1:rf:1:2", "2:rf:1:2:abcdef12", "1:rf:1:2:00000000", "1:rf:1:3:" + "0" * 8,
    "1:" + "a" * 80, "💥" * 20, "1:rf::", "1:rf:1:2:3:4:5:6:7",
])
def test_forged_or_garbled_data_is_refused(forged):
    with pytest.raises(BadCallback):
        codec.decode(forged, {"rf": 2})


def test_a_valid_tag_for_another_op_or_arity_is_refused():
    data = codec.encode("st", 5)
    with pytest.raises(BadCallback):
        codec.decode(data, {"rf": 2})
    other = CallbackCodec("999:OTHER").encode("rf", 1, 2)
    with pytest.raises(BadCallback):
        codec.decode(other, {"rf": 2})


def test_unsafe_parts_cannot_be_encoded():
    with pytest.raises(ValueError):
        codec.encode("rf", "a:b")
