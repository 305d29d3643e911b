import pytest

from handlers.callbacks import MAX_BYTES, BadCallback, CallbackCodec, office_in, pattern
from handlers.ops import Op

codec = CallbackCodec("123456:TEST")


def test_round_trip_and_size():
    data = codec.encode(Op.FORWARD, 123456789, 987654321)
    assert len(data.encode()) <= MAX_BYTES
    cb = codec.decode(data, [Op.FORWARD])
    assert cb.op is Op.FORWARD and cb.int(0) == 123456789 and cb.int(1) == 987654321


@pytest.mark.parametrize("forged", [
    None, "", "x", "1:rf:1:2", "2:rf:1:2:abcdef12", "1:rf:1:2:00000000", "1:rf:1:3:" + "0" * 8,
    "1:" + "a" * 80, "💥" * 20, "1:rf::", "1:rf:1:2:3:4:5:6:7",
])
def test_forged_or_garbled_data_is_refused(forged):
    with pytest.raises(BadCallback):
        codec.decode(forged, [Op.FORWARD])


def test_a_valid_tag_for_another_op_or_arity_is_refused():
    data = codec.encode(Op.STATUS, 5)
    with pytest.raises(BadCallback):
        codec.decode(data, [Op.FORWARD])
    other = CallbackCodec("999:OTHER").encode(Op.FORWARD, 1, 2)
    with pytest.raises(BadCallback):
        codec.decode(other, [Op.FORWARD])


def test_unsafe_parts_cannot_be_encoded():
    with pytest.raises(ValueError):
        codec.encode(Op.STATUS, "a:b")


def test_an_op_is_encoded_with_exactly_its_argument_count():
    with pytest.raises(ValueError):
        codec.encode(Op.FORWARD, 1)


def test_every_op_fits_in_64_bytes_with_large_ids_and_is_selected_by_its_pattern():
    ops = list(Op)
    assert len({op.value for op in ops}) == len(ops)
    for op in ops:
        data = codec.encode(op, *([2**40] * op.nargs))
        assert len(data.encode()) <= MAX_BYTES
        assert pattern(op).match(data)
        assert codec.decode(data).op is op
        # A pattern never takes another op whose name merely starts alike ("pc" vs "pcy").
        assert [o for o in ops if pattern(o).match(data)] == [op]


def test_an_offices_buttons_name_it_and_office_one_reads_as_before() -> None:
    first = codec.encode(Op.FORWARD, 5, 7)
    assert first.startswith("1:") and codec.decode(first).office == 1
    seventh = codec.for_office(7)
    data = seventh.encode(Op.FORWARD, 5, 7)
    assert data.startswith("1k7:")
    got = codec.decode(data)  # any office's codec reads any office's button (same key)
    assert (got.op, got.args, got.office) == (Op.FORWARD, ("5", "7"), 7)
    assert office_in(data) == 7 and office_in(first) == 1 and office_in("garbage") is None
    assert pattern(Op.FORWARD).match(data) and pattern(Op.FORWARD).match(first)


def test_an_office_cannot_be_swapped_on_a_button() -> None:
    data = codec.for_office(7).encode(Op.FORWARD, 5, 7)
    for forged in (data.replace("1k7:", "1k8:", 1), data.replace("1k7:", "1:", 1), data.replace("1k7:", "1k07:", 1)):
        with pytest.raises(BadCallback):
            codec.decode(forged)


def test_a_button_of_a_big_office_number_still_fits() -> None:
    data = codec.for_office(999_999_999).encode(Op.FORWARD, 2**31, 2**31)
    assert len(data.encode()) <= 64
