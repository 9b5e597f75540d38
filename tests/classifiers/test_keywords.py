"""Keyword rules: word-aware matching, Danish endings, stars, phrases and vetoes."""

from __future__ import annotations

import pytest

from classifiers.base import Document, TopicClassifier, TopicRule
from classifiers.keywords import KeywordClassifier
from classifiers.terms import KeywordMatcher
from classifiers.text import normalize

RULES = (
    TopicRule("NATO", ("nato", "forsvarsalliancen", "stoltenberg", "artikel 5")),
    TopicRule(
        "COVID-19",
        ("covid*", "corona*", "coronapas*", "mundbind*"),
        ("corona-øl", "corona extra"),
    ),
    TopicRule(
        "Afghanistan",
        ("afghanistan*", "afghan*", "taliban*", "kabul"),
        ("afghansk mynde", "afghanske mynder", "afghanhund*"),
    ),
)


@pytest.mark.parametrize(
    "text",
    ["Nato", "Natos", "NATO's", "NATO’s", "Nato-landene", "nato-topmødet", "NATOEN", "anti-Nato"],
)
def test_plain_keyword_matches_word_forms(text: str) -> None:
    assert KeywordMatcher(["nato"]).search(f"Her står {text} i teksten.")


@pytest.mark.parametrize("text", ["senatoren", "Senatorer", "natoperation", "natos2", "donato"])
def test_plain_keyword_does_not_match_inside_words(text: str) -> None:
    assert not KeywordMatcher(["nato"]).search(f"Her står {text} i teksten.")


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("soldat", "soldaterne"),
        ("soldat", "soldaternes"),
        ("soldat", "soldatens"),
        ("vaccine", "vacciner"),
        ("vaccine", "vaccinerne"),
        ("mynde", "mynder"),
    ],
)
def test_danish_endings(term: str, text: str) -> None:
    assert KeywordMatcher([term]).search(text)


def test_star_matches_continuations_and_beginnings() -> None:
    m = KeywordMatcher(["corona*"])
    assert [h.surface for h in m.finditer("Coronapandemien og corona-smittede")] == [
        "coronapandemien",
        "corona-smittede",
    ]
    assert not m.search("skolekorona")
    assert KeywordMatcher(["*krisen"]).search("Coronakrisen varer ved")
    assert KeywordMatcher(["*krisen"]).search("coronakrisens")  # endings still apply
    assert not KeywordMatcher(["*krisen"]).search("krisestyring")


def test_a_set_finds_each_terms_matches_whatever_it_starts_with() -> None:
    """The matcher checks the first characters once for all its terms: a term starting with
    `*`, a digit or a capital (terms are normalised like text) must not fall through it."""
    text = "Nato: 5G-nettet og coronakrisen. Kabul, Ét år efter"
    mixed = KeywordMatcher(["NATO", "5g", "*krisen", "kabul", "ét år"])
    assert [h.term for h in mixed.finditer(text)] == ["NATO", "5g", "*krisen", "kabul", "ét år"]
    plain = KeywordMatcher(["NATO", "5g", "kabul", "ét år"])
    assert [h.term for h in plain.finditer(text)] == ["NATO", "5g", "kabul", "ét år"]
    assert not plain.search("senatoren i abul")


def test_a_star_may_end_any_word_of_a_phrase() -> None:
    m = KeywordMatcher(["pakistan* taliban"])
    for text in ("Pakistans Taliban", "pakistanske taliban", "Pakistani Taliban"):
        assert [h.surface for h in m.finditer(text)] == [normalize(text)]
    assert not m.search("Taliban i Pakistan")
    assert not m.search("Pakistan. Taliban")  # words in order, only a space or hyphen between
    with pytest.raises(ValueError, match="may only end a word"):
        KeywordMatcher(["nato*topmøde"])


def test_three_dots_in_a_phrase_stand_for_a_few_words_of_one_clause() -> None:
    m = KeywordMatcher(["minkavler* ... erstatning*"])
    for text in (
        "Minkavlere får erstatning",
        "Minkavlerne får 18,8 milliarder i erstatning",  # a decimal comma is no clause's end
        "Minkavlerne kræver mere i erstatningspenge",
    ):
        assert m.search(text), text
    assert KeywordMatcher(["minkavler* … erstatning*"]).search("Minkavlere får erstatning")
    assert not m.search("Minkavlere, der fik erstatning")  # another clause
    assert not m.search("Minkavlere og deres familier og børn og venner får nu erstatning")
    assert not m.search("Erstatning til minkavlere")  # in order
    for bad in ("... minkavler*", "minkavler* ...", "mink ... ... erstatning"):
        with pytest.raises(ValueError, match="may only stand between two words"):
            KeywordMatcher([bad])


def test_phrases_match_words_in_order() -> None:
    m = KeywordMatcher(["artikel 5"])
    assert m.search("Polen vil påberåbe sig Artikel  5")
    assert m.search("artikel-5-garantien")
    assert not m.search("5 artikler")
    assert not m.search("artikel 50")


def test_hits_have_positions_in_normalized_text() -> None:
    raw = "Stoltenberg: Nato-landene\u00ad skal op på to procent.NATO’s plan"
    norm = normalize(raw)
    hits = KeywordMatcher(["nato", "stoltenberg"]).finditer(raw)
    assert [h.term for h in hits] == ["stoltenberg", "nato", "nato"]
    for h in hits:
        assert norm[h.start : h.end] == h.surface


def test_longer_term_named_first() -> None:
    hits = KeywordMatcher(["corona*", "coronapas*"]).finditer("Coronapasset udløber")
    assert [h.term for h in hits] == ["coronapas*"]


def test_keyword_classifier_protocol_and_scores() -> None:
    clf = KeywordClassifier(RULES)
    assert isinstance(clf, TopicClassifier)
    assert clf.topics == ("NATO", "COVID-19", "Afghanistan")
    docs = [
        Document("Natos generalsekretær besøger Kabul", "Stoltenberg mødte soldater."),
        Document("Senatoren godkender natoperation", ""),
        Document("Ny Corona-øl i butikkerne", "Bryggeriet lancerer Corona Extra i Danmark."),
        Document("Afghansk mynde vinder hundeudstilling", "De afghanske mynder er populære."),
        Document("Mundbind bliver obligatorisk i bussen", ""),
    ]
    rows = clf.classify_many(docs)
    assert [[s.topic for s in row] for row in rows] == [list(clf.topics)] * len(docs)
    assert [[s.matched for s in row] for row in rows] == [
        [True, False, True],
        [False, False, False],
        [False, False, False],
        [False, False, False],
        [False, True, False],
    ]
    assert set(rows[0][0].reasons) == {"nato", "stoltenberg"}
    assert rows[0][2].reasons == ("kabul",)
    assert rows[0][0].score == 1.0 and rows[1][0].score == 0.0


def test_exclude_vetoes_whole_document_for_that_topic_only() -> None:
    clf = KeywordClassifier(RULES)
    (h_nato, h_covid, _) = clf.hits(Document("Nato drikker Corona-øl", "coronavirus"))
    assert h_covid.count == 0 and h_covid.vetoes
    assert h_nato.count == 1


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        ("Corona-ølflasker kaldes tilbage", 1),  # a compound of the look-alike
        ("Afghansk myndehvalp solgt for 40.000 kroner", 2),
        ("Corona-øllen er udsolgt", 1),  # a doubled consonant before the ending
    ],
)
def test_an_exclude_also_vetoes_in_compounds_it_begins(title: str, topic: int) -> None:
    hits = KeywordClassifier(RULES).hits(Document(title, ""))[topic]
    assert hits.count == 0 and hits.vetoes
    # Keywords themselves keep their word forms only: no compound unless written with *.
    assert not KeywordMatcher(["corona-øl"]).search("Corona-ølflasker")


def test_an_exclude_with_a_related_term_and_no_keyword_vetoes_that_term_only() -> None:
    """ "restriktion* på" names what a rule restricts: it vetoes the related term in the
    article, not the keywords (an exclude with neither vetoes them all), and it matches as
    written, without compounds ("på" does not begin "påvirker")."""
    rules = (
        TopicRule(
            "COVID-19",
            ("corona*",),
            exclude=("restriktion* på",),
            related=("restriktion*", "værnemidl*"),
        ),
    )
    kc = KeywordClassifier(rules)

    def related(title: str, text: str = "") -> list[str]:
        return [h.term for h in kc.related_hits(0, normalize(title), normalize(text))]

    assert related("Haveforening indfører restriktioner på vandforbruget") == []
    # the veto holds in the whole article, and leaves the other related terms
    assert related("Restriktioner på vandet", "Nye restriktioner og værnemidler.") == ["værnemidl*"]
    assert related("Restriktionerne påvirker økonomien") == ["restriktion*"]
    assert kc.related_hits(0, "restriktioner på vandet", "", vetoes=False)
    hits = kc.hits(Document("Restriktioner på barer: coronasmitten stiger", ""))[0]
    assert hits.count == 1 and not hits.vetoes  # the keyword stands


def test_title_or_twice_rule_ignores_single_passing_mention() -> None:
    clf = KeywordClassifier(RULES, rule="title_or_twice")
    passing = Document(
        "Ny rekord i turismen", "For første gang siden coronakrisen er hotellerne fulde."
    )
    twice = Document("Ny rekord", "Coronakrisen er slut. Covid-19 er nu endemisk.")
    title = Document("Taliban lukker skoler", "")
    rows = clf.classify_many([passing, twice, title])
    assert [r[1].matched for r in rows] == [False, True, False]
    assert rows[2][2].matched
    assert KeywordClassifier(RULES).classify_many([passing])[0][1].matched


def test_invalid_rule_name() -> None:
    with pytest.raises(ValueError):
        KeywordClassifier(RULES, rule="sometimes")  # type: ignore[arg-type]
