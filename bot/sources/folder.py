"""Text files dropped into a folder become articles.

A file is read once per content: its id carries a hash of the content, so an edited file is a
new version (alerted again) while an untouched one is never re-read (mtime and size are
remembered in memory, and the store dedupes by id after a restart).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.article import Article, content_hash, utcnow
from bot.config import FolderConfig
from bot.errors import SourceError
from bot.sources.base import PollOutcome, SourceState
from classifiers.textfile import parse_text_document

log = logging.getLogger(__name__)

#: A file modified more recently than this may still be being written.
SETTLE_SECONDS = 1.0


@dataclass
class FolderSource:
    folder: FolderConfig
    #: The folder path, already resolved against the config file's folder.
    path: Path
    max_bytes: int = 10_000_000
    settle_seconds: float = SETTLE_SECONDS
    _seen: dict[Path, tuple[int, int]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.folder.source_name

    def reset(self) -> None:
        """Forget what was read, e.g. after its articles could not be stored."""
        self._seen.clear()

    async def poll(self, state: SourceState) -> PollOutcome:
        return await asyncio.to_thread(self.scan, state)

    def scan(self, state: SourceState) -> PollOutcome:
        now = utcnow()
        if not self.path.is_dir():
            reason = f"folder {self.path} does not exist or is not a directory"
            log.warning("source %r failed: %s", self.name, reason)
            return PollOutcome(
                source=self.name,
                state=state.failed(now, reason, interval=self.folder.interval, max_backoff=3600),
                error=SourceError(self.name, reason),
            )
        articles: list[Article] = []
        warnings: list[str] = []
        wall = time.time()
        for file in sorted(self.path.glob(self.folder.glob)):
            if not file.is_file() or file.name.startswith("."):
                continue
            try:
                st = file.stat()
            except OSError:
                continue  # vanished between glob and stat
            key = (st.st_mtime_ns, st.st_size)
            if self._seen.get(file) == key:
                continue
            if wall - st.st_mtime < self.settle_seconds:
                continue  # still being written; next poll
            rel = file.relative_to(self.path).as_posix()
            try:
                if st.st_size > self.max_bytes:
                    raise ValueError(f"larger than {self.max_bytes} bytes")
                doc = parse_text_document(file.read_bytes())
            except (OSError, ValueError) as exc:
                warnings.append(f"{rel}: {exc}")
                log.warning("source %r: skipping %s: %s", self.name, rel, exc)
                self._seen[file] = key
                continue
            version = content_hash(doc.title, doc.text)
            articles.append(
                Article(
                    id=f"file:{self.name}:{rel}:{version}",
                    source=self.name,
                    title=doc.title,
                    text=doc.text,
                    link=None,
                    published=doc.published,
                    fetched_at=now,
                    version=version,
                )
            )
            self._seen[file] = key
        log.debug("source %r: %d new or changed files", self.name, len(articles))
        return PollOutcome(
            source=self.name,
            state=state.succeeded(now, len(articles), polled_before=True),
            articles=articles,
            warnings=warnings,
        )
