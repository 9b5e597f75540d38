"""What fetching the article page does to quality on headline-only items (issue 7).

DR's feeds carry titles only. ``full_text: true`` fetches each new item's page and classifies
on the extracted body too. This script measures, on the hand-labelled dev set
(``../shared/data/labels/dev.jsonl``), the default classifier's per-topic P/R/F1 and macro-F1
on three views of the same items (those that have a body text):

* ``title only``: what DR's feed gives;
* ``title + page text``: the body as `fetch_full_text` extracts it from a realistic article page
  (nav, cookie banner, "most read" links naming other stories, footer; the body in
  <article>), rendered in memory at run time and served from the loopback `FeedServer`;
* ``title + original text``: the labelled text itself, the upper bound (what extraction loses).

The "most read" box shows other items' headlines, as real pages do, so furniture leaking into
the extracted text shows up as false positives. It also prints how fast pages are fetched and
extracted, end to end over loopback and for extraction alone.

Nothing from ``../shared`` is written anywhere: pages exist only in memory for the run.

    python bench/fulltext.py                # default classifier (hybrid)
    python bench/fulltext.py --mode keywords
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import logging
import random
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # so `bot`, `classifiers`, `tests.standins` import
    sys.path.insert(0, str(REPO_ROOT))

from bot.article import Article  # noqa: E402
from bot.config import FetchConfig, load_config  # noqa: E402
from bot.sources.fetcher import make_client  # noqa: E402
from bot.sources.fulltext import PageManners, extract_main_text, fetch_full_text  # noqa: E402
from classifiers.base import Document, TopicClassifier  # noqa: E402
from classifiers.factory import build_classifier  # noqa: E402
from tests.standins.feed_server import FeedServer  # noqa: E402

SHARED = REPO_ROOT.parent / "shared"
DEV = SHARED / "data" / "labels" / "dev.jsonl"
HTML_TYPE = "text/html; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    title: str
    text: str
    labels: frozenset[str]


def load_items(path: Path) -> list[Item]:
    """Labelled items that have a body text (only those can be served as pages)."""
    items = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            if (d.get("text") or "").strip():
                items.append(Item(d["id"], d["title"], d["text"], frozenset(d["labels"])))
    return items


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])")


def _paragraphs(text: str) -> list[str]:
    """Split a lead into 1–3 paragraphs at sentence ends, as a CMS would lay it out."""
    sentences = _SENTENCE_END.split(text.strip())
    size = max(1, -(-len(sentences) // 3))
    return [" ".join(sentences[i : i + size]) for i in range(0, len(sentences), size)]


def render_page(item: Item, most_read: Sequence[str]) -> bytes:
    """A realistic Danish article page around the item's title and text (in memory only)."""
    e = html.escape
    body = "\n".join(f"<p>{e(p)}</p>" for p in _paragraphs(item.text))
    related = "".join(
        f'<li><a href="/nyheder/{i}">{e(t)}</a></li>' for i, t in enumerate(most_read)
    )
    return f"""<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><title>{e(item.title)} | Nyheder</title>
<meta property="og:title" content="{e(item.title)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<script>window.dataLayer=window.dataLayer||[];dataLayer.push({{"section":"nyheder"}});</script>
</head><body>
<div id="cookie-consent" role="dialog"><p>Vi bruger cookies til at forbedre din oplevelse,
måle trafik og vise relevante annoncer. Læs mere i vores cookiepolitik.</p>
<button>Accepter alle</button><button>Kun nødvendige</button></div>
<header><a href="/">Nyheder</a><nav><ul><li><a href="/nyheder/indland">Indland</a></li>
<li><a href="/nyheder/udland">Udland</a></li><li><a href="/nyheder/politik">Politik</a></li>
<li><a href="/sporten">Sporten</a></li><li><a href="/vejret">Vejret</a></li></ul></nav></header>
<main><article><header><h1>{e(item.title)}</h1>
<p class="byline">Af Redaktionen · i dag kl. 08.00</p></header>
<div class="article-body">
{body}
</div>
<div class="share"><a href="#">Del på Facebook</a> <a href="#">Del på X</a></div></article>
<aside class="most-read"><h2>Mest læste</h2><ol>{related}</ol></aside></main>
<footer><p>Ansvarshavende chefredaktør: Jens Jensen. Kontakt redaktionen.</p>
<p>© Nyheder 2026. Alle rettigheder forbeholdes.</p></footer>
</body></html>""".encode()


async def fetch_all(server: FeedServer, items: Sequence[Item]) -> tuple[list[str], float]:
    """Page text per item through `fetch_full_text` (as the pipeline calls it); seconds."""
    # Pages are served from loopback, which the outbound policy refuses by default.
    cfg = FetchConfig(allow_private_networks=True, page_pause=0)
    client = make_client(cfg)
    articles = [
        Article(id=f"bench:{i}", source="bench", title=it.title, link=server.url(f"/p/{i}"))
        for i, it in enumerate(items)
    ]
    try:
        start = time.perf_counter()
        manners = PageManners(client, cfg)  # one robots.txt read, no pause (page_pause 0)
        out = await asyncio.gather(
            *(fetch_full_text(client, a, cfg, source="bench", manners=manners) for a in articles)
        )
        elapsed = time.perf_counter() - start
    finally:
        await client.aclose()
    return [a.text for a in out], elapsed


@dataclass(frozen=True, slots=True)
class Scores:
    p: float
    r: float
    f1: float
    support: int


def evaluate(
    classifier: TopicClassifier, docs: Sequence[Document], gold: Sequence[frozenset[str]]
) -> dict[str, Scores]:
    """Per-topic precision, recall and F1 (0 where undefined) of ``matched`` decisions."""
    predicted = [
        {s.topic for s in scores if s.matched} for scores in classifier.classify_many(docs)
    ]
    out = {}
    for topic in classifier.topics:
        tp = sum(topic in p and topic in g for p, g in zip(predicted, gold, strict=True))
        fp = sum(topic in p and topic not in g for p, g in zip(predicted, gold, strict=True))
        fn = sum(topic not in p and topic in g for p, g in zip(predicted, gold, strict=True))
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        out[topic] = Scores(p, r, f1, tp + fn)
    return out


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def fidelity(original: str, extracted: str) -> float:
    """Share of the original text's words that the extracted text holds (bag of words)."""
    want = _words(original)
    have: dict[str, int] = {}
    for w in _words(extracted):
        have[w] = have.get(w, 0) + 1
    hit = 0
    for w in want:
        if have.get(w, 0) > 0:
            have[w] -= 1
            hit += 1
    return hit / len(want) if want else 1.0


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        first, *rest = cells
        return (
            "| "
            + " | ".join(
                [
                    first.ljust(widths[0]),
                    *(c.rjust(w) for c, w in zip(rest, widths[1:], strict=True)),
                ]
            )
            + " |"
        )

    rule = (
        "|"
        + "|".join("-" * (w + 2) if i == 0 else "-" * (w + 1) + ":" for i, w in enumerate(widths))
        + "|"
    )
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Quality with and without page text on headline-only items "
        "(dev set pages served from loopback through fetch_full_text)."
    )
    ap.add_argument(
        "--mode",
        choices=("hybrid", "model", "keywords"),
        default="hybrid",
        help="classifier mode (default: hybrid, the bot's default)",
    )
    ap.add_argument(
        "--config",
        type=Path,
        default=REPO_ROOT / "config.yaml",
        help="config whose topics give the rules (default: config.yaml)",
    )
    ap.add_argument("--limit", type=int, default=0, help="use only the first N items")
    ap.add_argument("--seed", type=int, default=7, help="seed for the 'most read' boxes")
    args = ap.parse_args(argv)

    if not DEV.is_file():
        print(f"skipped: {DEV} is absent (../shared holds the labelled dev set)")
        return 0
    logging.basicConfig(level=logging.ERROR)
    items = load_items(DEV)
    if args.limit:
        items = items[: args.limit]
    rules = load_config(args.config).topic_rules()
    with tempfile.TemporaryDirectory() as tmp:
        classifier = build_classifier(rules, mode=args.mode, model_path=Path(tmp) / "model.skops")

    rng = random.Random(args.seed)
    titles = [it.title for it in items]
    pages, most_read = [], []
    for it in items:
        others = [t for t in rng.sample(titles, 6) if t != it.title][:5]
        most_read.append(others)
        pages.append(render_page(it, others))

    with FeedServer() as server:
        for i, body in enumerate(pages):
            server.add(f"/p/{i}", body, content_type=HTML_TYPE)
        extracted, fetch_s = asyncio.run(fetch_all(server, items))
    decoded = [p.decode() for p in pages]
    start = time.perf_counter()
    for p in decoded:
        extract_main_text(p)
    extract_s = time.perf_counter() - start

    gold = [it.labels for it in items]
    views = {
        "title only": [Document(it.title, "") for it in items],
        "title + page text": [
            Document(it.title, t) for it, t in zip(items, extracted, strict=True)
        ],
        "title + original text": [Document(it.title, it.text) for it in items],
    }
    results = {name: evaluate(classifier, docs, gold) for name, docs in views.items()}
    topics = list(classifier.topics)

    rows = []
    for name, res in results.items():
        cells = [name]
        for t in topics:
            s = res[t]
            cells.append(f"{s.p:.2f} / {s.r:.2f} / {s.f1:.2f}")
        cells.append(f"{sum(res[t].f1 for t in topics) / len(topics):.3f}")
        rows.append(cells)
    support = ", ".join(f"{t} {results['title only'][t].support}" for t in topics)
    got = sum(bool(t) for t in extracted)
    fid = [fidelity(it.text, t) for it, t in zip(items, extracted, strict=True)]
    furniture = ("cookies", "Mest læste", "Alle rettigheder", "Del på Facebook")
    leaked = sum(
        any(f in t for f in (*furniture, *others))
        for t, others in zip(extracted, most_read, strict=True)
    )

    print(
        f"classifier: mode={args.mode} ({type(classifier).__name__}); "
        f"{len(items)} labelled items with a body text; positives: {support}\n"
    )
    print(table(["view", *(f"{t} P / R / F1" for t in topics), "macro-F1"], rows))
    print()
    print(
        table(
            ["extraction", "value"],
            [
                ["pages with text extracted", f"{got} / {len(items)}"],
                ["original words kept (mean)", f"{sum(fid) / len(fid):.1%}"],
                ["pages with furniture or other headlines in the text", str(leaked)],
                ["fetch + extract over loopback (pages/s)", f"{len(items) / fetch_s:,.0f}"],
                ["extraction alone, one thread (pages/s)", f"{len(items) / extract_s:,.0f}"],
            ],
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
