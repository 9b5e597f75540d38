"""`topicbot train`: weak supervision from an archive (+ optional hand labels) → model file."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bot import exitcodes
from bot.config import load_config
from bot.plural import plural

NAME = "train"
HELP = "train the topic model from an unlabelled corpus (and optional hand labels)"
DESCRIPTION = """\
Train the TF-IDF topic model. The configured keywords label the corpus (weak supervision),
are masked out, and the model learns the surrounding vocabulary. The shipped seed examples
and any --labels are added on top.

CORPUS is a CSV with `title` and optional `text` columns, a JSONL with the same keys, or a
folder of .txt files (CSV/JSONL files in the folder are read too; a text file is read as the
bot reads a folder). Repeat --corpus to combine corpora. The bot needs no training to start:
until a model is trained it uses the default model from the seed examples.

The model file (--out, default classifier.model_path) is replaced atomically; the one it
replaces is kept as MODEL.previous.skops.

Exit codes: 0 model written, 2 no --corpus, or a corpus or labels file is unreadable or
invalid, 3 configuration error, 4 the model cannot be written, 130 interrupted."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus",
        action="append",
        type=Path,
        required=True,
        metavar="PATH",
        help="unlabelled corpus: CSV, JSONL or folder (required; repeatable)",
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
    if not corpus:
        names = ", ".join(str(p) for p in args.corpus)
        print(f"topicbot train: no documents in {names}; nothing to learn from", file=sys.stderr)
        return exitcodes.USAGE
    out = args.out or cfg.model_path
    t0 = time.perf_counter()
    model = train_model(
        rules, corpus, labelled, progress=not args.no_progress, seed=not args.no_seed
    )
    try:
        save_model(model, out)
    except OSError as exc:
        print(f"topicbot train: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return exitcodes.STORAGE
    secs = time.perf_counter() - t0
    print(f"model written to {out} (sidecar {sidecar_path(out).name})")
    print(
        f"  {plural(len(corpus), 'corpus document')}, {len(labelled)} hand-labelled, "
        f"seed examples {'no' if args.no_seed else 'yes'}; {model.n_features_} features; "
        f"{secs:.1f}s"
    )
    print(f"  topics: {', '.join(topics)}")
    return exitcodes.OK
