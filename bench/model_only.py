"""Alerts the model makes alone on real Danish traffic: a precision check beyond the dev set.

Items: the 11,361 real DR and TV 2 leads of `../shared/data/corpus/nyhedsoverblik_articles.csv`
(unlabelled), or another corpus file with `--corpus` (the headline archives: what DR's
headline-only feeds deliver), classified by the bot's hybrid classifier with `config.yaml`'s
topics. An alert is "model-only" when the article has no keyword hit for the topic (none of
its reasons is a keyword, as in `bench/foreign_alerts.py`): the model (with a related term,
or alone with two topic-bearing reasons) carried it. Articles about a topic almost always
name it, so most model-only alerts on general traffic are false alarms; the count per 1,000
articles is what a reader of every alert would notice. Baseline in the same run: the alerts
of the keyword rules alone (`rule="title_or_twice"`, what the bot does in a language its
model does not judge).

    python bench/model_only.py [--model MODEL] [--show N] [--corpus FILE]

`--show N` prints N model-only alerts per topic with their reasons, to read what they are;
`--reasons N` the N commonest reasons other than keywords (the model's words and related
terms as written): what a reader is shown as the "why" of an alert.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "data" / "corpus"
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(
        prog="python bench/model_only.py",
        description="Count keyword and model-only alerts per topic on real DR/TV 2 leads.",
    )
    ap.add_argument(
        "--corpus",
        type=Path,
        default=CORPUS / "nyhedsoverblik_articles.csv",
        metavar="FILE",
        help="a corpus CSV (default: the shared DR/TV 2 leads)",
    )
    ap.add_argument("--model", type=Path, default=None, help="a trained model (default: seed)")
    ap.add_argument("--show", type=int, default=0, metavar="N", help="print N per topic")
    ap.add_argument(
        "--reasons", type=int, default=0, metavar="N", help="print the N commonest model reasons"
    )
    args = ap.parse_args()
    csv = args.corpus
    if not csv.is_file():
        print(f"needs {csv} (the shared corpora beside the project)", file=sys.stderr)
        return 2
    from bot.config import load_config
    from classifiers.corpus import iter_corpus
    from classifiers.factory import default_model
    from classifiers.hybrid import HybridClassifier
    from classifiers.keywords import KeywordClassifier
    from classifiers.persist import load_model

    rules = load_config(ROOT / "config.yaml").topic_rules()
    model = load_model(args.model, rules) if args.model else default_model(rules)
    hybrid = HybridClassifier(rules, model)
    docs = list(iter_corpus(csv))
    rows = hybrid.classify_many(docs)
    keywords = {r.id: set(r.keywords) for r in rules}
    rule_rows = KeywordClassifier(rules, rule="title_or_twice").classify_many(docs)
    alerts: Counter[str] = Counter()
    alone: Counter[str] = Counter()
    rule_alerts: Counter[str] = Counter()
    shown: Counter[str] = Counter()
    said: Counter[str] = Counter()
    for doc, row, rule_row in zip(docs, rows, rule_rows, strict=True):
        for s, r in zip(row, rule_row, strict=True):
            rule_alerts[r.topic] += r.matched
            if not s.matched:
                continue
            alerts[s.topic] += 1
            said.update(w for w in s.reasons if w not in keywords[s.topic])
            if not keywords[s.topic] & set(s.reasons):
                alone[s.topic] += 1
                if shown[s.topic] < args.show:
                    shown[s.topic] += 1
                    print(f"  {s.topic:<12} {s.score:.2f} {doc.title[:72]!r} {s.reasons[:4]}")
    n = len(docs)
    print(f"\nmodel: {args.model or 'default (seed examples)'}; {n:,} articles from {csv.name}\n")
    print("| topic | keyword rules alone | hybrid alerts | of which model-only | per 1,000 |")
    print("|---|--:|--:|--:|--:|")
    for r in rules:
        t = r.id
        per = alone[t] * 1000 / n
        print(f"| {t} | {rule_alerts[t]} | {alerts[t]} | {alone[t]} | {per:.2f} |")
    if args.reasons:
        common = ", ".join(f"{w} {c}" for w, c in said.most_common(args.reasons))
        print(f"\nreasons besides keywords ({sum(said.values())} in all): {common}")
    total = sum(alone.values())
    print(
        f"| all | {sum(rule_alerts.values())} | {sum(alerts.values())} | {total} | "
        f"{total * 1000 / n:.2f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
