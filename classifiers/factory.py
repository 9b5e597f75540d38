"""One entry point that turns configured topics and a mode into a ready classifier."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from classifiers.base import TopicClassifier, TopicRule
from classifiers.keywords import KeywordClassifier

Mode = Literal["hybrid", "model", "keywords"]


def build_classifier(
    rules: Sequence[TopicRule],
    *,
    mode: Mode = "hybrid",
    model_path: Path | None = None,
    progress: bool = False,
) -> TopicClassifier:
    """Keyword rules for now; the model-backed modes arrive with the TF-IDF model."""
    if mode not in ("hybrid", "model", "keywords"):
        raise ValueError(f"unknown classifier mode {mode!r}")
    return KeywordClassifier(rules)
