"""Personal IDs never reach a log in full: every handler masks all but the last 3 digits."""

from __future__ import annotations

import io
import logging

from lamha_desktop.ui.errors import install_log_masking, mask_ids


def test_log_records_are_masked() -> None:
    logger = logging.getLogger("lamha_test_masking")
    logger.propagate = False
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    try:
        install_log_masking(logger)
        install_log_masking(logger)  # once is enough
        assert len(handler.filters) == 1
        logger.warning("row %d: ID %s already taken", 7, "068308001234")
        try:
            raise ValueError("duplicate 012345678901")
        except ValueError:
            logger.exception("import failed")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "068308001234" not in text
    assert "012345678901" not in text
    assert "row 7: ID ********1234 already taken" in text
    assert "duplicate ********8901" in text


def test_mask_ids_keeps_other_numbers() -> None:
    # 9 to 12 digits: a citizen ID, or an old 9-digit ID card (a phone number of 10 digits is hidden too)
    assert mask_ids("ID 068308001234, CMND 250123456, year 2026") == "ID ********1234, CMND *****3456, year 2026"
    assert mask_ids("1234567890123") == "1234567890123"  # 13 digits is not a personal ID
