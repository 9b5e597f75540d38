"""The decision the bot alerts on: keyword evidence and the context model combined.

Keywords are precise when a topic is named in the headline or repeatedly, weak on a single
passing mention, and blind to articles that never name the topic; the context model (trained
on keyword-masked text) is the opposite. So the bar the model score must clear depends on
the keyword evidence (`Decision`): low when the keywords are strong, middling for a single
mention, high when no keyword hit at all. All three bars are configurable.

The model only judges the languages it was trained for (`languages`, default Danish): in
any other language (Norwegian and Swedish read like Danish to a Danish TF-IDF model) the
keyword rules decide alone, as `KeywordClassifier(rule="title_or_twice")` does.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from classifiers.base import Document, TopicRule, TopicScore
from classifiers.evidence import NO_EVIDENCE, Evidence, current_related, prepare
from classifiers.keywords import KeywordClassifier
from classifiers.language import UNKNOWN, identify
from classifiers.model import Pair, TopicModel
from classifiers.terms import Hit

__all__ = ["MODEL_ONLY_REASONS", "Decision", "HybridClassifier"]

#: Distinct topic-bearing words a decision of the model alone (no keyword, no related term)
#: must be able to name.
MODEL_ONLY_REASONS = 2


@dataclass(frozen=True, slots=True)
class Decision:
    """Model-score bars by keyword evidence (probabilities in [0, 1])."""

    #: Keyword in the title, or named at least twice (not as a time marker). 0: such evidence
    #: always alerts. A context model trained on another period or outlet scores many true
    #: strong-evidence articles near 0 (dev.jsonl, model trained on one CSV: Afghanistan
    #: recall 0.82 at 0.05 vs 1.00 at 0), while passing mentions are better caught by the
    #: evidence rules (time markers, lists) that demote a hit to a single mention.
    strong: float = 0.0
    #: A single keyword mention in the body.
    single: float = 0.4
    #: No keyword, but a related term (`TopicRule.related`: a person, place, institution or
    #: measure of the topic). Such names also appear in other news (a minister of health
    #: talks about more than covid), so they do not alert alone, but they make a middling
    #: context score believable.
    related: float = 0.55
    #: No keyword at all: the model alone must be confident.
    none: float = 0.8

    #: Two different related terms of a topic whose related terms are its own proper names
    #: (`TopicRule.related_pair_alerts`: NATO's operations, summits, its 2 % target): they
    #: name it twice over, so the context model need only not argue against it. The bar also
    #: bounds the cost: below it related terms are not looked for. At 0 every article is
    #: scanned (`bench/classify.py`: 0.55x the throughput); at 0.05, 0.99x, and in the trap
    #: file 38 of the 40 items that 0 gives back with the corpus model, all of the 20 with
    #: the default model.
    related_pair: float = 0.05

    @property
    def single_related(self) -> float:
        """A single keyword mention (no time marker) beside a related term: the topic named
        once and, in the same article, one of its people, places, institutions or measures
        ("... ifølge Statens Serum Institut" beside one "covid", "Kandahar" beside one
        "Taliban"). A passing mention names the topic in a story about something else, which
        rarely also names the topic's own institutions and measures. The related term lowers
        the single-mention bar as much as it lowers the no-keyword bar (`none` → `related`)."""
        return max(0.0, self.single - (self.none - self.related))

    @property
    def related_twice(self) -> float:
        """No keyword, but two different related terms ("Ugens smittetal: … positivprocenten
        …", "Rutte" beside "alliancens"): the topic's own people, places and measures named
        twice over stand for one mention of the topic itself, so the single-mention bar
        applies, as two keyword mentions make strong evidence. On the shared corpora it
        changes no decision of either model (75,375 documents); it catches unnamed stories
        whose model score falls between the two bars. Never above `related`: the lowest bar
        a related term can bring, so below it related terms are not looked for."""
        return min(self.single, self.related)


class HybridClassifier:
    """TopicClassifier over a TopicModel. `mode="hybrid"` uses `Decision`; `mode="model"`
    ignores keyword evidence and uses the model's own per-topic thresholds."""

    def __init__(
        self,
        rules: Sequence[TopicRule],
        model: TopicModel,
        *,
        mode: Literal["hybrid", "model"] = "hybrid",
        decision: Decision | None = None,
        explain_terms: int = 5,
        languages: Sequence[str] | None = ("da",),
    ) -> None:
        self.rules = tuple(rules)
        self._topics = tuple(r.id for r in self.rules)
        if tuple(model.topics) != self._topics:
            raise ValueError(f"model topics {model.topics} != configured {self._topics}")
        self.model = model
        self.mode = mode
        self.decision = decision or Decision()
        self.explain_terms = explain_terms
        self._kc = KeywordClassifier(self.rules)
        self._pair_alerts = [j for j, r in enumerate(self.rules) if r.related_pair_alerts]
        #: Languages the model judges; None: every language (no identification).
        self.languages = None if languages is None else frozenset(_codes(languages))

    @property
    def topics(self) -> tuple[str, ...]:
        return self._topics

    def score(
        self, docs: Sequence[Document]
    ) -> tuple[np.ndarray, Sequence[Sequence[Evidence]], list[tuple[str, str]]]:
        """Model probabilities (n, k), keyword evidence, and the masked inputs."""
        prepared = [prepare(self._kc, d) for d in docs]
        pairs = [p for p, _ in prepared]
        proba = self.model.predict_proba(pairs) if pairs else np.zeros((0, len(self.topics)))
        return proba, [e for _, e in prepared], pairs

    def in_scope(self, docs: Sequence[Document]) -> np.ndarray:
        """(n,) whether the model may judge each document: its language is one the model was
        trained for. Too little text to tell counts as in scope (the model then sees little
        text too, so it rarely scores high)."""
        if self.languages is None:
            return np.ones(len(docs), dtype=bool)
        langs = self.languages
        return np.fromiter(
            (
                (d.language if d.language is not None else identify(d.title, d.text)) in langs
                for d in docs
            ),
            dtype=bool,
            count=len(docs),
        )

    def related(
        self, proba: np.ndarray, evidence: Sequence[Sequence[Evidence]], pairs: Sequence[Pair]
    ) -> dict[tuple[int, int], tuple[Hit, ...]]:
        """Related-term hits of (document, topic) where they can change the decision or its
        reasons: no keyword, and a model score of at least the lowest bar a related term can
        bring (`Decision.related_twice`). Looked for only there, so the many related terms
        cost the other articles nothing."""
        d = self.decision
        if self.mode != "hybrid" or not self._kc.has_related:
            return {}
        out = {}
        looked = proba >= d.related_twice
        looked[:, self._pair_alerts] = proba[:, self._pair_alerts] >= d.related_pair
        for i, j in zip(*np.nonzero(looked), strict=True):
            if not evidence[i][j].named:
                found = current_related(self._kc.related_hits(int(j), *pairs[i]), *pairs[i])
                if found:
                    out[int(i), int(j)] = found
        return out

    def others(
        self, proba: np.ndarray, evidence: Sequence[Sequence[Evidence]], pairs: Sequence[Pair]
    ) -> set[tuple[int, int]]:
        """(document, topic) pairs never to alert because the article names another subject
        of the topic's vocabulary (`TopicRule.others`): an influenza story reads like a covid
        story once no keyword is there to tell them apart, yet it names its own disease.

        The headline names the story's subject, so it settles a conflict. Where the topic is
        named only in the body, a headline naming the other subject vetoes ("Stadig flere
        smittes med influenza" over SSI's weekly figures that also mention covid-19: the real
        case that made this rule). Where the topic is not named at all, the other subject
        vetoes wherever it is, unless the headline names the topic's own measures or people
        through a related term and not the other subject ("… anbefaler fjerde stik til de
        ældste" over "… sammen med influenzavaccinen"). Another configured topic named in the
        headline is such a subject too, for a topic not named at all: "Talebans nye
        restriktion på kvinder …" is the Taliban's restriction, not a covid measure. Only
        pairs whose model score could alert are looked at, so the rest cost nothing."""
        d = self.decision
        if self.mode != "hybrid":
            return set()
        kc = self._kc
        out = set()
        rows, cols = np.nonzero(proba >= d.single_related)
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            e, (title, text) = evidence[i][j], pairs[i]
            if e.named:
                veto = not e.any_in_title and kc.names_other_subject(j, title, "")
            elif e.looks_alike:
                # The document names what the topic's words meant here: a look-alike, whose
                # span is masked out of `text`, so the other-subject terms cannot see it.
                veto = True
            elif proba[i, j] >= d.related_twice:
                veto = (
                    kc.names_other_subject(j, title, "")
                    or any(o.in_title for k, o in enumerate(evidence[i]) if k != j)
                    or (
                        kc.names_other_subject(j, "", text)
                        and not current_related(kc.related_hits(j, title, ""), title, "")
                    )
                )
            else:
                veto = False
            if veto:
                out.add((i, j))
        return out

    def decide(
        self,
        proba: np.ndarray,
        evidence: Sequence[Sequence[Evidence]],
        in_scope: np.ndarray | None = None,
        related: Mapping[tuple[int, int], Sequence[Hit]] | None = None,
        others: Collection[tuple[int, int]] = (),
    ) -> np.ndarray:
        """(n, k) boolean decisions. Out-of-scope rows (`in_scope` False): strong keyword
        evidence alone. `related`: the related-term hits of (document, topic) pairs that
        have some; `others`: pairs naming another subject (`HybridClassifier.others`),
        never alerted."""
        if in_scope is not None and not in_scope.all():
            out = self.decide(proba, evidence, None, related, others)
            for i in np.flatnonzero(~in_scope).tolist():
                out[i] = [e.strong for e in evidence[i]]
            return out
        if self.mode == "model":
            return proba >= self.model.thresholds_
        d = self.decision
        # Strong keyword evidence stands unless the context argues against it: a headline
        # that is little more than the keyword ("Stoltenberg: Nato er klar") has no context
        # once masked and scores the model's empty-document prior, which must still pass.
        prior = 1.0 / (1.0 + np.exp(-np.asarray(self.model.intercept_)))
        strong = np.minimum(d.strong, 0.9 * prior)
        bars = np.empty(proba.shape)
        bars[:] = [d.none if r.model_alone else np.inf for r in self.rules]
        for i, row in enumerate(evidence):
            if row is NO_EVIDENCE.get(len(row)):
                continue  # most documents: no keyword at all
            for j, e in enumerate(row):
                if e.named:
                    bars[i, j] = (
                        strong[j]
                        if e.strong or _twice_related(e)
                        else d.single_related
                        if e.related
                        else d.single
                    )
        for (i, j), hits in (related or {}).items():
            if distinct_related(hits) < 2:
                bars[i, j] = d.related
            else:
                bars[i, j] = (
                    d.related_pair if self.rules[j].related_pair_alerts else d.related_twice
                )
        for i, j in others:
            bars[i, j] = np.inf
        return proba >= bars

    def reasons_needed(self, ev: Evidence, related: bool, rule: TopicRule) -> int:
        """Topic-bearing words the model must name for a decision it carries: none when a
        keyword is strong evidence or a related term (the operator's own topic-bearing word)
        is named, one beside a single keyword mention, `MODEL_ONLY_REASONS` when it decides
        alone, also where the topic is named only in a background clause (`Evidence.named`:
        "den tidligere generalsekretær i Nato …" is decided as if unnamed, and its keyword
        explains nothing). A place topic (`model_alone: false`) needs none beside a keyword:
        its keywords are proper names (the country, its cities, its rulers), a reason a reader
        accepts ("Talibanstyret har forbudt kvinder …" names no other word of the country),
        and the model only judges whether the mention is a passing one."""
        if ev.strong or related or self.mode != "hybrid":
            return 0
        if ev.named:
            return 1 if rule.model_alone else 0
        return MODEL_ONLY_REASONS

    def classify_many(self, docs: Sequence[Document]) -> list[list[TopicScore]]:
        proba, evidence, pairs = self.score(docs)
        scope = self.in_scope(docs)
        related = self.related(proba, evidence, pairs)
        decided = self.decide(proba, evidence, scope, related, self.others(proba, evidence, pairs))
        out = []
        topics = self.topics
        # Python lists: indexing a numpy array per cell costs more than the rest of the loop.
        rows = zip(evidence, proba.tolist(), decided.tolist(), scope.tolist(), strict=True)
        for i, (row, p_row, m_row, judged) in enumerate(rows):
            scores = []
            for j, topic in enumerate(topics):
                m, p = m_row[j], p_row[j]
                if not judged:
                    # The model's number means nothing in this language: report the rule's.
                    p = 1.0 if m else 0.0
                reasons: tuple[str, ...] = ()
                if m:
                    ev = row[j]
                    rel = related.get((i, j), ()) or ev.related
                    # One list without repeats: a related term may match a keyword's own
                    # hit ("nedlukning*" in "nedlukningen"), which must not count twice.
                    kws = tuple(
                        dict.fromkeys((*(h.term for h in ev.hits), *(h.surface for h in rel)))
                    )
                    if not judged or (ev.strong and self.mode == "hybrid"):
                        reasons = kws
                    else:
                        own = self.model.explain(pairs[i], j, self.explain_terms)
                        reasons = tuple(dict.fromkeys(kws + own))
                    # The model alone alerts only when it can name topic-bearing words: a
                    # score carried by many weak words is not evidence a reader accepts, and
                    # one word alone is often a figure of speech ("smitter af på målingerne",
                    # "test dig selv"); keywords and related terms are reasons of their own.
                    m = len(reasons) >= len(kws) + self.reasons_needed(ev, bool(rel), self.rules[j])
                scores.append(TopicScore(topic, p, m, reasons))
            out.append(scores)
        return out


def _twice_related(e: Evidence) -> bool:
    """A single keyword mention beside two different related terms is named twice over, as
    two keyword mentions are (`Decision.related_twice`: two related terms stand for one
    mention): "Uden lønkompensation og de øvrige coronahjælpepakker …" under "Hjælpepakkerne
    har holdt hånden under 200.000 job". A passing mention names the topic in a story about
    something else, which rarely also names two of the topic's own measures or people."""
    return distinct_related(e.related) >= 2


def distinct_related(hits: Sequence[Hit]) -> int:
    """How many different related terms `hits` name. Terms whose first words begin alike are
    counted once: spellings of one name or measure ("to procent af bnp", "to procent af
    bruttonationalprodukt*": the 2 % target), forms of one phrase ("medlem af alliancen",
    "medlemmer af alliancen"), or two of one kind ("topmødet i vilnius", "topmødet i
    madrid"). It errs towards fewer: two related terms lower a bar."""
    return len({h.term.split(None, 1)[0].rstrip("*")[:6] for h in hits})


#: Codes that name the same language (`nb` is Norwegian Bokmål, which identifiers call `no`).
_SAME = {"nb": "no"}


def _codes(languages: Sequence[str]) -> set[str]:
    out = {_SAME.get(c.lower(), c.lower()) for c in languages}
    out.add(UNKNOWN)
    return out
