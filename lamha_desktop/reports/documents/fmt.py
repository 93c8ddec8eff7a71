"""How party documents write dates, percentages, times and forms of address (pure functions).

* the dated line of the header: "Nam Ban, ngày 05 tháng 4 năm 2026" — days 01–09 and months 01–02 with a
  leading zero (Hướng dẫn 36-HD/VPTW), see :func:`date_words` and :func:`place_date`;
* dates in tables and running text where a short form reads better: "05/04/2026" (:func:`short_date`);
* percentages with a decimal comma and one decimal, rounded half up: "66,7%", "100%" (:func:`percent`);
* times: "14 giờ 00" (:func:`time_words`);
* a person is "quần chúng" before admission and "đồng chí" after it (:func:`address`).
"""

from __future__ import annotations

from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["address", "date_words", "percent", "place_date", "short_date", "time_words"]


def date_words(d: date) -> str:
    """"ngày 05 tháng 4 năm 2026", "ngày 15 tháng 02 năm 2026" (leading zero for days < 10, months 1–2)."""
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def place_date(place: str, d: date) -> str:
    """The dated line of a header: "Nam Ban, ngày 05 tháng 4 năm 2026"."""
    return f"{place}, {date_words(d)}"


def short_date(d: date) -> str:
    """"05/04/2026"."""
    return d.strftime("%d/%m/%Y")


def percent(part: int, whole: int) -> str:
    """``part`` as a percentage of ``whole``, Vietnamese style: "66,7%", "93,3%", "100%", "0%".

    One decimal, rounded half up, a decimal comma, and no ",0" for a whole number.

    Raises:
        ValueError: ``whole`` is not positive or ``part`` is negative.
    """
    if whole <= 0 or part < 0:
        raise ValueError("a percentage needs a positive whole and a non-negative part")
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{value:f}"
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",") + "%"


def time_words(t: time) -> str:
    """"14 giờ 00", "07 giờ 30"."""
    return f"{t.hour:02d} giờ {t.minute:02d}"


def address(admitted: bool, *, capital: bool = False) -> str:
    """"quần chúng" before admission, "đồng chí" after it (capitalised at the start of a sentence)."""
    word = "đồng chí" if admitted else "quần chúng"
    return word[0].upper() + word[1:] if capital else word
