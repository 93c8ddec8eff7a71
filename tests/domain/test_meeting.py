"""The paperwork's facts kept with a step (``domain/meeting.py``) and the names of bodies in a document header."""

from __future__ import annotations

from datetime import date, time

import pytest

from lamha_desktop.domain import meeting
from lamha_desktop.domain.organisation import committee_of, party_body
from lamha_desktop.domain.pipeline import EventKind as K


@pytest.mark.parametrize(("text", "expected"), [
    ("14:00", time(14, 0)), ("7:30", time(7, 30)), ("14h", time(14, 0)), ("14h30", time(14, 30)),
    ("14 giờ 30", time(14, 30)), ("8g15", time(8, 15)), (" 9 : 05 ", time(9, 5)), ("14 giờ 30 phút", time(14, 30)),
])
def test_times_typed_by_hand(text: str, expected: time) -> None:
    assert meeting.parse_time(text) == expected
    assert meeting.format_time(expected) == f"{expected.hour:02d}:{expected.minute:02d}"


@pytest.mark.parametrize("text", ["", "sáng", "24:00", "14:60", "14.00", "-1:00", "1400"])
def test_what_is_not_a_time(text: str) -> None:
    assert meeting.parse_time(text) is None


def codes(kind: str, data: dict[str, object], today: date | None = None) -> set[str]:
    return {i.code for i in meeting.fact_issues(kind, data, today=today)}


def test_a_meeting_s_attendance_and_votes() -> None:
    good = {"members": 9, "agree": 8, "disagree": 1, "official_present": 9, "probationary": 2,
            "probationary_present": 1, "start": "14:00", "end": "16:30", "method": "secret", "number": "05-NQ/CB",
            "minutes_number": "Số 2 - BB/CB"}
    assert codes(K.VOTE, good) == set()
    assert codes(K.VOTE, {"members": 9, "agree": 8}) == set()  # nothing of the paperwork yet: nothing wrong
    assert codes(K.VOTE, good | {"official_present": 10}) == {"meeting.attendance_invalid"}
    assert codes(K.VOTE, good | {"probationary_present": 3}) == {"meeting.attendance_invalid"}
    assert codes(K.VOTE, good | {"official_present": 8}) == {"meeting.votes_over_present"}
    assert codes(K.VOTE, good | {"official_present": "chín"}) == {"fact.count_invalid"}
    assert codes(K.VOTE, good | {"end": "13:00"}) == {"meeting.end_before_start"}
    assert codes(K.VOTE, good | {"start": "sáng"}) == {"meeting.time_invalid"}
    assert codes(K.VOTE, good | {"method": "vote"}) == {"meeting.method_invalid"}
    assert codes(K.VOTE, good | {"number": "năm"}) == {"meeting.number_invalid"}
    assert codes(K.RECOGNITION, good | {"official_present": 10}) == {"meeting.attendance_invalid"}
    assert codes(K.DANG_UY, {"members": 9, "present": 10, "number": "07-NQ/ĐU"}) == {"meeting.committee_invalid"}
    assert codes(K.DANG_UY, {"members": 9, "present": 8, "disagree": "x"}) == {"fact.count_invalid"}


def test_an_introducer_s_dates_and_a_summary_of_opinions() -> None:
    today = date(2026, 12, 1)
    intro = {"item": "gioi_thieu", "member_birth": "1980-01-02", "member_admitted_on": "2005-03-04"}
    assert codes(K.DOSSIER, intro, today) == set()
    assert codes(K.DOSSIER, intro | {"member_official_on": "2027-01-01"}, today) == {"step.future"}
    assert codes(K.DOSSIER, intro | {"member_assigned_on": "hôm qua"}, today) == {"fact.date_invalid"}
    opinions = {"item": "nx_doan_the", "members": 38, "asked": 38, "agree": 37, "disagree": 1}
    assert codes(K.DOSSIER, opinions) == set()
    assert codes(K.DOSSIER, opinions | {"asked": 40}) == {"opinions.counts_invalid"}
    assert codes(K.DOSSIER, opinions | {"agree": 38}) == {"opinions.counts_invalid"}
    assert codes(K.DOSSIER, {"item": "don", "member_birth": "x"}) == set()  # not an introducer's paper
    assert codes(K.CEREMONY, {"start": "25h"}) == {"meeting.time_invalid"}


def test_the_personal_keys_cover_every_name_and_personal_date() -> None:
    assert meeting.DATE_KEYS <= meeting.PERSONAL_KEYS
    assert {"chair", "secretary", "helpers", "member_posts"} <= meeting.PERSONAL_KEYS
    assert not {"number", "official_present", "agree", "members"} & meeting.PERSONAL_KEYS


@pytest.mark.parametrize(("committee", "body"), [
    ("Huyện ủy Lâm Hà", "Đảng bộ huyện Lâm Hà"),
    ("Huyện uỷ Lâm Hà", "Đảng bộ huyện Lâm Hà"),
    ("Tỉnh ủy Lâm Đồng", "Đảng bộ tỉnh Lâm Đồng"),
    ("Thành ủy Đà Lạt", "Đảng bộ thành phố Đà Lạt"),
    ("Đảng ủy xã   Nam Ban", "Đảng bộ xã Nam Ban"),
    ("Ban Thường vụ X", "Ban Thường vụ X"),
])
def test_the_party_body_a_committee_leads(committee: str, body: str) -> None:
    assert party_body(committee) == body


def test_the_committee_of_a_party_body() -> None:
    assert committee_of("Đảng bộ Trường THPT Tân Hà") == "Đảng ủy Trường THPT Tân Hà"
    assert committee_of("Chi bộ Trường THPT Lê Quý Đôn") == "Chi bộ Trường THPT Lê Quý Đôn"
