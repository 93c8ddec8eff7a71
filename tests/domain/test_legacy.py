"""Tests for lamha_desktop.domain.legacy: TCVN3 and VNI text to Unicode and back."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lamha_desktop.domain import legacy

LOWER_TONED = "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵ"  # the 67 non-ASCII lowercase
UPPER_TONED = LOWER_TONED.upper()
TCVN3_CAPITALS = "ĂÂÊÔƠƯĐ"
ASCII_LETTERS = "abcdeghiklmnopqrstuvxyABCDEGHIKLMNOPQRSTUVXY"

# Common syllables of names, to build realistic Unicode names.
SYLLABLES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Thị",
    "Văn",
    "Đức",
    "Hữu",
    "Minh",
    "Ngọc",
    "Thanh",
    "Hương",
    "Hường",
    "Trường",
    "Thủy",
    "Thuỳ",
    "Quỳnh",
    "Khánh",
    "Ánh",
    "Anh",
    "Bảo",
    "Châu",
    "Diệp",
    "Dũng",
    "Giang",
    "Hà",
    "Hạnh",
    "Hiếu",
    "Hòa",
    "Huệ",
    "Khoa",
    "Lâm",
    "Linh",
    "Loan",
    "Mai",
    "Nga",
    "Nhung",
    "Oanh",
    "Phúc",
    "Phượng",
    "Quang",
    "Quý",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thư",
    "Tiến",
    "Trâm",
    "Tú",
    "Tuấn",
    "Uyên",
    "Vân",
    "Việt",
    "Xuân",
    "Yến",
    "Ước",
    "Ơn",
    "Ông",
    "Kiều",
    "Nguyệt",
    "Tuyết",
    "Nghĩa",
    "Huyền",
    "Khuê",
    "Ngoãn",
    "Thoại",
    "Toàn",
]


def test_fixture_letters() -> None:
    assert len(set(LOWER_TONED)) == len(LOWER_TONED) == 67
    assert len(set(UPPER_TONED)) == 67
    assert all(unicodedata.is_normalized("NFC", ch) for ch in LOWER_TONED + UPPER_TONED)


# ---------------------------------------------------------------------------------------------------- fonts


@pytest.mark.parametrize(
    ("font", "encoding"),
    [
        (".VnTime", "tcvn3"),
        (".VnTimeH", "tcvn3"),
        (".VnArial", "tcvn3"),
        (".VnArial NarrowH", "tcvn3"),
        (".vntime", "tcvn3"),
        (" .VnCentury Schoolbook ", "tcvn3"),
        ("VNI-Times", "vni"),
        ("VNI-Helve", "vni"),
        ("VNI-Helve-Condense", "vni"),
        ("vni-times", "vni"),
        ("VNI Times", "vni"),
        ("Times New Roman", None),
        ("Arial", None),
        ("Calibri", None),
        ("VnTime", None),  # without the dot it is not an ABC font name
        ("", None),
        (None, None),
    ],
)
def test_encoding_for_font(font: str | None, encoding: str | None) -> None:
    assert legacy.encoding_for_font(font) == encoding


@pytest.mark.parametrize(
    ("font", "capitals"),
    [
        (".VnTimeH", True),
        (".VnArialH", True),
        (".VnArial NarrowH", True),
        (".VnTime", False),
        (".VnArial", False),
        ("VNI-Times", False),
        ("Times New Roman", False),
        ("ARIALH", False),  # not a TCVN3 font
        (None, False),
    ],
)
def test_is_capitals_font(font: str | None, capitals: bool) -> None:
    assert legacy.is_capitals_font(font) is capitals


# --------------------------------------------------------------------------------------- explicit encodings


@pytest.mark.parametrize(
    ("legacy_text", "expected"),
    [
        ("Hoaøng", "Hoàng"),
        ("Traàn Thò Hoaøng", "Trần Thị Hoàng"),
        ("Nguyeãn Vaên Bình", "Nguyễn Văn Bình"),
        ("Ñaëng Thò Thuøy Döông", "Đặng Thị Thùy Dương"),
        ("Tröôøng THPT Laâm Haø", "Trường THPT Lâm Hà"),
        ("ÑAÛNG COÄNG SAÛN VIEÄT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM"),
        ("Kyø hoïp thöù nhaát", "Kỳ họp thứ nhất"),
        ("Hoàng", "Hồng"),  # what a Unicode "Hoàng" means if it is forced through VNI
        ("Ngoïc Ò Ó Æ Î î", "Ngọc Ị Ĩ Ỉ Ỵ ỵ"),
        ("AØ Aø aØ", "À À à"),  # a mark in the other case is accepted; the base decides
        ("01/02/2024 - soá 12", "01/02/2024 - số 12"),
    ],
)
def test_to_unicode_vni(legacy_text: str, expected: str) -> None:
    assert legacy.to_unicode(legacy_text, encoding="vni") == expected


@pytest.mark.parametrize(
    ("legacy_text", "expected"),
    [
        ("TrÇn ThÞ Hoµng", "Trần Thị Hoàng"),
        ("§¶ng Céng s¶n ViÖt Nam", "Đảng Cộng sản Việt Nam"),
        ("Tr\u00adêng THPT L©m Hµ", "Trường THPT Lâm Hà"),  # ư is the soft hyphen U+00AD
        ("NguyÔn V¨n An", "Nguyễn Văn An"),
        ("§µo Duy Tõ", "Đào Duy Từ"),
        ("¡ ¢ £ ¤ ¥ ¦ §", "Ă Â Ê Ô Ơ Ư Đ"),
        ("Quúnh Kh\u00ad¬ng", "Quỳnh Khương"),
        ("ngµy 03 th¸ng 7 n¨m 2024", "ngày 03 tháng 7 năm 2024"),
    ],
)
def test_to_unicode_tcvn3(legacy_text: str, expected: str) -> None:
    assert legacy.to_unicode(legacy_text, encoding="tcvn3") == expected


@pytest.mark.parametrize(
    ("legacy_text", "expected"),
    [
        ("céng hoµ x· héi chñ nghÜa viÖt nam", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("§¶NG Bé", "ĐẢNG BỘ"),
    ],
)
def test_to_unicode_tcvn3_capitals_font(legacy_text: str, expected: str) -> None:
    assert legacy.to_unicode(legacy_text, encoding="tcvn3", capitals=True) == expected


@pytest.mark.parametrize("encoding", ["TCVN3", " vni ", "Vni"])
def test_encoding_names_are_case_insensitive(encoding: str) -> None:
    assert legacy.to_unicode("abc", encoding=encoding) == "abc"


@pytest.mark.parametrize("encoding", ["viqr", "utf-8", "", "tcvn"])
def test_unknown_encoding(encoding: str) -> None:
    with pytest.raises(ValueError, match="unknown legacy encoding"):
        legacy.to_unicode("abc", encoding=encoding)
    with pytest.raises(ValueError, match="unknown legacy encoding"):
        legacy.from_unicode("abc", encoding)


# ------------------------------------------------------------------------------------------- from_unicode


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("Hoàng", "vni", "Hoaøng"),
        ("Trường", "vni", "Tröôøng"),
        ("ĐẢNG", "vni", "ÑAÛNG"),
        ("Trần Thị Hoàng", "tcvn3", "TrÇn ThÞ Hoµng"),
        ("Trường", "tcvn3", "Tr\u00adêng"),
        ("Đảng", "tcvn3", "§¶ng"),
        ("CỘNG HOÀ", "tcvn3", "CéNG HOµ"),  # toned capitals: lowercase codes for a ...H font
        ("Hoa\u0300ng", "vni", "Hoaøng"),  # NFD input is composed first
        ("2024 - №", "vni", "2024 - №"),  # other characters are kept
    ],
)
def test_from_unicode(text: str, encoding: str, expected: str) -> None:
    assert legacy.from_unicode(text, encoding) == expected


@pytest.mark.parametrize("letter", list(LOWER_TONED + UPPER_TONED))
def test_vni_round_trip_every_letter(letter: str) -> None:
    encoded = legacy.from_unicode(letter, "vni")
    assert encoded != letter or letter in "ìíÌÍ"  # these four are the same characters in VNI
    assert all(ord(ch) < 0x100 for ch in encoded)
    assert 1 <= len(encoded) <= 2
    assert legacy.to_unicode(encoded, encoding="vni") == letter


@pytest.mark.parametrize("letter", list(LOWER_TONED + TCVN3_CAPITALS))
def test_tcvn3_round_trip_every_letter(letter: str) -> None:
    encoded = legacy.from_unicode(letter, "tcvn3")
    assert len(encoded) == 1
    assert 0xA1 <= ord(encoded) <= 0xFE
    assert legacy.to_unicode(encoded, encoding="tcvn3") == letter


@pytest.mark.parametrize("letter", [ch for ch in UPPER_TONED if ch not in TCVN3_CAPITALS])
def test_tcvn3_toned_capitals_use_the_capitals_font_convention(letter: str) -> None:
    encoded = legacy.from_unicode(letter, "tcvn3")
    assert encoded == legacy.from_unicode(letter.lower(), "tcvn3")
    assert legacy.to_unicode(encoded, encoding="tcvn3") == letter.lower()
    assert legacy.to_unicode(encoded, encoding="tcvn3", capitals=True) == letter


def test_tables_are_one_to_one() -> None:
    tcvn3 = [legacy.from_unicode(ch, "tcvn3") for ch in LOWER_TONED + TCVN3_CAPITALS]
    vni = [legacy.from_unicode(ch, "vni") for ch in LOWER_TONED + UPPER_TONED]
    assert len(set(tcvn3)) == len(tcvn3) == 74
    assert len(set(vni)) == len(vni) == 134


# ---------------------------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    "text",
    [
        "Trần Thị Hoàng",
        "Hoàng",  # read as VNI it would be "Hồng": plausible Unicode is kept
        "Nguyễn Văn An",
        "Hà Vân Anh",
        "Lê Thị Thu Hà",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "THPT Lê Quý Đôn",
        "Nguyen Van A",
        "",
        "12/05/2024",
        "Café crème",  # not Vietnamese, but neither legacy reading is either
        "Søren",
        "Peña",
        "K'Brơi",
        "Bru-Vân Kiều",
        "Müller",
    ],
)
def test_detection_keeps_unicode(text: str) -> None:
    assert legacy.to_unicode(text) == text


def test_detection_composes_nfd() -> None:
    assert legacy.to_unicode("Tra\u0302\u0300n Thi\u0323 Hoa\u0300ng") == "Trần Thị Hoàng"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TrÇn ThÞ Hoµng", "Trần Thị Hoàng"),  # TCVN3
        ("§µo Duy Tõ", "Đào Duy Từ"),  # TCVN3
        ("NguyÔn V¨n An", "Nguyễn Văn An"),  # TCVN3
        ("Tr\u00adêng THPT L©m Hµ", "Trường THPT Lâm Hà"),  # TCVN3
        ("Hoaøng", "Hoàng"),  # VNI
        ("Tröôøng THPT Laâm Haø", "Trường THPT Lâm Hà"),  # VNI
        ("Ñaëng Thò Thuøy Döông", "Đặng Thị Thùy Dương"),  # VNI
        # VNI with only characters Unicode uses too: converted because, read as Unicode, "Nguyeãn" is no
        # Vietnamese syllable, while the VNI reading is.
        ("Nguyeãn Thò Mai", "Nguyễn Thị Mai"),
    ],
)
def test_detection_converts_clear_legacy(text: str, expected: str) -> None:
    assert legacy.to_unicode(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "¸¸¸",  # TCVN3 characters that make no Vietnamese word
        "aøø",  # a VNI mark left over
        "Hoaøng §µo",  # mixed encodings: neither reading is clean
    ],
)
def test_detection_leaves_unclear_text_alone(text: str) -> None:
    assert legacy.to_unicode(text) == text


def test_detection_with_capitals() -> None:
    assert legacy.to_unicode("TrÇn ThÞ Hoµng", capitals=True) == "TRẦN THỊ HOÀNG"


# --------------------------------------------------------------------------------------------- properties

vni_alphabet = st.sampled_from(LOWER_TONED + UPPER_TONED + ASCII_LETTERS + " ")
tcvn3_alphabet = st.sampled_from(LOWER_TONED + TCVN3_CAPITALS + ASCII_LETTERS + " ")
names = st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=4).map(" ".join)


@pytest.mark.slow
@settings(max_examples=300, database=None)
@given(st.text(alphabet=vni_alphabet, max_size=40))
def test_vni_round_trip(text: str) -> None:
    assert legacy.to_unicode(legacy.from_unicode(text, "vni"), encoding="vni") == text


@pytest.mark.slow
@settings(max_examples=300, database=None)
@given(st.text(alphabet=tcvn3_alphabet, max_size=40))
def test_tcvn3_round_trip(text: str) -> None:
    assert legacy.to_unicode(legacy.from_unicode(text, "tcvn3"), encoding="tcvn3") == text


@pytest.mark.slow
@settings(max_examples=300, database=None)
@given(st.text(alphabet=vni_alphabet, max_size=40))
def test_tcvn3_round_trip_in_capitals(text: str) -> None:
    upper = text.upper()
    encoded = legacy.from_unicode(upper, "tcvn3")
    assert legacy.to_unicode(encoded, encoding="tcvn3", capitals=True) == upper


@pytest.mark.slow
@settings(max_examples=300, database=None)
@given(names)
def test_detection_never_misreads_names(name: str) -> None:
    assert legacy.to_unicode(name) == name
    for encoding in legacy.ENCODINGS:
        encoded = legacy.from_unicode(name, encoding)
        decoded = legacy.to_unicode(encoded, encoding=encoding)
        # TCVN3 has no toned capitals (they come back in lowercase); VNI gives the name back.
        assert decoded == name if encoding == "vni" else decoded.casefold() == name.casefold()
        # Detection either recognises the encoding or leaves the text alone; it never invents a third text.
        assert legacy.to_unicode(encoded) in {decoded, encoded}
