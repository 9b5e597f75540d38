"""`topicbot classify`: scores and the explaining terms for a text, a file or stdin."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from bot import exitcodes
from bot.config import load_config

#: The text-file format's optional leading tag (` date 2020-04 `), not part of the title.
_DATE_TAG = re.compile(r"^\ufeff?\s*date\s+\d{4}-\d{2}(?:-\d{2})?\s+")

NAME = "classify"
HELP = "show topic scores and explaining terms for a text"
DESCRIPTION = """\
Classify a headline (--title, optionally --text), files (one article each, the bot's text
file format) or stdin (first line title, rest text). Uses the configured classifier mode and
model file (trained from the seed examples if missing).
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="*", type=Path, help="text files, one article each; - reads stdin"
    )
    parser.add_argument("--title", help="headline to classify")
    parser.add_argument("--text", default="", help="lead or body text for --title")
    parser.add_argument(
        "--model",
        type=Path,
        default=None,
        metavar="MODEL",
        help="model file (default: classifier.model_path)",
    )
    parser.add_argument(
        "--mode",
        choices=["hybrid", "model", "keywords"],
        default=None,
        help="override classifier.mode",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per document")


def run(args: argparse.Namespace) -> int:
    from classifiers.base import Document
    from classifiers.corpus import read_text_file
    from classifiers.errors import ModelError
    from classifiers.factory import build_classifier
    from classifiers.language import identify

    cfg = load_config(args.config)
    docs: list[tuple[str, Document]] = []
    if args.title:
        docs.append(("--title", Document(args.title, args.text)))
    for f in args.files:
        if str(f) == "-":
            continue
        try:
            docs.append((str(f), read_text_file(f)))
        except OSError as exc:
            print(f"topicbot classify: {exc}", file=sys.stderr)
            return exitcodes.USAGE
    if not docs or any(str(f) == "-" for f in args.files):
        raw = _DATE_TAG.sub("", sys.stdin.read(), count=1).strip()
        if not raw:
            print("topicbot classify: give --title, files, or text on stdin", file=sys.stderr)
            return exitcodes.USAGE
        title, _, text = raw.partition("\n")
        docs.append(("stdin", Document(title.strip(), text.strip())))
    try:
        clf = build_classifier(
            cfg.topic_rules(),
            mode=args.mode or cfg.classifier.mode,
            model_path=args.model or cfg.model_path,
            languages=cfg.classifier.languages,
        )
    except ModelError as exc:
        print(f"topicbot classify: {exc}", file=sys.stderr)
        return exitcodes.STORAGE
    docs = [(name, d._replace(language=identify(d.title, d.text))) for name, d in docs]
    rows = clf.classify_many([d for _, d in docs])
    for (name, doc), row in zip(docs, rows, strict=True):
        if args.json:
            print(
                json.dumps(
                    {
                        "source": name,
                        "title": doc.title,
                        "language": doc.language or None,
                        "topics": {
                            s.topic: {
                                "score": round(s.score, 4),
                                "matched": s.matched,
                                "reasons": list(s.reasons),
                            }
                            for s in row
                        },
                    },
                    ensure_ascii=False,
                )
            )
            continue
        print(f"{name}: {doc.title[:100]}  [language: {doc.language or 'unknown'}]")
        for s in row:
            mark = "MATCH" if s.matched else "     "
            why = f"  ({', '.join(s.reasons)})" if s.reasons else ""
            print(f"  {mark} {s.topic:<12} {s.score:6.3f}{why}")
    return exitcodes.OK
