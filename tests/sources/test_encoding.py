"""Charset choice: Danish letters must survive every way outlets mislabel their feeds."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import feedparser
import pytest

from bot.sources.encoding import (
    UTF8_XML_CONTENT_TYPE,
    charset_from_content_type,
    decode_document,
)

DATA = Path(__file__).parent / "testdata"
DANISH = "æøåÆØÅ"
CP1252_ONLY = "„Hej“ – 5 €"


def _doc(text: str, decl: str | None) -> str:
    head = f'<?xml version="1.0" encoding="{decl}"?>\n' if decl else ""
    return head + f"<rss><channel><item><title>{text}</title></item></channel></rss>"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("application/rss+xml; charset=ISO-8859-1", "ISO-8859-1"),
        ('text/xml; charset="utf-8"', "utf-8"),
        ("text/xml;CHARSET='windows-1252' ; q=1", "windows-1252"),
        ("application/xml", None),
        ("application/xml; charset=", None),
        (None, None),
    ],
)
def test_charset_from_content_type(value: str | None, expected: str | None) -> None:
    assert charset_from_content_type(value) == expected


@pytest.mark.parametrize("encoding", ["utf-8", "iso-8859-1", "windows-1252"])
@pytest.mark.parametrize("where", ["header", "declaration", "nowhere"])
def test_danish_letters_from_every_common_charset(encoding: str, where: str) -> None:
    raw = _doc(DANISH, encoding if where == "declaration" else None).encode(encoding)
    content_type = f"application/xml; charset={encoding}" if where == "header" else None
    doc = decode_document(raw, content_type=content_type)
    assert DANISH in doc.text


@pytest.mark.parametrize("declared", ["iso-8859-1", "windows-1252", None, "us-ascii"])
def test_windows_1252_only_characters(declared: str | None) -> None:
    # „ “ – € live in 0x80-0x9F: C1 controls in latin-1, real characters in windows-1252.
    raw = _doc(CP1252_ONLY + DANISH, declared).encode("cp1252")
    doc = decode_document(raw)
    assert CP1252_ONLY + DANISH in doc.text
    assert doc.charset == "cp1252"


def test_header_wins_over_declaration() -> None:
    raw = _doc(DANISH, "utf-8").encode("cp1252")  # a template's declaration, latin bytes
    doc = decode_document(raw, content_type="text/xml; charset=windows-1252")
    assert DANISH in doc.text
    assert doc.origin == "http"


def test_lying_header_falls_back_to_declaration() -> None:
    raw = (DATA / "latin1_header_conflict.xml").read_bytes()
    doc = decode_document(raw, content_type="application/rss+xml; charset=utf-8")
    assert "Ålborg Zoo får to nye isbjørne fra Grønland" in doc.text
    assert doc.origin == "xml"
    assert any("utf-8" in w and "does not fit" in w for w in doc.warnings)


def test_utf8_body_declared_latin1_is_read_as_utf8() -> None:
    raw = (DATA / "utf8_decl_says_latin1.xml").read_bytes()
    doc = decode_document(raw)
    assert "Havvindmøller giver 400 nye job på Fanø" in doc.text
    assert doc.charset == "utf_8"
    assert doc.warnings


def test_utf8_body_served_as_latin1_header_is_read_as_utf8() -> None:
    raw = _doc(DANISH, None).encode("utf-8")
    doc = decode_document(raw, content_type="text/xml; charset=iso-8859-1")
    assert DANISH in doc.text


def test_override_wins_over_header_and_declaration() -> None:
    raw = (DATA / "latin9_declared_cp1252.xml").read_bytes()
    assert "50 ¤" in decode_document(raw).text  # what the outlet's declaration gives
    doc = decode_document(
        raw, content_type="text/xml; charset=windows-1252", override="iso-8859-15"
    )
    assert "Ølpriserne stiger: 50 € for en kasse på færgen" in doc.text
    assert doc.origin == "override"


def test_override_that_does_not_fit_still_decodes() -> None:
    raw = b"<rss><title>\xff\xfe ok</title></rss>"
    doc = decode_document(raw, override="utf-8")
    assert doc.origin == "override"
    assert "ok" in doc.text and "\ufffd" in doc.text


def test_unknown_charsets_are_ignored_with_a_warning() -> None:
    raw = _doc(DANISH, "bogus-charset").encode("utf-8")
    doc = decode_document(raw, content_type="text/xml; charset=base64")
    assert DANISH in doc.text
    assert len(doc.warnings) == 2


def test_sniff_undecodable_bytes_never_raises() -> None:
    raw = b"<rss><title>\x81\x8d\x8f\x90\x9d \xe6\xf8\xe5</title></rss>"
    doc = decode_document(raw)
    assert doc.charset == "cp1252"
    assert "æøå" in doc.text


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_byte_order_marks(bom: bytes, codec: str) -> None:
    raw = bom + _doc(DANISH, "utf-8" if codec == "utf-8" else "utf-16").encode(codec)
    doc = decode_document(raw, content_type="text/xml")
    assert DANISH in doc.text
    assert not doc.utf8_xml().startswith(codecs.BOM_UTF8)


def test_utf16_declaration_on_ascii_bytes_is_not_believed() -> None:
    raw = _doc(DANISH, "utf-16").encode("utf-8")
    doc = decode_document(raw)
    assert DANISH in doc.text


@pytest.mark.parametrize(
    "name", ["latin1_decl.xml", "cp1252_wrong_decl.xml", "cp1252_no_decl.xml", "dr_indland.xml"]
)
def test_feedparser_decodes_the_rewritten_document_once(name: str) -> None:
    doc = decode_document((DATA / name).read_bytes())
    data = doc.utf8_xml()
    assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>') or b"<?xml" not in data
    result = feedparser.parse(
        io.BytesIO(data), response_headers={"content-type": UTF8_XML_CONTENT_TYPE}
    )
    assert not result.bozo, result.get("bozo_exception")
    assert result.encoding == "utf-8"
    entry = result.entries[0]
    text = entry.title + entry.get("summary", "")
    assert any(ch in text for ch in DANISH + "„“–€"), text
    assert "Ã" not in text and "\x80" not in text  # no double or wrong decoding
