"""The exemption record's answers (PerKI 1/2017): the Pasal 17 letters, the reason, the period."""
from datetime import date

import pytest

from domain.kip import GROUNDS, ExemptionError, ExemptPeriod, clean_reason, parse_exempt_period
from texts.id import kip as K

TODAY = date(2026, 12, 5)


def test_every_letter_of_pasal_17_has_its_words():
    assert list(GROUNDS) == list("abcdefghij") and set(K.GROUNDS) == set(GROUNDS)
    assert K.ground_label("h") == "Pasal 17 huruf h: mengungkap rahasia pribadi"


@pytest.mark.parametrize("text, period", [
    ("5", ExemptPeriod(years=5)), ("5 tahun", ExemptPeriod(years=5)), (" 30 thn ", ExemptPeriod(years=30)),
    ("31-12-2030", ExemptPeriod(until=date(2030, 12, 31))), ("6/12/2026", ExemptPeriod(until=date(2026, 12, 6))),
])
def test_a_period_in_years_or_until_a_date(text, period):
    assert parse_exempt_period(text, TODAY) == period


@pytest.mark.parametrize("text, code", [
    ("lima tahun", "unreadable"), ("", "unreadable"), ("31-02-2030", "unreadable"), ("0", "years"),
    ("101 tahun", "years"), ("5-12-2026", "past"), ("1/1/2020", "past"),
])
def test_a_period_refused(text, code):
    with pytest.raises(ExemptionError) as refused:
        parse_exempt_period(text, TODAY)
    assert refused.value.code == code


def test_the_reason_is_required():
    assert clean_reason("  Memuat   data pribadi \n\n  pemohon ") == "Memuat data pribadi\n\npemohon"
    for blank in ("", "   ", "\n \n"):
        with pytest.raises(ExemptionError):
            clean_reason(blank)
    assert K.period_label(None, date(2030, 12, 31)) == "sampai 31 Desember 2030" and K.period_label(5, None) == "5 tahun"
