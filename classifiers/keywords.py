"""Word-aware keyword rules: the baseline alerting, the weak labeller and the model's partner.

Each topic's keywords, excludes, related terms and other subjects, matched with
`classifiers.terms.KeywordMatcher` (where the term syntax is). Hit positions refer to
`classifiers.text.normalize(field)`, the string the model also sees, so hits can be masked out
of training text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from classifiers.base import Document, TopicRule, TopicScore
from classifiers.literals import LiteralFilter
from classifiers.terms import Hit, KeywordMatcher, any_in_title
from classifiers.text import normalize

__all__ = ["DocHits", "KeywordClassifier"]


def _compound_tail(text: str, start: int) -> bool:
    """Whether a match at `start` is the tail of a hyphenated compound ("visa-restriktioner").
    The head names the kind, so such a related term is another subject's measure; with the
    topic's own head ("corona-restriktioner") a keyword matches anyway."""
    return start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum()


@dataclass(frozen=True, slots=True)
class DocHits:
    """One topic's keyword evidence in one document (vetoed hits moved to `suppressed`)."""

    topic: str
    hits: tuple[Hit, ...] = ()
    #: Exclude hits found; each vetoes, everywhere in the document, the keywords it contains.
    vetoes: tuple[Hit, ...] = ()
    #: Keyword hits dropped because of a veto (still masked out of training text).
    suppressed: tuple[Hit, ...] = ()

    @property
    def in_title(self) -> bool:
        return any_in_title(self.hits)

    @property
    def count(self) -> int:
        return len(self.hits)

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(h.term for h in self.hits))


KeywordRule = Literal["any", "title_or_twice"]


class KeywordClassifier:
    """Keyword alerting as Google Alerts does it (`rule="any"`), or the stricter
    `"title_or_twice"` rule that ignores single passing mentions in the body.

    Exclude terms work at document level: an exclude hit anywhere in the document (e.g.
    "Corona-øl") vetoes every hit of the keywords it contains (`corona*`), because a
    look-alike usually recurs in shorter forms in the same text ("Corona", "øllet") that no
    rule can list. Keywords the exclude does not contain still count ("Corona-øl solgte
    dårligt under covid-19"), so an exclude for one look-alike ("pakistansk Taliban") does
    not silence a story that also names the topic itself ("Afghanistan"). An exclude that
    contains no keyword vetoes them all. An exclude also matches the compounds its last word
    begins ("corona-øl" → "Corona-ølflasker", "afghansk mynde" → "afghansk myndehvalp"):
    Danish writes a look-alike's things as one word, and no operator lists them all.

    An exclude that contains a related term and no keyword ("restriktion* på") vetoes that
    related term in the article, and nothing else: the measure's word told of another thing
    ("restriktioner på vandforbruget"). It matches as written, without compounds, since its
    last word is the one that tells ("på" would otherwise begin "påvirker").
    """

    def __init__(self, rules: Sequence[TopicRule], *, rule: KeywordRule = "any") -> None:
        if rule not in ("any", "title_or_twice"):
            raise ValueError(f"unknown keyword rule {rule!r}")
        self.rules = tuple(rules)
        self.rule: KeywordRule = rule
        self._kw = [KeywordMatcher(r.keywords) for r in self.rules]
        # A keyword valid until (or from) a day is a related term in the articles after (or
        # before) it; where it is valid its hits are keyword hits and masked, so the related
        # matcher finds nothing there.
        self._until = [{t.strip(): day for t, day in r.until} for r in self.rules]
        self._since = [{t.strip(): day for t, day in r.since} for r in self.rules]
        self._dated = [
            frozenset(u) | frozenset(f) for u, f in zip(self._until, self._since, strict=True)
        ]
        related = [(*r.related, *(t for t, _ in (*r.until, *r.since))) for r in self.rules]
        self._rel = [KeywordMatcher(terms) for terms in related]
        # Which keywords each exclude term vetoes: those matching inside the exclude itself
        # (None: every keyword); an exclude with a related term and no keyword vetoes that term.
        self._vetoes: list[dict[str, frozenset[str] | None]] = []
        self._rel_vetoes: list[dict[str, frozenset[str]]] = []
        for kw, rel, r in zip(self._kw, self._rel, self.rules, strict=True):
            table: dict[str, frozenset[str] | None] = {}
            rel_table: dict[str, frozenset[str]] = {}
            for ex in r.exclude:
                plain = ex.replace("*", " ")
                inside = frozenset(h.term for h in kw.finditer(plain))
                of_related = frozenset(h.term for h in rel.finditer(plain))
                if inside or not of_related:
                    table[ex.strip()] = inside or None
                else:
                    rel_table[ex.strip()] = of_related
            self._vetoes.append(table)
            self._rel_vetoes.append(rel_table)
        self._ex = [KeywordMatcher(t, compounds=True) for t in self._vetoes]
        self._rel_ex = [KeywordMatcher(t) for t in self._rel_vetoes]
        self._others = [KeywordMatcher(r.others) for r in self.rules]
        # The other subjects are looked for wherever the model alone could alert; their
        # literals spare most of those articles the regex (61 µs per article before).
        self._others_starts = LiteralFilter([r.others for r in self.rules])
        # Related terms are many and mostly absent: their literals say whether a topic's can
        # match at all and where, so the regex is tried only there.
        self._rel_starts = LiteralFilter(related)
        # The excludes are looked for in every article with a keyword hit, and COVID-19's ~60
        # of them cost a regex scan of 65-90 µs per field; as for the keywords, their
        # literals say where a match can begin, so the regex runs only there.
        self._ex_filter = LiteralFilter([list(t) for t in self._vetoes])
        # Substring pre-checks first: most articles contain none of the keywords' literals,
        # and an article that names one topic rarely contains another topic's literals.
        self._keyword_filter = LiteralFilter([r.keywords for r in self.rules])
        self._empty = tuple(DocHits(r.id) for r in self.rules)

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)

    def hits_normalized(
        self, title: str, text: str, published: date | None = None
    ) -> list[DocHits]:
        """Per-topic hits in already-normalised title and text (the model's entry point).
        A keyword outside its days (`TopicRule.until`, `TopicRule.since`) is no hit: neither
        counted nor masked, so it is found as a related term."""
        # Literals never contain a newline, so joining title and text with one is safe.
        joined = title + "\n" + text
        found = self._keyword_filter.starts_in(joined)
        if not found:
            return list(self._empty)
        out = []
        may_exclude: dict[int, list[int] | None] | None = None  # found once, when needed
        for j, (rule, kw, ex) in enumerate(zip(self.rules, self._kw, self._ex, strict=True)):
            if j not in found:
                out.append(self._empty[j])
                continue
            hits = self._scan(kw, title, text, found[j])
            if self._dated[j]:
                hits = [h for h in hits if self._valid(j, h.term, published)]
            vetoes: list[Hit] = []
            if hits and ex.terms:
                if may_exclude is None:
                    may_exclude = self._ex_filter.starts_in(joined)
                if j in may_exclude:
                    vetoes = self._scan(ex, title, text, may_exclude[j])
            if vetoes:
                vetoed = [self._vetoes[j][v.term] for v in vetoes]
                terms = None if None in vetoed else frozenset().union(*vetoed)  # type: ignore[arg-type]
                kept = tuple(h for h in hits if terms is not None and h.term not in terms)
                gone = tuple(h for h in hits if h not in kept)
                out.append(DocHits(rule.id, kept, tuple(vetoes), gone))
            else:
                out.append(DocHits(rule.id, tuple(hits)))
        return out

    @staticmethod
    def _scan(
        matcher: KeywordMatcher, title: str, text: str, starts: list[int] | None
    ) -> list[Hit]:
        """`matcher`'s hits in title and text, tried only at `starts` (where its literals
        begin in title + newline + text); None: a term without a literal, so both are
        scanned whole."""
        if starts is None:
            return matcher.finditer(title, field="title", normalized=True) + matcher.finditer(
                text, field="text", normalized=True
            )
        split = len(title) + 1
        return matcher.finditer_at(
            title, [s for s in starts if s < split], field="title"
        ) + matcher.finditer_at(text, [s - split for s in starts if s >= split], field="text")

    @property
    def has_related(self) -> bool:
        """Whether any topic has related terms, its keywords valid only until or from a day
        included: without any, `related_hits` always finds nothing."""
        return any(m.terms for m in self._rel)

    def related_hits(
        self, j: int, title: str, text: str, *, vetoes: bool = True
    ) -> tuple[Hit, ...]:
        """Topic j's related-term hits (`TopicRule.related`, and its keywords valid only until
        or from a day, which are found where they are not keywords: unmasked) in normalised
        title and text. Asked only for the few documents whose decision they can change (see
        `classifiers.hybrid`), so most articles never pay for the scan."""
        starts = self._rel_starts.starts_in(title + "\n" + text)
        if j not in starts:
            return ()
        hits = tuple(
            h
            for h in self._scan(self._rel[j], title, text, starts[j])
            if not _compound_tail(title if h.field == "title" else text, h.start)
        )
        if vetoes and hits and self._rel_vetoes[j]:
            found = self._scan(self._rel_ex[j], title, text, None)
            gone = {t for v in found for t in self._rel_vetoes[j][v.term]}
            hits = tuple(h for h in hits if h.term not in gone)
        return hits

    def _valid(self, j: int, term: str, published: date | None) -> bool:
        """Whether keyword `term` of topic j counts in an article of day `published`. Of
        unknown date: the archives a topic is set up on predate any change, so a keyword
        valid until a day counts (also where it was valid from an earlier day: the archive
        is of its time) and one valid only from a day does not."""
        last, first = self._until[j].get(term), self._since[j].get(term)
        if published is None:
            return first is None or last is not None
        return (last is None or published <= last) and (first is None or published >= first)

    def dated_terms(self, j: int) -> frozenset[str]:
        """Topic j's keywords valid only until or from a day."""
        return self._dated[j]

    def names_other_subject(self, j: int, title: str, text: str) -> bool:
        """Whether normalised title or text names one of topic j's other subjects
        (`TopicRule.others`). Asked only where the model alone could alert."""
        starts = self._others_starts.starts_in(title + "\n" + text)
        return j in starts and bool(self._scan(self._others[j], title, text, starts[j]))

    def hits(self, doc: Document) -> list[DocHits]:
        """Per-topic hits, in `topics` order; positions index the normalised fields."""
        return self.hits_normalized(normalize(doc.title), normalize(doc.text), doc.published)

    def decide(self, h: DocHits) -> bool:
        if self.rule == "any":
            return h.count > 0
        return h.in_title or h.count >= 2

    def classify_many(self, docs: Sequence[Document]) -> list[list[TopicScore]]:
        out = []
        for doc in docs:
            row = []
            for h in self.hits(doc):
                m = self.decide(h)
                row.append(TopicScore(h.topic, 1.0 if m else 0.0, m, h.terms))
            out.append(row)
        return out
