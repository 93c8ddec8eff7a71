"""Names and free text: normalisation, diacritic-insensitive search keys and Vietnamese list order.

Everything here works on plain ``str`` and is deterministic, so the storage layer can keep the keys in
indexed columns (``search_key`` for searching with plain ``LIKE``, ``sort_key`` for ``ORDER BY`` under
SQLite's default BINARY collation).
"""

from __future__ import annotations

import functools
import unicodedata
from enum import IntEnum

__all__ = [
    "Tone",
    "normalize_text",
    "search_key",
    "sort_key",
    "split_name",
    "strip_tones",
    "text_sort_key",
    "tone_of",
]


class Tone(IntEnum):
    """The six Vietnamese tones, valued in dictionary order (none < huyền < hỏi < ngã < sắc < nặng)."""

    NONE = 0  # thanh ngang
    HUYEN = 1  # grave accent: à
    HOI = 2  # hook above: ả
    NGA = 3  # tilde: ã
    SAC = 4  # acute accent: á
    NANG = 5  # dot below: ạ


# Combining marks (as found after NFD) that carry a tone.
_TONE_MARKS: dict[str, Tone] = {
    "\u0300": Tone.HUYEN,
    "\u0309": Tone.HOI,
    "\u0303": Tone.NGA,
    "\u0301": Tone.SAC,
    "\u0323": Tone.NANG,
}

# Combining marks that make a separate letter of the alphabet: ă (breve), â ê ô (circumflex), ơ ư (horn).
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_LETTER_MARKS: dict[tuple[str, str], str] = {
    ("a", _BREVE): "ă",
    ("a", _CIRCUMFLEX): "â",
    ("e", _CIRCUMFLEX): "ê",
    ("o", _CIRCUMFLEX): "ô",
    ("o", _HORN): "ơ",
    ("u", _HORN): "ư",
}

# Characters removed outright by normalize_text: invisible format characters that sneak in from the web
# and from spreadsheets and would otherwise make two equal-looking names differ. The soft hyphen U+00AD is
# deliberately kept: in TCVN3 text it is the letter "ư" (see legacy.py).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

# Eth (U+00D0/U+00F0) is what some legacy converters produce for Đ/đ; they mean the same letter here.
_D_STROKE = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
_ETH_TO_D_STROKE = str.maketrans({"ð": "đ", "Ð": "đ"})

# The Vietnamese alphabet, digits first, in list order. Each symbol is mapped to one code point of a private
# ordered range (see _PRIMARY) so that plain code-point comparison of keys follows this order.
_ALPHABET = "0123456789aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_PRIMARY_BASE = 0x30  # the alphabet occupies U+0030..U+005A, all above the separators below
_PRIMARY: dict[str, str] = {ch: chr(_PRIMARY_BASE + i) for i, ch in enumerate(_ALPHABET)}

# Separators of sort_key. They must be below every primary symbol so that a prefix sorts first.
_SEP_GIVEN = "\x01"  # ends the given name
_SEP_LEVEL = "\x02"  # ends the family+middle name, then the tones
_SPACE = "\x03"  # a space inside a name part
_PUNCT = "\x04"  # any other non-alphanumeric character (hyphen, apostrophe, dot...)


def normalize_text(s: str) -> str:
    """Return *s* in NFC with surrounding whitespace trimmed and inner whitespace collapsed.

    Every run of Unicode whitespace (spaces, NBSP, tabs, newlines, ideographic spaces...) becomes one
    ASCII space. Invisible format characters (zero-width space and joiners, word joiner, BOM) are removed.
    Legacy-encoded text must go through ``legacy.to_unicode`` first.
    """
    s = unicodedata.normalize("NFC", s.translate(_INVISIBLE))
    return " ".join(s.split())


@functools.lru_cache(maxsize=8192)  # imports and lookups repeat the same texts (genders, groups, classes)
def search_key(s: str) -> str:
    """Return a case- and diacritic-insensitive key for searching.

    Tones and letter marks are dropped and đ/Đ becomes ``d``, so ``"Đặng Thị Ánh"``, ``"dang thi anh"``
    and ``"DANG THI ANH"`` share the key ``"dang thi anh"``. Compatibility forms are folded too (full-width
    letters, ligatures). Vietnamese text gives pure ASCII; other scripts keep their base letters.
    """
    s = normalize_text(s).casefold().translate(_D_STROKE)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    # Casefolding after NFKD catches letters that compatibility decomposition turned into capitals.
    s = unicodedata.normalize("NFKD", s.casefold().translate(_D_STROKE))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(s.split())


def split_name(full: str) -> tuple[str, str]:
    """Split a full name into (family + middle names, given name).

    The given name is the last word: ``"Nguyễn Thị Ánh"`` -> ``("Nguyễn Thị", "Ánh")``. A single word is a
    given name alone: ``("", word)``. The name is normalised first (see :func:`normalize_text`).
    """
    name = normalize_text(full)
    family, _, given = name.rpartition(" ")
    return family, given


def tone_of(word: str) -> Tone:
    """Return the tone of a syllable: the first tone mark found in it, or :attr:`Tone.NONE`."""
    for ch in unicodedata.normalize("NFD", word):
        tone = _TONE_MARKS.get(ch)
        if tone is not None:
            return tone
    return Tone.NONE


def strip_tones(s: str) -> str:
    """Remove the tone marks of *s* but keep the letters ă â ê ô ơ ư đ; the result is NFC.

    ``"Nguyễn Thị Ánh"`` -> ``"Nguyên Thi Anh"``.
    """
    decomposed = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))


def _letters(part: str) -> list[tuple[str, Tone]]:
    """Split a lowercase NFC text into (base symbol, tone) pairs, one per base character.

    The base symbol keeps the letter marks of the Vietnamese alphabet (``"ặ"`` -> ``("ă", NANG)``); other
    combining marks are ignored at this level.
    """
    out: list[tuple[str, Tone]] = []
    for ch in unicodedata.normalize("NFD", part):
        if unicodedata.combining(ch) and out:
            base, tone = out[-1]
            if ch in _TONE_MARKS:
                if tone is Tone.NONE:
                    out[-1] = (base, _TONE_MARKS[ch])
            else:
                out[-1] = (_LETTER_MARKS.get((base, ch), base), tone)
        else:
            out.append((ch, Tone.NONE))
    return out


def _primary(letters: list[tuple[str, Tone]]) -> str:
    chars: list[str] = []
    for base, _tone in letters:
        if base == " ":
            chars.append(_SPACE)
        elif base in _PRIMARY:
            chars.append(_PRIMARY[base])
        elif base.isalnum():
            # Letters and digits outside the Vietnamese alphabet keep their own (higher) code point.
            chars.append(base)
        else:
            chars.append(_PUNCT)
    return "".join(chars)


def _word_tones(letters: list[tuple[str, Tone]]) -> str:
    """One digit per space-separated word: the first tone in the word."""
    digits: list[str] = []
    current = Tone.NONE
    for base, tone in letters:
        if base == " ":
            digits.append(str(int(current)))
            current = Tone.NONE
        elif current is Tone.NONE:
            current = tone
    digits.append(str(int(current)))
    return "".join(digits)


def sort_key(full: str) -> str:
    """Return a key whose plain code-point order is Vietnamese list order.

    Lists sort by given name, then by family + middle names. Letters follow the Vietnamese alphabet
    (a < ă < â < b < c < d < đ < e < ê < ... < o < ô < ơ < ... < u < ư < ...), digits before letters and
    spaces before both, case-insensitively. Tones are secondary: all the letters of the whole name are
    compared first; only between names with the same letters do tones count, word by word, given name
    first, in the order none < huyền < hỏi < ngã < sắc < nặng. A last, tertiary part (the folded text)
    keeps the order total and deterministic for spellings that differ in nothing else (e.g. "Hòa"/"Hoà").

    The key is built as ``primary(given) \\x01 primary(family) \\x02 tones \\x02 tertiary``, where the
    primary parts use a private ordered range of code points (U+0030..U+005A for the alphabet), so Python's
    ``str`` comparison and SQLite's BINARY collation (UTF-8 byte order equals code-point order) both give
    the Vietnamese order. The key is for comparing only; it is not meant to be shown.
    """
    family, given = split_name(full.translate(_ETH_TO_D_STROKE))
    given_f = given.casefold()
    family_f = family.casefold()
    given_l = _letters(given_f)
    family_l = _letters(family_f)
    return (
        _primary(given_l)
        + _SEP_GIVEN
        + _primary(family_l)
        + _SEP_LEVEL
        + _word_tones(given_l)
        + _word_tones(family_l)
        + _SEP_LEVEL
        + unicodedata.normalize("NFC", given_f)
        + _SEP_GIVEN
        + unicodedata.normalize("NFC", family_f)
    )


def text_sort_key(text: str) -> str:
    """Return a key for Vietnamese order of a whole text (a school, a place, a class), not a person's name.

    Same alphabet, case-insensitivity and letters-before-tones rule as :func:`sort_key`, but the text is
    compared from its first word: ``"THPT Lâm Hà" < "THPT Lê Quý Đôn" < "THPT Tân Hà"``. Use
    :func:`sort_key` for people, whose lists sort by given name.
    """
    folded = normalize_text(text.translate(_ETH_TO_D_STROKE)).casefold()
    letters = _letters(folded)
    return _primary(letters) + _SEP_LEVEL + _word_tones(letters) + _SEP_LEVEL + folded
