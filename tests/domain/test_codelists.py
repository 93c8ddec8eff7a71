"""Code lists: the data files, the forgiving lookups and the minority / religion predicates."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

import pytest

from lamha_desktop import paths
from lamha_desktop.domain import codelists, people

CODELISTS = Path(__file__).resolve().parents[2] / "resources" / "codelists"


def _compact(text: str) -> str:
    return re.sub(r"[\s\-'’.]+", "", people.search_key(text))


def test_resources_dir_is_the_repository_folder() -> None:
    assert paths.resources_dir() == CODELISTS.parent
    assert (paths.resources_dir() / "codelists" / "ethnic_groups.json").is_file()


def test_resources_dir_when_frozen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "resources"


def test_ethnic_groups_are_the_54_official_codes() -> None:
    groups = codelists.ethnic_groups()
    assert len(groups) == 54
    assert [g.code for g in groups] == [f"{i:02d}" for i in range(1, 55)]
    assert groups[0].name == "Kinh"
    assert groups[15].name == "Cơ-ho"
    assert groups[53].name == "Rơ-măm"


def test_religions_are_the_14_plus_none_and_other() -> None:
    items = codelists.religions()
    assert len(items) == 16
    assert [r.code for r in items] == ["00", *(f"{i:02d}" for i in range(1, 15)), "99"]
    assert items[0].name == "Không"
    assert items[-1].name == "Khác"


def test_returned_lists_are_copies() -> None:
    codelists.ethnic_groups().clear()
    assert len(codelists.ethnic_groups()) == 54


@pytest.mark.parametrize("loader", [codelists.ethnic_groups, codelists.religions])
def test_every_spelling_resolves_to_its_own_item(loader: object) -> None:
    items = loader()  # type: ignore[operator]
    find = codelists.find_ethnic if loader is codelists.ethnic_groups else codelists.find_religion
    for item in items:
        for spelling in (item.name, *item.aliases, item.code):
            assert find(spelling) == item, spelling


@pytest.mark.parametrize("name", ["ethnic_groups.json", "religions.json"])
def test_spellings_are_unambiguous_even_without_marks_and_separators(name: str) -> None:
    data = json.loads((CODELISTS / name).read_text(encoding="utf-8"))
    owner: dict[str, str] = {}
    for item in data["items"]:
        for spelling in (item["name"], *item["aliases"]):
            for key in (people.search_key(spelling), _compact(spelling)):
                assert owner.setdefault(key, item["code"]) == item["code"], (spelling, owner[key])


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kinh", "01"),
        ("kinh", "01"),
        ("KINH", "01"),
        ("Dân tộc Kinh", "01"),
        ("1", "01"),
        ("01", "01"),
        ("16", "16"),
        (" 16 ", "16"),
        ("Tày", "02"),
        ("Tay", "02"),
        ("Khơ-me", "05"),
        ("Khơ Me", "05"),
        ("Khmer", "05"),
        ("khome", "05"),
        ("HMông", "08"),
        ("H'Mông", "08"),
        ("H’Mông", "08"),
        ("Mông", "08"),
        ("Hmông", "08"),
        ("hmong", "08"),
        ("H Mông", "08"),
        ("Gia-rai", "10"),
        ("Gia Rai", "10"),
        ("Jrai", "10"),
        ("Ê-đê", "12"),
        ("Ê Đê", "12"),
        ("Êđê", "12"),
        ("ede", "12"),
        ("Ba-na", "13"),
        ("Ba Na", "13"),
        ("Bana", "13"),
        ("Cơ-ho", "16"),
        ("Cơ Ho", "16"),
        ("co ho", "16"),
        ("coho", "16"),
        ("K'Ho", "16"),
        ("K'ho", "16"),
        ("K’Ho", "16"),
        ("Kơ Ho", "16"),
        ("Koho", "16"),
        ("CƠ-HO", "16"),
        (unicodedata.normalize("NFD", "Cơ-ho"), "16"),
        ("Mnông", "20"),
        ("M'Nông", "20"),
        ("Mơ Nông", "20"),
        ("Ra-glai", "21"),
        ("Raglai", "21"),
        ("Xtiêng", "22"),
        ("Stiêng", "22"),
        ("Bru-Vân Kiều", "23"),
        ("Vân Kiều", "23"),
        ("Mạ", "28"),
        ("Ma", "28"),
        ("Co", "30"),
        ("Tà-ôi", "31"),
        ("Ta-ôi", "31"),
        ("Tà Ôi", "31"),
        ("Chu-ru", "36"),
        ("Chu Ru", "36"),
        ("Lào", "37"),
        ("Cơ Lao", "47"),
        ("Co Lao", "47"),
        ("colao", "47"),
        ("Ơ Đu", "53"),
        ("Rơ-măm", "54"),
    ],
)
def test_find_ethnic(text: str, code: str) -> None:
    item = codelists.find_ethnic(text)
    assert item is not None, text
    assert item.code == code


@pytest.mark.parametrize("text", ["", "   ", "0", "55", "99", "Kinh Tày", "Việt Nam", "xyz"])
def test_find_ethnic_unknown(text: str) -> None:
    assert codelists.find_ethnic(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "00"),
        ("   ", "00"),
        ("không", "00"),
        ("Không", "00"),
        ("Khong", "00"),
        ("KHÔNG", "00"),
        ("-", "00"),
        ("0", "00"),
        ("00", "00"),
        ("Phật giáo", "01"),
        ("Phật", "01"),
        ("Đạo Phật", "01"),
        ("phat giao", "01"),
        ("1", "01"),
        ("Công giáo", "02"),
        ("Thiên chúa giáo", "02"),
        ("Thiên Chúa", "02"),
        ("Đạo Thiên Chúa", "02"),
        ("thien chua", "02"),
        ("Phật giáo Hòa Hảo", "03"),
        ("Hòa Hảo", "03"),
        ("Hoà Hảo", "03"),
        ("Hồi giáo", "04"),
        ("Islam", "04"),
        ("Cao Đài", "05"),
        ("Đạo Cao Đài", "05"),
        ("Minh sư đạo", "06"),
        ("Minh lý đạo", "07"),
        ("Tin lành", "08"),
        ("Tin Lành", "08"),
        ("Đạo Tin lành", "08"),
        ("Cơ đốc", "08"),
        ("Tịnh độ cư sĩ Phật hội Việt Nam", "09"),
        ("Tứ ân hiếu nghĩa", "10"),
        ("Bửu sơn Kỳ hương", "11"),
        ("Ba Ha'i", "12"),
        ("Baha'i", "12"),
        ("Bà La Môn", "13"),
        ("Mặc Môn", "14"),
        ("14", "14"),
        ("Khác", "99"),
        ("99", "99"),
    ],
)
def test_find_religion(text: str, code: str) -> None:
    item = codelists.find_religion(text)
    assert item is not None, text
    assert item.code == code


@pytest.mark.parametrize("text", ["xyz", "15", "Đạo", "Phật giáo Hòa"])
def test_find_religion_unknown(text: str) -> None:
    assert codelists.find_religion(text) is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [("01", False), ("1", False), ("02", True), ("16", True), ("54", True), ("55", False), ("", False)],
)
def test_is_minority(code: str, expected: bool) -> None:
    assert codelists.is_minority(code) is expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("00", False),
        ("0", False),
        ("", False),
        ("01", True),
        ("8", True),
        ("14", True),
        ("99", True),
        ("15", False),
    ],
)
def test_has_religion(code: str, expected: bool) -> None:
    assert codelists.has_religion(code) is expected


def test_dossier_items() -> None:
    items = codelists.dossier_items()
    assert [d.code for d in items] == [
        "don",
        "ly_lich",
        "tham_tra",
        "nq_doan",
        "gioi_thieu",
        "nx_noi_cu_tru",
        "nx_doan_the",
    ]
    assert [d.order for d in items] == sorted(d.order for d in items)
    by_code = {d.code: d for d in items}
    assert by_code["don"].form == "Mẫu 1-KNĐ"
    assert by_code["ly_lich"].form == "Mẫu 2-KNĐ"
    assert by_code["gioi_thieu"].form == "Mẫu 3-KNĐ"
    assert by_code["nq_doan"].form == "Mẫu 4-KNĐ"
    assert by_code["nx_noi_cu_tru"].form == by_code["nx_doan_the"].form == "Mẫu 5-KNĐ"
    assert by_code["tham_tra"].form is None
    assert by_code["tham_tra"].required
    assert not by_code["nq_doan"].required  # the two-introducer route needs no union resolution
    assert {d.code for d in items if d.group == "introduction"} == {"nq_doan", "gioi_thieu"}
    assert codelists.dossier_item("don") == by_code["don"]
    assert codelists.dossier_item("nope") is None


def test_dossier_form_numbers_are_marked_uncertain() -> None:
    data = json.loads((CODELISTS / "dossier_items.json").read_text(encoding="utf-8"))
    assert "[unsure]" in data["note"]
    assert "12-HD/BTCTW" in data["note"]
