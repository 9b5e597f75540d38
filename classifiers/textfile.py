"""The plain-text article format dropped into folders.

    ` date 2020-04 Der er stadig sikkerhedsmæssige trusler, ... siger Stoltenberg.`

The first line may start with a ` date YYYY-MM` or ` date YYYY-MM-DD` tag; the rest is the
text, and its first sentence becomes the title. This is the one reader of the format: the
folder source, `topicbot classify FILE`, stdin and text files in a training corpus all use
it, so a text is scored the same whichever way it comes in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

_DATE_TAG = re.compile(r"^\ufeff?\s*date\s+(\d{4})-(\d{2})(?:-(\d{2}))?(?:\s+|$)")
# A sentence ends at . ! ? followed by space and an upper-case letter, a dash or a quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ–\-\"'»“])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_TITLE = 200


@dataclass(frozen=True, slots=True)
class TextDocument:
    title: str
    text: str
    published: datetime | None


#: Share of control bytes above which a file that is not UTF-8 is taken for binary data.
BINARY_CONTROL_SHARE = 0.05


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM, falling back to latin-1.

    Raises ValueError for binary data (an image, a PDF, a zip dropped into the folder):
    latin-1 decodes any bytes, so without this check their bytes would become a headline.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return unicodedata.normalize("NFC", _CONTROL.sub("", raw.decode("utf-16")))
        except UnicodeDecodeError:
            raise ValueError("not a text file: not decodable as UTF-16") from None
    if b"\0" in raw:
        raise ValueError("not a text file: it holds NUL bytes (binary data?)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        head = raw[:4096]
        controls = sum(1 for b in head if (b < 32 and b not in b"\t\n\r\f") or 0x7F <= b < 0xA0)
        if controls > BINARY_CONTROL_SHARE * len(head):
            raise ValueError("not a text file: not UTF-8 and mostly control bytes") from None
        text = raw.decode("latin-1")
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))


def first_sentence(text: str, limit: int = MAX_TITLE) -> str:
    line = text.strip().split("\n", 1)[0].strip()
    sentence = _SENTENCE_END.split(line, maxsplit=1)[0].strip()
    if len(sentence) > limit:
        cut = sentence[:limit].rsplit(" ", 1)[0]
        sentence = cut.rstrip(",;:") + "…"
    return sentence


def parse_text_document(raw: bytes) -> TextDocument:
    """Raises ValueError for a file with no text (or an impossible date tag)."""
    text = decode_text(raw)
    published = None
    if m := _DATE_TAG.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3] or 1)
        try:
            # Midnight UTC keeps the tagged month whatever the reader's time zone.
            published = datetime(year, month, day, tzinfo=UTC)
        except ValueError:
            raise ValueError(f"impossible date tag {m[0].strip()!r}") from None
        text = text[m.end() :]
    text = text.strip()
    if not text:
        raise ValueError("no text")
    return TextDocument(title=first_sentence(text), text=text, published=published)


def read_text_document(path: Path) -> TextDocument:
    """`parse_text_document` of a file; OSError and ValueError (no text) propagate."""
    return parse_text_document(Path(path).read_bytes())
