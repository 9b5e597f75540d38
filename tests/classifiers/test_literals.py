"""The literal pre-check: which groups of terms a text may match, before any regex runs."""

from __future__ import annotations

from classifiers.literals import LiteralFilter, required_literal
from classifiers.terms import KeywordMatcher
from classifiers.text import normalize


def test_literals_of_terms() -> None:
    assert required_literal("Artikel 5") == "artikel"
    assert required_literal("sars-cov-2") == "sars"
    assert required_literal("*krisen") == "krisen"
    assert required_literal("'noget'") == ""  # starts with no letter: always scanned


def test_groups_in_a_text() -> None:
    f = LiteralFilter([["nato", "atlantpagt*"], ["corona*", "covid"], ["taliban"], []])
    assert f.groups_in("natotopmødet i dag") == {0}
    assert f.groups_in("coronakrisen og talibans fremmarch") == {1, 2}
    assert f.groups_in("intet om emnerne her") == set()


def test_a_group_without_literal_is_always_in() -> None:
    f = LiteralFilter([["'noget'"], ["kabul"]])
    assert f.groups_in("ingenting") == {0}
    assert f.groups_in("kabul") == {0, 1}


def test_a_literal_inside_another_literals_match_is_found() -> None:
    """A search for non-overlapping matches reports "kabul" and skips the "abu" inside it:
    the second group would be passed over in a text that names it only there."""
    f = LiteralFilter([["kabul"], ["abu"]])
    assert f.groups_in("kabul") == {0, 1}


def test_the_filter_never_hides_a_keyword_hit() -> None:
    """Whatever a matcher finds, the filter lets through: its terms' literals are in the
    text wherever a term matches (compounds, inflections, phrases across a hyphen)."""
    terms = ["nato", "corona*", "*krisen", "artikel 5", "statens serum institut", "covid-19"]
    texts = [
        "NATO's topmøde",
        "Coronapandemien",
        "Finanskrisen",
        "Artikel 5 gælder",
        "Statens Serum-Institut",
        "covid-19-krisen",
    ]
    matched = 0
    f = LiteralFilter([[t] for t in terms], required_literal)
    for j, term in enumerate(terms):
        for text in texts:
            if KeywordMatcher([term]).search(text):
                matched += 1
                assert j in f.groups_in(normalize(text)), (term, text)
    assert matched >= len(terms)  # every term matched its own text at least


def test_a_scan_from_the_literals_finds_what_a_full_scan_finds() -> None:
    """`KeywordMatcher.finditer_at` tries only the words where a literal begins; the hits and
    their order must be `finditer`'s, for terms with a leading `*`, phrases and compounds."""
    terms = ["nato", "corona*", "*krisen", "artikel 5", "sars-cov-2", "covid-19", "kabul"]
    texts = [
        "senatoren talte om natos plan og nato-landene",
        "coronakrisen, finanskrisen og corona-krisen i kabul-lufthavnen",
        "artikel 5 og artikel 50; sars-cov-2 og covid-19-krisen",
        "oliekrisen krisen kriserne natonato nato",
    ]
    matcher = KeywordMatcher(terms)
    lits = LiteralFilter([terms])
    for text in texts:
        starts = lits.starts_in(text).get(0) or []
        assert matcher.finditer_at(text, starts) == matcher.finditer(text, normalized=True)
        assert matcher.finditer(text, normalized=True)  # every text has hits to compare


def test_a_scan_by_opening_keeps_the_order_of_the_whole_regex() -> None:
    """`finditer_at` tries at a word only the terms opening with its two letters, and the
    terms that may open any way (a leading `*`, a one-letter first word). The term a match is
    named after must still be the first of the whole regex's order (longest first):
    "coronapas*" before "corona*", "*coronakrisen" and "*krisen" (shorter than terms of the
    opening "co", yet the only one to match "covidkrisen") at any opening, and "k 5" (a
    one-letter word)."""
    terms = ["corona*", "*coronakrisen", "coronapas*", "k 5", "covid", "covid-19", "ko*", "*krisen"]
    texts = [
        "coronapasset og coronakrisen og corona og covidkrisen",
        "covid-19 og covid, k 5 og ko-krisen",
        "kongen og k 5 og koronavirus",
    ]
    matcher = KeywordMatcher(terms)
    lits = LiteralFilter([terms])
    found = []
    for text in texts:
        starts = lits.starts_in(text)[0]
        assert starts is not None
        hits = matcher.finditer_at(text, starts)
        assert hits == matcher.finditer(text, normalized=True)
        found += [h.term for h in hits]
    assert set(terms) <= set(found)


def test_the_shipped_terms_scanned_by_opening_find_what_a_full_scan_finds() -> None:
    """The same for every keyword, related term and other subject of `config.yaml`, over
    headlines written for the purpose, where the terms of one opening compete."""
    from pathlib import Path

    from bot.config import load_config

    rules = load_config(Path(__file__).resolve().parents[2] / "config.yaml").topic_rules()
    texts = [
        normalize(t)
        for t in (
            "Coronapandemien og coronapasset: Covid-19-restriktionerne lempes i Kabul",
            "Natos generalsekretær Stoltenberg på Nato-topmødet i Vilnius om artikel 5",
            "Taliban-styret i Afghanistan og de afghanske tolke; talebankrigere i Helmand",
            "Influenza, RS-virus og mæslinger: Statens Serum Institut om vaccinationer",
            "Mink-avlerne og minkskandalen; nedlukningen og genåbningen af Danmark",
        )
    ]
    compared = 0
    for r in rules:
        for group in (r.keywords, r.related, r.others):
            matcher = KeywordMatcher(group)
            lits = LiteralFilter([group])
            for text in texts:
                starts = lits.starts_in(text).get(0)
                if starts is None:
                    continue
                full = matcher.finditer(text, normalized=True)
                assert matcher.finditer_at(text, starts) == full, (r.id, text)
                compared += bool(full)
    assert compared >= 10  # the headlines do contain the terms
