"""A feed's titles and text as plain text, the form the classifier and Telegram get.

Feeds put HTML, entities (often escaped twice), control characters and decomposed Unicode
(Danish å may arrive as a + combining ring) into their titles and descriptions. Everything
that leaves a source is run through here: HTML stripped, entities unescaped, control
characters removed, whitespace collapsed, Unicode NFC.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

__all__ = ["clean_text", "html_to_text", "plain_text", "shorten", "without_control"]

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2060\ufeff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
_BLOCK_TAGS = frozenset(
    "p br div li ul ol tr td th h1 h2 h3 h4 h5 h6 blockquote section article figure "
    "figcaption header footer table pre hr dd dt".split()
)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def without_control(text: str) -> str:
    """`text` without control characters, zero-width spaces and byte-order marks."""
    return _CONTROL.sub("", text)


def clean_text(text: str) -> str:
    """Control characters out, NFC, whitespace collapsed to single spaces."""
    return _SPACE.sub(" ", without_control(unicodedata.normalize("NFC", text))).strip()


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: tags (and script/style) dropped, entities unescaped."""
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # html.parser is lenient; never let odd markup kill an entry
        return clean_text(html.unescape(_TAG.sub(" ", markup)))
    return clean_text("".join(parser.parts))


def plain_text(value: str | None, content_type: str | None) -> str:
    """A feed field as plain text: HTML when its declared type says so or it holds tags."""
    if not value:
        return ""
    if (content_type or "").lower() in _HTML_TYPES or _TAG.search(value):
        return html_to_text(value)
    # Plain text; unescape once more for the common double-escaped "&amp;quot;".
    return clean_text(html.unescape(value))


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-–") + "…"
