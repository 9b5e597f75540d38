"""Alerts on real Norwegian, Swedish and English feed items: which come from keywords, which
from the model alone (the bar: none), with the default model or a trained one.

Items: every entry of `../shared/fixtures/realworld/feeds/` in those languages (see
`bench/language.py` for which feed is which), parsed by the bot's feed parser, classified by
the bot's hybrid classifier with `config.yaml`'s topics and `classifier.languages`. An alert
is "model-only" when none of its reasons is a keyword of the topic.

    python bench/foreign_alerts.py [--model MODEL] [--languages da,no,sv,en]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.language import realworld_items  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument(
        "--languages", default=None, help="override classifier.languages (comma-separated)"
    )
    args = ap.parse_args()
    from bot.config import load_config
    from classifiers.base import Document
    from classifiers.factory import default_model
    from classifiers.hybrid import HybridClassifier
    from classifiers.persist import load_model

    root = Path(__file__).resolve().parents[1]
    cfg = load_config(root / "config.yaml")
    rules = cfg.topic_rules()
    model = load_model(args.model, rules) if args.model else default_model(rules)
    langs = args.languages.split(",") if args.languages else cfg.classifier.languages
    hy = HybridClassifier(rules, model, languages=langs)
    items = realworld_items()
    rows = hy.classify_many([Document(t, x) for _, t, x in items])
    keywords = {r.id: set(r.keywords) for r in rules}
    count: Counter[tuple[str, str]] = Counter()
    for (lang, title, _), row in zip(items, rows, strict=True):
        for s in row:
            if not s.matched:
                continue
            kind = "keyword" if keywords[s.topic] & set(s.reasons) else "model-only"
            count[lang, kind] += 1
            print(f"  {lang} {kind:<10} {s.topic:<12} {title[:70]!r} ({', '.join(s.reasons)})")
    total = Counter(lang for lang, _, _ in items)
    print(f"model: {args.model or 'default (seed examples)'}; languages judged: {langs}")
    print("| language | items | keyword alerts | model-only alerts |\n| --- | ---: | ---: | ---: |")
    for lang in ("no", "sv", "en"):
        print(
            f"| {lang} | {total[lang]} | {count[lang, 'keyword']} | {count[lang, 'model-only']} |"
        )


if __name__ == "__main__":
    main()
