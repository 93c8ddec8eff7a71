"""Bad input, never a crash: property-based tests over the name, date, validation and legacy-text functions.

Every input gives a correct result or a clear error (``ValueError("date.invalid")``, a ``FieldIssue`` code);
no other exception escapes. Round trips of the legacy encodings are in test_legacy.py, the ordering laws of
the sort key in test_people.py; here are the "any input at all" properties.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from lamha_desktop.domain import legacy, people, validation

pytestmark = pytest.mark.slow

VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyàằầèềìòồờùừỳảẳẩẻểỉỏổởủửỷãẵẫẽễĩõỗỡũữỹáắấéếíóốớúứýạặậẹệịọộợụựỵ"
viet_word = st.text(alphabet=VIET, min_size=1, max_size=7)
viet_name = st.lists(viet_word, min_size=1, max_size=5).map(lambda ws: " ".join(w.capitalize() for w in ws))
any_text = st.text(max_size=60)  # every code point hypothesis likes: controls, surrogates excluded, RTL...
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------- people


@SETTINGS
@given(any_text)
@example("\u200b Nguyễn\u00a0\u00a0Thị\tÁnh \ufeff")
@example("")
def test_name_functions_accept_any_text(text: str) -> None:
    norm = people.normalize_text(text)
    assert norm == norm.strip()
    assert "  " not in norm
    assert unicodedata.is_normalized("NFC", norm)
    family, given_name = people.split_name(text)
    assert " ".join(p for p in (family, given_name) if p) == norm
    key = people.search_key(text)
    assert key == key.strip()
    assert people.search_key(key) == key
    assert isinstance(people.sort_key(text), str)
    assert isinstance(people.strip_tones(text), str)


@SETTINGS
@given(viet_name)
def test_search_key_ignores_case_tones_and_form(name: str) -> None:
    key = people.search_key(name)
    assert key.isascii()
    assert people.search_key(name.upper()) == key
    assert people.search_key(people.strip_tones(name)) == key
    assert people.search_key(unicodedata.normalize("NFD", name)) == key
    assert people.sort_key(unicodedata.normalize("NFD", name)) == people.sort_key(name)
    assert people.sort_key(f"  {name} ") == people.sort_key(name)


@SETTINGS
@given(st.lists(viet_name, min_size=2, max_size=8))
def test_sorting_by_key_is_deterministic(names: list[str]) -> None:
    once = sorted(names, key=people.sort_key)
    keys = [people.sort_key(n) for n in once]
    assert keys == sorted(keys)
    assert [people.sort_key(n) for n in sorted(reversed(names), key=people.sort_key)] == keys


# ---------------------------------------------------------------- legacy text


@SETTINGS
@given(any_text, st.sampled_from([None, "tcvn3", "vni", "TCVN3", " vni "]), st.booleans())
def test_legacy_converter_accepts_any_text(text: str, encoding: str | None, capitals: bool) -> None:
    out = legacy.to_unicode(text, encoding=encoding, capitals=capitals)
    assert unicodedata.is_normalized("NFC", out)
    for enc in legacy.ENCODINGS:
        assert isinstance(legacy.from_unicode(text, enc), str)


@SETTINGS
@given(any_text, st.text(min_size=1, max_size=10).filter(lambda e: e.strip().lower() not in legacy.ENCODINGS))
def test_unknown_encoding_is_a_clear_error(text: str, encoding: str) -> None:
    with pytest.raises(ValueError, match="unknown legacy encoding"):
        legacy.to_unicode(text, encoding=encoding)
    with pytest.raises(ValueError, match="unknown legacy encoding"):
        legacy.from_unicode(text, encoding)


@SETTINGS
@given(viet_name)
def test_unicode_vietnamese_is_never_converted_by_detection(name: str) -> None:
    assume(any(ord(c) > 0xFF for c in name))  # carries evidence of being Unicode
    assert legacy.to_unicode(name) == unicodedata.normalize("NFC", name)


@SETTINGS
@given(st.one_of(st.none(), any_text))
def test_font_names_never_crash(font: str | None) -> None:
    enc = legacy.encoding_for_font(font)
    assert enc in (None, *legacy.ENCODINGS)
    assert isinstance(legacy.is_capitals_font(font), bool)


# ---------------------------------------------------------------- dates


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))


@SETTINGS
@given(dates, st.sampled_from(["/", "-", "."]), st.booleans(), st.text(alphabet=" \t", max_size=3))
def test_every_typed_form_of_a_date_parses_back(day: dt.date, sep: str, pad: bool, space: str) -> None:
    d, m = (f"{day.day:02d}", f"{day.month:02d}") if pad else (str(day.day), str(day.month))
    assert validation.parse_date_vn(f"{space}{d}{sep}{m}{sep}{day.year}{space}") == day
    assert validation.parse_date_vn(day.isoformat()) == day


@SETTINGS
@given(dates, st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2098, 12, 31)))
def test_two_digit_years_follow_the_pivot(day: dt.date, today: dt.date) -> None:
    parsed = validation.parse_date_vn(f"{day.day}/{day.month}/{day.year % 100:02d}", today=today)
    assert (parsed.month, parsed.day, parsed.year % 100) == (day.month, day.day, day.year % 100)
    assert parsed.year <= today.year + 1
    assert parsed.year > today.year + 1 - 100


@SETTINGS
@given(any_text)
@example("31/02/2008")
@example("01/13/2008")
@example("1/1/1899")
@example("05/09-2008")
@example("٠٥/٠٩/٢٠٠٨")  # Arabic-Indic digits are not accepted as a date
def test_any_text_gives_a_date_or_date_invalid(text: str) -> None:
    outcome: object
    try:
        outcome = validation.parse_date_vn(text, today=dt.date(2025, 6, 1))
    except ValueError as exc:
        outcome = str(exc)
    if isinstance(outcome, dt.date):
        assert dt.date(1900, 1, 1) <= outcome <= dt.date(2099, 12, 31)
    else:
        assert outcome == "date.invalid"


@SETTINGS
@given(dates, st.sampled_from([("/", "-"), ("-", "/"), (".", "/")]))
def test_mixed_separators_are_refused(day: dt.date, seps: tuple[str, str]) -> None:
    with pytest.raises(ValueError, match=r"^date\.invalid$"):
        validation.parse_date_vn(f"{day.day}{seps[0]}{day.month}{seps[1]}{day.year}")


# ---------------------------------------------------------------- candidate validation


@SETTINGS
@given(full_name=any_text, gender=any_text, birth=st.one_of(st.none(), st.dates()), pid=any_text,
       ethnic=any_text, religion=any_text)
def test_validation_reports_codes_for_any_input(full_name: str, gender: str, birth: dt.date | None, pid: str,
                                                ethnic: str, religion: str) -> None:
    issues = validation.validate_candidate(full_name=full_name, gender=gender, birth=birth, personal_id=pid,
                                           ethnic=ethnic, religion=religion, today=dt.date(2025, 6, 1),
                                           existing_ids=lambda p: False)
    fields = {"full_name", "gender", "birth", "personal_id", "ethnic", "religion"}
    for issue in issues:
        assert issue.field in fields
        assert "." in issue.code
    pid_ok = validation.normalize_pid(pid)
    if len(pid_ok) == 12 and pid_ok.isascii() and pid_ok.isdigit():
        assert not any(i.field == "personal_id" for i in issues)
    else:
        assert any(i.field == "personal_id" for i in issues)


@SETTINGS
@given(st.text(alphabet="0123456789 \u00a0\t", max_size=20))
def test_personal_id_normalisation_keeps_digits(pid: str) -> None:
    norm = validation.normalize_pid(pid)
    assert norm == "".join(c for c in pid if c.isdigit())
