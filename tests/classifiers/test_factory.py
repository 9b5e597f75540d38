"""The factory returns something the pipeline can classify with, whatever the mode."""

from __future__ import annotations

import subprocess
import sys

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


def test_keyword_mode_bot_never_imports_scikit_learn() -> None:
    """A keyword-only bot starts without scikit-learn (SciPy's statistics: about a third of
    a `topicbot once`); the model modules load only when a model is asked for."""
    code = (
        "import sys\n"
        "import bot.runtime  # noqa: F401\n"
        "from classifiers.factory import build_classifier\n"
        "from classifiers.base import TopicRule\n"
        "build_classifier([TopicRule('NATO', ('nato',))], mode='keywords')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'skops')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout
