"""`topicbot eval`: model vs keyword rules on a hand-labelled set, in the same run."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot import exitcodes
from bot.config import load_config
from bot.plural import plural

NAME = "eval"
HELP = "evaluate the model and the keyword rules on a labelled JSONL set"
DESCRIPTION = """\
Prints per-topic precision, recall and F1 and the macro-F1 of the model (hybrid decision)
and, in the same run, of the keyword rules alone (any configured keyword hit tags the topic),
for all items and for headline-only items, and, when the labeller marked some items "unsure",
for the items they were sure of, with how many of the model's errors fall on unsure items
(a label a careful person could not decide says little about the classifier).

The model is classifier.model_path, the same default as `topicbot classify`; when it is
missing or no longer matches the config, the default model from the seed examples is
evaluated and a warning says why. Nothing is written but the --plot file.

Exit codes: 0 done, 1 the chart could not be written, 2 the labels file is unreadable or
invalid, 3 configuration error, 4 the model given with --model cannot be used."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--labels",
        type=Path,
        required=True,
        metavar="FILE",
        help="JSONL with title, text, labels (topic ids)",
    )
    parser.add_argument(
        "--model",
        type=Path,
        default=None,
        metavar="MODEL",
        help="model file, used as it is or refused (default: classifier.model_path, or the "
        "seed-trained default model when that is missing or stale)",
    )
    parser.add_argument(
        "--mode",
        choices=["hybrid", "model"],
        default="hybrid",
        help="decision to evaluate (default: hybrid)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--plot",
        type=Path,
        default=None,
        metavar="FILE.png",
        help="draw precision-recall curves per topic",
    )


def _table(name: str, res: Mapping[str, Any]) -> list[str]:
    """Header and rows share one set of column widths, so the numbers sit under their names."""
    w = max([12, *(len(t) for t in res["topics"])])
    lines = [f"{name:<{w + 2}} {'precision':>9} {'recall':>7} {'f1':>6} {'n':>5}"]
    for t, v in res["topics"].items():
        lines.append(
            f"  {t:<{w}} {v['precision']:>9.3f} {v['recall']:>7.3f} {v['f1']:>6.3f} "
            f"{v['support']:>5}"
        )
    lines.append(f"  {'macro-F1':<{w}} {'':>9} {'':>7} {res['macro_f1']:>6.3f}")
    return lines


def run(args: argparse.Namespace) -> int:
    from classifiers.corpus import read_labels
    from classifiers.errors import ModelError
    from classifiers.evaluation import decisions, plot_pr_curves, scores, truth
    from classifiers.factory import configured_model
    from classifiers.hybrid import HybridClassifier
    from classifiers.keywords import KeywordClassifier
    from classifiers.persist import load_model

    cfg = load_config(args.config)
    rules = cfg.topic_rules()
    topics = [r.id for r in rules]
    try:
        items = read_labels(args.labels, topics)
    except (OSError, ValueError) as exc:
        print(f"topicbot eval: {exc}", file=sys.stderr)
        return exitcodes.USAGE
    try:
        if args.model:
            model, source = load_model(args.model, rules), args.model
        else:
            model, source = configured_model(rules, cfg.model_path, save_default=False)
    except ModelError as exc:
        print(f"topicbot eval: {exc}", file=sys.stderr)
        return exitcodes.STORAGE
    hybrid = HybridClassifier(rules, model, mode=args.mode, languages=cfg.classifier.languages)
    y = truth(items, topics)
    proba, _, _ = hybrid.score([it.doc for it in items])
    # The bot's own decisions: language scope and the reasons rule included.
    pm = decisions(hybrid, items)
    pk = decisions(KeywordClassifier(rules), items)
    heads = [i for i, it in enumerate(items) if not it.doc.text.strip()]
    result: dict[str, Any] = {  # the --json report
        "model": scores(y, pm, topics),
        "keywords": scores(y, pk, topics),
        "headline_only": {
            "n": len(heads),
            "model": scores(y[heads], pm[heads], topics),
            "keywords": scores(y[heads], pk[heads], topics),
        },
        "n": len(items),
    }
    sure = [i for i, it in enumerate(items) if not it.unsure]
    if len(sure) < len(items):
        wrong = (pm != y).any(axis=1)
        result["sure_only"] = {
            "n": len(sure),
            "model": scores(y[sure], pm[sure], topics),
            "keywords": scores(y[sure], pk[sure], topics),
            "model_errors": int(wrong.sum()),
            "model_errors_unsure": int(wrong.sum() - wrong[sure].sum()),
        }
    if args.json:
        print(json.dumps(result))
    else:
        _print_report(args, result, source, len(heads))
    if args.plot:
        # After the metrics, so a chart that cannot be written never hides them.
        try:
            plot_pr_curves(y, proba, topics, args.plot, title=f"{args.labels.name}: model scores")
        except OSError as exc:
            print(
                f"topicbot eval: cannot write {args.plot}: {exc.strerror or exc}", file=sys.stderr
            )
            return exitcodes.PARTIAL
        print(
            f"precision-recall curves written to {args.plot}",
            file=sys.stderr if args.json else sys.stdout,
        )
    return exitcodes.OK


def _print_report(
    args: argparse.Namespace, result: Mapping[str, Any], source: object, n_heads: int
) -> None:
    print(f"{args.labels}: {plural(result['n'], 'item')} ({n_heads} headline-only)")
    print(f"model: {source or 'default (seed examples)'}, decision: {args.mode}")
    for title, res in (("model", result["model"]), ("keywords", result["keywords"])):
        print("\n".join(_table(title, res)))
    hr = result["headline_only"]
    print(
        f"headline-only ({plural(hr['n'], 'item')}): model macro-F1 {hr['model']['macro_f1']:.3f}, "
        f"keywords {hr['keywords']['macro_f1']:.3f}"
    )
    sr = result.get("sure_only")
    if sr is not None:
        print(
            f"labeller sure ({plural(sr['n'], 'item')}): model macro-F1 "
            f"{sr['model']['macro_f1']:.3f}, keywords {sr['keywords']['macro_f1']:.3f}; "
            f"{sr['model_errors_unsure']} of the {plural(sr['model_errors'], 'item')} the model "
            "gets wrong are marked unsure"
        )
    gain = result["model"]["macro_f1"] - result["keywords"]["macro_f1"]
    print(f"model - keywords: {gain:+.3f} macro-F1")
