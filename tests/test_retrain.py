"""Scheduled retraining on stored articles and subscriber feedback, with a real model."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.article import Article
from bot.config import Config, parse_config
from bot.pipeline import Pipeline
from bot.retrain import retrain, training_data
from bot.store import Store
from classifiers.base import Document, published_day
from classifiers.factory import build_classifier
from classifiers.persist import load_model, previous_path

CONFIG = """\
topics:
  - id: NATO
    name: {{da: NATO, en: NATO}}
    keywords: [nato]
  - id: COVID-19
    name: {{da: Covid-19, en: COVID-19}}
    keywords: ["covid*", "corona*"]
  - id: Afghanistan
    name: {{da: Afghanistan, en: Afghanistan}}
    keywords: ["afghanistan*", "taliban*"]
storage:
  path: {tmp}/db.sqlite3
classifier:
  mode: {mode}
  model_path: {tmp}/model.skops
  retrain_min_articles: {min}
"""

STORIES = [
    "Nato-landene enes om nye forsvarsplaner for Østersøen",
    "Regeringen forlænger coronarestriktionerne på plejehjem",
    "Taliban lukker universiteterne for kvinder i Afghanistan",
    "Ny rekord i elpriserne i vinter",
    "Fodboldlandsholdet vinder i Parken",
    "Kommunerne mangler pædagoger",
]


def setup(tmp_path: Path, *, mode: str = "hybrid", min_articles: int = 10) -> tuple[Config, Store]:
    config = parse_config(CONFIG.format(tmp=tmp_path, mode=mode, min=min_articles))
    store = Store.open(config.db_path)
    articles = [
        Article(id=f"guid:t:{i}:{j}", source="t", title=f"{title} ({i})", text=title)
        for i in range(5)
        for j, title in enumerate(STORIES)
    ]
    store.record_articles(articles)
    return config, store


def test_retrain_swaps_in_a_model_trained_on_stored_articles(tmp_path: Path) -> None:
    first_day = published_day(None)
    config, store = setup(tmp_path)
    store.record_feedback(1, "guid:t:0:0", -1, ["NATO"])
    corpus, labelled = training_data(store)
    assert len(corpus) == 30
    # Undated stored articles are dated by when they were fetched, as the pipeline dates them.
    ((doc, labels),) = labelled
    assert doc[:3] == (f"{STORIES[0]} (0)", STORIES[0], None) and labels == {"NATO": False}
    assert {d.published for d in corpus} | {doc.published} <= {first_day, published_day(None)}

    old = build_classifier(config.topic_rules(), mode="hybrid", model_path=config.model_path)
    pipeline = Pipeline(config, store, old)
    assert not config.model_path.exists()  # the seed model lives in its own file
    result = asyncio.run(retrain(pipeline))
    assert result.trained and result.articles == 30 and result.feedback == 1
    assert pipeline.classifier is not old
    first = config.model_path.read_bytes()
    asyncio.run(retrain(pipeline))  # replaces it, keeping the one before
    assert previous_path(config.model_path).read_bytes() == first
    load_model(config.model_path, config.topic_rules())  # valid for these topics
    (scores,) = pipeline.classifier.classify_many([Document("Taliban indtager Kabul")])
    assert {s.topic for s in scores if s.matched} == {"Afghanistan"}
    store.close()


def test_retrain_skips_with_a_reason(tmp_path: Path) -> None:
    config, store = setup(tmp_path, min_articles=1000)
    old = build_classifier(config.topic_rules(), mode="hybrid", model_path=config.model_path)
    pipeline = Pipeline(config, store, old)
    result = asyncio.run(retrain(pipeline))
    assert not result.trained and "fewer than" in result.reason
    assert pipeline.classifier is old
    store.close()

    config, store = setup(tmp_path / "kw", mode="keywords")
    result = asyncio.run(retrain(Pipeline(config, store, old)))
    assert not result.trained and "keywords" in result.reason
    store.close()


def test_training_data_leaves_out_articles_in_languages_the_model_does_not_judge(
    tmp_path: Path,
) -> None:
    config, store = setup(tmp_path)
    norwegian = Article(id="guid:no:1", source="no", title="Regjeringen vil øke avgiften")
    store.record_articles([norwegian])
    store.complete_article(norwegian.id, [], {}, language="no")
    store.complete_article("guid:t:0:0", [], {}, language="da")
    everything, _ = training_data(store)
    danish, _ = training_data(store, languages=config.classifier.languages)
    assert len(everything) == 31 and len(danish) == 30
    assert norwegian.title not in {d.title for d in danish}
    assert norwegian.title in {d.title for d in everything}
    store.close()
