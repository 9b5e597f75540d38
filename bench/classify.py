"""Throughput on one core: articles/s over the leads of nyhedsoverblik_articles.csv.

Compares, in the same run: a compiled-regex keyword matcher (the reference), the keyword
rules, language identification alone, the hybrid classifier with the language given and
with it identified per article (full quality, what the bot runs), and a naive word+char n-gram
TF-IDF pipeline (what the compound splitting replaces). Each is timed `--repeat` times
interleaved with the others, best run reported, because the machine is shared and noisy.

    taskset -c 0 /work/venv/bin/python bench/classify.py [--model MODEL] [--skip-char]
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
    """Articles/s of one timed run (caches warmed by a first run, as in a running bot)."""
    fn()
    t = time.perf_counter()
    fn()
    return n / (time.perf_counter() - t)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--skip-char", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from bot.config import load_config
    from bot.heap import freeze_start_up_heap
    from classifiers.corpus import iter_corpus
    from classifiers.factory import default_model
    from classifiers.hybrid import HybridClassifier
    from classifiers.keywords import KeywordClassifier
    from classifiers.language import LanguageIdentifier
    from classifiers.persist import load_model

    rules = load_config(ROOT / "config.yaml").topic_rules()
    kc = KeywordClassifier(rules)
    model = load_model(args.model, rules) if args.model else default_model(rules)
    hy = HybridClassifier(rules, model)
    langid = LanguageIdentifier()
    pats = [re.compile("|".join(re.escape(k.strip("*")) for k in r.keywords), re.I) for r in rules]
    # As `topicbot run` does once start-up is done: the classifiers, the model and the
    # language identifier move to the permanent generation, which collections skip. The
    # articles come after, as they do in the bot.
    freeze_start_up_heap()
    docs = list(iter_corpus(CSV))
    n = len(docs)
    print(f"{n} articles from {CSV.name}, best of {args.repeat} runs each")

    def regex_only() -> None:
        for d in docs:
            text = d.title + " " + d.text
            for p in pats:
                p.search(text)

    pairs = [(d.title, d.text) for d in docs]
    # The same documents with their language already known (as the pipeline hands them over
    # after identifying it once): the hybrid's cost without identification.
    known = [d._replace(language="da") for d in docs]
    runs = {
        "compiled regex, one search per topic": regex_only,
        "keyword rules (normalise, word-aware hits)": lambda: kc.classify_many(docs),
        "language identification alone": lambda: langid.identify_many(pairs),
        "hybrid, language known beforehand": lambda: hy.classify_many(known),
        "hybrid + language identification (what the bot runs)": lambda: hy.classify_many(docs),
    }
    if not args.skip_char:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_union

        texts = [d.title + " " + d.text for d in docs]
        vec = make_union(
            TfidfVectorizer(sublinear_tf=True, min_df=2),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2),
        ).fit(texts[:3000])
        runs["naive word+char(3-5) TF-IDF, transform only"] = lambda: vec.transform(texts)
    rates = dict.fromkeys(runs, 0.0)
    for _ in range(args.repeat):  # interleaved, so a busy spell hits every row alike
        for name, fn in runs.items():
            rates[name] = max(rates[name], rate(n, fn))
    ref = rates["compiled regex, one search per topic"]
    print("| classifier | articles/s | vs regex |\n| --- | ---: | ---: |")
    for name, r in rates.items():
        print(f"| {name} | {r:,.0f} | {r / ref:.2f}x |")


if __name__ == "__main__":
    main()
