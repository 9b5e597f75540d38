"""OPML in and out, for operators moving feeds between topicbot and other readers.

Parsing refuses any DOCTYPE (so no entity declarations, no billion laughs, no external
entities) before ElementTree sees the document: OPML never needs one, and a file from another
program is untrusted input. A file with well-formedness slips (a raw ``&`` in a title) is
recovered the way readers do (`bot.xml_repair`), with a warning naming each line changed, and
an outline that stays broken is reported as skipped instead of refusing the whole file.

Importing edits `config.yaml` as text, appending entries at the end of the `feeds:` block found
through YAML node marks, so the operator's comments and layout survive; the result is validated
with `parse_config` before anything is written.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
import xml.parsers.expat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import NoReturn
from urllib.parse import urlsplit

import yaml
from pydantic import ValidationError

from bot.article import normalise_link
from bot.config import FeedConfig
from bot.errors import TopicbotError
from bot.xml_repair import UnrepairableXml, repair_xml

#: Longest feed name taken from an OPML title.
MAX_NAME = 80


class OpmlError(TopicbotError):
    """The file is not usable OPML, or is refused as unsafe."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    name: str
    url: str
    html_url: str | None = None
    #: Title of the enclosing outline folder, when nested.
    category: str | None = None


@dataclass
class OpmlDocument:
    title: str | None
    feeds: list[OpmlFeed] = field(default_factory=list)
    #: Outlines with a feed URL that cannot be used, with the reason.
    skipped: list[str] = field(default_factory=list)
    #: What was repaired to read the file, by line.
    warnings: list[str] = field(default_factory=list)


class _NotWellFormed(Exception):
    pass


def _refuse_declarations(data: bytes) -> None:
    """Parse once with expat, failing on any DOCTYPE or entity declaration."""

    def refuse(*_: object) -> NoReturn:
        raise OpmlError("refused: the file has a DOCTYPE or entity declarations (unsafe XML)")

    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise _NotWellFormed(str(exc)) from None


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _feed_url(raw: str) -> str:
    url = raw.strip()
    # feed://host/path and feed:https://host/path are old browser conventions.
    if url.lower().startswith("feed:"):
        rest = url[5:].removeprefix("//")
        url = rest if re.match(r"(?i)^https?://", rest) else "http://" + rest
    return url


def parse_opml(data: bytes) -> OpmlDocument:
    """Feeds of an OPML 1.0/2.0 file (nested outlines flattened, folder kept as category)."""
    warnings: list[str] = []
    skipped: list[str] = []
    try:
        _refuse_declarations(data)
    except _NotWellFormed as exc:
        if not data.strip():
            raise OpmlError(f"not well-formed XML: {exc}") from None
        try:
            repaired = repair_xml(data)
        except UnrepairableXml as why:
            raise OpmlError(str(why)) from None
        data, warnings = repaired.data, repaired.warnings
        for drop in repaired.dropped:
            if drop.url is None:
                warnings.append(f"line {drop.line}: not well-formed ({drop.error}), tag ignored")
            else:
                what = repr(drop.label) if drop.label else repr(drop.url)
                skipped.append(f"{what}: line {drop.line} is not well-formed XML ({drop.error})")
        try:
            _refuse_declarations(data)
        except _NotWellFormed as again:  # pragma: no cover - repair_xml checked it
            raise OpmlError(f"not well-formed XML: {again}") from None
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:  # pragma: no cover - expat already accepted it
        raise OpmlError(f"not well-formed XML: {exc}") from None
    if root.tag.lower() != "opml":
        raise OpmlError(f"not OPML: the root element is <{root.tag}>, not <opml>")
    body = root.find("body")
    if body is None:
        raise OpmlError("not OPML: no <body> element")
    doc = OpmlDocument(_clean(root.findtext("head/title")) or None, [], skipped, warnings)

    def walk(parent: ET.Element, category: str | None) -> None:
        for outline in parent.findall("outline"):
            attrs = {k.lower(): v for k, v in outline.attrib.items()}
            label = _clean(attrs.get("title")) or _clean(attrs.get("text"))
            if "xmlurl" not in attrs:
                walk(outline, label or category)
                continue
            url = _feed_url(attrs["xmlurl"])
            name = label or urlsplit(url).hostname or url
            try:
                FeedConfig(name=name[:MAX_NAME], url=url)
            except ValidationError:
                doc.skipped.append(f"{name!r}: unusable feed URL {attrs['xmlurl']!r}")
                continue
            html = _clean(attrs.get("htmlurl")) or None
            doc.feeds.append(OpmlFeed(name[:MAX_NAME].strip(), url, html, category))

    walk(body, None)
    return doc


def export_opml(feeds: Iterable[FeedConfig], title: str = "topicbot feeds") -> bytes:
    """The configured feeds as OPML 2.0 (disabled ones too: moving a reader moves them all)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = ET.SubElement(root, "body")
    for feed in feeds:
        ET.SubElement(body, "outline", type="rss", text=feed.name, title=feed.name, xmlUrl=feed.url)
    ET.indent(root)
    # typeshed says Any: the type depends on the encoding (bytes for any but "unicode").
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


# --- merging into config.yaml --------------------------------------------------------------


def url_key(url: str) -> str:
    """Equal feeds compare equal: normalised link, scheme and trailing slash ignored."""
    norm = normalise_link(url)
    return re.sub(r"^https?://", "", norm, flags=re.I).rstrip("/")


@dataclass
class ImportPlan:
    #: (name, url) to add, names already made unique.
    added: list[tuple[str, str]] = field(default_factory=list)
    #: Feeds not added, with the reason.
    skipped: list[str] = field(default_factory=list)


def plan_import(doc: OpmlDocument, existing: Sequence[FeedConfig]) -> ImportPlan:
    """Which OPML feeds are new (by URL), under which unique names."""
    plan = ImportPlan(skipped=list(doc.skipped))
    configured = {url_key(f.url): f.name for f in existing}
    in_file: dict[str, str] = {}
    names = {f.name.casefold() for f in existing}
    for feed in doc.feeds:
        key = url_key(feed.url)
        if key in configured:
            plan.skipped.append(f"{feed.name!r}: already configured as {configured[key]!r}")
            continue
        if key in in_file:
            plan.skipped.append(f"{feed.name!r}: same feed as {in_file[key]!r} earlier in the file")
            continue
        name, n = feed.name, 1
        while name.casefold() in names:
            n += 1
            name = f"{feed.name} ({n})"
        names.add(name.casefold())
        in_file[key] = name
        plan.added.append((name, feed.url))
    return plan


def _q(value: str) -> str:
    """A YAML scalar: plain when it reads back unchanged, else double-quoted (JSON escapes)."""
    if value == value.strip() and "\n" not in value:
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def _block(entries: Sequence[tuple[str, str]], dash_col: int, key_col: int, note: str) -> str:
    pad, inner = " " * dash_col, " " * key_col
    lines = [f"{pad}# {note}"] if note else []
    for name, url in entries:
        lines.append(f"{pad}-{' ' * (key_col - dash_col - 1)}name: {_q(name)}")
        lines.append(f"{inner}url: {_q(url)}")
    return "\n".join(lines) + "\n"


def _content_end(node: yaml.Node) -> int:
    """Index just after the last character of a node's own content (not trailing comments)."""
    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
        return int(node.end_mark.index)
    children: list[yaml.Node] = []
    if isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    elif isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    return max((_content_end(c) for c in children), default=int(node.end_mark.index))


def _insert_after_line(text: str, index: int, block: str) -> str:
    """`block` inserted at the start of the line after the one holding `text[index - 1]`."""
    if index > 0 and text[index - 1] == "\n":
        at = index
    else:
        nl = text.find("\n", index)
        if nl < 0:
            text, nl = text + "\n", len(text)
        at = nl + 1
    return text[:at] + block + text[at:]


def add_feeds_to_config_text(text: str, entries: Sequence[tuple[str, str]], note: str = "") -> str:
    """`text` with feed entries appended to its `feeds:` list, everything else byte-identical."""
    if not entries:
        return text
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None and not isinstance(root, yaml.MappingNode):
        raise OpmlError("the config file is not a mapping of settings")
    pair = next((p for p in (root.value if root else []) if p[0].value == "feeds"), None)
    if pair is None:
        sep = "" if not text or text.endswith("\n") else "\n"
        return text + sep + "\nfeeds:\n" + _block(entries, 2, 4, note)
    key, value = pair
    key_col = int(key.start_mark.column)
    if isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:null":
        # `feeds:` or `feeds: ~`: drop the null and start a block list under the key.
        text = text[: value.start_mark.index] + text[value.end_mark.index :]
        block = _block(entries, key_col + 2, key_col + 4, note)
        return _insert_after_line(text, int(key.end_mark.index), block)
    if not isinstance(value, yaml.SequenceNode):
        raise OpmlError("feeds: in the config file is not a list")
    if value.flow_style:
        start, end = int(value.start_mark.index), int(value.end_mark.index)
        if not value.value:  # `feeds: []` becomes a block list
            block = _block(entries, key_col + 2, key_col + 4, note)
            return text[:start].rstrip(" ") + "\n" + block.rstrip("\n") + text[end:]
        inside = text[start : end - 1].rstrip()
        sep = " " if inside.endswith(",") else ", "
        items = ", ".join(f"{{name: {_q(n)}, url: {_q(u)}}}" for n, u in entries)
        return text[:start] + inside + sep + items + text[end - 1 :]
    dash_col = int(value.start_mark.column)
    first = value.value[0]
    item_col = int(first.start_mark.column) if isinstance(first, yaml.MappingNode) else dash_col + 2
    return _insert_after_line(text, _content_end(value), _block(entries, dash_col, item_col, note))
