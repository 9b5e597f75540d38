"""Weak supervision: keyword rules label an unlabelled archive, the model learns the context.

Per topic, an article is a weak positive when a keyword is in its title or it names the topic
at least twice (time markers such as "siden coronakrisen" do not count), a negative when no
keyword hits, and unknown (left out) on a single passing mention. Keyword hits are masked
before training, so the model learns the *surrounding* vocabulary ("mundbind", "smittetal",
"forsvarsministre") instead of re-learning the keywords. Hand labels (JSONL), the shipped seed
examples and subscriber feedback are added on top with more weight.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

import numpy as np

from classifiers.base import Document, TopicRule
from classifiers.keywords import DocHits, Hit, KeywordClassifier
from classifiers.model import ModelParams, TopicModel
from classifiers.text import normalize

__all__ = [
    "NO_EVIDENCE",
    "Evidence",
    "config_hash",
    "load_seed_examples",
    "mask",
    "prepare",
    "seed_examples_hash",
    "train_model",
]

# A hit used as a point in time ("efter corona", "siden coronakrisen", "under pandemien",
# "da pandemien hærgede") is a passing mention, not the subject (labelling rubric). Only
# period-like words qualify, so "efter Nato-topmødet" still counts.
# One adjective may sit between ("efter stor corona-nedtur", "trods lang pandemi").
_TIME_WORD = re.compile(
    r"(?:efter|før|under|siden|inden|trods|med|fra|ovenpå|da|mens|dengang)"
    r"(?: den| de| en| et)?(?: \w+)? $"
)
_PERIOD = re.compile(
    r"(?:corona|covid|covid-19|coronaen|[\w-]*(?:krisen|pandemien|pandemi|tiden|årene"
    r"|epidemien|nedturen|nedtur|nedlukningen|nedlukningerne))$"
)
# A hit in a background clause about membership ("Finland, der blev medlem af Nato sidste år,
# …", "Finland, der har søgt om medlemskab af Nato, …", "Tyrkiet, som også er Nato-medlem,
# …") describes a country the story is about, as the labelling rubric's own example of a
# passing mention ("landet, der er medlem af Nato") says. Only the relative clause of
# membership qualifies: other relative clauses often carry the subject ("tolkene, der
# arbejdede for de danske soldater i Afghanistan").
_CLAUSE_START = r",\s*(?:der|som)\s+(?:[^\W_][\w-]*\s+){0,4}?"
_MEMBER_OF = re.compile(
    _CLAUSE_START + r"(?:medlem(?:skab)?\s+af|med\s+i|optaget\s+i|optagelse\s+i)\s+$"
)
_CLAUSE_BEFORE = re.compile(_CLAUSE_START + r"$")
_MEMBER_AFTER = re.compile(r"-?medlem(?:met|mer|s?land(?:et)?)?(?![^\W_])")
# A person introduced by a former office ("den tidligere statsminister og generalsekretær i
# Nato Anders Fogh Rasmussen", "tidligere Nato-chef …") is described, not reported on: the
# office is a background like a membership clause, whatever the person says now.
_FORMER = r"(?<![^\W_])(?:tidligere|forhenværende|fhv\.|eks-)\s*"
_FORMER_OFFICE = re.compile(
    _FORMER + r"(?:[^\W_][\w-]*\s+){0,4}?"
    r"(?:generalsekretær|chef|topchef|ambassadør|general|talsmand|talsperson)\s+(?:i|for|ved)\s+$"
)
_FORMER_BEFORE = re.compile(_FORMER + r"$")
_OFFICE_AFTER = re.compile(r"-(?:generalsekretær|chef|topchef|ambassadør|general)(?![^\W_])")
# A headline names its subject, so a topic in the headline is strong evidence, also beside
# another name: "Ukraine vil i Nato og EU", "Fogh: EU og Nato skal samarbejde bedre" are about
# both. Only a list of three or more items ("støtter atomkraft, Nato, fri cannabis og
# borgerløn") reads as an inventory of many things, where each one is a passing mention: such
# a hit is demoted to a single mention and the context model decides. A list needs a comma:
# before the hit (", Nato" / ", fri cannabis og Nato") or after it with another item following
# (", fri cannabis og"). A comma after the hit usually ends a clause ("kvinde i Afghanistan,
# at Danmark ændrer …"), hence the words that may not follow it.
_LISTED_BEFORE = re.compile(r",\s*$|,[^,.:;!?]{1,30}?\s(?:og|samt|eller)\s*$")
_LISTED_AFTER = re.compile(
    r"^\s*,(?!\s*(?:der|som|at|da|hvis|når|fordi|men|mens|siger|mener|lyder)\b)"
    r"[^,.:;!?]{1,30}?(?:,| og | samt | eller )"
)
# A pair is a pair of subjects when the other item is a name ("Nato og EU", "EU og Nato",
# "Ukraine og Nato"): written as an acronym or capitalised inside the headline. A topic paired
# with a common noun ("Krig og corona kaster skygge over …", "Corona og prisstigninger har
# …") names the circumstances of a period, like a time marker: a single mention.
_PAIR_BEFORE = re.compile(r"([^\W_][\w'-]*)\s+(?:og|samt|eller)\s*$")
_PAIR_AFTER = re.compile(r"^\s*(?:og|samt|eller)\s+([^\W_][\w'-]*)")
_SENTENCE_START = re.compile(r"(?:^|[.!?:»\"]\s*)$")


def _written_as_name(word: str, original: str, body: str) -> bool:
    """Whether normalised `word` is written as a name: an acronym ("EU"), or capitalised
    where a sentence does not start. A capital at the start of a sentence says nothing, so
    then the body decides (capitalised inside a sentence there: a name); otherwise it is
    taken for a common noun ("Krig og corona …")."""
    for text in (original, body[:2000]):
        for m in re.finditer(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", text, re.IGNORECASE):
            w = m.group()
            if w[:2].isupper():
                return True
            if not _SENTENCE_START.search(text[: m.start()]):
                return w[:1].isupper()
    return False


#: Weight of a hand-labelled row relative to a weakly labelled one.
LABEL_WEIGHT = 5.0
SEED_WEIGHT = 3.0
#: Hard-negative mining (see `mine_hard_negatives`): corpora smaller than this skip it.
HARD_MIN_CORPUS = 2000
#: A keyword-free document scoring at least this for a topic out of fold is a hard negative.
HARD_SCORE = 0.3
HARD_WEIGHT = 5.0
#: Weight of a headline-only corpus document when the corpus also has documents with a lead
#: or body. A headline is one sentence, a lead several, yet sublinear TF-IDF with L2
#: normalisation gives both the same pull on the regression; and headline archives are
#: large (64k of the 75k shared documents), so at weight 1 they drown the leads' context.
#: (dev.jsonl, corpus folder: 1.0 → 0.934, 0.5 → 0.935, 0.25 → 0.942, 0.1 → 0.936.)
HEADLINE_WEIGHT = 0.25


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
    #: Hits in a background clause of membership or a former office (see `named`).
    background: int = 0

    @property
    def strong(self) -> bool:
        return self.in_title or self.strong_count >= 2

    @property
    def any(self) -> bool:
        return bool(self.hits)

    @property
    def named(self) -> bool:
        """Some hit is outside a background clause. A story that names the topic only there
        describes a country or a person by it ("Finland, der blev medlem af Nato sidste år,
        …", "den tidligere generalsekretær i Nato …"), so the decision is the context
        model's, as with no keyword. Time markers are kept as single
        mentions: the pattern also catches illness ("senfølger efter covid-19", "smitte med
        corona"), and on the corpora such stories are more often about the topic than not."""
        return len(self.hits) > self.background


def _is_time_marker(h: Hit, field_text: str) -> bool:
    return bool(_PERIOD.match(h.surface)) and bool(
        _TIME_WORD.search(field_text[max(0, h.start - 30) : h.start])
    )


def _in_background_clause(h: Hit, field_text: str) -> bool:
    before = field_text[max(0, h.start - 80) : h.start]
    if _MEMBER_OF.search(before) or _FORMER_OFFICE.search(before):
        return True
    if _CLAUSE_BEFORE.search(before):
        return bool(_MEMBER_AFTER.match(field_text, h.end, h.end + 16))
    return bool(_FORMER_BEFORE.search(before)) and bool(
        _OFFICE_AFTER.match(field_text, h.end, h.end + 20)
    )


def _is_listed(h: Hit, title: str, original: str, body: str) -> bool:
    if _LISTED_BEFORE.search(title[max(0, h.start - 40) : h.start]) or _LISTED_AFTER.match(
        title[h.end : h.end + 36]
    ):
        return True
    pair = _PAIR_BEFORE.search(title[max(0, h.start - 40) : h.start]) or _PAIR_AFTER.match(
        title[h.end : h.end + 40]
    )
    if pair is None or pair.group(1).endswith("-"):  # "Irak- og Afghanistankommissionen"
        return False
    return not _written_as_name(pair.group(1), original, body)


def _evidence(
    kc: KeywordClassifier, j: int, dh: DocHits, title: str, text: str, doc: Document
) -> Evidence:
    def field(h: Hit) -> str:
        return title if h.field == "title" else text

    background = [h for h in dh.hits if _in_background_clause(h, field(h))]
    strong = [h for h in dh.hits if h not in background and not _is_time_marker(h, field(h))]
    in_title = any(
        h.field == "title" and not _is_listed(h, title, doc.title, doc.text) for h in strong
    )
    related: tuple[Hit, ...] = ()
    if len(strong) == 1 and not in_title:  # the only case related terms decide (rare)
        related = kc.related_hits(j, title, text)
    return Evidence(dh.hits, in_title, len(strong), related, len(background))


def mask(text: str, hits: Iterable[Hit]) -> str:
    """`text` with the hits' spans blanked (positions index the normalised text)."""
    for h in sorted(hits, key=lambda h: -h.start):
        text = text[: h.start] + " " + text[h.end :]
    return text


_NONE = Evidence((), False, 0)
#: The shared evidence row of a document without any keyword hit, by number of topics, so
#: callers can skip such rows with an identity check.
NO_EVIDENCE: dict[int, tuple[Evidence, ...]] = {}


def prepare(kc: KeywordClassifier, doc: Document) -> tuple[tuple[str, str], Sequence[Evidence]]:
    """Normalise, find every topic's hits (vetoed look-alikes too), mask them all.
    A document without hits gets the shared `NO_EVIDENCE` row."""
    title, text = normalize(doc.title), normalize(doc.text)
    per_topic = kc.hits_normalized(title, text)
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


#: Raised when the features or what a model stores change (2: common words are no
#: features, per-term topic shares for reasons), so a model trained by an older topicbot is
#: retrained rather than read with text handling it was not trained with.
MODEL_FORMAT = 2


def config_hash(rules: Sequence[TopicRule], model_format: int = MODEL_FORMAT) -> str:
    """Hash of what the model depends on: topic ids, keywords, excludes (the config) and
    `MODEL_FORMAT` (the code). `model_format`: the hash an older topicbot wrote, so a
    mismatch can be traced to the code rather than the keywords (see `classifiers.persist`)."""
    payload: list[object] = [[r.id, list(r.keywords), list(r.exclude)] for r in rules]
    if model_format > 1:
        payload.append(model_format)
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()[:16]


def seed_examples_hash() -> str:
    """Fingerprint of the shipped seed examples. The default model is cached in a file
    (`data/model.seed.skops`) and the config hash does not cover what topicbot ships, so
    without it an upgrade that improves the examples would keep answering with the old ones."""
    digest = hashlib.sha256()
    for entry in _seed_files():
        digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _seed_files() -> list[Traversable]:
    """`classifiers/seed/*.jsonl`, by name: what the default model learns from."""
    folder = resources.files("classifiers") / "seed"
    return sorted((e for e in folder.iterdir() if e.name.endswith(".jsonl")), key=lambda e: e.name)


def load_seed_examples() -> list[tuple[Document, frozenset[str]]]:
    """The shipped, hand-written Danish seed examples (`classifiers/seed/*.jsonl`)."""
    out = []
    for entry in _seed_files():
        for line in entry.read_text(encoding="utf-8").splitlines():
            if line.strip():
                obj = json.loads(line)
                doc = Document(obj["title"], obj.get("text", ""))
                out.append((doc, frozenset(obj.get("labels", []))))
    return out


def mine_hard_negatives(
    rows: Sequence[tuple[str, str]],
    y: np.ndarray,
    w: np.ndarray,
    n_corpus: int,
    topics: Sequence[str],
    params: ModelParams,
) -> np.ndarray:
    """Boolean mask over the first `n_corpus` rows: keyword-free documents that a model
    trained on the *other* half of the corpus scores >= HARD_SCORE for some topic.

    Why: articles about a topic almost always name it, so a keyword-free document is a
    negative, but nearly all of them are easy (sport, weather). The informative ones share
    the topic's vocabulary without being about it: influenza, mpox and strep stories read
    like covid stories once "covid" is masked. They are rare, so the regression barely
    notices them at weight 1; weighting them up teaches the context model the difference.
    Scores come from out-of-fold models because a model scores its own training rows too
    well. Rows after `n_corpus` (seed, hand labels) always train both folds."""
    rng = np.random.default_rng(0)
    fold = rng.integers(0, 2, n_corpus)
    extra = np.arange(n_corpus, len(rows))
    scores = np.zeros((n_corpus, len(topics)))
    for f in (0, 1):
        train = np.concatenate([np.flatnonzero(fold != f), extra])
        test = np.flatnonzero(fold == f)
        m = TopicModel(topics=tuple(topics), **params)
        m.fit([rows[i] for i in train.tolist()], y[train], sample_weight=w[train])
        scores[test] = m.predict_proba([rows[i] for i in test.tolist()])
    hard: np.ndarray = ((y[:n_corpus] == 0) & (scores >= HARD_SCORE)).any(axis=1)
    return hard


def train_model(
    rules: Sequence[TopicRule],
    corpus: Iterable[Document],
    labelled: Iterable[tuple[Document, Mapping[str, bool]]] = (),
    progress: bool = False,
    *,
    seed: bool = True,
    params: ModelParams | None = None,
) -> TopicModel:
    """Train a TopicModel: weak labels from `corpus`, plus `labelled` items (which may label
    only some topics: {"NATO": False} from a 👎), plus the seed examples unless `seed=False`.
    The result remembers the topics and `config_hash(rules)` for safe persistence."""
    rules = tuple(rules)
    topics = [r.id for r in rules]
    kc = KeywordClassifier(rules)
    rows: list[tuple[str, str]] = []
    labels: list[list[int]] = []
    weights: list[float] = []
    docs = list(corpus)
    it: Iterable[Document] = docs
    # A bar only over a corpus and on a terminal: elsewhere its redraws pile up on one line
    # (and the seed-only default model has no corpus to show).
    if progress and docs and sys.stderr.isatty():
        from tqdm import tqdm

        it = tqdm(docs, desc="weak labels", unit="doc", file=sys.stderr, mininterval=0.5)
    elif progress and docs:
        print(f"weak labels for {len(docs)} documents …", file=sys.stderr)
    for doc in it:
        pair, ev = prepare(kc, doc)
        rows.append(pair)
        labels.append([1 if e.strong else (0 if not e.any else -1) for e in ev])
        weights.append(1.0 if doc.text.strip() else -1.0)
    # Headline-only documents weigh less only beside documents with text (see HEADLINE_WEIGHT).
    mixed = any(x > 0 for x in weights)
    weights = [x if x > 0 else (HEADLINE_WEIGHT if mixed else 1.0) for x in weights]
    extra: list[tuple[Document, Mapping[str, bool], float]] = [
        (d, lab, LABEL_WEIGHT) for d, lab in labelled
    ]
    if seed:
        extra += [
            (d, {t: t in labs for t in topics}, SEED_WEIGHT) for d, labs in load_seed_examples()
        ]
    for doc, lab, weight in extra:
        pair, _ = prepare(kc, doc)
        rows.append(pair)
        labels.append([(1 if lab[t] else 0) if t in lab else -1 for t in topics])
        weights.append(weight)
    if not rows:
        raise ValueError("nothing to train on: the corpus is empty and there are no examples")
    y, w = np.array(labels, dtype=int), np.array(weights)
    kwargs: ModelParams = params or {}
    if len(docs) >= HARD_MIN_CORPUS:
        if progress:
            print("mining hard negatives (2 folds) …", file=sys.stderr)
        hard = mine_hard_negatives(rows, y, w, len(docs), topics, kwargs)
        w[: len(docs)][hard] *= HARD_WEIGHT
    model = TopicModel(topics=tuple(topics), **kwargs)
    if progress:
        print(f"fitting {len(topics)} topics on {len(rows)} documents …", file=sys.stderr)
    model.fit(rows, y, sample_weight=w)
    model.config_hash_ = config_hash(rules)
    model.model_format_ = MODEL_FORMAT
    model.seed_hash_ = seed_examples_hash() if seed else None
    model.n_corpus_ = len(docs)
    model.n_labelled_ = len(extra)
    return model
