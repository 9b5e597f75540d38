"""Pure text → topic scores. No I/O here except loading and saving models.

Heavy exports (scikit-learn, scipy) load lazily, so `import classifiers.base` from the
config module stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

from classifiers.base import Document, TopicClassifier, TopicRule, TopicScore

_LAZY = {
    "Decision": "classifiers.hybrid",
    "HybridClassifier": "classifiers.hybrid",
    "Hit": "classifiers.terms",
    "KeywordClassifier": "classifiers.keywords",
    "KeywordMatcher": "classifiers.terms",
    "ModelError": "classifiers.errors",
    "TopicModel": "classifiers.model",
    "build_classifier": "classifiers.factory",
    "load_or_train": "classifiers.factory",
    "load_model": "classifiers.persist",
    "save_model": "classifiers.persist",
    "train_model": "classifiers.training",
}

__all__ = ["Document", "TopicClassifier", "TopicRule", "TopicScore", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'classifiers' has no attribute {name!r}")
