"""Story grouping: how similar must two outlets' articles be to count as one story?

Streams the real headlines of six outlets (../shared: Politiken, Jyllands-Posten, Berlingske,
Ekstra Bladet headlines; DR and TV 2 articles) in publication order through the production
`bot.stories.StoryIndex` (24 h window, the window's own IDF) and records, for every article,
its most similar article of *another* outlet within the day. Those best-match pairs are
bucketed by cosine similarity; a fixed random sample of each bucket was judged by hand
(`bench/story_labels.tsv`: row ids and a verdict, no text) as "same story" or not. The table
gives the precision per bucket and at each candidate threshold (pairs at or above it, bucket
precisions weighted by bucket sizes), and how many articles would be grouped.

    python bench/stories.py                 # the table (needs ../shared)
    python bench/stories.py --label 0.5     # print a sample of one bucket to judge
    python bench/stories.py --text          # DR/TV 2 with their leads, not only headlines
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.stories import StoryIndex, terms  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus"
LABELS = Path(__file__).with_name("story_labels.tsv")
BUCKETS = [0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 1.01]
SAMPLE = 12
CPH = ZoneInfo("Europe/Copenhagen")

Row = tuple[str, str, str, str, datetime]  # id, outlet, title, text, published


def load(with_text: bool) -> list[Row]:
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()
    for name, key in (
        ("nyhedsoverblik_headlines.csv", "nyo-head"),
        ("nyhedsoverblik_articles.csv", "nyo-body"),
    ):
        with open(SHARED / name, encoding="utf-8", newline="") as f:
            for i, r in enumerate(csv.DictReader(f)):
                try:
                    when = datetime.strptime(r["published"], "%d.%m.%Y %H:%M").replace(tzinfo=CPH)
                except (ValueError, TypeError):
                    continue
                outlet, title = r["name"], (r["title"] or "").strip()
                if not title or (outlet, title) in seen:
                    continue
                seen.add((outlet, title))
                text = r.get("text") or "" if with_text else ""
                rows.append((f"{key}:{i}", outlet, title, text, when))
    rows.sort(key=lambda r: r[4])
    return rows


def best_pairs(rows: list[Row]) -> tuple[list[tuple[float, str, str]], float]:
    """(similarity, id, best other-outlet id) per article; and seconds per article."""
    index = StoryIndex(threshold=2.0)  # never group: every article keeps its own story
    out = []
    start = time.perf_counter()
    for article_id, outlet, title, text, when in rows:
        tf = {t: 1.0 + math.log(c) for t, c in terms(title, text).items()}
        m = index.best_match(outlet, tf, when)
        if m is not None and m.article_id is not None and m.similarity >= BUCKETS[0]:
            out.append((m.similarity, article_id, m.article_id))
        index.add(article_id, outlet, when, article_id, tf)
    return out, (time.perf_counter() - start) / max(1, len(rows))


def bucket_of(sim: float) -> int:
    return max(i for i, b in enumerate(BUCKETS[:-1]) if sim >= b)


def samples(pairs: list[tuple[float, str, str]]) -> dict[int, list[tuple[float, str, str]]]:
    by: dict[int, list[tuple[float, str, str]]] = {}
    for p in pairs:
        by.setdefault(bucket_of(p[0]), []).append(p)
    rng = random.Random(7)
    return {b: rng.sample(ps, min(SAMPLE, len(ps))) for b, ps in sorted(by.items())}


def read_labels() -> dict[tuple[str, str], bool]:
    if not LABELS.exists():
        return {}
    out = {}
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            a, b, verdict = line.split("\t")
            out[(a, b)] = verdict.strip() == "1"
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--text", action="store_true", help="use DR/TV 2 leads too")
    ap.add_argument("--label", type=float, help="print the sample of the bucket holding this")
    args = ap.parse_args()
    if not SHARED.exists():
        sys.exit(f"needs {SHARED}")
    rows = load(args.text)
    by_id = {r[0]: r for r in rows}
    pairs, per_article = best_pairs(rows)
    sample = samples(pairs)
    if args.label is not None:
        for sim, a, b in sample.get(bucket_of(args.label), []):
            ra, rb = by_id[a], by_id[b]
            print(f"{a}\t{b}\t?\t# {sim:.3f} {ra[1]}: {ra[2]} || {rb[1]}: {rb[2]}")
        return
    labels = read_labels()
    counts = {i: 0 for i in range(len(BUCKETS) - 1)}
    for p in pairs:
        counts[bucket_of(p[0])] += 1
    precision: dict[int, float | None] = {}
    judged: dict[int, int] = {}
    for b, ps in sample.items():
        verdicts = [labels[(a, c)] for _, a, c in ps if (a, c) in labels]
        judged[b] = len(verdicts)
        precision[b] = sum(verdicts) / len(verdicts) if verdicts else None
    print(
        f"{len(rows)} articles, {len(pairs)} best-match pairs >= {BUCKETS[0]}, "
        f"{per_article * 1e3:.2f} ms per article (match + add, 24 h window)\n"
    )
    print("| similarity | pairs | judged | same story | threshold | grouped | precision ≥ |")
    print("|---|---|---|---|---|---|---|")
    for b in range(len(BUCKETS) - 1):
        above = [i for i in range(b, len(BUCKETS) - 1) if precision.get(i) is not None]
        n_above = sum(counts[i] for i in range(b, len(BUCKETS) - 1))
        weighted = sum(counts[i] * precision[i] for i in above)  # type: ignore[operator]
        w_total = sum(counts[i] for i in above)
        p = precision.get(b)
        print(
            f"| {BUCKETS[b]:.2f}–{min(BUCKETS[b + 1], 1):.2f} | {counts[b]} | {judged.get(b, 0)}"
            f" | {'–' if p is None else f'{p:.0%}'} | ≥ {BUCKETS[b]:.2f} | {n_above}"
            f" | {'–' if w_total < n_above else f'{weighted / w_total:.0%}'} |"
        )


if __name__ == "__main__":
    main()
