"""The shipped config.yaml topics (keywords, excludes, related terms) with the default model,
on the hand-written trap sets in tests/classifiers/data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import load_config
from classifiers.corpus import read_labels
from classifiers.evaluation import decisions, scores, truth
from classifiers.factory import default_model
from classifiers.hybrid import HybridClassifier
from classifiers.keywords import KeywordClassifier

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "classifiers" / "data"


@pytest.fixture(scope="module")
def shipped() -> HybridClassifier:
    config = load_config(ROOT / "config.yaml")
    rules = config.topic_rules()
    return HybridClassifier(rules, default_model(rules), languages=config.classifier.languages)


@pytest.mark.parametrize(("name", "floor"), [("traps.jsonl", 1.0), ("traps_families.jsonl", 0.75)])
def test_shipped_topics_on_the_trap_sets(
    shipped: HybridClassifier, name: str, floor: float
) -> None:
    items = read_labels(DATA / name, shipped.topics)
    kinds = [json.loads(line).get("kind") for line in (DATA / name).read_text().splitlines()]
    y, p = truth(items, shipped.topics), decisions(shipped, items)
    assert scores(y, p, shipped.topics)["macro_f1"] >= floor
    # A look-alike or passing mention that carries a keyword (Toyota Corona, Pakistan's
    # Taliban, "før pandemien") never alerts: the excludes and time markers hold.
    named = decisions(KeywordClassifier(shipped.rules), items)
    for it, kind, false_alarm, kw in zip(items, kinds, p & ~y, named, strict=True):
        if kind in ("lookalike", "passing") and kw.any():
            assert not false_alarm.any(), it.doc.title
