"""One entry point that turns configured topics and a mode into a ready classifier.

The bot must work out of the box: without a usable model file it trains the default model
from the shipped seed examples (a second or so) and saves it. A model file made for other
keywords or other library versions is never used; it is replaced and the reason logged.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from classifiers.base import TopicClassifier, TopicRule
from classifiers.errors import ModelError
from classifiers.hybrid import Decision, HybridClassifier
from classifiers.keywords import KeywordClassifier
from classifiers.model import TopicModel
from classifiers.persist import load_model, save_model
from classifiers.training import train_model

Mode = Literal["hybrid", "model", "keywords"]
log = logging.getLogger("topicbot.classifier")


def default_model(rules: Sequence[TopicRule], *, progress: bool = False) -> TopicModel:
    """The out-of-the-box model: seed examples plus keyword rules, no archive."""
    return train_model(rules, (), progress=progress)


def load_or_train(
    rules: Sequence[TopicRule], model_path: Path | None, *, progress: bool = False
) -> TopicModel:
    """The model at `model_path` if it fits these rules and libraries, else a freshly
    trained default model, saved to `model_path` (mode 0o600) when one is given."""
    if model_path is not None and Path(model_path).exists():
        try:
            return load_model(model_path, rules)
        except ModelError as exc:
            log.warning("not using the saved model: %s; training the default model", exc)
    model = default_model(rules, progress=progress)
    if model_path is not None:
        save_model(model, model_path)
        log.info("default model trained from the seed examples and saved to %s", model_path)
    return model


def build_classifier(
    rules: Sequence[TopicRule],
    *,
    mode: Mode = "hybrid",
    model_path: Path | None = None,
    progress: bool = False,
    decision: Decision | None = None,
    languages: Sequence[str] | None = ("da",),
) -> TopicClassifier:
    """`keywords`: keyword rules alone; `model`: the model's own thresholds; `hybrid`: model
    score bars that depend on the keyword evidence (see `classifiers.hybrid.Decision`).
    `languages`: the languages the model judges (others: keyword rules alone)."""
    if mode not in ("hybrid", "model", "keywords"):
        raise ValueError(f"unknown classifier mode {mode!r}")
    if mode == "keywords":
        return KeywordClassifier(rules)
    model = load_or_train(rules, model_path, progress=progress)
    return HybridClassifier(rules, model, mode=mode, decision=decision, languages=languages)
