"""Tests for lamha_desktop.domain.people: normalisation, search keys, name splitting, Vietnamese order."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lamha_desktop.domain import people
from lamha_desktop.domain.people import Tone

LOWER_LETTERS = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
VIETNAMESE_LETTERS = LOWER_LETTERS + LOWER_LETTERS.upper()
# Whitespace and invisible characters that arrive from spreadsheets and the web.
ODD_SPACES = " \t\n\r\u00a0\u2007\u202f\u3000\u200b\ufeff"
# Other text: combining marks (NFD input), Latin letters of other languages, another script, digits, signs.
OTHER_CHARS = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031bçñößøÆÐðİĳﬁＡ가中0123-'.,"


def test_alphabet_fixture_is_complete() -> None:
    # 22 base letters of the alphabet (with f j w z missing) + all toned vowels: 89 lowercase letters.
    assert len(set(LOWER_LETTERS)) == len(LOWER_LETTERS) == 89
    assert all(unicodedata.is_normalized("NFC", ch) for ch in VIETNAMESE_LETTERS)


# ---------------------------------------------------------------------------------------------- normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Nguyễn   Thị  Ánh ", "Nguyễn Thị Ánh"),
        ("Nguyễn\u00a0Thị\tÁnh\n", "Nguyễn Thị Ánh"),
        ("Nguye\u0302\u0303n Thi\u0323 A\u0301nh", "Nguyễn Thị Ánh"),  # NFD
        ("Trần\r\n\r\nVăn\u3000Ba", "Trần Văn Ba"),
        ("Lê\u200b Văn\ufeff Tám", "Lê Văn Tám"),  # invisible characters removed
        ("Ho\u200b\u0300a", "Hòa"),  # removal happens before composition
        ("", ""),
        (" \t\n ", ""),
        ("An", "An"),
        ("\u00adư", "\u00adư"),  # soft hyphen is kept: it is "ư" in TCVN3 text
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert people.normalize_text(raw) == expected


# --------------------------------------------------------------------------------------------- search_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nguyễn Thị Ánh", "nguyen thi anh"),
        ("Đặng", "dang"),
        ("đảng", "dang"),
        ("ĐẢNG CỘNG SẢN VIỆT NAM", "dang cong san viet nam"),
        ("Trương  Thị\u00a0Hường", "truong thi huong"),
        ("Nguye\u0302\u0303n", "nguyen"),  # NFD input
        ("Ðặng", "dang"),  # eth, as some converters write Đ
        ("THPT Lê Quý Đôn", "thpt le quy don"),
        ("Ｈà", "ha"),  # full-width letter folded
        ("K'Brơi", "k'broi"),
        ("Bru-Vân Kiều", "bru-van kieu"),
        ("", ""),
    ],
)
def test_search_key(text: str, expected: str) -> None:
    assert people.search_key(text) == expected


@pytest.mark.parametrize(("a", "b"), [("Đặng", "dang"), ("Nữ", "NU"), ("Hòa", "Hoà"), ("Ánh", "anh")])
def test_search_key_meets(a: str, b: str) -> None:
    assert people.search_key(a) == people.search_key(b)


@pytest.mark.parametrize(("a", "b"), [("Ánh", "Anh Thư"), ("An", "Anh"), ("Dũng", "Dùng Đình")])
def test_search_key_keeps_different_names_apart(a: str, b: str) -> None:
    assert people.search_key(a) != people.search_key(b)


# --------------------------------------------------------------------------------------------- split_name


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("Nguyễn Thị Ánh", ("Nguyễn Thị", "Ánh")),
        ("  Trần   Văn  Ba ", ("Trần Văn", "Ba")),
        ("Tôn Nữ Thị Hồng Nhung", ("Tôn Nữ Thị Hồng", "Nhung")),
        ("Lê An", ("Lê", "An")),
        ("Ánh", ("", "Ánh")),
        ("", ("", "")),
        ("Ka\u00a0H'Lan", ("Ka", "H'Lan")),
    ],
)
def test_split_name(full: str, expected: tuple[str, str]) -> None:
    assert people.split_name(full) == expected


# ---------------------------------------------------------------------------------------------------- tones


@pytest.mark.parametrize(
    ("word", "tone"),
    [
        ("an", Tone.NONE),
        ("Hoàng", Tone.HUYEN),
        ("Hoà", Tone.HUYEN),
        ("Thủy", Tone.HOI),
        ("Dũng", Tone.NGA),
        ("Ánh", Tone.SAC),
        ("Thị", Tone.NANG),
        ("Nguye\u0323\u0302t", Tone.NANG),  # NFD, dot below before circumflex
        ("Ơn", Tone.NONE),
    ],
)
def test_tone_of(word: str, tone: Tone) -> None:
    assert people.tone_of(word) is tone


def test_tone_order_is_the_dictionary_order() -> None:
    assert Tone.NONE < Tone.HUYEN < Tone.HOI < Tone.NGA < Tone.SAC < Tone.NANG


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Nguyễn Thị Ánh", "Nguyên Thi Anh"), ("Đặng Trường", "Đăng Trương"), ("ĐẢNG", "ĐANG"), ("ẶẬ", "ĂÂ")],
)
def test_strip_tones(text: str, expected: str) -> None:
    assert people.strip_tones(text) == expected


# ------------------------------------------------------------------------------------------------ sort_key


@pytest.mark.parametrize(
    ("smaller", "larger"),
    [
        ("An", "Anh"),  # prefix first
        ("Anh", "Ánh"),  # same letters: no tone < sắc
        ("Ánh", "Ăn"),  # a < ă decides before tones
        ("Ăn", "Ân"),  # ă < â
        ("Ân", "Ba"),
        ("Dũng", "Đào"),  # d < đ
        ("Dung", "Dũng"),
        ("Du", "Dung"),
        ("Oanh", "Ông"),  # o < ô
        ("Ông", "Ơn"),  # ô < ơ
        ("Uyên", "Ưng"),  # u < ư
        ("Ưng", "Ước"),  # n < ơ
        ("Em", "Êm"),  # e < ê
        ("Ha", "Hà"),  # none < huyền
        ("Hà", "Hả"),  # huyền < hỏi
        ("Hả", "Hã"),  # hỏi < ngã
        ("Hã", "Há"),  # ngã < sắc
        ("Há", "Hạ"),  # sắc < nặng
        ("Hạ", "Hai"),  # letters before tones: "ha" < "hai"
        ("Nguyễn Văn Anh", "Lê Thị Bình"),  # given name first
        ("Lê Thị Anh", "Nguyễn Văn Anh"),  # then family
        ("Lê Anh", "Lê Văn Anh"),  # shorter family first
        ("Ánh", "Nguyễn Ánh"),  # no family first
        ("Nguyễn Văn Ánh", "Lê Thị Anh Thư"),  # given names "Ánh" < "Thư"
        ("Lê Thị Hà", "Lê Thị Hạ"),
        ("Lê Văn Anh", "Lê Vân Anh"),  # ă < â inside the family name
        ("Nguyễn Thị Anh", "Nguyễn Thị Ánh"),
        ("Nguyễn Anh Ánh", "Trần Ánh"),  # same given name: "nguyen anh" < "tran"
        ("Hoàng Văn Ánh", "Lê Thị Anh"),  # letters of the whole name before the tone of the given name
        ("Lê Quý Đôn 2", "Lê Quý Đôn A"),  # digits before letters
        ("Hồ An", "Hô Anh"),  # given-name letters beat family tones
        ("Lò Văn An", "Lon Văn An"),  # "lo van" < "lon van": a space sorts before a letter, whatever the tone
        ("Hô Văn An", "Hồ Văn An"),  # all letters equal: family tone none < huyền
        ("Trần Thị Hà", "Trần Thị Hạ"),
    ],
)
def test_sort_key_pairs(smaller: str, larger: str) -> None:
    assert people.sort_key(smaller) < people.sort_key(larger)
    assert people.sort_key(larger) > people.sort_key(smaller)


@pytest.mark.parametrize(("a", "b"), [("Nguyễn Thị Ánh", "NGUYỄN THỊ ÁNH"), ("an", "An"), (" Lê  An ", "Lê An")])
def test_sort_key_is_case_and_space_insensitive(a: str, b: str) -> None:
    assert people.sort_key(a) == people.sort_key(b)


def test_sort_key_nfd_equals_nfc() -> None:
    name = "Nguyễn Thị Ánh"
    assert people.sort_key(unicodedata.normalize("NFD", name)) == people.sort_key(name)


def test_sort_key_tone_placement_variants_are_adjacent_but_distinct() -> None:
    old, new = people.sort_key("Hòa"), people.sort_key("Hoà")
    assert old != new
    # No other name fits between them.
    for other in ("Hoa", "Hỏa", "Hóa", "Hoan", "Hòan"):
        key = people.sort_key(other)
        assert not (min(old, new) < key < max(old, new)), other


EXPECTED_ORDER = [
    "Nguyễn Văn An",
    # Given names "Anh" and "Ánh" have the same letters: the family names decide before the tones.
    "Hoàng Văn Ánh",
    "Lê Thị Anh",
    "Phạm Thị Ánh",
    "Trần Anh",
    "Đỗ Thị Ăn",
    "Vũ Văn Ân",
    "Lê Thị Ba",
    "Trần Văn Bình",
    "Lê Văn Cường",
    "Phạm Du",
    "Nguyễn Thị Dung",
    "Trần Văn Dũng",
    "Lê Văn Đào",
    "Nguyễn Thị Êm",
    "Hoàng Thị Hà",
    "Trần Thị Hà",
    "Trần Thị Hạ",  # same letters as the previous one: huyền < nặng
    "Lê Thị Hoa",
    "Lê Thị Hóa",
    "Nguyễn Thị Hòa",
    "Phạm Thị Hoà",
    "Y Hoan",
    "Nguyễn Thị Oanh",
    "Lê Văn Ông",
    "Trần Văn Ơn",
    "Nguyễn Thị Thư",
    "Lê Thị Thương",
    "Trần Thị Uyên",
    "Lê Văn Ưng",
    "Hoàng Văn Ước",
    "Nguyễn Thị Yến",
]


@pytest.mark.parametrize("seed", range(5))
def test_sorting_a_shuffled_list(seed: int) -> None:
    shuffled = EXPECTED_ORDER[:]
    random.Random(seed).shuffle(shuffled)
    assert sorted(shuffled, key=people.sort_key) == EXPECTED_ORDER


def test_sort_key_orders_like_sqlite_binary_collation() -> None:
    import sqlite3

    con = sqlite3.connect(":memory:")
    try:
        con.execute("CREATE TABLE person (name TEXT, sort_key TEXT)")
        con.executemany(
            "INSERT INTO person VALUES (?, ?)",
            [(name, people.sort_key(name)) for name in EXPECTED_ORDER[::-1]],
        )
        rows = [name for (name,) in con.execute("SELECT name FROM person ORDER BY sort_key")]
    finally:
        con.close()
    assert rows == EXPECTED_ORDER


@pytest.mark.parametrize(
    ("smaller", "larger"),
    [
        ("THPT Lâm Hà", "THPT Lê Quý Đôn"),  # whole text from the first word, â < ê
        ("THPT Lê Quý Đôn", "THPT Tân Hà"),
        ("THPT Huỳnh Thúc Kháng", "THPT Lâm Hà"),
        ("Chi bộ 12A", "Chi bộ 12B"),
        ("Đạ Huoai", "Đà Lạt"),  # letters first: "da huoai" < "da lat" whatever the tones
        ("Da Lat", "Đà Lạt"),  # d < đ
        ("Lâm Hà", "Lâm Hạ"),  # same letters: tones decide
    ],
)
def test_text_sort_key_pairs(smaller: str, larger: str) -> None:
    assert people.text_sort_key(smaller) < people.text_sort_key(larger)


def test_text_sort_key_ignores_case_and_spacing() -> None:
    assert people.text_sort_key("  THPT  Lâm Hà ") == people.text_sort_key("thpt lâm hà")


def test_text_sort_key_differs_from_name_order() -> None:
    schools = ["THPT Thăng Long", "THPT Lê Quý Đôn", "THPT Tân Hà", "THPT Lâm Hà", "THPT Huỳnh Thúc Kháng"]
    assert sorted(schools, key=people.text_sort_key) == [
        "THPT Huỳnh Thúc Kháng",
        "THPT Lâm Hà",
        "THPT Lê Quý Đôn",
        "THPT Tân Hà",
        "THPT Thăng Long",
    ]
    # As person names they would sort by the last word: Đôn, Hà, Hà, Kháng, Long.
    assert sorted(schools, key=people.sort_key)[0] == "THPT Lê Quý Đôn"


# ---------------------------------------------------------------------------------------------- properties

vietnamese_text = st.text(alphabet=st.sampled_from(VIETNAMESE_LETTERS + " "), max_size=40)
any_text = st.text(alphabet=st.sampled_from(VIETNAMESE_LETTERS + ODD_SPACES + OTHER_CHARS), max_size=40)


@pytest.mark.slow
@settings(max_examples=300, database=None)
@given(vietnamese_text)
def test_search_key_is_ascii_for_vietnamese(text: str) -> None:
    key = people.search_key(text)
    assert key.isascii()
    assert key == key.lower()
    assert key == key.strip()
    assert "  " not in key


@pytest.mark.slow
@settings(max_examples=300, database=None)
@given(any_text)
def test_search_key_is_idempotent(text: str) -> None:
    key = people.search_key(text)
    assert people.search_key(key) == key


@pytest.mark.slow
@settings(max_examples=300, database=None)
@given(any_text)
def test_normalize_text_is_idempotent(text: str) -> None:
    once = people.normalize_text(text)
    assert people.normalize_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert once == once.strip()
    assert not any(ch.isspace() and ch != " " for ch in once)


@pytest.mark.slow
@settings(max_examples=300, database=None)
@given(vietnamese_text, vietnamese_text)
def test_sort_key_equal_only_for_case_and_spacing(a: str, b: str) -> None:
    same_text = people.normalize_text(a).casefold() == people.normalize_text(b).casefold()
    assert (people.sort_key(a) == people.sort_key(b)) is same_text


def _sign(x: str, y: str) -> int:
    return (x > y) - (x < y)


@pytest.mark.slow
@settings(max_examples=300, database=None)
@given(vietnamese_text, vietnamese_text)
def test_sort_key_tones_never_override_letters(a: str, b: str) -> None:
    plain_a, plain_b = people.strip_tones(a), people.strip_tones(b)
    if people.normalize_text(plain_a).casefold() == people.normalize_text(plain_b).casefold():
        return  # same letters: tones may decide
    assert _sign(people.sort_key(a), people.sort_key(b)) == _sign(people.sort_key(plain_a), people.sort_key(plain_b))
