"""One story, one alert: group articles of different outlets that report the same story.

A new article is compared with the articles of the last `WINDOW` (24 h) from *other* sources:
cosine similarity of sublinear TF-IDF vectors of stemmed words (stop words out, the headline
counted twice). At or above `THRESHOLD` it joins the most similar article's story; otherwise
it starts its own (story id = its article id). The threshold was measured on real headlines of
six Danish outlets: see BENCHMARKS.md "Story grouping" and `bench/stories.py`.

Kept cheap: the index holds at most `max_articles` sparse vectors (dicts) of the window, with
an inverted index of terms; candidates are only articles sharing a term that is not common in
the window, and document frequencies are updated incrementally (the IDF is the window's own).
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from classifiers.features import TermAnalyzer
from classifiers.text import normalize, tokenize

#: Similarity at or above which two articles are one story (measured: BENCHMARKS.md).
THRESHOLD = 0.5
WINDOW = timedelta(hours=24)
#: A term in more than this share of the window's articles does not make candidates.
COMMON_SHARE = 0.05
MAX_CANDIDATES = 300
TITLE_WEIGHT = 2

_ANALYZER = TermAnalyzer()  # stems and stop words only; no compound splitting


def terms(title: str, text: str = "") -> Counter[str]:
    """Term counts of one article (headline twice)."""
    out: Counter[str] = Counter()
    for w in tokenize(normalize(title)):
        for t in _ANALYZER.terms(w):
            out[t] += TITLE_WEIGHT
    for w in tokenize(normalize(text)):
        for t in _ANALYZER.terms(w):
            out[t] += 1
    return out


@dataclass(slots=True)
class _Entry:
    id: str
    source: str
    when: datetime
    story_id: str
    tf: dict[str, float]


@dataclass(frozen=True, slots=True)
class Match:
    story_id: str
    similarity: float
    article_id: str | None  # the most similar article of another source, if any


class StoryIndex:
    """The sliding window of recent articles; `assign` gives each new article its story."""

    def __init__(
        self,
        threshold: float = THRESHOLD,
        window: timedelta = WINDOW,
        max_articles: int = 5000,
    ) -> None:
        self.threshold = threshold
        self.window = window
        self.max_articles = max_articles
        self._entries: deque[_Entry] = deque()
        self._by_id: dict[str, _Entry] = {}
        self._postings: dict[str, set[str]] = {}
        self._df: Counter[str] = Counter()
        self._latest: datetime | None = None

    def __len__(self) -> int:
        return len(self._entries)

    def _idf(self, term: str, n: int) -> float:
        return math.log((1 + n) / (1 + self._df.get(term, 0))) + 1.0

    def _evict(self) -> None:
        horizon = self._latest - self.window if self._latest else None
        while self._entries and (
            len(self._entries) > self.max_articles
            or (horizon is not None and self._entries[0].when < horizon)
        ):
            old = self._entries.popleft()
            self._by_id.pop(old.id, None)
            for t in old.tf:
                self._df[t] -= 1
                if self._df[t] <= 0:
                    del self._df[t]
                posting = self._postings.get(t)
                if posting is not None:
                    posting.discard(old.id)
                    if not posting:
                        del self._postings[t]

    def best_match(self, source: str, tf: dict[str, float], when: datetime) -> Match | None:
        """The most similar article of another source within the window, or None."""
        if not tf or not self._entries:
            return None
        n = len(self._entries)
        common = max(3, COMMON_SHARE * n)
        shared: Counter[str] = Counter()
        for t in tf:
            if self._df.get(t, 0) <= common:
                shared.update(self._postings.get(t, ()))
        if not shared:
            return None
        idf = {t: self._idf(t, n) for t in tf}
        q = {t: w * idf[t] for t, w in tf.items()}
        qnorm = math.sqrt(sum(v * v for v in q.values()))
        best: Match | None = None
        for cid, _ in shared.most_common(MAX_CANDIDATES):
            e = self._by_id[cid]
            if e.source == source or abs(e.when - when) > self.window:
                continue
            dot = sum(q[t] * w * idf[t] for t, w in e.tf.items() if t in q)
            norm = math.sqrt(sum((w * self._idf(t, n)) ** 2 for t, w in e.tf.items()))
            sim = dot / (qnorm * norm) if qnorm and norm else 0.0
            if best is None or sim > best.similarity:
                best = Match(e.story_id, sim, e.id)
        return best

    def add(
        self, article_id: str, source: str, when: datetime, story_id: str, tf: dict[str, float]
    ) -> None:
        if article_id in self._by_id:
            return
        entry = _Entry(article_id, source, when, story_id, tf)
        self._entries.append(entry)
        self._by_id[article_id] = entry
        for t in tf:
            self._df[t] += 1
            self._postings.setdefault(t, set()).add(article_id)
        if self._latest is None or when > self._latest:
            self._latest = when
        self._evict()

    def assign(self, article_id: str, source: str, title: str, text: str, when: datetime) -> str:
        """The story id of a new article (and remember it for later ones)."""
        known = self._by_id.get(article_id)
        if known is not None:
            return known.story_id
        tf = {t: 1.0 + math.log(c) for t, c in terms(title, text).items()}
        match = self.best_match(source, tf, when)
        story = match.story_id if match and match.similarity >= self.threshold else article_id
        self.add(article_id, source, when, story, tf)
        return story

    def load(self, rows: Iterable[tuple[str, str, str, str, datetime, str]]) -> None:
        """Refill the window after a restart: (id, source, title, text, when, story id)."""
        for article_id, source, title, text, when, story_id in rows:
            tf = {t: 1.0 + math.log(c) for t, c in terms(title, text).items()}
            self.add(article_id, source, when, story_id, tf)
