from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from classifiers.textfile import first_sentence, parse_text_document


def test_date_tag_and_first_sentence() -> None:
    raw = " date 2021-08 Taliban har indtaget Kabul. Tusinder forsøger at flygte.\n\nMere tekst."
    doc = parse_text_document(raw.encode())
    assert doc.published == datetime(2021, 8, 1, tzinfo=UTC)
    assert doc.title == "Taliban har indtaget Kabul."
    assert doc.text.startswith("Taliban har") and doc.text.endswith("Mere tekst.")


def test_day_precision_and_no_tag() -> None:
    assert parse_text_document(b"date 2022-02-24 Krig.").published == datetime(
        2022, 2, 24, tzinfo=UTC
    )
    doc = parse_text_document(b"Ingen dato her. Kun tekst.")
    assert doc.published is None and doc.title == "Ingen dato her."


def test_latin1_fallback_and_bom() -> None:
    text = " date 2020-04 Sundhedsstyrelsen åbner for flere test."
    assert parse_text_document(text.encode("latin-1")).title.startswith("Sundhedsstyrelsen åbner")
    assert parse_text_document(b"\xef\xbb\xbf" + text.encode()).published is not None


def test_empty_and_impossible_dates_are_errors() -> None:
    with pytest.raises(ValueError, match="no text"):
        parse_text_document(b" date 2020-04   \n\n")
    with pytest.raises(ValueError, match="impossible date"):
        parse_text_document(b" date 2020-13 Tekst.")


def test_long_first_sentence_is_cut_on_a_word() -> None:
    title = first_sentence("ord " * 200)
    assert len(title) <= 201 and title.endswith("ord…")


def test_seed_document(seed_file: Path) -> None:
    doc = parse_text_document(seed_file.read_bytes())
    assert doc.published == datetime(2020, 4, 1, tzinfo=UTC)
    assert doc.title.startswith("Der er stadig sikkerhedsmæssige trusler")
    assert doc.title.endswith("onsdag.")
    assert "Stoltenberg" in doc.text and "Afghanistan" in doc.text
