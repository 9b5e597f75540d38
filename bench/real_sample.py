"""Quality on the blind-labelled corpus sample (`tests/classifiers/data/real_sample.jsonl`):
1,047 items of the shared corpora, none from dev, labelled from the rubric alone by two
annotators who agreed on them, in four samples (BENCHMARKS.md, rounds 9 to 11). The file
holds ids and labels only; the text is read from `../shared/data/corpus/`.

The sample is stratified, not random: alerts, the two models' disagreements, keyword
evidence without an alert, near misses (the highest model scores without an alert), the
decisions a round of changes made (sample 3: "changed"), every body naming a topic that was
still unlabelled and headlines naming one (sample 4: "keyword-body", "keyword-head") and the
rest, so its figures weigh the hard cases far above their share of real traffic. Compare
models and commits on it, not with dev.

    python bench/real_sample.py [--model MODEL] [--show]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "data" / "corpus"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=None, help="trained model (default: seed)")
    ap.add_argument("--show", action="store_true", help="print every wrong item")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS} is absent: the sample's text lives there")
    from bot.config import load_config
    from classifiers.evaluation import decisions, scores, truth
    from classifiers.factory import default_model
    from classifiers.hybrid import HybridClassifier
    from classifiers.persist import load_model
    from tests.classifiers.real_sample import labelled_items, read_records

    rules = load_config(ROOT / "config.yaml").topic_rules()
    model = load_model(args.model, rules) if args.model else default_model(rules)
    hy = HybridClassifier(rules, model)
    records = read_records()
    items = labelled_items(records, CORPUS)
    topics = hy.topics
    y, p = truth(items, topics), decisions(hy, items)
    print(f"model: {args.model or 'default (seed examples)'}; {len(items)} items")
    groups: dict[str, list[int]] = {"all": list(range(len(items)))}
    for key in ("sample", "stratum"):
        for i, rec in enumerate(records):
            groups.setdefault(f"{key} {rec[key]}", []).append(i)
    groups["not unsure"] = [i for i, it in enumerate(items) if not it.unsure]
    print(
        "| items | n | exact | macro-F1 | " + " | ".join(f"{t} F1 (fp/fn)" for t in topics) + " |"
    )
    print("| --- | ---: | ---: | ---: |" + " ---: |" * len(topics))
    for name, idx in groups.items():
        gy, gp = y[idx], p[idx]
        res = scores(gy, gp, topics)
        fp, fn = (gp & ~gy).sum(axis=0), (~gp & gy).sum(axis=0)
        # F1 says nothing for a topic the group neither holds nor alerts on (the "rest").
        seen = [j for j in range(len(topics)) if gy[:, j].any() or gp[:, j].any()]
        f1 = [res["topics"][t]["f1"] for t in topics]
        macro = f"{sum(f1[j] for j in seen) / len(seen):.3f}" if seen else "–"
        cells = " | ".join(
            f"{f1[j]:.3f} ({fp[j]}/{fn[j]})" if j in seen else "–" for j in range(len(topics))
        )
        exact = int((gy == gp).all(axis=1).sum())
        print(f"| {name} | {len(idx)} | {exact} | {macro} | {cells} |")
    if args.show:
        for rec, it, gold, got in zip(records, items, y, p, strict=True):
            if (gold != got).any():
                mark = " unsure" if it.unsure else ""
                print(
                    f"  [{rec['stratum']}{mark}] gold={sorted(it.labels)}"
                    f" got={[t for t, m in zip(topics, got, strict=True) if m]}"
                    f" :: {it.doc.title[:100]}"
                )


if __name__ == "__main__":
    main()
