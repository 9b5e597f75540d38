"""Recover XML files other programs wrote with well-formedness slips, as feed readers do.

Exports from real readers carry a raw ``&`` in a title (``News & Headlines``), an HTML entity
(``&nbsp;``) that XML does not define, a control character, or a feed outline written without
its closing ``/``; a strict parser refuses the whole file for one such slip. `repair_xml`
escapes or removes those characters and closes what was left open, and when a line still
breaks the document it drops that one line's element, so the caller can import what is
well-formed and report what was skipped.
Every change is reported with its line number. Safety checks (DOCTYPE refusal) are the
caller's, run again on the repaired bytes.
"""

from __future__ import annotations

import html.entities
import re
import xml.parsers.expat
from dataclasses import dataclass, field
from functools import partial

#: A line dropped at most this many times: a file broken everywhere is not worth guessing at.
MAX_DROPS = 50

_DECLARATION = re.compile(rb"^(\xef\xbb\xbf)?\s*<\?xml[^>]*?\?>")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_AMPERSAND = re.compile(r"&(#\d+;|#x[0-9A-Fa-f]+;|[A-Za-z_][\w.-]*;)?")
_XML_ENTITIES = frozenset({"amp;", "lt;", "gt;", "quot;", "apos;"})
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SELF_CLOSED = re.compile(r"^\s*<(\w+)\b.*/>\s*$")
_OPEN_TAG = re.compile(r"<(\w+)\b.*(?<!/)>\s*$")
_XMLURL = re.compile(r"""\bxmlurl\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_LABEL = re.compile(r"""\b(?:title|text)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


class UnrepairableXml(ValueError):
    """The file is broken beyond what `repair_xml` does."""


@dataclass(frozen=True, slots=True)
class DroppedElement:
    line: int
    #: The element's feed URL and label, when it had them.
    url: str | None
    label: str | None
    error: str


@dataclass
class RepairedXml:
    #: UTF-8 bytes with an UTF-8 declaration.
    data: bytes
    warnings: list[str] = field(default_factory=list)
    dropped: list[DroppedElement] = field(default_factory=list)


def _decode(data: bytes) -> str:
    head = _DECLARATION.match(data)
    declared = _ENCODING.search(head.group(0)) if head else None
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        text = data.decode("utf-8", errors="replace")
    # The text is re-encoded as UTF-8: the declaration must say so (same line, same numbering).
    return re.sub(r"^\ufeff?\s*<\?xml[^>]*?\?>", '<?xml version="1.0" encoding="utf-8"?>', text)


def _fix_ampersand(match: re.Match[str], found: list[str]) -> str:
    ref = match.group(1)
    if ref is None:
        found.append("a raw '&' read as '&amp;'")
        return "&amp;"
    if ref.startswith("#") or ref in _XML_ENTITIES:
        return match.group(0)
    char = html.entities.html5.get(ref)
    if char is None:
        found.append(f"unknown entity '&{ref}' read as text")
        return "&amp;" + ref
    found.append(f"HTML entity '&{ref}' read as its character")
    return char.replace("&", "&amp;").replace("<", "&lt;")


@dataclass(frozen=True, slots=True)
class _Failure:
    error: xml.parsers.expat.ExpatError
    #: (tag, line) of the innermost element still open where parsing stopped.
    open_element: tuple[str, int] | None


def _first_failure(text: str) -> _Failure | None:
    parser = xml.parsers.expat.ParserCreate()
    stack: list[tuple[str, int]] = []

    def start(name: str, _attrs: object) -> None:
        stack.append((name, parser.CurrentLineNumber))

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda _name: stack.pop()
    try:
        parser.Parse(text.encode("utf-8"), True)
    except xml.parsers.expat.ExpatError as exc:
        return _Failure(exc, stack[-1] if stack else None)
    return None


def _close_unclosed(lines: list[str], failure: _Failure) -> str | None:
    """Close the element a missing end tag left open; the warning, or None if not that case."""
    codes = xml.parsers.expat.errors.codes
    mismatch = failure.error.code == codes[xml.parsers.expat.errors.XML_ERROR_TAG_MISMATCH]
    at_end = failure.error.code == codes[xml.parsers.expat.errors.XML_ERROR_NO_ELEMENTS]
    if failure.open_element is None or not (mismatch or at_end):
        return None
    tag, start = failure.open_element
    opened = lines[start - 1]
    own = re.search(rf"<{re.escape(tag)}\b.*(?<!/)>\s*$", opened)
    if own and _XMLURL.search(own.group(0)):
        # A feed outline written as <outline …> without its "/": it has no children to keep.
        lines[start - 1] = opened[: own.end(0)].rstrip()[:-1] + "/>" + opened[own.end(0) :]
        return f"line {start}: <{tag}> was never closed; read as empty"
    if at_end:
        lines.append(f"</{tag}>")
    else:
        lines.insert(failure.error.lineno - 1, f"</{tag}>")
    return f"line {start}: <{tag}> was never closed; closed it at line {failure.error.lineno}"


def repair_xml(data: bytes) -> RepairedXml:
    """`data` made well-formed, with what was changed; `UnrepairableXml` when it cannot be."""
    lines = _decode(data).split("\n")
    out = RepairedXml(b"")
    for number, line in enumerate(lines, 1):
        found: list[str] = []
        line, illegal = _ILLEGAL.subn("", line)
        found += ["a control character not allowed in XML removed"] * illegal
        lines[number - 1] = _AMPERSAND.sub(partial(_fix_ampersand, found=found), line)
        for what in dict.fromkeys(found):
            count = found.count(what)
            out.warnings.append(f"line {number}: {what}" + (f" ({count}×)" if count > 1 else ""))
    for _ in range(2 * MAX_DROPS + 1):
        failure = _first_failure("\n".join(lines))
        if failure is None:
            out.data = "\n".join(lines).encode("utf-8")
            return out
        if (closed := _close_unclosed(lines, failure)) is not None:
            out.warnings.append(closed)
            continue
        error = failure.error
        number = error.lineno
        message = xml.parsers.expat.ErrorString(error.code)
        line = lines[number - 1] if 0 < number <= len(lines) else ""
        url, label = _XMLURL.search(line), _LABEL.search(line)
        if len(out.dropped) < MAX_DROPS and _SELF_CLOSED.match(line):
            lines[number - 1] = ""
        elif len(out.dropped) < MAX_DROPS and (tag := _OPEN_TAG.search(line)):
            # A folder's start tag: keep the element (its children may be fine), not its attributes.
            lines[number - 1] = line[: tag.start()] + f"<{tag.group(1)}>" + line[tag.end() :]
        else:
            raise UnrepairableXml(f"not well-formed XML: {message} (line {number})")
        out.dropped.append(
            DroppedElement(
                number, url.group(1) if url else None, label.group(1) if label else None, message
            )
        )
    raise UnrepairableXml("not well-formed XML: too many broken lines")
