"""The blind-labelled corpus sample (`data/real_sample.jsonl`, BENCHMARKS.md rounds 9-10):
only ids and labels are in the project, so its text is read from the shared corpora. Shared
by the shipped-topics test and `bench/real_sample.py`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from classifiers.base import Document
from classifiers.corpus import LabelledItem, iter_corpus

SAMPLE = Path(__file__).resolve().parent / "data" / "real_sample.jsonl"
#: Corpus files by the source prefix of an item id (`<source>:<row>`, as in dev.jsonl).
CORPUS_FILES = {
    "nyo-body": "nyhedsoverblik_articles.csv",
    "nyo-head": "nyhedsoverblik_headlines.csv",
    "dr-pol": "dr_politik_headlines.csv",
    "pol-covid": "politiken_covid_2021.csv",
}


def read_records() -> list[dict[str, Any]]:
    """The sample's records: `id`, `labels`, `unsure`, `stratum`, `sample`."""
    return [json.loads(line) for line in SAMPLE.read_text().splitlines()]


def labelled_items(records: list[dict[str, Any]], corpus_dir: Path) -> list[LabelledItem]:
    """The records with their documents from `corpus_dir` (`../shared/data/corpus`); each
    corpus file is read once."""
    rows: dict[str, list[Document]] = {}
    items = []
    for rec in records:
        source, row = rec["id"].split(":")
        if source not in rows:
            rows[source] = list(iter_corpus(corpus_dir / CORPUS_FILES[source]))
        items.append(
            LabelledItem(rec["id"], rows[source][int(row)], frozenset(rec["labels"]), rec["unsure"])
        )
    return items
