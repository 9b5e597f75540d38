"""One entry point that turns configured topics and a mode into a ready classifier.

The bot must work out of the box: without a usable model file it uses the default model,
trained from the shipped seed examples in a fraction of a second. The default model lives in
its own file (`seed_model_path`), so a trained model that no longer matches the config (other
keywords, other library versions) is never overwritten by it: the file is left as it is, the
reason logged, and only `topicbot train` or the scheduled retraining replace it.

The model's modules are imported only when a model is asked for: scikit-learn pulls in
SciPy's statistics, 1.5 s of a 3.3 s `topicbot once` on a 2-core VM (`python -X importtime`),
which a keyword-only bot never uses and would pay at every start and restart.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from classifiers.base import TopicClassifier, TopicRule
from classifiers.errors import ModelError
from classifiers.keywords import KeywordClassifier

if TYPE_CHECKING:
    from classifiers.hybrid import Decision
    from classifiers.model import TopicModel

Mode = Literal["hybrid", "model", "keywords"]
log = logging.getLogger("topicbot.classifier")


def default_model(rules: Sequence[TopicRule], *, progress: bool = False) -> TopicModel:
    """The out-of-the-box model: seed examples plus keyword rules, no archive."""
    from classifiers.training import train_model

    return train_model(rules, (), progress=progress)


def load_or_train(
    rules: Sequence[TopicRule],
    model_path: Path | None,
    *,
    progress: bool = False,
    save_default: bool = True,
) -> TopicModel:
    """The model at `model_path` if it fits these rules and libraries, else the default model
    (see `configured_model`)."""
    return configured_model(rules, model_path, progress=progress, save_default=save_default)[0]


def configured_model(
    rules: Sequence[TopicRule],
    model_path: Path | None,
    *,
    progress: bool = False,
    save_default: bool = True,
) -> tuple[TopicModel, Path | None]:
    """(model, the file it was read from or None when trained just now).

    The model at `model_path` when it fits these rules and libraries; else the default model,
    read from (or trained and, with `save_default`, saved to) its own file
    `seed_model_path(model_path)`. `model_path` itself is never written here; commands that
    only read pass `save_default=False` and write nothing."""
    from classifiers.persist import load_model, save_model, seed_model_path
    from classifiers.training import seed_examples_hash

    if model_path is not None and Path(model_path).exists():
        try:
            return load_model(model_path, rules), Path(model_path)
        except ModelError as exc:
            log.warning(
                "not using the saved model: %s; using the default model from the seed "
                "examples until then (the file is left as it is)",
                exc,
            )
    if model_path is None:
        return default_model(rules, progress=progress), None
    seed_path = seed_model_path(model_path)
    if seed_path.exists():
        try:
            cached = load_model(seed_path, rules)
        except ModelError:
            cached = None  # made for other topics or libraries: trained again below
        if cached is not None and getattr(cached, "seed_hash_", None) == seed_examples_hash():
            return cached, seed_path
        if cached is not None:  # this topicbot ships other seed examples (an upgrade)
            log.info("%s predates these seed examples: trained again", seed_path)
    model = default_model(rules, progress=progress)
    if save_default:
        save_model(model, seed_path, keep_previous=False)
        log.info("default model trained from the seed examples and saved to %s", seed_path)
        return model, seed_path
    return model, None


def build_classifier(
    rules: Sequence[TopicRule],
    *,
    mode: Mode = "hybrid",
    model_path: Path | None = None,
    progress: bool = False,
    decision: Decision | None = None,
    languages: Sequence[str] | None = ("da",),
    save_default: bool = True,
) -> TopicClassifier:
    """`keywords`: keyword rules alone; `model`: the model's own thresholds; `hybrid`: model
    score bars that depend on the keyword evidence (see `classifiers.hybrid.Decision`).
    `languages`: the languages the model judges (others: keyword rules alone)."""
    if mode not in ("hybrid", "model", "keywords"):
        raise ValueError(f"unknown classifier mode {mode!r}")
    if mode == "keywords":
        return KeywordClassifier(rules)
    from classifiers.hybrid import HybridClassifier

    model = load_or_train(rules, model_path, progress=progress, save_default=save_default)
    return HybridClassifier(rules, model, mode=mode, decision=decision, languages=languages)
