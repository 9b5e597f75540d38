"""`topicbot train`: weak supervision from an archive (+ optional hand labels) → model file."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bot import exitcodes
from bot.config import load_config

NAME = "train"
HELP = "train the topic model from an unlabelled corpus (and optional hand labels)"
DESCRIPTION = """\
Train the TF-IDF topic model. The configured keywords label the corpus (weak supervision),
are masked out, and the model learns the surrounding vocabulary. The shipped seed examples
and any --labels are added on top.

CORPUS is a CSV with `title` and optional `text` columns, a JSONL with the same keys, or a
folder of .txt files (CSV/JSONL files in the folder are read too). Repeat --corpus to
combine corpora.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus",
        action="append",
        type=Path,
        default=[],
        metavar="PATH",
        help="unlabelled corpus: CSV, JSONL or folder (repeatable)",
    )
    parser.add_argument(
        "--labels",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="hand-labelled JSONL (title, text, labels) added on top",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="MODEL",
        help="model file to write (default: classifier.model_path)",
    )
    parser.add_argument(
        "--no-seed", action="store_true", help="leave out the shipped seed examples"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from classifiers.corpus import read_corpus, read_labels
    from classifiers.persist import save_model, sidecar_path
    from classifiers.training import train_model

    cfg = load_config(args.config)
    rules = cfg.topic_rules()
    topics = [r.id for r in rules]
    try:
        corpus = read_corpus(args.corpus)
        labelled = [
            (it.doc, {t: t in it.labels for t in topics})
            for f in args.labels
            for it in read_labels(f, topics)
        ]
    except (OSError, ValueError) as exc:
        print(f"topicbot train: {exc}", file=sys.stderr)
        return exitcodes.USAGE
    if not corpus and not labelled and args.no_seed:
        print("topicbot train: nothing to train on (no corpus, labels or seed)", file=sys.stderr)
        return exitcodes.USAGE
    out = args.out or cfg.model_path
    t0 = time.perf_counter()
    model = train_model(
        rules, corpus, labelled, progress=not args.no_progress, seed=not args.no_seed
    )
    save_model(model, out)
    secs = time.perf_counter() - t0
    print(f"model written to {out} (sidecar {sidecar_path(out).name})")
    print(
        f"  {len(corpus)} corpus documents, {len(labelled)} hand-labelled, "
        f"seed examples {'no' if args.no_seed else 'yes'}; {model.n_features_} features; "
        f"{secs:.1f}s"
    )
    print(f"  topics: {', '.join(topics)}")
    return exitcodes.OK
