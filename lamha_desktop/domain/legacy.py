"""Old Vietnamese 8-bit encodings (TCVN3 and VNI) to Unicode and back.

Files typed before Unicode became usual store Vietnamese as Latin-1 characters that only look right in
special fonts. Opened in Excel, such a cell holds e.g. ``"TrÇn ThÞ Hoµng"`` in a ``.VnTime`` font or
``"Traàn Thò Hoaøng"`` in a ``VNI-Times`` font; both mean "Trần Thị Hoàng".

TCVN3 (TCVN 5712:1993 "VN3", the ABC fonts ``.VnTime``, ``.VnArial``...)
    One character per letter. It has every lowercase letter with every tone, and the capitals Ă Â Ê Ô Ơ
    Ư Đ without tone; plain capitals are ASCII. It has **no capitals with tones**: documents set headings
    in the companion capitals fonts (``.VnTimeH``, ``.VnArialH``...), which draw the lowercase codes as
    capitals. So :func:`from_unicode` writes a toned capital as its lowercase code (text to be shown in a
    ``...H`` font), and :func:`to_unicode` reads text from such a font with ``capitals=True`` (see
    :func:`is_capitals_font`). Note that the letter "ư" is U+00AD, the soft hyphen.

VNI (the ``VNI-Times``, ``VNI-Helve``... fonts)
    A base letter followed by a mark character: ``"aø"`` is "à", ``"aâ"`` is "â", ``"aá"`` is "ấ", with
    single characters for ơ (``"ô"``), ư (``"ö"``), đ (``"ñ"``), the toned i letters and ỵ (``"î"``).
    Capitals use the uppercase forms (``"AØ"`` is "À"). Both cases are supported; when reading, a mark in
    the "wrong" case is accepted and the base letter decides the case.

Detection (``to_unicode(s)`` without an encoding) is a fallback for text whose font is unknown; it
converts only on clear evidence, see :func:`to_unicode`. Importers should pass the cell's font through
:func:`encoding_for_font` instead.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from lamha_desktop.domain.people import Tone, strip_tones, tone_of

__all__ = [
    "ENCODINGS",
    "encoding_for_font",
    "from_unicode",
    "is_capitals_font",
    "to_unicode",
]

TCVN3: Final = "tcvn3"
VNI: Final = "vni"
ENCODINGS: Final = (TCVN3, VNI)
"""The legacy encodings understood here."""

# Bases with their letter mark, then the six tones in the order of _TONE_MARKS below.
_BASES: Final = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")
# Combining tone marks: none, huyền, hỏi, ngã, sắc, nặng.
_TONE_COMBINING: Final = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")

# TCVN3 code for each base, by tone (none, huyền, hỏi, ngã, sắc, nặng).
_TCVN3_ROWS: Final[dict[str, str]] = {
    "a": "aµ¶·¸¹",
    "ă": "¨»¼½¾Æ",
    "â": "©ÇÈÉÊË",
    "e": "eÌÎÏÐÑ",
    "ê": "ªÒÓÔÕÖ",
    "i": "i×ØÜÝÞ",
    "o": "oßáâãä",
    "ô": "«åæçèé",
    "ơ": "¬êëìíî",
    "u": "uïñòóô",
    "ư": "\u00adõö÷øù",
    "y": "yúûüýþ",
}
_TCVN3_CAPITALS: Final[dict[str, str]] = {
    "Ă": "¡",
    "Â": "¢",
    "Ê": "£",
    "Ô": "¤",
    "Ơ": "¥",
    "Ư": "¦",
    "Đ": "§",
}

# VNI: lowercase sequences by tone (none, huyền, hỏi, ngã, sắc, nặng); capitals are str.upper() of these.
_VNI_TONES: Final = ("", "ø", "û", "õ", "ù", "ï")
_VNI_BREVE: Final = ("ê", "è", "ú", "ü", "é", "ë")  # ă with each tone
_VNI_CIRCUMFLEX: Final = ("â", "à", "å", "ã", "á", "ä")  # â ê ô with each tone
_VNI_ROWS: Final[dict[str, tuple[str, ...]]] = {
    "a": tuple("a" + m for m in _VNI_TONES),
    "ă": tuple("a" + m for m in _VNI_BREVE),
    "â": tuple("a" + m for m in _VNI_CIRCUMFLEX),
    "e": tuple("e" + m for m in _VNI_TONES),
    "ê": tuple("e" + m for m in _VNI_CIRCUMFLEX),
    "i": ("i", "ì", "æ", "ó", "í", "ò"),
    "o": tuple("o" + m for m in _VNI_TONES),
    "ô": tuple("o" + m for m in _VNI_CIRCUMFLEX),
    "ơ": tuple("ô" + m for m in _VNI_TONES),
    "u": tuple("u" + m for m in _VNI_TONES),
    "ư": tuple("ö" + m for m in _VNI_TONES),
    "y": ("y", "yø", "yû", "yõ", "yù", "î"),
}


def _letter(base: str, tone: int) -> str:
    return unicodedata.normalize("NFC", base + _TONE_COMBINING[tone])


def _build_tables() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """Return (Unicode -> TCVN3, TCVN3 -> Unicode, Unicode -> VNI, VNI -> Unicode)."""
    to_tcvn3: dict[str, str] = {}
    from_tcvn3: dict[str, str] = {}
    to_vni: dict[str, str] = {}
    for base in _BASES:
        for tone in range(6):
            lower = _letter(base, tone)
            code = _TCVN3_ROWS[base][tone]
            vni = _VNI_ROWS[base][tone]
            if lower.isascii():
                continue  # a e i o u y
            to_tcvn3[lower] = code
            from_tcvn3[code] = lower
            # No toned capitals in TCVN3: the lowercase code, drawn as a capital by a ...H font.
            to_tcvn3[lower.upper()] = code
            # ì í Ì Í are the same characters in VNI and in Unicode.
            to_vni[lower] = vni
            to_vni[lower.upper()] = vni.upper()
    capitals = {**_TCVN3_CAPITALS, "đ": "®"}
    to_tcvn3.update(capitals)
    from_tcvn3.update({code: letter for letter, code in capitals.items()})
    to_vni["đ"] = "ñ"
    to_vni["Đ"] = "Ñ"

    from_vni = {seq: letter for letter, seq in to_vni.items() if seq != letter}
    # Accept a mark typed in the other case; the base letter decides the case of the result.
    for letter, seq in list(to_vni.items()):
        if len(seq) == 2:
            from_vni.setdefault(seq[0] + seq[1].swapcase(), letter)
    return to_tcvn3, from_tcvn3, to_vni, from_vni


_TO_TCVN3, _FROM_TCVN3, _TO_VNI, _FROM_VNI = _build_tables()

# Latin-1 letters that Unicode Vietnamese text uses itself; any other character of the legacy tables is
# evidence of legacy text.
_UNICODE_LATIN1_LETTERS: Final = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_LEGACY_CHARS: Final = frozenset(
    ch for table in (_FROM_TCVN3, _FROM_VNI) for seq in table for ch in seq if not ch.isascii()
)
_LEGACY_ONLY: Final = _LEGACY_CHARS - _UNICODE_LATIN1_LETTERS

# A permissive grammar of Vietnamese syllables (toneless, lowercase), used only to judge whether a
# reading of ambiguous text makes sense. Onsets are any consonant cluster (names of ethnic minorities
# have clusters such as "br", "kr", "dj"); rhymes are the Vietnamese ones.
_CONSONANTS: Final = "bcdđfghjklmnpqrstvwxz"
_OPEN_RHYMES: Final = (
    "a e ê i o ô ơ u ư y ia ua ưa oa oe uê uy uơ uya ai ao au ay âu ây eo êu iu oi ôi ơi ui ưi ưu "
    "iêu yêu ươi ươu uôi oai oao oay oeo uây uyu"
)
_CLOSED_NUCLEI: Final = "a ă â e ê i o ô ơ u ư y iê yê uô ươ oa oă oe uâ uê uy uyê oo"
_CODAS: Final = "ch nh ng c m n p t h k l r s"
_ONSET_PATTERN: Final = rf"[{_CONSONANTS}]*(?:(?<=g)i|(?<=q)u)?"
_OPEN_PATTERN: Final = "|".join(_OPEN_RHYMES.split())
_NUCLEUS_PATTERN: Final = "|".join(_CLOSED_NUCLEI.split())
_CODA_PATTERN: Final = "|".join(_CODAS.split())
_SYLLABLE_RE: Final = re.compile(
    rf"{_ONSET_PATTERN}(?:(?:{_OPEN_PATTERN})|(?:{_NUCLEUS_PATTERN})(?P<coda>{_CODA_PATTERN}))"
)
_CHECKED_CODAS: Final = frozenset({"c", "ch", "p", "t"})
_WORD_RE: Final = re.compile(r"[^\W\d_]+")


def _is_syllable(word: str) -> bool:
    """Tell whether *word* (letters only) can be one Vietnamese syllable."""
    lower = word.lower()
    decomposed = unicodedata.normalize("NFD", lower)
    tones = sum(ch in "\u0300\u0309\u0303\u0301\u0323" for ch in decomposed)
    if tones > 1:
        return False
    match = _SYLLABLE_RE.fullmatch(strip_tones(lower))
    if match is None:
        return False
    coda = match.group("coda")
    return not (coda in _CHECKED_CODAS and tone_of(lower) not in (Tone.NONE, Tone.SAC, Tone.NANG))


def _reads_as_vietnamese(text: str) -> bool:
    """Tell whether *text* is plausible Unicode Vietnamese: no legacy-only characters, and every word
    that has a non-ASCII letter is a possible Vietnamese syllable (ASCII-only words are not judged)."""
    if any(ch in _LEGACY_ONLY for ch in text):
        return False
    return all(word.isascii() or _is_syllable(word) for word in _WORD_RE.findall(text))


def _decode_tcvn3(s: str) -> str:
    return "".join(_FROM_TCVN3.get(ch, ch) for ch in s)


def _decode_vni(s: str) -> str:
    out: list[str] = []
    i = 0
    length = len(s)
    while i < length:
        pair = s[i : i + 2]
        if len(pair) == 2 and pair in _FROM_VNI:
            out.append(_FROM_VNI[pair])
            i += 2
            continue
        out.append(_FROM_VNI.get(s[i], s[i]))
        i += 1
    return "".join(out)


_DECODERS: Final = {TCVN3: _decode_tcvn3, VNI: _decode_vni}
_ENCODERS: Final = {TCVN3: _TO_TCVN3, VNI: _TO_VNI}


def _check_encoding(encoding: str) -> str:
    key = encoding.strip().lower()
    if key not in _DECODERS:
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {ENCODINGS}")
    return key


def _has_unicode_evidence(s: str) -> bool:
    """Letters or combining marks beyond Latin-1 only occur in real Unicode text."""
    return any(ord(ch) > 0xFF and unicodedata.category(ch)[0] in "LM" for ch in s)


def to_unicode(s: str, *, encoding: str | None = None, capitals: bool = False) -> str:
    """Convert legacy-encoded Vietnamese *s* to NFC Unicode.

    Args:
        s: the text as stored (e.g. the value of a spreadsheet cell).
        encoding: ``"tcvn3"`` or ``"vni"`` (case-insensitive) to convert unconditionally, typically from
            :func:`encoding_for_font`. ``None`` detects, and converts only on clear evidence:

            * text with letters or combining marks beyond Latin-1 ("Trần Thị Hoàng") is Unicode;
            * text that already reads as Vietnamese is kept (so "Hoàng" stays "Hoàng", although read as
              VNI it would mean "Hồng");
            * otherwise the text is converted if exactly one encoding turns it into text with no
              legacy-only characters left and only possible Vietnamese syllables
              (``"TrÇn ThÞ Hoµng"`` -> TCVN3, ``"Hoaøng"`` -> VNI);
            * anything else comes back unchanged (but in NFC).
        capitals: the text was shown in a capitals-only font (``.VnTimeH``...; see
            :func:`is_capitals_font`): the result is upper-cased.

    Raises:
        ValueError: *encoding* is not one of :data:`ENCODINGS`.
    """
    result = _detect(s) if encoding is None else _DECODERS[_check_encoding(encoding)](s)
    result = unicodedata.normalize("NFC", result)
    return result.upper() if capitals else result


def _detect(s: str) -> str:
    nfc = unicodedata.normalize("NFC", s)
    if _has_unicode_evidence(s) or _reads_as_vietnamese(nfc):
        return nfc
    readings = [decode(nfc) for decode in _DECODERS.values()]
    plausible = [text for text in readings if text != nfc and _reads_as_vietnamese(text)]
    return plausible[0] if len(plausible) == 1 else nfc


def from_unicode(s: str, encoding: str) -> str:
    """Convert Unicode *s* to the legacy *encoding*: the inverse of :func:`to_unicode`.

    Characters that are not Vietnamese letters are kept as they are. In TCVN3 a capital with a tone has
    no code of its own and is written as the lowercase code (to be shown in a ``...H`` capitals font), so
    ``to_unicode(from_unicode(x, "tcvn3"), encoding="tcvn3")`` gives ``x`` back for lowercase letters and
    the capitals Ă Â Ê Ô Ơ Ư Đ, and ``to_unicode(..., capitals=True)`` gives back an all-capitals ``x``.
    VNI round-trips every letter in both cases.

    Raises:
        ValueError: *encoding* is not one of :data:`ENCODINGS`.
    """
    table = _ENCODERS[_check_encoding(encoding)]
    return "".join(table.get(ch, ch) for ch in unicodedata.normalize("NFC", s))


_VNI_FONT_RE: Final = re.compile(r"vni[-_ ]", re.IGNORECASE)
_TCVN3_FONT_RE: Final = re.compile(r"\.vn", re.IGNORECASE)


def encoding_for_font(font_name: str | None) -> str | None:
    """Return the legacy encoding a font implies, or None for a Unicode (or unknown) font.

    ``.VnTime``, ``.VnTimeH``, ``.VnArial``, ``.VnArial NarrowH``... (the ABC fonts) -> ``"tcvn3"``;
    ``VNI-Times``, ``VNI-Helve``, ``VNI-Helve-Condense``... -> ``"vni"``; ``Times New Roman`` -> None.
    """
    if not font_name:
        return None
    name = font_name.strip()
    if _VNI_FONT_RE.match(name):
        return VNI
    if _TCVN3_FONT_RE.match(name):
        return TCVN3
    return None


def is_capitals_font(font_name: str | None) -> bool:
    """Tell whether a TCVN3 font draws every letter as a capital (``.VnTimeH``, ``.VnArialH``...).

    By the ABC convention such fonts carry a final capital ``H``; pass ``capitals=True`` to
    :func:`to_unicode` for their text.
    """
    if font_name is None or encoding_for_font(font_name) != TCVN3:
        return False
    return font_name.strip().endswith("H")
