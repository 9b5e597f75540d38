"""Configured terms: their syntax, one compiled matcher for a set of them, and its hits.

A plain term matches the whole word with Danish inflectional endings (`nato` → Natos, NATO's,
Nato-landene) but never inside another word (senatoren, natoperation); `*` at the end of a
word matches any continuation (`corona*` → coronapandemien, corona-smittede; in a phrase too:
`pakistan* taliban`), at the start of a term any beginning inside the word (`*krisen`); a
phrase matches its words in order, and `...` between two of them stands for up to five words
of the same clause (`minkavler* ... erstatning*`: "Minkavlerne får 18,8 milliarder i
erstatning"). Hit positions refer to `classifiers.text.normalize(field)`,
the string the model also sees, so hits can be masked out of training text. The topics'
keyword rules over these matchers are `classifiers.keywords`; subscribers' watch words use the
matcher directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from classifiers.base import Document
from classifiers.text import normalize

__all__ = ["Hit", "KeywordMatcher", "any_in_title", "term_pattern"]

# Danish inflection of nouns and proper names, plus English/Danish possessives. Longest first
# so the regex prefers "erne" over "e". "Nato" + these covers Natos, Natoen, NATO's, NATO'.
_ENDINGS = sorted(
    set("s 's ' e es en ens et ets er ers ere erne ernes ne nes n ns r rs rne rnes".split()),
    key=len,
    reverse=True,
)
_ENDING_RE = "(?:" + "|".join(re.escape(e) for e in _ENDINGS) + ")?"
_LETTERS = r"[^\W_]"
_LEFT = r"(?<![^\W_])"  # not preceded by a letter or digit
_RIGHT = r"(?![^\W_])"  # not followed by a letter or digit
# Words in a phrase may be separated by spaces or a hyphen ("artikel 5", "artikel-5").
_GAP = r"(?:\s+|\s*-\s*)"
_CONTINUATION = rf"{_LETTERS}*(?:-{_LETTERS}+)*"
# `...` in a phrase: up to five words between its neighbours, in one clause (no punctuation
# but a figure's decimal comma or point: "18,8 milliarder").
_SKIP = "..."
_SKIPPED = rf"(?:\s+{_LETTERS}[\w'-]*(?:[.,]\d+)*){{0,5}}?\s+"


def term_pattern(term: str, *, compounds: bool = False) -> str:
    """Regex source (for normalised text) of one configured term; see the module docstring.
    `compounds`: the last word also matches as the start of a compound, as if it ended in
    `*` (how look-alikes are matched: see `KeywordClassifier`)."""
    return _LEFT + _term_body(term, compounds=compounds)


def _term_body(term: str, *, compounds: bool, normalized: str | None = None) -> str:
    """`term_pattern` without its left word boundary, which `KeywordMatcher` checks once
    for all its terms. `normalized`: `normalize(term).strip()` when the caller has it."""
    t = normalize(term).strip() if normalized is None else normalized
    prefix_star = t.startswith("*")
    suffix_star = t.endswith("*") or (compounds and t[-1:].isalpha())
    t = t.strip("*").strip()
    if not t:
        raise ValueError(f"empty keyword: {term!r}")
    words = t.split()
    pattern = ""
    skip = False  # a `...` since the last word
    for i, w in enumerate(words):
        if w == _SKIP:
            if skip or not pattern or i == len(words) - 1:
                raise ValueError(f"{term!r}: '...' may only stand between two words")
            skip = True
            continue
        if pattern:
            pattern += _SKIPPED if skip else _GAP
        skip = False
        # A `*` may end any word of a phrase ("pakistan* taliban": Pakistans, pakistanske,
        # Pakistani Taliban in one term); anywhere else it would silently be a literal star.
        star = w.endswith("*") or (i == len(words) - 1 and suffix_star)
        w = w.rstrip("*")
        if not w or "*" in w:
            raise ValueError(f"{term!r}: a '*' may only end a word or begin the term")
        p = re.escape(w)
        if i == 0 and prefix_star:
            p = _LETTERS + "*" + p
        if star:
            p += _CONTINUATION
        elif w[-1].isalpha():
            p += _ENDING_RE
        else:
            p += "(?:'s)?"
        pattern += p
    return pattern + _RIGHT


def _first_letters(normalized_terms: Iterable[str]) -> str | None:
    """The characters a match of any of the (normalised) terms can start with, or None when a
    term starts with `*` (then any letter can)."""
    firsts = set()
    for t in normalized_terms:
        if t.startswith("*"):
            return None
        firsts.add(t[0])
    return "".join(sorted(firsts))


def _opening(normalized_term: str) -> str | None:
    """The two characters every match of a term opens with; None when a match may open any
    way (a term that begins with `*`, or with a one-character word)."""
    if normalized_term.startswith("*"):
        return None
    first = normalized_term.split()[0].rstrip("*")
    return first[:2] if len(first) >= 2 else None


#: `KeywordMatcher.finditer_at`'s marker for an opening not looked at yet.
_UNSEEN = re.compile("")
#: Openings whose regex a matcher keeps (two characters: at most a few thousand occur).
_OPENINGS_BOUND = 10_000


def _word_start(text: str, i: int) -> int:
    """Where the word around position `i` begins (letters and digits, as `_LEFT` reads)."""
    while i > 0 and text[i - 1].isalnum():
        i -= 1
    return i


@dataclass(frozen=True, slots=True)
class Hit:
    """One keyword occurrence. `start`/`end` index `normalize()` of the field's text."""

    term: str
    start: int
    end: int
    surface: str
    field: str = ""

    @property
    def word(self) -> str:
        """The surface without a closing quote: the possessive ending "'" ("NATO'") also takes
        the quote that ends a quoted word ("Holdet 'NATO' vinder", "… siden pandemien'")."""
        return self.surface.rstrip("'’")


def any_in_title(hits: Iterable[Hit]) -> bool:
    """Whether some of `hits` is in the headline (what `DocHits.in_title` and the evidence's
    `Evidence.any_in_title` both ask)."""
    return any(h.field == "title" for h in hits)


class KeywordMatcher:
    """A set of terms compiled into one regex (longest terms first, so `coronapas*` is named
    before `corona*` when both match). Reusable for subscribers' personal watch words."""

    def __init__(self, terms: Iterable[str], *, compounds: bool = False) -> None:
        self.terms: tuple[str, ...] = tuple(dict.fromkeys(t.strip() for t in terms if t.strip()))
        ordered = sorted(range(len(self.terms)), key=lambda i: -len(self.terms[i].strip("*")))
        self._group_term = {f"t{i}": self.terms[i] for i in ordered}
        normalized = [normalize(t).strip() for t in self.terms]
        alternatives = [
            f"(?P<t{i}>{_term_body(self.terms[i], compounds=compounds, normalized=normalized[i])})"
            for i in ordered
        ]
        # Python's regex engine tries every alternative at every position of the text. The
        # word boundary and the possible first characters, checked once before them, turn
        # most positions away in one step: 6x (8 NATO keywords) to 16x (35 Afghanistan
        # keywords) faster over 3,000 news leads, the same hits.
        firsts = _first_letters(normalized)
        gate = _LEFT if firsts is None else f"(?=[{re.escape(firsts)}]){_LEFT}"
        # An impossible pattern for an empty set keeps the methods total.
        self._regex = re.compile(
            f"{gate}(?:{'|'.join(alternatives)})" if alternatives else r"(?!x)x"
        )
        # For `finditer_at`: the alternatives by the two letters a match opens with; a term
        # that opens with a `*` or a one-letter word may open any way ("wild").
        self._opening_alternatives: dict[str, list[str]] = {}
        wild: list[str] = []
        for i, alternative in zip(ordered, alternatives, strict=True):
            opening = _opening(normalized[i])
            if opening is None:
                wild.append(alternative)
                for alts in self._opening_alternatives.values():
                    alts.append(alternative)
            else:
                self._opening_alternatives.setdefault(opening, list(wild)).append(alternative)
        self._wild = re.compile(f"{_LEFT}(?:{'|'.join(wild)})") if wild else None
        self._at_opening: dict[str, re.Pattern[str] | None] = {}

    def __repr__(self) -> str:
        return f"KeywordMatcher({list(self.terms)!r})"

    def finditer(self, text: str, *, field: str = "", normalized: bool = False) -> list[Hit]:
        """All non-overlapping hits, left to right. Pass `normalized=True` when `text`
        already went through `normalize` (the positions then index `text` itself)."""
        if not normalized:
            text = normalize(text)
        return [
            Hit(self._group_term[m.lastgroup or ""], m.start(), m.end(), m.group(), field)
            for m in self._regex.finditer(text)
        ]

    def finditer_at(self, text: str, starts: Iterable[int], *, field: str = "") -> list[Hit]:
        """`finditer` on normalised `text`, trying only the words where literals of the terms
        begin (`classifiers.literals.required_literal` at `starts`). Every match begins at a
        word's start (the left boundary) and contains its term's literal in its first word,
        so the matches and their order are `finditer`'s; the regex runs at a few places
        instead of stepping through the whole text (10 µs per article with a literal)."""
        out: list[Hit] = []
        end = 0
        names, regex_at = self._group_term, self._at_opening
        for at in sorted({_word_start(text, s) for s in starts}):
            if at < end:
                continue  # inside the previous match, as `finditer` would skip it
            opening = text[at : at + 2]
            regex = regex_at.get(opening, _UNSEEN)
            if regex is _UNSEEN:
                regex = self._regex_at(opening)
            if regex is None:
                continue
            m = regex.match(text, at)
            if m is not None:
                out.append(Hit(names[m.lastgroup or ""], m.start(), m.end(), m.group(), field))
                end = m.end()
        return out

    def _regex_at(self, opening: str) -> re.Pattern[str] | None:
        """The alternatives a match opening with `opening` can be, in the order of the
        whole regex, so the first of them that matches is the one `finditer` finds: every
        other alternative opens otherwise. Why: the regex engine tries its alternatives
        one by one, ~4 µs at a word for the ~200 COVID-19 keywords against ~0.3 µs for the
        few that open alike. Compiled on first use, so a subscriber's watch words cost
        nothing until a text has their literal."""
        alternatives = self._opening_alternatives.get(opening)
        regex = (
            self._wild
            if alternatives is None
            else re.compile(f"{_LEFT}(?:{'|'.join(alternatives)})")
        )
        if len(self._at_opening) < _OPENINGS_BOUND:
            self._at_opening[opening] = regex
        return regex

    def search(self, text: str, *, normalized: bool = False) -> bool:
        return self._regex.search(text if normalized else normalize(text)) is not None

    def doc_hits(self, doc: Document) -> list[Hit]:
        return self.finditer(doc.title, field="title") + self.finditer(doc.text, field="text")
