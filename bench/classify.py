"""Throughput on one core: articles/s over the leads of nyhedsoverblik_articles.csv.

Compares, in the same run: a compiled-regex keyword matcher (the bar), the keyword rules,
the hybrid classifier (full quality, what the bot runs), and a naive word+char n-gram
TF-IDF pipeline (what the compound splitting replaces).

    /work/venv/bin/python bench/classify.py [--model MODEL] [--skip-char]
"""

from __future__ import annotations

import argparse
import os
import re
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / ".." / "shared" / "data" / "corpus" / "nyhedsoverblik_articles.csv"


def rate(n: int, fn) -> float:  # type: ignore[no-untyped-def]
    fn()  # warm caches once, as a running bot would have
    t = time.perf_counter()
    fn()
    return n / (time.perf_counter() - t)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--skip-char", action="store_true")
    args = ap.parse_args()
    from bot.config import load_config
    from classifiers.corpus import iter_corpus
    from classifiers.factory import default_model
    from classifiers.hybrid import HybridClassifier
    from classifiers.keywords import KeywordClassifier
    from classifiers.persist import load_model

    rules = load_config(ROOT / "config.yaml").topic_rules()
    docs = list(iter_corpus(CSV))
    n = len(docs)
    print(f"{n} articles from {CSV.name}")
    pats = [re.compile("|".join(re.escape(k.strip("*")) for k in r.keywords), re.I) for r in rules]

    def regex_only() -> None:
        for d in docs:
            text = d.title + " " + d.text
            for p in pats:
                p.search(text)

    print(f"regex keywords   {rate(n, regex_only):>9,.0f}/s")
    kc = KeywordClassifier(rules)
    print(f"keyword rules    {rate(n, lambda: kc.classify_many(docs)):>9,.0f}/s")
    model = load_model(args.model, rules) if args.model else default_model(rules)
    hy = HybridClassifier(rules, model)
    print(f"hybrid (full)    {rate(n, lambda: hy.classify_many(docs)):>9,.0f}/s")
    if not args.skip_char:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_union

        texts = [d.title + " " + d.text for d in docs]
        vec = make_union(
            TfidfVectorizer(sublinear_tf=True, min_df=2),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2),
        ).fit(texts[:3000])
        print(f"word+char tfidf  {rate(n, lambda: vec.transform(texts)):>9,.0f}/s (transform only)")


if __name__ == "__main__":
    main()
