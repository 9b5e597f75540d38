"""Scheduled retraining: the model learns each newsroom's vocabulary from what it stored.

The stored articles are weakly labelled by the topic keywords (as in `topicbot train`), the
subscribers' 👍/👎 presses are added as labels for the topics they were alerted on, and the
shipped seed examples keep the traps in. The new model is saved atomically and swapped into
the running pipeline; if anything fails, the old model keeps working.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from bot.config import Config
from bot.pipeline import Pipeline
from bot.store import Store
from classifiers.base import Document, TopicClassifier
from classifiers.hybrid import HybridClassifier
from classifiers.persist import save_model
from classifiers.training import train_model

log = logging.getLogger(__name__)

#: Newest stored articles used per retraining (bounds time and memory).
MAX_ARTICLES = 50_000


@dataclass(frozen=True, slots=True)
class RetrainResult:
    trained: bool
    reason: str
    articles: int = 0
    feedback: int = 0
    seconds: float = 0.0


def training_data(
    store: Store, limit: int = MAX_ARTICLES, languages: Collection[str] | None = None
) -> tuple[list[Document], list[tuple[Document, Mapping[str, bool]]]]:
    """Stored articles as the weakly labelled corpus, feedback as labels. With `languages`,
    articles identified in another language are left out: the model judges only those
    languages, and a Norwegian article labelled by Danish keywords teaches it nothing true
    about Danish context (not yet identified articles, language None, stay in)."""
    articles = list(store.iter_articles(limit=limit))
    if languages is not None:
        keep = {*languages, ""}
        articles = [a for a in articles if a.language is None or a.language in keep]
    corpus = [a.document() for a in articles]
    labelled = []
    for article_id, labels in store.feedback_labels():
        article = store.get_article(article_id)
        if article is not None:
            labelled.append((article.document(), labels))
    return corpus, labelled


def retrain_sync(config: Config, store: Store) -> tuple[RetrainResult, TopicClassifier | None]:
    """Train and save; returns the result and the new classifier (None when not trained)."""
    if config.classifier.mode == "keywords":
        return RetrainResult(False, "classifier.mode is keywords"), None
    corpus, labelled = training_data(store, languages=config.classifier.languages)
    if len(corpus) < config.classifier.retrain_min_articles:
        return (
            RetrainResult(
                False,
                f"{len(corpus)} stored articles, fewer than "
                f"classifier.retrain_min_articles={config.classifier.retrain_min_articles}",
                len(corpus),
                len(labelled),
            ),
            None,
        )
    started = time.monotonic()
    rules = config.topic_rules()
    model = train_model(rules, corpus, labelled)
    save_model(model, config.model_path)
    # The model in hand, not read back from the file just written (`load_or_train` would
    # quietly fall back to the default model if that read failed).
    classifier = HybridClassifier(
        rules, model, mode=config.classifier.mode, languages=config.classifier.languages
    )
    return (
        RetrainResult(True, "ok", len(corpus), len(labelled), time.monotonic() - started),
        classifier,
    )


async def retrain(pipeline: Pipeline) -> RetrainResult:
    """The scheduled job: train off the event loop, then swap the pipeline's classifier."""
    try:
        result, classifier = await asyncio.to_thread(retrain_sync, pipeline.config, pipeline.store)
    except Exception:
        log.exception("retraining failed; the current model stays in use")
        return RetrainResult(False, "error")
    if classifier is None:
        log.info("retraining skipped: %s", result.reason)
        return result
    pipeline.classifier = classifier
    log.info(
        "retrained the model on %d stored articles and %d feedback labels in %.1fs",
        result.articles,
        result.feedback,
        result.seconds,
    )
    return result
