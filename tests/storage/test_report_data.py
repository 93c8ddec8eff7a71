"""The figures of a return, computed by SQL on real databases: the demo, and small hand-made cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lamha_desktop.domain import people
from lamha_desktop.storage import report_data, settings, writers
from lamha_desktop.storage.report_data import PeriodError, parse_period

D = dt.date


@pytest.mark.parametrize(("text", "half", "start", "end"), [
    ("2024-H1", True, D(2024, 1, 1), D(2024, 6, 30)),
    ("2024-h1", True, D(2024, 1, 1), D(2024, 6, 30)),
    ("2024-H2", True, D(2024, 7, 1), D(2024, 12, 31)),
    ("2024", False, D(2024, 1, 1), D(2024, 12, 31)),
])
def test_parse_period_calendar_halves(text: str, half: bool, start: dt.date, end: dt.date) -> None:
    p = parse_period(text)
    assert (p.year, p.half, p.start, p.end) == (2024, half, start, end)
    assert p.year_start == D(2024, 1, 1)
    assert p.code == text.upper()


def test_parse_period_with_cutoffs_starting_in_previous_year() -> None:
    h1 = parse_period("2024-H1", h1_start="12-15", h1_end="06-14")
    assert (h1.start, h1.end) == (D(2023, 12, 15), D(2024, 6, 14))
    h2 = parse_period("2024-H2", h1_start="12-15", h1_end="06-14")
    assert (h2.start, h2.end, h2.year_start) == (D(2024, 6, 15), D(2024, 12, 14), D(2023, 12, 15))
    year = parse_period("2024", h1_start="12-15", h1_end="06-14")
    assert (year.start, year.end) == (D(2023, 12, 15), D(2024, 12, 14))
    assert h1.title == "6 tháng đầu năm 2024"
    assert h2.title == "6 tháng cuối năm 2024"
    assert year.title == "năm 2024"


def test_a_year_is_not_a_review_of_a_half() -> None:
    """The guidance calls the first half's report "sơ kết" and the year's "tổng kết"."""
    assert [(p.summary_kind, p.summary_title) for p in (parse_period("2026-H1"), parse_period("2026-H2"),
                                                         parse_period("2026"))] == [
        ("Sơ kết", "Báo cáo sơ kết 6 tháng đầu năm 2026"),
        ("Kết quả", "Báo cáo kết quả 6 tháng cuối năm 2026"),
        ("Tổng kết", "Báo cáo tổng kết năm 2026")]


def test_second_half_counts_the_year_from_its_start(demo_store: object) -> None:
    """H2 is July–December; "admitted in the year" still counts from 1 January (the target is per year)."""
    h2 = report_data.collect(report_data.period_from_settings("2024-H2"), report_date=D(2025, 1, 5))
    year = report_data.collect(report_data.period_from_settings("2024"), report_date=D(2025, 1, 5))
    h1 = report_data.collect(report_data.period_from_settings("2024-H1"), report_date=D(2024, 7, 3))
    assert h2.total.admitted == year.total.admitted - h1.total.admitted > 0
    assert h2.total.admitted_in_year == year.total.admitted_in_year
    assert {s.ceremony_date.month for s in h2.students} <= set(range(7, 13))


@pytest.mark.parametrize("text", ["2024-H3", "24", "abc", "", "2024-H1x"])
def test_parse_period_rejects_with_a_code(text: str) -> None:
    with pytest.raises(ValueError, match=r"period\.invalid") as info:
        parse_period(text)
    assert isinstance(info.value, PeriodError)
    assert info.value.code == "period.invalid"


def test_demo_first_half_2024(demo_store: object) -> None:
    data = report_data.collect(report_data.period_from_settings("2024-H1"), report_date=D(2024, 7, 3))
    assert data.total.admitted == 14
    assert data.total.cumulative == 18
    assert len(data.students) == 14
    by_code = {o.code: o for o in data.organisations}
    assert {c: o.admitted for c, o in by_code.items()} == {"LQD": 4, "TANHA": 3, "LAMHA": 3, "HTK": 2, "TL": 2}
    assert by_code["LQD"].cumulative == 5  # 1 in 2023 + 2 + 2
    assert all(o.target_met for o in data.organisations)
    names = [s.full_name for s in data.students]
    assert names == sorted(names, key=people.sort_key)
    s = data.students[0]
    assert s.probation_end == D(s.ceremony_date.year + 1, s.ceremony_date.month, s.ceremony_date.day)
    assert s.decision_no.endswith("-QĐ/HU")
    assert s.decision_date is not None
    assert data.header.place_date == "Lâm Hà, ngày 03 tháng 7 năm 2024"
    assert data.header.upper_body == "HUYỆN ỦY LÂM HÀ"
    assert data.payload is not None
    assert len(data.payload.students) == 14


def test_demo_whole_year_2024(demo_store: object) -> None:
    data = report_data.collect(report_data.period_from_settings("2024"), report_date=D(2025, 1, 5))
    assert data.total.admitted == 17  # 14 in the first half, then October, November, December
    # Graduates transfer after their ceremony (a month later when they were admitted after graduating):
    # HTK (08/2024), LQD (09/2024) and ten graduates' transfers of 2024, one per student.
    from lamha_desktop.storage.models import Candidate, Event

    in_2024 = (Event.select().join(Candidate)
               .where((Event.kind == "transfer") & (Event.on.between(D(2024, 1, 1), D(2024, 12, 31)))))
    assert in_2024.count() == 12
    assert all(e.on > e.candidate.admitted_on for e in in_2024)
    assert data.total.transferred == 12
    assert data.total.recognised == 3  # the 2023 admissions of LQD, TANHA, LAMHA
    assert data.total.cumulative == 21


def test_demo_one_organisation_and_unknown_code(demo_store: object) -> None:
    data = report_data.collect(report_data.period_from_settings("2024-H1"), org_code="lqd")
    assert [o.code for o in data.organisations] == ["LQD"]
    assert data.total.admitted == 4
    assert len(data.students) == 4
    assert {s.org_code for s in data.students} == {"LQD"}
    assert data.header.issuer == "CHI BỘ TRƯỜNG THPT LÊ QUÝ ĐÔN"
    with pytest.raises(report_data.ReportError) as info:
        report_data.collect(report_data.period_from_settings("2024-H1"), org_code="NOPE")
    assert info.value.code == "report.unknown_org"


def test_cutoff_setting_moves_the_period(demo_store: object) -> None:
    settings.set_value("h1_start", "12-15")
    settings.set_value("h1_end", "06-14")
    period = report_data.period_from_settings("2024-H1")
    data = report_data.collect(period)
    # the LQD ceremony of 14/06/2024 is the last day of this period; nothing between 15/12/2023 and 31/12/2023
    assert (period.start, period.end) == (D(2023, 12, 15), D(2024, 6, 14))
    assert data.total.admitted == 14


def _org(code: str = "A", target: int = 2) -> int:
    return writers.save_organisation({"code": code, "school_name": f"Trường THPT {code}", "name": f"Chi bộ {code}",
                                   "kind": "chi_bo", "official_members": 9, "annual_target": target})


def _cand(org: int, name: str, pid: str, **extra: Any) -> int:
    values = {"organisation_id": org, "full_name": name, "gender": "nu", "birth": D(2005, 3, 1),
              "ethnic": "Kinh", "religion": "Không", "personal_id": pid} | extra
    return writers.save_candidate(values, today=D(2024, 7, 1))


def test_column_definitions_on_hand_made_cases(store: object) -> None:
    org = _org()
    other = _org("B", target=0)
    # 1: listed, class and passed vote in the period, decision before the end: awaiting the ceremony
    c1 = _cand(org, "Nguyễn Thị Ánh", "068305000001")
    for kind, on, data in [("source", D(2023, 10, 1), {}), ("class", D(2024, 2, 1), {}),
                           ("vote", D(2024, 3, 1), {"members": 9, "agree": 8, "passed": True}),
                           ("decision", D(2024, 5, 2), {"number": "1-QĐ/HU"})]:
        writers.add_event(c1, kind, on, data)
    # 2: failed vote (recorded), and a vote without "passed" that meets 2/3 only counts once
    c2 = _cand(org, "Trần Văn Bình", "068205000002", gender="nam")
    writers.add_event(c2, "source", D(2024, 1, 5))
    writers.add_event(c2, "vote", D(2024, 2, 1), {"members": 9, "agree": 3, "passed": False})
    c3 = _cand(org, "Lê Văn Cường", "068205000003", gender="nam")
    writers.add_event(c3, "source", D(2024, 1, 5))
    writers.add_event(c3, "vote", D(2024, 4, 1), {"members": 9, "agree": 6})
    # 4: admitted in the period: minority, religion, union member; ceremony through a Ceremony row
    c4 = _cand(org, "Ka Thị Duyên", "068305000004", ethnic="Cơ-ho", religion="Công giáo",
               union_since=D(2021, 3, 26))
    writers.add_event(c4, "source", D(2023, 9, 1))
    writers.save_ceremony({"organisation_id": org, "on": D(2024, 6, 1), "decision_no": "9-QĐ/HU",
                        "decision_date": D(2024, 5, 10)}, [c4])
    # 5: removed before the end: not in training any more
    c5 = _cand(org, "Phạm Thị Em", "068305000005")
    writers.add_event(c5, "source", D(2023, 9, 1))
    writers.add_event(c5, "removed", D(2024, 2, 1), {"reason": "x"})
    # 6: listed after the end: not counted at all; 7: no event: not listed
    c6 = _cand(org, "Võ Thị Giang", "068305000006")
    writers.add_event(c6, "source", D(2024, 7, 2))
    _cand(org, "Đỗ Thị Hà", "068305000007")
    # another organisation, admitted last year: cumulative only when after the plan start
    c8 = _cand(other, "Bùi Văn Khoa", "068205000008", gender="nam")
    writers.add_event(c8, "source", D(2022, 9, 1))
    writers.save_ceremony({"organisation_id": other, "on": D(2023, 8, 1)}, [c8])

    data = report_data.collect(report_data.parse_period("2024-H1"))
    a = next(o for o in data.organisations if o.code == "A")
    b = next(o for o in data.organisations if o.code == "B")
    assert a.sent_to_class == 1
    assert a.with_resolution == 2  # c1 (recorded) and c3 (2/3 rule); c2 failed
    assert a.awaiting_ceremony == 1  # c1
    assert a.in_training == 2  # c2, c3 (c1 decided, c4 admitted, c5 removed, c6 later, c7 unlisted)
    assert (a.admitted, a.admitted_women, a.admitted_minority, a.admitted_religion, a.admitted_union) == (
        1, 1, 1, 1, 1)
    assert a.admitted_in_year == 1
    assert a.target_met is False
    assert (b.admitted, b.cumulative, b.target_met) == (0, 1, True)  # target 0 is met
    assert data.total.cumulative == 2
    assert [s.full_name for s in data.students] == ["Ka Thị Duyên"]
    assert data.students[0].decision_no == "9-QĐ/HU"
    assert data.students[0].ethnic_name == "Cơ-ho"
    assert data.students[0].religion_name == "Công giáo"


def test_inactive_organisation_without_figures_is_left_out(store: object) -> None:
    _org("A")
    gone = _org("Z")
    writers.set_organisation_active(gone, False)
    data = report_data.collect(report_data.parse_period("2024"))
    assert [o.code for o in data.organisations] == ["A"]


def _school(place: str, secretary: str = "Trần Thị Minh Tâm", committee_place: str = "") -> int:
    from lamha_desktop.storage import repo

    committee = writers.save_committee({"name": "Đảng ủy xã Nam Ban", "valid_from": D(2025, 7, 1),
                                        "place": committee_place})
    assert repo.committee_in_force(D(2026, 7, 3)) is not None
    return writers.save_organisation({"code": "NB", "school_name": "Trường THPT Nam Ban", "name": "Chi bộ Nam Ban",
                                      "official_members": 9, "secretary": secretary, "place": place,
                                      "upper_committee_id": committee})


def test_the_place_is_the_organisations_and_the_secretary_signs(store: object) -> None:
    _school("Nam Ban")
    header = report_data.collect(parse_period("2026-H1"), report_date=D(2026, 7, 3)).header
    assert header.place_date == "Nam Ban, ngày 03 tháng 7 năm 2026"
    assert header.signer_name == "Trần Thị Minh Tâm"
    settings.set_value("signer_name", "Lê Văn Hùng")  # a signer named in the settings (a deputy) comes first
    assert report_data.collect(parse_period("2026-H1"), report_date=D(2026, 7, 3)).header.signer_name == "Lê Văn Hùng"


def test_without_a_place_the_upper_committees_and_never_a_default(store: object) -> None:
    _school("", committee_place="Lâm Đồng")
    assert report_data.collect(parse_period("2026"), report_date=D(2026, 12, 3)).header.place == "Lâm Đồng"
    writers.save_committee({"name": "Đảng ủy xã Nam Ban", "valid_from": D(2025, 7, 1), "place": ""}, 2)
    header = report_data.collect(parse_period("2026"), report_date=D(2026, 12, 3)).header
    assert header.place == ""  # nobody typed one: dots to fill in by hand, not "Lâm Hà"
    assert header.place_date.startswith("…………, ngày 03 tháng 12 năm 2026")


def test_the_cumulative_total_states_its_basis(store: object) -> None:
    _school("Nam Ban")
    header = report_data.collect(parse_period("2026"), report_date=D(2026, 12, 3)).header
    assert header.cumulative_basis == "lũy kế từ ngày 14/06/2023 theo Kế hoạch số 88-KH/HU ngày 14/06/2023"
    settings.set_value("plan_number", "")
    header = report_data.collect(parse_period("2026"), report_date=D(2026, 12, 3)).header
    assert header.cumulative_basis == "lũy kế từ ngày 14/06/2023, ngày bắt đầu kế hoạch"


def test_the_list_and_the_source_column_agree(store: object) -> None:
    """A student with no step is "Học sinh", not on the source list, and the return does not count them; any
    step puts them on the list and in the return's source column."""
    from lamha_desktop.domain import pipeline
    from lamha_desktop.storage import repo

    org = _school("Nam Ban")
    ids = [_cand(org, name, pid) for name, pid in (("Lê Vy", "068308000001"), ("Lê An", "068308000002"))]
    today = D(2026, 12, 3)

    def source_in_list() -> int:
        rows = repo.candidate_rows(repo.candidate_ids(), today=today).values()
        return sum(1 for r in rows if pipeline.Stage.SOURCE <= r.status.stage < pipeline.Stage.DECISION)

    def in_training() -> int:
        return report_data.collect(parse_period("2026"), report_date=today).total.in_training

    assert {r.status.stage for r in repo.candidate_rows(ids, today=today).values()} == {pipeline.Stage.STUDENT}
    assert source_in_list() == in_training() == 0
    writers.add_event(ids[0], pipeline.EventKind.SOURCE, D(2026, 9, 1), {})
    writers.add_event(ids[1], pipeline.EventKind.CLASS, D(2026, 10, 1), {})  # a class without a listing: on it
    assert source_in_list() == in_training() == 2
