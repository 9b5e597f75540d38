"""Quality on the blind-labelled corpus sample (`tests/classifiers/data/real_sample.jsonl`):
799 items of the shared corpora, none from dev, labelled from the rubric alone by two
annotators who agreed on them (BENCHMARKS.md, round 9). The file holds ids and labels only;
the text is read from `../shared/data/corpus/`.

The sample is stratified, not random: alerts, the two models' disagreements, keyword
evidence without an alert, near misses (the highest model scores without an alert) and the
rest, so its figures weigh the hard cases far above their share of real traffic. Compare
models and commits on it, not with dev.

    python bench/real_sample.py [--model MODEL] [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "tests" / "classifiers" / "data" / "real_sample.jsonl"
CORPUS = ROOT.parent / "shared" / "data" / "corpus"
#: Corpus files by the source prefix of an item id (`<source>:<row>`, as in dev.jsonl).
FILES = {
    "nyo-body": "nyhedsoverblik_articles.csv",
    "nyo-head": "nyhedsoverblik_headlines.csv",
    "dr-pol": "dr_politik_headlines.csv",
    "pol-covid": "politiken_covid_2021.csv",
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=None, help="trained model (default: seed)")
    ap.add_argument("--show", action="store_true", help="print every wrong item")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS} is absent: the sample's text lives there")
    from bot.config import load_config
    from classifiers.base import Document
    from classifiers.corpus import iter_corpus
    from classifiers.factory import default_model
    from classifiers.hybrid import HybridClassifier
    from classifiers.persist import load_model

    rules = load_config(ROOT / "config.yaml").topic_rules()
    model = load_model(args.model, rules) if args.model else default_model(rules)
    hy = HybridClassifier(rules, model)
    items = [json.loads(line) for line in SAMPLE.read_text().splitlines()]
    rows: dict[str, list[Document]] = {}
    docs = []
    for it in items:
        source, row = it["id"].split(":")
        if source not in rows:
            rows[source] = list(iter_corpus(CORPUS / FILES[source]))
        docs.append(rows[source][int(row)])
    got = [{s.topic for s in row if s.matched} for row in hy.classify_many(docs)]
    print(f"model: {args.model or 'default (seed examples)'}; {len(items)} items")
    groups: dict[str, list[int]] = {"all": list(range(len(items)))}
    for key in ("sample", "stratum"):
        for i, it in enumerate(items):
            groups.setdefault(f"{key} {it[key]}", []).append(i)
    groups["not unsure"] = [i for i, it in enumerate(items) if not it["unsure"]]
    topics = hy.topics
    print(
        "| items | n | exact | macro-F1 | " + " | ".join(f"{t} F1 (fp/fn)" for t in topics) + " |"
    )
    print("| --- | ---: | ---: | ---: |" + " ---: |" * len(topics))
    for name, idx in groups.items():
        tp, fp, fn = Counter(), Counter(), Counter()
        for i in idx:
            gold = set(items[i]["labels"])
            for t in topics:
                tp[t] += t in gold and t in got[i]
                fp[t] += t not in gold and t in got[i]
                fn[t] += t in gold and t not in got[i]
        f1 = {
            t: 2 * tp[t] / (2 * tp[t] + fp[t] + fn[t]) if tp[t] + fp[t] + fn[t] else 1.0
            for t in topics
        }
        exact = sum(got[i] == set(items[i]["labels"]) for i in idx)
        cells = " | ".join(f"{f1[t]:.3f} ({fp[t]}/{fn[t]})" for t in topics)
        print(f"| {name} | {len(idx)} | {exact} | {sum(f1.values()) / len(topics):.3f} | {cells} |")
    if args.show:
        for it, doc, g in zip(items, docs, got, strict=True):
            if g != set(it["labels"]):
                mark = " unsure" if it["unsure"] else ""
                print(
                    f"  [{it['stratum']}{mark}] gold={sorted(it['labels'])} got={sorted(g)}"
                    f" :: {doc.title[:100]}"
                )


if __name__ == "__main__":
    main()
