"""The one interface the bot classifies through, whatever sits behind it.

The bot depends only on this module; keyword rules, the TF-IDF model and their combination
all implement `TopicClassifier`, so the pipeline never changes when the model does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import NamedTuple, Protocol, runtime_checkable


class Document(NamedTuple):
    """What the classifier sees of an article: headline-only items have text == "".
    `language` (ISO 639-1, see `classifiers.language`) when the caller already identified
    it; None lets the classifier identify it. `published`: the day the article appeared,
    for keywords valid only until or from a day (`TopicRule.until`, `TopicRule.since`); None
    when unknown (an archive without dates): keywords valid until a day then count, those
    valid from a day do not."""

    title: str
    text: str = ""
    language: str | None = None
    published: date | None = None


def published_day(moment: datetime | None) -> date:
    """`Document.published` for live news: the day `moment` falls on, or today (UTC) for an
    undated item, since what a feed or a chat hands over undated is today's news."""
    return (moment or datetime.now(UTC)).date()


@dataclass(frozen=True, slots=True)
class TopicRule:
    """A topic as configured by the operator (`config.yaml` topics[]), without bot concerns."""

    id: str
    keywords: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    #: People, places, institutions and measures of the topic: evidence weaker than a
    #: keyword (they also appear in other news) and stronger than context alone.
    related: tuple[str, ...] = ()
    #: Other subjects that share the topic's vocabulary (other diseases beside COVID-19): a
    #: story naming one of them and none of the keywords is about that subject, so neither
    #: the context model nor a related term alerts on it alone.
    others: tuple[str, ...] = ()
    #: False: the context model never alerts on this topic without a keyword or a related
    #: term. For a topic that is a place (a country): a story about it names the country, its
    #: places, people or rulers, so a context that only reads like its news (war, a regime,
    #: refugees elsewhere) is another country's story.
    model_alone: bool = True
    #: True: two different related terms alert unless the context model argues against them
    #: (`classifiers.hybrid.Decision.related_pair`). For a topic whose related terms are its
    #: own proper names (NATO's operations, summits), which other news does not name twice
    #: over in one story.
    related_pair_alerts: bool = False
    #: Keywords that name the topic even when named once in a body: its own measures and
    #: figures ("forsamlingsforbud*", "smittetal*"), which other news does not use in passing.
    #: One such mention outside the headline is strong evidence (`Evidence.named_once`).
    named_once: tuple[str, ...] = ()
    #: Keywords that named the topic only until a day, (term, last day) pairs: a person's
    #: term in office ("stoltenberg" led NATO until 30 September 2024, then became Norway's
    #: finance minister). In an article published later the term is a related term instead.
    until: tuple[tuple[str, date], ...] = ()
    #: Keywords that name the topic only from a day on, (term, first day) pairs ("rutte" has
    #: led NATO since 1 October 2024; before, he was the Dutch prime minister). In an article
    #: published earlier, or of unknown date, the term is a related term instead.
    since: tuple[tuple[str, date], ...] = ()


class TopicScore(NamedTuple):
    """One topic's verdict on one document. Immutable like the rules, but a NamedTuple: a
    frozen dataclass's `__init__` sets each field through `object.__setattr__` (1.5 µs
    against 0.6 µs here), and a classifier builds one per topic for every article (three
    per article cost ~4 % of the hybrid's time)."""

    topic: str
    #: Probability-like confidence in [0, 1].
    score: float
    #: The decision after thresholds and rules: alert on it or not.
    matched: bool
    #: Why: the keywords that hit, or the model's explaining terms (shown in alerts).
    reasons: tuple[str, ...] = ()


@runtime_checkable
class TopicClassifier(Protocol):
    """Anything that scores documents against the configured topics."""

    @property
    def topics(self) -> tuple[str, ...]:
        """Topic ids in a fixed order."""
        ...

    def classify_many(self, docs: Sequence[Document]) -> list[list[TopicScore]]:
        """One list per document, holding one TopicScore per topic (matched or not)."""
        ...
