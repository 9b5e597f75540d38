"""The factory returns something the pipeline can classify with, whatever the mode."""

from __future__ import annotations

import pytest

from classifiers.base import Document, TopicClassifier, TopicRule
from classifiers.factory import build_classifier

RULES = (TopicRule("NATO", ("nato",)), TopicRule("COVID-19", ("covid*",)))


def test_keywords_mode() -> None:
    clf = build_classifier(RULES, mode="keywords", model_path=None)
    assert isinstance(clf, TopicClassifier)
    assert clf.topics == ("NATO", "COVID-19")
    [row] = clf.classify_many([Document("Nato-topmøde i Vilnius")])
    assert [s.matched for s in row] == [True, False]


def test_unknown_mode() -> None:
    with pytest.raises(ValueError):
        build_classifier(RULES, mode="magic", model_path=None)  # type: ignore[arg-type]
