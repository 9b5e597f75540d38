"""`topicbot classify`: scores and the explaining terms for a text, a file or stdin."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot import exitcodes
from bot.config import Config, load_config

if TYPE_CHECKING:
    from classifiers.base import TopicClassifier

NAME = "classify"
HELP = "show topic scores and explaining terms for a text"
DESCRIPTION = """\
Classify a headline (--title, optionally --text), text files or stdin. Files and stdin are
read exactly as the bot reads a file dropped in a folder: an optional ` date YYYY-MM` tag,
the first sentence as the title, the whole text as the text.

The model is classifier.model_path, the same default as `topicbot eval`; when it is missing
or no longer matches the config, the default model from the seed examples is used and a
warning says why. Nothing is written: not the model, not the config, not the database.

Exit codes: 0 done, 2 no text given or a file cannot be read, 3 configuration error,
4 the model given with --model cannot be used."""


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
        help="model file, used as it is or refused (default: classifier.model_path, or the "
        "seed-trained default model when that is missing or stale)",
    )
    parser.add_argument(
        "--mode",
        choices=["hybrid", "model", "keywords"],
        default=None,
        help="override classifier.mode",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per document")


def run(args: argparse.Namespace) -> int:
    from classifiers.base import Document, published_day
    from classifiers.errors import ModelError
    from classifiers.language import identify
    from classifiers.textfile import parse_text_document

    cfg = load_config(args.config)
    docs: list[tuple[str, Document]] = []
    if args.title:
        docs.append(("--title", Document(args.title, args.text, published=published_day(None))))
    sources = [(str(f), f) for f in args.files]
    if not docs and not sources:
        sources = [("stdin", None)]
    for name, path in sources:
        try:
            raw = _stdin_bytes() if path is None or name == "-" else path.read_bytes()
            parsed = parse_text_document(raw)
        except OSError as exc:
            print(f"topicbot classify: cannot read {name}: {exc.strerror or exc}", file=sys.stderr)
            return exitcodes.USAGE
        except ValueError as exc:
            where = "stdin" if path is None or name == "-" else name
            print(
                f"topicbot classify: {where}: {exc}; give --title, a text file, or text on stdin",
                file=sys.stderr,
            )
            return exitcodes.USAGE
        day = published_day(parsed.published)  # the file's date tag, or today
        docs.append(
            ("stdin" if name == "-" else name, Document(parsed.title, parsed.text, None, day))
        )
    try:
        clf = _classifier(cfg, args)
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


def _classifier(cfg: Config, args: argparse.Namespace) -> TopicClassifier:
    """--model is used as it is or refused; the configured model may fall back to the default
    model, in memory only (`save_default=False`: a read-only command writes no file)."""
    from classifiers.factory import build_classifier
    from classifiers.hybrid import HybridClassifier
    from classifiers.persist import load_model

    mode = args.mode or cfg.classifier.mode
    rules = cfg.topic_rules()
    if args.model is not None and mode != "keywords":
        model = load_model(args.model, rules)
        return HybridClassifier(rules, model, mode=mode, languages=cfg.classifier.languages)
    return build_classifier(
        rules,
        mode=mode,
        model_path=cfg.model_path,
        languages=cfg.classifier.languages,
        save_default=False,
    )


def _stdin_bytes() -> bytes:
    """Bytes, so stdin is decoded like a file (UTF-8, else latin-1); a text-only stream (an
    embedding program's) is taken as it is."""
    buffer = getattr(sys.stdin, "buffer", None)
    return buffer.read() if buffer is not None else sys.stdin.read().encode("utf-8")
