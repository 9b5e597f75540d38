"""What the dev bar can still reach: the dev set's macro-F1 as the bot decides it, on the items
the labeller was sure of, and with every error on those items set right by hand. The last is
an upper bound for any change that gets the clear cases right and leaves the items the
labeller marked unsure as they are (issue 14's trained bar, 0.96, is above it: BENCHMARKS.md,
round 34). Counts only: no item is printed.

    python bench/dev_ceiling.py [--model MODEL]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEV = ROOT.parent / "shared" / "data" / "labels" / "dev.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=None, help="trained model (default: seed)")
    args = ap.parse_args()
    if not DEV.is_file():
        sys.exit(f"{DEV} is absent")
    import numpy as np

    from bot.config import load_config
    from classifiers.corpus import read_labels
    from classifiers.evaluation import decisions, scores, truth
    from classifiers.factory import build_classifier

    cfg = load_config(ROOT / "config.yaml")
    rules = cfg.topic_rules()
    hy = build_classifier(
        rules, model_path=args.model, languages=cfg.classifier.languages, save_default=False
    )
    topics = hy.topics
    items = read_labels(DEV, topics)
    y, p = truth(items, topics), decisions(hy, items)
    sure = np.array([not it.unsure for it in items])
    mended = p.copy()
    mended[sure] = y[sure]
    wrong = ~(p == y).all(axis=1)
    print(
        f"model: {args.model or 'default (seed examples)'}; {len(items)} items, {sure.sum()} sure"
    )
    print(f"errors: {wrong.sum()}, of them on unsure items: {(wrong & ~sure).sum()}")
    print("| decisions | macro-F1 | " + " | ".join(f"{t} F1" for t in topics) + " |")
    print("| --- | ---: |" + " ---: |" * len(topics))
    for name, gy, gp in (
        ("as the bot decides, all items", y, p),
        ("as the bot decides, sure items only", y[sure], p[sure]),
        ("every sure item set right (upper bound)", y, mended),
    ):
        s = scores(gy, gp, topics)
        row = " | ".join(f"{s['topics'][t]['f1']:.3f}" for t in topics)
        print(f"| {name} | {s['macro_f1']:.3f} | {row} |")


if __name__ == "__main__":
    main()
