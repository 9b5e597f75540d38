"""The pipeline identifies each article's language once and stores it with the article."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.article import Article
from bot.config import parse_config
from bot.pipeline import Pipeline
from bot.runtime import Services
from bot.store import Store
from classifiers import language
from classifiers.factory import build_classifier
from tests.configs import keyword_config

# Written for this test.
ARTICLES = {
    "da": ("Regeringen vil hæve skatten på benzin", "Pengene skal bruges på grøn omstilling."),
    "no": ("Regjeringen vil øke avgiften på bensin", "Pengene skal brukes på det grønne skiftet."),
    "": ("2-1", ""),
}


def _config(tmp_path: Path) -> str:
    return keyword_config(storage={"path": f"{tmp_path}/db.sqlite3"}, alerts=None)


def test_pipeline_stores_each_articles_language(tmp_path: Path) -> None:
    config = parse_config(_config(tmp_path))
    store = Store.open(config.db_path)
    store.record_articles(
        [Article(id=f"a:{lang}", source="t", title=t, text=x) for lang, (t, x) in ARTICLES.items()]
    )
    pipeline = Pipeline(config, store, build_classifier(config.topic_rules(), mode="keywords"))
    try:
        asyncio.run(pipeline.process_pending())
        for lang in ARTICLES:
            assert store.get_article(f"a:{lang}").language == lang
    finally:
        asyncio.run(pipeline.aclose())
        store.close()


def test_services_load_the_language_identifier_before_the_first_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading it costs ~1 CPU s: paid at start-up, not by the first fan-out after a start."""
    monkeypatch.setattr(language, "_DEFAULT", None)  # as in a fresh process
    services = Services.build(parse_config(_config(tmp_path)))
    try:
        assert services.language_loader is not None
        services.language_loader.join(timeout=60)
        assert language.is_loaded()
    finally:
        asyncio.run(services.aclose())
