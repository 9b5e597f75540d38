"""Reading training corpora and labelled sets: CSV, JSONL or a folder of text files.

This is the only file I/O in the package besides model persistence; the CLI and the bench
share it so `train`, `eval` and the benchmark read data the same way.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from classifiers.base import Document
from classifiers.textfile import read_text_document

__all__ = ["LabelledItem", "iter_corpus", "read_corpus", "read_labels", "read_text_file"]


@dataclass(frozen=True, slots=True)
class LabelledItem:
    """A hand-labelled document: `labels` holds the topic ids it is about."""

    id: str
    doc: Document
    labels: frozenset[str]
    unsure: bool = False


def read_text_file(path: Path) -> Document:
    """One article per file, read as the bot's folder source reads it (`classifiers.textfile`):
    an optional date tag, the first sentence as the title, the whole text as the text."""
    doc = read_text_document(path)
    return Document(doc.title, doc.text)


def _csv_docs(path: Path) -> Iterator[Document]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with path.open(encoding="utf-8", newline="", errors="replace") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames is None or "title" not in reader.fieldnames:
            raise ValueError(f"{path}: a CSV corpus needs a 'title' column")
        for row in reader:
            title = (row.get("title") or "").strip()
            text = (row.get("text") or "").strip()
            if title or text:
                yield Document(title, text)


def _jsonl_objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) of each non-blank line; a line that is not JSON is an error
    naming the file and line."""
    with Path(path).open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
            yield n, obj


def _jsonl_docs(path: Path) -> Iterator[Document]:
    for _, obj in _jsonl_objects(path):
        title = str(obj.get("title") or "").strip()
        text = str(obj.get("text") or "").strip()
        if title or text:
            yield Document(title, text)


def iter_corpus(path: Path) -> Iterator[Document]:
    """Documents of a CSV (`title`, optional `text`), a JSONL (same keys) or a folder.
    A folder yields its `*.txt` files and any CSV/JSONL files in it, sorted by name."""
    path = Path(path)
    if path.is_dir():
        for p in sorted(path.iterdir()):
            if p.suffix.lower() == ".txt" and p.is_file():
                try:
                    yield read_text_file(p)
                except ValueError:
                    continue  # an empty file (or an impossible date tag) teaches nothing
            elif p.suffix.lower() in (".csv", ".jsonl") and p.is_file():
                yield from iter_corpus(p)
    elif path.suffix.lower() == ".csv":
        yield from _csv_docs(path)
    elif path.suffix.lower() in (".jsonl", ".json"):
        yield from _jsonl_docs(path)
    elif path.is_file():
        yield read_text_file(path)
    else:
        raise FileNotFoundError(f"{path}: no such corpus file or folder")


def read_corpus(paths: Sequence[Path]) -> list[Document]:
    """All documents of several corpora, exact duplicates dropped (feeds repeat items)."""
    seen: set[Document] = set()
    out = []
    for p in paths:
        for d in iter_corpus(p):
            if d not in seen:
                seen.add(d)
                out.append(d)
    return out


def _day(path: Path, n: int, obj: dict[str, Any]) -> date | None:
    """An item's optional `date` (YYYY-MM-DD): keywords valid until a day need it."""
    raw = obj.get("date")
    if raw is None:
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ValueError(f"{path}:{n}: 'date' must be a day like 2025-03-01, not {raw!r}") from None


def read_labels(path: Path, topics: Sequence[str] | None = None) -> list[LabelledItem]:
    """Labelled JSONL: `title`, `text`, `labels` (topic ids), optionally `date` (the day it
    was published). Unknown topic ids are an error when `topics` is given, because a typo
    would silently count as a negative."""
    items = []
    for n, obj in _jsonl_objects(path):
        labels = obj.get("labels")
        if not isinstance(labels, list):
            raise ValueError(f"{path}:{n}: 'labels' must be a list of topic ids")
        if topics is not None and (unknown := set(labels) - set(topics)):
            raise ValueError(f"{path}:{n}: unknown topic ids {sorted(unknown)}")
        doc = Document(
            str(obj.get("title") or ""), str(obj.get("text") or ""), published=_day(path, n, obj)
        )
        items.append(
            LabelledItem(str(obj.get("id", n)), doc, frozenset(labels), bool(obj.get("unsure")))
        )
    return items
