"""Personal IDs on the console: only the last four digits, by one function."""

from __future__ import annotations

from lamha_desktop.domain.privacy import mask_ids, mask_pid


def test_mask_pid_keeps_the_last_four_characters() -> None:
    assert mask_pid("068308001234") == "********1234"
    assert mask_pid("12345") == "*2345"
    assert mask_pid("1234") == "****"
    assert mask_pid("") == ""


def test_mask_ids_masks_numbers_of_9_to_12_digits_only() -> None:
    line = ("Mã định danh 068308001234 đã có: Lê Thị Cúc; CMND 123456789; dòng 12, năm 2024, "
            "ngày 12092007, 0683080012345 (13 chữ số), 68308001234 → 068308001234")
    assert mask_ids(line) == ("Mã định danh ********1234 đã có: Lê Thị Cúc; CMND *****6789; dòng 12, năm 2024, "
                              "ngày 12092007, 0683080012345 (13 chữ số), *******1234 → ********1234")
