"""Personal watch words: `/watch <word or phrase>` alerts beside the configured topics.

A watch word is a literal term in the keyword rules' syntax (`classifiers.terms`): it
matches the whole word with the keyword rules' Danish endings (`mink` → Mink, Minks, minken,
mink-skandalen, but not minkavlere), a phrase matches its words in order, and one trailing `*`
matches any continuation inside the word (`vindmølle*` → vindmøllepark). Nothing else from a
user reaches a regex: only letters, digits, spaces, hyphens and apostrophes are accepted, and
every word is `re.escape`d by `term_pattern`.

Matching an article against every chat's words compiles one `KeywordMatcher` over the distinct
phrases of all active chats (cached until the set of phrases changes) and maps the phrases that
hit back to their chats, so the cost per article does not grow with the number of chats.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from classifiers.base import Document
from classifiers.literals import LiteralFilter
from classifiers.terms import Hit, KeywordMatcher
from classifiers.text import normalize

#: Watch words per chat, and characters per watch word.
MAX_WORDS = 20
MAX_CHARS = 50
#: Letters before a trailing `*` (`a*` would match half the language).
MIN_WILDCARD_STEM = 3

_ALLOWED = re.compile(r"[^\W_]+(?:[ '-]+[^\W_]+)*\*?")


class WatchWordError(ValueError):
    """Why a watch word was refused; `reason` is an i18n key (`watch_bad_*`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def clean_phrase(raw: str) -> str:
    """The stored form of a watch word (normalised, lower case, single spaces), or raise
    `WatchWordError`. Accepts letters, digits, spaces, hyphens, apostrophes and one trailing
    `*`; a hyphen may be surrounded by spaces ("nord - stream" → "nord-stream")."""
    phrase = normalize(raw).strip()
    phrase = re.sub(r"\s*-\s*", "-", phrase)
    if not phrase:
        raise WatchWordError("watch_bad_empty")
    if len(phrase) > MAX_CHARS:
        raise WatchWordError("watch_bad_long")
    if not _ALLOWED.fullmatch(phrase):
        raise WatchWordError("watch_bad_chars")
    stem = phrase.rstrip("*")
    letters = sum(ch.isalnum() for ch in stem)
    if letters < 2 or (phrase.endswith("*") and letters < MIN_WILDCARD_STEM):
        raise WatchWordError("watch_bad_short")
    return phrase


@lru_cache(maxsize=1024)
def matcher_for(phrases: tuple[str, ...]) -> KeywordMatcher:
    """A compiled matcher for one set of (already cleaned) phrases; cached by the set."""
    return KeywordMatcher(phrases)


def chat_hits(phrases: Iterable[str], doc: Document) -> list[Hit]:
    """Hits of one chat's watch words in a document (for `/test`)."""
    return matcher_for(tuple(sorted(set(phrases)))).doc_hits(doc)


@dataclass
class WatchIndex:
    """Which chats' watch words an article contains; rebuilt only when the phrases change."""

    _phrases: tuple[str, ...] = ()
    _matcher: KeywordMatcher | None = None
    _filter: LiteralFilter = field(default_factory=lambda: LiteralFilter([]))

    def _prepare(self, phrases: Iterable[str]) -> KeywordMatcher:
        key = tuple(sorted(set(phrases)))
        if self._matcher is None or key != self._phrases:
            self._phrases = key
            self._matcher = KeywordMatcher(key)
            self._filter = LiteralFilter([key])
        return self._matcher

    def match(
        self, watchers: Mapping[str, Sequence[int]], docs: Sequence[Document]
    ) -> list[dict[int, list[str]]]:
        """Per document: chat id → the chat's watch words it contains (phrase → chats given)."""
        if not watchers:
            return [{} for _ in docs]
        matcher = self._prepare(watchers)
        out: list[dict[int, list[str]]] = []
        for doc in docs:
            title, text = normalize(doc.title), normalize(doc.text)
            both = title + "\n" + text
            found: dict[int, list[str]] = {}
            # Cheap substring pre-check: most articles contain no watch word's literal at all.
            if self._filter.groups_in(both):
                terms = dict.fromkeys(
                    h.term
                    for h in matcher.finditer(title, normalized=True)
                    + matcher.finditer(text, normalized=True)
                )
                for term in sorted(terms):
                    for chat_id in watchers.get(term, ()):
                        found.setdefault(chat_id, []).append(term)
            out.append(found)
        return out
