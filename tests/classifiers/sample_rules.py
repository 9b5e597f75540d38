"""The three topics as the classifier tests write them: small keyword lists, one exclude and
one related term each, so a test's sentence shows which rule it exercises."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from classifiers.base import Document, TopicRule
from classifiers.evidence import Evidence, prepare
from classifiers.factory import default_model
from classifiers.hybrid import HybridClassifier
from classifiers.keywords import KeywordClassifier

RULES = (
    TopicRule("NATO", ("nato", "stoltenberg"), related=("rutte",)),
    TopicRule("COVID-19", ("covid*", "corona*"), ("corona-øl",), ("smittetal*",)),
    TopicRule(
        "Afghanistan",
        ("afghanistan*", "taliban*", "kabul"),
        ("pakistanske taliban", "afghansk mynde"),
        ("kandahar",),
    ),
)


def rules_with(*rules: TopicRule) -> tuple[TopicRule, ...]:
    """`RULES` with the topics of `rules` replaced by them: a test's own variant of a topic
    (its related terms, other subjects, dates) beside the other two as they are."""
    own = {r.id: r for r in rules}
    assert own.keys() <= {r.id for r in RULES}, f"no such topic in RULES: {own.keys()}"
    return tuple(own.get(r.id, r) for r in RULES)


def evidence_row(title: str, text: str = "") -> Sequence[Evidence]:
    """Every topic's keyword evidence in one document, under `RULES`."""
    return prepare(KeywordClassifier(RULES), Document(title, text))[1]


def evidence(title: str, text: str = "") -> list[tuple[bool, bool]]:
    """(any keyword, strong) per topic."""
    return [(e.any, e.strong) for e in evidence_row(title, text)]


def context_sure_of_all(
    rules: tuple[TopicRule, ...], docs: list[Document], topic: int
) -> tuple[HybridClassifier, Any, Any, Any]:
    """A hybrid over `rules` and its (probabilities, evidence, pairs) for `docs`, with the
    context model made sure of `topic` in every document: only the rules decide."""
    hybrid = HybridClassifier(rules, default_model(rules))
    proba, evidence, pairs = hybrid.score(docs)
    proba[:, topic] = 0.99
    return hybrid, proba, evidence, pairs
