"""Candidate field checks and the Vietnamese date parser."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

import pytest

from lamha_desktop.domain.validation import (
    FieldIssue,
    age_on,
    normalize_pid,
    parse_date_vn,
    validate_candidate,
)

TODAY = date(2025, 6, 15)
GOOD: dict[str, Any] = {
    "full_name": "Nguyễn Thị Ánh",
    "gender": "nu",
    "birth": date(2008, 3, 5),
    "personal_id": "068308001234",
    "ethnic": "Kinh",
    "religion": "",
    "today": TODAY,
}


def codes(**changes: Any) -> list[str]:
    return [i.code for i in validate_candidate(**{**GOOD, **changes})]


def test_good_candidate_is_valid() -> None:
    assert validate_candidate(**GOOD) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"full_name": ""}, ["name.required"]),
        ({"full_name": "   "}, ["name.required"]),
        ({"full_name": "Nguyễn Văn 2"}, ["name.invalid"]),
        ({"full_name": "Trần@Bình"}, ["name.invalid"]),
        ({"full_name": "'-."}, ["name.invalid"]),
        ({"full_name": "K' Điểu"}, []),
        ({"full_name": "Ka Nhi"}, []),
        ({"full_name": "Bơ-nah Ha Thu"}, []),
        ({"full_name": unicodedata.normalize("NFD", "Đặng Thị Ánh")}, []),
        ({"full_name": " Lê   Văn  Tám "}, []),
        ({"gender": ""}, ["gender.required"]),
        ({"gender": "khac"}, ["gender.invalid"]),
        ({"gender": "nam"}, []),
        ({"gender": "Nữ"}, []),
        ({"gender": "NAM"}, []),
        ({"birth": None}, ["birth.required"]),
        ({"birth": date(2025, 6, 16)}, ["birth.future"]),
        ({"birth": date(2011, 6, 16)}, ["birth.too_young"]),  # 13 the day before the 14th birthday
        ({"birth": date(2011, 6, 15)}, []),  # 14 today
        ({"birth": date(1964, 6, 15)}, ["birth.too_old"]),  # 61 today
        ({"birth": date(1964, 6, 16)}, []),  # still 60
        ({"personal_id": ""}, ["pid.required"]),
        ({"personal_id": "  "}, ["pid.required"]),
        ({"personal_id": "0683 0800 1234"}, []),
        ({"personal_id": "68308001234"}, ["pid.format"]),  # a lost leading zero
        ({"personal_id": "0683080012345"}, ["pid.format"]),
        ({"personal_id": "06830800123A"}, ["pid.format"]),
        ({"personal_id": "０６８３０８００１２３４"}, ["pid.format"]),  # full-width digits
        ({"ethnic": ""}, ["ethnic.required"]),
        ({"ethnic": "Kinh Tày"}, ["ethnic.unknown"]),
        ({"ethnic": "K'Ho"}, []),
        ({"ethnic": "16"}, []),
        ({"religion": "Không"}, []),
        ({"religion": "Thiên chúa giáo"}, []),
        ({"religion": "Đạo lạ"}, ["religion.unknown"]),
        (
            {"full_name": "", "gender": "", "birth": None, "personal_id": "", "ethnic": "", "religion": "?"},
            [
                "name.required",
                "gender.required",
                "birth.required",
                "pid.required",
                "ethnic.required",
                "religion.unknown",
            ],
        ),
    ],
)
def test_validate_candidate_codes(changes: dict[str, Any], expected: list[str]) -> None:
    assert codes(**changes) == expected


def test_issue_fields_and_params() -> None:
    issues = validate_candidate(**{**GOOD, "birth": date(2012, 1, 1), "personal_id": "123", "ethnic": "xyz"})
    assert issues == [
        FieldIssue("birth", "birth.too_young", {"age": 13, "minimum": 14}),
        FieldIssue("personal_id", "pid.format", {"length": 3}),
        FieldIssue("ethnic", "ethnic.unknown", {"value": "xyz"}),
    ]


def test_duplicate_id_is_looked_up_normalised() -> None:
    seen: list[str] = []

    def existing(pid: str) -> bool:
        seen.append(pid)
        return pid == "068308001234"

    issues = validate_candidate(**{**GOOD, "personal_id": " 068 308 001 234 "}, existing_ids=existing)
    assert issues == [FieldIssue("personal_id", "pid.duplicate", {"pid": "068308001234"})]
    assert seen == ["068308001234"]
    assert validate_candidate(**{**GOOD, "personal_id": "068308001235"}, existing_ids=existing) == []


def test_duplicate_not_looked_up_for_a_malformed_id() -> None:
    def existing(pid: str) -> bool:
        raise AssertionError(pid)

    assert codes(personal_id="12", existing_ids=existing) == ["pid.format"]


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2008, 3, 5), date(2026, 3, 4), 17),
        (date(2008, 3, 5), date(2026, 3, 5), 18),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
    ],
)
def test_age_on(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


def test_normalize_pid() -> None:
    assert normalize_pid(" 001 203\t004567 ") == "001203004567"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/09/2008", date(2008, 9, 5)),
        ("5/9/2008", date(2008, 9, 5)),
        ("05-09-2008", date(2008, 9, 5)),
        ("5-9-2008", date(2008, 9, 5)),
        ("5 / 9 / 2008", date(2008, 9, 5)),
        ("05.09.2008", date(2008, 9, 5)),
        (" 05/09/2008 ", date(2008, 9, 5)),
        ("2008-09-05", date(2008, 9, 5)),
        ("2008-9-5", date(2008, 9, 5)),
        ("29/02/2008", date(2008, 2, 29)),
        ("31/12/1999", date(1999, 12, 31)),
        ("5/9/08", date(2008, 9, 5)),
        ("1/1/00", date(2000, 1, 1)),
        ("1/1/26", date(2026, 1, 1)),  # this year (2025) + 1
        ("1/1/27", date(1927, 1, 1)),
        ("15/6/65", date(1965, 6, 15)),
    ],
)
def test_parse_date_vn(text: str, expected: date) -> None:
    assert parse_date_vn(text, today=TODAY) == expected


def test_two_digit_year_pivot_moves_with_today() -> None:
    assert parse_date_vn("1/1/27", today=date(2026, 1, 1)) == date(2027, 1, 1)
    assert parse_date_vn("1/1/28", today=date(2026, 1, 1)) == date(1928, 1, 1)


def test_parse_date_vn_defaults_to_the_system_date() -> None:
    assert parse_date_vn("05/09/2008") == date(2008, 9, 5)
    assert parse_date_vn("1/1/00") == date(2000, 1, 1)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "31/02/2008",
        "29/02/2023",
        "31/04/2008",
        "00/01/2008",
        "01/00/2008",
        "13/13/2008",
        "1/1/208",
        "1/1/1899",
        "1/1/2100",
        "2008/09/05",
        "05/09/2008 extra",
        "05/09",
        "5 9 2008",
        "05/09-2008",
        "05-09/2008",
        "٠٥/٠٩/٢٠٠٨",
        "2008-02-30",
        "20080905",
    ],
)
def test_parse_date_vn_invalid(text: str) -> None:
    with pytest.raises(ValueError, match=r"^date\.invalid$"):
        parse_date_vn(text, today=TODAY)


# ---------------------------------------------------------------- text limits


def test_one_table_of_text_limits_all_under_an_excel_cell() -> None:
    from lamha_desktop.catalogue.limits import TEXT_FIELD_NAMES
    from lamha_desktop.domain import validation

    assert validation.text_limit("full_name") == 500
    assert validation.text_limit("notes") == 2_000
    assert validation.text_limit("class_name") == 100
    assert validation.text_limit("no_such_field") == 2_000  # free text
    assert max(validation.TEXT_LIMITS.values()) < validation.EXCEL_CELL_CHARS
    assert set(TEXT_FIELD_NAMES) == set(validation.TEXT_LIMITS)  # every field has a Vietnamese name


def test_check_text_lengths_reports_each_field_past_its_limit() -> None:
    from lamha_desktop.domain.validation import check_text_lengths

    assert check_text_lengths({"full_name": "A" * 500, "notes": "x" * 2_000, "class_name": None, "age": 99}) == []
    issues = check_text_lengths({"full_name": "A" * 501, "notes": "x" * 2_001, "residence": "ok"})
    assert issues == [FieldIssue("full_name", "text.too_long", {"length": 501, "limit": 500}),
                      FieldIssue("notes", "text.too_long", {"length": 2_001, "limit": 2_000})]
    # measured as stored: NFC, spaces collapsed (a decomposed or padded name of 500 letters is not too long)
    decomposed = unicodedata.normalize("NFD", "Ánh ") * 125
    assert len(decomposed) > 500
    assert check_text_lengths({"full_name": decomposed[:-1]}) == []
    assert check_text_lengths({"full_name": "A" + " " * 600 + "B"}) == []
    assert check_text_lengths({"full_name": "A" + " " * 50_000 + "B"}) == []  # past the probed beginning
    huge = check_text_lengths({"full_name": "Á" * 4_194_304})
    assert huge == [FieldIssue("full_name", "text.too_long", {"length": 4_194_304, "limit": 500})]


@pytest.mark.parametrize(("field", "value", "other"), [
    ("full_name", "Nguyễn " + "Ánh" * 4_194_304, "name.invalid"),
    ("full_name", "Nguyễn Thị " + "Ánh " * 150, None),
    ("ethnic", "Kinh" * 30, "ethnic.unknown"),
    ("religion", "Không" * 30, "religion.unknown"),
    ("gender", "Nữ" * 60, "gender.invalid"),
])
def test_the_candidate_checks_refuse_a_text_past_its_limit(field: str, value: str, other: str | None) -> None:
    issues = [i for i in validate_candidate(**{**GOOD, field: value}) if i.field == field]
    assert [i.code for i in issues] == ["text.too_long"]  # and nothing else about that field
    assert issues[0].params["limit"] < len(value)
    assert other not in codes(**{field: value})


def test_a_record_may_lack_its_id_and_ethnic_group_until_a_step_needs_them() -> None:
    from lamha_desktop.domain.validation import missing_facts

    assert codes(personal_id="", ethnic="") == ["pid.required", "ethnic.required"]  # a complete record
    assert validate_candidate(**{**GOOD, "personal_id": "", "ethnic": "", "complete": False}) == []
    # What is given is still checked.
    incomplete = {**GOOD, "personal_id": "68308001234", "ethnic": "Kinhh", "complete": False}
    assert [i.code for i in validate_candidate(**incomplete)] == ["pid.format", "ethnic.unknown"]
    assert missing_facts(personal_id=None, ethnic="  ") == ("personal_id", "ethnic")
    assert missing_facts(personal_id="068308001234", ethnic=None) == ("ethnic",)
    assert missing_facts(personal_id="068308001234", ethnic="01") == ()
