"""Weak supervision: keyword rules label an unlabelled archive, the model learns the context.

Per topic, an article is a weak positive when its keyword evidence is strong
(`classifiers.evidence`: a keyword in its title, or the topic named at least twice, passing
mentions such as "siden coronakrisen" not counted), a negative when neither a keyword nor a
related term hits, and unknown (left out) on a single mention or a related term alone.
Keyword hits are masked before training, so the model learns the *surrounding* vocabulary
("mundbind", "smittetal", "forsvarsministre") instead of re-learning the keywords. Hand
labels (JSONL), the shipped seed examples and subscriber feedback are added on top with more
weight.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from importlib.resources.abc import Traversable

import numpy as np

from classifiers.base import Document, TopicRule
from classifiers.evidence import Evidence, prepare
from classifiers.keywords import KeywordClassifier
from classifiers.model import ModelParams, TopicModel

__all__ = [
    "config_hash",
    "load_seed_examples",
    "mine_hard_negatives",
    "seed_examples_hash",
    "train_model",
    "weak_labels",
]

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


#: Raised when the features or what a model stores change (2: common words are no
#: features, per-term topic shares for reasons), so a model trained by an older topicbot is
#: retrained rather than read with text handling it was not trained with.
MODEL_FORMAT = 2


def config_hash(rules: Sequence[TopicRule], model_format: int = MODEL_FORMAT) -> str:
    """Hash of what the model depends on: topic ids, keywords, excludes, the keywords named
    once (the config: they set the weak labels) and `MODEL_FORMAT` (the code). `model_format`:
    the hash an older topicbot wrote, so a mismatch can be traced to the code rather than the
    keywords (see `classifiers.persist`)."""
    payload: list[object] = [[r.id, list(r.keywords), list(r.exclude)] for r in rules]
    # (the keywords named once change the weak labels; a config without them hashes as before)
    payload += [[r.id, list(r.named_once)] for r in rules if r.named_once]
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


def weak_labels(
    kc: KeywordClassifier, pair: tuple[str, str], evidence: Sequence[Evidence]
) -> list[int]:
    """Per topic: 1 (about it) on strong keyword evidence, 0 (not) when the document names
    neither a keyword nor a related term, -1 (unknown, left out) otherwise: a single mention,
    or a related term alone (`TopicRule.related`: the topic's people, places, institutions and
    measures, which name it without its word).

    Why related terms are no negatives: they are the stories the context model is there to
    find. Read as negatives, "Nu skal værnemidler kasseres" and "Minkavlere kan få hurtigere
    erstatning" taught the model that the pandemic's aftermath is not covid, and weighted up
    as hard negatives they taught it hard. Left out, the corpus model's macro-F1 on the
    blind-labelled corpus sample rose 0.960 → 0.965 (COVID-19 misses 22 → 13), on the trap
    file 0.928 → 0.934, on dev 0.947 → 0.947 (means over five hard-negative fold seeds;
    BENCHMARKS.md round 10). The cost: a related term that also names a later story of its
    own now reaches the model only from the topic's stories (`mink*`: mink farming's restart
    in 2023 alerts as covid; 8 false alerts in the third blind sample, left noted there).

    A related term an exclude vetoes ("restriktioner på vandforbruget") still leaves the
    document unknown: read as negatives, such documents moved the retrained corpus model by
    more than they taught (trap file +30 / -8 against +18 / -0 left unknown, real sample -2
    against 0; round 29)."""
    return [
        1 if e.strong else -1 if e.any or kc.related_hits(j, *pair, vetoes=False) else 0
        for j, e in enumerate(evidence)
    ]


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
        labels.append(weak_labels(kc, pair, ev))
        weights.append(1.0 if pair[1].strip() else -1.0)  # a body repeating the title: none
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
