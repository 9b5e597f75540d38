"""The fast classification path gives the same results as the straightforward reference.

The speed-ups (substring pre-checks before keyword regexes, per-word feature-id caches,
batch TF-IDF in numpy) must never change a decision, so each is compared with the
reference implementation on a sample: the seed examples, the trap set, hand-written edge
cases and, when `../shared` is present, 600 real articles and headlines.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from bot.config import load_config
from classifiers.base import Document, TopicRule
from classifiers.corpus import iter_corpus, read_labels
from classifiers.evidence import prepare
from classifiers.factory import default_model
from classifiers.hybrid import HybridClassifier
from classifiers.keywords import KeywordClassifier
from classifiers.model import TopicModel
from classifiers.terms import KeywordMatcher
from classifiers.text import normalize
from classifiers.training import load_seed_examples

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = HERE.parents[1] / ".." / "shared" / "data" / "corpus"
RULES = (
    TopicRule("NATO", ("nato", "forsvarsalliancen", "atlantpagt*", "stoltenberg", "artikel 5")),
    TopicRule(
        "COVID-19",
        ("covid*", "corona*", "sars-cov-2", "omikron*", "mundbind*"),
        ("corona-øl", "corona extra"),
    ),
    TopicRule(
        "Afghanistan",
        ("afghanistan*", "*afghan*", "taliban*", "kabul"),
        ("afghansk mynde", "afghanhund*"),
    ),
)
EDGE = [
    Document("Natos topmøde.Det blev kl. 14.54 aftalt", "Nato-landene\tog  NATO’s chef"),
    Document("Artikel-5 og artikel  5", "SARS-CoV-2 og covid-19-krisen; Corona-øl"),
    Document("Senatoren", "natoperation i Kabul, hvor proafghanske grupper\u00admødes"),
    Document("", "i 2022.Det var U.S.A. og 3.5 procent"),
    Document("Stoltenberg", ""),
]


def _sample() -> list[Document]:
    docs = [d for d, _ in load_seed_examples()] + EDGE
    docs += [it.doc for it in read_labels(HERE / "data" / "traps.jsonl")]
    if SHARED.is_dir():
        for name in ("nyhedsoverblik_articles.csv", "nyhedsoverblik_headlines.csv"):
            docs += list(itertools.islice(iter_corpus(SHARED / name), 300))
    return docs


@pytest.fixture(scope="module")
def model() -> TopicModel:
    return default_model(RULES)


@pytest.mark.parametrize("shipped", [False, True], ids=["rules", "shipped-config"])
def test_keyword_prechecks_change_no_hits(shipped: bool) -> None:
    """Keywords and excludes are tried only where their literals begin; hits and vetoes must
    be a full scan's, also with the shipped config's many excludes."""
    rules = load_config(ROOT / "config.yaml").topic_rules() if shipped else RULES
    kc = KeywordClassifier(rules)
    kw = [KeywordMatcher(r.keywords) for r in rules]
    ex = [KeywordMatcher(r.exclude, compounds=True) for r in rules]
    vetoed = 0
    for doc in _sample():
        title, text = normalize(doc.title), normalize(doc.text)
        fast = kc.hits_normalized(title, text)
        for j, dh in enumerate(fast):
            hits = kw[j].finditer(title, field="title", normalized=True) + kw[j].finditer(
                text, field="text", normalized=True
            )
            # (a keyword valid only on some days counts by the date, which a scan knows not)
            dated = kc.dated_terms(j)
            hits = [h for h in hits if h.term not in dated]
            vetoes = ex[j].finditer(title, field="title", normalized=True) + ex[j].finditer(
                text, field="text", normalized=True
            )
            # Vetoed hits move to `suppressed`; together they are every hit, in order.
            order = {h: i for i, h in enumerate(hits)}
            found = [h for h in dh.hits + dh.suppressed if h.term not in dated]
            assert sorted(found, key=order.__getitem__) == hits, doc
            assert list(dh.vetoes) == (vetoes if hits else []), doc
            vetoed += bool(dh.vetoes)
    assert vetoed  # the sample holds look-alikes to veto


def test_batch_tfidf_equals_reference(model: TopicModel) -> None:
    kc = KeywordClassifier(RULES)
    pairs = [prepare(kc, d)[0] for d in _sample()] + [("", ""), ("og i", "")]
    vec = model.vectorizer_
    fast, ref = vec.transform(pairs), vec.transform_reference(pairs)
    assert fast.shape == ref.shape
    assert np.abs((fast - ref).toarray()).max() < 1e-12


def test_hybrid_scores_equal_reference_path(model: TopicModel) -> None:
    docs = _sample()
    # Every language judged by the model: this compares the scoring paths only.
    clf = HybridClassifier(RULES, model, languages=None)
    proba, evidence, pairs = clf.score(docs)
    feats = model.vectorizer_.transform_reference(pairs)
    ref = 1.0 / (1.0 + np.exp(-(np.asarray(feats @ model.coef_.T) + model.intercept_)))
    assert np.allclose(proba, ref, rtol=0, atol=1e-12)
    rows = clf.classify_many(docs)
    assert [[s.score for s in row] for row in rows] == proba.tolist()
