"""Keyword evidence: how a topic is named in one document, as the labelling rubric reads it.

A keyword in the headline, or named twice, is strong evidence; a single mention in the body is
weak; a passing mention (a time marker such as "siden coronakrisen", an item of a list, a
background clause such as "Finland, der blev medlem af Nato, …") is weaker still or nothing.
The weak labeller (`classifiers.training`) and the alert decision (`classifiers.hybrid`) read
the same `Evidence`, and both see the text with every hit masked (`prepare`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from classifiers.background import names_former_holder
from classifiers.base import Document
from classifiers.cause import cause_of_headline, delayed_by, reports_stop
from classifiers.headline import (
    during_in_headline,
    is_timeline,
    single_in_headline,
    yardstick_in_headline,
)
from classifiers.keywords import DocHits, KeywordClassifier
from classifiers.name_hits import name_hits
from classifiers.passing import is_passing, time_word
from classifiers.persons import is_pandemic_role, past_deployment_in_body
from classifiers.places import paired_place
from classifiers.terms import Hit, any_in_title
from classifiers.text import normalize
from classifiers.then_now import dated_in_past_part

__all__ = ["NO_EVIDENCE", "Evidence", "current_related", "mask", "prepare"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """One topic's keyword evidence in one document."""

    hits: tuple[Hit, ...]
    in_title: bool
    #: Hits that are not passing mentions (time markers, background clauses).
    strong_count: int
    #: Related-term hits (`TopicRule.related`) beside a single mention that is no time
    #: marker: they make it more than a passing mention (see `classifiers.hybrid.Decision`).
    related: tuple[Hit, ...] = ()
    #: Hits in a background clause of membership or a former office, or dating the story
    #: ("siden coronakrisen"; see `named`).
    background: int = 0
    #: An exclude term of the topic is in the document (`TopicRule.exclude`): it names a
    #: look-alike ("Corona-øl", "bovint coronavirus") and vetoed the keywords it contains.
    looks_alike: bool = False
    #: The one body mention is the disease given as the cause of a stop the headline reports,
    #: or as what a measure the lead tells is taken to curb (`classifiers.cause`): as strong
    #: as a mention in the headline.
    cause_of_headline: bool = False
    #: A keyword that names the topic even once (`TopicRule.named_once`: its own measures and
    #: figures) is mentioned in the body, not as a time marker or a passing mention.
    named_once: bool = False

    @property
    def strong(self) -> bool:
        return self.in_title or self.strong_count >= 2 or self.cause_of_headline or self.named_once

    @property
    def any(self) -> bool:
        return bool(self.hits)

    @property
    def any_in_title(self) -> bool:
        """Some hit in the headline, passing mentions and list entries included (unlike
        `in_title`): the headline names the topic in some way."""
        return any_in_title(self.hits)

    @property
    def named(self) -> bool:
        """Some hit is outside a background clause. A story that names the topic only there
        describes a country or a person by it ("Finland, der blev medlem af Nato sidste år,
        …", "den tidligere generalsekretær i Nato …"), so the decision is the context
        model's, as with no keyword. So does a named period that only dates the story
        ("siden coronakrisen"). Other time markers stay single mentions: their pattern also
        catches illness ("senfølger efter covid-19"), and on the corpora such stories are
        more often about the topic than not."""
        return len(self.hits) > self.background


def _evidence(
    kc: KeywordClassifier, j: int, dh: DocHits, title: str, text: str, doc: Document
) -> Evidence:
    background = 0
    strong: list[Hit] = []
    names = name_hits(dh, title, text, doc)

    def kin(stretch: str) -> bool:
        return kc.names_other_subject(j, stretch, "")

    # a timeline of another subject: every body mention is one entry of it
    entries = is_timeline(title) and not any(h.field == "title" for h in dh.hits)
    passed: Hit | None = None  # the last hit that named no subject
    for h in dh.hits:
        field_text = title if h.field == "title" else text
        if (
            (h.field, h.start) in names
            or (entries and h.field == "text")
            or yardstick_in_headline(h, title, kin)
            or (h.field == "title" and dated_in_past_part(h, title))
            or _continues(passed, h, field_text)
        ):
            background += 1
            passed = h
            continue
        word = time_word(h, field_text)
        if word is not None and during_in_headline(  # most hits date nothing: no scan
            h, title, word, any(o.field == "title" and o.start < h.start for o in dh.hits)
        ):
            word = None
        if (
            is_passing(h, field_text, word)
            or past_deployment_in_body(h, title, text, doc.text)
            or (delayed_by(h, field_text) and not (h.field == "text" and reports_stop(title)))
            or (len(dh.hits) == 1 and h.field == "text" and paired_place(h, text))
        ):
            background += 1
            passed = h
        elif word is None:  # not dated ("efter covid-19" is named, but not strong)
            strong.append(h)

    in_title = any(
        h.field == "title" and not single_in_headline(h, title, doc, kin) for h in strong
    )
    related: tuple[Hit, ...] = ()
    if len(strong) == 1 and not in_title:  # the only case related terms decide (rare)
        # A keyword valid only until or from a day is also a related term (for the articles
        # outside its days): where it is a keyword, its related hit is that same mention.
        dated = kc.dated_terms(j)
        named = {(h.field, h.start) for h in dh.hits}
        related = current_related(
            (
                r
                for r in kc.related_hits(j, title, text)
                if (r.term not in dated or (r.field, r.start) not in named)
                and not _listed_together(strong[0], r, title if r.field == "title" else text)
            ),
            title,
            text,
        )
    cause = not in_title and len(strong) == 1 and cause_of_headline(strong[0], title, text)
    # the only mention of the topic: beside a time marker or a background clause that names
    # it too, the measure is that clause's ("… under coronapandemien, hvor han dagligt
    # fremlagde smittetallene")
    once = kc.rules[j].named_once
    alone = (
        bool(once)
        and len(dh.hits) == 1
        and len(strong) == 1
        and strong[0].field == "text"
        and strong[0].term in once
    )
    return Evidence(
        dh.hits,
        in_title,
        _mentions(strong, title, text),
        related,
        background,
        looks_alike=bool(dh.vetoes),
        cause_of_headline=cause,
        named_once=alone,
    )


def _continues(passed: Hit | None, h: Hit, field_text: str) -> bool:
    """Whether hit `h` goes on from the passing mention just before it with nothing between
    ("… skrevet færdig før covid lukkede landet ned": the disease and its lockdown are one
    time marker): one phrase, one mention, which names no subject."""
    return (
        passed is not None
        and passed.field == h.field
        and passed.end <= h.start
        and not field_text[passed.end : h.start].strip()
    )


# A related term in the same list as the keyword ("Mette Frederiksen overlevede corona, mink og
# Arne-pension"): one more entry of the inventory that demoted the keyword, not a second
# sign that the topic is the story.
_LIST_BETWEEN = re.compile(
    r"(?:\s*,\s*|\s+(?:og|samt|eller)\s+)(?:[^\W\d_][\w-]*(?:\s*,\s*|\s+(?:og|samt|eller)\s+)){0,3}"
)


# Nor is a related term in the clause of time or place that describes the keyword's own
# mention ("erfaringer fra covid-19-perioden, hvor rengøringsfolkene holdt smitten nede"): the
# clause tells what the period was, one mention of it, not a second sign of the story.
_DESCRIBING_CLAUSE = re.compile(r",\s*(?:hvor|da)\s[^.;:!?]*")


def _listed_together(a: Hit, b: Hit, field_text: str) -> bool:
    if a.field != b.field:
        return False
    first, second = (a, b) if a.start < b.start else (b, a)
    if first is a and _DESCRIBING_CLAUSE.fullmatch(field_text, a.end, b.start) is not None:
        return True
    return _LIST_BETWEEN.fullmatch(field_text, first.end, second.start) is not None


def current_related(hits: Iterable[Hit], title: str, text: str) -> tuple[Hit, ...]:
    """The related-term hits that count: not a person named by a former office ("Tidligere
    Nato-chef Jens Stoltenberg bliver norsk finansminister"), who is described, as the
    office itself is (`classifiers.background.names_former_holder`)."""
    return tuple(
        h for h in hits if not names_former_holder(h, title if h.field == "title" else text)
    )


def _mentions(strong: Sequence[Hit], title: str, text: str) -> int:
    """How many times the non-passing hits `strong` name the topic: the roles of one person
    in the pandemic (`classifiers.persons.is_pandemic_role`) count once together, because
    a story introduces its person by the role and names it again ("Tidligere coronaminister
    bliver ny premierminister i New Zealand" over "Han blev november 2020 udpeget landets
    covid-19-minister": both blind annotators of the corpus sample, no topic). Read as two
    mentions the headline's single mention became strong evidence again. So does the city
    where the pandemic began in the sentence that names the disease: where it came from, one
    mention ("… antydede, at coronavirusset var bragt til Wuhan af den amerikanske hær")."""
    roles = sum(1 for h in strong if is_pandemic_role(h.surface))
    origins = sum(
        1 for h in strong if h.surface == _ORIGIN and _beside_another(h, strong, title, text)
    )
    return len(strong) - roles + min(roles, 1) - origins


# The city's surface as the shipped config's COVID-19 keyword; with a config that does not
# make it a keyword the rule never fires.
_ORIGIN = "wuhan"
_SENTENCE_END = re.compile(r"[.!?]\s")


def _beside_another(h: Hit, strong: Sequence[Hit], title: str, text: str) -> bool:
    """Whether another mention of the topic shares hit `h`'s sentence."""
    field = title if h.field == "title" else text
    for o in strong:
        if o is h or o.field != h.field or o.surface == _ORIGIN:
            continue
        a, b = sorted((o.start, h.start))
        if _SENTENCE_END.search(field, a, b) is None:
            return True
    return False


def mask(text: str, hits: Iterable[Hit]) -> str:
    """`text` with the hits' spans blanked (positions index the normalised text), each
    stretch covered by overlapping spans once: a veto and the keyword hit it suppresses
    share a span ("corona-øl"), and blanking it twice by position cut the words after it
    ("corona-øl må stoppe produktionen" lost "må stop")."""
    spans = sorted((h.start, h.end) for h in hits)
    if not spans:
        return text
    parts: list[str] = []
    pos = 0  # end of the text kept or blanked so far
    for start, end in spans:
        if start < pos:  # overlaps the stretch just blanked
            pos = max(pos, end)
            continue
        parts += (text[pos:start], " ")
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


_NONE = Evidence((), False, 0)
#: The shared evidence row of a document without any keyword hit, by number of topics, so
#: callers can skip such rows with an identity check.
NO_EVIDENCE: dict[int, tuple[Evidence, ...]] = {}


def prepare(kc: KeywordClassifier, doc: Document) -> tuple[tuple[str, str], Sequence[Evidence]]:
    """Normalise, find every topic's hits (vetoed look-alikes too), mask them all.
    A document without hits gets the shared `NO_EVIDENCE` row.

    A body that only repeats the headline is no body: feeds and scrapers fill an empty
    description with the title (2,760 of the 11,361 articles of the shared corpus with a
    body), and read twice the headline would name its topic twice, strong evidence, even
    where the headline itself marks the mention as passing (an item of a list)."""
    title, text = normalize(doc.title), normalize(doc.text)
    if text.strip() == title.strip():
        text = ""
    per_topic = kc.hits_normalized(title, text, doc.published)
    if not any(dh.hits or dh.vetoes for dh in per_topic):
        k = len(per_topic)
        row = NO_EVIDENCE.get(k)
        if row is None:
            row = NO_EVIDENCE[k] = (_NONE,) * k
        return (title, text), row
    hits = [h for dh in per_topic for h in (*dh.hits, *dh.vetoes, *dh.suppressed)]
    masked = (
        mask(title, (h for h in hits if h.field == "title")),
        mask(text, (h for h in hits if h.field == "text")),
    )
    return masked, [_evidence(kc, j, dh, title, text, doc) for j, dh in enumerate(per_topic)]
